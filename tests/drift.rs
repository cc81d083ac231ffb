//! `pgdiff drift` end to end through the binary, on real PostgreSQL: in-sync output, each
//! kind of manual change in human and JSON output, unreachable and dead targets, a running
//! apply (exit 4), a role with only CONNECT, and `--ignore`.

mod common;

use assert_cmd::Command;
use pgdiff::testing::{TestDb, server};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

/// The desired schema of these tests: one of each kind the manual changes touch.
const SCHEMA: &str = "\
CREATE TYPE public.mood AS ENUM ('happy', 'sad');
CREATE TABLE public.people (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text,
    status text DEFAULT 'active',
    mood public.mood
);
COMMENT ON TABLE public.people IS 'Everyone we know';
CREATE INDEX people_name_idx ON public.people (name);
CREATE VIEW public.active_people AS SELECT id, name FROM public.people WHERE status = 'active';
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER people_touch BEFORE UPDATE ON public.people
    FOR EACH ROW EXECUTE FUNCTION public.touch();
";

fn pgdiff() -> Command {
    let mut c = Command::cargo_bin("pgdiff").unwrap();
    c.env("NO_COLOR", "1").env_remove("PGDIFF_SHADOW_URL");
    c
}

fn desired() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.sql"), SCHEMA).unwrap();
    dir
}

/// A database loaded with the desired schema, then changed by `manual` (a hand-made fix).
fn database(label: &str, manual: &str) -> TestDb {
    let db = server().create_db(label);
    db.psql(SCHEMA).unwrap();
    if !manual.is_empty() {
        db.psql(manual).unwrap();
    }
    db
}

/// Runs `pgdiff drift` on `targets` (connection strings) against `desired`.
fn drift(targets: &[String], desired: &Path, extra: &[&str]) -> Output {
    let mut c = pgdiff();
    c.arg("drift").arg("--desired").arg(desired);
    c.args(["--shadow", &server().conninfo("postgres")]);
    for t in targets {
        c.args(["--database", t]);
    }
    c.args(extra).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", text(&out.stdout), text(&out.stderr)))
}

