//! The shadow database: where desired SQL is executed so that Postgres normalizes it, then
//! read back with the catalog inspector.
//!
//! Two providers: a server the user names (`--shadow URL`), on which a database with a random
//! name is created and always dropped; or the embedded default, a private cluster started
//! from the local binaries. Temporary databases are registered so that an interrupted run
//! (Ctrl-C) can drop them before exiting.
//!
//! Statements are loaded over several connections on the schedule of
//! [`super::sql::concurrent_schedule`], each committed on its own; on any failure the load
//! starts over in a fresh database in one transaction, in order, and a failure there is
//! located statement by statement.

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

/// How desired SQL was loaded into the shadow database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadMode {
    /// Over this many connections, statement by statement.
    Concurrent(usize),
    /// In order, in one transaction (statements that rule out a concurrent load, one
    /// connection asked for, or a concurrent load that failed and was started over).
    Serial,
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
        create_database_on(self.admin_target()?).await
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
    /// a successfully loaded database is left in place). The statements and the files' texts
    /// are freed once they are loaded, before the database is inspected (at 5,000 tables
    /// they take as much memory as the model being read).
    pub async fn load(
        &self,
        files: Vec<SourceFile>,
        stmts: Vec<Statement>,
        filter: &Filter,
    ) -> Result<Inspection, ShadowError> {
        Ok(self.load_with(files, stmts, filter, load_jobs()).await?.0)
    }

    /// [`Shadow::load`] over `jobs` connections (1: in one transaction, in order); also says
    /// how the statements were loaded in the end.
    pub async fn load_with(
        &self,
        files: Vec<SourceFile>,
        stmts: Vec<Statement>,
        filter: &Filter,
        jobs: usize,
    ) -> Result<(Inspection, LoadMode), ShadowError> {
        // The database is created (server, on another task) while the load is scheduled
        // (client, here: on a thread of its own the schedule's memory would not be reused,
        // and the 5,000-table plan peaked 28 MB higher).
        let mut creating = AbortOnDrop(tokio::spawn(create_database_on(self.admin_target()?)));
        let preds = (jobs > 1)
            .then(|| super::sql::concurrent_schedule(&stmts))
            .flatten();
        let mut db = (&mut creating.0)
            .await
            .map_err(|e| ShadowError::Other(format!("creating a temporary database: {e}")))??;
        let loaded = {
            // Ordered and scheduled: from here on only the texts are needed.
            let stmts = Loadables::new(&files, stmts);
            super::release_freed_memory();
            let concurrent = match preds {
                Some(preds) => match load_concurrently(&db, &stmts, &preds, jobs).await {
                    Ok(()) => true,
                    Err(_) => {
                        // A dependency the parse could not see (or a real error): start
                        // over with the serial load, which also locates errors precisely.
                        self.drop_database(&db).await?;
                        db = self.create_database().await?;
                        false
                    }
                },
                None => false,
            };
            if concurrent {
                Ok(Loaded::Concurrently)
            } else {
                self.load_serially(&db, &files, stmts).await
            }
        };
        // Loaded (or failed, and located): the statements and the texts they came from are
        // not needed to read the database.
        drop(files);
        super::release_freed_memory();
        let result = match loaded {
            Ok(Loaded::Concurrently) => {
                async {
                    let (a, b) = tokio::try_join!(db.connect(), db.connect())?;
                    catalog::analyze_fresh(&a).await;
                    Ok((
                        catalog::inspect_on(&[&a, &b], filter).await?,
                        LoadMode::Concurrent(jobs),
                    ))
                }
                .await
            }
            Ok(Loaded::Serially(client)) => {
                async {
                    catalog::analyze_fresh(&client).await;
                    Ok((catalog::inspect(&client, filter).await?, LoadMode::Serial))
                }
                .await
            }
            Err(e) => Err(e),
        };
        self.finish(&db, result).await
    }

    /// Ends a load: drops the temporary database (left in place on the embedded cluster
    /// after a success) and returns the result.
    async fn finish<T>(
        &self,
        db: &Target,
        result: Result<T, ShadowError>,
    ) -> Result<T, ShadowError> {
        if result.is_ok() && matches!(self, Shadow::Embedded(_)) {
            // The private cluster is removed as a whole when the run ends; dropping the
            // database first would only cost a checkpoint.
            TEMP_DATABASES
                .lock()
                .expect("lock")
                .retain(|(_, n)| n != db.dbname());
            return result;
        }
        let dropped = self.drop_database(db).await;
        let value = result?;
        dropped?;
        Ok(value)
    }

    /// Executes the statements in one transaction, in order, and returns the connection
    /// for the read. On failure the statement that fails is located, one by one, in a
    /// fresh database.
    async fn load_serially(
        &self,
        db: &Target,
        files: &[SourceFile],
        stmts: Loadables<'_>,
    ) -> Result<Loaded, ShadowError> {
        let client = db.connect().await?;
        let mut script = String::from(crate::render::DESIRED_PREAMBLE);
        for s in stmts.iter() {
            script.push_str(s.text);
            script.push_str(";\n");
        }
        // One round trip for the whole schema; on failure, find the statement one by one.
        if let Err(e) = client.batch_execute(&script).await {
            drop(client);
            self.drop_database(db).await?;
            let fresh = self.create_database().await?;
            let located = locate_failure(&fresh, files, &stmts).await;
            self.drop_database(&fresh).await?;
            return Err(located.unwrap_or_else(|| {
                ShadowError::Other(format!(
                    "loading the desired SQL failed: {}",
                    crate::conn::db_message(&e)
                ))
            }));
        }
        Ok(Loaded::Serially(client))
    }
}

