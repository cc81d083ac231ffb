//! Dependencies used for ordering and for finding what must be recreated: the recorded ones
//! plus those the model implies, and the expansion of recreations to dependents.

use crate::diff::{Action, Alteration, Change};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The dependency pairs of one schema, `(dependent, referenced)`, over its objects.
///
/// Identities are interned: each object's [`ObjectId`] is stored once (in sorted order) and
/// the pairs are index pairs, sorted, so iteration is in `(ObjectId, ObjectId)` order, as a
/// set of identity pairs would be, at a fraction of the memory (a large catalog has hundreds
/// of thousands of pairs).
pub(super) struct Deps {
    ids: Vec<ObjectId>,
    pairs: Vec<(u32, u32)>,
    /// The pairs reversed, `(referenced, dependent)`, sorted: an object's dependents are one
    /// range, found without walking every pair.
    reversed: Vec<(u32, u32)>,
}

impl Deps {
    fn new(ids: Vec<ObjectId>, pairs: Vec<(u32, u32)>) -> Deps {
        let mut reversed: Vec<(u32, u32)> = pairs.iter().map(|&(a, b)| (b, a)).collect();
        reversed.sort_unstable();
        Deps {
            ids,
            pairs,
            reversed,
        }
    }

    /// The identities the pairs name, sorted; a pair's indexes point into this list.
    pub(super) fn ids(&self) -> &[ObjectId] {
        &self.ids
    }

    /// The pairs as indexes into [`Deps::ids`], in order.
    pub(super) fn index_pairs(&self) -> &[(u32, u32)] {
        &self.pairs
    }

    /// The objects that depend on `id` directly, in identity order.
    pub(super) fn dependents(&self, id: &ObjectId) -> impl Iterator<Item = &ObjectId> {
        let range = match self.ids.binary_search(id) {
            Ok(i) => {
                let i = i as u32;
                let start = self.reversed.partition_point(|&(b, _)| b < i);
                let end = self.reversed.partition_point(|&(b, _)| b <= i);
                start..end
            }
            Err(_) => 0..0,
        };
        self.reversed[range]
            .iter()
            .map(|&(_, a)| &self.ids[a as usize])
    }
}

/// Collects pairs between objects of one schema; pairs naming an object the schema does not
/// hold are left out (they order nothing).
struct Collector {
    ids: Vec<ObjectId>,
    pairs: Vec<(u32, u32)>,
}

impl Collector {
    fn index(&self, id: &ObjectId) -> Option<u32> {
        self.ids.binary_search(id).ok().map(|i| i as u32)
    }

    fn add(&mut self, a: &ObjectId, b: &ObjectId) {
        if let (Some(a), Some(b)) = (self.index(a), self.index(b)) {
            self.pairs.push((a, b));
        }
    }
}

