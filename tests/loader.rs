//! The desired-SQL loader: pg_query front door, ordering and the shadow database, against
//! real Postgres.

mod common;

use common::*;
use pgdiff::model::Schema;
use pgdiff::testing::server;
use std::path::Path;
use std::sync::Mutex;

/// Tests here count the shadow databases on the shared server: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn load_dir(dir: &Path) -> Result<Schema, String> {
    checks::load_desired(dir)
}

fn assert_no_shadow_databases() {
    let left = shadow_databases();
    assert!(left.is_empty(), "shadow databases left behind: {left:?}");
}

fn shadow_databases() -> Vec<String> {
    server()
        .psql_in(
            "postgres",
            "SELECT datname FROM pg_database WHERE datname LIKE 'pgdiff_shadow_%'",
        )
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("pgdiff_shadow_"))
        .map(String::from)
        .collect()
}

/// A deterministic permutation of 0..n from `seed`.
fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    for i in (1..n).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.swap(i, (x % (i as u64 + 1)) as usize);
    }
    v
}

#[test]
fn shuffled_files_load_to_the_same_model() {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/smoke_all_kinds/to.sql"),
    )
    .unwrap();
    let stmts: Vec<&str> = pg_query::split_with_parser(&sql).unwrap();
    let reference = load_dir(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cases/smoke_all_kinds/to.sql")
            .as_path(),
    )
    .unwrap();
    for seed in 1..=4 {
        let dir = tempfile::tempdir().unwrap();
        let order = permutation(stmts.len(), seed);
        for (file_no, &i) in order.iter().enumerate() {
            // Some statements go into a subdirectory: reading is recursive.
            let sub = if file_no % 3 == 0 {
                dir.path().join("sub")
            } else {
                dir.path().to_path_buf()
            };
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(
                sub.join(format!("{file_no:03}.sql")),
                format!("{};\n", stmts[i]),
            )
            .unwrap();
        }
        let model = load_dir(dir.path()).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(model, reference, "seed {seed} loads to a different model");
    }
    assert!(
        shadow_databases().is_empty(),
        "shadow databases left behind"
    );
}

#[test]
fn a_failing_statement_is_located_and_leaves_no_shadow_database() {
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("10_tables.sql"),
        "CREATE TABLE public.a (id int PRIMARY KEY);\n\nCREATE TABLE public.b (\n    id int,\n    a_id int REFERENCES public.a (nope)\n);\nCREATE TABLE public.c (id int);\n",
    )
    .unwrap();
    let err = load_dir(dir.path()).unwrap_err();
    assert!(err.contains("10_tables.sql:3:"), "{err}");
    assert!(
        err.contains("column \"nope\" referenced in foreign key constraint does not exist"),
        "{err}"
    );
    assert_no_shadow_databases();
}

#[test]
fn materialized_views_load_unpopulated_and_their_errors_keep_their_position() {
    // The shadow creates materialized views WITH NO DATA: one on another, with a unique
    // index and a view on it, loads (a populated one on an unpopulated one would not).
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("10_mv.sql"),
        "CREATE TABLE public.t (id int PRIMARY KEY, v int);\n\
         CREATE MATERIALIZED VIEW public.m1 AS\n  SELECT id, sum(v) AS total FROM public.t GROUP BY id\n  WITH DATA;\n\
         CREATE UNIQUE INDEX m1_id ON public.m1 (id);\n\
         CREATE MATERIALIZED VIEW public.m2 AS SELECT id, total * 2 AS twice FROM public.m1;\n\
         CREATE VIEW public.v AS SELECT id, twice FROM public.m2;\n",
    )
    .unwrap();
    let model = load_dir(dir.path()).unwrap();
    let q = |n: &str| pgdiff::model::QualName::new("public", n);
    for mv in ["m1", "m2"] {
        assert!(model.views[&q(mv)].materialized, "{mv}");
    }
    assert!(model.indexes.contains_key(&q("m1_id")));
    assert!(model.views.contains_key(&q("v")));
    // An error in one is reported where it is in its file, as for any statement.
    std::fs::write(
        dir.path().join("20_bad.sql"),
        "CREATE MATERIALIZED VIEW public.m3 AS\n  SELECT id,\n         nope\n    FROM public.t;\n",
    )
    .unwrap();
    let err = load_dir(dir.path()).unwrap_err();
    assert!(err.contains("20_bad.sql:3:10:"), "{err}");
    assert!(err.contains("column \"nope\" does not exist"), "{err}");
    assert_no_shadow_databases();
}

