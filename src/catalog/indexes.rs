//! The indexes query's rows and their completion into the model.
//!
//! The query (`queries/indexes.sql`) sends each index's keys as `pg_index` stores them:
//! attribute numbers, operator classes, collations and option bits. They are named here from
//! the columns query's rows, and the operator classes and collations from
//! `queries/index_support.sql`. An index whose keys are all plain columns, each with the
//! default operator class of the column's own type and the column's collation, has its
//! definition composed here as `pg_get_indexdef` composes it; for any other the server prints
//! it, in the indexes query when it can tell from `pg_index` alone (an expression key,
//! storage parameters, operator-class options) and otherwise in one query after the others,
//! by OID ([`DEFINITIONS`]).

use super::constraints::Names;
use crate::model::{IndexKey, Name, QualName};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The definitions of the indexes the inspector cannot compose, by OID (`$1`).
pub(super) const DEFINITIONS: &str = "SELECT x AS oid, pg_catalog.pg_get_indexdef(x) AS definition \
                                      FROM unnest($1::pg_catalog.oid[]) x";

/// One row of the indexes query.
#[derive(Deserialize)]
pub(super) struct IndexRow {
    pub(super) schema: Name,
    pub(super) name: Name,
    /// In the index's schema.
    pub(super) table: Name,
    /// The index's and its table's OIDs.
    pub(super) oid: u32,
    relid: u32,
    /// As the server prints it, when it does (see the module's header).
    pub(super) definition: Option<String>,
    /// `ON ONLY` (an index of a partitioned table).
    only: bool,
    pub(super) unique: bool,
    pub(super) method: Name,
    /// How many of `columns` are keys; the rest are `INCLUDE` columns.
    key_count: i16,
    /// `indkey`: an attribute number per column, 0 for an expression.
    columns: Vec<i16>,
    /// `indclass`, `indcollation` and `indoption`, one per key.
    opclasses: Vec<u32>,
    collations: Vec<u32>,
    key_options: Vec<i16>,
    /// When a key is an expression: each key's expression as the server prints it (`''` for
    /// the plain columns).
    expressions: Option<Vec<String>>,
    pub(super) predicate: Option<String>,
    pub(super) nulls_not_distinct: bool,
    pub(super) options: Vec<String>,
    pub(super) comment: Option<String>,
}

/// One row of the index support query.
#[derive(Deserialize)]
pub(super) struct SupportRow {
    /// `o` for an operator class, `c` for a collation.
    kind: char,
    oid: u32,
    /// `schema.name`.
    name: String,
    /// An operator class's: whether it is its type's default, its type, and whether its
    /// access method orders keys.
    default: bool,
    #[serde(rename = "type")]
    type_oid: u32,
    can_order: bool,
}

/// The operator classes and collations, by OID.
pub(super) struct Support {
    opclasses: BTreeMap<u32, SupportRow>,
    collations: BTreeMap<u32, String>,
}

impl Support {
    pub(super) fn new(rows: Vec<SupportRow>) -> Support {
        let mut opclasses = BTreeMap::new();
        let mut collations = BTreeMap::new();
        for r in rows {
            if r.kind == 'c' {
                collations.insert(r.oid, r.name);
            } else {
                opclasses.insert(r.oid, r);
            }
        }
        Support {
            opclasses,
            collations,
        }
    }
}

/// One key of an index, resolved.
struct Key<'a> {
    /// The column's name (`None` for an expression) and its type and collation.
    column: Option<(&'a Name, u32, u32)>,
    opclass: &'a SupportRow,
    collation: u32,
    options: i16,
}

impl IndexRow {
    /// Its keys, resolved, after checking that the arrays agree.
    fn keys<'a>(&self, names: &Names<'a>, support: &'a Support) -> Result<Vec<Key<'a>>, String> {
        let n = usize::try_from(self.key_count).unwrap_or(0);
        if self.columns.len() < n
            || [
                self.opclasses.len(),
                self.collations.len(),
                self.key_options.len(),
            ] != [n; 3]
        {
            return Err("key arrays of different lengths".into());
        }
        (0..n)
            .map(|k| {
                let attnum = self.columns[k];
                let column = if attnum == 0 {
                    None
                } else {
                    let a = names
                        .attribute(self.relid, attnum)
                        .ok_or_else(|| format!("column number {attnum} was not read"))?;
                    Some((&a.name, a.type_oid, a.collation))
                };
                let opclass = support
                    .opclasses
                    .get(&self.opclasses[k])
                    .ok_or_else(|| format!("unknown operator class {}", self.opclasses[k]))?;
                Ok(Key {
                    column,
                    opclass,
                    collation: self.collations[k],
                    options: self.key_options[k],
                })
            })
            .collect()
    }

