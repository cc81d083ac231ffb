//! Command-line arguments (clap) and their validation into configs. No database access and
//! no model logic here.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// pgdiff: keep a PostgreSQL schema declaratively. The desired schema is plain SQL in a
/// directory; pgdiff plans, applies and checks the migration from a live database to it.
#[derive(Debug, Parser)]
#[command(name = "pgdiff", version, about, long_about = None)]
pub struct Cli {
    /// When to color output: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Coloring choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Color on a terminal unless NO_COLOR is set.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the schema of a database or of desired SQL, as JSON or as a creation script.
    ///
    /// Example: pgdiff inspect --database postgres://app@db/crm --format sql
    Inspect(InspectArgs),
    /// Plan the migration from a database to the desired schema, with its rollback.
    ///
    /// Example: pgdiff plan --database postgres://app@db/crm --desired desired/
    Plan(PlanArgs),
    /// Check desired SQL offline: parse, classify and order it without any database.
    ///
    /// Example: pgdiff check --desired desired/
    Check(CheckArgs),
    /// Apply the migration to a database: from desired SQL (plans, shows, asks) or from a
    /// saved JSON plan (only if the database is still the one it was made from).
    ///
    /// Example: pgdiff apply --database postgres://app@db/crm --plan plan.json --yes
    Apply(ApplyArgs),
    /// Report whether databases still match the desired schema: what drifted, how, and the
    /// SQL that would repair it. Exit 0 in sync, 2 drift, 1 error, 4 apply in progress.
    ///
    /// Example: pgdiff drift --database postgres://app@db/crm --desired desired/
    Drift(DriftArgs),
}

/// Where the desired schema is read from and how the shadow database is provided.
#[derive(Debug, Clone, Args)]
pub struct ShadowArgs {
    /// Server on which to create the throwaway shadow database (a database with a random
    /// name is created and always dropped). Default: a private cluster started from the
    /// local PostgreSQL binaries.
    #[arg(long, env = "PGDIFF_SHADOW_URL", value_name = "URL")]
    pub shadow: Option<String>,
}

/// Schema filters.
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Only this schema (repeatable). Default: every non-system schema.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Never this schema (repeatable).
    #[arg(long = "exclude-schema", value_name = "NAME")]
    pub exclude_schemas: Vec<String>,
}

/// `pgdiff inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The database to read (URL or key=value string; default from DATABASE_URL / PG*).
    #[arg(long, short = 'd', value_name = "URL", conflicts_with = "desired")]
    pub database: Option<String>,
    /// Read desired SQL (a directory of .sql files or one file) instead of a database.
    #[arg(long, value_name = "DIR|FILE")]
    pub desired: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Json)]
    pub format: InspectFormat,
    /// Schema filters.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Shadow database.
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

/// Output formats of `inspect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    /// The model as JSON.
    Json,
    /// A creation script, ordered by dependencies.
    Sql,
}

/// `pgdiff plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The current database (URL or key=value string; default from DATABASE_URL / PG*).
    #[arg(long, short = 'd', value_name = "URL")]
    pub database: Option<String>,
    /// The desired schema: a directory of .sql files, one .sql file, or a database URL.
    #[arg(long, value_name = "DIR|FILE|URL", default_value = "desired")]
    pub desired: String,
    /// Output format (default: human on a terminal, sql otherwise).
    #[arg(long, value_enum)]
    pub format: Option<PlanFormat>,
    /// Write the plan to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write the rollback script (SQL) to FILE.
    #[arg(long, value_name = "FILE")]
    pub rollback_out: Option<PathBuf>,
    /// Exit with 2 when the plan is not empty.
    #[arg(long)]
    pub exit_code: bool,
    /// Include privileges (GRANT/REVOKE) in the comparison.
    #[arg(long)]
    pub privileges: bool,
    /// Plan online-friendly steps: concurrent index builds, NOT VALID + VALIDATE.
    #[arg(long)]
    pub online: bool,
    /// Skip proving the plan on a shadow database.
    #[arg(long)]
    pub no_verify: bool,
    /// Schema filters.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Shadow database.
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

/// Output formats of `plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// Summary with per-object diffs and hazards.
    Human,
    /// A psql script.
    Sql,
    /// The versioned JSON plan (docs/plan-format.md), accepted by `apply --plan`.
    Json,
}

/// `pgdiff check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The desired SQL: a directory of .sql files or one file.
    #[arg(long, value_name = "DIR|FILE", default_value = "desired")]
    pub desired: PathBuf,
}