#[test]
fn check_reports_every_rejected_statement_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("20_contacts.sql"),
        "CREATE TABLE public.contacts (id int);\n\
         INSERT INTO public.contacts VALUES (1);\n\
         CREATE TABEL public.x (id int);\n\
         BEGIN;\n\
         DROP TABLE public.contacts;\n\
         DO $$ BEGIN END $$;\n\
         COPY public.contacts FROM stdin;\n\
         TRUNCATE public.contacts;\n\
         UPDATE public.contacts SET id = 2;\n\
         DELETE FROM public.contacts;\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("30_meta.sql"), "\\set x 1\n").unwrap();
    let out = assert_cmd::Command::cargo_bin("pgdiff")
        .unwrap()
        .args(["check", "--desired"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let f = dir.path().join("20_contacts.sql").display().to_string();
    for (line_col, what) in [
        ("2:1", "DML"),
        ("3:8", "syntax error at or near \"TABEL\""),
        ("4:1", "transaction control"),
        ("5:1", "DROP"),
        ("6:1", "a DO block"),
        ("7:1", "COPY"),
        ("8:1", "TRUNCATE"),
        ("9:1", "DML"),
        ("10:1", "DML"),
    ] {
        let needle = format!("{f}:{line_col}: {what}");
        assert!(err.contains(&needle), "missing {needle:?} in:\n{err}");
    }
    let meta = format!(
        "{}:1:1: psql meta-command \\set",
        dir.path().join("30_meta.sql").display()
    );
    assert!(err.contains(&meta), "missing {meta:?} in:\n{err}");
    assert!(err.contains("10 errors in the desired SQL"), "{err}");
}

/// When a killed run is caught: before the server accepts connections (while `initdb`
/// builds the cluster, whose standalone backends hold the lock file then, or while the
/// server starts), or once it accepts connections.
#[derive(Clone, Copy, Debug)]
enum KilledAt {
    Initdb,
    Load,
}

/// Starts `pgdiff inspect --desired` with a cluster under a fresh directory, kills it at
/// `when` without a chance to clean up, then runs it again: the second run must remove the
/// stale cluster (stopping whatever still runs in it) and its own, leaving no directory and
/// no process behind.
fn killed_run_is_cleaned_up_by_the_next(when: KilledAt) {
    let tmp = tempfile::tempdir().unwrap();
    // The cluster's directory must be reachable by the unprivileged server user.
    std::fs::set_permissions(
        tmp.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o777),
    )
    .unwrap();
    let desired = tempfile::tempdir().unwrap();
    let mut sql = String::new();
    for i in 0..400 {
        sql.push_str(&format!(
            "CREATE TABLE public.t{i} (id int PRIMARY KEY, v text);\n"
        ));
    }
    std::fs::write(desired.path().join("big.sql"), &sql).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("pgdiff");
    let mut child = std::process::Command::new(&bin)
        .args(["inspect", "--desired"])
        .arg(desired.path())
        .env("PGDIFF_CLUSTER_DIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let cluster_dirs = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("pgdiff-cluster-")
            })
            .collect()
    };
    // The server's socket lives in the cluster's directory; initdb never makes one.
    let has_socket = |d: &std::path::PathBuf| {
        std::fs::read_dir(d).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with(".s.PGSQL."))
        })
    };
    let reached = || {
        cluster_dirs().iter().any(|d| match when {
            KilledAt::Initdb => d.join("data/PG_VERSION").exists() && !has_socket(d),
            KilledAt::Load => has_socket(d),
        })
    };
    while !reached() {
        assert!(
            std::time::Instant::now() < deadline,
            "the run never reached {when:?}"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before {when:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(
            if matches!(when, KilledAt::Initdb) {
                2
            } else {
                50
            },
        ));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        !cluster_dirs().is_empty(),
        "the killed run should have left its cluster"
    );
    std::fs::write(
        desired.path().join("big.sql"),
        "CREATE TABLE public.t (id int);\n",
    )
    .unwrap();
    let status = std::process::Command::new(&bin)
        .args(["inspect", "--desired"])
        .arg(desired.path())
        .env("PGDIFF_CLUSTER_DIR", tmp.path())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        cluster_dirs().is_empty(),
        "killed at {when:?}, left behind: {:?}",
        cluster_dirs()
    );
    // initdb and pg_ctl name the directory on their command line; every postgres process,
    // standalone backends included, works in its data directory.
    let ps = std::process::Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .unwrap();
    let tmp_str = tmp.path().display().to_string();
    let tmp_real = std::fs::canonicalize(tmp.path()).unwrap();
    let working_there = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_link(e.path().join("cwd")).ok())
        .filter(|cwd| cwd.starts_with(&tmp_real))
        .count();
    assert!(
        !String::from_utf8_lossy(&ps.stdout)
            .lines()
            .any(|l| l.contains(&tmp_str))
            && working_there == 0,
        "killed at {when:?}, a process of the killed run still runs"
    );
}

