//! Reading a saved JSON plan (docs/plan-format.md) for `apply --plan`.
//!
//! The version is checked before the rest is decoded, so a plan of another format version is
//! reported as such rather than as whichever field happens to fail first. Every error is one
//! line that says what to do.

use crate::plan::{FORMAT_VERSION, Plan};
use std::path::Path;

/// Why a plan file cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum PlanFileError {
    /// The file could not be read.
    #[error("reading the plan file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a JSON plan.
    #[error(
        "{path} is not a pgdiff JSON plan ({detail}); write one with `pgdiff plan --format json --out {path}`"
    )]
    Malformed {
        /// The file.
        path: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The plan has another format version.
    #[error(
        "{path} is a plan of format version {found}, but pgdiff {ours} applies version {FORMAT_VERSION} only; \
         write the plan again with this pgdiff's `pgdiff plan --format json`"
    )]
    Version {
        /// The file.
        path: String,
        /// The version found in the file.
        found: String,
        /// This pgdiff's version.
        ours: &'static str,
    },
}

/// Reads and checks the plan at `path`.
pub fn read(path: &Path) -> Result<Plan, PlanFileError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| PlanFileError::Read {
        path: shown.clone(),
        source,
    })?;
    parse(&text, &shown)
}

/// Parses plan JSON; `path` names the source in errors.
pub fn parse(text: &str, path: &str) -> Result<Plan, PlanFileError> {
    let malformed = |detail: String| PlanFileError::Malformed {
        path: path.to_string(),
        detail,
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| malformed(format!("invalid JSON: {e}")))?;
    let Some(obj) = value.as_object() else {
        return Err(malformed("the top level is not an object".into()));
    };
    match obj.get("format_version") {
        None => return Err(malformed("no format_version field".into())),
        Some(v) if v.as_u64() == Some(u64::from(FORMAT_VERSION)) => {}
        Some(v) => {
            return Err(PlanFileError::Version {
                path: path.to_string(),
                found: v.to_string(),
                ours: env!("CARGO_PKG_VERSION"),
            });
        }
    }
    let plan: Plan = serde_json::from_value(value).map_err(|e| malformed(e.to_string()))?;
    for (what, fp) in [
        ("source_fingerprint", &plan.source_fingerprint),
        ("target_fingerprint", &plan.target_fingerprint),
    ] {
        if fp.len() != 64 || !fp.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(malformed(format!("{what} is not a SHA-256 in hex")));
        }
    }
    if let Some(s) = plan.steps.iter().find(|s| s.sql.is_empty()) {
        return Err(malformed(format!("step {} has no statements", s.id)));
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> serde_json::Value {
        let fp = "ab".repeat(32);
        serde_json::json!({
            "format_version": 1,
            "pgdiff_version": "0.1.0",
            "source_fingerprint": fp,
            "target_fingerprint": fp,
            "changes": [],
            "steps": [{
                "id": "table:public.t", "phase": "create",
                "sql": ["CREATE TABLE \"public\".\"t\" ();"],
                "transactional": true, "lock_timeout_ms": 5000
            }],
            "rollback": []
        })
    }

    #[test]
    fn accepts_a_plan_of_this_version() {
        let p = parse(&sample().to_string(), "p.json").unwrap();
        assert_eq!(p.steps.len(), 1);
    }

    #[test]
    fn rejects_other_versions_and_malformed_files_in_one_line() {
        let mut v = sample();
        v["format_version"] = serde_json::json!(2);
        let e = parse(&v.to_string(), "p.json").unwrap_err().to_string();
        assert!(e.contains("format version 2"), "{e}");
        assert!(!e.contains('\n'), "{e}");
        for bad in ["", "{", "[]", "{\"format_version\": 1}", "{\"steps\": []}"] {
            let e = parse(bad, "p.json").unwrap_err().to_string();
            assert!(e.starts_with("p.json is not a pgdiff JSON plan"), "{e}");
            assert!(!e.contains('\n'), "{e}");
        }
        let mut v = sample();
        v["source_fingerprint"] = serde_json::json!("xyz");
        let e = parse(&v.to_string(), "p.json").unwrap_err().to_string();
        assert!(e.contains("source_fingerprint"), "{e}");
    }
}
