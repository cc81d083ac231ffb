//! plan: turns the diff into ordered, annotated steps, and builds the rollback plan.
//!
//! Each change becomes one or more [`Step`]s (a drop node and a create/alter node per
//! object) in a petgraph graph whose edges come from real dependencies of both sides
//! (`pg_depend`, foreign-key targets, column types, sequence ownership). Steps are ordered by
//! a Kahn loop with a priority queue: creates as early as possible, drops as late as
//! possible, ties broken by object identity, so identical inputs give byte-identical plans.
//! The rollback plan is the same pipeline run from desired back to current.

mod alter;
mod deps;
mod graph;
mod steps;

use crate::diff::{self, Change, DiffOptions};
use crate::model::{ObjectId, Schema};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Version of the JSON plan format (docs/plan-format.md).
pub const FORMAT_VERSION: u32 = 1;

/// Errors while planning.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The dependencies form a cycle no step order can satisfy.
    #[error("cannot order the migration: dependency cycle between {0}")]
    Cycle(String),
}

/// Options for planning.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Diff options (privileges, renames).
    pub diff: DiffOptions,
    /// Build indexes `CONCURRENTLY`, add FKs and CHECKs `NOT VALID` then validate, and set
    /// NOT NULL through a validated CHECK first.
    pub online: bool,
}

/// What a step does to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Renames the object (from an explicit annotation); runs before everything else.
    Rename,
    /// Creates the object (or adds the column/constraint).
    Create,
    /// Changes the object in place.
    Alter,
    /// Drops the object.
    Drop,
}

/// Kinds of hazard a step can carry. Each has a page under `docs/hazards/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// Data is deleted (table, column, sequence position, enum values).
    DataLoss,
    /// The table is rewritten (time and disk proportional to its size).
    TableRewrite,
    /// An ACCESS EXCLUSIVE lock is held while the table is scanned or rewritten.
    AccessExclusiveLock,
    /// An index is built (writes blocked unless built concurrently).
    IndexBuild,
    /// A constraint is validated by scanning the table.
    ValidationScan,
    /// The step cannot run inside a transaction block.
    NonTransactional,
    /// The rollback of this step cannot restore what it removes.
    Irreversible,
}

impl HazardKind {
    /// The stable name, as used on the command line (`--allow-hazards`).
    pub fn as_str(self) -> &'static str {
        match self {
            HazardKind::DataLoss => "data_loss",
            HazardKind::TableRewrite => "table_rewrite",
            HazardKind::AccessExclusiveLock => "access_exclusive_lock",
            HazardKind::IndexBuild => "index_build",
            HazardKind::ValidationScan => "validation_scan",
            HazardKind::NonTransactional => "non_transactional",
            HazardKind::Irreversible => "irreversible",
        }
    }

    /// Whether a pipeline must explicitly allow this hazard (`apply` refuses otherwise).
    pub fn is_destructive(self) -> bool {
        matches!(self, HazardKind::DataLoss)
    }
}

/// A hazard of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    /// The kind of hazard.
    pub kind: HazardKind,
    /// What exactly is at risk.
    pub message: String,
}

/// One step of a plan: statements for one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The object.
    pub id: ObjectId,
    /// What happens to it.
    pub phase: Phase,
    /// The statements, each ending in `;`.
    pub sql: Vec<String>,
    /// Hazards, most severe first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<Hazard>,
    /// Whether the step may run inside a transaction block.
    pub transactional: bool,
    /// Suggested `lock_timeout` in milliseconds.
    pub lock_timeout_ms: u64,
    /// Suggested `statement_timeout` in milliseconds (`None`: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_timeout_ms: Option<u64>,
    /// For rollback steps: false when the step brings back structure but not the data the
    /// forward step removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restores_data: Option<bool>,
}

impl Step {
    /// Whether the step has a hazard of `kind`.
    pub fn has(&self, kind: HazardKind) -> bool {
        self.hazards.iter().any(|h| h.kind == kind)
    }
}

/// A migration from a current schema to a desired one, with its rollback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The pgdiff version that made the plan.
    pub pgdiff_version: String,
    /// Fingerprint of the current schema the plan was computed from.
    pub source_fingerprint: String,
    /// Fingerprint of the desired schema.
    pub target_fingerprint: String,
    /// The typed changes.
    pub changes: Vec<Change>,
    /// Forward steps, in order.
    pub steps: Vec<Step>,
    /// Rollback steps (desired back to current), in order.
    pub rollback: Vec<Step>,
}

