//! Steps for in-place alterations: one per object, plus separate steps for what must run
//! on its own (enum values added outside a transaction, OWNED BY after the owner exists).

use super::steps::{comment_sql, hazard, lookup_column, step};
use super::{HazardKind, Phase, PlanOptions, Step};
use crate::ddl;
use crate::diff::Alteration;
use crate::model::*;

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

pub(super) fn alter_steps(
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
                let was = lookup_column(from, id);
                if *nn && was.is_some_and(|c| c.not_null) {
                    // Only the constraint's name differs (PostgreSQL 18+).
                    let generated = format!("{}_{}_not_null", q.name, id.name);
                    let old = was
                        .and_then(|c| c.not_null_name.clone())
                        .unwrap_or(generated.clone());
                    let new = lookup_column(to, id)
                        .and_then(|c| c.not_null_name.clone())
                        .unwrap_or(generated);
                    sql.push(format!(
                        "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
                        ddl::qual(&q),
                        ddl::ident(&old),
                        ddl::ident(&new)
                    ));
                } else if *nn {
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
                        if c.type_ref.as_deref() != Some(&q) || !c.is_local {
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
                    ddl::literal(&to.extensions[id.name.as_str()].version)
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
