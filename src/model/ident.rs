//! Stable identities of schema objects: [`QualName`] and [`ObjectId`].
//!
//! Identities are what diff matches objects by and what users name in `--ignore` patterns.
//! Their text form (`table:crm.contacts`, `function:crm.f(integer)`,
//! `constraint:crm.contacts.contacts_pkey`) quotes a name only when it would otherwise be
//! ambiguous, and parses back to the same value, so identities can serve as JSON map keys.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// The string type of the model's short text: names in identities and of columns,
/// constraints and indexes, column types, simple defaults, key expressions. Most fit in the
/// 24 bytes of the value itself and take no allocation of their own; a large catalog holds
/// hundreds of thousands of them (each a separate small allocation as a `String`).
pub type Name = compact_str::CompactString;
use std::str::FromStr;

/// A schema-qualified name (`schema.name`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualName {
    /// The schema (namespace) name.
    pub schema: Name,
    /// The object name within the schema.
    pub name: Name,
}

impl QualName {
    /// Builds a qualified name.
    pub fn new(schema: impl AsRef<str>, name: impl AsRef<str>) -> Self {
        QualName {
            schema: Name::new(schema),
            name: Name::new(name),
        }
    }
}

/// Writes `name` as Postgres would need it in SQL if it is not a plain lowercase identifier:
/// in double quotes with embedded quotes doubled. Plain names are written as they are.
pub fn display_ident(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

impl fmt::Display for QualName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}",
            display_ident(&self.schema),
            display_ident(&self.name)
        )
    }
}

/// Splits `s` into dot-separated identifiers, honouring double quotes. Returns the parts and
/// the unparsed rest starting at the first `(` outside quotes, if any.
fn split_idents(s: &str) -> Result<(Vec<String>, &str), String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.char_indices().peekable();
    let mut quoted_part = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                quoted_part = true;
                loop {
                    match chars.next() {
                        Some((_, '"')) => {
                            if let Some((_, '"')) = chars.peek() {
                                chars.next();
                                cur.push('"');
                            } else {
                                break;
                            }
                        }
                        Some((_, ch)) => cur.push(ch),
                        None => return Err(format!("unterminated quote in {s:?}")),
                    }
                }
            }
            '.' => {
                if cur.is_empty() && !quoted_part {
                    return Err(format!("empty name in {s:?}"));
                }
                parts.push(std::mem::take(&mut cur));
                quoted_part = false;
            }
            '(' => {
                parts.push(std::mem::take(&mut cur));
                return Ok((parts, &s[i..]));
            }
            _ => cur.push(c),
        }
    }
    if cur.is_empty() && !quoted_part {
        return Err(format!("empty name in {s:?}"));
    }
    parts.push(cur);
    Ok((parts, ""))
}

impl FromStr for QualName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match split_idents(s)? {
            (parts, "") if parts.len() == 2 => Ok(QualName::new(&parts[0], &parts[1])),
            _ => Err(format!("expected schema.name, got {s:?}")),
        }
    }
}

impl Serialize for QualName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for QualName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The kind of a schema object. The order of the variants is the order in which kinds are
/// listed in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// A schema (namespace).
    Schema,
    /// An extension.
    Extension,
    /// An enum type.
    Enum,
    /// A domain.
    Domain,
    /// A free-standing composite type.
    CompositeType,
    /// A sequence.
    Sequence,
    /// A function.
    Function,
    /// A procedure.
    Procedure,
    /// A table (ordinary, partitioned or partition).
    Table,
    /// A column of a table.
    Column,
    /// A table constraint.
    Constraint,
    /// A view.
    View,
    /// A materialized view.
    MaterializedView,
    /// An index.
    Index,
    /// A trigger.
    Trigger,
    /// A row-level security policy.
    Policy,
}

impl ObjectKind {
    /// The stable lowercase name of the kind, as used in identities and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Extension => "extension",
            ObjectKind::Enum => "enum",
            ObjectKind::Domain => "domain",
            ObjectKind::CompositeType => "composite_type",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Function => "function",
            ObjectKind::Procedure => "procedure",
            ObjectKind::Table => "table",
            ObjectKind::Column => "column",
            ObjectKind::Constraint => "constraint",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized_view",
            ObjectKind::Index => "index",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Policy => "policy",
        }
    }

    /// All kinds, in report order.
    pub const ALL: [ObjectKind; 16] = [
        ObjectKind::Schema,
        ObjectKind::Extension,
        ObjectKind::Enum,
        ObjectKind::Domain,
        ObjectKind::CompositeType,
        ObjectKind::Sequence,
        ObjectKind::Function,
        ObjectKind::Procedure,
        ObjectKind::Table,
        ObjectKind::Column,
        ObjectKind::Constraint,
        ObjectKind::View,
        ObjectKind::MaterializedView,
        ObjectKind::Index,
        ObjectKind::Trigger,
        ObjectKind::Policy,
    ];

    /// Whether objects of this kind live inside a table (their identity names the table).
    pub fn is_table_scoped(self) -> bool {
        matches!(
            self,
            ObjectKind::Column | ObjectKind::Constraint | ObjectKind::Trigger | ObjectKind::Policy
        )
    }

    /// Whether objects of this kind have no schema (schemas and extensions).
    pub fn is_global(self) -> bool {
        matches!(self, ObjectKind::Schema | ObjectKind::Extension)
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ObjectKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ObjectKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown object kind {s:?}"))
    }
}

