//! Local PostgreSQL binaries and throwaway clusters.
//!
//! Owns finding server binaries (`PGDIFF_PG_BIN`, then `PATH`, then
//! `/usr/lib/postgresql/<newest>/bin`) and running a private cluster (`initdb`, or a copy of
//! a cached `initdb` result, + `pg_ctl`) in a temporary directory on a unix
//! socket. The embedded shadow database and the test rig both
//! stand on it. A cluster is stopped and its directory removed on drop; clusters left behind
//! by a process that was killed are removed by the next [`TempCluster::start`].

use std::ffi::OsStr;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod template;

/// Errors while finding binaries or running a throwaway cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// No usable PostgreSQL server binaries were found.
    #[error(
        "no PostgreSQL server binaries found (looked for initdb and pg_ctl in $PGDIFF_PG_BIN, \
         $PATH and /usr/lib/postgresql/*/bin)\n\
         hint: install them (Debian/Ubuntu: `apt-get install postgresql`), point PGDIFF_PG_BIN \
         at a directory holding initdb, pg_ctl and postgres, or pass --shadow URL to use an \
         existing server"
    )]
    NotFound,
    /// `PGDIFF_PG_BIN` names a directory without the binaries.
    #[error("PGDIFF_PG_BIN={0} does not contain initdb and pg_ctl")]
    BadPgBin(String),
    /// A command failed.
    #[error("{command} failed: {detail}")]
    Command {
        /// The command that failed.
        command: String,
        /// Its exit status and output.
        detail: String,
    },
    /// An I/O error on the cluster's files.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

fn io_err(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> ClusterError {
    let context = context.into();
    move |source| ClusterError::Io { context, source }
}

/// A directory of PostgreSQL binaries and their major version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    /// Directory holding `initdb`, `pg_ctl`, `postgres` (and usually `psql`, `pg_dump`).
    pub dir: PathBuf,
    /// Major version, e.g. 15.
    pub major: u32,
}

impl PgBinaries {
    /// The path of binary `name` in this directory.
    pub fn bin(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The path of a client binary (`psql`, `pg_dump`): from this directory when present,
    /// else from the installation `initdb` links to (a directory of links to one version's
    /// server binaries, such as `/usr/local/bin`, often has no client links), otherwise from
    /// `PATH`.
    pub fn client(&self, name: &str) -> PathBuf {
        let own = self.dir.join(name);
        if own.is_file() {
            return own;
        }
        if let Some(linked) = std::fs::canonicalize(self.dir.join("initdb"))
            .ok()
            .and_then(|p| p.parent().map(|d| d.join(name)))
            .filter(|p| p.is_file())
        {
            return linked;
        }
        PathBuf::from(name)
    }

    fn probe(dir: &Path) -> Option<PgBinaries> {
        if !(dir.join("initdb").is_file() && dir.join("pg_ctl").is_file()) {
            return None;
        }
        let out = Command::new(dir.join("pg_ctl"))
            .arg("--version")
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let major = parse_major(&text)?;
        Some(PgBinaries {
            dir: dir.to_path_buf(),
            major,
        })
    }

    /// Every usable binary directory, in search order: `PGDIFF_PG_BIN`, `PATH`,
    /// `/usr/lib/postgresql/*/bin` newest first.
    pub fn candidates() -> Result<Vec<PgBinaries>, ClusterError> {
        let mut found = Vec::new();
        if let Some(dir) = std::env::var_os("PGDIFF_PG_BIN").filter(|d| !d.is_empty()) {
            let bins = PgBinaries::probe(Path::new(&dir))
                .ok_or_else(|| ClusterError::BadPgBin(dir.to_string_lossy().into_owned()))?;
            // An explicit choice is the only candidate.
            return Ok(vec![bins]);
        }
        if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                if let Some(b) = PgBinaries::probe(&dir) {
                    found.push(b);
                }
            }
        }
        let mut debian: Vec<PgBinaries> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| PgBinaries::probe(&e.path().join("bin")))
            .collect();
        debian.sort_by_key(|b| std::cmp::Reverse(b.major));
        found.extend(debian);
        // The same installation is often reachable through a symlink on PATH too.
        let mut seen = Vec::new();
        found.retain(|b| {
            let real = std::fs::canonicalize(b.bin("pg_ctl")).unwrap_or(b.bin("pg_ctl"));
            let new = !seen.contains(&real);
            seen.push(real);
            new
        });
        Ok(found)
    }

    /// The first usable binaries in search order, preferring major version `prefer` when
    /// given and available. The returned flag is false when `prefer` could not be honoured.
    pub fn find(prefer: Option<u32>) -> Result<(PgBinaries, bool), ClusterError> {
        let all = PgBinaries::candidates()?;
        if let Some(major) = prefer
            && let Some(b) = all.iter().find(|b| b.major == major)
        {
            return Ok((b.clone(), true));
        }
        let first = all.into_iter().next().ok_or(ClusterError::NotFound)?;
        let matched = prefer.is_none_or(|m| m == first.major);
        Ok((first, matched))
    }
}