#[test]
fn killed_during_initdb_leaves_nothing_behind_after_the_next_run() {
    killed_run_is_cleaned_up_by_the_next(KilledAt::Initdb);
}

#[test]
fn killed_during_a_load_leaves_nothing_behind_after_the_next_run() {
    killed_run_is_cleaned_up_by_the_next(KilledAt::Load);
}

/// SQL whose outcome depends on statement order in many ways: enum values added before and
/// after others, views taken before and after a column is added, unnamed indexes and checks
/// whose generated names depend on what exists, two comments on one object; plus many
/// independent tables so that the concurrent load has parallel work.
fn order_sensitive_sql() -> String {
    let mut sql = String::from(
        "CREATE SCHEMA app;\n\
         CREATE TYPE app.mood AS ENUM ('sad', 'ok');\n\
         ALTER TYPE app.mood ADD VALUE 'happy';\n\
         ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';\n\
         CREATE TABLE app.a (id int PRIMARY KEY, m app.mood);\n\
         CREATE VIEW app.v AS SELECT * FROM app.a;\n\
         ALTER TABLE app.a ADD COLUMN note text;\n\
         CREATE VIEW app.w AS SELECT * FROM app.a;\n\
         CREATE INDEX ON app.a (note);\n\
         CREATE INDEX ON app.a (note, id);\n\
         CREATE INDEX ON app.a (note);\n\
         COMMENT ON TABLE app.a IS 'first';\n\
         COMMENT ON TABLE app.a IS 'second';\n\
         CREATE TABLE app.b (id serial PRIMARY KEY, a_id int REFERENCES app.a);\n\
         ALTER TABLE app.b ADD CHECK (id > 0);\n\
         ALTER TABLE app.b ADD CHECK (id > 1);\n",
    );
    for i in 0..60 {
        sql.push_str(&format!(
            "CREATE TABLE app.t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
             a_id int NOT NULL REFERENCES app.a, b_id int REFERENCES app.b, v text);\n\
             CREATE INDEX ON app.t{i} (a_id, v);\n\
             COMMENT ON TABLE app.t{i} IS 'table {i}';\n\
             CREATE VIEW app.t{i}_v AS SELECT id, v FROM app.t{i} WHERE v <> '';\n"
        ));
    }
    sql
}

#[test]
fn concurrent_load_gives_the_serial_outcome() {
    use pgdiff::catalog::Filter;
    use pgdiff::source::{LoadMode, Shadow};
    let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.sql"), order_sensitive_sql()).unwrap();
    let (files, stmts) = pgdiff::source::prepare(dir.path()).unwrap();
    let shadow = Shadow::server(&server().conninfo("postgres")).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let load = |jobs| {
        rt.block_on(shadow.load_with(files.clone(), stmts.clone(), &Filter::default(), jobs))
            .unwrap()
    };
    let (serial, mode) = load(1);
    assert_eq!(mode, LoadMode::Serial);
    let s = &serial.schema;
    // The serial outcome is the order-sensitive one.
    let q = |n: &str| pgdiff::model::QualName::new("app", n);
    assert_eq!(s.enums[&q("mood")].labels, ["sad", "meh", "ok", "happy"]);
    let cols = |v: &str| -> Vec<String> {
        s.views[&q(v)]
            .columns
            .iter()
            .map(|c| c.name.to_string())
            .collect()
    };
    assert_eq!(cols("v"), ["id", "m"]);
    assert_eq!(cols("w"), ["id", "m", "note"]);
    for name in ["a_note_idx", "a_note_id_idx", "a_note_idx1"] {
        assert!(s.indexes.contains_key(&q(name)), "index {name} missing");
    }
    assert_eq!(s.tables[&q("a")].comment.as_deref(), Some("second"));
    let checks: Vec<&pgdiff::model::Name> = s.tables[&q("b")].constraints.keys().collect();
    assert!(
        checks.iter().any(|c| *c == "b_id_check") && checks.iter().any(|c| *c == "b_id_check1"),
        "{checks:?}"
    );
    // Loaded concurrently, several times (a race would show as a difference), the model is
    // the same, dependencies included.
    for _ in 0..3 {
        let (concurrent, mode) = load(4);
        assert_eq!(
            mode,
            LoadMode::Concurrent(4),
            "fell back to the serial load"
        );
        if concurrent.schema != serial.schema {
            panic!(
                "concurrent load differs: {:?}",
                pgdiff::verify::first_difference(&concurrent.schema, &serial.schema)
            );
        }
        assert_eq!(concurrent.schema.depends, serial.schema.depends);
    }
    assert!(shadow_databases().is_empty(), "{:?}", shadow_databases());
}
