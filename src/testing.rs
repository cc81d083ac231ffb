//! Test support: one throwaway PostgreSQL cluster per test process, a fresh database per
//! test, and the oracle's normalized `pg_dump --schema-only`.
//!
//! Used by the integration tests and the benchmarks; not part of pgdiff's behaviour. The
//! cluster starts on first use and is stopped when the process exits (also after failed
//! tests: the test harness returns normally and `atexit` handlers run). If no PostgreSQL
//! binaries can be found, [`server`] panics with instructions: tests never skip silently.

use crate::cluster::{ClusterError, PgBinaries, TempCluster};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The shared test server of this process.
#[derive(Debug)]
pub struct TestServer {
    bins: PgBinaries,
    socket_dir: PathBuf,
    port: u16,
}

/// Free memory file system space for the test server to be created there: room for its
/// databases and WAL (about 1.5 GB at most) with a wide margin.
const TEST_CLUSTER_SHM_MIN_FREE: u64 = 6 << 30;

static CLUSTER: Mutex<Option<TempCluster>> = Mutex::new(None);
static SERVER: OnceLock<TestServer> = OnceLock::new();

extern "C" fn stop_cluster_at_exit() {
    if let Ok(mut guard) = CLUSTER.lock()
        && let Some(mut c) = guard.take()
    {
        c.stop();
    }
}

/// The test server, started on first call.
///
/// # Panics
/// When no PostgreSQL binaries are found or the cluster cannot start; the message says what
/// to install.
pub fn server() -> &'static TestServer {
    SERVER.get_or_init(|| match start() {
        Ok(s) => s,
        Err(e) => panic!(
            "\n\npgdiff's tests need a real PostgreSQL server and could not start one:\n{e}\n\n\
             Install the server binaries (Debian/Ubuntu: `sudo apt-get install postgresql`) or \
             set PGDIFF_PG_BIN to a directory with initdb, pg_ctl, postgres, psql and \
             pg_dump.\n"
        ),
    })
}

fn start() -> Result<TestServer, ClusterError> {
    let (bins, _) = PgBinaries::find(None)?;
    // In memory when there is plenty of room (a test suite creates and drops thousands of
    // databases: on a disk file system, allocating their files' inodes alone costs a fifth of
    // the corpus run), else on disk. The databases are dropped after each test; WAL stays
    // under max_wal_size.
    let cluster = TempCluster::start_in(
        &bins,
        &crate::cluster::cluster_base_dir_with(TEST_CLUSTER_SHM_MIN_FREE),
    )?;
    let server = TestServer {
        bins: bins.clone(),
        socket_dir: cluster.socket_dir().to_path_buf(),
        port: cluster.port(),
    };
    *CLUSTER.lock().expect("cluster lock") = Some(cluster);
    // SAFETY: registering a plain extern "C" function with no captured state.
    unsafe { libc::atexit(stop_cluster_at_exit) };
    Ok(server)
}

impl TestServer {
    /// The binaries the server runs.
    pub fn binaries(&self) -> &PgBinaries {
        &self.bins
    }

    /// The server's major version.
    pub fn major(&self) -> u32 {
        self.bins.major
    }

    /// A key=value connection string for `dbname`.
    pub fn conninfo(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={}",
            self.socket_dir.display(),
            self.port,
            dbname
        )
    }

    /// The server log so far (e.g. to count the statements a test sent, with
    /// `log_statement = 'all'`). Lines start with the default prefix `%m [%p] `.
    pub fn log(&self) -> String {
        CLUSTER
            .lock()
            .expect("cluster lock")
            .as_ref()
            .map(TempCluster::log)
            .unwrap_or_default()
    }

    /// Creates a new, empty database with a unique name derived from `label`.
    pub fn create_db(&'static self, label: &str) -> TestDb {
        let clean: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let name = format!("t_{}_{}", clean, crate::cluster::unique_suffix());
        let db = TestDb {
            server: self,
            name: name.clone(),
        };
        self.psql_in(
            "postgres",
            &format!("CREATE DATABASE \"{name}\" TEMPLATE template0"),
        )
        .unwrap_or_else(|e| panic!("creating test database {name}: {e}"));
        db
    }

    /// Runs SQL with psql (`ON_ERROR_STOP`) in `dbname`; returns stdout or the error output.
    pub fn psql_in(&self, dbname: &str, sql: &str) -> Result<String, String> {
        run_psql(
            &self.bins.client("psql"),
            &self.conninfo(dbname),
            Input::Sql(sql),
        )
    }
}

/// A database of the test server, for one test.
#[derive(Debug)]
pub struct TestDb {
    server: &'static TestServer,
    /// The database name.
    pub name: String,
}

impl TestDb {
    /// A key=value connection string.
    pub fn conninfo(&self) -> String {
        self.server.conninfo(&self.name)
    }

