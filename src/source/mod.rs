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
    Ok((files, ordered))
}