/// `pgdiff apply` (docs/apply.md).
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["desired", "plan"])))]
pub struct ApplyArgs {
    /// The database to migrate (URL or key=value string; default from DATABASE_URL / PG*).
    #[arg(long, short = 'd', value_name = "URL")]
    pub database: Option<String>,
    /// Plan from this desired schema (a directory of .sql files, one .sql file, or a
    /// database URL), show the plan and apply it. Example: --desired desired/
    #[arg(long, value_name = "DIR|FILE|URL")]
    pub desired: Option<String>,
    /// Apply a saved JSON plan (`pgdiff plan --format json --out plan.json`); refused if the
    /// database changed since it was made. Example: --plan plan.json
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Do not ask for confirmation (required when not on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Print the SQL that would run, execute nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Allow steps with these hazards (comma-separated). Example: --allow-hazards data_loss
    #[arg(long, value_name = "KIND,...", value_delimiter = ',', value_parser = crate::apply::parse_hazard_kind)]
    pub allow_hazards: Vec<crate::plan::HazardKind>,
    /// Allow every destructive step (drops of tables, columns, types; lossy type changes).
    #[arg(long)]
    pub allow_destructive: bool,
    /// lock_timeout for every step (default: each step's own, 5s). Example: --lock-timeout 2s
    #[arg(long, value_name = "DUR", value_parser = crate::apply::parse_duration)]
    pub lock_timeout: Option<std::time::Duration>,
    /// statement_timeout for every step (default: each step's own, or none).
    /// Example: --statement-timeout 10m
    #[arg(long, value_name = "DUR", value_parser = crate::apply::parse_duration)]
    pub statement_timeout: Option<std::time::Duration>,
    /// How long to wait for another apply on the same database to finish.
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = crate::apply::parse_duration)]
    pub lock_wait: std::time::Duration,
    /// How many times to retry a transaction that hit lock_timeout (jittered backoff).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// Plan online-friendly steps: concurrent index builds, NOT VALID + VALIDATE.
    #[arg(long, conflicts_with = "plan")]
    pub online: bool,
    /// Include privileges (GRANT/REVOKE) in the comparison.
    #[arg(long, conflicts_with = "plan")]
    pub privileges: bool,
    /// Skip proving the plan on a shadow database before applying it.
    #[arg(long, conflicts_with = "plan")]
    pub no_verify: bool,
    /// Schema filters (with --plan: the same as when the plan was made).
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Shadow database.
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

/// `pgdiff drift` (docs/drift.md).
#[derive(Debug, Args)]
pub struct DriftArgs {
    /// A database to check (repeatable). Default, when neither this nor --targets is
    /// given: DATABASE_URL / PG*. Example: -d postgres://monitor@db1/crm -d postgres://monitor@db2/crm
    #[arg(long, short = 'd', value_name = "URL")]
    pub database: Vec<String>,
    /// A file listing databases to check, one connection string per line (`#` comments).
    /// Example: --targets /etc/pgdiff/targets
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// The desired schema: a directory of .sql files, one .sql file, or a database URL.
    #[arg(long, value_name = "DIR|FILE|URL", default_value = "desired")]
    pub desired: String,
    /// Output format: human (status lines, then diffs and repair SQL) or json
    /// (docs/drift-format.md).
    #[arg(long, value_enum, default_value_t = DriftFormat::Human)]
    pub format: DriftFormat,
    /// Leave out objects whose identity matches this glob (repeatable): `kind:path` with a
    /// kind prefix, else the path of any kind. Example: --ignore 'index:*.hotfix_*'
    #[arg(long = "ignore", value_name = "PATTERN")]
    pub ignore: Vec<String>,
    /// Read ignore patterns from FILE, one per line, besides --ignore (default:
    /// .pgdiff-ignore in the desired directory, if present). Example: --config ops/drift-ignore
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// How many databases to read at the same time.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: u16,
    /// Give up on one database after this long (connecting, waiting for the lock and reading
    /// included); the others are not held up. Example: --timeout 30s
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = crate::apply::parse_duration)]
    pub timeout: std::time::Duration,
    /// How long to wait for a running `pgdiff apply` to finish before reporting
    /// "apply in progress" (exit 4).
    #[arg(long, value_name = "DUR", default_value = "5s", value_parser = crate::apply::parse_duration)]
    pub lock_wait: std::time::Duration,
    /// Schema filters.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Shadow database.
    #[command(flatten)]
    pub shadow: ShadowArgs,
}

/// Output formats of `drift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DriftFormat {
    /// Status lines, then per drifted object a diff and the repair SQL.
    Human,
    /// The versioned JSON report (docs/drift-format.md).
    Json,
}

/// Resolves the database argument: the flag, else `DATABASE_URL`, else libpq defaults.
pub fn database_or_env(arg: &Option<String>) -> String {
    arg.clone()
        .or_else(|| std::env::var("DATABASE_URL").ok().filter(|s| !s.is_empty()))
        .unwrap_or_default()
}

/// Whether to color output on stdout.
pub fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}