    /// Runs SQL text with psql as a script (`ON_ERROR_STOP`, no psqlrc).
    pub fn psql(&self, sql: &str) -> Result<String, String> {
        run_psql(
            &self.server.bins.client("psql"),
            &self.conninfo(),
            Input::Sql(sql),
        )
    }

    /// Runs a SQL file with psql.
    pub fn psql_file(&self, path: &Path) -> Result<String, String> {
        run_psql(
            &self.server.bins.client("psql"),
            &self.conninfo(),
            Input::File(path),
        )
    }

    /// `pg_dump --schema-only` of the database, normalized by [`normalize_dump`].
    pub fn dump(&self) -> String {
        let out = Command::new(self.server.bins.client("pg_dump"))
            .args(["--schema-only", "--no-owner", "--no-privileges", "-d"])
            .arg(self.conninfo())
            .stdin(Stdio::null())
            .output()
            .expect("running pg_dump");
        assert!(
            out.status.success(),
            "pg_dump of {} failed: {}",
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
        normalize_dump(&String::from_utf8_lossy(&out.stdout))
    }

    /// The server this database lives on.
    pub fn server(&self) -> &'static TestServer {
        self.server
    }
}

impl Drop for TestDb {
    /// Drops the database (closing whatever connections are left): a test suite creates
    /// thousands, which would otherwise pile up on the cluster until the process exits.
    fn drop(&mut self) {
        let _ = self.server.psql_in(
            "postgres",
            &format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                crate::ddl::ident(&self.name)
            ),
        );
    }
}

enum Input<'a> {
    Sql(&'a str),
    File(&'a Path),
}

fn run_psql(psql: &Path, conninfo: &str, input: Input<'_>) -> Result<String, String> {
    use std::io::Write;
    let mut cmd = Command::new(psql);
    cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo]);
    // SQL text goes through stdin like a file (`-c` would run it as one transaction).
    match input {
        Input::Sql(_) => cmd.args(["-f", "-"]).stdin(Stdio::piped()),
        Input::File(p) => cmd.arg("-f").arg(p).stdin(Stdio::null()),
    };
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running {}: {e}", psql.display()))?;
    if let Input::Sql(sql) = input {
        let mut stdin = child.stdin.take().expect("piped stdin");
        stdin
            .write_all(sql.as_bytes())
            .map_err(|e| format!("writing to psql: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("running {}: {e}", psql.display()))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Normalizes a `pg_dump --schema-only` script for comparison: drops what pg_dump leaves to
/// chance or to the session (comments, `SET` lines, `\restrict` keys, blank lines), sorts the
/// lines inside each `CREATE TABLE` (column order), and sorts the statements.
pub fn normalize_dump(dump: &str) -> String {
    let kept: Vec<&str> = dump
        .lines()
        .filter(|l| {
            !(l.starts_with("--")
                || l.starts_with("SET ")
                || l.starts_with("SELECT pg_catalog.set_config(")
                || l.starts_with("\\restrict")
                || l.starts_with("\\unrestrict")
                || l.trim().is_empty())
        })
        .collect();
    let text = kept.join("\n");
    let stmts = pg_query::split_with_scanner(&text).unwrap_or_else(|_| vec![text.as_str()]);
    let mut out: Vec<String> = stmts
        .into_iter()
        .map(|s| normalize_statement(s.trim()))
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out.join(";\n") + ";\n"
}

fn normalize_statement(stmt: &str) -> String {
    if !(stmt.starts_with("CREATE TABLE") || stmt.starts_with("CREATE UNLOGGED TABLE")) {
        return stmt.to_string();
    }
    let lines: Vec<&str> = stmt.lines().collect();
    // pg_dump writes `CREATE TABLE x (` then one column or constraint per line, then `)...`.
    if lines.len() < 3 || !lines[0].ends_with('(') {
        return stmt.to_string();
    }
    let close = lines
        .iter()
        .rposition(|l| l.starts_with(')'))
        .unwrap_or(lines.len() - 1);
    let mut body: Vec<String> = lines[1..close]
        .iter()
        .map(|l| l.trim_end_matches(',').to_string())
        .collect();
    body.sort();
    let mut s = lines[0].to_string();
    s.push('\n');
    s.push_str(&body.join(",\n"));
    for l in &lines[close..] {
        s.push('\n');
        s.push_str(l);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_ignores_column_order_and_noise() {
        let a = "--\n-- x\nSET a = 1;\n\\restrict abc\nCREATE TABLE public.t (\n    a integer,\n    b text\n);\n\nCREATE INDEX i ON public.t USING btree (a);\n";
        let b = "SET b = 2;\nCREATE INDEX i ON public.t USING btree (a);\nCREATE TABLE public.t (\n    b text,\n    a integer\n);\n\\unrestrict abc\n";
        assert_eq!(normalize_dump(a), normalize_dump(b));
        let c = "CREATE TABLE public.t (\n    b text,\n    a bigint\n);\n";
        assert_ne!(normalize_dump(a), normalize_dump(c));
    }
}
