//! The reference CRM schema in `desired/`, against real PostgreSQL: it loads and is fully
//! commented; every business rule of `docs/crm/constraint-violations.sql` is enforced with
//! the documented error; soft-deleted rows free their unique keys; every query of
//! `docs/crm/report-queries.sql` uses its intended index on seeded data.
//!
//! The docs files are parsed at run time, so they stay the single source of truth; a file
//! that parses to no entries fails the test.

use pgdiff::testing::{TestDb, server};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use tokio_postgres::Client;

/// Seed size for the plan test: the smallest scale at which every documented query uses
/// its intended index (docs/crm/indexes.md).
const SEED_SCALE: &str = "0.2";
/// The seed's "now"; the date literals of report-queries.sql are chosen for it.
const SEED_ANCHOR: &str = "2025-06-30 00:00:00+00";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// The files of `desired/`, in name order (the order they load in).
fn desired_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("desired"))
        .expect("reading desired/")
        .map(|e| e.expect("reading desired/").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "desired/ holds no .sql files");
    files
}

/// A fresh database with the CRM schema loaded.
fn crm_db(label: &str) -> TestDb {
    let db = server().create_db(label);
    for f in desired_files() {
        db.psql_file(&f)
            .unwrap_or_else(|e| panic!("loading {}: {e}", f.display()));
    }
    db
}

/// A fresh database with the CRM schema and docs/crm/constraint-fixture.sql loaded.
fn crm_db_with_fixture(label: &str) -> TestDb {
    let db = crm_db(label);
    let fixture = root().join("docs/crm/constraint-fixture.sql");
    db.psql_file(&fixture)
        .unwrap_or_else(|e| panic!("loading {}: {e}", fixture.display()));
    db
}

async fn connect(db: &TestDb) -> Client {
    let client = pgdiff::conn::Target::parse(&db.conninfo())
        .expect("test conninfo")
        .connect()
        .await
        .expect("connecting to the test database");
    // The documented messages are the untranslated ones.
    client
        .batch_execute("SET lc_messages = 'C'")
        .await
        .expect("SET lc_messages");
    client
}

/// One entry of a docs/crm SQL file: its `-- key: value` header lines and its statement.
#[derive(Debug)]
struct Entry {
    /// 1-based line of the entry's first header line.
    line: usize,
    headers: BTreeMap<String, String>,
    sql: String,
}

impl Entry {
    fn header(&self, key: &str) -> &str {
        &self.headers[key]
    }
}

/// A header line `-- key: value` (key in lower case letters and underscores).
fn header_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("-- ")?;
    let (key, value) = rest.split_once(':')?;
    (!key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .then(|| (key, value.trim()))
}

/// Parses `path` into entries; panics with the reason when [`try_parse_entries`] fails.
fn parse_entries(path: &Path, first: &str, required: &[&str]) -> Vec<Entry> {
    try_parse_entries(path, first, required).unwrap_or_else(|e| panic!("{e}"))
}

/// Parses `path` into entries. Each entry starts at a `-- <first>:` line, continues with
/// further header lines, then its statement (one SQL statement ending in `;`). Lines before
/// the first entry and other comment lines are ignored. Fails on a malformed entry, a
/// missing header from `required`, or a file without entries.
fn try_parse_entries(path: &Path, first: &str, required: &[&str]) -> Result<Vec<Entry>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let mut entries: Vec<Entry> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("{}:{}", path.display(), i + 1);
        let header = header_line(line);
        if let Some((key, value)) = header
            && key == first
        {
            entries.push(Entry {
                line: i + 1,
                headers: BTreeMap::from([(key.to_string(), value.to_string())]),
                sql: String::new(),
            });
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            continue;
        };
        if let Some((key, value)) = header {
            if !entry.sql.is_empty() {
                return Err(format!("{at}: header `{key}` after the statement"));
            }
            if entry
                .headers
                .insert(key.to_string(), value.to_string())
                .is_some()
            {
                return Err(format!("{at}: header `{key}` given twice"));
            }
        } else if !(line.trim().is_empty() || line.trim_start().starts_with("--")) {
            entry.sql.push_str(line);
            entry.sql.push('\n');
        }
    }
    if entries.is_empty() {
        return Err(format!(
            "{} holds no entries (no `-- {first}:` lines)",
            path.display()
        ));
    }
    for e in &mut entries {
        let at = format!("{}:{}", path.display(), e.line);
        if let Some(key) = required
            .iter()
            .find(|k| e.headers.get(**k).is_none_or(|v| v.is_empty()))
        {
            return Err(format!("{at}: missing header `-- {key}:`"));
        }
        e.sql = e.sql.trim().to_string();
        if !e.sql.ends_with(';') {
            return Err(format!("{at}: statement does not end with ';'"));
        }
        let stmts = pg_query::split_with_parser(&e.sql)
            .map_err(|err| format!("{at}: statement does not parse: {err}"))?;
        if stmts.iter().filter(|s| !s.trim().is_empty()).count() != 1 {
            return Err(format!("{at}: expected exactly one statement"));
        }
    }
    Ok(entries)
}

