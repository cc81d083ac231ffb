//! Ordering steps: a petgraph graph with edges from both sides' dependencies and a Kahn loop
//! with a priority queue (creates early, drops late, ties by object identity).

use super::deps::Deps;
use super::{Phase, PlanError, Step};
use crate::model::{ConstraintKind, ObjectId, ObjectKind, Schema};
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

struct Index<'a> {
    steps: &'a [Step],
    by_id: BTreeMap<&'a ObjectId, Vec<usize>>,
    /// Column and constraint steps by their table's identity.
    by_table: BTreeMap<ObjectId, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn new(steps: &'a [Step]) -> Self {
        let mut by_id: BTreeMap<&ObjectId, Vec<usize>> = BTreeMap::new();
        let mut by_table: BTreeMap<ObjectId, Vec<usize>> = BTreeMap::new();
        for (i, s) in steps.iter().enumerate() {
            by_id.entry(&s.id).or_default().push(i);
            if let Some(t) = s.id.parent_table()
                && matches!(s.id.kind, ObjectKind::Column | ObjectKind::Constraint)
            {
                by_table
                    .entry(ObjectId::of(ObjectKind::Table, &t))
                    .or_default()
                    .push(i);
            }
        }
        Index {
            steps,
            by_id,
            by_table,
        }
    }

    fn of(&self, id: &ObjectId, phases: &[Phase]) -> Vec<usize> {
        self.by_id
            .get(id)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| phases.contains(&self.steps[i].phase))
            .collect()
    }

    /// Steps of `id` in `phases`; for a column or constraint without such steps, the steps
    /// of its table in `fallback` phases (it is created or dropped with the table).
    fn of_or_table(&self, id: &ObjectId, phases: &[Phase], fallback: &[Phase]) -> Vec<usize> {
        let own = self.of(id, phases);
        if !own.is_empty() {
            return own;
        }
        match id.parent_table() {
            Some(t) if matches!(id.kind, ObjectKind::Column | ObjectKind::Constraint) => {
                self.of(&ObjectId::of(ObjectKind::Table, &t), fallback)
            }
            _ => own,
        }
    }

    /// Steps of `id` in `phases`, plus those of its columns when `id` is a table.
    fn with_columns(&self, id: &ObjectId, phases: &[Phase]) -> Vec<usize> {
        let mut v = self.of_or_table(id, phases, &[Phase::Create]);
        if id.kind == ObjectKind::Table {
            v.extend(
                self.by_table
                    .get(id)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&i| {
                        self.steps[i].id.kind == ObjectKind::Column
                            && phases.contains(&self.steps[i].phase)
                    }),
            );
        }
        v
    }
}

/// For each of `ids` (a dependency set's sorted identities), whether a pair whose dependent it
/// is can add an edge: it has steps, or it is a column or constraint of a table that has
/// steps (a superset of what [`Index::of_or_table`] finds). Found from the steps, which are
/// few, so that the pairs of the others, most of a large catalog's, are passed over by index.
fn with_steps(idx: &Index, ids: &[ObjectId]) -> Vec<bool> {
    let mut marked = vec![false; ids.len()];
    for id in idx.by_id.keys() {
        if let Ok(i) = ids.binary_search(id) {
            marked[i] = true;
        }
        if id.kind != ObjectKind::Table {
            continue;
        }
        // The table's columns and constraints are one run each in identity order (kind,
        // schema, table, name).
        for kind in [ObjectKind::Column, ObjectKind::Constraint] {
            let key = (kind, &id.schema, Some(&id.name));
            let start = ids.partition_point(|x| (x.kind, &x.schema, x.table.as_ref()) < key);
            for (i, x) in ids.iter().enumerate().skip(start) {
                if (x.kind, &x.schema, x.table.as_ref()) != key {
                    break;
                }
                marked[i] = true;
            }
        }
    }
    marked
}

/// The pairs of `deps` whose dependent [`with_steps`] marks, in order.
fn stepped_pairs<'d>(
    idx: &Index,
    deps: &'d Deps,
) -> impl Iterator<Item = (&'d ObjectId, &'d ObjectId)> {
    let ids = deps.ids();
    let marked = with_steps(idx, ids);
    deps.index_pairs()
        .iter()
        .filter(move |&&(a, _)| marked[a as usize])
        .map(move |&(a, b)| (&ids[a as usize], &ids[b as usize]))
}

