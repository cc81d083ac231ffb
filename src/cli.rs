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
