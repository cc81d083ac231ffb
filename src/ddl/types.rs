//! DDL for schemas, extensions, types, sequences, routines, views, indexes, triggers and
//! policies.

use super::{ident, literal, qual};
use crate::model::*;

/// `CREATE SCHEMA`.
pub fn create_schema(name: &str) -> String {
    format!("CREATE SCHEMA {};", ident(name))
}

/// `DROP SCHEMA` (without CASCADE: everything in it is dropped by its own step first).
pub fn drop_schema(name: &str) -> String {
    format!("DROP SCHEMA {};", ident(name))
}

/// `CREATE EXTENSION`.
pub fn create_extension(name: &str, e: &Extension) -> String {
    format!(
        "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {} VERSION {};",
        ident(name),
        ident(&e.schema),
        literal(&e.version)
    )
}

/// `CREATE TYPE ... AS ENUM`.
pub fn create_enum(q: &QualName, e: &EnumType) -> String {
    let labels: Vec<String> = e.labels.iter().map(|l| literal(l)).collect();
    format!("CREATE TYPE {} AS ENUM ({});", qual(q), labels.join(", "))
}

/// `ALTER TYPE ... ADD VALUE ... BEFORE|AFTER ...`.
pub fn enum_add_value(q: &QualName, label: &str, position: Option<(&str, &str)>) -> String {
    let pos = position
        .map(|(how, other)| format!(" {how} {}", literal(other)))
        .unwrap_or_default();
    format!("ALTER TYPE {} ADD VALUE {}{pos};", qual(q), literal(label))
}

/// `CREATE DOMAIN`.
pub fn create_domain(q: &QualName, d: &Domain) -> String {
    let mut s = format!("CREATE DOMAIN {} AS {}", qual(q), d.base_type);
    if let Some(c) = &d.collation {
        s.push_str(&format!(" COLLATE {}", qual(c)));
    }
    if let Some(def) = &d.default {
        s.push_str(&format!(" DEFAULT {def}"));
    }
    if d.not_null {
        s.push_str(" NOT NULL");
    }
    for c in &d.checks {
        s.push_str(&format!(" CONSTRAINT {} {}", ident(&c.name), c.definition));
    }
    s.push(';');
    s
}

/// `CREATE TYPE ... AS (...)`.
pub fn create_composite(q: &QualName, c: &CompositeType) -> String {
    let attrs: Vec<String> = c
        .attributes
        .iter()
        .map(|a| {
            let mut s = format!("{} {}", ident(&a.name), a.data_type);
            if let Some(col) = &a.collation {
                s.push_str(&format!(" COLLATE {}", qual(col)));
            }
            s
        })
        .collect();
    format!("CREATE TYPE {} AS ({});", qual(q), attrs.join(", "))
}

/// The option list shared by `CREATE SEQUENCE`, `ALTER SEQUENCE` and identity columns.
pub fn sequence_options(s: &Sequence) -> String {
    format!("AS {} {}", s.data_type, sequence_limits(s))
}

/// The sequence options without the data type (an identity column's sequence takes its
/// type from the column).
pub fn sequence_limits(s: &Sequence) -> String {
    format!(
        "INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
        s.increment,
        s.min_value,
        s.max_value,
        s.start,
        s.cache,
        if s.cycle { " CYCLE" } else { " NO CYCLE" }
    )
}

/// `CREATE SEQUENCE` (OWNED BY is a separate step, after the table exists).
pub fn create_sequence(q: &QualName, s: &Sequence) -> String {
    format!(
        "CREATE {}SEQUENCE {} {};",
        if s.unlogged { "UNLOGGED " } else { "" },
        qual(q),
        sequence_options(s)
    )
}

/// `ALTER SEQUENCE ... OWNED BY`.
pub fn sequence_owned_by(q: &QualName, owner: Option<&(QualName, String)>) -> String {
    match owner {
        Some((t, c)) => format!(
            "ALTER SEQUENCE {} OWNED BY {}.{};",
            qual(q),
            qual(t),
            ident(c)
        ),
        None => format!("ALTER SEQUENCE {} OWNED BY NONE;", qual(q)),
    }
}

/// `CREATE [MATERIALIZED] VIEW`, or `CREATE OR REPLACE VIEW` when `replace`.
pub fn create_view(q: &QualName, v: &View, replace: bool) -> String {
    let def = v.definition.trim().trim_end_matches(';');
    let (opts, check) = view_options(v);
    let with = if opts.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", opts.join(", "))
    };
    if v.materialized {
        format!(
            "CREATE MATERIALIZED VIEW {}{with} AS\n{def}\nWITH NO DATA;",
            qual(q)
        )
    } else {
        format!(
            "CREATE {}VIEW {}{with} AS\n{def}{check};",
            if replace { "OR REPLACE " } else { "" },
            qual(q)
        )
    }
}

