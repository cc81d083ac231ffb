//! Invalid indexes left behind by failed concurrent builds.
//!
//! A `CREATE INDEX CONCURRENTLY` that fails (lock timeout while waiting for old snapshots,
//! a duplicate in a unique build, a killed session) leaves the index in the catalog with
//! `pg_index.indisvalid = false`: never used by queries, still maintained on every write, and
//! indistinguishable from a good index in the schema model. Planning against it would call
//! the index present and never rebuild it. So apply finds such indexes first, drops them
//! with `DROP INDEX CONCURRENTLY IF EXISTS`, and plans as if they were absent: the plan
//! builds them again when the desired schema has them.
//!
//! Left alone: indexes being built right now (`pg_stat_progress_create_index`), partitioned
//! indexes (invalid until every partition has one attached; Postgres validates them itself),
//! and indexes backing constraints (not created by a concurrent build).

use crate::catalog::Filter;
use crate::model::{QualName, Schema};
use std::time::Duration;
use tokio_postgres::Client;

/// An invalid index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidIndex {
    /// The index.
    pub name: QualName,
    /// Its table.
    pub table: QualName,
}

const FIND: &str = "\
SELECT n.nspname, c.relname, tn.nspname, t.relname
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
  JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
 WHERE NOT i.indisvalid
   AND c.relkind = 'i'
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_stat_progress_create_index p
                    WHERE p.index_relid = i.indexrelid)
   AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid)
   AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
   AND (cardinality($1::text[]) = 0 OR n.nspname = ANY ($1::text[]))
   AND NOT (n.nspname = ANY ($2::text[]))
 ORDER BY 1, 2";

/// The invalid indexes in the schemas `filter` selects.
pub async fn find(client: &Client, filter: &Filter) -> Result<Vec<InvalidIndex>, String> {
    let rows = client
        .query(FIND, &[&filter.include, &filter.exclude])
        .await
        .map_err(|e| {
            format!(
                "looking for invalid indexes: {}",
                crate::conn::db_message(&e)
            )
        })?;
    Ok(rows
        .iter()
        .map(|r| InvalidIndex {
            name: QualName::new(r.get::<_, String>(0), r.get::<_, String>(1)),
            table: QualName::new(r.get::<_, String>(2), r.get::<_, String>(3)),
        })
        .collect())
}

/// The statement that drops an invalid index.
pub fn drop_sql(index: &QualName) -> String {
    format!(
        "DROP INDEX CONCURRENTLY IF EXISTS {};",
        crate::ddl::qual(index)
    )
}

/// Drops `index` without blocking writes to its table. Runs outside a transaction (the
/// connection must not be in one); `lock_timeout` bounds the wait for the table's lock.
pub async fn drop(client: &Client, index: &QualName, lock_timeout: Duration) -> Result<(), String> {
    let sql = format!(
        "SET lock_timeout = '{}ms'; SET statement_timeout = 0;",
        lock_timeout.as_millis()
    );
    // Separate round trips: a multi-statement query string is one implicit transaction,
    // which DROP INDEX CONCURRENTLY refuses.
    client
        .batch_execute(&sql)
        .await
        .and(Ok(()))
        .map_err(|e| crate::conn::db_message(&e))?;
    client.batch_execute(&drop_sql(index)).await.map_err(|e| {
        format!(
            "dropping invalid index {index}: {}",
            crate::conn::db_message(&e)
        )
    })
}

/// Drops `index` if it exists and is invalid: cleans up after a concurrent build of it that
/// failed, before that build is tried again.
pub async fn drop_if_invalid(
    client: &Client,
    index: &QualName,
    lock_timeout: Duration,
) -> Result<bool, String> {
    let row = client
        .query_opt(
            "SELECT FROM pg_catalog.pg_index i \
               JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid \
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
              WHERE n.nspname = $1 AND c.relname = $2 AND NOT i.indisvalid",
            &[&index.schema.as_str(), &index.name.as_str()],
        )
        .await
        .map_err(|e| crate::conn::db_message(&e))?;
    if row.is_none() {
        return Ok(false);
    }
    drop(client, index, lock_timeout).await?;
    Ok(true)
}

/// `schema` without the given indexes: what the live schema is once they are dropped.
pub fn without(schema: &Schema, invalid: &[InvalidIndex]) -> Schema {
    let mut s = schema.clone();
    for i in invalid {
        s.indexes.remove(&i.name);
        let id = crate::model::ObjectId::of(crate::model::ObjectKind::Index, &i.name);
        s.depends.retain(|a, b| *a != id && *b != id);
    }
    s
}