/// The single-column text rows of a query.
async fn strings(client: &Client, sql: &str) -> Vec<String> {
    client
        .query(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
}

/// Whether `name` occurs in `text` as a whole identifier.
fn mentions(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name)
        .any(|(at, _)| !text[..at].ends_with(ident) && !text[at + name.len()..].starts_with(ident))
}

#[test]
fn schema_loads() {
    let db = crm_db("crm_schema_loads");
    rt().block_on(async {
        let client = connect(&db).await;
        let counts = client
            .query_one(
                "SELECT count(*) FILTER (WHERE c.relkind IN ('r', 'p')),
                        count(*) FILTER (WHERE c.relkind = 'v'),
                        count(*) FILTER (WHERE c.relkind = 'm')
                   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'crm'",
                &[],
            )
            .await
            .unwrap();
        let (tables, views, matviews): (i64, i64, i64) =
            (counts.get(0), counts.get(1), counts.get(2));
        assert!(tables > 10, "schema crm has only {tables} tables");
        assert!(views > 0, "schema crm has no views");
        assert!(matviews > 0, "schema crm has no materialized view");

        // Every object the schema documents, and whether it has a comment.
        // Every object of the schema that must carry a comment: (kind, name, comment).
        let objects = "
            SELECT 'schema', n.nspname::text, obj_description(n.oid, 'pg_namespace')
              FROM pg_namespace n WHERE n.nspname = 'crm'
            UNION ALL
            SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                                  ELSE 'table' END,
                   c.oid::regclass::text, obj_description(c.oid, 'pg_class')
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'crm' AND c.relkind IN ('r', 'p', 'v', 'm')
            UNION ALL
            SELECT 'column', c.oid::regclass::text || '.' || quote_ident(a.attname),
                   col_description(c.oid, a.attnum)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE n.nspname = 'crm' AND c.relkind IN ('r', 'p', 'v', 'm')
            UNION ALL
            SELECT 'function', p.oid::regprocedure::text, obj_description(p.oid, 'pg_proc')
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'crm'
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                  AND d.objid = p.oid AND d.deptype = 'e')
            UNION ALL
            SELECT 'type', t.oid::regtype::text, obj_description(t.oid, 'pg_type')
              FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = 'crm' AND t.typtype IN ('e', 'd')
            UNION ALL
            SELECT 'trigger', t.tgname || ' on ' || t.tgrelid::regclass::text,
                   obj_description(t.oid, 'pg_trigger')
              FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'crm' AND NOT t.tgisinternal";
        let rows = client.query(objects, &[]).await.unwrap();
        let mut per_kind: BTreeMap<String, usize> = BTreeMap::new();
        let mut missing = Vec::new();
        for r in &rows {
            let (kind, name, comment): (String, String, Option<String>) =
                (r.get(0), r.get(1), r.get(2));
            if comment.is_none_or(|c| c.trim().is_empty()) {
                missing.push(format!("{kind} {name}"));
            }
            *per_kind.entry(kind).or_default() += 1;
        }
        for kind in ["table", "view", "materialized view", "column", "function"] {
            assert!(per_kind.contains_key(kind), "no {kind} found in schema crm");
        }
        assert!(
            missing.is_empty(),
            "objects of schema crm without a comment:\n  {}",
            missing.join("\n  ")
        );
        println!("schema crm: {tables} tables, {views} views, {matviews} materialized views");
        println!("commented: {per_kind:?}");
    });
}

