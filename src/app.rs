//! The commands: glue between validated CLI input, sources, planning and rendering. Errors
//! carry the exit code they map to.

use crate::catalog::{self, Filter, Inspection};
use crate::cli::{self, CheckArgs, Cli, Command, InspectArgs, InspectFormat, PlanArgs, PlanFormat};
use crate::conn::Target;
use crate::model::{Namespace, Schema};
use crate::plan::{self, PlanOptions};
use crate::render;
use crate::source::{self, Desired, Shadow};
use anyhow::{Context, Result, anyhow};
use std::io::Write;
use std::path::Path;

/// An error with the exit code the process should end with.
#[derive(Debug)]
pub struct Exit {
    /// The exit code.
    pub code: i32,
    /// The message for stderr (empty: nothing to print).
    pub message: String,
}

impl From<anyhow::Error> for Exit {
    fn from(e: anyhow::Error) -> Exit {
        Exit {
            code: 1,
            message: format!("{e:#}"),
        }
    }
}

/// Runs a parsed command line; returns the exit code on success.
pub async fn run(cli: Cli) -> Result<i32, Exit> {
    let color = cli::use_color(cli.color);
    match cli.command {
        Command::Inspect(a) => inspect(a).await,
        Command::Plan(a) => plan_cmd(a, color).await,
        Command::Check(a) => check(a),
        Command::Apply(a) => crate::apply::command(a, color).await,
        Command::Drift(a) => crate::drift::command(a, color).await,
    }
}

fn filter_of(f: &cli::FilterArgs) -> Filter {
    Filter {
        include: f.schemas.clone(),
        exclude: f.exclude_schemas.clone(),
    }
}

/// Connects to a database and inspects it, on two connections (see
/// [`inspect_database_on`]).
pub async fn inspect_database(url: &str, filter: &Filter) -> Result<Inspection> {
    inspect_database_on(url, filter, 2).await
}

/// Connects to a database and inspects it on up to `connections` connections, so that the
/// server answers the catalog queries in parallel. Connections after the first are optional:
/// a server at its connection limit still gets inspected.
pub async fn inspect_database_on(
    url: &str,
    filter: &Filter,
    connections: usize,
) -> Result<Inspection> {
    let target = Target::parse(url)?;
    let mut connected =
        futures_util::future::join_all((0..connections.max(1)).map(|_| target.connect())).await;
    let first = connected.remove(0)?;
    let clients: Vec<&tokio_postgres::Client> = std::iter::once(&first)
        .chain(connected.iter().filter_map(|c| c.as_ref().ok()))
        .collect();
    let i = catalog::inspect_on(&clients, filter)
        .await
        .with_context(|| format!("inspecting {target}"))?;
    Ok(i)
}

/// A shadow being made ready: a server named by the user, or the embedded cluster starting
/// on a blocking thread (initdb and pg_ctl block) while other work goes on.
enum StartingShadow {
    Ready(Shadow),
    Starting(
        tokio::task::JoinHandle<
            Result<(Shadow, Option<String>), crate::source::shadow::ShadowError>,
        >,
    ),
}

impl StartingShadow {
    /// Starts the embedded cluster (preferring PostgreSQL `major`) unless a shadow server
    /// is named.
    fn begin(shadow_url: Option<&str>, major: Option<u32>) -> Result<StartingShadow> {
        Ok(match shadow_url {
            Some(u) => StartingShadow::Ready(Shadow::server(u)?),
            None => StartingShadow::Starting(tokio::task::spawn_blocking(move || {
                Shadow::embedded(major)
            })),
        })
    }

    /// Waits until the shadow is ready; prints the warning about a version mismatch.
    async fn ready(self) -> Result<Shadow> {
        match self {
            StartingShadow::Ready(s) => Ok(s),
            StartingShadow::Starting(h) => {
                let (s, warning) = h
                    .await
                    .map_err(|e| anyhow!("starting the shadow database: {e}"))??;
                if let Some(w) = warning {
                    eprintln!("{w}");
                }
                Ok(s)
            }
        }
    }

