//! `pgdiff apply` against real Postgres: every test runs the binary and then checks the
//! database itself — convergence (re-planning is empty), the advisory lock between two
//! applies, lock timeouts with retries, a backend terminated mid-apply, saved plans on a
//! changed schema, hazard gates, invalid indexes from failed concurrent builds, and one-line
//! errors for bad inputs.

mod common;

use assert_cmd::Command;
use common::*;
use pgdiff::plan::{self, PlanOptions};
use pgdiff::testing::{TestDb, server};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The result of one run of the binary.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn pgdiff_cmd(args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("pgdiff"));
    c.args(args)
        .env_remove("DATABASE_URL")
        .env_remove("PGDIFF_SHADOW_URL")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null());
    c
}

fn finish(out: std::process::Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `pgdiff` to completion (stdin not a terminal).
fn pgdiff(args: &[&str]) -> Run {
    let out = Command::cargo_bin("pgdiff")
        .expect("the pgdiff binary")
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("PGDIFF_SHADOW_URL")
        .env("NO_COLOR", "1")
        .output()
        .expect("running pgdiff");
    finish(out)
}

/// The shadow server for planning: the test server itself.
fn shadow() -> String {
    server().conninfo("postgres")
}

/// A temporary directory with `name` holding `sql`.
fn write_file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A database loaded with `sql`.
fn db_with(label: &str, sql: &str) -> TestDb {
    let db = server().create_db(label);
    db.psql(sql).unwrap();
    db
}

/// One value from a query, by psql.
fn psql_value(db: &TestDb, sql: &str) -> String {
    let out = std::process::Command::new(server().binaries().client("psql"))
        .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d"])
        .arg(db.conninfo())
        .args(["-c", sql])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn table_exists(db: &TestDb, name: &str) -> bool {
    psql_value(db, &format!("SELECT to_regclass('{name}') IS NOT NULL")) == "t"
}

fn column_exists(db: &TestDb, table: &str, column: &str) -> bool {
    psql_value(
        db,
        &format!(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = '{table}'::regclass \
             AND attname = '{column}' AND NOT attisdropped"
        ),
    ) == "1"
}

/// Asserts that planning from `db` to `desired` is empty.
fn assert_converged(db: &TestDb, desired: &pgdiff::model::Schema) {
    let again = plan::plan(&inspect(db), desired, &PlanOptions::default()).unwrap();
    assert!(
        again.is_empty(),
        "re-planning {} is not empty:\n{}",
        db.name,
        pgdiff::render::sql(&again.steps, "re-plan")
    );
}

/// A session of the test itself (not pgdiff), with its own application_name.
fn session(db: &TestDb, app: &str) -> (tokio::runtime::Runtime, tokio_postgres::Client) {
    let rt = rt();
    let conninfo = format!("{} application_name={app}", db.conninfo());
    let client = rt.block_on(async {
        let (c, conn) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls)
            .await
            .expect("test session");
        tokio::spawn(async move {
            let _ = conn.await;
        });
        c
    });
    (rt, client)
}

/// Writes a JSON plan from `db` to `desired` (a file or database) with `pgdiff plan`.
fn save_plan(db: &TestDb, desired: &str, out: &Path) {
    let r = pgdiff(&[
        "plan",
        "--database",
        &db.conninfo(),
        "--desired",
        desired,
        "--format",
        "json",
        "--out",
        s(out),
        "--shadow",
        &shadow(),
        "--no-verify",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
}

/// `apply --desired` with confirmation skipped and the test server as shadow.
fn apply_desired(db: &TestDb, desired: &str, extra: &[&str]) -> Run {
    let conninfo = db.conninfo();
    let shadow = shadow();
    let mut args = vec![
        "apply",
        "--database",
        &conninfo,
        "--desired",
        desired,
        "--yes",
        "--shadow",
        &shadow,
    ];
    args.extend_from_slice(extra);
    pgdiff(&args)
}

fn apply_plan(db: &TestDb, plan: &Path, extra: &[&str]) -> Run {
    let conninfo = db.conninfo();
    let mut args = vec!["apply", "--database", &conninfo, "--plan", s(plan), "--yes"];
    args.extend_from_slice(extra);
    pgdiff(&args)
}

const REPRESENTATIVE: &[&str] = &[
    "cases/smoke_all_kinds",
    "cases/table_create_all_kinds",
    "cases/column_type_int_to_bigint",
    "cases/enum_add_value_middle",
    "cases/index_change",
    "cases/view_chain_column_type",
    "cases/fk_cycle",
    "cases/mixed_many_changes",
];

#[test]
fn applying_converges_for_representative_cases() {
    let cases: Vec<Case> = own_cases()
        .into_iter()
        .filter(|c| REPRESENTATIVE.contains(&c.name.as_str()))
        .collect();
    assert!(cases.len() >= 3, "representative cases missing: {cases:?}");
    let results = par_map(&cases, 2, |case| {
        let a = load(case, &case.current_sql(), "ap_a").map_err(|e| format!("from.sql: {e}"))?;
        let t = load(case, &case.desired_sql(), "ap_t").map_err(|e| format!("to.sql: {e}"))?;
        let desired = inspect(&t);
        // Alternate the two ways in: planning from desired SQL, and a saved plan.
        let saved = REPRESENTATIVE.iter().position(|n| *n == case.name).unwrap() % 2 == 1;
        let r = if saved {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("plan.json");
            save_plan(&a, s(&case.desired_sql()), &file);
            apply_plan(&a, &file, &["--allow-destructive"])
        } else {
            apply_desired(&a, s(&case.desired_sql()), &["--allow-destructive"])
        };
        if r.code != 0 {
            return Err(format!("apply failed: {r:?}"));
        }
        if !r.stderr.contains("matches the target schema") {
            return Err(format!("no verification message: {r:?}"));
        }
        let again = plan::plan(&inspect(&a), &desired, &PlanOptions::default()).unwrap();
        if !again.is_empty() {
            return Err(format!(
                "re-plan not empty:\n{}",
                pgdiff::render::sql(&again.steps, "re-plan")
            ));
        }
        if a.dump() != t.dump() {
            return Err("the dump differs from to.sql's".into());
        }
        Ok(saved)
    });
    let mut failures = Vec::new();
    for (c, r) in cases.iter().zip(&results) {
        match r {
            Ok(saved) => eprintln!(
                "{}: converged ({})",
                c.name,
                if *saved { "--plan" } else { "--desired" }
            ),
            Err(e) => failures.push(format!("{}: {e}", c.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn online_apply_builds_concurrently_validates_separately_and_converges() {
    let dir = tempfile::tempdir().unwrap();
    let from = "CREATE TABLE p (id int PRIMARY KEY); INSERT INTO p SELECT generate_series(1, 100);
                CREATE TABLE t (id int, p_id int, email text);
                INSERT INTO t SELECT i, i, 'x' || i FROM generate_series(1, 100) i;";
    let to = "CREATE TABLE public.p (id int PRIMARY KEY);
              CREATE TABLE public.t (id int, p_id int REFERENCES public.p (id), email text CHECK (email <> ''));
              CREATE INDEX t_email_idx ON public.t (email);";
    let db = db_with("ap_online", from);
    let desired = write_file(&dir, "to.sql", to);
    let r = apply_desired(&db, s(&desired), &["--online"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr
            .contains("create index:public.t_email_idx (outside a transaction)"),
        "{r:?}"
    );
    assert!(r.stderr.contains("committed"), "{r:?}");
    assert_eq!(
        psql_value(
            &db,
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_email_idx'::regclass"
        ),
        "t"
    );
    assert_eq!(
        psql_value(
            &db,
            "SELECT bool_and(convalidated) FROM pg_constraint WHERE conrelid = 't'::regclass"
        ),
        "t"
    );
    let t = db_with("ap_online_t", to);
    assert_converged(&db, &inspect(&t));
}

#[test]
fn a_second_apply_waits_for_the_lock_and_fails_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with("ap_lock", "CREATE TABLE t (id int);");
    let desired = write_file(
        &dir,
        "to.sql",
        "CREATE TABLE public.t (id int); CREATE TABLE public.n (id int);",
    );
    let (rt, holder) = session(&db, "lock-holder-test");
    let pid: i32 = rt.block_on(async {
        let key = pgdiff::apply::lock::LOCK_KEY;
        let row = holder
            .query_one("SELECT pg_try_advisory_lock($1), pg_backend_pid()", &[&key])
            .await
            .unwrap();
        assert!(row.get::<_, bool>(0));
        row.get(1)
    });

    let started = Instant::now();
    let r = apply_desired(&db, s(&desired), &["--lock-wait", "1s"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(started.elapsed() >= Duration::from_secs(1), "did not wait");
    let last = r.stderr.lines().last().unwrap();
    assert!(
        last.starts_with("error: another apply holds the pgdiff lock"),
        "{r:?}"
    );
    assert!(last.contains(&format!("pid {pid}")), "{r:?}");
    assert!(last.contains("lock-holder-test"), "{r:?}");
    assert!(
        !table_exists(&db, "public.n"),
        "changed the schema without the lock"
    );

    // A second apply waits; the lock is released meanwhile; it then runs.
    let child = pgdiff_cmd(&[
        "apply",
        "--database",
        &db.conninfo(),
        "--desired",
        s(&desired),
        "--yes",
        "--shadow",
        &shadow(),
        "--lock-wait",
        "60s",
    ])
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        !table_exists(&db, "public.n"),
        "ran while the lock was held"
    );
    rt.block_on(async {
        holder
            .execute(
                "SELECT pg_advisory_unlock($1)",
                &[&pgdiff::apply::lock::LOCK_KEY],
            )
            .await
            .unwrap();
    });
    let r = finish(child.wait_with_output().unwrap());
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("waiting up to"), "{r:?}");
    assert!(r.stderr.contains("lock-holder-test"), "{r:?}");
    assert!(table_exists(&db, "public.n"));
}

#[test]
fn two_applies_at_once_exactly_one_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with("ap_two", "CREATE TABLE t (id int);");
    let desired = write_file(
        &dir,
        "to.sql",
        "CREATE TABLE public.t (id int, c text); CREATE TABLE public.n (id int);",
    );
    let file = dir.path().join("plan.json");
    save_plan(&db, s(&desired), &file);
    // Make the run long enough to overlap: a step that sleeps.
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    plan["steps"][0]["sql"]
        .as_array_mut()
        .unwrap()
        .push("SELECT pg_sleep(3);".into());
    let slow = write_file(&dir, "slow.json", &plan.to_string());
    let spawn = || {
        pgdiff_cmd(&[
            "apply",
            "--database",
            &db.conninfo(),
            "--plan",
            s(&slow),
            "--yes",
            "--lock-wait",
            "500ms",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let runs = [
        finish(a.wait_with_output().unwrap()),
        finish(b.wait_with_output().unwrap()),
    ];
    let ok: Vec<&Run> = runs.iter().filter(|r| r.code == 0).collect();
    let refused: Vec<&Run> = runs.iter().filter(|r| r.code != 0).collect();
    assert_eq!((ok.len(), refused.len()), (1, 1), "{runs:?}");
    let last = refused[0].stderr.lines().last().unwrap();
    assert!(
        last.contains("another apply holds the pgdiff lock"),
        "{runs:?}"
    );
    assert!(last.contains("application_name \"pgdiff\""), "{runs:?}");
    assert!(
        !refused[0].stderr.contains("[1/"),
        "the refused run executed steps: {runs:?}"
    );
    assert!(table_exists(&db, "public.n") && column_exists(&db, "t", "c"));
    let t = db_with("ap_two_t", &std::fs::read_to_string(&desired).unwrap());
    assert_converged(&db, &inspect(&t));
    // Once applied, the same plan again is recognised and changes nothing.
    let r = apply_plan(&db, &file, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("already been applied"), "{r:?}");
}

#[test]
fn a_lock_timeout_is_retried_then_fails_leaving_nothing_of_the_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with("ap_locked", "CREATE TABLE t (id int);");
    let desired = write_file(
        &dir,
        "to.sql",
        "CREATE TABLE public.t (id int, c text); CREATE TABLE public.n (id int);",
    );
    let (rt, other) = session(&db, "long-transaction");
    rt.block_on(async {
        other
            .batch_execute("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE;")
            .await
            .unwrap();
    });
    let r = apply_desired(
        &db,
        s(&desired),
        &["--lock-timeout", "200ms", "--retries", "2", "--no-verify"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr
            .matches("transaction rolled back, retrying")
            .count(),
        2,
        "{r:?}"
    );
    let last = r.stderr.lines().last().unwrap();
    assert!(last.contains("after 3 tries"), "{r:?}");
    assert!(last.contains("nothing was committed"), "{r:?}");
    assert!(
        r.stderr
            .contains("nothing was committed: the database is as it was before"),
        "{r:?}"
    );
    // The transaction that timed out also created table n before reaching t: gone with it.
    assert!(!table_exists(&db, "public.n"));
    assert!(!column_exists(&db, "t", "c"));
    rt.block_on(async { other.batch_execute("ROLLBACK").await.unwrap() });
    let r = apply_desired(&db, s(&desired), &["--lock-timeout", "200ms"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(table_exists(&db, "public.n") && column_exists(&db, "t", "c"));
}

#[test]
fn a_backend_terminated_mid_apply_rolls_back_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with("ap_kill", "CREATE TABLE t (id int);");
    let to = "CREATE TABLE public.t (id int, c text); CREATE TABLE public.n (id int); CREATE VIEW public.v AS SELECT id FROM public.n;";
    let desired = write_file(&dir, "to.sql", to);
    let file = dir.path().join("plan.json");
    save_plan(&db, s(&desired), &file);
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let steps = plan["steps"].as_array_mut().unwrap();
    assert!(steps.iter().all(|s| s["transactional"] == true));
    let last = steps.len() - 1;
    steps[last]["sql"]
        .as_array_mut()
        .unwrap()
        .push("SELECT pg_sleep(60);".into());
    let slow = write_file(&dir, "slow.json", &plan.to_string());
    let child = pgdiff_cmd(&[
        "apply",
        "--database",
        &db.conninfo(),
        "--plan",
        s(&slow),
        "--yes",
    ])
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let (rt, admin) = session(&db, "terminator");
    let deadline = Instant::now() + Duration::from_secs(30);
    let terminated = loop {
        let n: i64 = rt.block_on(async {
            admin
                .query_one(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                      WHERE application_name = 'pgdiff' AND query LIKE 'SELECT pg_sleep(60)%' \
                        AND state = 'active' AND datname = current_database()",
                    &[],
                )
                .await
                .unwrap()
                .get(0)
        });
        if n > 0 || Instant::now() > deadline {
            break n;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(terminated, 1, "the sleeping step was never seen");
    let r = finish(child.wait_with_output().unwrap());
    assert_eq!(r.code, 1, "{r:?}");
    let last = r.stderr.lines().last().unwrap();
    assert!(last.contains("connection to the server was lost"), "{r:?}");
    assert!(last.contains("rolled back"), "{r:?}");
    assert!(last.contains("nothing was committed"), "{r:?}");
    assert!(!table_exists(&db, "public.n") && !column_exists(&db, "t", "c"));
    // The database is unchanged, so the original plan still applies.
    let r = apply_plan(&db, &file, &[]);
    assert_eq!(r.code, 0, "{r:?}");
    let t = db_with("ap_kill_t", to);
    assert_converged(&db, &inspect(&t));
}

#[test]
fn a_saved_plan_is_refused_once_the_schema_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with("ap_stale", "CREATE TABLE t (id int);");
    let desired = write_file(
        &dir,
        "to.sql",
        "CREATE TABLE public.t (id int); CREATE TABLE public.n (id int);",
    );
    let file = dir.path().join("plan.json");
    save_plan(&db, s(&desired), &file);
    db.psql("ALTER TABLE t ADD COLUMN z int").unwrap();
    let before = db.dump();
    let r = apply_plan(&db, &file, &[]);
    assert_eq!(r.code, 1, "{r:?}");
    let last = r.stderr.lines().last().unwrap();
    assert!(last.contains("changed since the plan"), "{r:?}");
    assert!(last.contains("pgdiff plan --format json"), "{r:?}");
    assert_eq!(db.dump(), before);
    assert!(!table_exists(&db, "public.n"));
}

#[test]
fn a_destructive_plan_is_refused_with_exit_3_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let from = "CREATE TABLE keep (id int, old text); CREATE TABLE gone (id int);
                INSERT INTO keep VALUES (1, 'precious'); INSERT INTO gone VALUES (1);";
    let to = "CREATE TABLE public.keep (id int);";
    let db = db_with("ap_destroy", from);
    let desired = write_file(&dir, "to.sql", to);
    let before = db.dump();
    let r = apply_desired(&db, s(&desired), &[]);
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("drop") && r.stderr.contains("column:public.keep.old (data_loss)"),
        "{r:?}"
    );
    assert!(r.stderr.contains("table:public.gone (data_loss)"), "{r:?}");
    assert!(
        r.stderr
            .lines()
            .last()
            .unwrap()
            .contains("--allow-destructive"),
        "{r:?}"
    );
    assert_eq!(db.dump(), before);
    // The same through a saved plan, and through a dry run.
    let file = dir.path().join("plan.json");
    save_plan(&db, s(&desired), &file);
    assert_eq!(apply_plan(&db, &file, &[]).code, 3);
    assert_eq!(apply_plan(&db, &file, &["--dry-run"]).code, 3);
    // Allowing another kind does not help; allowing data_loss does.
    assert_eq!(
        apply_plan(&db, &file, &["--allow-hazards", "table_rewrite"]).code,
        3
    );
    assert_eq!(db.dump(), before);
    assert_eq!(psql_value(&db, "SELECT old FROM keep"), "precious");
    let r = apply_plan(&db, &file, &["--allow-hazards", "index_build,data_loss"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(!table_exists(&db, "public.gone") && !column_exists(&db, "keep", "old"));
}

#[test]
fn dry_run_and_missing_confirmation_execute_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with("ap_dry", "CREATE TABLE t (id int);");
    let desired = write_file(
        &dir,
        "to.sql",
        "CREATE TABLE public.t (id int); CREATE TABLE public.n (id int);",
    );
    let before = db.dump();
    let r = apply_desired(&db, s(&desired), &["--dry-run"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("CREATE TABLE \"public\".\"n\""), "{r:?}");
    assert!(r.stderr.contains("dry run: nothing was executed"), "{r:?}");
    assert_eq!(db.dump(), before);
    let r = pgdiff(&[
        "apply",
        "--database",
        &db.conninfo(),
        "--desired",
        s(&desired),
        "--shadow",
        &shadow(),
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{r:?}");
    assert!(r.stderr.contains("pass --yes"), "{r:?}");
    assert_eq!(db.dump(), before);
}

#[test]
fn a_failed_concurrent_build_reports_the_committed_part_and_is_rebuilt_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with(
        "ap_invalid",
        "CREATE TABLE t (v int); INSERT INTO t VALUES (1), (1), (2);",
    );
    let to = "CREATE TABLE public.t (v int); CREATE UNIQUE INDEX t_v_key ON public.t (v); CREATE TABLE public.a (id int);";
    let desired = write_file(&dir, "to.sql", to);
    let r = apply_desired(&db, s(&desired), &["--online", "--no-verify"]);
    assert_eq!(r.code, 1, "{r:?}");
    // Table a committed in the first transaction; the concurrent build then failed.
    assert!(
        r.stderr
            .contains("committed (1):\n    1. create table:public.a"),
        "{r:?}"
    );
    assert!(
        r.stderr
            .contains("not applied (1):\n    2. create index:public.t_v_key"),
        "{r:?}"
    );
    assert!(
        r.stderr.contains("DROP TABLE \"public\".\"a\""),
        "rollback missing: {r:?}"
    );
    let last = r.stderr.lines().last().unwrap();
    assert!(last.contains("could not create unique index"), "{r:?}");
    assert!(
        last.contains("step 1 committed (rollback printed above)"),
        "{r:?}"
    );
    assert!(table_exists(&db, "public.a"));
    assert_eq!(
        psql_value(
            &db,
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v_key'::regclass"
        ),
        "f",
        "the failed build should leave an invalid index"
    );
    // The printed rollback undoes exactly what committed (and the invalid leftover).
    let original = db_with(
        "ap_invalid_o",
        "CREATE TABLE t (v int); INSERT INTO t VALUES (1), (1), (2);",
    );
    let start = r
        .stderr
        .find("-- pgdiff apply: rollback of the committed steps")
        .expect("rollback script");
    let end = r.stderr.rfind("\nerror: ").unwrap();
    let rollback = write_file(&dir, "rollback.sql", &r.stderr[start..end]);
    db.psql_file(&rollback).unwrap();
    assert_eq!(db.dump(), original.dump());
    // Fixed data, rerun: everything is applied.
    db.psql("DELETE FROM t WHERE v = 1").unwrap();
    let r = apply_desired(&db, s(&desired), &["--online"]);
    assert_eq!(r.code, 0, "{r:?}");
    // Another failed build; the next apply finds the invalid index, drops it and builds it
    // again.
    db.psql("DROP INDEX t_v_key; INSERT INTO t VALUES (2);")
        .unwrap();
    let r = apply_desired(&db, s(&desired), &["--online"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("nothing was committed"), "{r:?}");
    db.psql("DELETE FROM t WHERE v = 2").unwrap();
    let r = apply_desired(&db, s(&desired), &["--online"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stderr.contains("invalid index public.t_v_key on public.t (left by a failed concurrent build) will be dropped and built again"),
        "{r:?}"
    );
    assert_eq!(
        psql_value(
            &db,
            "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v_key'::regclass"
        ),
        "t"
    );
    let t = db_with("ap_invalid_t", to);
    assert_converged(&db, &inspect(&t));
}

/// Asserts a one-line error (`error: ...` and nothing else on stderr) and a non-zero exit.
fn assert_one_line_error(r: &Run, needles: &[&str]) {
    assert_ne!(r.code, 0, "{r:?}");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {r:?}");
    assert!(lines[0].starts_with("error: "), "{r:?}");
    for n in needles {
        assert!(lines[0].contains(n), "missing {n:?}: {r:?}");
    }
}

/// Requires a password for `role` (scram) through a line at the top of pg_hba.conf; the test
/// cluster trusts everyone else.
fn require_password(db: &TestDb, role: &str) {
    let hba = psql_value(db, "SHOW hba_file");
    let old = std::fs::read_to_string(&hba).unwrap();
    let line = format!("local all {role} scram-sha-256\n");
    if !old.starts_with(&line) {
        std::fs::write(&hba, format!("{line}{old}")).unwrap();
    }
    db.psql(&format!(
        "DO $$ BEGIN CREATE ROLE {role} LOGIN PASSWORD 'right-password'; \
         EXCEPTION WHEN duplicate_object THEN NULL; END $$; SELECT pg_reload_conf();"
    ))
    .unwrap();
}

#[test]
fn bad_inputs_give_one_line_actionable_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_with("ap_bad", "CREATE TABLE t (id int);");
    let desired = write_file(
        &dir,
        "to.sql",
        "CREATE TABLE public.t (id int); CREATE TABLE public.n (id int);",
    );
    let desired = s(&desired);
    let apply_to = |conninfo: &str| {
        pgdiff(&[
            "apply",
            "--database",
            conninfo,
            "--desired",
            desired,
            "--yes",
        ])
    };

    let r = apply_to("host=127.0.0.1 port=1 user=postgres dbname=x connect_timeout=3");
    assert_one_line_error(
        &r,
        &[
            "cannot connect to postgres@127.0.0.1:1/x",
            "is the server running",
        ],
    );

    require_password(&db, "pgdiff_pw_user");
    let wrong = format!(
        "{} user=pgdiff_pw_user password=wrong-password",
        db.conninfo().replace("user=postgres", "")
    );
    // pg_reload_conf() signals the postmaster; give it a moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    let r = loop {
        let r = apply_to(&wrong);
        if r.stderr.contains("password") || Instant::now() > deadline {
            break r;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_one_line_error(
        &r,
        &["password authentication failed", "check the password"],
    );
    assert!(
        !r.stderr.contains("wrong-password"),
        "password printed: {r:?}"
    );

    let r = apply_to(&db.conninfo().replace("user=postgres", "user=no_such_role"));
    assert_one_line_error(&r, &["no_such_role", "does not exist"]);

    let r = apply_to(&db.conninfo().replace(&db.name, "no_such_database"));
    assert_one_line_error(
        &r,
        &[
            "no_such_database",
            "create the database or fix the database name",
        ],
    );

    let apply_file = |p: &Path| {
        pgdiff(&[
            "apply",
            "--database",
            &db.conninfo(),
            "--plan",
            s(p),
            "--yes",
        ])
    };
    let malformed = write_file(&dir, "broken.json", "{\"format_version\": 1, \"steps\": [");
    assert_one_line_error(
        &apply_file(&malformed),
        &["is not a pgdiff JSON plan", "pgdiff plan --format json"],
    );
    let not_a_plan = write_file(&dir, "other.json", "{\"hello\": \"world\"}");
    assert_one_line_error(&apply_file(&not_a_plan), &["no format_version"]);

    let file = dir.path().join("plan.json");
    save_plan(&db, desired, &file);
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    plan["format_version"] = 2.into();
    let future = write_file(&dir, "future.json", &plan.to_string());
    assert_one_line_error(
        &apply_file(&future),
        &["format version 2", "applies version 1 only"],
    );
    assert_one_line_error(
        &apply_file(&dir.path().join("missing.json")),
        &["reading the plan file"],
    );

    assert!(
        !table_exists(&db, "public.n"),
        "a bad input changed the database"
    );
}
