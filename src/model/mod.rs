//! The schema model: plain, serializable data describing one PostgreSQL database.
//!
//! Both sides of a comparison (a live database and the desired SQL loaded into a shadow
//! database) become a [`Schema`] through the same catalog inspector. The model owns no I/O and
//! no SQL generation; text fields hold what Postgres itself printed (`pg_get_expr`,
//! `pg_get_viewdef`, `format_type`, ...) with `search_path` empty, so every name in them is
//! schema-qualified and two models compare with plain equality.
//!
//! Every collection is a `BTreeMap` keyed by a stable identity so that iteration order, and
//! therefore every rendered output, is deterministic.

mod depends;
mod ident;
mod objects;
mod relation;

pub use depends::Depends;
pub use ident::{Name, ObjectId, ObjectKind, QualName};
pub use objects::{
    CompositeAttribute, CompositeType, Domain, DomainCheck, EnumType, Extension, Function,
    FunctionKind, Grant, Namespace, Policy, Sequence, Trigger, TriggerEnabled,
};
pub use relation::{
    Column, Constraint, ConstraintKind, ForeignKey, Identity, IdentityKind, Index, IndexKey,
    PartitionOf, Table, View, ViewColumn,
};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole database schema as pgdiff sees it.
///
/// System schemas (`pg_catalog`, `information_schema`, `pg_toast`, temp schemas) and objects
/// owned by extensions are never part of the model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Non-system schemas (namespaces), by name. `public` is included when it exists.
    pub schemas: BTreeMap<String, Namespace>,
    /// Installed extensions, by extension name.
    pub extensions: BTreeMap<String, Extension>,
    /// Enum types.
    pub enums: BTreeMap<QualName, EnumType>,
    /// Domains.
    pub domains: BTreeMap<QualName, Domain>,
    /// Free-standing composite types (`CREATE TYPE ... AS (...)`), not table row types.
    pub composites: BTreeMap<QualName, CompositeType>,
    /// Sequences, except those backing identity columns (they belong to the column).
    pub sequences: BTreeMap<QualName, Sequence>,
    /// Ordinary, partitioned and partition tables, with columns and constraints.
    pub tables: BTreeMap<QualName, Table>,
    /// Views and materialized views.
    pub views: BTreeMap<QualName, View>,
    /// Indexes that do not back a constraint, on tables and materialized views.
    pub indexes: BTreeMap<QualName, Index>,
    /// Functions and procedures, keyed by name and identity argument types.
    pub functions: BTreeMap<ObjectId, Function>,
    /// Triggers, keyed by their identity (table + trigger name).
    pub triggers: BTreeMap<ObjectId, Trigger>,
    /// Row-level security policies, keyed by their identity (table + policy name).
    pub policies: BTreeMap<ObjectId, Policy>,
    /// Whether NOT NULL constraints are named catalog objects (PostgreSQL 18+), so that
    /// renames must carry their names along.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null_constraints: bool,
    /// Dependencies between objects of the model, as recorded by Postgres (`pg_depend`),
    /// as `(dependent, referenced)` pairs. Used to order DDL; never compared.
    #[serde(default, skip_serializing_if = "Depends::is_empty")]
    pub depends: Depends,
}

impl Schema {
    /// Identities of every top-level object and sub-object (columns, constraints) in the
    /// model, in a stable order.
    pub fn object_ids(&self) -> Vec<ObjectId> {
        let mut ids = self.object_ids_except_columns();
        for (q, t) in &self.tables {
            ids.extend(t.columns.iter().map(|c| ObjectId::column(q, &c.name)));
        }
        ids.sort();
        ids
    }