/// How a load went: the connection a serial load used is read from.
enum Loaded {
    Concurrently,
    Serially(tokio_postgres::Client),
}

/// A spawned task that is cancelled when its handle is dropped (the load it works for was
/// given up, as on Ctrl-C), instead of running on unobserved.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Creates a fresh temporary database on the server `admin` connects to (registered, so
/// that an interrupted run drops it) and returns its target.
async fn create_database_on(admin: Target) -> Result<Target, ShadowError> {
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

/// What loading the statements needs: their texts, and for errors where each came from and
/// what it is. Texts as written are read from the files; rewritten texts and the summaries
/// are packed into one buffer, so that the memory of the statements (whose parsed trees and
/// references, read by ordering and scheduling, take several times as much) can go back to
/// the OS whole instead of staying around small live strings.
struct Loadables<'f> {
    files: &'f [SourceFile],
    buf: String,
    items: Vec<Item>,
}

/// Where one statement's text and summary are, and where it came from.
struct Item {
    file: usize,
    offset: usize,
    /// In its file, or (rewritten) in [`Loadables::buf`].
    text: Place,
    summary: std::ops::Range<usize>,
}

/// Where a text is.
enum Place {
    File(std::ops::Range<usize>),
    Buf(std::ops::Range<usize>),
}

/// One statement of [`Loadables`].
struct Loadable<'a> {
    file: usize,
    offset: usize,
    text: &'a str,
    summary: &'a str,
}