    /// Gives the shadow up after an error elsewhere: waits for a starting cluster so that it
    /// is stopped and removed now rather than left behind.
    async fn abandon(self) {
        if let StartingShadow::Starting(h) = self {
            drop(h.await);
        }
    }
}

/// Renames declared in desired SQL: (new identity, old identity).
pub type Renames = std::collections::BTreeMap<crate::model::ObjectId, crate::model::ObjectId>;

/// Loads desired SQL through a shadow database, with the renames it declares. `major` is
/// the target's major version, if known, to pick matching embedded binaries.
pub async fn load_desired_sql(
    path: &Path,
    filter: &Filter,
    shadow_url: Option<&str>,
    major: Option<u32>,
) -> Result<(Inspection, Shadow, Renames)> {
    // The embedded cluster starts (processes) while the SQL is parsed and ordered (CPU).
    let starting = StartingShadow::begin(shadow_url, major)?;
    let (files, stmts) = match source::prepare(path) {
        Ok(p) => p,
        Err(e) => {
            starting.abandon().await;
            return Err(e.into());
        }
    };
    let renames = source::sql::renames(&stmts);
    let shadow = starting.ready().await?;
    let inspection = shadow.load(files, stmts, filter).await?;
    Ok((inspection, shadow, renames))
}

/// Loads desired SQL that was already read and ordered ([`source::prepare`]) through a
/// shadow database.
pub async fn load_prepared_sql(
    files: Vec<source::sql::SourceFile>,
    stmts: Vec<source::sql::Statement>,
    filter: &Filter,
    shadow_url: Option<&str>,
    major: Option<u32>,
) -> Result<(Inspection, Shadow)> {
    let shadow = StartingShadow::begin(shadow_url, major)?.ready().await?;
    let inspection = shadow.load(files, stmts, filter).await?;
    Ok((inspection, shadow))
}

async fn inspect(a: InspectArgs) -> Result<i32, Exit> {
    let filter = filter_of(&a.filter);
    let inspection = match &a.desired {
        Some(path) => {
            load_desired_sql(path, &filter, a.shadow.shadow.as_deref(), None)
                .await?
                .0
        }
        None => inspect_database(&cli::database_or_env(&a.database), &filter).await?,
    };
    match a.format {
        // Streamed: the JSON of a large catalog is tens of megabytes.
        InspectFormat::Json => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let written = serde_json::to_writer_pretty(&mut out, &inspection.schema)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"))
                .and_then(|()| out.flush());
            match written {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(anyhow!("writing output: {e}").into()),
            }
        }
        InspectFormat::Sql => print_stdout(&creation_script(&inspection.schema)?)?,
    }
    // As in `plan`: the process ends next.
    std::mem::forget(inspection);
    Ok(0)
}

/// The schema of a new, empty database: only `public`, as Postgres creates it.
pub fn empty_database() -> Schema {
    let mut s = Schema::default();
    s.schemas.insert(
        "public".into(),
        Namespace {
            comment: Some("standard public schema".into()),
            grants: Vec::new(),
        },
    );
    s
}