/// Extracts the major version from `pg_ctl (PostgreSQL) 15.18 (Debian ...)` or `... 18beta1`.
fn parse_major(version_output: &str) -> Option<u32> {
    let v = version_output.split_whitespace().nth(2)?;
    let digits: String = v.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// The user a server is run as when pgdiff runs as root (initdb refuses root).
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

fn run_as() -> Result<Option<RunAs>, ClusterError> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let name = std::env::var("PGDIFF_PG_USER").unwrap_or_else(|_| "postgres".to_string());
    let cname = std::ffi::CString::new(name.clone()).expect("user name without NUL");
    // SAFETY: getpwnam returns a pointer into static storage or NULL; we copy the two ids
    // out immediately and this runs before any other thread could call getpwnam for us.
    let pw = unsafe { libc::getpwnam(cname.as_ptr()) };
    if pw.is_null() {
        return Err(ClusterError::Command {
            command: "initdb".into(),
            detail: format!(
                "running as root, and PostgreSQL refuses to run as root; no user {name:?} \
                 exists to run it as (create one, e.g. `useradd --system postgres`, or set \
                 PGDIFF_PG_USER)"
            ),
        });
    }
    // SAFETY: pw was checked for NULL above.
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    Ok(Some(RunAs { uid, gid }))
}

/// A private PostgreSQL cluster in a temporary directory, listening only on a unix socket,
/// with trust authentication for its superuser `postgres`. Stopped and removed on drop.
#[derive(Debug)]
pub struct TempCluster {
    bins: PgBinaries,
    root: PathBuf,
    port: u16,
    run_as: Option<RunAs>,
    stopped: bool,
}

/// The memory file system preferred for throwaway clusters.
const SHM_DIR: &str = "/dev/shm";

/// Free space a memory file system must have to hold a throwaway cluster (an empty one takes
/// about 40 MB; a loaded shadow of a large schema some hundreds).
const SHM_MIN_FREE: u64 = 2 << 30;

/// Where throwaway clusters are created: `PGDIFF_CLUSTER_DIR` when set; else `/dev/shm` when it
/// is a writable memory file system with room to spare, as creating thousands of relation
/// files there is several times faster than on a disk file system, and nothing needs to
/// survive a crash; else the temporary directory.
fn cluster_base_dir() -> PathBuf {
    cluster_base_dir_with(SHM_MIN_FREE)
}

