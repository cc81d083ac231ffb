//! The shadow database: where desired SQL is executed so that Postgres normalizes it, then
//! read back with the catalog inspector.
//!
//! Two providers: a server the user names (`--shadow URL`), on which a database with a random
//! name is created and always dropped; or the embedded default, a private cluster started
//! from the local binaries. Temporary databases are registered so that an interrupted run
//! (Ctrl-C) can drop them before exiting.

use super::sql::{SourceFile, SqlError, SqlErrors, Statement, locate};
use crate::catalog::{self, Filter, Inspection};
use crate::cluster::{ClusterError, PgBinaries, TempCluster};
use crate::conn::{ConnError, Target};
use std::sync::Mutex;

/// Errors from the shadow database.
#[derive(Debug, thiserror::Error)]
pub enum ShadowError {
    /// The embedded cluster could not be found or started.
    #[error("starting the embedded shadow database: {0}")]
    Cluster(#[from] ClusterError),
    /// Connecting to the shadow server failed.
    #[error("shadow database: {0}")]
    Connect(#[from] ConnError),
    /// A statement of the desired SQL failed in the shadow database.
    #[error("{0}")]
    Sql(SqlErrors),
    /// Creating, reading or dropping the shadow database failed.
    #[error("shadow database: {0}")]
    Other(String),
    /// Reading the shadow's catalog failed.
    #[error("reading the shadow database: {0}")]
    Catalog(#[from] catalog::CatalogError),
}

/// Where shadow databases are created.
pub enum Shadow {
    /// A private cluster owned by this process.
    Embedded(TempCluster),
    /// A server named by the user; `Target` points at a database to connect to for
    /// CREATE/DROP DATABASE.
    Server(Box<Target>),
}

static TEMP_DATABASES: Mutex<Vec<(Target, String)>> = Mutex::new(Vec::new());

/// Drops every temporary database still registered (after an interruption).
pub async fn drop_registered_databases() {
    let pending: Vec<(Target, String)> = std::mem::take(&mut *TEMP_DATABASES.lock().expect("lock"));
    for (admin, name) in pending {
        if let Ok(c) = admin.connect().await {
            let _ = c
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    crate::ddl::ident(&name)
                ))
                .await;
        }
    }
}

impl Shadow {
    /// Starts the embedded shadow cluster, preferring PostgreSQL `major`. Returns a warning
    /// when that major version is not available locally.
    pub fn embedded(major: Option<u32>) -> Result<(Shadow, Option<String>), ShadowError> {
        let (bins, matched) = PgBinaries::find(major)?;
        let warning = (!matched).then(|| {
            format!(
                "warning: the target runs PostgreSQL {}, but the shadow database uses local \
                 PostgreSQL {} binaries (set PGDIFF_PG_BIN or pass --shadow URL to match)",
                major.unwrap_or(0),
                bins.major
            )
        });
        Ok((Shadow::Embedded(TempCluster::start(&bins)?), warning))
    }

    /// Uses the server at `url` for shadow databases.
    pub fn server(url: &str) -> Result<Shadow, ShadowError> {
        Ok(Shadow::Server(Box::new(Target::parse(url)?)))
    }

    fn admin_target(&self) -> Result<Target, ShadowError> {
        match self {
            Shadow::Embedded(c) => Ok(Target::parse(&c.conninfo("postgres"))?),
            Shadow::Server(t) => Ok((**t).clone()),
        }
    }

    /// Creates a fresh temporary database and returns its target.
    pub async fn create_database(&self) -> Result<Target, ShadowError> {
        let admin = self.admin_target()?;
        let name = format!("pgdiff_shadow_{}", crate::cluster::unique_suffix());
        let client = admin.connect().await?;
        TEMP_DATABASES
            .lock()
            .expect("lock")
            .push((admin.clone(), name.clone()));
        client
            .batch_execute(&format!(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'",
                crate::ddl::ident(&name)
            ))
            .await
            .map_err(|e| {
                ShadowError::Other(format!(
                    "creating a temporary database on {admin}: {} (the role needs CREATEDB)",
                    crate::conn::db_message(&e)
                ))
            })?;
        Ok(admin.with_dbname(&name))
    }

