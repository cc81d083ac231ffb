//! render: a finished plan as a SQL script, a human summary or JSON. Pure text production;
//! no database, no planning.

mod human;

pub use human::{human, object_definition, unified_diff};

use crate::plan::{Plan, Step};

/// The session settings every script starts with: names in the script are fully qualified
/// and function bodies are not validated at creation (a body may refer to objects created
/// later in the script), as in `pg_dump` output.
pub const PREAMBLE: &str = "SET check_function_bodies = false;\n\
SELECT pg_catalog.set_config('search_path', '', false);\n";

/// The session settings desired SQL is loaded with: unqualified names mean `public` (the
/// default schema), and function bodies are checked when they run, not when created (their
/// dependencies may come later in the ordered statements).
pub const DESIRED_PREAMBLE: &str = "SET check_function_bodies = false;\n\
SELECT pg_catalog.set_config('search_path', 'public', false);\n";

/// Renders steps as a script for `psql -v ON_ERROR_STOP=1 -f`: consecutive transactional
/// steps are wrapped in BEGIN/COMMIT, other steps run on their own, and each step is preceded
/// by a comment naming the object and its hazards.
pub fn sql(steps: &[Step], title: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!("-- {title}\n"));
    if steps.is_empty() {
        out.push_str("-- nothing to do\n");
        return out;
    }
    out.push_str(PREAMBLE);
    let mut in_tx = false;
    let mut lock_timeout = None;
    for s in steps {
        if s.transactional && !in_tx {
            out.push_str("\nBEGIN;\n");
            in_tx = true;
        } else if !s.transactional && in_tx {
            out.push_str("COMMIT;\n");
            in_tx = false;
        }
        out.push('\n');
        if lock_timeout != Some(s.lock_timeout_ms) {
            out.push_str(&format!("SET lock_timeout = '{}ms';\n", s.lock_timeout_ms));
            lock_timeout = Some(s.lock_timeout_ms);
        }
        out.push_str(&step_comment(s));
        for stmt in &s.sql {
            out.push_str(stmt);
            out.push('\n');
        }
    }
    if in_tx {
        out.push_str("COMMIT;\n");
    }
    out
}

/// `-- create table:crm.contacts [hazards: ...]`
fn step_comment(s: &Step) -> String {
    let phase = match s.phase {
        crate::plan::Phase::Rename => "rename",
        crate::plan::Phase::Create => "create",
        crate::plan::Phase::Alter => "alter",
        crate::plan::Phase::Drop => "drop",
    };
    let mut c = format!("-- {phase} {}", s.id);
    if !s.transactional {
        c.push_str(" (outside a transaction)");
    }
    c.push('\n');
    for h in &s.hazards {
        c.push_str(&format!("--   hazard {}: {}\n", h.kind.as_str(), h.message));
    }
    if s.restores_data == Some(false) {
        c.push_str(
            "--   restores structure only: the data removed by the migration is not brought back\n",
        );
    }
    c
}

/// The plan as pretty JSON (docs/plan-format.md).
pub fn json(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(plan).expect("plan serializes");
    s.push('\n');
    s
}
