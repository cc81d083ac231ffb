//! Text renderings of a drift report: the human one (one status line per target, then the
//! details of each drifted target) and the JSON one (docs/drift-format.md).
//!
//! The human output is written for cron mail and CI logs: the status lines come first so the
//! first lines of a mail say everything, and an in-sync run prints nothing but its OK lines.

use super::report::{Report, Status, TargetReport};

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// Indents every line of `text` by `pad`, keeping later lines of a multi-line message under
/// the first.
fn indent(text: &str, pad: &str) -> String {
    text.lines()
        .map(|l| format!("{pad}{l}\n"))
        .collect::<String>()
}

/// `target: OK`, `target: DRIFT: 3 objects`, `target: ERROR: ...`,
/// `target: APPLY IN PROGRESS: ...`.
fn status_line(t: &TargetReport, color: bool) -> String {
    let message = t.message.as_deref().unwrap_or("");
    // Server messages may carry DETAIL/HINT lines: keep them under the status line.
    let (first, rest) = message.split_once('\n').unwrap_or((message, ""));
    let mut line = match t.status {
        Status::Ok => format!("{}: {}", t.target, paint(color, "32", "OK")),
        Status::Drift => {
            let n = t.objects.len();
            let word = if n == 1 { "object" } else { "objects" };
            format!(
                "{}: {}",
                t.target,
                paint(color, "33", &format!("DRIFT: {n} {word}"))
            )
        }
        Status::Error => format!("{}: {} {first}", t.target, paint(color, "31", "ERROR:")),
        Status::ApplyInProgress => format!(
            "{}: {} {first}",
            t.target,
            paint(color, "36", "APPLY IN PROGRESS:")
        ),
    };
    line.push('\n');
    line.push_str(&indent(rest, "    "));
    line
}

/// The human report.
pub fn human(report: &Report, color: bool) -> String {
    let mut out: String = report
        .targets
        .iter()
        .map(|t| status_line(t, color))
        .collect();
    for t in report.targets.iter().filter(|t| t.status == Status::Drift) {
        out.push_str(&format!(
            "\n{} (- database, + desired)\n",
            paint(color, "1", &t.target)
        ));
        for o in &t.objects {
            let code = match o.drift {
                super::report::DriftKind::Missing => "32",
                super::report::DriftKind::Extra => "31",
                super::report::DriftKind::Changed => "33",
            };
            out.push_str(&format!(
                "\n  {} {} {}: {}\n",
                paint(color, code, o.drift.as_str()),
                o.kind,
                o.name,
                o.summary
            ));
            // Recomputed rather than taken from the report so that it can be colored.
            let diff =
                super::report::definition_diff(o.database.as_deref(), o.desired.as_deref(), color);
            out.push_str(&indent(&diff, "      "));
            if !o.repair_sql.is_empty() {
                out.push_str("    repair:\n");
                for s in &o.repair_sql {
                    out.push_str(&indent(s, "      "));
                }
            }
        }
        let dependents: Vec<_> = t.dependent_steps().collect();
        if !dependents.is_empty() {
            out.push_str("\n  the repair also rebuilds objects that depend on the above:\n");
            for s in dependents {
                let phase = match s.phase {
                    crate::plan::Phase::Rename => "rename",
                    crate::plan::Phase::Create => "create",
                    crate::plan::Phase::Alter => "alter",
                    crate::plan::Phase::Drop => "drop",
                };
                out.push_str(&format!("    {phase} {}\n", s.id));
                for stmt in &s.sql {
                    out.push_str(&indent(stmt, "      "));
                }
            }
        }
    }
    out
}

/// The JSON report (docs/drift-format.md).
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("the report serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(status: Status, message: Option<&str>) -> TargetReport {
        TargetReport {
            target: "app@db/crm".into(),
            status,
            message: message.map(String::from),
            server_version_num: None,
            fingerprint: None,
            elapsed_ms: 1,
            objects: Vec::new(),
            repair: Vec::new(),
        }
    }

    #[test]
    fn in_sync_is_one_line_per_target() {
        let r = Report::new(
            "desired".into(),
            None,
            vec![],
            vec![target(Status::Ok, None)],
        );
        assert_eq!(human(&r, false), "app@db/crm: OK\n");
    }

    #[test]
    fn error_details_stay_under_their_status_line() {
        let r = Report::new(
            "desired".into(),
            None,
            vec![],
            vec![target(
                Status::Error,
                Some("permission denied\nHINT: grant it"),
            )],
        );
        assert_eq!(
            human(&r, false),
            "app@db/crm: ERROR: permission denied\n    HINT: grant it\n"
        );
        assert_eq!(r.exit_code, 1);
    }
}