impl<'f> Loadables<'f> {
    fn new(files: &'f [SourceFile], stmts: Vec<Statement>) -> Loadables<'f> {
        let size = stmts
            .iter()
            // Only rewritten texts go into the buffer.
            .map(|s| match s.span() {
                Some(_) => s.summary.len(),
                None => s.text(files).len() + s.summary.len(),
            })
            .sum();
        let mut buf = String::with_capacity(size);
        let mut push = |t: &str| {
            let start = buf.len();
            buf.push_str(t);
            start..buf.len()
        };
        let items = stmts
            .iter()
            .map(|s| Item {
                file: s.file,
                offset: s.offset,
                text: match s.span() {
                    Some(span) => Place::File(span),
                    None => Place::Buf(push(s.text(files))),
                },
                summary: push(&s.summary),
            })
            .collect();
        Loadables { files, buf, items }
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn get(&self, i: usize) -> Loadable<'_> {
        let it = &self.items[i];
        Loadable {
            file: it.file,
            offset: it.offset,
            text: match &it.text {
                Place::File(span) => &self.files[it.file].text[span.clone()],
                Place::Buf(range) => &self.buf[range.clone()],
            },
            summary: &self.buf[it.summary.clone()],
        }
    }

    fn iter(&self) -> impl Iterator<Item = Loadable<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Connections used to load desired SQL: `PGDIFF_SHADOW_JOBS` when set (1: in one
/// transaction, in order), else one per core, at most four (the server's catalog work
/// serializes beyond that).
fn load_jobs() -> usize {
    std::env::var("PGDIFF_SHADOW_JOBS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map_or_else(|| super::cores(4), |n| n.max(1))
}

/// Statements sent ahead on one connection during a concurrent load, so that the server
/// finds the next one waiting when it finishes one instead of idling for a round trip to the
/// client (1,000-table load: plan 3.4 -> 3.1 s in alternating runs; deeper gained nothing).
const PIPELINE_DEPTH: usize = 4;

/// Loads `stmts` into `db` over `jobs` connections, each statement committed on its own and
/// started once the statements it waits for (`preds`, from
/// [`super::sql::concurrent_schedule`]) are committed. A deadlock between two statements is
/// retried; any other error stops the load and is returned (the caller starts over
/// serially).
async fn load_concurrently(
    db: &Target,
    stmts: &Loadables<'_>,
    preds: &[Vec<usize>],
    jobs: usize,
) -> Result<(), String> {
    struct State {
        ready: std::collections::BTreeSet<usize>,
        waiting: Vec<usize>,
        running: usize,
        done: usize,
        failed: Option<String>,
        tries: Vec<u8>,
    }
    let n = stmts.len();
    let mut succs = vec![Vec::new(); n];
    let mut waiting = vec![0; n];
    for (i, p) in preds.iter().enumerate() {
        waiting[i] = p.len();
        for &q in p {
            succs[q].push(i);
        }
    }
    let state = Mutex::new(State {
        ready: (0..n).filter(|&i| waiting[i] == 0).collect(),
        waiting,
        running: 0,
        done: 0,
        failed: None,
        tries: vec![0; n],
    });
    let notify = tokio::sync::Notify::new();
    let clients = futures_util::future::try_join_all((0..jobs.min(n.max(1))).map(|_| async {
        let client = db.connect().await.map_err(|e| e.to_string())?;
        client
            .batch_execute(crate::render::DESIRED_PREAMBLE)
            .await
            .map_err(|e| crate::conn::db_message(&e))?;
        Ok::<_, String>(client)
    }))
    .await?;
    let (state, notify, succs) = (&state, &notify, &succs);
    let worker = async |client: &tokio_postgres::Client| {
        use futures_util::StreamExt;
        // Statements sent on this connection and not yet answered. The server runs them in
        // the order they were sent, each in its own transaction; only statements whose
        // predecessors have all committed are sent, so the order among them is free.
        let mut in_flight = futures_util::stream::FuturesUnordered::new();
        let send = |i: usize| async move { (i, client.batch_execute(stmts.get(i).text).await) };
        loop {
            // Registered before the state is read, so that no wake-up is lost.
            let notified = notify.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            {
                let mut s = state.lock().expect("lock");
                if s.failed.is_some() || s.done == n {
                    return;
                }
                while in_flight.len() < PIPELINE_DEPTH {
                    let Some(i) = s.ready.pop_first() else { break };
                    s.running += 1;
                    in_flight.push(send(i));
                }
                if in_flight.is_empty() && s.running == 0 {
                    s.failed = Some("the load schedule is stuck".into());
                    drop(s);
                    notify.notify_waiters();
                    return;
                }
            }
            let (i, result) = if in_flight.len() < PIPELINE_DEPTH {
                // Room for more: also wake when another connection makes statements ready.
                tokio::select! {
                    Some(done) = in_flight.next() => done,
                    () = &mut notified => continue,
                }
            } else {
                in_flight.next().await.expect("statements in flight")
            };
            let mut s = state.lock().expect("lock");
            match result {
                Err(e)
                    if s.tries[i] < 3
                        && e.code()
                            == Some(&tokio_postgres::error::SqlState::T_R_DEADLOCK_DETECTED) =>
                {
                    // Its predecessors are still committed: send it again.
                    s.tries[i] += 1;
                    in_flight.push(send(i));
                    continue;
                }
                Ok(()) => {
                    s.running -= 1;
                    s.done += 1;
                    for &j in &succs[i] {
                        s.waiting[j] -= 1;
                        if s.waiting[j] == 0 {
                            s.ready.insert(j);
                        }
                    }
                }
                Err(e) => {
                    s.running -= 1;
                    s.failed = Some(format!(
                        "{}: {}",
                        stmts.get(i).summary,
                        crate::conn::db_message(&e)
                    ));
                }
            }
            drop(s);
            notify.notify_waiters();
        }
    };
    futures_util::future::join_all(clients.iter().map(worker)).await;
    match state.lock().expect("lock").failed.take() {
        Some(m) => Err(m),
        None => Ok(()),
    }
}

/// Runs statements one at a time in `db` and turns the first failure into a located error.
async fn locate_failure(
    db: &Target,
    files: &[SourceFile],
    stmts: &Loadables<'_>,
) -> Option<ShadowError> {
    let client = db.connect().await.ok()?;
    client
        .batch_execute(crate::render::DESIRED_PREAMBLE)
        .await
        .ok()?;
    for s in stmts.iter() {
        if let Err(e) = client.batch_execute(s.text).await {
            let f = &files[s.file];
            let mut offset = s.offset;
            let mut notes = Vec::new();
            let message;
            if let Some(d) = e.as_db_error() {
                message = d.message().to_string();
                if let Some(tokio_postgres::error::ErrorPosition::Original(p)) = d.position() {
                    // Positions count characters, 1-based; valid in the source when the text
                    // up to the position is as written there (all of it, or the part a
                    // rewrite kept, as the clause a materialized view gets).
                    let pos = *p as usize;
                    let byte = s
                        .text
                        .char_indices()
                        .nth(pos.saturating_sub(1))
                        .map(|(b, _)| b)
                        .unwrap_or(0);
                    if f.text[s.offset..].starts_with(&s.text[..byte]) {
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