impl Plan {
    /// Whether the plan changes nothing.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// A stable fingerprint of a schema's content (SHA-256 of its canonical JSON, without the
/// dependency list).
pub fn fingerprint(schema: &Schema) -> String {
    // Streamed into the hash: neither a copy of the model nor its JSON text is kept.
    struct Hasher(Sha256);
    impl std::io::Write for Hasher {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hasher = Hasher(Sha256::new());
    serde_json::to_writer(&mut hasher, &schema.content()).expect("model serializes");
    let digest = hasher.0.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What planning needs of one side that depends on that side alone: its fingerprint and its
/// dependency set. Computing it as soon as a side has been read lets that work overlap the
/// reading of the other side ([`Prepared::of`], [`plan_prepared`]).
pub struct Prepared {
    fingerprint: String,
    deps: deps::Deps,
}

impl Prepared {
    /// Prepares `schema` for planning (the fingerprint and the dependency set, on two threads:
    /// at 5,000 tables each is about a tenth of a second of CPU).
    pub fn of(schema: &Schema) -> Prepared {
        std::thread::scope(|scope| {
            let deps = scope.spawn(|| deps::all_depends(schema));
            let fingerprint = fingerprint(schema);
            Prepared {
                fingerprint,
                deps: deps.join().expect("dependency thread"),
            }
        })
    }
}

/// Plans the migration from `from` (current) to `to` (desired) and its rollback.
pub fn plan(from: &Schema, to: &Schema, opts: &PlanOptions) -> Result<Plan, PlanError> {
    let (from_prepared, to_prepared) = std::thread::scope(|scope| {
        let to_prepared = scope.spawn(|| Prepared::of(to));
        (
            Prepared::of(from),
            to_prepared.join().expect("preparing thread"),
        )
    });
    plan_prepared(from, &from_prepared, to, &to_prepared, opts)
}

/// [`plan`] with each side already prepared: `from_prepared` must be [`Prepared::of`] `from`,
/// and `to_prepared` of `to`.
pub fn plan_prepared(
    from: &Schema,
    from_prepared: &Prepared,
    to: &Schema,
    to_prepared: &Prepared,
    opts: &PlanOptions,
) -> Result<Plan, PlanError> {
    // The rollback renames back.
    let mut back_opts = opts.clone();
    back_opts.diff.renames = opts
        .diff
        .renames
        .iter()
        .map(|(new, old)| (old.clone(), new.clone()))
        .collect();
    // The two directions are independent: computed on separate threads (a large catalog
    // takes a large fraction of a second of CPU in each).
    let (forward, backward) = std::thread::scope(|scope| {
        let backward = scope.spawn(|| direction(to, to_prepared, from, from_prepared, &back_opts));
        let forward = direction(from, from_prepared, to, to_prepared, opts);
        (forward, backward.join().expect("rollback thread"))
    });
    let (changes, steps) = forward?;
    let (_, mut rollback) = backward?;
    // A rollback step restores data only if the forward plan did not destroy it.
    let lost_ids: std::collections::BTreeSet<&ObjectId> = steps
        .iter()
        .filter(|s| s.has(HazardKind::DataLoss))
        .map(|s| &s.id)
        .collect();
    for r in &mut rollback {
        let lost = lost_ids.contains(&r.id)
            || r.id.parent_table().is_some_and(|t| {
                lost_ids.contains(&ObjectId::of(crate::model::ObjectKind::Table, &t))
            });
        r.restores_data = Some(!lost);
    }
    Ok(Plan {
        format_version: FORMAT_VERSION,
        pgdiff_version: env!("CARGO_PKG_VERSION").to_string(),
        source_fingerprint: from_prepared.fingerprint.clone(),
        target_fingerprint: to_prepared.fingerprint.clone(),
        changes,
        steps,
        rollback,
    })
}

/// The changes and ordered steps of one direction, from `from` to `to`. Renames are applied
/// to `from` first, and its dependency set is then that of the renamed schema.
fn direction(
    from: &Schema,
    from_prepared: &Prepared,
    to: &Schema,
    to_prepared: &Prepared,
    opts: &PlanOptions,
) -> Result<(Vec<Change>, Vec<Step>), PlanError> {
    let changes = diff::diff(from, to, &opts.diff);
    let steps = if opts.diff.renames.is_empty() {
        order_steps(
            from,
            to,
            &changes,
            opts,
            &from_prepared.deps,
            &to_prepared.deps,
        )
    } else {
        let (renamed, _) = diff::apply_renames(from, to, &opts.diff.renames);
        let renamed_deps = deps::all_depends(&renamed);
        order_steps(
            &renamed,
            to,
            &changes,
            opts,
            &renamed_deps,
            &to_prepared.deps,
        )
    }?;
    Ok((changes, steps))
}

/// Steps for `changes` from `from` to `to`, in dependency order.
pub fn ordered_steps(
    from: &Schema,
    to: &Schema,
    changes: &[Change],
    opts: &PlanOptions,
) -> Result<Vec<Step>, PlanError> {
    // Renamed objects are known under their new names from the first step on.
    let (renamed, _) = diff::apply_renames(from, to, &opts.diff.renames);
    let from = &*renamed;
    order_steps(
        from,
        to,
        changes,
        opts,
        &deps::all_depends(from),
        &deps::all_depends(to),
    )
}

/// [`ordered_steps`] with renames already applied to `from` and both sides' dependency sets
/// ([`deps::all_depends`]) computed.
fn order_steps(
    from: &Schema,
    to: &Schema,
    changes: &[Change],
    opts: &PlanOptions,
    from_deps: &deps::Deps,
    to_deps: &deps::Deps,
) -> Result<Vec<Step>, PlanError> {
    let expanded = deps::expand_dependents(from, to, changes, from_deps);
    let built = steps::build(from, to, &expanded, opts);
    graph::order(from, to, built, from_deps, to_deps)
}
