//! Desired-state sources: a directory or file of SQL (parsed and ordered with pg_query, then
//! normalized through a shadow database), or another live database.

pub mod shadow;
pub mod sql;

pub use shadow::{LoadMode, Shadow, ShadowError};
pub use sql::{SourceFile, SqlError, SqlErrors, Statement};

use std::path::PathBuf;

/// Where the desired schema comes from.
#[derive(Debug, Clone)]
pub enum Desired {
    /// A directory of `.sql` files or one `.sql` file.
    Sql(PathBuf),
    /// A live database (URL or key=value string).
    Database(String),
}

impl Desired {
    /// Interprets a `--desired` argument: URLs and key=value strings are databases, anything
    /// else a path.
    pub fn parse(arg: &str) -> Desired {
        let looks_like_db = arg.starts_with("postgres://")
            || arg.starts_with("postgresql://")
            || (arg.contains('=') && !std::path::Path::new(arg).exists());
        if looks_like_db {
            Desired::Database(arg.to_string())
        } else {
            Desired::Sql(PathBuf::from(arg))
        }
    }
}

/// Errors while preparing desired SQL (before any database is involved).
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// Files could not be read.
    #[error("{0}")]
    Read(String),
    /// Syntax errors or rejected statements.
    #[error("{0}")]
    Sql(SqlErrors),
    /// A dependency cycle that moving foreign keys out could not break.
    #[error("the desired SQL has a dependency cycle between:\n  {}", .0.join("\n  "))]
    Cycle(Vec<String>),
}

/// Reads, parses, checks and orders the desired SQL at `path`.
pub fn prepare(path: &std::path::Path) -> Result<(Vec<SourceFile>, Vec<Statement>), PrepareError> {
    let files = sql::read_sources(path).map_err(PrepareError::Read)?;
    let stmts = sql::parse_sources(&files).map_err(PrepareError::Sql)?;
    let ordered =
        sql::order_statements(&files, stmts).map_err(|c| PrepareError::Cycle(c.members))?;
    // Parsing and ordering leave freed memory behind (each statement's tree was decoded,
    // walked as JSON and encoded) that would otherwise stay in the process through the load.
    release_freed_memory();
    Ok((files, ordered))
}

/// The number of cores, at most `max` (1 when it cannot be told): how many threads parse
/// and how many connections load desired SQL.
pub(crate) fn cores(max: usize) -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(max))
}

/// Gives freed memory back to the OS. The desired SQL is parsed on a thread of its own,
/// whose allocator arena the threads reading the catalog do not allocate from, so without
/// this its free pages stay in the process beside the models being read.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's arenas to the OS.
    unsafe {
        libc::malloc_trim(0);
    }
}
