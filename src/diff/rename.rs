//! Explicit renames: applied to the current model before comparing, so that a renamed object
//! is matched with its old self instead of being dropped and created.
//!
//! Renames are never guessed; they come from `-- pgdiff:renamed-from old_name` annotations in
//! the desired SQL. Definitions that mention the old name (indexes, foreign keys, views) still
//! differ afterwards and are altered or recreated like any other change.

use super::{Action, Change};
use crate::model::*;
use std::collections::BTreeMap;

/// Applies `renames` (new identity → old identity) to a copy of `from`. Returns the renamed
/// model and a `Rename` change for each rename that applies (old present in `from`, new absent
/// from `from` and present in `to`).
pub(super) fn apply(
    from: &Schema,
    to: &Schema,
    renames: &BTreeMap<ObjectId, ObjectId>,
) -> (Schema, Vec<Change>) {
    let mut s = from.clone();
    let mut changes = Vec::new();
    for (new, old) in renames {
        if new.kind != old.kind {
            continue;
        }
        let (oq, nq) = (old.qual_name(), new.qual_name());
        let done = match new.kind {
            ObjectKind::Table
                if s.tables.contains_key(&oq)
                    && !s.tables.contains_key(&nq)
                    && to.tables.contains_key(&nq) =>
            {
                let mut t = s.tables.remove(&oq).expect("checked");
                // PostgreSQL 18 keeps NOT NULL constraint names through a rename.
                if s.not_null_constraints {
                    for c in t.columns.iter_mut().filter(|c| c.not_null) {
                        c.not_null_name
                            .get_or_insert_with(|| format!("{}_{}_not_null", oq.name, c.name));
                    }
                }
                s.tables.insert(nq.clone(), t);
                true
            }
            ObjectKind::View | ObjectKind::MaterializedView
                if s.views.contains_key(&oq)
                    && !s.views.contains_key(&nq)
                    && to.views.contains_key(&nq) =>
            {
                let v = s.views.remove(&oq).expect("checked");
                s.views.insert(nq.clone(), v);
                true
            }
            ObjectKind::Sequence
                if s.sequences.contains_key(&oq)
                    && !s.sequences.contains_key(&nq)
                    && to.sequences.contains_key(&nq) =>
            {
                let v = s.sequences.remove(&oq).expect("checked");
                s.sequences.insert(nq.clone(), v);
                true
            }
            ObjectKind::Index
                if s.indexes.contains_key(&oq)
                    && !s.indexes.contains_key(&nq)
                    && to.indexes.contains_key(&nq) =>
            {
                let v = s.indexes.remove(&oq).expect("checked");
                s.indexes.insert(nq.clone(), v);
                true
            }
            ObjectKind::Enum
                if s.enums.contains_key(&oq)
                    && !s.enums.contains_key(&nq)
                    && to.enums.contains_key(&nq) =>
            {
                let v = s.enums.remove(&oq).expect("checked");
                s.enums.insert(nq.clone(), v);
                true
            }
            ObjectKind::Column => {
                let to_has = to
                    .tables
                    .get(&nq)
                    .is_some_and(|t| t.column(&new.name).is_some());
                let named = s.not_null_constraints;
                match s.tables.get_mut(&oq) {
                    Some(t) if to_has && t.column(&new.name).is_none() && oq == nq => {
                        match t.columns.iter_mut().find(|c| c.name == old.name) {
                            Some(c) => {
                                if named && c.not_null {
                                    c.not_null_name.get_or_insert_with(|| {
                                        format!("{}_{}_not_null", oq.name, old.name)
                                    });
                                }
                                c.name = new.name.clone();
                                true
                            }
                            None => false,
                        }
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        if done {
            changes.push(Change {
                id: new.clone(),
                action: Action::Rename { from: old.clone() },
            });
        }
    }
    // Dependencies recorded under the old names now belong to the new ones.
    if !changes.is_empty() {
        let map: BTreeMap<&ObjectId, &ObjectId> = changes
            .iter()
            .filter_map(|c| match &c.action {
                Action::Rename { from } => Some((from, &c.id)),
                _ => None,
            })
            .collect();
        let fix = |id: &ObjectId| -> ObjectId {
            if let Some(n) = map.get(id) {
                return (*n).clone();
            }
            let mut id = id.clone();
            if id.table.is_some() {
                let t = ObjectId::of(ObjectKind::Table, &id.qual_name());
                if let Some(n) = map.get(&t) {
                    id.table = Some(n.name.clone());
                }
            }
            id
        };
        s.depends = s.depends.iter().map(|(a, b)| (fix(a), fix(b))).collect();
    }
    (s, changes)
}
