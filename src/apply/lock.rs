//! The apply lock: one `pgdiff apply` at a time per database.
//!
//! A *session* advisory lock on [`LOCK_KEY`] is taken on the connection that runs the
//! migration and held from before the live schema is read until after it is verified, so
//! nothing pgdiff plans or checks can be changed by another pgdiff run in between. A session
//! lock (not a transaction lock) because the apply spans many transactions and some steps run
//! outside any; it goes away with the connection, so a killed apply never leaves it behind.
//! `pg_try_advisory_lock` is polled rather than `pg_advisory_lock` awaited, so the wait is
//! bounded by `--lock-wait` and the error can name who holds the lock. `pgdiff drift` takes
//! the same key in shared mode: drift checks run together, never during an apply.
//!
//! Advisory locks belong to one database: applies to different databases of one server do
//! not wait for each other.

use std::time::{Duration, Instant};
use tokio_postgres::Client;

/// The advisory lock key: the ASCII bytes of `pgdiff` read as a big-endian integer
/// (`0x706764696666`). In `pg_locks` it appears as `locktype = 'advisory'`,
/// `classid = 28775`, `objid = 1684629094`, `objsubid = 1`.
pub const LOCK_KEY: i64 = 0x7067_6469_6666;

/// How often the lock is tried while waiting.
const POLL: Duration = Duration::from_millis(200);

/// Errors while taking the apply lock.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another session held the lock for the whole wait.
    #[error(
        "another apply holds the pgdiff lock on database {database}: {holders}; waited {waited} \
         (raise --lock-wait, or wait for it to finish)"
    )]
    Busy {
        /// The database name.
        database: String,
        /// Who holds it (pid, application_name, user, connected for how long).
        holders: String,
        /// How long pgdiff waited.
        waited: String,
    },
    /// A query failed.
    #[error("taking the pgdiff advisory lock: {0}")]
    Query(String),
}

/// A session holding the lock, as `pg_locks` and `pg_stat_activity` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// Backend process id.
    pub pid: i32,
    /// Its `application_name` (empty when unset).
    pub application_name: String,
    /// Its role.
    pub user: String,
    /// `ExclusiveLock` (an apply) or `ShareLock` (a drift check).
    pub mode: String,
    /// How long it has been connected, as Postgres prints an interval.
    pub connected: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.mode == "ShareLock" {
            " (shared: a drift check)"
        } else {
            ""
        };
        write!(
            f,
            "pid {} (application_name {:?}, user {}, connected {}){kind}",
            self.pid, self.application_name, self.user, self.connected
        )
    }
}

fn query_error(e: tokio_postgres::Error) -> LockError {
    LockError::Query(crate::conn::db_message(&e))
}

/// Tries once to take the lock.
pub async fn try_lock(client: &Client) -> Result<bool, LockError> {
    let row = client
        .query_one("SELECT pg_catalog.pg_try_advisory_lock($1)", &[&LOCK_KEY])
        .await
        .map_err(query_error)?;
    Ok(row.get(0))
}

/// The sessions holding the lock in the current database (other than this one).
pub async fn holders(client: &Client) -> Result<Vec<Holder>, LockError> {
    // A bigint advisory key is split over classid (high half) and objid (low half);
    // objsubid 1 marks the single-bigint form.
    let rows = client
        .query(
            "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.usename::text, '?'), \
                    l.mode, \
                    coalesce(date_trunc('second', now() - a.backend_start)::text, '?') \
               FROM pg_catalog.pg_locks l \
               JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid \
              WHERE l.locktype = 'advisory' AND l.granted \
                AND l.database = (SELECT oid FROM pg_catalog.pg_database \
                                   WHERE datname = pg_catalog.current_database()) \
                AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1 \
                AND l.pid <> pg_catalog.pg_backend_pid() \
              ORDER BY a.pid",
            &[&(LOCK_KEY >> 32), &(LOCK_KEY & 0xffff_ffff)],
        )
        .await
        .map_err(query_error)?;
    Ok(rows
        .iter()
        .map(|r| Holder {
            pid: r.get(0),
            application_name: r.get(1),
            user: r.get(2),
            mode: r.get(3),
            connected: r.get(4),
        })
        .collect())
}

fn describe(holders: &[Holder]) -> String {
    if holders.is_empty() {
        // Released between the last try and the look-up.
        return "a session that has just released it".into();
    }
    holders
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Takes the lock, polling for up to `wait`. While waiting, says once on `progress` who
/// holds it.
pub async fn acquire(
    client: &Client,
    database: &str,
    wait: Duration,
    progress: &mut dyn std::io::Write,
) -> Result<(), LockError> {
    let start = Instant::now();
    let mut announced = false;
    loop {
        if try_lock(client).await? {
            if announced {
                let _ = writeln!(
                    progress,
                    "took the pgdiff lock after {}",
                    super::human_duration(start.elapsed())
                );
            }
            return Ok(());
        }
        let elapsed = start.elapsed();
        if elapsed >= wait {
            return Err(LockError::Busy {
                database: database.to_string(),
                holders: describe(&holders(client).await?),
                waited: super::human_duration(elapsed),
            });
        }
        if !announced {
            let _ = writeln!(
                progress,
                "waiting up to {} for the pgdiff lock on {database}, held by {}",
                super::human_duration(wait),
                describe(&holders(client).await?)
            );
            announced = true;
        }
        tokio::time::sleep(POLL.min(wait - elapsed)).await;
    }
}

/// Releases the lock (closing the connection would too).
pub async fn release(client: &Client) -> Result<(), LockError> {
    client
        .query_one("SELECT pg_catalog.pg_advisory_unlock($1)", &[&LOCK_KEY])
        .await
        .map_err(query_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_pgdiff_in_ascii_and_splits_as_documented() {
        assert_eq!(LOCK_KEY.to_be_bytes()[2..], *b"pgdiff");
        assert_eq!(LOCK_KEY >> 32, 28775);
        assert_eq!(LOCK_KEY & 0xffff_ffff, 1_684_629_094);
    }
}
