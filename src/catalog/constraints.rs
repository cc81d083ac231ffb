//! The constraints query's rows and their completion into the model.
//!
//! The query (`queries/constraints.sql`) sends the key columns of every constraint as
//! attribute numbers. They are named here from the columns query's rows, once both results
//! are in, and the definitions of primary keys, unique constraints and foreign keys are
//! composed from the names as `pg_get_constraintdef` composes them, quoting as `quote_ident`
//! quotes with the server's own keywords; a CHECK constraint's definition wraps its
//! expression, which the server deparses. The server prints the other definitions itself.
//! Naming the keys on the server took a join of every key column with `pg_attribute` and a
//! grouping; with the composition it was about 45% of the query's time on a large catalog.

use crate::model::{Constraint, ConstraintKind, ForeignKey, Name, QualName};
use serde::Deserialize;
use std::collections::BTreeSet;

/// One row of the constraints query.
#[derive(Deserialize)]
pub(super) struct ConstraintRow {
    schema: Name,
    table: Name,
    /// `conrelid` and `confrelid` (0 but for a foreign key).
    relid: u32,
    ref_relid: u32,
    name: Name,
    /// `pg_constraint.contype`.
    kind: char,
    /// As the server prints it, for the definitions not composed here (EXCLUDE, and the
    /// forms new in PostgreSQL 18).
    definition: Option<String>,
    /// The deparsed expression of an (enforced) CHECK constraint.
    check_expression: Option<String>,
    /// `conkey`: the constrained columns (0 for an expression of an exclusion constraint,
    /// negative for a system column a CHECK constraint reads).
    keys: Vec<i16>,
    /// `confkey`: the referenced columns of a foreign key.
    ref_keys: Vec<i16>,
    ref_schema: Option<Name>,
    ref_table: Option<Name>,
    /// The referenced columns by name, sent only when the columns query does not read the
    /// referenced table.
    ref_names: Option<Vec<Name>>,
    /// `confupdtype`, `confdeltype`, `confmatchtype`.
    on_update: char,
    on_delete: char,
    match_type: char,
    /// `confdelsetcols`: the columns of `ON DELETE SET NULL (...)`.
    set_columns: Vec<i16>,
    /// The `INCLUDE` columns of a primary key or unique constraint.
    include: Vec<i16>,
    deferrable: bool,
    initially_deferred: bool,
    validated: bool,
    no_inherit: bool,
    nulls_not_distinct: bool,
    comment: Option<String>,
    index_comment: Option<String>,
}

/// A constraint in the model's form, with its table and name.
pub(super) struct ConstraintOf {
    pub(super) table: QualName,
    pub(super) name: Name,
    pub(super) constraint: Constraint,
}

/// A column of a relation read, as naming keys needs it.
pub(super) struct Attribute {
    /// The relation's OID.
    pub(super) relid: u32,
    /// The attribute number.
    pub(super) attnum: i32,
    pub(super) name: Name,
    /// The type's and collation's OIDs (0 for none).
    pub(super) type_oid: u32,
    pub(super) collation: u32,
}

/// What naming the keys and composing the definitions of constraints and indexes needs: the
/// columns of every relation read, by OID and attribute number, and the server's keywords.
pub(super) struct Names<'a> {
    /// Sorted by OID and attribute number.
    columns: &'a [Attribute],
    keywords: BTreeSet<&'a str>,
}

/// The system columns by attribute number (the same on every supported server): a CHECK
/// constraint may read `tableoid`.
const SYSTEM_COLUMNS: [(i16, &str); 6] = [
    (-1, "ctid"),
    (-2, "xmin"),
    (-3, "cmin"),
    (-4, "xmax"),
    (-5, "cmax"),
    (-6, "tableoid"),
];

impl<'a> Names<'a> {
    /// `columns` sorted by relation OID and attribute number.
    pub(super) fn new(columns: &'a [Attribute], keywords: &'a [String]) -> Self {
        Names {
            columns,
            keywords: keywords.iter().map(String::as_str).collect(),
        }
    }

