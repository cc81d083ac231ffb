//! From changes to unordered steps: expanding recreations to dependents, writing each step's
//! SQL (through `ddl`) and attaching hazards.

use super::{Hazard, HazardKind, Phase, PlanOptions, Step};
use crate::ddl;
use crate::diff::{Action, Alteration, Change};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

const LOCK_TIMEOUT_MS: u64 = 5_000;

/// All dependency pairs of a schema used for ordering and for finding dependents: the
/// recorded ones plus those the model implies (objects on their schema, columns on their
/// types, foreign keys on the keys they reference). Sequence ownership is left out: it is
/// ordered separately to avoid a cycle with the column default that uses the sequence.
pub(super) fn all_depends(s: &Schema) -> BTreeSet<(ObjectId, ObjectId)> {
    let mut deps: BTreeSet<(ObjectId, ObjectId)> = s
        .depends
        .iter()
        .filter(|(a, b)| !(a.kind == ObjectKind::Sequence && b.kind == ObjectKind::Table))
        // Objects Postgres manages itself (constraints cloned onto partitions, indexes
        // backing constraints, identity sequences) are not modelled and order nothing.
        .filter(|(a, b)| exists(s, a) && exists(s, b))
        .cloned()
        .collect();
    for id in s.object_ids() {
        if !id.kind.is_global() && id.table.is_none() {
            deps.insert((id.clone(), ObjectId::schema(&id.schema)));
        }
    }
    for (name, e) in &s.extensions {
        deps.insert((ObjectId::extension(name), ObjectId::schema(&e.schema)));
    }
    for (q, t) in &s.tables {
        let tid = ObjectId::of(ObjectKind::Table, q);
        for c in &t.columns {
            if let Some(tr) = &c.type_ref
                && let Some(k) = type_kind(s, tr)
            {
                deps.insert((ObjectId::column(q, &c.name), ObjectId::of(k, tr)));
            }
        }
        for (n, c) in &t.constraints {
            let cid = ObjectId::constraint(q, n);
            deps.insert((cid.clone(), tid.clone()));
            if let Some(fk) = &c.foreign_key {
                deps.insert((cid.clone(), ObjectId::of(ObjectKind::Table, &fk.references)));
                if let Some(rt) = s.tables.get(&fk.references) {
                    for (rn, rc) in &rt.constraints {
                        if matches!(rc.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
                            && rc.columns == fk.ref_columns
                        {
                            deps.insert((cid.clone(), ObjectId::constraint(&fk.references, rn)));
                        }
                    }
                }
            }
        }
        if let Some(p) = &t.partition_of {
            deps.insert((tid.clone(), ObjectId::of(ObjectKind::Table, &p.parent)));
        }
        for p in &t.inherits {
            deps.insert((tid.clone(), ObjectId::of(ObjectKind::Table, p)));
        }
    }
    for (q, i) in &s.indexes {
        let kind = if s.views.contains_key(&i.table) {
            ObjectKind::MaterializedView
        } else {
            ObjectKind::Table
        };
        deps.insert((
            ObjectId::of(ObjectKind::Index, q),
            ObjectId::of(kind, &i.table),
        ));
    }
    for (id, t) in &s.triggers {
        deps.insert((id.clone(), relation_id(s, &t.table)));
    }
    for (id, p) in &s.policies {
        deps.insert((id.clone(), ObjectId::of(ObjectKind::Table, &p.table)));
    }
    deps
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
        ObjectKind::Schema => s.schemas.contains_key(&id.name),
        ObjectKind::Extension => s.extensions.contains_key(&id.name),
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
            .is_some_and(|t| t.constraints.contains_key(&id.name)),
    }
}

