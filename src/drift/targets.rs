//! Reading the targets: the targets file, and for each database one connection that takes
//! the apply lock in shared mode and inspects the catalog, under a per-target timeout, with
//! a bounded number of targets in flight.
//!
//! Nothing here writes to a target. The session is made read-only before anything else is
//! sent (`default_transaction_read_only`), the inspector runs in its own `REPEATABLE READ
//! READ ONLY` transaction, and an advisory lock is not a write: a role with only CONNECT and
//! catalog access is enough.

use crate::apply::lock::{self, LOCK_KEY};
use crate::catalog::{self, Filter, Inspection};
use crate::conn::Target;
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tokio_postgres::Client;

/// How often the shared lock is tried while an apply holds it.
const POLL: Duration = Duration::from_millis(200);

/// Errors reading the targets file.
#[derive(Debug, thiserror::Error)]
#[error("reading the targets file {}: {source}", path.display())]
pub struct TargetsFileError {
    /// The file.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

/// Reads a targets file: one connection string (URL or key=value string) per line; blank
/// lines and lines starting with `#` are skipped. Only whole-line comments: a `#` later on
/// the line may belong to a password.
pub fn read_targets_file(path: &Path) -> Result<Vec<String>, TargetsFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| TargetsFileError {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(parse_targets(&text))
}

fn parse_targets(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// One database to check, as given.
#[derive(Debug, Clone)]
pub struct TargetSpec {
    /// How reports name it: the target without its password, or `target N` when the
    /// connection string could not be parsed (the raw string may hold a password).
    pub label: String,
    /// The parsed target, or why it could not be parsed.
    pub target: Result<Target, String>,
}

impl TargetSpec {
    /// Parses the `n`-th (1-based) connection string.
    pub fn parse(n: usize, conn: &str) -> TargetSpec {
        match Target::parse(conn) {
            Ok(t) => TargetSpec {
                label: t.to_string(),
                target: Ok(t),
            },
            Err(e) => TargetSpec {
                label: format!("target {n}"),
                target: Err(e.to_string()),
            },
        }
    }
}

/// How targets are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Schema filters.
    pub filter: Filter,
    /// The whole budget of one target: connecting, waiting for the lock, inspecting.
    pub timeout: Duration,
    /// How long to wait for a running apply to release the lock.
    pub lock_wait: Duration,
    /// How many targets are read at the same time.
    pub concurrency: usize,
}

/// What reading one target gave.
#[derive(Debug)]
pub enum Reading {
    /// The catalog, read under the shared lock.
    Inspected(Box<Inspection>),
    /// An apply held the lock for the whole wait; says who.
    ApplyInProgress(String),
    /// The target could not be read (unparsable, unreachable, timed out, query failed).
    Failed(String),
}

/// Reads every target, at most `opts.concurrency` at a time, each within `opts.timeout`.
/// Results come back in the order of `specs`, with how long each took.
pub async fn read_all(specs: &[TargetSpec], opts: &ReadOptions) -> Vec<(Reading, Duration)> {
    futures_util::stream::iter(specs.iter().map(|s| read_timed(s, opts)))
        // `buffered` starts a target's future (and so its timeout) only when a slot is free,
        // so a target waiting for a slot is not charged for the wait.
        .buffered(opts.concurrency.max(1))
        .collect()
        .await
}

async fn read_timed(spec: &TargetSpec, opts: &ReadOptions) -> (Reading, Duration) {
    let start = Instant::now();
    let reading = match &spec.target {
        Err(e) => Reading::Failed(e.clone()),
        Ok(t) => match tokio::time::timeout(opts.timeout, read_one(t, opts)).await {
            Ok(r) => r,
            // Dropping the future closed the connection: the server ends the session.
            Err(_) => Reading::Failed(format!(
                "no answer within {} (--timeout)",
                crate::apply::human_duration(opts.timeout)
            )),
        },
    };
    (reading, start.elapsed())
}

async fn read_one(t: &Target, opts: &ReadOptions) -> Reading {
    let client = match t.connect().await {
        Ok(c) => c,
        Err(e) => return Reading::Failed(e.to_string()),
    };
    // Read-only for the whole session, whatever the role could do; the statement timeout
    // stops the server's work too when this side gives up.
    let setup = format!(
        "SET default_transaction_read_only = on; SET statement_timeout = {}",
        opts.timeout.as_millis().min(i32::MAX as u128)
    );
    if let Err(e) = client.batch_execute(&setup).await {
        return Reading::Failed(format!(
            "setting up the session: {}",
            crate::conn::db_message(&e)
        ));
    }
    match take_shared_lock(&client, opts.lock_wait).await {
        Ok(true) => {}
        Ok(false) => return Reading::ApplyInProgress(busy_message(&client, opts.lock_wait).await),
        Err(e) => {
            return Reading::Failed(format!(
                "taking the pgdiff lock in shared mode: {}",
                crate::conn::db_message(&e)
            ));
        }
    }
    // The session lock is held until the connection closes (when `client` is dropped), so
    // no apply can start while the catalog is read.
    match catalog::inspect(&client, &opts.filter).await {
        Ok(i) => Reading::Inspected(Box::new(i)),
        Err(e) => Reading::Failed(e.to_string()),
    }
}

/// Polls `pg_try_advisory_lock_shared` on the apply key for up to `wait`. Shared holders
/// (other drift checks) do not exclude each other; an apply's exclusive lock excludes all.
async fn take_shared_lock(client: &Client, wait: Duration) -> Result<bool, tokio_postgres::Error> {
    let start = Instant::now();
    loop {
        let got: bool = client
            .query_one(
                "SELECT pg_catalog.pg_try_advisory_lock_shared($1)",
                &[&LOCK_KEY],
            )
            .await?
            .get(0);
        if got {
            return Ok(true);
        }
        let elapsed = start.elapsed();
        if elapsed >= wait {
            return Ok(false);
        }
        tokio::time::sleep(POLL.min(wait - elapsed)).await;
    }
}

/// "held by pid 123 (...); waited 5.0 s". The holder look-up is best effort: a role
/// without `pg_read_all_stats` still sees the pid, and a failure only shortens the message.
async fn busy_message(client: &Client, waited: Duration) -> String {
    let holders = lock::holders(client)
        .await
        .map(|hs| {
            hs.into_iter()
                .filter(|h| h.mode == "ExclusiveLock")
                .map(|h| h.to_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let by = if holders.is_empty() {
        String::new()
    } else {
        format!(" by {}", holders.join("; "))
    };
    format!(
        "the pgdiff lock is held{by}; waited {} (--lock-wait)",
        crate::apply::human_duration(waited)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_file_keeps_one_connection_string_per_line() {
        let got = parse_targets(
            "# production\npostgres://app@db1/crm\n\n  host=/tmp dbname=x password=a#b  \n",
        );
        assert_eq!(
            got,
            vec!["postgres://app@db1/crm", "host=/tmp dbname=x password=a#b"]
        );
    }

    #[test]
    fn unparsable_targets_are_labelled_without_their_text() {
        let s = TargetSpec::parse(3, "postgres://u:secret@h:notaport/db");
        assert_eq!(s.label, "target 3");
        let e = s.target.unwrap_err();
        assert!(!e.contains("secret"), "{e}");
        let s = TargetSpec::parse(1, "postgres://u:secret@h/db");
        assert!(!s.label.contains("secret"), "{}", s.label);
    }
}
