//! The drift report: per target a status, the drifted objects with their definitions on
//! both sides, a diff and the statements that would repair them. Serialized as the JSON
//! format of `docs/drift-format.md`; [`super::render`] turns it into text.
//!
//! Field names and status words are part of that documented format: change them only with
//! [`FORMAT_VERSION`].

use crate::diff::{Action, Change};
use crate::model::{ObjectId, ObjectKind, Schema};
use crate::plan::Step;
use crate::render::{object_definition, unified_diff};
use serde::Serialize;

/// Version of the JSON drift format (docs/drift-format.md).
pub const FORMAT_VERSION: u32 = 1;

/// Exit code: every target matches the desired schema.
pub const EXIT_IN_SYNC: i32 = 0;
/// Exit code: a target could not be checked.
pub const EXIT_ERROR: i32 = 1;
/// Exit code: drift found.
pub const EXIT_DRIFT: i32 = 2;
/// Exit code: an apply held the lock, so a target was not checked.
pub const EXIT_APPLY_IN_PROGRESS: i32 = 4;

/// The outcome of one target, or of the whole run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The database matches the desired schema.
    Ok,
    /// An apply was running; the target was not compared.
    ApplyInProgress,
    /// The database differs from the desired schema.
    Drift,
    /// The target could not be checked.
    Error,
}

impl Status {
    /// The process exit code for this status.
    pub fn exit_code(self) -> i32 {
        match self {
            Status::Ok => EXIT_IN_SYNC,
            Status::ApplyInProgress => EXIT_APPLY_IN_PROGRESS,
            Status::Drift => EXIT_DRIFT,
            Status::Error => EXIT_ERROR,
        }
    }
}

/// How an object differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// In the desired schema, not in the database.
    Missing,
    /// In the database, not in the desired schema.
    Extra,
    /// In both, different.
    Changed,
}

impl DriftKind {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Missing => "missing",
            DriftKind::Extra => "extra",
            DriftKind::Changed => "changed",
        }
    }
}

/// One drifted object.
#[derive(Debug, Clone, Serialize)]
pub struct DriftObject {
    /// Its identity, `kind:path`.
    pub id: ObjectId,
    /// Its kind.
    pub kind: ObjectKind,
    /// Its path (the identity without the kind).
    pub name: String,
    /// Missing, extra or changed.
    pub drift: DriftKind,
    /// The typed change that would repair it, as in the plan format: `action` and, for
    /// `alter`, `alterations`; for `recreate`, `reason`; for `rename`, `from`.
    #[serde(flatten)]
    pub change: Action,
    /// A one-line description of what differs.
    pub summary: String,
    /// Its definition in the database (`None` when missing there).
    pub database: Option<String>,
    /// Its definition in the desired schema (`None` when extra).
    pub desired: Option<String>,
    /// A line diff of the two definitions: `-` database, `+` desired.
    pub diff: String,
    /// The statements of the repair steps for this object, in plan order.
    pub repair_sql: Vec<String>,
}

/// The result for one target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetReport {
    /// The target, without password.
    pub target: String,
    /// Its status.
    pub status: Status,
    /// For `error` and `apply_in_progress`: what happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `server_version_num`, when the target was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_version_num: Option<i32>,
    /// Fingerprint of the database's schema (as `plan` computes it), when read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// How long the check of this target took.
    pub elapsed_ms: u64,
    /// The drifted objects, by identity.
    pub objects: Vec<DriftObject>,
    /// Every repair step in order (plan-format steps), including steps for dependents that
    /// the repair has to rebuild.
    pub repair: Vec<Step>,
}

impl TargetReport {
    /// A target that could not be compared.
    pub fn failed(target: String, status: Status, message: String, elapsed_ms: u64) -> Self {
        TargetReport {
            target,
            status,
            message: Some(message),
            server_version_num: None,
            fingerprint: None,
            elapsed_ms,
            objects: Vec::new(),
            repair: Vec::new(),
        }
    }

    /// The repair steps that belong to no reported object: dependents rebuilt around them.
    pub fn dependent_steps(&self) -> impl Iterator<Item = &Step> {
        self.repair
            .iter()
            .filter(|s| !self.objects.iter().any(|o| owns(o, s)))
    }
}

/// Whether step `s` repairs object `o` (a rename step names the new identity).
fn owns(o: &DriftObject, s: &Step) -> bool {
    s.id == o.id || matches!(&o.change, Action::Rename { from } if *from == s.id)
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The pgdiff version that made the report.
    pub pgdiff_version: String,
    /// The worst target status (error over drift over apply in progress over ok).
    pub status: Status,
    /// The exit code of the run.
    pub exit_code: i32,
    /// The desired schema as given (`--desired`).
    pub desired: String,
    /// Fingerprint of the desired schema; `None` when no target could be read, so the
    /// desired schema was not loaded.
    pub desired_fingerprint: Option<String>,
    /// The ignore patterns in effect.
    pub ignore: Vec<String>,
    /// One entry per target, in the order given.
    pub targets: Vec<TargetReport>,
}

