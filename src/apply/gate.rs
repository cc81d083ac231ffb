//! Hazard gates: which steps of a plan `apply` refuses to run without explicit permission.
//!
//! Only destructive hazards ([`HazardKind::is_destructive`], today `data_loss`) are gated:
//! the others (rewrites, long locks, index builds) cost time, not data, and a pipeline that
//! reviewed the plan has accepted them. A gated hazard is allowed by naming its kind
//! (`--allow-hazards data_loss`) or by `--allow-destructive`. The gate looks at the whole plan
//! before anything runs, so a refused plan changes nothing.

use crate::plan::{Hazard, HazardKind, Step};
use std::collections::BTreeSet;

/// What the operator allowed.
#[derive(Debug, Clone, Default)]
pub struct Allowed {
    /// Hazard kinds allowed by name.
    pub kinds: BTreeSet<HazardKind>,
    /// Every destructive hazard allowed.
    pub destructive: bool,
}

impl Allowed {
    fn allows(&self, kind: HazardKind) -> bool {
        !kind.is_destructive() || self.destructive || self.kinds.contains(&kind)
    }
}

/// A step the gate refuses, with the hazards that were not allowed.
#[derive(Debug, Clone)]
pub struct Blocked<'a> {
    /// Position of the step in the plan (0-based).
    pub index: usize,
    /// The step.
    pub step: &'a Step,
    /// Its hazards that were not allowed.
    pub hazards: Vec<&'a Hazard>,
}

/// The steps of `steps` that `allowed` does not permit, in plan order.
pub fn blocked<'a>(steps: &'a [Step], allowed: &Allowed) -> Vec<Blocked<'a>> {
    steps
        .iter()
        .enumerate()
        .filter_map(|(index, step)| {
            let hazards: Vec<&Hazard> = step
                .hazards
                .iter()
                .filter(|h| !allowed.allows(h.kind))
                .collect();
            (!hazards.is_empty()).then_some(Blocked {
                index,
                step,
                hazards,
            })
        })
        .collect()
}

/// The refusal as text for stderr: a header, then one line per blocked step and hazard.
pub fn describe(blocked: &[Blocked<'_>], total: usize) -> String {
    let mut out = format!(
        "refusing to apply: {} of {total} steps are not allowed by the hazard gates:\n",
        blocked.len()
    );
    for b in blocked {
        for h in &b.hazards {
            out.push_str(&format!(
                "  step {}: {} ({}): {}\n",
                b.index + 1,
                b.step.id,
                h.kind.as_str(),
                h.message
            ));
        }
    }
    out
}

/// What to do about a refusal, in one line.
pub fn advice(blocked: &[Blocked<'_>]) -> String {
    let kinds: BTreeSet<&str> = blocked
        .iter()
        .flat_map(|b| b.hazards.iter().map(|h| h.kind.as_str()))
        .collect();
    let kinds: Vec<&str> = kinds.into_iter().collect();
    format!(
        "{} steps refused by the hazard gates, nothing was executed; if this is intended, pass \
         --allow-hazards {} or --allow-destructive",
        blocked.len(),
        kinds.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Phase;

    fn step(id: &str, kinds: &[HazardKind]) -> Step {
        Step {
            id: id.parse().unwrap(),
            phase: Phase::Drop,
            sql: vec!["SELECT 1;".into()],
            hazards: kinds
                .iter()
                .map(|k| Hazard {
                    kind: *k,
                    message: format!("{} here", k.as_str()),
                })
                .collect(),
            transactional: true,
            lock_timeout_ms: 5000,
            statement_timeout_ms: None,
            restores_data: None,
        }
    }

    #[test]
    fn only_destructive_hazards_are_gated() {
        let steps = vec![
            step(
                "table:public.a",
                &[HazardKind::TableRewrite, HazardKind::IndexBuild],
            ),
            step("table:public.b", &[HazardKind::DataLoss]),
            step(
                "column:public.c.x",
                &[HazardKind::AccessExclusiveLock, HazardKind::DataLoss],
            ),
        ];
        let b = blocked(&steps, &Allowed::default());
        assert_eq!(b.iter().map(|b| b.index).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(b[1].hazards.len(), 1);
        let text = describe(&b, steps.len());
        assert!(
            text.contains("step 2: table:public.b (data_loss)"),
            "{text}"
        );
        assert!(advice(&b).contains("--allow-hazards data_loss"));
    }

    #[test]
    fn allowed_by_kind_or_by_allow_destructive() {
        let steps = vec![step("table:public.b", &[HazardKind::DataLoss])];
        let by_kind = Allowed {
            kinds: [HazardKind::DataLoss].into(),
            destructive: false,
        };
        assert!(blocked(&steps, &by_kind).is_empty());
        let all = Allowed {
            kinds: BTreeSet::new(),
            destructive: true,
        };
        assert!(blocked(&steps, &all).is_empty());
    }
}
