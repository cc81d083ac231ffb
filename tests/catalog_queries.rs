//! The inspector sends a fixed number of statements, whatever the size of the catalog: the
//! statements the server received (`log_statement = 'all'`, counted in the server log for
//! the inspector's backend) are the same for 10 and for 1,000 tables, and equal
//! `Inspection.queries`.

use pgdiff::catalog::{self, Filter, Inspection};
use pgdiff::testing::{TestDb, server};

/// DDL for `n` tables in schema `s`: an enum, foreign keys, checks, a partial index and a
/// comment per table, a view every ten tables.
fn schema_sql(n: usize) -> String {
    let mut sql = String::from(
        "BEGIN;\nCREATE SCHEMA s;\nCREATE TYPE s.state AS ENUM ('new', 'open', 'closed');\n",
    );
    for i in 0..n {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(" REFERENCES s.t{} (id)", i - 1)
        };
        sql.push_str(&format!(
            "CREATE TABLE s.t{i} (id bigint PRIMARY KEY, parent bigint{parent}, \
             v text NOT NULL DEFAULT 'x' CHECK (v <> ''), st s.state NOT NULL DEFAULT 'new');\n\
             CREATE INDEX t{i}_v_idx ON s.t{i} (v, st) WHERE st <> 'closed';\n\
             COMMENT ON TABLE s.t{i} IS 'table {i}';\n"
        ));
        if i % 10 == 9 {
            sql.push_str(&format!(
                "CREATE VIEW s.v{i} AS SELECT id, v FROM s.t{i} WHERE st = 'open';\n"
            ));
        }
    }
    sql.push_str("COMMIT;\n");
    sql
}

/// Inspects `db` on a fresh connection with statement logging on; returns the inspection
/// and the number of statements the server logged for that connection during it.
fn inspect_counting(db: &TestDb) -> (Inspection, usize) {
    let srv = db.server();
    srv.psql_in(
        "postgres",
        &format!("ALTER DATABASE \"{}\" SET log_statement = 'all'", db.name),
    )
    .expect("enabling statement logging");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (inspection, pid, log_before) = rt.block_on(async {
        let target = pgdiff::conn::Target::parse(&db.conninfo()).expect("conninfo");
        let client = target.connect().await.expect("connecting");
        let pid: i32 = client
            .query_one("SELECT pg_backend_pid()", &[])
            .await
            .expect("backend pid")
            .get(0);
        let log_before = srv.log().len();
        let inspection = catalog::inspect(&client, &Filter::default())
            .await
            .expect("inspecting");
        (inspection, pid, log_before)
    });
    let log = srv.log();
    // Statements are logged when received, one `LOG:  statement:` (simple protocol) or
    // `LOG:  execute` (extended protocol) line each; continuation lines carry no prefix.
    let tag = format!("[{pid}] ");
    let count = log[log_before..]
        .lines()
        .filter(|l| {
            l.split_once(&tag).is_some_and(|(_, rest)| {
                rest.starts_with("LOG:  statement: ") || rest.starts_with("LOG:  execute ")
            })
        })
        .count();
    (inspection, count)
}

#[test]
fn catalog_queries_do_not_grow_with_the_number_of_tables() {
    let mut counts = Vec::new();
    for n in [10, 1000] {
        let db = server().create_db(&format!("catalog_queries_{n}"));
        db.psql(&schema_sql(n))
            .unwrap_or_else(|e| panic!("creating {n} tables: {e}"));
        let (inspection, received) = inspect_counting(&db);
        let tables = inspection
            .schema
            .tables
            .keys()
            .filter(|k| k.schema == "s")
            .count();
        assert_eq!(tables, n, "the inspection should see all {n} tables");
        assert_eq!(
            received, inspection.queries,
            "{n} tables: the server received {received} statements, Inspection.queries says {}",
            inspection.queries
        );
        counts.push((n, received));
    }
    assert_eq!(
        counts[0].1, counts[1].1,
        "statements sent by the inspector (tables, statements): {counts:?}"
    );
}