const BUILD: &[Phase] = &[Phase::Create, Phase::Alter];
const DROP: &[Phase] = &[Phase::Drop];

/// Orders `steps` (changing `from` into `to`, whose dependency sets are `from_deps` and
/// `to_deps`).
pub(super) fn order(
    from: &Schema,
    to: &Schema,
    steps: Vec<Step>,
    from_deps: &Deps,
    to_deps: &Deps,
) -> Result<Vec<Step>, PlanError> {
    let idx = Index::new(&steps);
    let mut g: DiGraph<usize, ()> = DiGraph::with_capacity(steps.len(), steps.len() * 2);
    let nodes: Vec<NodeIndex> = (0..steps.len()).map(|i| g.add_node(i)).collect();
    let mut edges: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut edge = |a: usize, b: usize| {
        if a != b {
            edges.insert((a, b));
        }
    };
    // The same object: drop, then create, then alter, in production order.
    for ids in idx.by_id.values() {
        for w in ids.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (pa, pb) = (steps[a].phase, steps[b].phase);
            match (pa, pb) {
                (Phase::Rename, _) => edge(a, b),
                (_, Phase::Rename) => edge(b, a),
                (Phase::Drop, _) | (Phase::Create, Phase::Alter) | (Phase::Alter, Phase::Alter) => {
                    edge(a, b)
                }
                (_, Phase::Drop) => edge(b, a),
                _ => edge(a, b),
            }
        }
        let drops: Vec<usize> = ids
            .iter()
            .copied()
            .filter(|&i| steps[i].phase == Phase::Drop)
            .collect();
        for &d in &drops {
            for &o in ids {
                if steps[o].phase != Phase::Drop {
                    edge(d, o);
                }
            }
        }
    }
    // Columns and constraints: after their table is created, before it is dropped.
    for (table, subs) in &idx.by_table {
        for &t in &idx.of(table, &[Phase::Create]) {
            for &s in subs {
                if steps[s].phase != Phase::Drop {
                    edge(t, s);
                }
            }
        }
        for &t in &idx.of(table, DROP) {
            for &s in subs {
                if steps[s].phase == Phase::Drop {
                    edge(s, t);
                }
            }
        }
    }
    // Desired side: what an object needs is built first.
    for (a, b) in stepped_pairs(&idx, to_deps) {
        let after = idx.of_or_table(a, BUILD, &[Phase::Create]);
        if after.is_empty() {
            continue;
        }
        // A sequence's own ALTER step only sets OWNED BY, which comes after its users.
        let b_phases: &[Phase] = if b.kind == ObjectKind::Sequence {
            &[Phase::Create]
        } else {
            BUILD
        };
        // A column or constraint needs its own table, not the table's other columns.
        let own_table = a
            .parent_table()
            .is_some_and(|t| t == b.qual_name() && b.kind == ObjectKind::Table);
        let needed = if own_table {
            idx.of(b, b_phases)
        } else {
            idx.with_columns(b, b_phases)
        };
        for nb in needed {
            for &na in &after {
                edge(nb, na);
            }
        }
    }
    // Current side: what uses an object lets go of it before it is dropped or altered.
    for (a, b) in stepped_pairs(&idx, from_deps) {
        let a_drops = idx.of_or_table(a, DROP, DROP);
        let a_alters = idx.of(a, &[Phase::Alter]);
        if a_drops.is_empty() && a_alters.is_empty() {
            continue;
        }
        let own_table = a
            .parent_table()
            .is_some_and(|t| t == b.qual_name() && b.kind == ObjectKind::Table);
        let (b_drops, b_alters) = if own_table {
            (idx.of(b, DROP), idx.of(b, &[Phase::Alter]))
        } else {
            (
                idx.with_columns(b, DROP),
                idx.with_columns(b, &[Phase::Alter]),
            )
        };
        for &na in &a_drops {
            for &nb in b_drops.iter().chain(&b_alters) {
                edge(na, nb);
            }
        }
        for &na in &a_alters {
            for &nb in &b_drops {
                edge(na, nb);
            }
        }
    }
    // Constraints and their columns: a key is dropped before its columns change (a column
    // in a primary key cannot drop NOT NULL) and added after they have.
    for (q, t) in &from.tables {
        for (n, c) in &t.constraints {
            let cid = ObjectId::constraint(q, n);
            for d in idx.of(&cid, DROP) {
                for col in &c.columns {
                    for x in idx.of(&ObjectId::column(q, col), &[Phase::Alter, Phase::Drop]) {
                        edge(d, x);
                    }
                }
            }
        }
    }
    for (q, t) in &to.tables {
        for (n, c) in &t.constraints {
            let cid = ObjectId::constraint(q, n);
            for cr in idx.of(&cid, &[Phase::Create]) {
                for col in &c.columns {
                    for x in idx.of(&ObjectId::column(q, col), BUILD) {
                        edge(x, cr);
                    }
                }
            }
        }
    }
    // Relations, indexes and the indexes of keys share one namespace per schema: a name is
    // freed before it is taken again.
    let slot = |s: &Schema, st: &Step| -> Option<(crate::model::Name, crate::model::Name)> {
        let id = &st.id;
        match id.kind {
            ObjectKind::Table
            | ObjectKind::View
            | ObjectKind::MaterializedView
            | ObjectKind::Sequence
            | ObjectKind::Index => Some((id.schema.clone(), id.name.clone())),
            ObjectKind::Constraint => s
                .tables
                .get(&id.qual_name())
                .and_then(|t| t.constraints.get(id.name.as_str()))
                .filter(|c| {
                    matches!(
                        c.kind,
                        ConstraintKind::PrimaryKey
                            | ConstraintKind::Unique
                            | ConstraintKind::Exclude
                    )
                })
                .map(|_| (id.schema.clone(), id.name.clone())),
            _ => None,
        }
    };
    let mut freed: BTreeMap<(crate::model::Name, crate::model::Name), Vec<usize>> = BTreeMap::new();
    for (i, st) in steps.iter().enumerate() {
        if st.phase == Phase::Drop
            && let Some(k) = slot(from, st)
        {
            freed.entry(k).or_default().push(i);
        }
    }
    for (i, st) in steps.iter().enumerate() {
        if st.phase == Phase::Create
            && let Some(k) = slot(to, st)
        {
            for &d in freed.get(&k).into_iter().flatten() {
                edge(d, i);
            }
        }
    }
    // One primary key per table: the old one goes before the new one comes.
    for (q, t) in &to.tables {
        let new_pk: Vec<usize> = t
            .constraints
            .iter()
            .filter(|(_, c)| c.kind == ConstraintKind::PrimaryKey)
            .flat_map(|(n, _)| idx.of(&ObjectId::constraint(q, n), &[Phase::Create]))
            .collect();
        if let Some(ft) = from.tables.get(q) {
            for (n, c) in &ft.constraints {
                if c.kind == ConstraintKind::PrimaryKey {
                    for d in idx.of(&ObjectId::constraint(q, n), DROP) {
                        for &cr in &new_pk {
                            edge(d, cr);
                        }
                    }
                }
            }
        }
    }
    // Sequence ownership: after the owning column exists.
    for (q, s) in &to.sequences {
        if let Some((t, c)) = &s.owned_by {
            let seq = ObjectId::of(ObjectKind::Sequence, q);
            for ns in idx.of(&seq, &[Phase::Alter]) {
                for nc in idx.of_or_table(&ObjectId::column(t, c), BUILD, &[Phase::Create]) {
                    edge(nc, ns);
                }
            }
        }
    }
    for (a, b) in edges {
        g.add_edge(nodes[a], nodes[b], ());
    }
    kahn(&g, steps)
}

