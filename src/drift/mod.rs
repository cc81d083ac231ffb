//! drift: reports whether live databases still match the desired schema, for cron jobs,
//! alerting pipelines and CI (docs/drift.md, docs/drift-format.md).
//!
//! The flow: check the desired SQL offline; read every target concurrently (`targets`:
//! one read-only connection each, the apply lock taken in shared mode, one inspection, a
//! timeout); load the desired schema through *one* shadow database, matched to the targets'
//! PostgreSQL version, and reuse it for every target; drop ignored objects from both sides
//! ([`IgnoreSet`]); diff and order the repair with the planner; report (`report`,
//! rendered by `render`).
//!
//! drift never writes to a target and never applies its repair SQL: the SQL is there so that
//! whoever reads the alert sees what `pgdiff plan`/`apply` would do. It is not proven on a
//! shadow database; `pgdiff plan` does that.
//!
//! Exit codes: 0 every target in sync, 2 drift found, 1 a target could not be checked (or
//! the run itself failed), 4 an apply held the lock so a target was not compared.

mod ignore;
mod render;
mod report;
mod targets;

pub use ignore::{IGNORE_FILE, IgnoreError, IgnoreSet};
pub use report::{
    DriftKind, DriftObject, EXIT_APPLY_IN_PROGRESS, EXIT_DRIFT, EXIT_ERROR, EXIT_IN_SYNC,
    FORMAT_VERSION, Report, Status, TargetReport,
};
pub use targets::{ReadOptions, Reading, TargetSpec, TargetsFileError};