impl Report {
    /// Builds the report; status and exit code follow from the targets.
    pub fn new(
        desired: String,
        desired_fingerprint: Option<String>,
        ignore: Vec<String>,
        targets: Vec<TargetReport>,
    ) -> Report {
        let status = overall(targets.iter().map(|t| t.status));
        Report {
            format_version: FORMAT_VERSION,
            pgdiff_version: env!("CARGO_PKG_VERSION").to_string(),
            status,
            exit_code: status.exit_code(),
            desired,
            desired_fingerprint,
            ignore,
            targets,
        }
    }
}

/// The run's status: an unreadable target is an error even when others drifted (the check
/// is incomplete); drift found outranks an apply in progress elsewhere (that is news now,
/// the other target can be checked again later).
pub fn overall(statuses: impl IntoIterator<Item = Status>) -> Status {
    statuses.into_iter().max().unwrap_or(Status::Ok)
}

/// The drifted objects of a comparison, from its changes and ordered repair steps.
/// `current` is the database's (pruned) model, `desired` the desired one.
pub fn objects(
    current: &Schema,
    desired: &Schema,
    changes: &[Change],
    steps: &[Step],
) -> Vec<DriftObject> {
    changes
        .iter()
        .map(|c| {
            let (drift, summary) = match &c.action {
                Action::Create => (
                    DriftKind::Missing,
                    "in the desired schema, not in the database".to_string(),
                ),
                Action::Drop => (
                    DriftKind::Extra,
                    "in the database, not in the desired schema".to_string(),
                ),
                Action::Rename { from } => (
                    DriftKind::Changed,
                    format!("still named {from} in the database"),
                ),
                Action::Recreate { reason } => (DriftKind::Changed, reason.clone()),
                Action::Alter { alterations } => (
                    DriftKind::Changed,
                    alterations
                        .iter()
                        .map(|a| a.describe())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            };
            // A renamed object is found in the database under its old identity.
            let db_id = match &c.action {
                Action::Rename { from } => from,
                _ => &c.id,
            };
            let database = definition(current, db_id);
            let wanted = definition(desired, &c.id);
            let diff = definition_diff(database.as_deref(), wanted.as_deref(), false);
            let mut o = DriftObject {
                id: c.id.clone(),
                kind: c.id.kind,
                name: c.id.path(),
                drift,
                change: c.action.clone(),
                summary,
                database,
                desired: wanted,
                diff,
                repair_sql: Vec::new(),
            };
            o.repair_sql = steps
                .iter()
                .filter(|s| owns(&o, s))
                .flat_map(|s| s.sql.iter().cloned())
                .collect();
            o
        })
        .collect()
}

/// A line diff of two definitions (`-` database, `+` desired). Both texts end in a newline
/// first: otherwise an unchanged last line would differ from itself by its line ending and
/// show as removed and added.
pub fn definition_diff(database: Option<&str>, desired: Option<&str>, color: bool) -> String {
    let terminated = |t: Option<&str>| match t {
        Some(t) if !t.is_empty() && !t.ends_with('\n') => format!("{t}\n"),
        Some(t) => t.to_string(),
        None => String::new(),
    };
    unified_diff(&terminated(database), &terminated(desired), color)
}

fn definition(s: &Schema, id: &ObjectId) -> Option<String> {
    let d = object_definition(s, id);
    (!d.is_empty()).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_outrank_drift_which_outranks_a_running_apply() {
        use Status::*;
        assert_eq!(overall([]), Ok);
        assert_eq!(overall([Ok, Ok]), Ok);
        assert_eq!(overall([Ok, ApplyInProgress]), ApplyInProgress);
        assert_eq!(overall([ApplyInProgress, Drift, Ok]), Drift);
        assert_eq!(overall([Drift, Error, ApplyInProgress]), Error);
        assert_eq!(Error.exit_code(), 1);
        assert_eq!(Drift.exit_code(), 2);
        assert_eq!(ApplyInProgress.exit_code(), 4);
    }

    #[test]
    fn an_unchanged_last_line_is_not_shown_as_changed() {
        let d = definition_diff(
            Some("CREATE TRIGGER t;\nALTER TABLE x DISABLE TRIGGER t;"),
            Some("CREATE TRIGGER t;"),
            false,
        );
        assert_eq!(
            d,
            "  CREATE TRIGGER t;\n- ALTER TABLE x DISABLE TRIGGER t;\n"
        );
        assert_eq!(
            definition_diff(None, Some("CREATE INDEX i;"), false),
            "+ CREATE INDEX i;\n"
        );
    }

    #[test]
    fn statuses_serialize_as_documented() {
        let s = serde_json::to_string(&[
            Status::Ok,
            Status::Drift,
            Status::Error,
            Status::ApplyInProgress,
        ])
        .unwrap();
        assert_eq!(s, r#"["ok","drift","error","apply_in_progress"]"#);
    }
}
