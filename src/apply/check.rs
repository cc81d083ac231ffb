//! Checking the result of an apply against its target.
//!
//! With desired SQL at hand the re-inspected schema is diffed against the desired model, and
//! every object still differing is named. A saved plan carries only the fingerprint of its
//! target; when the fingerprints differ, what the run changed (the diff from the schema before
//! the run, which matched the plan's source, to the schema after) is compared with the
//! changes the plan listed, which names the objects that went astray. The fingerprint covers
//! every modelled property while a plan made without `--privileges` leaves grants alone, so a
//! run that did exactly the planned changes passes even if the fingerprints differ on what
//! the plan was not asked to change.

use crate::diff::{self, DiffOptions};
use crate::model::{ObjectId, Schema};
use crate::plan::{self, Plan};
use std::collections::BTreeSet;

/// The objects that differ between `after` and `desired`, in identity order.
pub fn against_desired(after: &Schema, desired: &Schema, opts: &DiffOptions) -> Vec<ObjectId> {
    let ids: BTreeSet<ObjectId> = diff::diff(after, desired, opts)
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.into_iter().collect()
}

/// The objects whose outcome differs from what `plan` planned, given the schema `before` the
/// run (whose fingerprint was the plan's source) and `after` it. Empty when the target was
/// reached.
pub fn against_plan(before: &Schema, after: &Schema, plan: &Plan) -> Vec<ObjectId> {
    if plan::fingerprint(after) == plan.target_fingerprint {
        return Vec::new();
    }
    // The plan does not record whether privileges were compared; take the reading that
    // explains the run best.
    let mut best: Option<BTreeSet<ObjectId>> = None;
    for privileges in [false, true] {
        let opts = DiffOptions {
            privileges,
            ..Default::default()
        };
        let actual = diff::diff(before, after, &opts);
        let astray: BTreeSet<ObjectId> = actual
            .iter()
            .filter(|c| !plan.changes.contains(c))
            .chain(plan.changes.iter().filter(|c| !actual.contains(c)))
            .map(|c| c.id.clone())
            .collect();
        if best.as_ref().is_none_or(|b| astray.len() < b.len()) {
            best = Some(astray);
        }
    }
    best.unwrap_or_default().into_iter().collect()
}

/// `ids` as a short list for a one-line message: the first few, then how many more.
pub fn name_list(ids: &[ObjectId]) -> String {
    const SHOWN: usize = 8;
    let mut s = ids
        .iter()
        .take(SHOWN)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        s.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Namespace;

    fn with_schema(names: &[&str]) -> Schema {
        let mut s = Schema::default();
        for n in names {
            s.schemas.insert((*n).into(), Namespace::default());
        }
        s
    }

    #[test]
    fn names_what_the_run_did_not_do_as_planned() {
        let before = with_schema(&["public"]);
        let target = with_schema(&["public", "a", "b"]);
        let p = plan::plan(&before, &target, &Default::default()).unwrap();
        assert!(against_plan(&before, &target, &p).is_empty());
        let half = with_schema(&["public", "a", "c"]);
        let ids: Vec<String> = against_plan(&before, &half, &p)
            .iter()
            .map(|i| i.to_string())
            .collect();
        assert_eq!(ids, vec!["schema:b", "schema:c"]);
        assert_eq!(
            against_desired(&half, &target, &Default::default()).len(),
            2
        );
    }

    #[test]
    fn long_lists_are_shortened() {
        let ids: Vec<ObjectId> = (0..10)
            .map(|i| ObjectId::schema(&format!("s{i}")))
            .collect();
        assert!(name_list(&ids).ends_with("schema:s7 and 2 more"));
    }
}
