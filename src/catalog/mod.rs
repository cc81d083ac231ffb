//! The catalog inspector: reads a live database into a [`Schema`].
//!
//! Owns the catalog queries (one `.sql` file per object kind under `queries/`, each reading
//! the whole database at once, never one query per table) and their assembly into the model.
//! All queries run in `REPEATABLE READ READ ONLY` transactions sharing one snapshot (one
//! connection, or several that import the first one's exported snapshot), with `search_path`
//! empty, so every name Postgres prints is schema-qualified. They are sent together and
//! pipelined on each connection; rows are decoded one by one as they arrive. Nothing here
//! writes to the database.

mod constraints;
mod indexes;
mod row_de;
mod rows;

use crate::model::{ObjectId, Schema};
use futures_util::TryStreamExt;
use serde::de::DeserializeOwned;
use tokio_postgres::Client;
use tokio_postgres::types::ToSql;

/// Which schemas to read. System schemas are always excluded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only these schemas (all non-system schemas when empty).
    pub include: Vec<String>,
    /// Never these schemas.
    pub exclude: Vec<String>,
}

/// Errors while reading the catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A catalog query failed.
    #[error("reading {what} from the catalog: {message}")]
    Query {
        /// Which query.
        what: &'static str,
        /// The server's or driver's message.
        message: String,
    },
    /// A query returned data the inspector could not decode (a bug or an unsupported
    /// server).
    #[error("decoding {what} from the catalog: {message}")]
    Decode {
        /// Which query.
        what: &'static str,
        /// What was wrong.
        message: String,
    },
    /// The server is older than PostgreSQL 14.
    #[error("PostgreSQL {0} is not supported (pgdiff supports PostgreSQL 14 to 18)")]
    Unsupported(String),
}

/// The result of inspecting a database.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The schema model.
    pub schema: Schema,
    /// `server_version_num`, e.g. 150018.
    pub server_version_num: i32,
    /// How many SQL statements the inspection sent (constant, whatever the catalog size).
    pub queries: usize,
}

impl Inspection {
    /// The server's major version, e.g. 15.
    pub fn major_version(&self) -> u32 {
        (self.server_version_num / 10000) as u32
    }
}

async fn simple(client: &Client, sql: &str, what: &'static str) -> Result<(), CatalogError> {
    client
        .batch_execute(sql)
        .await
        .map_err(|e| CatalogError::Query {
            what,
            message: crate::conn::db_message(&e),
        })
}

/// The text of a catalog query for the server `version`, with the values that columns newer
/// than the server always have in its place: `indnullsnotdistinct` and `confdelsetcols` are
/// new in PostgreSQL 15 (NULLs distinct, no column list), `conperiod` and `conenforced` in 18
/// (no period, enforced).
fn for_version(sql: &str, version: i32) -> std::borrow::Cow<'_, str> {
    let mut replace: Vec<(&str, &str)> = Vec::new();
    if version < 150000 {
        replace.extend([
            ("i.indnullsnotdistinct", "false"),
            ("k.confdelsetcols", "NULL::int2[]"),
        ]);
    }
    if version < 180000 {
        replace.extend([("k.conperiod", "false"), ("k.conenforced", "true")]);
    }
    if replace.iter().all(|(from, _)| !sql.contains(from)) {
        return sql.into();
    }
    let mut out = sql.to_string();
    for (from, to) in replace {
        out = out.replace(from, to);
    }
    out.into()
}

/// Runs one catalog query and hands each row to `decode` as it arrives: no result is held
/// as a whole, neither in the connection's buffer nor as text. The query takes the filter's
/// schemas as `$1` (included) and `$2` (excluded) when `filter` is given.
async fn fetch_with<T>(
    client: &Client,
    what: &'static str,
    sql: &str,
    filter: Option<&Filter>,
    mut decode: impl FnMut(&tokio_postgres::Row) -> Result<T, String>,
) -> Result<Vec<T>, CatalogError> {
    let query_err = |e: tokio_postgres::Error| CatalogError::Query {
        what,
        message: crate::conn::db_message(&e),
    };
    let params: Vec<&(dyn ToSql + Sync)> = match filter {
        Some(f) => vec![&f.include, &f.exclude],
        None => Vec::new(),
    };
    let stream = client.query_raw(sql, params).await.map_err(query_err)?;
    let mut stream = std::pin::pin!(stream);
    let mut out = Vec::new();
    while let Some(row) = stream.try_next().await.map_err(query_err)? {
        out.push(decode(&row).map_err(|message| CatalogError::Decode { what, message })?);
    }
    Ok(out)
}

/// Runs one catalog query and decodes its rows into `T` as they arrive, column by column
/// (nested values come as `json` columns).
async fn fetch<T: DeserializeOwned>(
    client: &Client,
    what: &'static str,
    sql: &str,
    filter: &Filter,
    version: i32,
) -> Result<Vec<T>, CatalogError> {
    fetch_into(client, what, sql, filter, version, |row: T| Ok(row)).await
}

/// [`fetch`], each decoded row converted by `into` before it is kept.
async fn fetch_into<R: DeserializeOwned, T>(
    client: &Client,
    what: &'static str,
    sql: &str,
    filter: &Filter,
    version: i32,
    mut into: impl FnMut(R) -> Result<T, String>,
) -> Result<Vec<T>, CatalogError> {
    fetch_with(
        client,
        what,
        &for_version(sql, version),
        Some(filter),
        |row| into(row_de::from_row::<R>(row)?),
    )
    .await
}