/// [`cluster_base_dir`] for a cluster that needs `min_free` bytes of the memory file system.
pub(crate) fn cluster_base_dir_with(min_free: u64) -> PathBuf {
    if let Some(d) = std::env::var_os("PGDIFF_CLUSTER_DIR") {
        return PathBuf::from(d);
    }
    let shm = Path::new(SHM_DIR);
    let cpath = std::ffi::CString::new(SHM_DIR).expect("no NUL");
    // SAFETY: statvfs writes into the zeroed struct we pass; the path is NUL-terminated.
    let free = unsafe {
        let mut st: libc::statvfs = std::mem::zeroed();
        if libc::statvfs(cpath.as_ptr(), &mut st) == 0 {
            Some(st.f_bavail as u64 * st.f_frsize as u64)
        } else {
            None
        }
    };
    // SAFETY: access only reads the NUL-terminated path.
    let writable = unsafe { libc::access(cpath.as_ptr(), libc::W_OK) == 0 };
    if shm.is_dir() && writable && free.is_some_and(|f| f >= min_free) {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// Prefix of the temporary directories holding clusters; used to find stale ones.
const DIR_PREFIX: &str = "pgdiff-cluster-";

/// How clusters are initialized (after `-D <data directory>`).
const INITDB_ARGS: &[&str] = &[
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
    "--no-instructions",
];

impl TempCluster {
    /// Initializes and starts a short-lived cluster with `bins`, in memory when there is
    /// room (`PGDIFF_CLUSTER_DIR`, else `/dev/shm` with 2 GiB free, else the temporary
    /// directory). Takes a fraction of a second to three seconds.
    pub fn start(bins: &PgBinaries) -> Result<TempCluster, ClusterError> {
        Self::start_in(bins, &cluster_base_dir())
    }

    /// Initializes and starts a cluster with `bins` in a new directory under `base` (for a
    /// cluster that may grow large, such as a test suite's: the temporary directory).
    pub fn start_in(bins: &PgBinaries, base: &Path) -> Result<TempCluster, ClusterError> {
        let run_as = run_as()?;
        remove_stale_clusters();
        let port = free_port()?;
        let root = base.join(format!(
            "{DIR_PREFIX}{}-{}",
            std::process::id(),
            unique_suffix()
        ));
        std::fs::create_dir_all(&root).map_err(io_err(format!("creating {}", root.display())))?;
        std::fs::write(root.join("owner.pid"), std::process::id().to_string())
            .map_err(io_err("writing owner.pid"))?;
        let mut cluster = TempCluster {
            bins: bins.clone(),
            root,
            port,
            run_as,
            stopped: true,
        };
        if let Some(r) = run_as {
            chown(&cluster.root, r)?;
        }
        let data = cluster.data_dir();
        // SAFETY: geteuid has no preconditions.
        let uid = run_as.map_or_else(|| unsafe { libc::geteuid() }, |r| r.uid);
        template::remove_stale(base, uid);
        let template = template::for_cluster(base, bins, uid, INITDB_ARGS);
        let copied = match &template {
            None => false,
            Some(t) => match t.copy_to(&data, uid, run_as) {
                Ok(()) => true,
                Err(failure) => {
                    if failure == template::CopyFailure::Broken {
                        t.discard();
                    }
                    // A copy that failed partway leaves part of a data directory, which
                    // initdb would refuse.
                    remove_if_there(&data)?;
                    false
                }
            },
        };
        if !copied {
            cluster.initdb(template.as_ref())?;
        }
        cluster.stopped = false;
        match cluster.start_server() {
            Ok(()) => {}
            Err(first) if copied => {
                // No server started from the copy: the template may be damaged in a way its
                // checks cannot see. Replace it (at worst a good one is made again) and start
                // this cluster the slow way, unless the server somehow still runs.
                if let Some(t) = &template {
                    t.discard();
                }
                if !quit_postmaster(&data, std::time::Duration::from_millis(5), 2000) {
                    return Err(first);
                }
                remove_if_there(&data)?;
                cluster.initdb(template.as_ref())?;
                cluster.start_server()?;
            }
            Err(e) => return Err(e),
        }
        Ok(cluster)
    }

    /// Runs `initdb` into the data directory and saves the result as `template`.
    fn initdb(&self, template: Option<&template::Template>) -> Result<(), ClusterError> {
        let data = self.data_dir();
        self.run(
            Command::new(self.bins.bin("initdb"))
                .arg("-D")
                .arg(&data)
                .args(INITDB_ARGS),
        )?;
        if let Some(t) = template {
            t.save(&data, &self.root.join("template"), self.run_as);
        }
        Ok(())
    }

    /// Starts the server on the data directory and waits until it accepts connections.
    fn start_server(&self) -> Result<(), ClusterError> {
        let data = self.data_dir();
        let opts = format!(
            "-k {} -p {} -c listen_addresses='' -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c autovacuum=off -c max_connections=200 -c shared_buffers=128MB \
             -c max_locks_per_transaction=256",
            self.root.display(),
            self.port
        );
        self.run(
            Command::new(self.bins.bin("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .args(["-o", &opts, "-w", "-t", "60", "-l"])
                .arg(self.root.join("server.log"))
                .arg("start"),
        )?;
        Ok(())
    }

    fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    /// The binaries this cluster runs.
    pub fn binaries(&self) -> &PgBinaries {
        &self.bins
    }

    /// The unix socket directory (the `host` to connect to).
    pub fn socket_dir(&self) -> &Path {
        &self.root
    }

    /// The port (part of the socket file's name).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A libpq key=value connection string for database `dbname` as superuser `postgres`.
    pub fn conninfo(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={}",
            self.root.display(),
            self.port,
            dbname
        )
    }

    /// The server log so far (for error messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.root.join("server.log")).unwrap_or_default()
    }

    fn run(&self, cmd: &mut Command) -> Result<Output, ClusterError> {
        if let Some(r) = self.run_as {
            cmd.uid(r.uid).gid(r.gid);
            // The server inherits the working directory; root's may be unreadable.
            cmd.current_dir(&self.root);
        }
        cmd.stdin(Stdio::null());
        die_with_parent(cmd);
        let name = cmd
            .get_program()
            .to_string_lossy()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let out = cmd.output().map_err(io_err(format!(
            "running {}",
            cmd.get_program().to_string_lossy()
        )))?;
        if out.status.success() {
            Ok(out)
        } else {
            let mut detail = format!(
                "{}\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            if name == "pg_ctl" {
                detail.push_str(&self.log());
            }
            Err(ClusterError::Command {
                command: name,
                detail,
            })
        }
    }

    /// Stops the server (immediate shutdown: the cluster is disposable) and removes its
    /// directory. Called by drop; calling it twice is harmless.
    ///
    /// The postmaster is sent SIGQUIT directly and watched every few milliseconds: it has
    /// exited within a few, where `pg_ctl stop` polls ten times a second. `pg_ctl` is the
    /// fallback.
    pub fn stop(&mut self) {
        if !self.stopped {
            self.stopped = true;
            if !quit_postmaster(&self.data_dir(), std::time::Duration::from_millis(5), 2000) {
                let _ = self.run(
                    Command::new(self.bins.bin("pg_ctl"))
                        .arg("-D")
                        .arg(self.data_dir())
                        .args(["-m", "immediate", "-w", "stop"]),
                );
            }
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Makes the command's process get SIGKILL when the thread that started it dies, so that a
/// pgdiff killed during `initdb` does not leave it writing into a directory the next run
/// removes. (The server itself outlives a killed pgdiff: the next run stops it.)
fn die_with_parent(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        let parent = std::process::id() as libc::pid_t;
        // SAFETY: prctl, getppid and _exit are async-signal-safe, as pre_exec requires.
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The parent died before the signal was armed.
                if libc::getppid() != parent {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}

/// Removes the directory tree at `path`, if there is one.
fn remove_if_there(path: &Path) -> Result<(), ClusterError> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(io_err(format!("removing {}", path.display()))(e))
        }
        _ => Ok(()),
    }
}

fn chown(path: &Path, r: RunAs) -> Result<(), ClusterError> {
    std::os::unix::fs::chown(path, Some(r.uid), Some(r.gid))
        .map_err(io_err(format!("chown {}", path.display())))
}

fn free_port() -> Result<u16, ClusterError> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(io_err("finding a free port"))?;
    Ok(l.local_addr()
        .map_err(io_err("finding a free port"))?
        .port())
}

/// A short suffix that differs between calls within and across processes.
pub(crate) fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{:x}{:x}", nanos, n)
}

fn pid_alive(pid: i32) -> bool {
    // SAFETY: kill with signal 0 only checks for existence.
    pid > 0
        && (unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
}

/// Removes clusters whose creating process no longer exists (it was killed before it could
/// clean up): stops their server and deletes their directory.
fn remove_stale_clusters() {
    let mut bases = vec![std::env::temp_dir(), PathBuf::from(SHM_DIR)];
    bases.extend(std::env::var_os("PGDIFF_CLUSTER_DIR").map(PathBuf::from));
    bases.sort();
    bases.dedup();
    for base in bases {
        remove_stale_clusters_in(&base);
    }
}

fn remove_stale_clusters_in(base: &Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(DIR_PREFIX) {
            continue;
        }
        let dir = entry.path();
        let owner: Option<i32> = std::fs::read_to_string(dir.join("owner.pid"))
            .ok()
            .and_then(|s| s.trim().parse().ok());
        if owner.is_some_and(pid_alive) {
            continue;
        }
        // Stop the server if it still runs (a loaded machine can take a while); the directory
        // goes only once it is down, else a later run tries again.
        if !quit_postmaster(
            &dir.join("data"),
            std::time::Duration::from_millis(100),
            300,
        ) {
            continue;
        }
        // A process that was still finishing (a standalone backend of an initdb) may have
        // created a file while the tree was being removed: try again a few times. Other
        // errors (another user's directory) are not retried.
        for _ in 0..20 {
            match std::fs::remove_dir_all(&dir) {
                Err(e) if e.kind() == std::io::ErrorKind::DirectoryNotEmpty => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                _ => break,
            }
        }
    }
}

/// Sends SIGQUIT (immediate shutdown) to the postmaster of the cluster in `data_dir`, named
/// by its `postmaster.pid`, if it runs, is a postgres process and works in `data_dir`, and
/// waits for it to exit, checking every `every`, at most `times` times. True when no server
/// runs there any more.
///
/// The standalone backends `initdb` runs write the lock file too, with their pid negated:
/// they are stopped the same way. The working directory is compared because the lock file of
/// a killed run can outlive its server, and its pid may since belong to another process,
/// even another postgres (every postgres process works in its own data directory).
fn quit_postmaster(data_dir: &Path, every: std::time::Duration, times: u32) -> bool {
    let postmaster: Option<i32> = std::fs::read_to_string(data_dir.join("postmaster.pid"))
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.trim().parse().ok()))
        .map(i32::wrapping_abs);
    let Some(pid) = postmaster.filter(|p| pid_alive(*p)) else {
        return true;
    };
    let is_postgres = std::fs::read_to_string(format!("/proc/{pid}/cmdline"))
        .map(|c| c.contains("postgres"))
        .unwrap_or(false);
    if !is_postgres {
        return true;
    }
    // Unreadable (a process of a user we may not inspect): the command line has to do.
    if let (Ok(cwd), Ok(dir)) = (
        std::fs::read_link(format!("/proc/{pid}/cwd")),
        std::fs::canonicalize(data_dir),
    ) && cwd != dir
    {
        return true;
    }
    // SAFETY: sending SIGQUIT (immediate shutdown) to the postmaster of a cluster of ours.
    unsafe { libc::kill(pid, libc::SIGQUIT) };
    // Down once it has exited: gone, or a zombie (all its files closed) waiting for the
    // init process to reap it, which can take a second.
    let down = || {
        !pid_alive(pid)
            || std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|st| {
                st.rsplit_once(')')
                    .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
            })
    };
    for _ in 0..times {
        if down() {
            return true;
        }
        std::thread::sleep(every);
    }
    down()
}