/// All dependency pairs of a schema used for ordering and for finding dependents: the
/// recorded ones plus those the model implies (objects on their schema, columns on their
/// types, foreign keys on the keys they reference). Sequence ownership is left out: it is
/// ordered separately to avoid a cycle with the column default that uses the sequence.
pub(super) fn all_depends(s: &Schema) -> Deps {
    let mut c = Collector {
        ids: candidates(s),
        pairs: Vec::new(),
    };
    // Objects Postgres manages itself (constraints cloned onto partitions, indexes backing
    // constraints, identity sequences) are not modelled and order nothing: the collector
    // leaves them out.
    // Both identity lists are sorted: one merge maps the recorded pairs' identities to the
    // model's objects.
    let recorded = s.depends.ids();
    let mut map: Vec<Option<u32>> = vec![None; recorded.len()];
    let (mut i, mut j) = (0, 0);
    while i < recorded.len() && j < c.ids.len() {
        match recorded[i].cmp(&c.ids[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                map[i] = Some(j as u32);
                i += 1;
                j += 1;
            }
        }
    }
    for &(a, b) in s.depends.index_pairs() {
        let (ra, rb) = (&recorded[a as usize], &recorded[b as usize]);
        if ra.kind == ObjectKind::Sequence && rb.kind == ObjectKind::Table {
            continue;
        }
        if let (Some(a), Some(b)) = (map[a as usize], map[b as usize]) {
            c.pairs.push((a, b));
        }
    }
    for i in 0..c.ids.len() {
        let id = &c.ids[i];
        if !id.kind.is_global() && id.table.is_none() {
            let schema = ObjectId::schema(&id.schema);
            if let Some(b) = c.index(&schema) {
                c.pairs.push((i as u32, b));
            }
        }
    }
    for (name, e) in &s.extensions {
        c.add(&ObjectId::extension(name), &ObjectId::schema(&e.schema));
    }
    for (q, t) in &s.tables {
        let tid = ObjectId::of(ObjectKind::Table, q);
        for col in &t.columns {
            if let Some(tr) = &col.type_ref
                && let Some(k) = type_kind(s, tr)
            {
                c.add(&ObjectId::column(q, &col.name), &ObjectId::of(k, tr));
            }
        }
        for (n, k) in &t.constraints {
            let cid = ObjectId::constraint(q, n);
            c.add(&cid, &tid);
            if let Some(fk) = &k.foreign_key {
                c.add(&cid, &ObjectId::of(ObjectKind::Table, &fk.references));
                if let Some(rt) = s.tables.get(&fk.references) {
                    for (rn, rc) in &rt.constraints {
                        if matches!(rc.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
                            && rc.columns == fk.ref_columns
                        {
                            c.add(&cid, &ObjectId::constraint(&fk.references, rn));
                        }
                    }
                }
            }
        }
        if let Some(p) = &t.partition_of {
            c.add(&tid, &ObjectId::of(ObjectKind::Table, &p.parent));
        }
        for p in &t.inherits {
            c.add(&tid, &ObjectId::of(ObjectKind::Table, p));
        }
    }
    for (q, i) in &s.indexes {
        let kind = if s.views.contains_key(&i.table) {
            ObjectKind::MaterializedView
        } else {
            ObjectKind::Table
        };
        c.add(
            &ObjectId::of(ObjectKind::Index, q),
            &ObjectId::of(kind, &i.table),
        );
    }
    for (id, t) in &s.triggers {
        c.add(id, &relation_id(s, &t.table));
    }
    for (id, p) in &s.policies {
        c.add(id, &ObjectId::of(ObjectKind::Table, &p.table));
    }
    let Collector { ids, mut pairs } = c;
    pairs.sort_unstable();
    pairs.dedup();
    // Only the identities some pair names are kept (most columns have none): on a large
    // catalog this list is held through the whole plan, once per side.
    let mut used = vec![false; ids.len()];
    for &(a, b) in &pairs {
        used[a as usize] = true;
        used[b as usize] = true;
    }
    let mut new_index = vec![0u32; ids.len()];
    let mut kept = Vec::with_capacity(used.iter().filter(|&&u| u).count());
    for (i, id) in ids.into_iter().enumerate() {
        if used[i] {
            new_index[i] = kept.len() as u32;
            kept.push(id);
        }
    }
    for p in &mut pairs {
        *p = (new_index[p.0 as usize], new_index[p.1 as usize]);
    }
    pairs.shrink_to_fit();
    Deps::new(kept, pairs)
}

/// The objects of `s` that pairs may name, sorted: every object but the columns that have no
/// user-defined type and no recorded dependency (most of them), which could name none.
fn candidates(s: &Schema) -> Vec<ObjectId> {
    let recorded = s.depends.ids();
    let mut ids: Vec<ObjectId> = s
        .object_ids_except_columns()
        .into_iter()
        .chain(s.tables.iter().flat_map(|(q, t)| {
            t.columns.iter().filter_map(move |col| {
                let id = ObjectId::column(q, &col.name);
                (col.type_ref.is_some() || recorded.binary_search(&id).is_ok()).then_some(id)
            })
        }))
        .collect();
    ids.sort();
    ids
}

/// The identity of the table or view named `q`.
fn relation_id(s: &Schema, q: &QualName) -> ObjectId {
    match s.views.get(q) {
        Some(v) => ObjectId::of(v.kind(), q),
        None => ObjectId::of(ObjectKind::Table, q),
    }
}

/// The kind of the user-defined type named `q`, if it is modelled.
fn type_kind(s: &Schema, q: &QualName) -> Option<ObjectKind> {
    if s.enums.contains_key(q) {
        Some(ObjectKind::Enum)
    } else if s.domains.contains_key(q) {
        Some(ObjectKind::Domain)
    } else if s.composites.contains_key(q) {
        Some(ObjectKind::CompositeType)
    } else if s.tables.contains_key(q) {
        Some(ObjectKind::Table)
    } else {
        s.views.get(q).map(|v| v.kind())
    }
}

/// Whether `id` exists in `s`.
pub(super) fn exists(s: &Schema, id: &ObjectId) -> bool {
    let q = id.qual_name();
    match id.kind {
        ObjectKind::Schema => s.schemas.contains_key(id.name.as_str()),
        ObjectKind::Extension => s.extensions.contains_key(id.name.as_str()),
        ObjectKind::Enum => s.enums.contains_key(&q),
        ObjectKind::Domain => s.domains.contains_key(&q),
        ObjectKind::CompositeType => s.composites.contains_key(&q),
        ObjectKind::Sequence => s.sequences.contains_key(&q),
        ObjectKind::Table => s.tables.contains_key(&q),
        ObjectKind::View | ObjectKind::MaterializedView => {
            s.views.get(&q).is_some_and(|v| v.kind() == id.kind)
        }
        ObjectKind::Index => s.indexes.contains_key(&q),
        ObjectKind::Function | ObjectKind::Procedure => s.functions.contains_key(id),
        ObjectKind::Trigger => s.triggers.contains_key(id),
        ObjectKind::Policy => s.policies.contains_key(id),
        ObjectKind::Column => s
            .tables
            .get(&q)
            .is_some_and(|t| t.column(&id.name).is_some()),
        ObjectKind::Constraint => s
            .tables
            .get(&q)
            .is_some_and(|t| t.constraints.contains_key(id.name.as_str())),
    }
}

/// Adds `Recreate` changes for everything that must be dropped and created again because
/// something it depends on is: views on recreated views, indexes and checks on recreated
/// functions, foreign keys on recreated keys, and so on, transitively. Objects on tables
/// whose columns change type are recreated too, as Postgres refuses to alter a column a
/// view uses.
pub(super) fn expand_dependents(
    from: &Schema,
    to: &Schema,
    changes: &[Change],
    deps: &Deps,
) -> Vec<Change> {
    // A renamed object may also change otherwise: renames are kept apart so both survive.
    let (renames, others): (Vec<&Change>, Vec<&Change>) = changes
        .iter()
        .partition(|c| matches!(c.action, Action::Rename { .. }));
    let mut by_id: BTreeMap<ObjectId, Change> = others
        .into_iter()
        .map(|c| (c.id.clone(), c.clone()))
        .collect();
    let mut queue: VecDeque<ObjectId> = VecDeque::new();
    for c in changes {
        match &c.action {
            Action::Recreate { .. } | Action::Drop => {
                queue.push_back(c.id.clone());
                // (A dropped column's dependents are the views that read it, recorded on the
                // column itself.)
            }
            Action::Alter { alterations } => {
                for a in alterations {
                    match a {
                        Alteration::ColumnType { .. } => {
                            // Views that read the column (pg_depend records the column).
                            queue.push_back(c.id.clone());
                        }
                        Alteration::EnumRebuild { .. } => {
                            queue.push_back(c.id.clone());
                            for (q, t) in &from.tables {
                                if t.columns
                                    .iter()
                                    .any(|col| col.type_ref.as_deref() == Some(&c.id.qual_name()))
                                {
                                    queue.push_back(ObjectId::of(ObjectKind::Table, q));
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let mut seen: BTreeSet<ObjectId> = BTreeSet::new();
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let recreating_table = id.kind == ObjectKind::Table
            && matches!(
                by_id.get(&id).map(|c| &c.action),
                Some(Action::Recreate { .. })
            );
        for d in deps.dependents(&id) {
            let d = d.clone();
            // Only objects that exist on both sides and are otherwise kept need recreating.
            if !exists(to, &d) || !exists(from, &d) {
                continue;
            }
            // A table whose columns change type or enum keeps its keys, indexes and triggers
            // (Postgres carries them over); only what reads the table through a query, views,
            // must be dropped and recreated around the change.
            let through_columns = id.kind == ObjectKind::Table && !recreating_table;
            if through_columns && !matches!(d.kind, ObjectKind::View | ObjectKind::MaterializedView)
            {
                continue;
            }
            let recreatable = match d.kind {
                ObjectKind::View
                | ObjectKind::MaterializedView
                | ObjectKind::Index
                | ObjectKind::Trigger
                | ObjectKind::Policy
                | ObjectKind::Constraint
                | ObjectKind::Function
                | ObjectKind::Procedure => true,
                // A column whose default calls a recreated function: its default is reset.
                ObjectKind::Column => true,
                _ => false,
            };
            if !recreatable {
                continue;
            }
            // Subobjects of a recreated table come back with it.
            if recreating_table && d.parent_table() == Some(id.qual_name()) {
                continue;
            }
            // Constraints and columns of the table whose column changes type stay.
            if id.kind == ObjectKind::Table
                && !recreating_table
                && matches!(
                    d.kind,
                    ObjectKind::Column
                        | ObjectKind::Constraint
                        | ObjectKind::Index
                        | ObjectKind::Trigger
                        | ObjectKind::Policy
                )
                && d.parent_table()
                    .as_ref()
                    .is_none_or(|t| *t == id.qual_name())
                && (d.kind != ObjectKind::Index
                    || from
                        .indexes
                        .get(&d.qual_name())
                        .is_some_and(|i| i.table == id.qual_name()))
            {
                continue;
            }
            match by_id.get(&d).map(|c| &c.action) {
                None => {
                    by_id.insert(
                        d.clone(),
                        Change {
                            id: d.clone(),
                            action: Action::Recreate {
                                reason: format!("depends on {id}"),
                            },
                        },
                    );
                }
                Some(Action::Alter { .. }) if d.kind != ObjectKind::Column => {
                    by_id.insert(
                        d.clone(),
                        Change {
                            id: d.clone(),
                            action: Action::Recreate {
                                reason: format!("depends on {id}"),
                            },
                        },
                    );
                }
                _ => continue,
            }
            queue.push_back(d);
        }
    }
    renames
        .into_iter()
        .cloned()
        .chain(by_id.into_values())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(kind: ObjectKind, name: &str) -> ObjectId {
        ObjectId::of(kind, &QualName::new("s", name))
    }

    #[test]
    fn dependents_are_the_pairs_dependents_in_identity_order() {
        let mut ids = vec![
            id(ObjectKind::Table, "a"),
            id(ObjectKind::Table, "b"),
            id(ObjectKind::View, "v1"),
            id(ObjectKind::View, "v2"),
            id(ObjectKind::View, "v3"),
        ];
        ids.sort();
        let at = |kind, name| ids.binary_search(&id(kind, name)).unwrap() as u32;
        let mut pairs = vec![
            (at(ObjectKind::View, "v2"), at(ObjectKind::Table, "a")),
            (at(ObjectKind::View, "v1"), at(ObjectKind::Table, "a")),
            (at(ObjectKind::View, "v3"), at(ObjectKind::Table, "a")),
            (at(ObjectKind::View, "v1"), at(ObjectKind::Table, "b")),
            (at(ObjectKind::View, "v2"), at(ObjectKind::View, "v1")),
        ];
        pairs.sort_unstable();
        let deps = Deps::new(ids.clone(), pairs.clone());
        for target in ids.iter().chain([&id(ObjectKind::Table, "missing")]) {
            // What a walk over every pair finds, in the pairs' order.
            let expected: Vec<&ObjectId> = pairs
                .iter()
                .filter(|&&(_, b)| &ids[b as usize] == target)
                .map(|&(a, _)| &ids[a as usize])
                .collect();
            let found: Vec<&ObjectId> = deps.dependents(target).collect();
            assert_eq!(found, expected, "dependents of {target}");
        }
        let of_a: Vec<String> = deps
            .dependents(&id(ObjectKind::Table, "a"))
            .map(|d| d.to_string())
            .collect();
        assert_eq!(of_a, ["view:s.v1", "view:s.v2", "view:s.v3"]);
    }
}