    /// [`Schema::object_ids`] without the columns, unsorted (a large catalog has many times
    /// more columns than other objects).
    pub fn object_ids_except_columns(&self) -> Vec<ObjectId> {
        let mut ids = Vec::new();
        ids.extend(self.schemas.keys().map(|n| ObjectId::schema(n)));
        ids.extend(self.extensions.keys().map(|n| ObjectId::extension(n)));
        ids.extend(self.enums.keys().map(|q| ObjectId::of(ObjectKind::Enum, q)));
        ids.extend(
            self.domains
                .keys()
                .map(|q| ObjectId::of(ObjectKind::Domain, q)),
        );
        ids.extend(
            self.composites
                .keys()
                .map(|q| ObjectId::of(ObjectKind::CompositeType, q)),
        );
        ids.extend(
            self.sequences
                .keys()
                .map(|q| ObjectId::of(ObjectKind::Sequence, q)),
        );
        for (q, t) in &self.tables {
            ids.push(ObjectId::of(ObjectKind::Table, q));
            ids.extend(t.constraints.keys().map(|c| ObjectId::constraint(q, c)));
        }
        for (q, v) in &self.views {
            ids.push(ObjectId::of(v.kind(), q));
        }
        ids.extend(
            self.indexes
                .keys()
                .map(|q| ObjectId::of(ObjectKind::Index, q)),
        );
        ids.extend(self.functions.keys().cloned());
        ids.extend(self.triggers.keys().cloned());
        ids.extend(self.policies.keys().cloned());
        ids
    }

    /// Number of objects in the model (as counted by [`Schema::object_ids`]).
    pub fn len(&self) -> usize {
        self.object_ids().len()
    }

    /// Whether the model holds no object at all.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
            && self.extensions.is_empty()
            && self.enums.is_empty()
            && self.domains.is_empty()
            && self.composites.is_empty()
            && self.sequences.is_empty()
            && self.tables.is_empty()
            && self.views.is_empty()
            && self.indexes.is_empty()
            && self.functions.is_empty()
            && self.triggers.is_empty()
            && self.policies.is_empty()
    }

    /// The model's content without the dependency list, borrowed: serializes exactly as
    /// [`Schema::without_depends`] does, without copying the model.
    pub fn content(&self) -> Content<'_> {
        // No `..`: a new field must be placed here or explicitly left out.
        let Schema {
            schemas,
            extensions,
            enums,
            domains,
            composites,
            sequences,
            tables,
            views,
            indexes,
            functions,
            triggers,
            policies,
            not_null_constraints: _,
            depends: _,
        } = self;
        Content {
            schemas,
            extensions,
            enums,
            domains,
            composites,
            sequences,
            tables,
            views,
            indexes,
            functions,
            triggers,
            policies,
        }
    }

    /// A copy of the model without the dependency list, for comparing two models for
    /// equality of content.
    pub fn without_depends(&self) -> Schema {
        Schema {
            depends: Depends::default(),
            not_null_constraints: false,
            ..self.clone()
        }
    }
}

/// A borrowed view of a [`Schema`]'s content (everything but the dependency list and the
/// server-version flag), for fingerprints.
#[derive(Debug, Serialize)]
pub struct Content<'a> {
    schemas: &'a BTreeMap<String, Namespace>,
    extensions: &'a BTreeMap<String, Extension>,
    enums: &'a BTreeMap<QualName, EnumType>,
    domains: &'a BTreeMap<QualName, Domain>,
    composites: &'a BTreeMap<QualName, CompositeType>,
    sequences: &'a BTreeMap<QualName, Sequence>,
    tables: &'a BTreeMap<QualName, Table>,
    views: &'a BTreeMap<QualName, View>,
    indexes: &'a BTreeMap<QualName, Index>,
    functions: &'a BTreeMap<ObjectId, Function>,
    triggers: &'a BTreeMap<ObjectId, Trigger>,
    policies: &'a BTreeMap<ObjectId, Policy>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_true(b: &bool) -> bool {
    *b
}

fn true_() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_serializes_like_the_model_without_dependencies() {
        let mut s = Schema::default();
        s.schemas.insert("app".into(), Namespace::default());
        s.enums.insert(
            QualName::new("app", "mood"),
            EnumType {
                labels: vec!["sad".into(), "ok".into()],
                comment: Some("how it feels".into()),
                grants: Vec::new(),
            },
        );
        s.not_null_constraints = true;
        let t = ObjectId::of(ObjectKind::Table, &QualName::new("app", "t"));
        s.depends.insert(t, ObjectId::schema("app"));
        let borrowed = serde_json::to_string(&s.content()).unwrap();
        let copied = serde_json::to_string(&s.without_depends()).unwrap();
        assert_eq!(borrowed, copied);
        assert!(borrowed.contains("\"app.mood\""), "{borrowed}");
    }
}
