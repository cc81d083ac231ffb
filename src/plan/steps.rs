//! From changes to unordered steps: expanding recreations to dependents, writing each step's
//! SQL (through `ddl`) and attaching hazards.

use super::{Hazard, HazardKind, Phase, PlanOptions, Step};
use crate::ddl;
use crate::diff::{Action, Change};
use crate::model::*;
use std::collections::BTreeMap;

pub(super) use super::alter::alter_steps;

const LOCK_TIMEOUT_MS: u64 = 5_000;

pub(super) fn hazard(kind: HazardKind, message: impl Into<String>) -> Hazard {
    Hazard {
        kind,
        message: message.into(),
    }
}

pub(super) fn step(id: &ObjectId, phase: Phase, sql: Vec<String>, hazards: Vec<Hazard>) -> Step {
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
    let by_id: BTreeMap<&ObjectId, &Change> = changes
        .iter()
        .filter(|c| !matches!(c.action, Action::Rename { .. }))
        .map(|c| (&c.id, c))
        .collect();
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
                    .and_then(|tt| tt.constraints.get(id.name.as_str()))
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

pub(super) fn lookup_column<'a>(s: &'a Schema, id: &ObjectId) -> Option<&'a Column> {
    s.tables.get(&id.qual_name())?.column(&id.name)
}

pub(super) fn comment_sql(id: &ObjectId, c: &Option<String>) -> Option<String> {
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
            let n = &s.schemas[id.name.as_str()];
            sql.push(ddl::create_schema(&id.name));
            sql.extend(comment_sql(id, &n.comment));
            sql.extend(grant_sql(id, &n.grants, opts));
        }
        ObjectKind::Extension => {
            let e = &s.extensions[id.name.as_str()];
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
            let c = &s.tables[&q].constraints[id.name.as_str()];
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
            let concurrently = opts.online;
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