    /// The column `attnum` of the relation `relid`, if it was read.
    pub(super) fn attribute(&self, relid: u32, attnum: i16) -> Option<&'a Attribute> {
        self.columns
            .binary_search_by_key(&(relid, i32::from(attnum)), |a| (a.relid, a.attnum))
            .ok()
            .map(|i| &self.columns[i])
    }

    /// Names the attribute numbers `nums` of the table `relid` (`table`, for messages),
    /// leaving out the zeros of expression keys.
    pub(super) fn keys(
        &self,
        relid: u32,
        nums: &[i16],
        table: &QualName,
    ) -> Result<Vec<Name>, String> {
        nums.iter()
            .filter(|&&n| n != 0)
            .map(|&n| {
                if n < 0 {
                    return SYSTEM_COLUMNS
                        .iter()
                        .find(|(num, _)| *num == n)
                        .map(|(_, name)| Name::from(*name))
                        .ok_or_else(|| format!("{table}: no system column number {n}"));
                }
                self.attribute(relid, n)
                    .map(|a| a.name.clone())
                    .ok_or_else(|| format!("{table}: column number {n} was not read"))
            })
            .collect()
    }

    /// Appends `name` as `quote_ident` prints it: bare when it is lower case letters, digits
    /// and underscores, starts with a letter or underscore and is no keyword (but an
    /// unreserved one), else double-quoted with its double quotes doubled.
    pub(super) fn push_ident(&self, out: &mut String, name: &str) {
        let b = name.as_bytes();
        let bare = matches!(b.first(), Some(b'a'..=b'z' | b'_'))
            && b.iter()
                .all(|c| matches!(c, b'a'..=b'z' | b'0'..=b'9' | b'_'))
            && !self.keywords.contains(name);
        if bare {
            out.push_str(name);
        } else {
            out.push('"');
            out.push_str(&name.replace('"', "\"\""));
            out.push('"');
        }
    }

    /// `a, b, "C"`.
    pub(super) fn push_list(&self, out: &mut String, names: &[Name]) {
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.push_ident(out, n);
        }
    }
}

/// The referential action of `confupdtype` / `confdeltype`.
fn action(code: char) -> Result<&'static str, String> {
    Ok(match code {
        'a' => "NO ACTION",
        'r' => "RESTRICT",
        'c' => "CASCADE",
        'n' => "SET NULL",
        'd' => "SET DEFAULT",
        other => return Err(format!("unknown referential action {other:?}")),
    })
}

impl ConstraintRow {
    /// The constraint in the model's form: keys named, definition composed where the server
    /// did not print it.
    pub(super) fn into_model(self, names: &Names<'_>) -> Result<ConstraintOf, String> {
        let table = QualName {
            schema: self.schema,
            name: self.table,
        };
        let context = |e: String| format!("constraint {} on {table}: {e}", self.name);
        let kind = match self.kind {
            'p' => ConstraintKind::PrimaryKey,
            'u' => ConstraintKind::Unique,
            'c' => ConstraintKind::Check,
            'f' => ConstraintKind::ForeignKey,
            'x' => ConstraintKind::Exclude,
            other => return Err(context(format!("unknown constraint type {other:?}"))),
        };
        let columns = names
            .keys(self.relid, &self.keys, &table)
            .map_err(context)?;
        let foreign_key = if kind == ConstraintKind::ForeignKey {
            let (Some(schema), Some(name)) = (self.ref_schema, self.ref_table) else {
                return Err(context("no referenced table".into()));
            };
            let references = QualName { schema, name };
            let ref_columns = match self.ref_names {
                Some(n) => n,
                None => names
                    .keys(self.ref_relid, &self.ref_keys, &references)
                    .map_err(context)?,
            };
            Some(Box::new(ForeignKey {
                references,
                ref_columns,
                on_delete: action(self.on_delete).map_err(context)?.into(),
                on_update: action(self.on_update).map_err(context)?.into(),
                match_type: match self.match_type {
                    'f' => "FULL",
                    'p' => "PARTIAL",
                    _ => "SIMPLE",
                }
                .into(),
            }))
        } else {
            None
        };
        let mut constraint = Constraint {
            kind,
            definition: String::new(),
            columns,
            foreign_key,
            deferrable: self.deferrable,
            initially_deferred: self.initially_deferred,
            validated: self.validated,
            no_inherit: self.no_inherit,
            nulls_not_distinct: self.nulls_not_distinct,
            comment: self.comment,
            index_comment: self.index_comment,
        };
        constraint.definition = match self.definition {
            Some(d) => d,
            None => {
                let include = names
                    .keys(self.relid, &self.include, &table)
                    .map_err(context)?;
                let set_columns = names
                    .keys(self.relid, &self.set_columns, &table)
                    .map_err(context)?;
                compose(
                    &constraint,
                    self.check_expression.as_deref(),
                    &include,
                    &set_columns,
                    names,
                )
                .map_err(context)?
            }
        };
        Ok(ConstraintOf {
            table,
            name: self.name,
            constraint,
        })
    }
}