/// Splits view options into WITH (...) options and the `WITH ... CHECK OPTION` clause.
fn view_options(v: &View) -> (Vec<String>, String) {
    let mut opts = Vec::new();
    let mut check = String::new();
    for o in &v.options {
        match o.split_once('=') {
            Some(("check_option", level)) => {
                check = format!("\n  WITH {} CHECK OPTION", level.to_uppercase());
            }
            _ => opts.push(o.clone()),
        }
    }
    (opts, check)
}

/// `DROP [MATERIALIZED] VIEW`.
pub fn drop_view(q: &QualName, v: &View) -> String {
    format!(
        "DROP {}VIEW {};",
        if v.materialized { "MATERIALIZED " } else { "" },
        qual(q)
    )
}

/// The `CREATE OR REPLACE FUNCTION|PROCEDURE` statement Postgres printed, with a semicolon.
pub fn create_function(f: &Function) -> String {
    let def = f.definition.trim_end();
    if def.ends_with(';') {
        def.to_string()
    } else {
        format!("{def};")
    }
}

/// `CREATE INDEX` as Postgres printed it, optionally `CONCURRENTLY`.
pub fn create_index(i: &Index, concurrently: bool) -> String {
    // An index on a partitioned table prints as `ON ONLY`; created without ONLY, Postgres
    // creates and attaches the partitions' indexes as well.
    let def = i
        .definition
        .trim_end_matches(';')
        .replacen(" ON ONLY ", " ON ", 1);
    if concurrently {
        let def = def
            .replacen(
                "CREATE UNIQUE INDEX ",
                "CREATE UNIQUE INDEX CONCURRENTLY ",
                1,
            )
            .replacen("CREATE INDEX ", "CREATE INDEX CONCURRENTLY ", 1);
        format!("{def};")
    } else {
        format!("{def};")
    }
}

/// `DROP INDEX`, optionally `CONCURRENTLY`.
pub fn drop_index(q: &QualName, concurrently: bool) -> String {
    format!(
        "DROP INDEX {}{};",
        if concurrently { "CONCURRENTLY " } else { "" },
        qual(q)
    )
}

/// `CREATE TRIGGER` as Postgres printed it, plus its firing state when not the default.
pub fn create_trigger(name: &str, t: &Trigger) -> Vec<String> {
    let mut out = vec![format!("{};", t.definition.trim_end_matches(';'))];
    if t.enabled != TriggerEnabled::Origin {
        out.push(trigger_enabled(name, t));
    }
    out
}

/// `ALTER TABLE ... ENABLE|DISABLE [REPLICA|ALWAYS] TRIGGER`.
pub fn trigger_enabled(name: &str, t: &Trigger) -> String {
    let how = match t.enabled {
        TriggerEnabled::Origin => "ENABLE",
        TriggerEnabled::Disabled => "DISABLE",
        TriggerEnabled::Replica => "ENABLE REPLICA",
        TriggerEnabled::Always => "ENABLE ALWAYS",
    };
    format!(
        "ALTER TABLE {} {how} TRIGGER {};",
        qual(&t.table),
        ident(name)
    )
}

/// `DROP TRIGGER`.
pub fn drop_trigger(name: &str, t: &Trigger) -> String {
    format!("DROP TRIGGER {} ON {};", ident(name), qual(&t.table))
}

/// `CREATE POLICY`.
pub fn create_policy(name: &str, p: &Policy) -> String {
    let roles: Vec<String> = p
        .roles
        .iter()
        .map(|r| {
            if r == "public" {
                "PUBLIC".into()
            } else {
                ident(r)
            }
        })
        .collect();
    let mut s = format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
        ident(name),
        qual(&p.table),
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        p.command,
        roles.join(", ")
    );
    if let Some(u) = &p.using {
        s.push_str(&format!(" USING ({u})"));
    }
    if let Some(w) = &p.with_check {
        s.push_str(&format!(" WITH CHECK ({w})"));
    }
    s.push(';');
    s
}

/// `DROP POLICY`.
pub fn drop_policy(name: &str, p: &Policy) -> String {
    format!("DROP POLICY {} ON {};", ident(name), qual(&p.table))
}
