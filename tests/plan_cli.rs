//! `pgdiff plan` end to end through the binary: renames from annotations keep data, exit
//! codes, output formats, determinism, and snapshots of the human and SQL renderings.

mod common;

use assert_cmd::Command;
use pgdiff::testing::{TestDb, server};
use std::path::Path;

fn pgdiff() -> Command {
    let mut c = Command::cargo_bin("pgdiff").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn shadow() -> String {
    server().conninfo("postgres")
}

fn plan(db: &TestDb, desired: &Path, extra: &[&str]) -> std::process::Output {
    pgdiff()
        .args([
            "plan",
            "--database",
            &db.conninfo(),
            "--shadow",
            &shadow(),
            "--desired",
        ])
        .arg(desired)
        .args(extra)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, sql: &str) {
    std::fs::write(dir.join(name), sql).unwrap();
}

#[test]
fn annotated_renames_keep_the_data() {
    let db = server().create_db("rename");
    db.psql(
        "CREATE TABLE public.customers (id int PRIMARY KEY, full_name text NOT NULL);\n\
         INSERT INTO public.customers VALUES (1, 'Ada'), (2, 'Grace');\n\
         CREATE INDEX customers_name ON public.customers (full_name);",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "10_clients.sql",
        "-- pgdiff:renamed-from customers\n\
         CREATE TABLE public.clients (\n\
             id int PRIMARY KEY,\n\
             -- pgdiff:renamed-from full_name\n\
             display_name text NOT NULL\n\
         );\n\
         CREATE INDEX customers_name ON public.clients (display_name);\n",
    );
    let out = plan(&db, dir.path(), &["--format", "sql"]);
    let sql = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        sql.contains("ALTER TABLE \"public\".\"customers\" RENAME TO \"clients\";"),
        "{sql}"
    );
    assert!(
        sql.contains(
            "ALTER TABLE \"public\".\"clients\" RENAME COLUMN \"full_name\" TO \"display_name\";"
        ),
        "{sql}"
    );
    assert!(!sql.contains("DROP TABLE"), "a rename must not drop: {sql}");
    db.psql(&sql).unwrap();
    let rows = db
        .psql("SELECT display_name FROM public.clients ORDER BY id")
        .unwrap();
    assert!(rows.contains("Ada") && rows.contains("Grace"), "{rows}");
    let again = plan(&db, dir.path(), &["--format", "sql", "--exit-code"]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn exit_codes_and_formats() {
    let db = server().create_db("exitcodes");
    db.psql("CREATE TABLE public.t (id int, legacy text);")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "t.sql",
        "CREATE TABLE public.t (id int, note text);\n",
    );
    let out = plan(&db, dir.path(), &["--format", "json", "--exit-code"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format_version"], 1);
    let step = |list: &str, id: &str| {
        v[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("no {list} step for {id}: {v}"))
            .clone()
    };
    assert_eq!(step("steps", "column:public.t.note")["phase"], "create");
    assert_eq!(
        step("steps", "column:public.t.legacy")["hazards"][0]["kind"],
        "data_loss"
    );
    // Rolling back the dropped column brings the column back, not its values.
    assert_eq!(
        step("rollback", "column:public.t.legacy")["restores_data"],
        false
    );
    assert_eq!(
        step("rollback", "column:public.t.note")["restores_data"],
        true
    );
    assert_eq!(v["source_fingerprint"].as_str().unwrap().len(), 64);
    // Without --exit-code a non-empty plan is still a success.
    assert_eq!(
        plan(&db, dir.path(), &["--format", "sql"]).status.code(),
        Some(0)
    );
    // Identical inputs give byte-identical plans.
    let a = plan(&db, dir.path(), &["--format", "json"]).stdout;
    let b = plan(&db, dir.path(), &["--format", "json"]).stdout;
    assert_eq!(a, b);
    // --out and --rollback-out write files.
    let out_file = dir.path().join("plan.sql");
    let rb_file = dir.path().join("rollback.sql");
    let out = plan(
        &db,
        dir.path(),
        &[
            "--out",
            out_file.to_str().unwrap(),
            "--rollback-out",
            rb_file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(&out_file)
            .unwrap()
            .contains("ADD COLUMN \"note\" text")
    );
    assert!(
        std::fs::read_to_string(&rb_file)
            .unwrap()
            .contains("DROP COLUMN \"note\"")
    );
}

#[test]
fn bad_desired_sql_is_an_error_with_its_location() {
    let db = server().create_db("badsql");
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "20_contacts.sql",
        "CREATE TABLE public.a (id int);\nCREATE TABEL public.b (id int);\n",
    );
    let out = plan(&db, dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("20_contacts.sql:2:8: syntax error at or near \"TABEL\""),
        "{err}"
    );
}

/// A representative migration rendered for people and for psql.
#[test]
fn renderings_snapshot() {
    let db = server().create_db("snap");
    db.psql(
        "CREATE TYPE public.stage AS ENUM ('lead', 'won');\n\
         CREATE TABLE public.deals (id int PRIMARY KEY, stage public.stage, amount int, legacy text);\n\
         CREATE VIEW public.open_deals AS SELECT id, amount FROM public.deals WHERE stage = 'lead';",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "deals.sql",
        "CREATE TYPE public.stage AS ENUM ('lead', 'qualified', 'won');\n\
         CREATE TABLE public.deals (id int PRIMARY KEY, stage public.stage NOT NULL DEFAULT 'lead', amount bigint CHECK (amount >= 0));\n\
         COMMENT ON TABLE public.deals IS 'Sales opportunities';\n\
         CREATE INDEX deals_stage ON public.deals (stage);\n\
         CREATE VIEW public.open_deals AS SELECT id, amount FROM public.deals WHERE stage <> 'won';\n",
    );
    let human = plan(&db, dir.path(), &["--format", "human"]);
    assert!(
        human.status.success(),
        "{}",
        String::from_utf8_lossy(&human.stderr)
    );
    // Postgres prints view bodies differently across major versions: one snapshot each.
    let major = server().major();
    insta::assert_snapshot!(
        format!("human_pg{major}"),
        String::from_utf8_lossy(&human.stdout)
    );
    let sql = plan(&db, dir.path(), &["--format", "sql"]);
    insta::assert_snapshot!(
        format!("sql_pg{major}"),
        String::from_utf8_lossy(&sql.stdout)
    );
}
