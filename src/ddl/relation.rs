//! DDL for tables, columns and constraints.

use super::{ident, qual, sequence_limits};
use crate::model::*;

/// The column definition used by `CREATE TABLE` and `ADD COLUMN`.
pub fn column_definition(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {}", qual(coll)));
    }
    if let Some(expr) = &c.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({expr}) {}",
            if c.generated_virtual {
                "VIRTUAL"
            } else {
                "STORED"
            }
        ));
    }
    if let Some(id) = &c.identity {
        s.push_str(&format!(" {}", identity_clause(id)));
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if c.not_null {
        if let Some(n) = &c.not_null_name {
            s.push_str(&format!(" CONSTRAINT {}", ident(n)));
        }
        s.push_str(" NOT NULL");
    }
    s
}

/// `GENERATED ... AS IDENTITY (SEQUENCE NAME ... options)`.
pub fn identity_clause(id: &Identity) -> String {
    format!(
        "GENERATED {} AS IDENTITY (SEQUENCE NAME {} {})",
        match id.kind {
            IdentityKind::Always => "ALWAYS",
            IdentityKind::ByDefault => "BY DEFAULT",
        },
        qual(&id.sequence_name),
        sequence_limits(&id.sequence)
    )
}

/// Whether constraint `c` can be written inside `CREATE TABLE`: foreign keys are added
/// after all tables exist (that breaks FK cycles), and `NOT VALID` exists only for
/// `ALTER TABLE ... ADD CONSTRAINT`.
pub fn constraint_inline(c: &Constraint) -> bool {
    c.kind != ConstraintKind::ForeignKey && c.validated
}

/// `CREATE TABLE` with columns and the inline constraints; comments, grants, RLS flags,
/// foreign keys and indexes are separate statements.
pub fn create_table(q: &QualName, t: &Table) -> String {
    let mut items: Vec<String> = Vec::new();
    let partition = t.partition_of.as_ref();
    for c in &t.columns {
        if partition.is_some() || !c.is_local {
            continue;
        }
        items.push(column_definition(c));
    }
    for (name, c) in &t.constraints {
        if constraint_inline(c) {
            items.push(format!("CONSTRAINT {} {}", ident(name), c.definition));
        }
    }
    let mut s = format!(
        "CREATE {}TABLE {}",
        if t.unlogged { "UNLOGGED " } else { "" },
        qual(q)
    );
    if let Some(p) = partition {
        s.push_str(&format!(" PARTITION OF {}", qual(&p.parent)));
        if !items.is_empty() {
            s.push_str(&format!(" (\n    {}\n)", items.join(",\n    ")));
        }
        s.push_str(&format!(" {}", p.bound));
    } else {
        s.push_str(&format!(" (\n    {}\n)", items.join(",\n    ")));
    }
    if !t.inherits.is_empty() {
        let parents: Vec<String> = t.inherits.iter().map(qual).collect();
        s.push_str(&format!(" INHERITS ({})", parents.join(", ")));
    }
    if let Some(k) = &t.partition_key {
        s.push_str(&format!(" PARTITION BY {k}"));
    }
    if !t.options.is_empty() {
        s.push_str(&format!(" WITH ({})", t.options.join(", ")));
    }
    s.push(';');
    s
}

/// Statements that set table properties not expressible in `CREATE TABLE`: the RLS flags
/// and the replica identity (an index-based one is set by the index's step).
pub fn table_properties(q: &QualName, t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(r) = &t.replica_identity {
        // An index-based identity needs the index: here only when a constraint of the
        // table provides it, otherwise with the index's own step.
        let inline_index = r
            .strip_prefix("index:")
            .is_some_and(|n| t.constraints.get(n).is_some_and(constraint_inline));
        if !r.starts_with("index:") || inline_index {
            out.push(replica_identity(q, Some(r)));
        }
    }
    if t.rls_enabled {
        out.push(format!(
            "ALTER TABLE {} ENABLE ROW LEVEL SECURITY;",
            qual(q)
        ));
    }
    if t.rls_forced {
        out.push(format!("ALTER TABLE {} FORCE ROW LEVEL SECURITY;", qual(q)));
    }
    out
}

/// `DROP TABLE`.
pub fn drop_table(q: &QualName) -> String {
    format!("DROP TABLE {};", qual(q))
}

/// `ALTER TABLE ... ADD COLUMN`.
pub fn add_column(q: &QualName, c: &Column) -> String {
    format!(
        "ALTER TABLE {} ADD COLUMN {};",
        qual(q),
        column_definition(c)
    )
}

/// `ALTER TABLE ... DROP COLUMN`.
pub fn drop_column(q: &QualName, name: &str) -> String {
    format!("ALTER TABLE {} DROP COLUMN {};", qual(q), ident(name))
}

/// `ALTER TABLE ... ALTER COLUMN ... <action>`.
pub fn alter_column(q: &QualName, column: &str, action: &str) -> String {
    format!(
        "ALTER TABLE {} ALTER COLUMN {} {action};",
        qual(q),
        ident(column)
    )
}

/// `ALTER COLUMN ... TYPE ... [COLLATE ...] [USING ...]`.
pub fn alter_column_type(q: &QualName, c: &Column, using: bool) -> String {
    let mut action = format!("TYPE {}", c.data_type);
    if let Some(coll) = &c.collation {
        action.push_str(&format!(" COLLATE {}", qual(coll)));
    }
    if using {
        action.push_str(&format!(" USING {}::{}", ident(&c.name), c.data_type));
    }
    alter_column(q, &c.name, &action)
}

/// `ALTER TABLE ... ADD CONSTRAINT`.
pub fn add_constraint(q: &QualName, name: &str, c: &Constraint) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {};",
        qual(q),
        ident(name),
        c.definition
    )
}

/// `ALTER TABLE ... DROP CONSTRAINT`.
pub fn drop_constraint(q: &QualName, name: &str) -> String {
    format!("ALTER TABLE {} DROP CONSTRAINT {};", qual(q), ident(name))
}

/// `ALTER TABLE ... VALIDATE CONSTRAINT`.
pub fn validate_constraint(q: &QualName, name: &str) -> String {
    format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {};",
        qual(q),
        ident(name)
    )
}

/// `ALTER TABLE ... REPLICA IDENTITY ...` (`None`: DEFAULT).
pub fn replica_identity(q: &QualName, r: Option<&String>) -> String {
    let what = match r.map(String::as_str) {
        None | Some("default") => "DEFAULT".to_string(),
        Some("full") => "FULL".to_string(),
        Some("nothing") => "NOTHING".to_string(),
        Some(other) => format!(
            "USING INDEX {}",
            ident(other.strip_prefix("index:").unwrap_or(other))
        ),
    };
    format!("ALTER TABLE {} REPLICA IDENTITY {what};", qual(q))
}
