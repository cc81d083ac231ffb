//! The human rendering of a plan: a summary, per-object unified diffs of old and new
//! definitions (via `similar`), hazards and rollback notes, optionally colored.

use crate::ddl;
use crate::diff::Action;
use crate::model::{ObjectId, ObjectKind, Schema};
use crate::plan::{HazardKind, Plan};
use similar::{ChangeTag, TextDiff};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The creation DDL of object `id` as it is in `s` (empty when absent): what the human diff
/// compares.
pub fn object_definition(s: &Schema, id: &ObjectId) -> String {
    let q = id.qual_name();
    let text = match id.kind {
        ObjectKind::Schema => s
            .schemas
            .get(id.name.as_str())
            .map(|_| ddl::create_schema(&id.name)),
        ObjectKind::Extension => s
            .extensions
            .get(id.name.as_str())
            .map(|e| ddl::create_extension(&id.name, e)),
        ObjectKind::Enum => s.enums.get(&q).map(|e| ddl::create_enum(&q, e)),
        ObjectKind::Domain => s.domains.get(&q).map(|d| ddl::create_domain(&q, d)),
        ObjectKind::CompositeType => s.composites.get(&q).map(|c| ddl::create_composite(&q, c)),
        ObjectKind::Sequence => s.sequences.get(&q).map(|x| ddl::create_sequence(&q, x)),
        ObjectKind::Table => s.tables.get(&q).map(|t| {
            let mut v = vec![ddl::create_table(&q, t)];
            v.extend(ddl::table_properties(&q, t));
            v.join("\n")
        }),
        ObjectKind::Column => s
            .tables
            .get(&q)
            .and_then(|t| t.column(&id.name))
            .map(ddl::column_definition),
        ObjectKind::Constraint => s
            .tables
            .get(&q)
            .and_then(|t| t.constraints.get(id.name.as_str()))
            .map(|c| format!("CONSTRAINT {} {}", ddl::ident(&id.name), c.definition)),
        ObjectKind::View | ObjectKind::MaterializedView => {
            s.views.get(&q).map(|v| ddl::create_view(&q, v, false))
        }
        ObjectKind::Index => s.indexes.get(&q).map(|i| ddl::create_index(i, false)),
        ObjectKind::Function | ObjectKind::Procedure => {
            s.functions.get(id).map(ddl::create_function)
        }
        ObjectKind::Trigger => s
            .triggers
            .get(id)
            .map(|t| ddl::create_trigger(&id.name, t).join("\n")),
        ObjectKind::Policy => s.policies.get(id).map(|p| ddl::create_policy(&id.name, p)),
    };
    let mut text = text.unwrap_or_default();
    if let Some(c) = comment_of(s, id) {
        text.push('\n');
        text.push_str(&ddl::comment_on(id, Some(&c)));
    }
    text
}

fn comment_of(s: &Schema, id: &ObjectId) -> Option<String> {
    let q = id.qual_name();
    match id.kind {
        ObjectKind::Schema => s.schemas.get(id.name.as_str())?.comment.clone(),
        ObjectKind::Enum => s.enums.get(&q)?.comment.clone(),
        ObjectKind::Domain => s.domains.get(&q)?.comment.clone(),
        ObjectKind::CompositeType => s.composites.get(&q)?.comment.clone(),
        ObjectKind::Sequence => s.sequences.get(&q)?.comment.clone(),
        ObjectKind::Table => s.tables.get(&q)?.comment.clone(),
        ObjectKind::Column => s.tables.get(&q)?.column(&id.name)?.comment.clone(),
        ObjectKind::Constraint => s
            .tables
            .get(&q)?
            .constraints
            .get(id.name.as_str())?
            .comment
            .clone(),
        ObjectKind::View | ObjectKind::MaterializedView => s.views.get(&q)?.comment.clone(),
        ObjectKind::Index => s.indexes.get(&q)?.comment.clone(),
        ObjectKind::Function | ObjectKind::Procedure => s.functions.get(id)?.comment.clone(),
        ObjectKind::Trigger => s.triggers.get(id)?.comment.clone(),
        ObjectKind::Policy => s.policies.get(id)?.comment.clone(),
        ObjectKind::Extension => None,
    }
}

/// A unified diff of two definitions, `-`/`+` lines colored when `color`.
pub fn unified_diff(old: &str, new: &str, color: bool) -> String {
    let st = Style { color };
    // Compare whole lines: a last line without a newline is the same line as with one.
    let with_newline = |s: &str| {
        if s.is_empty() || s.ends_with('\n') {
            s.to_string()
        } else {
            format!("{s}\n")
        }
    };
    let (old, new) = (with_newline(old), with_newline(new));
    let diff = TextDiff::from_lines(&old, &new);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end_matches('\n');
        match change.tag() {
            ChangeTag::Delete => out.push_str(&st.paint("31", &format!("- {line}"))),
            ChangeTag::Insert => out.push_str(&st.paint("32", &format!("+ {line}"))),
            ChangeTag::Equal => out.push_str(&format!("  {line}")),
        }
        out.push('\n');
    }
    out
}

/// The human summary of `plan` between `from` and `to`.
pub fn human(plan: &Plan, from: &Schema, to: &Schema, color: bool) -> String {
    let st = Style { color };
    if plan.is_empty() {
        return "No changes: the database matches the desired schema.\n".into();
    }
    let (mut c, mut a, mut d) = (0, 0, 0);
    for ch in &plan.changes {
        match ch.action {
            Action::Create => c += 1,
            Action::Drop => d += 1,
            _ => a += 1,
        }
    }
    let mut out = format!(
        "{}: {c} to create, {a} to change, {d} to drop ({} steps)\n",
        st.paint("1", "Plan"),
        plan.steps.len()
    );
    for ch in &plan.changes {
        let (sign, code, what) = match &ch.action {
            Action::Create => ("+", "32", "create".to_string()),
            Action::Drop => ("-", "31", "drop".to_string()),
            Action::Recreate { reason } => ("~", "33", format!("recreate ({reason})")),
            Action::Rename { from } => ("~", "33", format!("rename from {from}")),
            Action::Alter { alterations } => (
                "~",
                "33",
                format!(
                    "alter: {}",
                    alterations
                        .iter()
                        .map(|x| x.describe())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        out.push_str(&format!("\n{} {} — {what}\n", st.paint(code, sign), ch.id));
        let old = object_definition(from, &ch.id);
        let new = object_definition(to, &ch.id);
        if old != new {
            for l in unified_diff(&old, &new, color).lines() {
                out.push_str("    ");
                out.push_str(l);
                out.push('\n');
            }
        }
    }
    let hazards: Vec<_> = plan
        .steps
        .iter()
        .flat_map(|s| s.hazards.iter().map(move |h| (s, h)))
        .filter(|(_, h)| h.kind != HazardKind::NonTransactional)
        .collect();
    if !hazards.is_empty() {
        out.push_str(&format!("\n{}\n", st.paint("1;31", "Hazards:")));
        for (s, h) in hazards {
            out.push_str(&format!(
                "  {} {}: {}\n",
                st.paint("31", h.kind.as_str()),
                s.id,
                h.message
            ));
        }
    }
    let partial: Vec<_> = plan
        .rollback
        .iter()
        .filter(|s| s.restores_data == Some(false))
        .collect();
    out.push_str(&format!(
        "\nRollback: {} steps{}\n",
        plan.rollback.len(),
        if partial.is_empty() {
            String::new()
        } else {
            format!(
                "; {} restore structure only (the data removed by the migration is not brought back): {}",
                partial.len(),
                partial
                    .iter()
                    .map(|s| s.id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    ));
    out
}