/// The definition of a primary key, unique constraint, foreign key or CHECK constraint (of
/// its deparsed `check`), as `pg_get_constraintdef` prints it.
fn compose(
    c: &Constraint,
    check: Option<&str>,
    include: &[Name],
    set_columns: &[Name],
    names: &Names<'_>,
) -> Result<String, String> {
    let mut out = String::with_capacity(64);
    match (c.kind, &c.foreign_key) {
        (ConstraintKind::PrimaryKey | ConstraintKind::Unique, _) => {
            out.push_str(if c.kind == ConstraintKind::PrimaryKey {
                "PRIMARY KEY ("
            } else if c.nulls_not_distinct {
                "UNIQUE NULLS NOT DISTINCT ("
            } else {
                "UNIQUE ("
            });
            names.push_list(&mut out, &c.columns);
            out.push(')');
            if !include.is_empty() {
                out.push_str(" INCLUDE (");
                names.push_list(&mut out, include);
                out.push(')');
            }
        }
        (ConstraintKind::ForeignKey, Some(fk)) => {
            out.push_str("FOREIGN KEY (");
            names.push_list(&mut out, &c.columns);
            out.push_str(") REFERENCES ");
            names.push_ident(&mut out, &fk.references.schema);
            out.push('.');
            names.push_ident(&mut out, &fk.references.name);
            out.push('(');
            names.push_list(&mut out, &fk.ref_columns);
            out.push(')');
            if fk.match_type != "SIMPLE" {
                out.push_str(" MATCH ");
                out.push_str(&fk.match_type);
            }
            for (on, action) in [("UPDATE", &fk.on_update), ("DELETE", &fk.on_delete)] {
                if action != "NO ACTION" {
                    out.push_str(" ON ");
                    out.push_str(on);
                    out.push(' ');
                    out.push_str(action);
                }
            }
            if !set_columns.is_empty() {
                out.push_str(" (");
                names.push_list(&mut out, set_columns);
                out.push(')');
            }
        }
        (ConstraintKind::Check, _) => {
            let Some(expression) = check else {
                return Err("no expression from the server".into());
            };
            out.push_str("CHECK (");
            out.push_str(expression);
            out.push(')');
            if c.no_inherit {
                out.push_str(" NO INHERIT");
            }
        }
        _ => return Err("no definition from the server".into()),
    }
    if c.deferrable {
        out.push_str(" DEFERRABLE");
    }
    if c.initially_deferred {
        out.push_str(" INITIALLY DEFERRED");
    }
    if !c.validated {
        out.push_str(" NOT VALID");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_as_quote_ident_quotes_them() {
        let keywords = ["select".to_string(), "user".to_string()];
        let names = Names::new(&[], &keywords);
        let quoted = |n: &str| {
            let mut s = String::new();
            names.push_ident(&mut s, n);
            s
        };
        assert_eq!(quoted("org_id"), "org_id");
        assert_eq!(quoted("_x9"), "_x9");
        assert_eq!(quoted("select"), "\"select\"");
        assert_eq!(quoted("user"), "\"user\"");
        assert_eq!(
            quoted("name"),
            "name",
            "unreserved keywords are not in the list"
        );
        assert_eq!(quoted("Org"), "\"Org\"");
        assert_eq!(quoted("9a"), "\"9a\"");
        assert_eq!(quoted("a b"), "\"a b\"");
        assert_eq!(quoted("a$"), "\"a$\"");
        assert_eq!(quoted("é"), "\"é\"");
        assert_eq!(quoted("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
