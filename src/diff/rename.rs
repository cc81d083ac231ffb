//! Explicit renames: applied to the current model before comparing, so that a renamed object
//! is matched with its old self instead of being dropped and created.
//!
//! Renames are never guessed; they come from `-- pgdiff:renamed-from old_name` annotations in
//! the desired SQL. Definitions that mention the old name (indexes, foreign keys, views) still
//! differ afterwards and are altered or recreated like any other change.

use super::{Action, Change};
use crate::model::*;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Applies `renames` (new identity → old identity) to a copy of `from`. Returns the renamed
/// model and a `Rename` change for each rename that applies (old present in `from`, new absent
/// from `from` and present in `to`). Without renames, `from` itself is returned: no copy of a
/// large model is made for nothing.
pub(super) fn apply<'a>(
    from: &'a Schema,
    to: &Schema,
    renames: &BTreeMap<ObjectId, ObjectId>,
) -> (Cow<'a, Schema>, Vec<Change>) {
    if renames.is_empty() {
        return (Cow::Borrowed(from), Vec::new());
    }
    let mut s = from.clone();
    let mut changes = Vec::new();
    for (new, old) in renames {
        if new.kind != old.kind {
            continue;
        }
        let (oq, nq) = (old.qual_name(), new.qual_name());
        let done = match new.kind {
            ObjectKind::Table => {
                let named = s.not_null_constraints;
                move_key(&mut s.tables, &to.tables, &oq, &nq, |t| {
                    // PostgreSQL 18 keeps NOT NULL constraint names through a rename.
                    if named {
                        for c in t.columns.iter_mut().filter(|c| c.not_null) {
                            c.not_null_name
                                .get_or_insert_with(|| format!("{}_{}_not_null", oq.name, c.name));
                        }
                    }
                })
            }
            ObjectKind::View | ObjectKind::MaterializedView => {
                move_key(&mut s.views, &to.views, &oq, &nq, |_| {})
            }
            ObjectKind::Sequence => move_key(&mut s.sequences, &to.sequences, &oq, &nq, |_| {}),
            ObjectKind::Index => move_key(&mut s.indexes, &to.indexes, &oq, &nq, |_| {}),
            ObjectKind::Enum => move_key(&mut s.enums, &to.enums, &oq, &nq, |_| {}),
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
    (Cow::Owned(s), changes)
}

/// Moves `map[old]` to `map[new]` when the old name exists, the new one does not yet, and
/// the desired side has the new one; `adjust` sees the moved value.
fn move_key<V>(
    map: &mut BTreeMap<QualName, V>,
    desired: &BTreeMap<QualName, V>,
    old: &QualName,
    new: &QualName,
    adjust: impl FnOnce(&mut V),
) -> bool {
    if map.contains_key(new) || !desired.contains_key(new) {
        return false;
    }
    match map.remove(old) {
        Some(mut v) => {
            adjust(&mut v);
            map.insert(new.clone(), v);
            true
        }
        None => false,
    }
}