/// The identities of the drifted objects of one JSON target.
fn ids(target: &Value) -> Vec<String> {
    target["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

/// The label drift prints for a test database (user@socket-dir:port/dbname).
fn label(db: &TestDb) -> String {
    pgdiff::conn::Target::parse(&db.conninfo())
        .unwrap()
        .to_string()
}

#[test]
fn an_in_sync_database_prints_only_its_ok_line() {
    let db = database("drift_in_sync", "");
    let dir = desired();
    let before = db.dump();
    let out = drift(&[db.conninfo()], dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{}: OK\n", label(&db)));
    assert_eq!(text(&out.stderr), "");
    // Drift reads; it never writes.
    assert_eq!(db.dump(), before);

    let out = drift(&[db.conninfo()], dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["targets"][0]["status"], "ok");
    assert_eq!(v["targets"][0]["objects"], Value::Array(vec![]));
}

/// Each kind of manual change: the SQL, the object it drifts, how.
const MANUAL_CHANGES: &[(&str, &str, &str, &str)] = &[
    (
        "extra_index",
        "CREATE INDEX hotfix_people_email ON public.people (email);",
        "index:public.hotfix_people_email",
        "extra",
    ),
    (
        "dropped_column",
        "ALTER TABLE public.people DROP COLUMN email;",
        "column:public.people.email",
        "missing",
    ),
    (
        "changed_default",
        "ALTER TABLE public.people ALTER COLUMN status SET DEFAULT 'new';",
        "column:public.people.status",
        "changed",
    ),
    (
        "changed_view",
        "CREATE OR REPLACE VIEW public.active_people AS \
         SELECT id, name FROM public.people WHERE status <> 'gone';",
        "view:public.active_people",
        "changed",
    ),
    (
        "added_enum_value",
        "ALTER TYPE public.mood ADD VALUE 'angry';",
        "enum:public.mood",
        "changed",
    ),
    (
        "disabled_trigger",
        "ALTER TABLE public.people DISABLE TRIGGER people_touch;",
        "trigger:public.people.people_touch",
        "changed",
    ),
    (
        "changed_comment",
        "COMMENT ON TABLE public.people IS 'hotfixed';",
        "table:public.people",
        "changed",
    ),
];

#[test]
fn each_kind_of_manual_change_is_reported_in_human_and_json_output() {
    let dir = desired();
    let dbs: Vec<TestDb> = MANUAL_CHANGES
        .iter()
        .map(|(name, sql, _, _)| database(&format!("drift_{name}"), sql))
        .collect();
    let conns: Vec<String> = dbs.iter().map(|d| d.conninfo()).collect();

    let out = drift(&conns, dir.path(), &[]);
    let human = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{human}\n{}", text(&out.stderr));
    let lines: Vec<&str> = human.lines().collect();
    for (i, ((name, _, id, how), db)) in MANUAL_CHANGES.iter().zip(&dbs).enumerate() {
        // Status lines first, in the order the targets were given.
        assert_eq!(
            lines[i],
            format!("{}: DRIFT: 1 object", label(db)),
            "{name}\n{human}"
        );
        let (kind, path) = id.split_once(':').unwrap();
        let section = human
            .split(&format!("\n{} (- database, + desired)\n", label(db)))
            .nth(1)
            .unwrap_or_else(|| panic!("{name}: no section\n{human}"));
        let section = section
            .split("\n\n")
            .take(2)
            .collect::<Vec<_>>()
            .join("\n\n");
        assert!(
            section.contains(&format!("  {how} {kind} {path}: ")),
            "{name}: expected {how} {id}\n{section}"
        );
        assert!(section.contains("    repair:\n"), "{name}\n{section}");
    }
    // The unified diffs show both sides.
    assert!(
        human.contains("- CREATE INDEX hotfix_people_email ON public.people USING btree (email);"),
        "{human}"
    );
    assert!(
        human.contains("      DROP INDEX \"public\".\"hotfix_people_email\";"),
        "{human}"
    );
    assert!(human.contains("DEFAULT 'new'::text") && human.contains("DEFAULT 'active'::text"));
    // Only the line that differs is marked.
    assert!(
        human.contains(
            "        CREATE TRIGGER people_touch BEFORE UPDATE ON public.people FOR EACH ROW EXECUTE FUNCTION public.touch();\n\
             \x20     - ALTER TABLE \"public\".\"people\" DISABLE TRIGGER \"people_touch\";\n\
             \x20   repair:\n\
             \x20     ALTER TABLE \"public\".\"people\" ENABLE TRIGGER \"people_touch\";\n"
        ),
        "{human}"
    );
    // The enum's repair rebuilds the view that reads the table whose column changes type.
    assert!(human.contains("the repair also rebuilds objects that depend on the above:\n    drop view:public.active_people\n"), "{human}");
    assert!(
        human.contains("'hotfixed'") && human.contains("'Everyone we know'"),
        "{human}"
    );

    let out = drift(&conns, dir.path(), &["--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["status"], "drift");
    assert_eq!(v["exit_code"], 2);
    assert!(
        v["desired_fingerprint"]
            .as_str()
            .is_some_and(|f| f.len() == 64)
    );
    for (i, (name, _, id, how)) in MANUAL_CHANGES.iter().enumerate() {
        let t = &v["targets"][i];
        assert_eq!(t["target"], label(&dbs[i]));
        assert_eq!(t["status"], "drift", "{name}: {t}");
        assert_eq!(ids(t), vec![id.to_string()], "{name}: {t}");
        let o = &t["objects"][0];
        assert_eq!(o["drift"], *how, "{name}: {o}");
        assert_eq!(o["kind"], id.split_once(':').unwrap().0, "{name}");
        assert!(!o["diff"].as_str().unwrap().is_empty(), "{name}: {o}");
        assert!(
            !o["repair_sql"].as_array().unwrap().is_empty(),
            "{name}: {o}"
        );
        assert!(!t["repair"].as_array().unwrap().is_empty(), "{name}");
        assert!(t["fingerprint"].as_str().is_some(), "{name}");
        match *how {
            "extra" => assert!(o["desired"].is_null() && o["database"].is_string(), "{o}"),
            "missing" => assert!(o["database"].is_null() && o["desired"].is_string(), "{o}"),
            _ => assert!(o["database"].is_string() && o["desired"].is_string(), "{o}"),
        }
    }
    let default = &v["targets"][2]["objects"][0];
    assert_eq!(default["action"], "alter");
    assert_eq!(default["alterations"][0]["kind"], "column_default");
    assert_eq!(
        v["targets"][5]["objects"][0]["alterations"][0]["kind"],
        "trigger_enabled"
    );
}

#[test]
fn an_unreachable_target_is_an_error_and_the_others_are_still_reported() {
    let dir = desired();
    let ok = database("drift_unreach_ok", "");
    let drifted = database(
        "drift_unreach_drifted",
        "CREATE INDEX hotfix_people_email ON public.people (email);",
    );
    // Port 1: nobody listens there, the connection is refused at once.
    let dead = "host=127.0.0.1 port=1 user=postgres dbname=nowhere connect_timeout=2 \
                sslmode=disable password=s3cret"
        .to_string();
    let targets = [ok.conninfo(), dead, drifted.conninfo()];

    let out = drift(&targets, dir.path(), &[]);
    let human = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{human}\n{}", text(&out.stderr));
    let lines: Vec<&str> = human.lines().collect();
    assert_eq!(lines[0], format!("{}: OK", label(&ok)));
    assert!(
        lines[1].starts_with("postgres@127.0.0.1:1/nowhere: ERROR: cannot connect"),
        "{human}"
    );
    assert_eq!(lines[2], format!("{}: DRIFT: 1 object", label(&drifted)));
    assert!(
        human.contains("extra index public.hotfix_people_email"),
        "{human}"
    );
    assert!(!human.contains("s3cret") && !text(&out.stderr).contains("s3cret"));

    // The same three from a targets file, one at a time.
    let file = dir.path().join("targets");
    std::fs::write(
        &file,
        format!(
            "# fleet\n{}\n\n{}\n{}\n",
            targets[0], targets[1], targets[2]
        ),
    )
    .unwrap();
    let out = drift(
        &[],
        dir.path(),
        &[
            "--targets",
            file.to_str().unwrap(),
            "--concurrency",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["status"], "error");
    let statuses: Vec<&str> = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ok", "error", "drift"]);
    assert!(
        v["targets"][1]["message"]
            .as_str()
            .unwrap()
            .contains("cannot connect")
    );
    assert_eq!(ids(&v["targets"][2]), ["index:public.hotfix_people_email"]);
}

#[test]
fn a_target_that_never_answers_times_out_without_holding_up_the_others() {
    let dir = desired();
    let ok = database("drift_timeout_ok", "");
    // Accepts connections (the kernel's backlog does) and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let hung = format!("host=127.0.0.1 port={port} user=postgres dbname=x sslmode=disable");
    let start = std::time::Instant::now();
    let out = drift(
        &[hung, ok.conninfo()],
        dir.path(),
        &["--timeout", "2s", "--lock-wait", "1s"],
    );
    let human = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{human}\n{}", text(&out.stderr));
    assert!(
        human.starts_with(&format!(
            "postgres@127.0.0.1:{port}/x: ERROR: no answer within 2.0 s (--timeout)\n{}: OK\n",
            label(&ok)
        )),
        "{human}"
    );
    // Well below the 10 s connect_timeout: the per-target timeout cut it short.
    assert!(start.elapsed().as_secs() < 9, "{:?}", start.elapsed());
}

#[test]
fn a_running_apply_makes_drift_report_apply_in_progress_with_exit_4() {
    let dir = desired();
    let db = database(
        "drift_locked",
        "CREATE INDEX hotfix_people_email ON public.people (email);",
    );
    let rt = common::rt();
    let target = pgdiff::conn::Target::parse(&db.conninfo()).unwrap();
    let holder = rt.block_on(async {
        let c = target.connect().await.unwrap();
        c.execute(
            "SELECT pg_advisory_lock($1)",
            &[&pgdiff::apply::lock::LOCK_KEY],
        )
        .await
        .unwrap();
        c
    });
    let out = drift(&[db.conninfo()], dir.path(), &["--lock-wait", "1s"]);
    let human = text(&out.stdout);
    assert_eq!(out.status.code(), Some(4), "{human}\n{}", text(&out.stderr));
    assert!(
        human.starts_with(&format!(
            "{}: APPLY IN PROGRESS: the pgdiff lock is held by pid ",
            label(&db)
        )),
        "{human}"
    );
    assert!(human.contains("waited 1.0 s (--lock-wait)"), "{human}");
    // No drift is reported while the apply runs, though the index is there.
    assert!(!human.contains("hotfix"), "{human}");
    let out = drift(
        &[db.conninfo()],
        dir.path(),
        &["--lock-wait", "1s", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(4));
    let v = json(&out);
    assert_eq!(v["status"], "apply_in_progress");
    assert_eq!(v["targets"][0]["status"], "apply_in_progress");

    // Another drift check holds the lock shared: that does not block this one.
    rt.block_on(async {
        holder
            .execute("SELECT pg_advisory_unlock_all()", &[])
            .await
            .unwrap();
        holder
            .execute(
                "SELECT pg_advisory_lock_shared($1)",
                &[&pgdiff::apply::lock::LOCK_KEY],
            )
            .await
            .unwrap();
    });
    let out = drift(&[db.conninfo()], dir.path(), &["--lock-wait", "1s"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    drop(holder);
}

#[test]
fn a_role_with_only_connect_can_check_drift() {
    let dir = desired();
    let db = database(
        "drift_readonly",
        "ALTER TABLE public.people ALTER COLUMN status SET DEFAULT 'new';",
    );
    let role = format!("drift_monitor_{}", db.name);
    db.psql(&format!(
        "CREATE ROLE {role} LOGIN;\n\
         REVOKE ALL ON DATABASE {db} FROM PUBLIC;\n\
         GRANT CONNECT ON DATABASE {db} TO {role};\n\
         REVOKE ALL ON SCHEMA public FROM PUBLIC;",
        db = db.name
    ))
    .unwrap();
    let conn = db
        .conninfo()
        .replace("user=postgres", &format!("user={role}"));
    // The role really cannot read the tables, let alone write them.
    let denied = common::rt().block_on(async {
        let c = pgdiff::conn::Target::parse(&conn)
            .unwrap()
            .connect()
            .await
            .unwrap();
        c.query("SELECT * FROM public.people", &[])
            .await
            .unwrap_err()
    });
    assert!(
        denied.to_string().contains("permission denied") || format!("{denied:?}").contains("42501"),
        "{denied:?}"
    );
    let out = drift(&[conn], dir.path(), &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(
        v["targets"][0]["target"],
        format!("{role}@{}", label(&db).split_once('@').unwrap().1)
    );
    assert_eq!(ids(&v["targets"][0]), ["column:public.people.status"]);
}

#[test]
fn ignore_hides_exactly_what_it_names() {
    let dir = desired();
    let db = database(
        "drift_ignore",
        "CREATE INDEX hotfix_people_email ON public.people (email);\n\
         CREATE TABLE public.tmp_scratch (id int PRIMARY KEY, note text);\n\
         CREATE INDEX scratch_note ON public.tmp_scratch (note);\n\
         ALTER TABLE public.people ALTER COLUMN status SET DEFAULT 'new';",
    );
    let conns = [db.conninfo()];

    // Without patterns: all four.
    let v = json(&drift(&conns, dir.path(), &["--format", "json"]));
    assert_eq!(
        ids(&v["targets"][0]),
        [
            "table:public.tmp_scratch",
            "column:public.people.status",
            "index:public.hotfix_people_email",
            "index:public.scratch_note",
        ]
    );

    // The hotfix index by kind and name; the scratch table by path, with its index.
    let args = [
        "--format",
        "json",
        "--ignore",
        "index:*.hotfix_*",
        "--ignore",
        "public.tmp_*",
    ];
    let out = drift(&conns, dir.path(), &args);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(ids(&v["targets"][0]), ["column:public.people.status"]);
    assert_eq!(
        v["ignore"],
        serde_json::json!(["index:*.hotfix_*", "public.tmp_*"])
    );
    let repair = v["targets"][0]["repair"].to_string();
    assert!(
        !repair.contains("hotfix") && !repair.contains("tmp_scratch"),
        "{repair}"
    );

    // A kind prefix restricts: the same name as an index pattern does not hide the table.
    let out = drift(
        &conns,
        dir.path(),
        &["--format", "json", "--ignore", "index:public.tmp_*"],
    );
    assert_eq!(
        ids(&json(&out)["targets"][0]),
        [
            "table:public.tmp_scratch",
            "column:public.people.status",
            "index:public.hotfix_people_email",
            "index:public.scratch_note",
        ]
    );

    // .pgdiff-ignore beside the desired SQL adds to --ignore.
    std::fs::write(
        dir.path().join(".pgdiff-ignore"),
        "# known hand-made changes\n\ncolumn:public.people.status\n",
    )
    .unwrap();
    let out = drift(&conns, dir.path(), &args[2..]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), format!("{}: OK\n", label(&db)));

    // --config replaces it.
    let config = dir.path().join("drift.ignore");
    std::fs::write(&config, "index:*.hotfix_*\npublic.tmp_*\n").unwrap();
    let out = drift(&conns, dir.path(), &["--config", config.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let l = label(&db);
    assert_eq!(
        text(&out.stdout),
        format!(
            "{l}: DRIFT: 1 object\n\
             \n\
             {l} (- database, + desired)\n\
             \n  changed column public.people.status: default 'new'::text → 'active'::text\n\
             \x20     - \"status\" text DEFAULT 'new'::text\n\
             \x20     + \"status\" text DEFAULT 'active'::text\n\
             \x20   repair:\n\
             \x20     ALTER TABLE \"public\".\"people\" ALTER COLUMN \"status\" SET DEFAULT 'active'::text;\n"
        )
    );

    // A typo in a kind is an error, not a silent no-op.
    let out = drift(&conns, dir.path(), &["--ignore", "idx:*"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("unknown object kind \"idx\""),
        "{}",
        text(&out.stderr)
    );
}