    /// Drops a temporary database created by [`Shadow::create_database`].
    pub async fn drop_database(&self, db: &Target) -> Result<(), ShadowError> {
        let admin = self.admin_target()?;
        let name = db.dbname().to_string();
        let client = admin.connect().await?;
        client
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                crate::ddl::ident(&name)
            ))
            .await
            .map_err(|e| {
                ShadowError::Other(format!("dropping {name}: {}", crate::conn::db_message(&e)))
            })?;
        TEMP_DATABASES
            .lock()
            .expect("lock")
            .retain(|(_, n)| *n != name);
        Ok(())
    }

    /// Executes the ordered statements in a fresh temporary database, inspects it and drops
    /// it (also when a statement fails; on the embedded cluster, which is removed as a whole,
    /// a successfully loaded database is left in place).
    pub async fn load(
        &self,
        files: &[SourceFile],
        stmts: &[Statement],
        filter: &Filter,
    ) -> Result<Inspection, ShadowError> {
        let db = self.create_database().await?;
        let result = self.load_into(&db, files, stmts, filter).await;
        if result.is_ok() && matches!(self, Shadow::Embedded(_)) {
            // The private cluster is removed as a whole when the run ends; dropping the
            // database first would only cost a checkpoint.
            TEMP_DATABASES
                .lock()
                .expect("lock")
                .retain(|(_, n)| n != db.dbname());
            return result;
        }
        let dropped = self.drop_database(&db).await;
        let inspection = result?;
        dropped?;
        Ok(inspection)
    }

    async fn load_into(
        &self,
        db: &Target,
        files: &[SourceFile],
        stmts: &[Statement],
        filter: &Filter,
    ) -> Result<Inspection, ShadowError> {
        let client = db.connect().await?;
        let mut script = String::from(crate::render::DESIRED_PREAMBLE);
        for s in stmts {
            script.push_str(&s.text);
            script.push_str(";\n");
        }
        // One round trip for the whole schema; on failure, find the statement one by one.
        if let Err(e) = client.batch_execute(&script).await {
            drop(client);
            self.drop_database(db).await?;
            let fresh = self.create_database().await?;
            let located = locate_failure(&fresh, files, stmts).await;
            self.drop_database(&fresh).await?;
            return Err(located.unwrap_or_else(|| {
                ShadowError::Other(format!(
                    "loading the desired SQL failed: {}",
                    crate::conn::db_message(&e)
                ))
            }));
        }
        Ok(catalog::inspect(&client, filter).await?)
    }
}

/// Runs statements one at a time in `db` and turns the first failure into a located error.
async fn locate_failure(
    db: &Target,
    files: &[SourceFile],
    stmts: &[Statement],
) -> Option<ShadowError> {
    let client = db.connect().await.ok()?;
    client
        .batch_execute(crate::render::DESIRED_PREAMBLE)
        .await
        .ok()?;
    for s in stmts {
        if let Err(e) = client.batch_execute(&s.text).await {
            let f = &files[s.file];
            let mut offset = s.offset;
            let mut notes = Vec::new();
            let message;
            if let Some(d) = e.as_db_error() {
                message = d.message().to_string();
                if let Some(tokio_postgres::error::ErrorPosition::Original(p)) = d.position() {
                    // Positions count characters, 1-based; valid when the text is the source's.
                    let pos = *p as usize;
                    if f.text[s.offset..].starts_with(&s.text) {
                        let byte = s
                            .text
                            .char_indices()
                            .nth(pos.saturating_sub(1))
                            .map(|(b, _)| b)
                            .unwrap_or(0);
                        offset += byte;
                    }
                }
                if let Some(x) = d.detail() {
                    notes.push(format!("DETAIL: {x}"));
                }
                if let Some(x) = d.hint() {
                    notes.push(format!("HINT: {x}"));
                }
            } else {
                message = crate::conn::db_message(&e);
            }
            let (line, col, line_text) = locate(&f.text, offset);
            return Some(ShadowError::Sql(SqlErrors(vec![SqlError {
                file: f.path.clone(),
                line,
                col,
                message: format!("PostgreSQL rejected {}: {message}", s.summary),
                line_text,
                notes,
            }])));
        }
    }
    None
}