/// A complete creation script for `schema`, ordered by dependencies.
pub fn creation_script(schema: &Schema) -> Result<String> {
    let mut base = empty_database();
    if let Some(p) = schema.schemas.get("public") {
        base.schemas.insert("public".into(), p.clone());
    } else {
        base.schemas.clear();
    }
    // A complete script: privileges included.
    let opts = PlanOptions {
        diff: crate::diff::DiffOptions {
            privileges: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let steps = plan::ordered_steps(
        &base,
        schema,
        &crate::diff::diff(&base, schema, &opts.diff),
        &opts,
    )?;
    Ok(render::sql(&steps, "pgdiff inspect: creation script"))
}

fn print_stdout(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(anyhow!("writing output: {e}")),
    }
}

/// Both sides of a plan, as [`read_both_sides`] returns them.
pub struct BothSides {
    /// The current database.
    pub current: Inspection,
    /// The current side prepared for planning.
    pub current_prepared: plan::Prepared,
    /// The desired schema.
    pub desired: Inspection,
    /// The desired side prepared for planning.
    pub desired_prepared: plan::Prepared,
    /// The shadow database, when desired SQL was loaded into one.
    pub shadow: Option<Shadow>,
    /// The renames declared in desired SQL.
    pub renames: std::collections::BTreeMap<crate::model::ObjectId, crate::model::ObjectId>,
}

/// Reads the current database and the desired schema at the same time: both databases'
/// catalogs are queried concurrently, and for desired SQL the shadow database is started and
/// loaded while the current database is inspected. Each side is prepared for planning
/// ([`plan::Prepared`]) as soon as it has been read, while the other is still being read.
pub async fn read_both_sides(
    url: &str,
    desired: &str,
    filter: &Filter,
    shadow_args: &cli::ShadowArgs,
) -> Result<BothSides> {
    match Desired::parse(desired) {
        Desired::Database(desired_url) => {
            // One connection each: two inspections at once already keep two server
            // processes busy.
            let ((current, current_prepared), (desired, desired_prepared)) = tokio::try_join!(
                async { prepared(inspect_database_on(url, filter, 1).await?).await },
                async { prepared(inspect_database_on(&desired_url, filter, 1).await?).await }
            )?;
            Ok(BothSides {
                current,
                current_prepared,
                desired,
                desired_prepared,
                shadow: None,
                renames: Default::default(),
            })
        }
        Desired::Sql(path) => {
            // Parsing and ordering the SQL (CPU), starting the embedded cluster (processes)
            // and inspecting the current database (I/O) overlap.
            let parsing = tokio::task::spawn_blocking(move || source::prepare(&path));
            let parsed = |r: Result<_, tokio::task::JoinError>| -> Result<_> {
                Ok(r.map_err(|e| anyhow!("reading the desired SQL: {e}"))??)
            };
            let target = Target::parse(url)?;
            let connected = async {
                let client = target.connect().await?;
                let version = catalog::server_version_num(&client).await?;
                anyhow::Ok((client, version))
            }
            .await;
            let (client, version) = match connected {
                Ok(c) => c,
                Err(e) => {
                    // An error in the SQL is reported first: it needs no database to fix.
                    parsed(parsing.await)?;
                    return Err(e.context(format!("inspecting {target}")));
                }
            };
            let major = (version / 10000) as u32;
            let starting = StartingShadow::begin(shadow_args.shadow.as_deref(), Some(major))?;
            let shadow = async {
                let (files, stmts) = match parsed(parsing.await) {
                    Ok(p) => p,
                    Err(e) => {
                        starting.abandon().await;
                        return Err(e);
                    }
                };
                let shadow = starting.ready().await?;
                let renames = source::sql::renames(&stmts);
                let inspection = shadow.load(files, stmts, filter).await?;
                anyhow::Ok((prepared(inspection).await?, shadow, renames))
            };
            let current = async {
                let inspection = catalog::inspect(&client, filter)
                    .await
                    .with_context(|| format!("inspecting {target}"))?;
                prepared(inspection).await
            };
            let ((current, current_prepared), ((desired, desired_prepared), shadow, renames)) =
                tokio::try_join!(current, shadow)?;
            Ok(BothSides {
                current,
                current_prepared,
                desired,
                desired_prepared,
                shadow: Some(shadow),
                renames,
            })
        }
    }
}

/// Prepares an inspected side for planning on a blocking thread, so that the runtime goes on
/// reading the other side meanwhile.
async fn prepared(inspection: Inspection) -> Result<(Inspection, plan::Prepared)> {
    tokio::task::spawn_blocking(move || {
        let prepared = plan::Prepared::of(&inspection.schema);
        (inspection, prepared)
    })
    .await
    .map_err(|e| anyhow!("preparing the plan: {e}"))
}

async fn plan_cmd(a: PlanArgs, color: bool) -> Result<i32, Exit> {
    use std::io::IsTerminal;
    let filter = filter_of(&a.filter);
    let BothSides {
        current,
        current_prepared,
        desired,
        desired_prepared,
        mut shadow,
        renames,
    } = read_both_sides(
        &cli::database_or_env(&a.database),
        &a.desired,
        &filter,
        &a.shadow,
    )
    .await?;
    // Unverified, the plan needs the shadow no more: the embedded cluster is stopped and
    // removed (0.1 s at 1,000 tables, most of it deleting its files) while the plan is made
    // and written. Should the command fail first, the runtime still waits for this.
    let stopping = a
        .no_verify
        .then(|| shadow.take())
        .flatten()
        .map(|s| tokio::task::spawn_blocking(move || drop(s)));
    let opts = PlanOptions {
        diff: crate::diff::DiffOptions {
            privileges: a.privileges,
            renames,
        },
        online: a.online,
    };
    let p = plan::plan_prepared(
        &current.schema,
        &current_prepared,
        &desired.schema,
        &desired_prepared,
        &opts,
    )
    .map_err(anyhow::Error::from)?;
    if !a.no_verify && !p.is_empty() {
        let shadow = match shadow {
            Some(s) => s,
            None => match a.shadow.shadow.as_deref() {
                Some(u) => Shadow::server(u).map_err(anyhow::Error::from)?,
                None => {
                    Shadow::embedded(Some(current.major_version()))
                        .map_err(anyhow::Error::from)?
                        .0
                }
            },
        };
        crate::verify::verify(&shadow, &current.schema, &desired.schema, &p, &filter)
            .await
            .context("verifying the plan on a shadow database (pass --no-verify to skip)")?;
    }
    let format = a
        .format
        .unwrap_or(if a.out.is_none() && std::io::stdout().is_terminal() {
            PlanFormat::Human
        } else {
            PlanFormat::Sql
        });
    let text = match format {
        PlanFormat::Human => render::human(
            &p,
            &current.schema,
            &desired.schema,
            color && a.out.is_none(),
        ),
        PlanFormat::Sql => render::sql(&p.steps, "pgdiff plan: migration"),
        PlanFormat::Json => render::json(&p),
    };
    match &a.out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => print_stdout(&text)?,
    }
    if let Some(path) = &a.rollback_out {
        std::fs::write(path, render::sql(&p.rollback, "pgdiff plan: rollback"))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let code = if a.exit_code && !p.is_empty() { 2 } else { 0 };
    if let Some(stopping) = stopping {
        let _ = stopping.await;
    }
    // The process ends next: the models of a large catalog are hundreds of thousands of small
    // allocations, which the OS reclaims at once (the shadow, which stops a cluster when
    // dropped, is not among them).
    std::mem::forget((current, current_prepared, desired, desired_prepared, p));
    Ok(code)
}

fn check(a: CheckArgs) -> Result<i32, Exit> {
    match source::prepare(&a.desired) {
        Ok((files, stmts)) => {
            let mut out = format!(
                "{}: {} statements in {} files, in this order:\n",
                a.desired.display(),
                stmts.len(),
                files.len()
            );
            for s in &stmts {
                let (line, _, _) = source::sql::locate(&files[s.file].text, s.offset);
                out.push_str(&format!(
                    "  {}:{line}: {}\n",
                    files[s.file].path.display(),
                    s.summary
                ));
            }
            print_stdout(&out)?;
            Ok(0)
        }
        Err(e) => Err(Exit {
            code: 1,
            message: e.to_string(),
        }),
    }
}
