//! The catalog inspector: reads a live database into a [`Schema`].
//!
//! Owns the catalog queries (one `.sql` file per object kind under `queries/`, each reading
//! the whole database at once, never one query per table) and their assembly into the model.
//! All queries run in one `REPEATABLE READ READ ONLY` transaction, so they see one snapshot,
//! with `search_path` empty, so every name Postgres prints is schema-qualified. They are sent
//! together and pipelined on the connection. Nothing here writes to the database.

mod rows;

use crate::model::{ObjectId, Schema};
use futures_util::future::try_join_all;
use tokio_postgres::Client;

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

/// The catalog queries, by the name used in error messages.
const QUERIES: &[(&str, &str)] = &[
    ("schemas", include_str!("queries/schemas.sql")),
    ("extensions", include_str!("queries/extensions.sql")),
    ("enums", include_str!("queries/enums.sql")),
    ("domains", include_str!("queries/domains.sql")),
    ("composite types", include_str!("queries/composites.sql")),
    ("sequences", include_str!("queries/sequences.sql")),
    ("tables", include_str!("queries/tables.sql")),
    ("columns", include_str!("queries/columns.sql")),
    ("constraints", include_str!("queries/constraints.sql")),
    ("indexes", include_str!("queries/indexes.sql")),
    ("views", include_str!("queries/views.sql")),
    ("functions", include_str!("queries/functions.sql")),
    ("triggers", include_str!("queries/triggers.sql")),
    ("policies", include_str!("queries/policies.sql")),
    ("dependencies", include_str!("queries/depends.sql")),
];

const NOT_NULL_NAMES: (&str, &str) = (
    "not-null constraints",
    include_str!("queries/not_null_names.sql"),
);

async fn simple(
    client: &Client,
    sql: &'static str,
    what: &'static str,
) -> Result<(), CatalogError> {
    client
        .batch_execute(sql)
        .await
        .map_err(|e| CatalogError::Query {
            what,
            message: crate::conn::db_message(&e),
        })
}

async fn run_json(
    client: &Client,
    what: &'static str,
    sql: &str,
    filter: &Filter,
) -> Result<String, CatalogError> {
    let wrapped = format!("SELECT coalesce(json_agg(q), '[]')::text FROM ({sql}) q");
    let row = client
        .query_one(&wrapped, &[&filter.include, &filter.exclude])
        .await
        .map_err(|e| CatalogError::Query {
            what,
            message: crate::conn::db_message(&e),
        })?;
    Ok(row.get(0))
}

/// Reads the whole schema of the database `client` is connected to. The connection must not
/// be inside a transaction; the inspector opens and closes its own.
pub async fn inspect(client: &Client, filter: &Filter) -> Result<Inspection, CatalogError> {
    simple(
        client,
        // JIT off: on a catalog without fresh statistics (a shadow database just loaded)
        // the estimates cross the JIT thresholds, and compiling costs seconds per query.
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
         SELECT pg_catalog.set_config('search_path', '', true), \
                pg_catalog.set_config('jit', 'off', true);",
        "a snapshot",
    )
    .await?;
    let result = inspect_in_snapshot(client, filter).await;
    // Read-only: ending the transaction either way changes nothing.
    let end = simple(client, "COMMIT", "the end of the snapshot").await;
    let inspection = result?;
    end?;
    Ok(inspection)
}

async fn inspect_in_snapshot(client: &Client, filter: &Filter) -> Result<Inspection, CatalogError> {
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
    let mut queries: Vec<(&str, &str)> = QUERIES.to_vec();
    if version >= 180000 {
        queries.push(NOT_NULL_NAMES);
    }
    let results = try_join_all(
        queries
            .iter()
            .map(|(what, sql)| run_json(client, what, sql, filter)),
    )
    .await?;
    let texts: std::collections::BTreeMap<&str, String> =
        queries.iter().map(|(w, _)| *w).zip(results).collect();
    let mut schema = rows::assemble(&texts)?;
    schema.not_null_constraints = version >= 180000;
    Ok(Inspection {
        schema,
        server_version_num: version,
        // BEGIN, the version, the kind queries and COMMIT.
        queries: queries.len() + 3,
    })
}

/// Objects of the model that depend on `id` directly, per the recorded dependencies.
pub fn dependents<'a>(schema: &'a Schema, id: &'a ObjectId) -> impl Iterator<Item = &'a ObjectId> {
    schema
        .depends
        .iter()
        .filter(move |(_, to)| to == id)
        .map(|(from, _)| from)
}