fn kind_rank(k: ObjectKind) -> usize {
    ObjectKind::ALL.iter().position(|x| *x == k).unwrap_or(0)
}

/// Topological order with priorities: builds before drops, then kind, then identity, then
/// production order.
fn kahn(g: &DiGraph<usize, ()>, steps: Vec<Step>) -> Result<Vec<Step>, PlanError> {
    type Key = (u8, usize, String, usize);
    let key = |i: usize| -> Key {
        let s = &steps[i];
        let (group, rank) = match s.phase {
            Phase::Rename => (0, kind_rank(s.id.kind)),
            Phase::Drop => (2, ObjectKind::ALL.len() - kind_rank(s.id.kind)),
            _ => (1, kind_rank(s.id.kind)),
        };
        (group, rank, s.id.to_string(), i)
    };
    let mut indegree: Vec<usize> = g
        .node_indices()
        .map(|n| g.neighbors_directed(n, Direction::Incoming).count())
        .collect();
    let mut heap: BinaryHeap<Reverse<(Key, NodeIndex)>> = BinaryHeap::new();
    for n in g.node_indices() {
        if indegree[n.index()] == 0 {
            heap.push(Reverse((key(g[n]), n)));
        }
    }
    let mut order = Vec::with_capacity(steps.len());
    while let Some(Reverse((_, n))) = heap.pop() {
        order.push(g[n]);
        for m in g.neighbors_directed(n, Direction::Outgoing) {
            indegree[m.index()] -= 1;
            if indegree[m.index()] == 0 {
                heap.push(Reverse((key(g[m]), m)));
            }
        }
    }
    if order.len() < steps.len() {
        let placed: BTreeSet<usize> = order.iter().copied().collect();
        let stuck: BTreeSet<String> = (0..steps.len())
            .filter(|i| !placed.contains(i))
            .map(|i| format!("{} ({:?})", steps[i].id, steps[i].phase).to_lowercase())
            .collect();
        let list: Vec<String> = stuck.into_iter().take(8).collect();
        return Err(PlanError::Cycle(list.join(", ")));
    }
    let mut slots: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .map(|i| slots[i].take().expect("each step once"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::QualName;

    fn step(id: ObjectId, phase: Phase) -> Step {
        Step {
            id,
            phase,
            sql: Vec::new(),
            hazards: Vec::new(),
            transactional: true,
            lock_timeout_ms: 0,
            statement_timeout_ms: None,
            restores_data: None,
        }
    }

    #[test]
    fn with_steps_marks_stepped_objects_and_the_parts_of_stepped_tables() {
        let q = |n: &str| QualName::new("s", n);
        let mut ids = vec![
            ObjectId::of(ObjectKind::Table, &q("a")),
            ObjectId::of(ObjectKind::Table, &q("ab")),
            ObjectId::column(&q("a"), "x"),
            ObjectId::column(&q("a"), "y"),
            ObjectId::column(&q("ab"), "x"),
            ObjectId::constraint(&q("a"), "k"),
            ObjectId::constraint(&q("b"), "k"),
            ObjectId::of(ObjectKind::Index, &q("i")),
            ObjectId::of(ObjectKind::Index, &q("j")),
            ObjectId::of(ObjectKind::View, &q("a")),
        ];
        ids.sort();
        let steps = vec![
            step(ObjectId::of(ObjectKind::Table, &q("a")), Phase::Create),
            step(ObjectId::of(ObjectKind::Index, &q("i")), Phase::Drop),
            step(
                ObjectId::of(ObjectKind::Sequence, &q("absent")),
                Phase::Drop,
            ),
        ];
        let idx = Index::new(&steps);
        let marked: Vec<String> = with_steps(&idx, &ids)
            .into_iter()
            .zip(&ids)
            .filter(|(m, _)| *m)
            .map(|(_, id)| id.to_string())
            .collect();
        let mut expected = [
            ObjectId::of(ObjectKind::Table, &q("a")),
            ObjectId::column(&q("a"), "x"),
            ObjectId::column(&q("a"), "y"),
            ObjectId::constraint(&q("a"), "k"),
            ObjectId::of(ObjectKind::Index, &q("i")),
        ];
        expected.sort();
        let expected: Vec<String> = expected.iter().map(|id| id.to_string()).collect();
        assert_eq!(marked, expected);
        // A superset of what the index finds for a pair's dependent.
        for id in &ids {
            let found = !idx.of_or_table(id, BUILD, &[Phase::Create]).is_empty()
                || !idx.of_or_table(id, DROP, DROP).is_empty();
            assert!(!found || marked.contains(&id.to_string()), "{id}");
        }
    }
}
