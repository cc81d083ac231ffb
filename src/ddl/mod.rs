//! DDL text for objects and changes. Pure functions of the model: no I/O, no ordering.
//!
//! All quoting happens here: every identifier is double-quoted (so mixed case, reserved
//! words, quotes, spaces and unicode need no special case), every string literal is written
//! with doubled single quotes under `standard_conforming_strings`. Expressions and
//! definitions come from Postgres itself (`pg_get_expr`, `pg_get_viewdef`, ...) and are
//! inserted as they are.

mod relation;
mod types;

pub use relation::*;
pub use types::*;

use crate::model::{Grant, ObjectId, ObjectKind, QualName};

/// `"name"` with embedded double quotes doubled.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `"schema"."name"`.
pub fn qual(q: &QualName) -> String {
    format!("{}.{}", ident(&q.schema), ident(&q.name))
}

/// A string literal: `'it''s'`.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A comma-separated list of quoted identifiers.
pub fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SQL object reference for `COMMENT ON`, `GRANT` and `DROP`, e.g. `TABLE "s"."t"`,
/// `COLUMN "s"."t"."c"`, `CONSTRAINT "c" ON "s"."t"`, `FUNCTION "s"."f"(integer)`.
pub fn object_ref(id: &ObjectId) -> String {
    let q = id.qual_name();
    match id.kind {
        ObjectKind::Schema => format!("SCHEMA {}", ident(&id.name)),
        ObjectKind::Extension => format!("EXTENSION {}", ident(&id.name)),
        ObjectKind::Enum | ObjectKind::CompositeType => format!("TYPE {}", qual(&q)),
        ObjectKind::Domain => format!("DOMAIN {}", qual(&q)),
        ObjectKind::Sequence => format!("SEQUENCE {}", qual(&q)),
        ObjectKind::Table => format!("TABLE {}", qual(&q)),
        ObjectKind::View => format!("VIEW {}", qual(&q)),
        ObjectKind::MaterializedView => format!("MATERIALIZED VIEW {}", qual(&q)),
        ObjectKind::Index => format!("INDEX {}", qual(&q)),
        ObjectKind::Function | ObjectKind::Procedure => format!(
            "{} {}({})",
            if id.kind == ObjectKind::Function {
                "FUNCTION"
            } else {
                "PROCEDURE"
            },
            qual(&q),
            id.args.as_deref().unwrap_or("")
        ),
        ObjectKind::Column => format!("COLUMN {}.{}", qual(&q), ident(&id.name)),
        ObjectKind::Constraint => format!("CONSTRAINT {} ON {}", ident(&id.name), qual(&q)),
        ObjectKind::Trigger => format!("TRIGGER {} ON {}", ident(&id.name), qual(&q)),
        ObjectKind::Policy => format!("POLICY {} ON {}", ident(&id.name), qual(&q)),
    }
}

/// `COMMENT ON ... IS '...'` (or `IS NULL` to remove it).
pub fn comment_on(id: &ObjectId, comment: Option<&str>) -> String {
    let target = object_ref(id);
    match comment {
        Some(c) => format!("COMMENT ON {target} IS {};", literal(c)),
        None => format!("COMMENT ON {target} IS NULL;"),
    }
}

/// The object reference used by GRANT and REVOKE (which name some kinds differently from
/// COMMENT: views and materialized views are granted as tables, enums and domains as types).
fn grant_target(id: &ObjectId) -> String {
    let q = id.qual_name();
    match id.kind {
        ObjectKind::View | ObjectKind::MaterializedView | ObjectKind::Table => {
            format!("TABLE {}", qual(&q))
        }
        ObjectKind::Enum | ObjectKind::CompositeType => format!("TYPE {}", qual(&q)),
        ObjectKind::Domain => format!("DOMAIN {}", qual(&q)),
        _ => object_ref(id),
    }
}

fn grantee(g: &Grant) -> String {
    if g.grantee == "PUBLIC" {
        "PUBLIC".into()
    } else {
        ident(&g.grantee)
    }
}

/// `GRANT privilege ON object TO role [WITH GRANT OPTION]`. For a column privilege, `id` is
/// the column.
pub fn grant(id: &ObjectId, g: &Grant) -> String {
    let (privilege, target) = if id.kind == ObjectKind::Column {
        (
            format!("{} ({})", g.privilege, ident(&id.name)),
            format!("TABLE {}", qual(&id.qual_name())),
        )
    } else {
        (g.privilege.clone(), grant_target(id))
    };
    format!(
        "GRANT {privilege} ON {target} TO {}{};",
        grantee(g),
        if g.grantable {
            " WITH GRANT OPTION"
        } else {
            ""
        }
    )
}

/// `REVOKE privilege ON object FROM role`.
pub fn revoke(id: &ObjectId, g: &Grant) -> String {
    let (privilege, target) = if id.kind == ObjectKind::Column {
        (
            format!("{} ({})", g.privilege, ident(&id.name)),
            format!("TABLE {}", qual(&id.qual_name())),
        )
    } else {
        (g.privilege.clone(), grant_target(id))
    };
    format!("REVOKE {privilege} ON {target} FROM {};", grantee(g))
}

/// The grants Postgres gives a new object of `kind` by itself (to roles other than the
/// owner): `EXECUTE` to `PUBLIC` on routines, `USAGE` to `PUBLIC` on types.
pub fn default_grants(kind: ObjectKind) -> Vec<Grant> {
    let public = |p: &str| Grant {
        grantee: "PUBLIC".into(),
        privilege: p.into(),
        grantable: false,
    };
    match kind {
        ObjectKind::Function | ObjectKind::Procedure => vec![public("EXECUTE")],
        ObjectKind::Enum | ObjectKind::Domain | ObjectKind::CompositeType => {
            vec![public("USAGE")]
        }
        _ => Vec::new(),
    }
}

/// The statements that turn grants `from` into grants `to` on `id`.
pub fn grant_changes(id: &ObjectId, from: &[Grant], to: &[Grant]) -> Vec<String> {
    let mut out = Vec::new();
    for g in from {
        if !to.contains(g) {
            out.push(revoke(id, g));
        }
    }
    for g in to {
        if !from.contains(g) {
            out.push(grant(id, g));
        }
    }
    out
}

/// `ALTER ... RENAME` turning object `old` into `new` (same kind).
pub fn rename(old: &ObjectId, new: &ObjectId) -> String {
    let oq = old.qual_name();
    match old.kind {
        ObjectKind::Column => format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {};",
            qual(&oq),
            ident(&old.name),
            ident(&new.name)
        ),
        ObjectKind::Enum | ObjectKind::CompositeType | ObjectKind::Domain => {
            format!("ALTER TYPE {} RENAME TO {};", qual(&oq), ident(&new.name))
        }
        _ => format!("ALTER {} RENAME TO {};", object_ref(old), ident(&new.name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_every_identifier() {
        assert_eq!(ident("select"), "\"select\"");
        assert_eq!(ident("Mixed Case"), "\"Mixed Case\"");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(ident("ünï"), "\"ünï\"");
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(qual(&QualName::new("My", "t.x")), "\"My\".\"t.x\"");
    }
}