    /// Whether the definition is composed here: no definition from the server, and every key
    /// a plain column with the default operator class of its own type and its collation.
    pub(super) fn composable(&self, names: &Names<'_>, support: &Support) -> Result<bool, String> {
        if self.definition.is_some() {
            return Ok(false);
        }
        Ok(self.keys(names, support)?.iter().all(|k| match k.column {
            Some((_, type_oid, collation)) => {
                k.opclass.default
                    && k.opclass.type_oid == type_oid
                    && (k.collation == 0 || k.collation == collation)
            }
            None => false,
        }))
    }

    /// The model's keys and `INCLUDE` columns, and the definition (composed when the server
    /// did not print it, which [`IndexRow::composable`] decided before).
    pub(super) fn complete(
        &mut self,
        names: &Names<'_>,
        support: &Support,
    ) -> Result<(Vec<IndexKey>, Vec<Name>, String), String> {
        let keys = self.keys(names, support)?;
        let n = keys.len();
        let table = QualName {
            schema: self.schema.clone(),
            name: self.table.clone(),
        };
        let include = names.keys(self.relid, &self.columns[n..], &table)?;
        let expressions = self.expressions.take().unwrap_or_default();
        let mut model = Vec::with_capacity(n);
        for (i, k) in keys.iter().enumerate() {
            let expression = match k.column {
                Some((name, ..)) => {
                    let mut quoted = String::with_capacity(name.len());
                    names.push_ident(&mut quoted, name);
                    Name::from(quoted)
                }
                None => Name::from(expressions.get(i).map_or("", String::as_str)),
            };
            let own_collation = k.column.map_or(0, |(_, _, c)| c);
            let collation = if k.collation != 0 && k.collation != own_collation {
                let name = support
                    .collations
                    .get(&k.collation)
                    .ok_or_else(|| format!("unknown collation {}", k.collation))?;
                Some(name.clone())
            } else {
                None
            };
            model.push(IndexKey {
                expression,
                opclass: (!k.opclass.default).then(|| k.opclass.name.clone()),
                collation,
                descending: k.options & 1 != 0,
                nulls_first: k.options & 2 != 0,
            });
        }
        let definition = match self.definition.take() {
            Some(d) => d,
            None => self.compose(&keys, &include, names),
        };
        Ok((model, include, definition))
    }

    /// The definition of an index of plain keys, as `pg_get_indexdef` prints it.
    fn compose(&self, keys: &[Key<'_>], include: &[Name], names: &Names<'_>) -> String {
        let mut out = String::with_capacity(128);
        out.push_str(if self.unique {
            "CREATE UNIQUE INDEX "
        } else {
            "CREATE INDEX "
        });
        names.push_ident(&mut out, &self.name);
        out.push_str(if self.only { " ON ONLY " } else { " ON " });
        names.push_ident(&mut out, &self.schema);
        out.push('.');
        names.push_ident(&mut out, &self.table);
        out.push_str(" USING ");
        names.push_ident(&mut out, &self.method);
        out.push_str(" (");
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            if let Some((name, ..)) = k.column {
                names.push_ident(&mut out, name);
            }
            if k.opclass.can_order {
                out.push_str(match (k.options & 1 != 0, k.options & 2 != 0) {
                    (true, true) => " DESC",
                    (true, false) => " DESC NULLS LAST",
                    (false, true) => " NULLS FIRST",
                    (false, false) => "",
                });
            }
        }
        if !include.is_empty() {
            out.push_str(") INCLUDE (");
            names.push_list(&mut out, include);
        }
        out.push(')');
        if self.nulls_not_distinct {
            out.push_str(" NULLS NOT DISTINCT");
        }
        if let Some(p) = &self.predicate {
            out.push_str(" WHERE ");
            out.push_str(p);
        }
        out
    }

    /// The index's name, for messages.
    pub(super) fn qual_name(&self) -> QualName {
        QualName {
            schema: self.schema.clone(),
            name: self.name.clone(),
        }
    }
}