use crate::app::{self, Exit};
use crate::catalog::{Filter, Inspection};
use crate::cli::{DriftArgs, DriftFormat};
use crate::diff::DiffOptions;
use crate::plan::{self, PlanOptions};
use crate::source::{self, Desired};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Errors that stop a drift run as a whole (a single target's failure is reported in the
/// report instead).
#[derive(Debug, thiserror::Error)]
pub enum DriftError {
    /// An ignore pattern or the ignore file is wrong.
    #[error(transparent)]
    Ignore(#[from] IgnoreError),
    /// The targets file could not be read.
    #[error(transparent)]
    TargetsFile(#[from] TargetsFileError),
    /// `--targets` named a file without any target.
    #[error("the targets file {} lists no database", .0.display())]
    NoTargets(PathBuf),
    /// The lock wait does not fit in the per-target timeout.
    #[error(
        "--lock-wait ({lock_wait}) must be shorter than --timeout ({timeout}), or a running \
         apply would be reported as a timeout"
    )]
    LockWait {
        /// `--lock-wait`.
        lock_wait: String,
        /// `--timeout`.
        timeout: String,
    },
    /// The desired schema could not be read or loaded.
    #[error("loading the desired schema: {0}")]
    Desired(String),
}

/// A validated drift run.
#[derive(Debug)]
pub struct Config {
    /// The databases to check, in the order given.
    pub targets: Vec<TargetSpec>,
    /// `--desired` as given: a directory or file of SQL, or a database.
    pub desired: String,
    /// What to leave out.
    pub ignore: IgnoreSet,
    /// How targets are read.
    pub read: ReadOptions,
    /// `--shadow`: the server for the shadow database (default: an embedded cluster).
    pub shadow: Option<String>,
}

impl Config {
    /// Validates the command line: targets from `--database` and `--targets` (else
    /// `DATABASE_URL` / `PG*`), ignore patterns from `--ignore` and the ignore file.
    pub fn from_args(a: &DriftArgs) -> Result<Config, DriftError> {
        if a.lock_wait >= a.timeout {
            return Err(DriftError::LockWait {
                lock_wait: crate::apply::human_duration(a.lock_wait),
                timeout: crate::apply::human_duration(a.timeout),
            });
        }
        let mut conns = a.database.clone();
        if let Some(path) = &a.targets {
            let listed = targets::read_targets_file(path)?;
            if listed.is_empty() && a.database.is_empty() {
                return Err(DriftError::NoTargets(path.clone()));
            }
            conns.extend(listed);
        }
        if conns.is_empty() {
            conns.push(crate::cli::database_or_env(&None));
        }
        let targets = conns
            .iter()
            .enumerate()
            .map(|(i, c)| TargetSpec::parse(i + 1, c))
            .collect();
        let ignore_file = match &a.config {
            Some(path) => Some(path.clone()),
            None => default_ignore_file(&a.desired),
        };
        let mut patterns: Vec<(String, String)> = a
            .ignore
            .iter()
            .map(|p| (p.clone(), String::new()))
            .collect();
        if let Some(path) = &ignore_file {
            patterns.extend(ignore::read_file(path)?);
        }
        let ignore = IgnoreSet::new(patterns.iter().map(|(p, o)| (p.as_str(), o.clone())))?;
        Ok(Config {
            targets,
            desired: a.desired.clone(),
            ignore,
            read: ReadOptions {
                filter: Filter {
                    include: a.filter.schemas.clone(),
                    exclude: a.filter.exclude_schemas.clone(),
                },
                timeout: a.timeout,
                lock_wait: a.lock_wait,
                concurrency: usize::from(a.concurrency),
            },
            shadow: a.shadow.shadow.clone(),
        })
    }
}

/// `.pgdiff-ignore` in the directory of the desired SQL, when it exists: the ignore list is
/// versioned with the schema it refers to.
fn default_ignore_file(desired: &str) -> Option<PathBuf> {
    let Desired::Sql(path) = Desired::parse(desired) else {
        return None;
    };
    let dir = if path.is_dir() {
        path
    } else {
        path.parent().unwrap_or(Path::new(".")).to_path_buf()
    };
    let file = dir.join(IGNORE_FILE);
    file.is_file().then_some(file)
}

/// Runs `pgdiff drift`.
pub async fn command(a: DriftArgs, color: bool) -> Result<i32, Exit> {
    let config = Config::from_args(&a).map_err(fail)?;
    let report = run(&config).await.map_err(fail)?;
    let text = match a.format {
        DriftFormat::Human => render::human(&report, color),
        DriftFormat::Json => render::json(&report),
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => {}
        // `pgdiff drift | head` is fine; the exit code still tells the outcome.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(fail(format!("writing the report: {e}"))),
    }
    Ok(report.exit_code)
}

fn fail(e: impl std::fmt::Display) -> Exit {
    Exit {
        code: EXIT_ERROR,
        message: e.to_string(),
    }
}

/// Checks every target of `config` against the desired schema.
pub async fn run(config: &Config) -> Result<Report, DriftError> {
    let filter = &config.read.filter;
    let source = Desired::parse(&config.desired);
    // Broken desired SQL is reported before any target is contacted; it is read once, and
    // loaded as read (its statements are held while the targets are read: 74 MB at 5,000
    // tables, against parsing it again).
    let desired_read = match source {
        Desired::Sql(path) => {
            let (files, stmts) =
                source::prepare(&path).map_err(|e| DriftError::Desired(e.to_string()))?;
            DesiredRead::Sql(files, stmts)
        }
        Desired::Database(url) => DesiredRead::Database(url),
    };
    let renames = match &desired_read {
        DesiredRead::Sql(_, stmts) => source::sql::renames(stmts),
        DesiredRead::Database(_) => Default::default(),
    };

    let readings = targets::read_all(&config.targets, &config.read).await;

    let inspected: Vec<&Inspection> = readings
        .iter()
        .filter_map(|(r, _)| match r {
            Reading::Inspected(i) => Some(&**i),
            _ => None,
        })
        .collect();
    // Nothing to compare when no target could be read: skip the shadow database.
    let desired = match inspected.first() {
        None => None,
        Some(first) => {
            let major = first.major_version();
            if inspected.iter().any(|i| i.major_version() != major) {
                eprintln!(
                    "warning: the targets run different PostgreSQL major versions; the desired \
                     schema is normalized by PostgreSQL {major}, so targets on other versions \
                     may show spurious drift (check them in separate runs)"
                );
            }
            Some(load_desired(desired_read, filter, config.shadow.as_deref(), major).await?)
        }
    };
    let desired_fingerprint = desired.as_ref().map(|d| plan::fingerprint(&d.schema));
    let desired_model = desired.map(|d| config.ignore.prune(&d.schema));
    let opts = PlanOptions {
        diff: DiffOptions {
            privileges: false,
            renames,
        },
        online: false,
    };

    let targets = config
        .targets
        .iter()
        .zip(readings)
        .map(|(spec, (reading, elapsed))| {
            let label = spec.label.clone();
            let ms = elapsed.as_millis() as u64;
            match reading {
                Reading::Failed(m) => TargetReport::failed(label, Status::Error, m, ms),
                Reading::ApplyInProgress(m) => {
                    TargetReport::failed(label, Status::ApplyInProgress, m, ms)
                }
                Reading::Inspected(i) => {
                    let desired = desired_model
                        .as_ref()
                        .expect("the desired schema is loaded when a target was read");
                    compare(label, &i, desired, &config.ignore, &opts, elapsed)
                }
            }
        })
        .collect();
    Ok(Report::new(
        config.desired.clone(),
        desired_fingerprint,
        config.ignore.patterns().to_vec(),
        targets,
    ))
}

/// The desired schema's source as `run` read it: desired SQL read and ordered, or the URL of
/// a database.
enum DesiredRead {
    Sql(Vec<source::sql::SourceFile>, Vec<source::sql::Statement>),
    Database(String),
}

/// Loads the desired schema once: desired SQL through one shadow database (dropped right
/// after), or another database's catalog.
async fn load_desired(
    read: DesiredRead,
    filter: &Filter,
    shadow: Option<&str>,
    major: u32,
) -> Result<Inspection, DriftError> {
    let loaded = match read {
        DesiredRead::Sql(files, stmts) => {
            app::load_prepared_sql(files, stmts, filter, shadow, Some(major))
                .await
                .map(|(inspection, _shadow)| inspection)
        }
        DesiredRead::Database(url) => app::inspect_database(&url, filter).await,
    };
    loaded.map_err(|e| DriftError::Desired(format!("{e:#}")))
}

/// Compares one target's catalog with the (pruned) desired schema.
fn compare(
    label: String,
    current: &Inspection,
    desired: &crate::model::Schema,
    ignore: &IgnoreSet,
    opts: &PlanOptions,
    elapsed: Duration,
) -> TargetReport {
    let model = ignore.prune(&current.schema);
    let changes = crate::diff::diff(&model, desired, &opts.diff);
    let ms = elapsed.as_millis() as u64;
    let steps = match plan::ordered_steps(&model, desired, &changes, opts) {
        Ok(s) => s,
        Err(e) => {
            return TargetReport::failed(
                label,
                Status::Error,
                format!("planning the repair: {e}"),
                ms,
            );
        }
    };
    let objects = report::objects(&model, desired, &changes, &steps);
    TargetReport {
        target: label,
        status: if objects.is_empty() {
            Status::Ok
        } else {
            Status::Drift
        },
        message: None,
        server_version_num: Some(current.server_version_num),
        fingerprint: Some(plan::fingerprint(&current.schema)),
        elapsed_ms: ms,
        objects,
        repair: steps,
    }
}