/// Runs `program` with `args`, returning stdout, or an error with stderr.
pub fn run_tool<I, S>(program: &Path, args: I) -> Result<String, ClusterError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(io_err(format!("running {}", program.display())))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(ClusterError::Command {
            command: program.display().to_string(),
            detail: format!("{}\n{}", out.status, String::from_utf8_lossy(&out.stderr)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_major_versions() {
        assert_eq!(
            parse_major("pg_ctl (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n"),
            Some(15)
        );
        assert_eq!(parse_major("pg_ctl (PostgreSQL) 18beta1"), Some(18));
        assert_eq!(parse_major("pg_ctl (PostgreSQL) 9.6.24"), Some(9));
        assert_eq!(parse_major("garbage"), None);
    }

    /// Starts a process named `postgres` working in `cwd` and writes a lock file naming it
    /// (its pid negated, as a standalone backend writes it, when `negated`) into `data`.
    fn fake_postgres(cwd: &Path, data: &Path, negated: bool) -> std::process::Child {
        let child = Command::new("bash")
            .args(["-c", "exec -a postgres sleep 60"])
            .current_dir(cwd)
            .spawn()
            .unwrap();
        // Until bash has exec'd, the command line is bash's.
        let cmdline = format!("/proc/{}/cmdline", child.id());
        while !std::fs::read_to_string(&cmdline).is_ok_and(|c| c.starts_with("postgres")) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let sign = if negated { "-" } else { "" };
        std::fs::write(
            data.join("postmaster.pid"),
            format!("{sign}{}\n{}\n", child.id(), data.display()),
        )
        .unwrap();
        child
    }

    /// A standalone backend (as `initdb` runs them) writes its pid negated into the lock
    /// file; it must be stopped like a postmaster, not taken for "no server".
    #[test]
    fn stops_the_process_a_negated_pid_names() {
        let dir = tempfile::tempdir().unwrap();
        let mut child = fake_postgres(dir.path(), dir.path(), true);
        assert!(quit_postmaster(
            dir.path(),
            std::time::Duration::from_millis(10),
            1000
        ));
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc::SIGQUIT), "{status:?}");
    }

    /// A lock file whose pid now belongs to a postgres process working elsewhere (the pid
    /// was reused after the cluster's server died) must not get that process killed.
    #[test]
    fn leaves_alone_a_postgres_process_of_another_directory() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let mut child = fake_postgres(elsewhere.path(), dir.path(), false);
        assert!(quit_postmaster(
            dir.path(),
            std::time::Duration::from_millis(10),
            10
        ));
        assert!(
            child.try_wait().unwrap().is_none(),
            "the process was signalled"
        );
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