/// The stable identity of a schema object: kind + schema + (table) + name + (arguments).
///
/// Text form: `kind:schema.name`, `kind:schema.table.name` for table-scoped kinds,
/// `function:schema.name(argtypes)` for routines, and `kind:name` for schemas and extensions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId {
    /// The kind of object.
    pub kind: ObjectKind,
    /// The schema; empty for schemas and extensions.
    pub schema: Name,
    /// For table-scoped kinds (column, constraint, trigger, policy): the table or view name.
    pub table: Option<Name>,
    /// The object's own name.
    pub name: Name,
    /// For functions and procedures: the identity argument types as Postgres prints them
    /// (`oidvectortypes(proargtypes)`), e.g. `integer, text`.
    pub args: Option<Name>,
}

impl ObjectId {
    /// The identity of a schema-level object of `kind` named `q`.
    pub fn of(kind: ObjectKind, q: &QualName) -> Self {
        ObjectId {
            kind,
            schema: q.schema.clone(),
            table: None,
            name: q.name.clone(),
            args: None,
        }
    }

    /// The identity of a schema (namespace).
    pub fn schema(name: &str) -> Self {
        ObjectId {
            kind: ObjectKind::Schema,
            schema: Name::default(),
            table: None,
            name: Name::new(name),
            args: None,
        }
    }

    /// The identity of an extension.
    pub fn extension(name: &str) -> Self {
        ObjectId {
            kind: ObjectKind::Extension,
            ..ObjectId::schema(name)
        }
    }

    /// The identity of an object that lives inside table `table`.
    pub fn in_table(kind: ObjectKind, table: &QualName, name: &str) -> Self {
        ObjectId {
            kind,
            schema: table.schema.clone(),
            table: Some(table.name.clone()),
            name: Name::new(name),
            args: None,
        }
    }

    /// The identity of column `name` of `table`.
    pub fn column(table: &QualName, name: &str) -> Self {
        Self::in_table(ObjectKind::Column, table, name)
    }

    /// The identity of constraint `name` of `table`.
    pub fn constraint(table: &QualName, name: &str) -> Self {
        Self::in_table(ObjectKind::Constraint, table, name)
    }

    /// The identity of a function or procedure.
    pub fn routine(kind: ObjectKind, q: &QualName, args: &str) -> Self {
        ObjectId {
            args: Some(Name::new(args)),
            ..ObjectId::of(kind, q)
        }
    }

    /// The schema-qualified name of the object itself (for table-scoped objects: of the
    /// table they belong to).
    pub fn qual_name(&self) -> QualName {
        match &self.table {
            Some(t) => QualName::new(&self.schema, t),
            None => QualName::new(&self.schema, &self.name),
        }
    }

    /// The identity of the table (or view) a table-scoped object belongs to.
    pub fn parent_table(&self) -> Option<QualName> {
        self.table.as_ref().map(|t| QualName::new(&self.schema, t))
    }

    /// The name without the kind prefix, e.g. `crm.contacts.contacts_pkey`.
    pub fn path(&self) -> String {
        let mut s = String::new();
        if !self.kind.is_global() {
            s.push_str(&display_ident(&self.schema));
            s.push('.');
        }
        if let Some(t) = &self.table {
            s.push_str(&display_ident(t));
            s.push('.');
        }
        s.push_str(&display_ident(&self.name));
        if let Some(a) = &self.args {
            s.push('(');
            s.push_str(a);
            s.push(')');
        }
        s
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.path())
    }
}

impl FromStr for ObjectId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (kind, rest) = s
            .split_once(':')
            .ok_or_else(|| format!("expected kind:name, got {s:?}"))?;
        let kind: ObjectKind = kind.parse()?;
        let (parts, tail) = split_idents(rest)?;
        let args = if tail.is_empty() {
            None
        } else {
            let inner = tail
                .strip_prefix('(')
                .and_then(|t| t.strip_suffix(')'))
                .ok_or_else(|| format!("bad argument list in {s:?}"))?;
            Some(Name::new(inner))
        };
        let bad = || format!("wrong number of name parts for {kind} in {s:?}");
        let id = match (kind.is_global(), kind.is_table_scoped(), parts.as_slice()) {
            (true, _, [name]) => ObjectId {
                kind,
                schema: Name::default(),
                table: None,
                name: Name::new(name),
                args,
            },
            (false, true, [schema, table, name]) => ObjectId {
                kind,
                schema: Name::new(schema),
                table: Some(Name::new(table)),
                name: Name::new(name),
                args,
            },
            (false, false, [schema, name]) => ObjectId {
                kind,
                schema: Name::new(schema),
                table: None,
                name: Name::new(name),
                args,
            },
            _ => return Err(bad()),
        };
        Ok(id)
    }
}

impl Serialize for ObjectId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_round_trip_through_text() {
        let weird = QualName::new("My Schema", "tab.\"le\"");
        let ids = [
            ObjectId::of(ObjectKind::Table, &QualName::new("crm", "contacts")),
            ObjectId::of(ObjectKind::Table, &weird),
            ObjectId::constraint(&weird, "pk"),
            ObjectId::schema("Ünïcode"),
            ObjectId::extension("pg_trgm"),
            ObjectId::routine(
                ObjectKind::Function,
                &QualName::new("crm", "f"),
                "integer, \"crm\".\"my type\"",
            ),
        ];
        for id in ids {
            let text = id.to_string();
            assert_eq!(text.parse::<ObjectId>().unwrap(), id, "{text}");
        }
        assert_eq!(
            ObjectId::constraint(&weird, "pk").to_string(),
            "constraint:\"My Schema\".\"tab.\"\"le\"\"\".pk"
        );
        assert_eq!(weird.to_string().parse::<QualName>().unwrap(), weird);
    }

    #[test]
    fn malformed_identities_are_rejected() {
        for bad in [
            "table",
            "table:a",
            "table:a.b.c",
            "nope:a.b",
            "schema:a.b",
            "table:\"a.b",
        ] {
            assert!(bad.parse::<ObjectId>().is_err(), "{bad}");
        }
    }
}
