//! The cached `initdb` result that throwaway clusters are copied from.
//!
//! Owns the template's key, the checks before one is used, and the copies. `initdb` takes
//! about 0.4 s even on a memory file system, most of a cluster's start; copying the 40 MB it
//! writes takes a tenth of that. The template is the first cluster's data directory as
//! `initdb` left it, saved before its server started, so a copy is what `initdb` would write
//! again (every copy has the same system identifier, which only matters to replication
//! between them). One is kept per set of server binaries (their files' size and modification
//! time: a package upgrade replaces them together with the share files `initdb` reads), server
//! user and time zone, next to the clusters, as `pgdiff-template-<uid>-<key>/` holding
//! `data/` and the `key` it was made for. Templates stay until the binaries they were made
//! for are gone or replaced (on `/dev/shm`, until the next boot); they can be removed at any
//! time. `PGDIFF_CLUSTER_TEMPLATE=off` turns them off: every cluster then runs `initdb`.
//!
//! Copies are made by `cp -a` running as the server user: the template and the cluster's
//! directory belong to that user, so when pgdiff runs as root no process with root's rights
//! ever follows a path that user could have replaced with a link.

use super::{PgBinaries, RunAs};
use sha2::{Digest, Sha256};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Prefix of template directories (clusters' directories have another, so stale-cluster
/// cleanup leaves templates alone).
pub(super) const PREFIX: &str = "pgdiff-template-";

/// Bump when the layout or the way clusters are initialized changes.
const FORMAT: &str = "1";

/// A template's place and the key it must carry.
#[derive(Debug, Clone)]
pub(super) struct Template {
    dir: PathBuf,
    key: String,
}

/// The template for clusters of `bins`, initialized with `initdb_args` for the server user
/// `uid`, under `base`; `None` when templates are turned off.
pub(super) fn for_cluster(
    base: &Path,
    bins: &PgBinaries,
    uid: u32,
    initdb_args: &[&str],
) -> Option<Template> {
    if std::env::var("PGDIFF_CLUSTER_TEMPLATE").is_ok_and(|v| v.eq_ignore_ascii_case("off")) {
        return None;
    }
    let key = key(bins, uid, initdb_args);
    let digest = Sha256::digest(key.as_bytes());
    let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(Template {
        dir: base.join(format!("{PREFIX}{uid}-{short}")),
        key,
    })
}

/// Removes `uid`'s templates under `base` that no binaries on this machine would use any
/// more: made in an older format, or for binaries that were removed or replaced (an upgrade
/// in place). Templates for other binaries that are still installed stay.
pub(super) fn remove_stale(base: &Path, uid: u32) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    let mine = format!("{PREFIX}{uid}-");
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(&mine) {
            continue;
        }
        let dir = entry.path();
        let Ok(key) = std::fs::read_to_string(dir.join("key")) else {
            // Being removed right now, or not one of ours: leave it.
            continue;
        };
        let current = key.lines().all(|line| match line.split_once(' ') {
            Some(("format", f)) => f == FORMAT,
            Some(("initdb" | "postgres", recorded)) => {
                let path = recorded.rsplitn(3, ' ').last().unwrap_or(recorded);
                Path::new(path).exists() && stamp(Path::new(path)) == recorded
            }
            _ => true,
        });
        if !current {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// A binary's real path, size and modification time.
fn stamp(p: &Path) -> String {
    let real = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    match std::fs::metadata(&real) {
        Ok(m) => format!(
            "{} {} {}.{}",
            real.display(),
            m.len(),
            m.mtime(),
            m.mtime_nsec()
        ),
        Err(_) => format!("{} missing -", real.display()),
    }
}

/// What `initdb`'s output depends on: the binaries (path, size and modification time, so that
/// an upgrade in place makes a new template), the arguments, the user, and the time zone
/// (`initdb` writes the one it detects from `TZ` or `/etc/localtime` into the configuration).
fn key(bins: &PgBinaries, uid: u32, initdb_args: &[&str]) -> String {
    format!(
        "format {FORMAT}\ninitdb {}\npostgres {}\nargs {}\nuid {uid}\nTZ {:?}\nlocaltime {}\n",
        stamp(&bins.bin("initdb")),
        stamp(&bins.bin("postgres")),
        initdb_args.join(" "),
        std::env::var("TZ").ok(),
        stamp(Path::new("/etc/localtime")),
    )
}

/// Why a template was not copied.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum CopyFailure {
    /// None is there, or not one to trust (not a private directory of the server user) or
    /// to use (made for other binaries or settings): left alone.
    Unusable,
    /// It passed the checks, but the copy failed: it should be replaced.
    Broken,
}

impl Template {
    /// Copies the template's data directory to `data` (which must not exist yet) as the
    /// server user `owner` (the current user when `None`, whose id is `uid`). A failed copy
    /// may leave part of `data` behind.
    pub(super) fn copy_to(
        &self,
        data: &Path,
        uid: u32,
        owner: Option<RunAs>,
    ) -> Result<(), CopyFailure> {
        // Not links, owned by the server user, with no access for group or others.
        let private = |p: &Path| {
            std::fs::symlink_metadata(p)
                .is_ok_and(|m| m.is_dir() && m.uid() == uid && m.permissions().mode() & 0o077 == 0)
        };
        if !private(&self.dir) || !private(&self.dir.join("data")) {
            return Err(CopyFailure::Unusable);
        }
        if std::fs::read_to_string(self.dir.join("key"))
            .ok()
            .as_deref()
            != Some(&self.key)
        {
            return Err(CopyFailure::Unusable);
        }
        let copied = as_user(
            Command::new("cp")
                .arg("-a")
                .arg(self.dir.join("data"))
                .arg(data),
            owner,
        )
        .status();
        match copied {
            Ok(s) if s.success() => Ok(()),
            _ => Err(CopyFailure::Broken),
        }
    }

    /// Saves `data`, fresh from `initdb`, as the template: copied into `scratch` (a path
    /// inside the caller's own cluster directory, removed with it) and renamed into place,
    /// so that no run ever sees half a template. Best effort: when a template is there
    /// already (another run saved one first), or anything fails, the cluster simply goes on
    /// without.
    pub(super) fn save(&self, data: &Path, scratch: &Path, owner: Option<RunAs>) {
        if std::fs::symlink_metadata(&self.dir).is_ok() {
            return;
        }
        // `mv -T` renames onto no existing directory (a template saved meanwhile stays).
        let script = r#"umask 077 && mkdir "$1" && cp -a "$2" "$1/data" && printf '%s' "$3" > "$1/key" && mv -T "$1" "$4""#;
        let saved = as_user(
            Command::new("sh")
                .args(["-c", script, "sh"])
                .arg(scratch)
                .arg(data)
                .arg(&self.key)
                .arg(&self.dir),
            owner,
        )
        .status()
        .is_ok_and(|s| s.success());
        if !saved {
            let _ = std::fs::remove_dir_all(scratch);
        }
    }

    /// Removes the template (a copy of it failed, or no server started from one); the next
    /// cluster runs `initdb` and saves a new one.
    pub(super) fn discard(&self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `cmd` quietly as `owner` (when given), in `/` (root's working directory may be
/// unreadable to the server user), killed if pgdiff dies.
fn as_user(cmd: &mut Command, owner: Option<RunAs>) -> &mut Command {
    if let Some(r) = owner {
        cmd.uid(r.uid).gid(r.gid);
    }
    cmd.current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    super::die_with_parent(cmd);
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uid() -> u32 {
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() }
    }

    fn bins() -> PgBinaries {
        PgBinaries {
            dir: PathBuf::from("/nonexistent/bin"),
            major: 15,
        }
    }

    /// A template directory as `save` leaves it, holding one file and one subdirectory.
    fn saved(base: &Path) -> (Template, PathBuf) {
        let data = base.join("fresh");
        std::fs::create_dir_all(data.join("global")).unwrap();
        std::fs::write(data.join("PG_VERSION"), "15\n").unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(
            data.join("PG_VERSION"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        let t = for_cluster(base, &bins(), uid(), &["-E", "UTF8"]).unwrap();
        t.save(&data, &base.join("scratch"), None);
        assert!(t.dir.join("data/PG_VERSION").exists(), "template not saved");
        assert!(!base.join("scratch").exists(), "scratch left behind");
        (t, data)
    }

    #[test]
    fn a_saved_template_copies_back_with_its_modes() {
        let base = tempfile::tempdir().unwrap();
        let (t, _) = saved(base.path());
        let copy = base.path().join("copy");
        t.copy_to(&copy, uid(), None).unwrap();
        assert_eq!(
            std::fs::read_to_string(copy.join("PG_VERSION")).unwrap(),
            "15\n"
        );
        assert!(copy.join("global").is_dir());
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&copy), 0o700);
        assert_eq!(mode(&copy.join("PG_VERSION")), 0o600);
        assert!(
            !copy.join("key").exists(),
            "the key is not part of the data"
        );
    }

    #[test]
    fn a_template_for_other_settings_or_open_to_others_is_not_used() {
        let base = tempfile::tempdir().unwrap();
        let (t, _) = saved(base.path());
        // Other arguments: another key, another directory name.
        let other = for_cluster(base.path(), &bins(), uid(), &["-E", "SQL_ASCII"]).unwrap();
        assert_ne!(other.dir, t.dir);
        // The same directory with a key written for something else.
        let stale = Template {
            dir: t.dir.clone(),
            key: "format 0\n".into(),
        };
        let unusable = Err(CopyFailure::Unusable);
        assert_eq!(stale.copy_to(&base.path().join("a"), uid(), None), unusable);
        // Another user's template, or one others can read, is not trusted.
        assert_eq!(t.copy_to(&base.path().join("b"), uid() + 1, None), unusable);
        std::fs::set_permissions(&t.dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(t.copy_to(&base.path().join("c"), uid(), None), unusable);
        std::fs::set_permissions(&t.dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        t.copy_to(&base.path().join("d"), uid(), None).unwrap();
    }

    #[test]
    fn a_template_whose_data_is_a_link_is_not_used() {
        let base = tempfile::tempdir().unwrap();
        let (t, data) = saved(base.path());
        std::fs::remove_dir_all(t.dir.join("data")).unwrap();
        std::os::unix::fs::symlink(&data, t.dir.join("data")).unwrap();
        assert_eq!(
            t.copy_to(&base.path().join("copy"), uid(), None),
            Err(CopyFailure::Unusable)
        );
        assert!(!base.path().join("copy").exists());
    }

    #[test]
    fn templates_of_replaced_binaries_are_removed() {
        let base = tempfile::tempdir().unwrap();
        let bin = base.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::fs::write(bin.join("initdb"), "v1").unwrap();
        std::fs::write(bin.join("postgres"), "v1").unwrap();
        let bins = PgBinaries {
            dir: bin.clone(),
            major: 15,
        };
        let data = base.path().join("fresh");
        std::fs::create_dir(&data).unwrap();
        let t = for_cluster(base.path(), &bins, uid(), &[]).unwrap();
        t.save(&data, &base.path().join("scratch"), None);
        // This one names binaries that do not exist (any more).
        let (gone, _) = saved(base.path());
        remove_stale(base.path(), uid());
        assert!(t.dir.exists(), "binaries unchanged: the template stays");
        assert!(!gone.dir.exists(), "the template of removed binaries stays");
        // Upgraded in place: another size.
        std::fs::write(bin.join("postgres"), "version 2").unwrap();
        remove_stale(base.path(), uid());
        assert!(!t.dir.exists(), "the template of replaced binaries stays");
    }

    #[test]
    fn a_copy_that_fails_is_reported_broken() {
        let base = tempfile::tempdir().unwrap();
        let (t, _) = saved(base.path());
        // The target's parent does not exist: `cp` fails after the checks passed.
        assert_eq!(
            t.copy_to(&base.path().join("missing/copy"), uid(), None),
            Err(CopyFailure::Broken)
        );
    }

    #[test]
    fn a_second_save_leaves_the_first_in_place() {
        let base = tempfile::tempdir().unwrap();
        let (t, data) = saved(base.path());
        std::fs::write(data.join("PG_VERSION"), "changed\n").unwrap();
        t.save(&data, &base.path().join("scratch2"), None);
        assert!(!base.path().join("scratch2").exists());
        let copy = base.path().join("copy");
        t.copy_to(&copy, uid(), None).unwrap();
        assert_eq!(
            std::fs::read_to_string(copy.join("PG_VERSION")).unwrap(),
            "15\n"
        );
    }
}