/// Gathers the planner statistics the inspection needs in a database that was just built
/// (a shadow database), before it is inspected. Without any, Postgres guesses that a couple
/// of `pg_description` rows belong to one catalog and joins the comments by scanning them
/// all once per constraint or column: the constraints query took 0.39 s instead of 0.15 s at
/// 1,000 tables, and `ANALYZE` of that catalog takes a few milliseconds. Best effort: for a
/// role that may not analyze it, the inspection is only slower.
pub async fn analyze_fresh(client: &Client) {
    let _ = client
        .batch_execute("ANALYZE pg_catalog.pg_description")
        .await;
}

/// Reads the whole schema of the database `client` is connected to. The connection must not
/// be inside a transaction; the inspector opens and closes its own.
pub async fn inspect(client: &Client, filter: &Filter) -> Result<Inspection, CatalogError> {
    inspect_on(&[client], filter).await
}

/// The settings of every inspector transaction. JIT off: on a catalog without fresh
/// statistics (a shadow database just loaded) the estimates cross the JIT thresholds, and
/// compiling costs seconds per query. `work_mem` sized for a large catalog: the hash joins
/// and groupings over `pg_attribute` and `pg_depend` would otherwise spill to disk. No
/// parallel workers: the inspector already keeps the server busy with several connections
/// (both sides of a plan, or one side's queries spread out), where workers only add their
/// start-up and hand-over cost (two 5,000-table catalogs read at once: 3.05 s with them,
/// 2.79 s without), and on a production server they would take worker slots from the
/// application. `quote_all_identifiers` off: the definitions the server prints, and the
/// ones the inspector composes, quote only the names that need it, whatever the database's
/// or role's setting, so that two databases compare equal.
const SESSION: &str = "SELECT pg_catalog.set_config('search_path', '', true), \
                              pg_catalog.set_config('jit', 'off', true), \
                              pg_catalog.set_config('work_mem', '64MB', true), \
                              pg_catalog.set_config('max_parallel_workers_per_gather', '0', true), \
                              pg_catalog.set_config('quote_all_identifiers', 'off', true);";

/// [`inspect`] over several connections to the same database, the queries spread over them
/// so that the server works on them in parallel. All read one snapshot: the first
/// connection's, exported and imported by the others. A connection that cannot import it is
/// left out (the inspection then runs on fewer connections).
pub async fn inspect_on(clients: &[&Client], filter: &Filter) -> Result<Inspection, CatalogError> {
    let (first, rest) = clients.split_first().expect("at least one connection");
    simple(
        first,
        &format!("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; {SESSION}"),
        "a snapshot",
    )
    .await?;
    let mut used = vec![*first];
    let mut statements = 3;
    if !rest.is_empty() {
        statements += 1;
        if let Ok(row) = first
            .query_one("SELECT pg_catalog.pg_export_snapshot()", &[])
            .await
        {
            let snapshot: String = row.get(0);
            let begin = format!(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
                 SET TRANSACTION SNAPSHOT {}; {SESSION}",
                crate::ddl::literal(&snapshot)
            );
            let joined = futures_util::future::join_all(
                rest.iter().map(|c| simple(c, &begin, "a shared snapshot")),
            )
            .await;
            for (c, r) in rest.iter().zip(joined) {
                if r.is_ok() {
                    used.push(*c);
                    statements += 2;
                } else {
                    // Not in a usable transaction: end whatever was begun.
                    let _ = c.batch_execute("ROLLBACK").await;
                }
            }
        }
    }
    let result = inspect_in_snapshot(&used, filter).await;
    // Read-only: ending the transactions either way changes nothing.
    let ends = futures_util::future::join_all(
        used.iter()
            .map(|c| simple(c, "COMMIT", "the end of the snapshot")),
    )
    .await;
    let mut inspection = result?;
    for e in ends {
        e?;
    }
    inspection.queries += statements;
    Ok(inspection)
}

/// The server's `server_version_num` (e.g. 150018); an error for servers older than
/// PostgreSQL 14.
pub async fn server_version_num(client: &Client) -> Result<i32, CatalogError> {
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .map_err(|e| CatalogError::Query {
            what: "the server version",
            message: crate::conn::db_message(&e),
        })?
        .get(0);
    if version < 140000 {
        let v = format!("{}.{}", version / 10000, version % 10000);
        return Err(CatalogError::Unsupported(v));
    }
    Ok(version)
}

async fn inspect_in_snapshot(
    clients: &[&Client],
    filter: &Filter,
) -> Result<Inspection, CatalogError> {
    let version = server_version_num(clients[0]).await?;
    let rows = rows::fetch_all(clients, filter, version).await?;
    let queries = rows.queries;
    let mut schema = rows::assemble(rows)?;
    schema.not_null_constraints = version >= 180000;
    Ok(Inspection {
        schema,
        server_version_num: version,
        // The kind queries; `inspect_on` adds the rest (BEGIN, the version, COMMIT, ...).
        queries,
    })
}

/// Objects of the model that depend on `id` directly, per the recorded dependencies.
pub fn dependents<'a>(schema: &'a Schema, id: &'a ObjectId) -> impl Iterator<Item = &'a ObjectId> {
    schema
        .depends
        .iter()
        .filter(move |(_, to)| *to == id)
        .map(|(from, _)| from)
}