/// Adds `Recreate` changes for everything that must be dropped and created again because
/// something it depends on is: views on recreated views, indexes and checks on recreated
/// functions, foreign keys on recreated keys, and so on, transitively. Objects on tables
/// whose columns change type are recreated too, as Postgres refuses to alter a column a
/// view uses.
pub(super) fn expand_dependents(from: &Schema, to: &Schema, changes: &[Change]) -> Vec<Change> {
    let mut by_id: BTreeMap<ObjectId, Change> =
        changes.iter().map(|c| (c.id.clone(), c.clone())).collect();
    let mut dependents: BTreeMap<&ObjectId, Vec<&ObjectId>> = BTreeMap::new();
    let deps = all_depends(from);
    for (a, b) in &deps {
        dependents.entry(b).or_default().push(a);
    }
    let mut queue: VecDeque<ObjectId> = VecDeque::new();
    for c in changes {
        match &c.action {
            Action::Recreate { .. } | Action::Drop => {
                queue.push_back(c.id.clone());
                // Views on a table may read a dropped column: they are recreated around it.
                if c.id.kind == ObjectKind::Column && matches!(c.action, Action::Drop) {
                    queue.push_back(ObjectId::of(ObjectKind::Table, &c.id.qual_name()));
                }
            }
            Action::Alter { alterations } => {
                for a in alterations {
                    match a {
                        Alteration::ColumnType { .. } => {
                            // Views and rules read the table; pg_depend is per table here.
                            queue.push_back(ObjectId::of(ObjectKind::Table, &c.id.qual_name()));
                        }
                        Alteration::EnumRebuild { .. } => {
                            queue.push_back(c.id.clone());
                            for (q, t) in &from.tables {
                                if t.columns
                                    .iter()
                                    .any(|col| col.type_ref.as_ref() == Some(&c.id.qual_name()))
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
        for d in dependents.get(&id).into_iter().flatten() {
            let d = (*d).clone();
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
    by_id.into_values().collect()
}

fn hazard(kind: HazardKind, message: impl Into<String>) -> Hazard {
    Hazard {
        kind,
        message: message.into(),
    }
}

fn step(id: &ObjectId, phase: Phase, sql: Vec<String>, hazards: Vec<Hazard>) -> Step {
    let transactional = !hazards
        .iter()
        .any(|h| h.kind == HazardKind::NonTransactional);
    Step {
        id: id.clone(),
        phase,
        sql,
        hazards,
        transactional,
        lock_timeout_ms: LOCK_TIMEOUT_MS,
        statement_timeout_ms: None,
        restores_data: None,
    }
}

/// Builds the steps of all changes (unordered).
pub(super) fn build(
    from: &Schema,
    to: &Schema,
    changes: &[Change],
    opts: &PlanOptions,
) -> Vec<Step> {
    let by_id: BTreeMap<&ObjectId, &Change> = changes.iter().map(|c| (&c.id, c)).collect();
    let table_action = |q: &QualName| {
        by_id
            .get(&ObjectId::of(ObjectKind::Table, q))
            .map(|c| &c.action)
    };
    let table_created = |q: &QualName| {
        matches!(
            table_action(q),
            Some(Action::Create) | Some(Action::Recreate { .. })
        )
    };
    let table_dropped = |q: &QualName| {
        matches!(
            table_action(q),
            Some(Action::Drop) | Some(Action::Recreate { .. })
        )
    };
    let mut out = Vec::new();
    for c in changes {
        let id = &c.id;
        // Subobjects of tables that are created or dropped as a whole come and go with the
        // table (except foreign keys, which are always separate steps).
        if let Some(t) = id.parent_table()
            && matches!(id.kind, ObjectKind::Column | ObjectKind::Constraint)
        {
            let is_fk_drop = id.kind == ObjectKind::Constraint
                && from
                    .tables
                    .get(&t)
                    .and_then(|tt| tt.constraints.get(&id.name))
                    .is_some_and(|k| k.kind == ConstraintKind::ForeignKey);
            match &c.action {
                Action::Create if table_created(&t) => continue,
                Action::Drop
                    if table_dropped(&t)
                        && !(is_fk_drop
                            && fk_needs_own_drop(from, &t, &id.name, &table_dropped)) =>
                {
                    continue;
                }
                Action::Recreate { .. } if table_created(&t) => continue,
                Action::Alter { .. } if table_created(&t) => continue,
                _ => {}
            }
        }
        if matches!(id.kind, ObjectKind::Trigger | ObjectKind::Policy)
            && let Some(t) = id.parent_table()
            && matches!(c.action, Action::Drop)
            && table_dropped(&t)
        {
            continue;
        }
        if id.kind == ObjectKind::Index
            && matches!(c.action, Action::Drop)
            && from
                .indexes
                .get(&id.qual_name())
                .is_some_and(|i| table_dropped(&i.table) || view_dropped(&i.table, &by_id, from))
        {
            continue;
        }
        if id.kind == ObjectKind::Sequence
            && matches!(c.action, Action::Drop)
            && from
                .sequences
                .get(&id.qual_name())
                .and_then(|s| s.owned_by.as_ref())
                .is_some_and(|(t, col)| {
                    table_dropped(t)
                        || matches!(
                            by_id.get(&ObjectId::column(t, col)).map(|c| &c.action),
                            Some(Action::Drop)
                        )
                })
        {
            // Dropped together with the table or column that owns it.
            continue;
        }
        // A dropped table's foreign keys to other dropped tables go first, on their own:
        // two tables referencing each other could not be dropped in any order otherwise.
        if id.kind == ObjectKind::Table
            && matches!(c.action, Action::Drop | Action::Recreate { .. })
            && let Some(t) = from.tables.get(&id.qual_name())
        {
            for name in t.constraints.keys() {
                let cid = ObjectId::constraint(&id.qual_name(), name);
                if !by_id.contains_key(&cid)
                    && fk_needs_own_drop(from, &id.qual_name(), name, &table_dropped)
                {
                    out.extend(drop_steps(from, &cid));
                }
            }
        }
        match &c.action {
            Action::Create => out.extend(create_steps(to, id, opts, true)),
            Action::Drop => out.extend(drop_steps(from, id)),
            Action::Recreate { reason } => {
                if id.kind == ObjectKind::Column
                    && let (Some(a), Some(b)) = (lookup_column(from, id), lookup_column(to, id))
                    && a.generated == b.generated
                {
                    // Only the default depends on something being recreated: reset it.
                    let q = id.qual_name();
                    if a.default.is_some() {
                        out.push(step(
                            id,
                            Phase::Drop,
                            vec![ddl::alter_column(&q, &id.name, "DROP DEFAULT")],
                            vec![],
                        ));
                    }
                    if let Some(d) = &b.default {
                        out.push(step(
                            id,
                            Phase::Create,
                            vec![ddl::alter_column(&q, &id.name, &format!("SET DEFAULT {d}"))],
                            vec![],
                        ));
                    }
                    continue;
                }
                let mut drops = drop_steps(from, id);
                for d in &mut drops {
                    d.hazards.retain(|h| {
                        h.kind != HazardKind::DataLoss
                            || id.kind == ObjectKind::Table
                            || id.kind == ObjectKind::Column
                    });
                    if d.sql.first().is_some_and(|s| !s.starts_with("--")) {
                        d.sql.insert(0, format!("-- recreated: {reason}"));
                    }
                }
                out.extend(drops);
                out.extend(create_steps(to, id, opts, false));
            }
            Action::Rename { from: old } => {
                out.push(step(id, Phase::Rename, vec![ddl::rename(old, id)], vec![]))
            }
            Action::Alter { alterations } => {
                out.extend(alter_steps(from, to, id, alterations, opts));
            }
        }
    }
    out
}

/// Whether a foreign key of a dropped table must be dropped on its own first: when it
/// references another table that is dropped too (otherwise two tables referencing each
/// other could not be dropped in any order).
fn fk_needs_own_drop(
    from: &Schema,
    table: &QualName,
    name: &str,
    table_dropped: &dyn Fn(&QualName) -> bool,
) -> bool {
    from.tables
        .get(table)
        .and_then(|t| t.constraints.get(name))
        .and_then(|c| c.foreign_key.as_ref())
        .is_some_and(|fk| fk.references != *table && table_dropped(&fk.references))
}

fn view_dropped(q: &QualName, by_id: &BTreeMap<&ObjectId, &Change>, from: &Schema) -> bool {
    from.views.get(q).is_some_and(|v| {
        matches!(
            by_id.get(&ObjectId::of(v.kind(), q)).map(|c| &c.action),
            Some(Action::Drop) | Some(Action::Recreate { .. })
        )
    })
}

fn lookup_column<'a>(s: &'a Schema, id: &ObjectId) -> Option<&'a Column> {
    s.tables.get(&id.qual_name())?.column(&id.name)
}

fn comment_sql(id: &ObjectId, c: &Option<String>) -> Option<String> {
    c.as_ref().map(|c| ddl::comment_on(id, Some(c)))
}

/// The comment on the index backing a key constraint.
fn index_comment_sql(table: &QualName, name: &str, c: &Constraint) -> Option<String> {
    let index = ObjectId::of(ObjectKind::Index, &QualName::new(&table.schema, name));
    c.index_comment
        .as_ref()
        .map(|x| ddl::comment_on(&index, Some(x)))
}

fn grant_sql(id: &ObjectId, grants: &[Grant], opts: &PlanOptions) -> Vec<String> {
    if !opts.diff.privileges {
        return Vec::new();
    }
    ddl::grant_changes(id, &ddl::default_grants(id.kind), grants)
}

/// Steps that create object `id` as it is in `s`. `fresh` is false when the object is being
/// recreated (so an existing table's new index is not a "new table" index).
pub(super) fn create_steps(
    s: &Schema,
    id: &ObjectId,
    opts: &PlanOptions,
    fresh: bool,
) -> Vec<Step> {
    let q = id.qual_name();
    let mut sql = Vec::new();
    let mut hazards = Vec::new();
    let mut extra = Vec::new();
    match id.kind {
        ObjectKind::Schema => {
            let n = &s.schemas[&id.name];
            sql.push(ddl::create_schema(&id.name));
            sql.extend(comment_sql(id, &n.comment));
            sql.extend(grant_sql(id, &n.grants, opts));
        }
        ObjectKind::Extension => {
            let e = &s.extensions[&id.name];
            sql.push(ddl::create_extension(&id.name, e));
        }
        ObjectKind::Enum => {
            let e = &s.enums[&q];
            sql.push(ddl::create_enum(&q, e));
            sql.extend(comment_sql(id, &e.comment));
            sql.extend(grant_sql(id, &e.grants, opts));
        }
        ObjectKind::Domain => {
            let d = &s.domains[&q];
            sql.push(ddl::create_domain(&q, d));
            sql.extend(comment_sql(id, &d.comment));
            sql.extend(grant_sql(id, &d.grants, opts));
        }
        ObjectKind::CompositeType => {
            let c = &s.composites[&q];
            sql.push(ddl::create_composite(&q, c));
            sql.extend(comment_sql(id, &c.comment));
            sql.extend(grant_sql(id, &c.grants, opts));
        }
        ObjectKind::Sequence => {
            let seq = &s.sequences[&q];
            sql.push(ddl::create_sequence(&q, seq));
            sql.extend(comment_sql(id, &seq.comment));
            sql.extend(grant_sql(id, &seq.grants, opts));
            if seq.owned_by.is_some() {
                extra.push(step(
                    id,
                    Phase::Alter,
                    vec![ddl::sequence_owned_by(&q, seq.owned_by.as_ref())],
                    vec![],
                ));
            }
        }
        ObjectKind::Table => {
            let t = &s.tables[&q];
            sql.push(ddl::create_table(&q, t));
            sql.extend(ddl::table_properties(&q, t));
            sql.extend(comment_sql(id, &t.comment));
            sql.extend(grant_sql(id, &t.grants, opts));
            for c in &t.columns {
                let cid = ObjectId::column(&q, &c.name);
                if t.partition_of.is_some() || !c.is_local {
                    // Inherited columns: only settings that differ from the parent's are set.
                    let parent = t
                        .partition_of
                        .as_ref()
                        .map(|p| &p.parent)
                        .into_iter()
                        .chain(&t.inherits)
                        .find_map(|p| s.tables.get(p).and_then(|pt| pt.column(&c.name)));
                    if c.default.is_some() && c.default != parent.and_then(|p| p.default.clone()) {
                        let d = c.default.as_deref().unwrap_or_default();
                        sql.push(ddl::alter_column(&q, &c.name, &format!("SET DEFAULT {d}")));
                    }
                    if c.not_null && !parent.is_some_and(|p| p.not_null) {
                        sql.push(ddl::alter_column(&q, &c.name, "SET NOT NULL"));
                    }
                }
                sql.extend(comment_sql(&cid, &c.comment));
                if opts.diff.privileges {
                    sql.extend(c.grants.iter().map(|g| ddl::grant(&cid, g)));
                }
            }
            for (n, c) in &t.constraints {
                let cid = ObjectId::constraint(&q, n);
                if ddl::constraint_inline(c) {
                    sql.extend(comment_sql(&cid, &c.comment));
                    sql.extend(index_comment_sql(&q, n, c));
                } else {
                    extra.extend(create_steps(s, &cid, opts, true));
                }
            }
        }
        ObjectKind::Column => {
            let t = &s.tables[&q];
            let c = t.column(&id.name).expect("column exists");
            sql.push(ddl::add_column(&q, c));
            sql.extend(comment_sql(id, &c.comment));
            if opts.diff.privileges {
                sql.extend(c.grants.iter().map(|g| ddl::grant(id, g)));
            }
            if c.not_null && c.default.is_none() && c.identity.is_none() && c.generated.is_none() {
                hazards.push(hazard(
                    HazardKind::ValidationScan,
                    "adding a NOT NULL column without a default fails if the table has rows",
                ));
            }
            if c.generated.is_some() || c.identity.is_some() {
                hazards.push(hazard(
                    HazardKind::TableRewrite,
                    "a generated or identity column rewrites the table",
                ));
            }
        }
        ObjectKind::Constraint => {
            let c = &s.tables[&q].constraints[&id.name];
            if opts.online
                && !fresh
                && matches!(c.kind, ConstraintKind::ForeignKey | ConstraintKind::Check)
                && c.validated
            {
                // Online: add without scanning, validate separately (weaker lock).
                let mut unvalidated = c.clone();
                unvalidated.definition = format!("{} NOT VALID", c.definition);
                sql.push(ddl::add_constraint(&q, &id.name, &unvalidated));
                extra.push(step(
                    id,
                    Phase::Alter,
                    vec![ddl::validate_constraint(&q, &id.name)],
                    vec![hazard(
                        HazardKind::ValidationScan,
                        "validation scans the table (SHARE UPDATE EXCLUSIVE lock only)",
                    )],
                ));
            } else {
                sql.push(ddl::add_constraint(&q, &id.name, c));
                if !fresh || c.kind == ConstraintKind::ForeignKey {
                    match c.kind {
                        ConstraintKind::PrimaryKey
                        | ConstraintKind::Unique
                        | ConstraintKind::Exclude => hazards.push(hazard(
                            HazardKind::IndexBuild,
                            "builds the constraint's index while blocking writes",
                        )),
                        _ if c.validated && !fresh => hazards.push(hazard(
                            HazardKind::ValidationScan,
                            "validates existing rows under a lock that blocks writes",
                        )),
                        _ => {}
                    }
                }
            }
            sql.extend(comment_sql(id, &c.comment));
            sql.extend(index_comment_sql(&q, &id.name, c));
        }
        ObjectKind::View | ObjectKind::MaterializedView => {
            let v = &s.views[&q];
            sql.push(ddl::create_view(&q, v, false));
            if v.materialized {
                sql.push(format!("REFRESH MATERIALIZED VIEW {};", ddl::qual(&q)));
            }
            sql.extend(comment_sql(id, &v.comment));
            for c in &v.columns {
                sql.extend(comment_sql(&ObjectId::column(&q, &c.name), &c.comment));
            }
            sql.extend(grant_sql(id, &v.grants, opts));
        }
        ObjectKind::Index => {
            let i = &s.indexes[&q];
            let concurrently = opts.online && !fresh_table(s, i);
            sql.push(ddl::create_index(i, concurrently));
            sql.extend(comment_sql(id, &i.comment));
            let ri = format!("index:{}", q.name);
            if s.tables
                .get(&i.table)
                .and_then(|t| t.replica_identity.as_ref())
                == Some(&ri)
            {
                sql.push(ddl::replica_identity(&i.table, Some(&ri)));
            }
            hazards.push(hazard(
                HazardKind::IndexBuild,
                if concurrently {
                    "builds the index concurrently (no write lock; runs outside a transaction)"
                } else {
                    "builds the index while blocking writes to the table"
                },
            ));
            if concurrently {
                hazards.push(hazard(
                    HazardKind::NonTransactional,
                    "CREATE INDEX CONCURRENTLY",
                ));
            }
        }
        ObjectKind::Function | ObjectKind::Procedure => {
            let f = &s.functions[id];
            sql.push(ddl::create_function(f));
            sql.extend(comment_sql(id, &f.comment));
            sql.extend(grant_sql(id, &f.grants, opts));
        }
        ObjectKind::Trigger => {
            let t = &s.triggers[id];
            sql.extend(ddl::create_trigger(&id.name, t));
            sql.extend(comment_sql(id, &t.comment));
        }
        ObjectKind::Policy => {
            let p = &s.policies[id];
            sql.push(ddl::create_policy(&id.name, p));
            sql.extend(comment_sql(id, &p.comment));
        }
    }
    let _ = fresh;
    let mut steps = vec![step(id, Phase::Create, sql, hazards)];
    steps.extend(extra);
    steps
}

fn fresh_table(_s: &Schema, _i: &Index) -> bool {
    false
}

/// Steps that drop object `id` as it is in `s`.
pub(super) fn drop_steps(s: &Schema, id: &ObjectId) -> Vec<Step> {
    let q = id.qual_name();
    let (sql, hazards): (String, Vec<Hazard>) = match id.kind {
        ObjectKind::Schema => (
            ddl::drop_schema(&id.name),
            vec![hazard(
                HazardKind::DataLoss,
                format!("drops schema {}", id.name),
            )],
        ),
        ObjectKind::Extension => (
            format!("DROP EXTENSION {};", ddl::ident(&id.name)),
            vec![hazard(
                HazardKind::DataLoss,
                "drops the extension and its objects",
            )],
        ),
        ObjectKind::Enum | ObjectKind::CompositeType => (
            format!("DROP TYPE {};", ddl::qual(&q)),
            vec![hazard(HazardKind::DataLoss, format!("drops type {q}"))],
        ),
        ObjectKind::Domain => (
            format!("DROP DOMAIN {};", ddl::qual(&q)),
            vec![hazard(HazardKind::DataLoss, format!("drops domain {q}"))],
        ),
        ObjectKind::Sequence => (
            format!("DROP SEQUENCE {};", ddl::qual(&q)),
            vec![hazard(
                HazardKind::DataLoss,
                "drops the sequence and its current value",
            )],
        ),
        ObjectKind::Table => (
            ddl::drop_table(&q),
            vec![hazard(
                HazardKind::DataLoss,
                format!("drops table {q} and all its rows"),
            )],
        ),
        ObjectKind::Column => (
            ddl::drop_column(&q, &id.name),
            vec![hazard(
                HazardKind::DataLoss,
                format!("drops column {} and its values", id.name),
            )],
        ),
        ObjectKind::Constraint => (ddl::drop_constraint(&q, &id.name), vec![]),
        ObjectKind::View | ObjectKind::MaterializedView => {
            (ddl::drop_view(&q, &s.views[&q]), vec![])
        }
        ObjectKind::Index => (ddl::drop_index(&q, false), vec![]),
        ObjectKind::Function | ObjectKind::Procedure => {
            (format!("DROP {};", ddl::object_ref(id)), vec![])
        }
        ObjectKind::Trigger => (ddl::drop_trigger(&id.name, &s.triggers[id]), vec![]),
        ObjectKind::Policy => (ddl::drop_policy(&id.name, &s.policies[id]), vec![]),
    };
    vec![step(id, Phase::Drop, vec![sql], hazards)]
}

/// Whether changing type `from` to `to` keeps every value (a widening Postgres does without
/// a check); other changes may fail or truncate.
fn widening(from: &str, to: &str) -> bool {
    let ints = ["smallint", "integer", "bigint"];
    if let (Some(a), Some(b)) = (
        ints.iter().position(|t| *t == from),
        ints.iter().position(|t| *t == to),
    ) {
        return b >= a;
    }
    if to == "text" && (from.starts_with("character varying") || from == "character varying") {
        return true;
    }
    let len = |t: &str, base: &str| -> Option<Option<u32>> {
        let rest = t.strip_prefix(base)?;
        if rest.is_empty() {
            return Some(None);
        }
        rest.strip_prefix('(')?
            .strip_suffix(')')?
            .parse()
            .ok()
            .map(Some)
    };
    for base in ["character varying", "bit varying"] {
        if let (Some(a), Some(b)) = (len(from, base), len(to, base)) {
            return match (a, b) {
                (_, None) => true,
                (Some(x), Some(y)) => y >= x,
                (None, Some(_)) => false,
            };
        }
    }
    false
}

fn alter_steps(
    from: &Schema,
    to: &Schema,
    id: &ObjectId,
    alterations: &[Alteration],
    opts: &PlanOptions,
) -> Vec<Step> {
    let q = id.qual_name();
    let mut sql = Vec::new();
    let mut hazards = Vec::new();
    let mut separate = Vec::new();
    for a in alterations {
        match a {
            Alteration::Comment { to: c, .. } => sql.push(ddl::comment_on(id, c.as_deref())),
            Alteration::Grants { from: g0, to: g1 } => {
                sql.extend(ddl::grant_changes(id, g0, g1));
            }
            Alteration::ColumnType { from: t0, to: t1 } => {
                let a = lookup_column(from, id).expect("column on current side");
                let b = lookup_column(to, id).expect("column on desired side");
                // A default may not cast automatically: drop it around the change.
                if a.default.is_some() {
                    sql.push(ddl::alter_column(&q, &id.name, "DROP DEFAULT"));
                }
                // Enums convert to other types (and other enums) through text.
                let is_enum = |c: &Column, s: &Schema| {
                    c.type_ref.as_ref().is_some_and(|t| s.enums.contains_key(t))
                };
                if is_enum(a, from) || is_enum(b, to) {
                    let mut action = format!("TYPE {}", b.data_type);
                    if let Some(coll) = &b.collation {
                        action.push_str(&format!(" COLLATE {}", ddl::qual(coll)));
                    }
                    action.push_str(&format!(
                        " USING {}::text::{}",
                        ddl::ident(&id.name),
                        b.data_type
                    ));
                    sql.push(ddl::alter_column(&q, &id.name, &action));
                } else {
                    sql.push(ddl::alter_column_type(&q, b, true));
                }
                if let Some(d) = &b.default {
                    sql.push(ddl::alter_column(&q, &id.name, &format!("SET DEFAULT {d}")));
                }
                // Widening a varchar (or to text) is binary-compatible: no rewrite.
                if !(widening(t0, t1) && t0.starts_with("character varying")) {
                    hazards.push(hazard(
                        HazardKind::TableRewrite,
                        format!(
                            "changing {} from {t0} to {t1} may rewrite the table",
                            id.name
                        ),
                    ));
                }
                hazards.push(hazard(
                    HazardKind::AccessExclusiveLock,
                    "holds ACCESS EXCLUSIVE on the table while it changes",
                ));
                if !widening(t0, t1) {
                    hazards.push(hazard(
                        HazardKind::DataLoss,
                        format!("{t0} → {t1} can fail or lose precision for existing values"),
                    ));
                }
            }
            Alteration::ColumnDefault { to: d, .. } => {
                if alterations
                    .iter()
                    .any(|x| matches!(x, Alteration::ColumnType { .. }))
                {
                    continue;
                }
                sql.push(match d {
                    Some(d) => ddl::alter_column(&q, &id.name, &format!("SET DEFAULT {d}")),
                    None => ddl::alter_column(&q, &id.name, "DROP DEFAULT"),
                });
            }
            Alteration::ColumnNotNull { to: nn } => {
                if *nn {
                    if opts.online {
                        let check = format!("{}_not_null_pgdiff", id.name);
                        sql.push(format!(
                            "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID;",
                            ddl::qual(&q),
                            ddl::ident(&check),
                            ddl::ident(&id.name)
                        ));
                        sql.push(ddl::validate_constraint(&q, &check));
                        sql.push(ddl::alter_column(&q, &id.name, "SET NOT NULL"));
                        sql.push(ddl::drop_constraint(&q, &check));
                    } else {
                        sql.push(ddl::alter_column(&q, &id.name, "SET NOT NULL"));
                    }
                    hazards.push(hazard(
                        HazardKind::ValidationScan,
                        format!(
                            "SET NOT NULL scans the table; fails if {} has NULLs",
                            id.name
                        ),
                    ));
                } else {
                    sql.push(ddl::alter_column(&q, &id.name, "DROP NOT NULL"));
                }
            }
            Alteration::ColumnIdentity => {
                let a = lookup_column(from, id).and_then(|c| c.identity.clone());
                let b = lookup_column(to, id).and_then(|c| c.identity.clone());
                match (a, b) {
                    (Some(_), None) => sql.push(ddl::alter_column(&q, &id.name, "DROP IDENTITY")),
                    (None, Some(i)) => sql.push(ddl::alter_column(
                        &q,
                        &id.name,
                        &format!("ADD {}", ddl::identity_clause(&i)),
                    )),
                    (Some(x), Some(y)) => {
                        let mut parts = Vec::new();
                        if x.kind != y.kind {
                            parts.push(match y.kind {
                                IdentityKind::Always => "SET GENERATED ALWAYS".to_string(),
                                IdentityKind::ByDefault => "SET GENERATED BY DEFAULT".to_string(),
                            });
                        }
                        let s = &y.sequence;
                        if x.sequence != y.sequence {
                            if y.sequence.min_value > x.sequence.min_value
                                || y.sequence.max_value < x.sequence.max_value
                            {
                                parts.push("RESTART".to_string());
                            }
                            parts.push(format!(
                                "SET INCREMENT BY {} SET MINVALUE {} SET MAXVALUE {} SET START WITH {} SET CACHE {} SET {}",
                                s.increment,
                                s.min_value,
                                s.max_value,
                                s.start,
                                s.cache,
                                if s.cycle { "CYCLE" } else { "NO CYCLE" }
                            ));
                        }
                        if x.sequence.data_type != y.sequence.data_type
                            || x.sequence_name != y.sequence_name
                        {
                            sql.push(ddl::alter_column(&q, &id.name, "DROP IDENTITY"));
                            sql.push(ddl::alter_column(
                                &q,
                                &id.name,
                                &format!("ADD {}", ddl::identity_clause(&y)),
                            ));
                        } else if !parts.is_empty() {
                            sql.push(ddl::alter_column(&q, &id.name, &parts.join(" ")));
                        }
                    }
                    (None, None) => {}
                }
            }
            Alteration::EnumAddValues { .. } => {
                let a = &from.enums[&q].labels;
                let b = &to.enums[&q].labels;
                for (i, label) in b.iter().enumerate() {
                    if a.contains(label) {
                        continue;
                    }
                    // Labels are added in order, so the previous one exists by now; the first
                    // label goes before the first existing one.
                    let pos = if i > 0 {
                        Some(("AFTER", b[i - 1].as_str()))
                    } else {
                        b[1..]
                            .iter()
                            .find(|l| a.contains(l))
                            .map(|l| ("BEFORE", l.as_str()))
                    };
                    separate.push(step(
                        id,
                        Phase::Alter,
                        vec![ddl::enum_add_value(&q, label, pos)],
                        vec![hazard(
                            HazardKind::NonTransactional,
                            "a new enum value cannot be used in the transaction that adds it",
                        )],
                    ));
                }
            }
            Alteration::EnumRebuild { removed } => {
                let old = QualName::new(&q.schema, format!("{}__pgdiff_old", q.name));
                sql.push(format!(
                    "ALTER TYPE {} RENAME TO {};",
                    ddl::qual(&q),
                    ddl::ident(&old.name)
                ));
                sql.push(ddl::create_enum(&q, &to.enums[&q]));
                for (tq, t) in &to.tables {
                    for c in &t.columns {
                        if c.type_ref.as_ref() != Some(&q) || !c.is_local {
                            continue;
                        }
                        let Some(fc) = from.tables.get(tq).and_then(|ft| ft.column(&c.name)) else {
                            continue;
                        };
                        if fc.default.is_some() {
                            sql.push(ddl::alter_column(tq, &c.name, "DROP DEFAULT"));
                        }
                        sql.push(ddl::alter_column(
                            tq,
                            &c.name,
                            &format!(
                                "TYPE {} USING {}::text::{}",
                                c.data_type,
                                ddl::ident(&c.name),
                                c.data_type
                            ),
                        ));
                        if let Some(d) = &c.default {
                            sql.push(ddl::alter_column(tq, &c.name, &format!("SET DEFAULT {d}")));
                        }
                    }
                }
                sql.push(format!("DROP TYPE {};", ddl::qual(&old)));
                sql.extend(comment_sql(id, &to.enums[&q].comment));
                hazards.push(hazard(
                    HazardKind::DataLoss,
                    format!(
                        "rebuilds the enum; rows holding removed values ({}) make the cast fail",
                        removed.join(", ")
                    ),
                ));
                hazards.push(hazard(
                    HazardKind::TableRewrite,
                    "columns of the type are rewritten",
                ));
            }
            Alteration::CompositeAttributes => {
                let a = &from.composites[&q].attributes;
                let b = &to.composites[&q].attributes;
                let t = ddl::qual(&q);
                for x in a.iter().filter(|x| !b.iter().any(|y| y.name == x.name)) {
                    sql.push(format!(
                        "ALTER TYPE {t} DROP ATTRIBUTE {};",
                        ddl::ident(&x.name)
                    ));
                }
                for y in b {
                    let coll = y
                        .collation
                        .as_ref()
                        .map(|c| format!(" COLLATE {}", ddl::qual(c)))
                        .unwrap_or_default();
                    match a.iter().find(|x| x.name == y.name) {
                        None => sql.push(format!(
                            "ALTER TYPE {t} ADD ATTRIBUTE {} {}{coll};",
                            ddl::ident(&y.name),
                            y.data_type
                        )),
                        Some(x) if x != y => sql.push(format!(
                            "ALTER TYPE {t} ALTER ATTRIBUTE {} TYPE {}{coll};",
                            ddl::ident(&y.name),
                            y.data_type
                        )),
                        Some(_) => {}
                    }
                }
            }
            Alteration::IndexComment { to: c } => {
                let index = ObjectId::of(ObjectKind::Index, &QualName::new(&q.schema, &id.name));
                sql.push(ddl::comment_on(&index, c.as_deref()));
            }
            Alteration::SequenceOptions => {
                let s = &to.sequences[&q];
                let f = &from.sequences[&q];
                // A narrower range may exclude the current value: restart at the start.
                let restart = s.min_value > f.min_value || s.max_value < f.max_value;
                sql.push(format!(
                    "ALTER SEQUENCE {} {}{};",
                    ddl::qual(&q),
                    ddl::sequence_options(s),
                    if restart { " RESTART" } else { "" }
                ));
                if restart {
                    hazards.push(hazard(
                        HazardKind::DataLoss,
                        "the range narrows: the sequence restarts at its start value",
                    ));
                }
                if s.unlogged != f.unlogged {
                    sql.push(format!(
                        "ALTER SEQUENCE {} SET {};",
                        ddl::qual(&q),
                        if s.unlogged { "UNLOGGED" } else { "LOGGED" }
                    ));
                }
            }
            Alteration::SequenceOwnedBy => {
                separate.push(step(
                    id,
                    Phase::Alter,
                    vec![ddl::sequence_owned_by(
                        &q,
                        to.sequences[&q].owned_by.as_ref(),
                    )],
                    vec![],
                ));
            }
            Alteration::Domain => {
                let a = &from.domains[&q];
                let b = &to.domains[&q];
                if a.default != b.default {
                    sql.push(match &b.default {
                        Some(d) => format!("ALTER DOMAIN {} SET DEFAULT {d};", ddl::qual(&q)),
                        None => format!("ALTER DOMAIN {} DROP DEFAULT;", ddl::qual(&q)),
                    });
                }
                if a.not_null != b.not_null {
                    sql.push(format!(
                        "ALTER DOMAIN {} {} NOT NULL;",
                        ddl::qual(&q),
                        if b.not_null { "SET" } else { "DROP" }
                    ));
                }
                for c in &a.checks {
                    if !b.checks.contains(c) {
                        sql.push(format!(
                            "ALTER DOMAIN {} DROP CONSTRAINT {};",
                            ddl::qual(&q),
                            ddl::ident(&c.name)
                        ));
                    }
                }
                for c in &b.checks {
                    if !a.checks.contains(c) {
                        sql.push(format!(
                            "ALTER DOMAIN {} ADD CONSTRAINT {} {};",
                            ddl::qual(&q),
                            ddl::ident(&c.name),
                            c.definition
                        ));
                        hazards.push(hazard(
                            HazardKind::ValidationScan,
                            "checks every column of the domain type",
                        ));
                    }
                }
            }
            Alteration::TableOptions => {
                let a = &from.tables[&q].options;
                let b = &to.tables[&q].options;
                let keys = |o: &Vec<String>| -> Vec<String> {
                    o.iter()
                        .map(|x| x.split('=').next().unwrap_or("").to_string())
                        .collect()
                };
                // Reset every current option, then set the desired ones in their order, so
                // the stored options end up exactly as declared.
                let reset: Vec<String> = keys(a);
                if !reset.is_empty() {
                    sql.push(format!(
                        "ALTER TABLE {} RESET ({});",
                        ddl::qual(&q),
                        reset.join(", ")
                    ));
                }
                if !b.is_empty() {
                    sql.push(format!(
                        "ALTER TABLE {} SET ({});",
                        ddl::qual(&q),
                        b.join(", ")
                    ));
                }
            }
            Alteration::RowSecurity => {
                let a = &from.tables[&q];
                let b = &to.tables[&q];
                if a.rls_enabled != b.rls_enabled {
                    sql.push(format!(
                        "ALTER TABLE {} {} ROW LEVEL SECURITY;",
                        ddl::qual(&q),
                        if b.rls_enabled { "ENABLE" } else { "DISABLE" }
                    ));
                }
                if a.rls_forced != b.rls_forced {
                    sql.push(format!(
                        "ALTER TABLE {} {} ROW LEVEL SECURITY;",
                        ddl::qual(&q),
                        if b.rls_forced { "FORCE" } else { "NO FORCE" }
                    ));
                }
            }
            Alteration::ReplicaIdentity => {
                let r = to.tables[&q].replica_identity.as_ref();
                // An identity on an index this plan creates is set by the index's step.
                let new_index = r.and_then(|r| r.strip_prefix("index:")).is_some_and(|n| {
                    let iq = QualName::new(&q.schema, n);
                    to.indexes.contains_key(&iq) && !from.indexes.contains_key(&iq)
                });
                if !new_index {
                    sql.push(ddl::replica_identity(&q, r));
                }
            }
            Alteration::Persistence => {
                let b = &to.tables[&q];
                sql.push(format!(
                    "ALTER TABLE {} SET {};",
                    ddl::qual(&q),
                    if b.unlogged { "UNLOGGED" } else { "LOGGED" }
                ));
                hazards.push(hazard(HazardKind::TableRewrite, "rewrites the table"));
            }
            Alteration::Partition => {
                let a = &from.tables[&q].partition_of;
                let b = &to.tables[&q].partition_of;
                if let Some(p) = a {
                    sql.push(format!(
                        "ALTER TABLE {} DETACH PARTITION {};",
                        ddl::qual(&p.parent),
                        ddl::qual(&q)
                    ));
                }
                if let Some(p) = b {
                    sql.push(format!(
                        "ALTER TABLE {} ATTACH PARTITION {} {};",
                        ddl::qual(&p.parent),
                        ddl::qual(&q),
                        p.bound
                    ));
                    hazards.push(hazard(
                        HazardKind::ValidationScan,
                        "attaching scans the partition to check the bound",
                    ));
                }
            }
            Alteration::Inherits => {
                let a = &from.tables[&q].inherits;
                let b = &to.tables[&q].inherits;
                for p in a.iter().filter(|p| !b.contains(p)) {
                    sql.push(format!(
                        "ALTER TABLE {} NO INHERIT {};",
                        ddl::qual(&q),
                        ddl::qual(p)
                    ));
                }
                for p in b.iter().filter(|p| !a.contains(p)) {
                    sql.push(format!(
                        "ALTER TABLE {} INHERIT {};",
                        ddl::qual(&q),
                        ddl::qual(p)
                    ));
                }
            }
            Alteration::ValidateConstraint => {
                sql.push(ddl::validate_constraint(&q, &id.name));
                hazards.push(hazard(
                    HazardKind::ValidationScan,
                    "validation scans the table",
                ));
            }
            Alteration::Replace => match id.kind {
                ObjectKind::View => sql.push(ddl::create_view(&q, &to.views[&q], true)),
                _ => sql.push(ddl::create_function(&to.functions[id])),
            },
            Alteration::TriggerEnabled => {
                sql.push(ddl::trigger_enabled(&id.name, &to.triggers[id]));
            }
            Alteration::ExtensionVersion => {
                sql.push(format!(
                    "ALTER EXTENSION {} UPDATE TO {};",
                    ddl::ident(&id.name),
                    ddl::literal(&to.extensions[&id.name].version)
                ));
            }
            Alteration::ViewColumnComments => {
                for c in &to.views[&q].columns {
                    sql.push(ddl::comment_on(
                        &ObjectId::column(&q, &c.name),
                        c.comment.as_deref(),
                    ));
                }
            }
        }
    }
    let mut out = Vec::new();
    if !sql.is_empty() {
        out.push(step(id, Phase::Alter, sql, hazards));
    }
    // Separate steps of the same object stay in the order they were produced; they share
    // the Alter phase and are disambiguated in the graph by position.
    out.extend(separate);
    out
}

#[cfg(test)]
mod tests {
    use super::widening;

    #[test]
    fn widening_is_recognised() {
        assert!(widening("integer", "bigint"));
        assert!(!widening("bigint", "integer"));
        assert!(widening("character varying(10)", "character varying(20)"));
        assert!(widening("character varying(10)", "text"));
        assert!(!widening("character varying(20)", "character varying(10)"));
        assert!(!widening("text", "integer"));
    }
}