#[test]
fn every_business_rule_is_enforced() {
    let path = root().join("docs/crm/constraint-violations.sql");
    let rules = parse_entries(
        &path,
        "rule",
        &["rule", "table", "constraint", "sqlstate", "error"],
    );
    let db = crm_db_with_fixture("crm_business_rules");
    rt().block_on(async {
        let client = connect(&db).await;
        // Every documented constraint exists: a renamed constraint cannot hide here.
        let known: BTreeSet<String> = strings(
            &client,
            "SELECT conname::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
              WHERE n.nspname = 'crm'
             UNION
             SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'crm' AND i.indisunique",
        )
        .await
        .into_iter()
        .collect();

        let mut failures = Vec::new();
        for r in &rules {
            let at = format!("{}:{} ({})", path.display(), r.line, r.header("rule"));
            let constraint = r.header("constraint");
            if !known.contains(constraint) {
                failures.push(format!("{at}: no constraint or unique index {constraint}"));
            }
            let table = r.header("table");
            let written = pg_query::parse(&r.sql, 0).map(|p| p.dml_tables());
            if !written.as_ref().is_ok_and(|t| t.iter().any(|t| t == table)) {
                failures.push(format!(
                    "{at}: the statement does not write {table} (writes {written:?})"
                ));
            }

            client.batch_execute("BEGIN").await.unwrap();
            let result = client.batch_execute(&r.sql).await;
            client.batch_execute("ROLLBACK").await.unwrap();
            let err = match result {
                Ok(()) => {
                    failures.push(format!("{at}: the statement succeeded:\n    {}", r.sql));
                    continue;
                }
                Err(e) => e,
            };
            let Some(db_err) = err.as_db_error() else {
                failures.push(format!("{at}: not a server error: {err}"));
                continue;
            };
            // PostgreSQL 18 reports an ON DELETE/UPDATE RESTRICT violation as 23001
            // ("violates RESTRICT setting of foreign key constraint"); older versions as
            // 23503. The documented text is the older one; the rule is the same.
            let (code, message) = if db_err.code().code() == "23001" {
                (
                    "23503",
                    db_err.message().replace(
                        "violates RESTRICT setting of foreign key constraint",
                        "violates foreign key constraint",
                    ),
                )
            } else {
                (db_err.code().code(), db_err.message().to_string())
            };
            let got = (
                code,
                message.as_str(),
                db_err.constraint().unwrap_or("(none)"),
            );
            let want = (r.header("sqlstate"), r.header("error"), constraint);
            if got != want {
                failures.push(format!(
                    "{at}:\n    expected {want:?}\n    got      {got:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} business rules are not enforced as documented:\n{}",
            failures.len(),
            rules.len(),
            failures.join("\n")
        );
        println!(
            "{} business rules enforced with the documented SQLSTATE, message and constraint",
            rules.len()
        );
    });
}

/// A unique key that only live (not soft-deleted) rows hold.
struct SoftKey {
    /// The partial unique index (`... WHERE deleted_at IS NULL`).
    index: &'static str,
    table: &'static str,
    /// An INSERT with `{key}` for the key value, returning the new row's id.
    insert: &'static str,
    /// Three spellings of one key that differ only in letter case.
    keys: [&'static str; 3],
}

const SOFT_KEYS: &[SoftKey] = &[
    SoftKey {
        index: "users_email_live_uq",
        table: "crm.users",
        insert: "INSERT INTO crm.users (email, full_name) VALUES ('{key}', 'Sam Soft') RETURNING id::text",
        keys: [
            "Sam.Soft@agency.example.com",
            "sam.soft@AGENCY.example.com",
            "SAM.SOFT@agency.example.com",
        ],
    },
    SoftKey {
        index: "organizations_kind_name_live_uq",
        table: "crm.organizations",
        insert: "INSERT INTO crm.organizations (kind, name) VALUES ('customer', '{key}') RETURNING id::text",
        keys: ["Corner Cafe", "corner cafe", "CORNER CAFE"],
    },
    SoftKey {
        index: "contacts_email_live_uq",
        table: "crm.contacts",
        insert: "INSERT INTO crm.contacts (first_name, last_name, email) \
                 VALUES ('Zoe', 'Soft', '{key}') RETURNING id::text",
        keys: [
            "Zoe.Soft@Harbor.example.com",
            "zoe.soft@harbor.example.com",
            "ZOE.SOFT@HARBOR.EXAMPLE.COM",
        ],
    },
    SoftKey {
        index: "products_principal_sku_live_uq",
        table: "crm.products",
        // Principal Sierra Foods of the fixture.
        insert: "INSERT INTO crm.products (principal_id, sku, name) \
                 VALUES ('00000000-0000-0000-0000-000000000101', '{key}', 'Lemon Tart') RETURNING id::text",
        keys: ["SF-900", "sf-900", "Sf-900"],
    },
];

/// Asserts that `result` is the unique violation of `index`.
fn expect_duplicate<T>(index: &str, what: &str, result: Result<T, tokio_postgres::Error>) {
    let err = match result {
        Ok(_) => panic!("{index}: {what} succeeded"),
        Err(e) => e,
    };
    let db_err = err
        .as_db_error()
        .unwrap_or_else(|| panic!("{index}: {what}: {err}"));
    assert_eq!(
        (db_err.code().code(), db_err.constraint()),
        ("23505", Some(index)),
        "{index}: {what}: {}",
        db_err.message()
    );
}

#[test]
fn soft_deleted_rows_free_their_unique_keys() {
    let db = crm_db_with_fixture("crm_soft_delete");
    rt().block_on(async {
        let client = connect(&db).await;
        // The cases below cover exactly the unique indexes restricted to live rows.
        let live_unique: BTreeSet<String> = strings(
            &client,
            "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'crm' AND i.indisunique
                AND pg_get_expr(i.indpred, i.indrelid) = '(deleted_at IS NULL)'",
        )
        .await
        .into_iter()
        .collect();
        let covered: BTreeSet<String> = SOFT_KEYS.iter().map(|k| k.index.to_string()).collect();
        assert_eq!(
            covered, live_unique,
            "the cases must cover every unique index on live rows"
        );

        for k in SOFT_KEYS {
            let insert = |key: &str| k.insert.replace("{key}", key);
            let id = |row: tokio_postgres::Row| row.get::<_, String>(0);

            let first = id(client.query_one(&insert(k.keys[0]), &[]).await.unwrap());
            expect_duplicate(
                k.index,
                "a second live row with the key in other case",
                client.query_one(&insert(k.keys[1]), &[]).await,
            );

            let soft_delete = format!(
                "UPDATE {} SET deleted_at = now() WHERE id = '{}'",
                k.table, first
            );
            assert_eq!(client.execute(&soft_delete, &[]).await.unwrap(), 1);
            let second = id(client
                .query_one(&insert(k.keys[1]), &[])
                .await
                .unwrap_or_else(|e| {
                    panic!(
                        "{}: the key of a soft-deleted row is not free: {e}",
                        k.index
                    )
                }));
            expect_duplicate(
                k.index,
                "a second live row after the soft-deleted one was replaced",
                client.query_one(&insert(k.keys[2]), &[]).await,
            );
            let restore = format!(
                "UPDATE {} SET deleted_at = NULL WHERE id = '{}'",
                k.table, first
            );
            expect_duplicate(
                k.index,
                "restoring the soft-deleted row while its key is taken",
                client.execute(&restore, &[]).await,
            );

            let live = strings(
                &client,
                &format!(
                    "SELECT id::text || ':' || (deleted_at IS NULL)::text FROM {} \
                     WHERE id IN ('{}', '{}') ORDER BY deleted_at IS NULL",
                    k.table, first, second
                ),
            )
            .await;
            assert_eq!(
                live,
                [format!("{}:false", first), format!("{}:true", second)],
                "{}: one soft-deleted and one live row hold the key",
                k.index
            );
        }
        println!(
            "{} unique keys on live rows: freed by soft delete, still enforced among live rows",
            SOFT_KEYS.len()
        );
    });
}

#[test]
fn report_queries_use_their_indexes() {
    let path = root().join("docs/crm/report-queries.sql");
    let queries = parse_entries(&path, "name", &["name", "index"]);
    let db = crm_db("crm_report_plans");

    // Deterministic data; the script ends with VACUUM (ANALYZE), so statistics and the
    // visibility map are current.
    let started = Instant::now();
    let seed = root().join("scripts/crm-seed.sql");
    let out = Command::new(server().binaries().client("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1"])
        .args(["-v", &format!("scale={SEED_SCALE}")])
        .args(["-v", &format!("anchor={SEED_ANCHOR}")])
        .arg("-d")
        .arg(db.conninfo())
        .arg("-f")
        .arg(&seed)
        .stdin(Stdio::null())
        .output()
        .expect("running psql");
    assert!(
        out.status.success(),
        "seeding with {} failed:\n{}",
        seed.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let seed_time = started.elapsed();

    rt().block_on(async {
        let client = connect(&db).await;
        let empty = strings(
            &client,
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'crm' AND c.relkind IN ('r', 'm')
                AND NOT EXISTS (SELECT FROM pg_stats s
                                 WHERE s.schemaname = 'crm' AND s.tablename = c.relname)",
        )
        .await;
        assert!(
            empty.is_empty(),
            "tables without statistics after seeding: {empty:?}"
        );
        let indexes: BTreeSet<String> = strings(
            &client,
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'crm' AND c.relkind = 'i'",
        )
        .await
        .into_iter()
        .collect();

        let mut failures = Vec::new();
        for q in &queries {
            let at = format!("{}:{} ({})", path.display(), q.line, q.header("name"));
            let wanted: Vec<&str> = q.header("index").split(',').map(str::trim).collect();
            let sql = format!("EXPLAIN (FORMAT TEXT) {}", q.sql.trim_end_matches(';'));
            let plan = strings(&client, &sql).await.join("\n");
            for ix in wanted {
                if !indexes.contains(ix) {
                    failures.push(format!("{at}: no index {ix} in schema crm"));
                } else if !mentions(&plan, ix) {
                    failures.push(format!("{at}: the plan does not use {ix}:\n{plan}"));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} report queries do not use their index (seed scale {SEED_SCALE}):\n{}",
            failures.len(),
            queries.len(),
            failures.join("\n\n")
        );
        println!(
            "{} report queries use their indexes (seed scale {SEED_SCALE}, seeded in {:.1} s)",
            queries.len(),
            seed_time.as_secs_f64()
        );
    });
}

#[test]
fn entry_parser_reads_headers_and_statements() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.sql");
    std::fs::write(
        &path,
        "-- Preamble with an example:\n--     -- name: not_an_entry\n\n\
         -- name: first\n-- index: a_idx, b_idx\n-- serves: x\nSELECT 1\n  FROM t;\n\n\
         -- name: second\n-- index: c_idx\nSELECT 2;\n",
    )
    .unwrap();
    let e = parse_entries(&path, "name", &["name", "index"]);
    assert_eq!(e.len(), 2);
    assert_eq!((e[0].line, e[0].header("index")), (4, "a_idx, b_idx"));
    assert_eq!(e[0].sql, "SELECT 1\n  FROM t;");
    assert_eq!(
        (e[1].header("name"), e[1].sql.as_str()),
        ("second", "SELECT 2;")
    );
    assert!(mentions("Index Scan using a_idx on t", "a_idx"));
    assert!(!mentions("Index Scan using a_idx2 on t", "a_idx"));

    std::fs::write(&path, "-- only a preamble\nSELECT 1;\n").unwrap();
    let empty = try_parse_entries(&path, "name", &["name"]);
    assert!(
        empty.is_err_and(|e| e.contains("no entries")),
        "a file without entries must fail"
    );

    std::fs::write(
        &path,
        "-- name: a\nSELECT 1;\n-- name: b\n-- serves: x\nSELECT 2;\n",
    )
    .unwrap();
    let missing = try_parse_entries(&path, "name", &["name", "index"]);
    assert!(missing.is_err_and(|e| e.contains("missing header `-- index:`")));

    std::fs::write(&path, "-- name: a\n-- index: i\nSELECT 1; SELECT 2;\n").unwrap();
    let two = try_parse_entries(&path, "name", &["name", "index"]);
    assert!(two.is_err_and(|e| e.contains("exactly one statement")));
}
