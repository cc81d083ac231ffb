//! Relations: tables with their columns and constraints, indexes, views and materialized
//! views.

use super::{Grant, Name, QualName, is_false, is_true, true_};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A table: ordinary, partitioned, or a partition of another table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// `UNLOGGED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlogged: bool,
    /// For a partitioned table: its partition key as `pg_get_partkeydef` prints it,
    /// e.g. `RANGE (created_at)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// For a partition: its parent and bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// Parents of a table that uses classic inheritance (`INHERITS`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<QualName>,
    /// Columns in their physical order (`attnum`), dropped columns excluded.
    pub columns: Vec<Column>,
    /// Constraints by name, except those inherited from a parent or partitioned table.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constraints: BTreeMap<Name, Constraint>,
    /// Row-level security enabled.
    #[serde(default, skip_serializing_if = "is_false")]
    pub rls_enabled: bool,
    /// Row-level security forced for the owner too.
    #[serde(default, skip_serializing_if = "is_false")]
    pub rls_forced: bool,
    /// `REPLICA IDENTITY`: `default` (omitted), `full`, `nothing` or `index:<name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_identity: Option<String>,
    /// Storage parameters (`reloptions`) in stored order, e.g. `fillfactor=70`; those of the
    /// TOAST table with a `toast.` prefix.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// `COMMENT ON TABLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Table-level privileges granted to roles other than the owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

impl Table {
    /// The column named `name`, if any.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// The parent and bound of a partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    /// The partitioned parent table.
    pub parent: QualName,
    /// The bound as `pg_get_expr(relpartbound)` prints it, e.g.
    /// `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')` or `DEFAULT`.
    pub bound: String,
}

/// A table column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Column name.
    pub name: Name,
    /// Type as `format_type` prints it, with typmod and array brackets, schema-qualified
    /// when not in `pg_catalog`, e.g. `character varying(80)`, `crm.stage[]`.
    pub data_type: Name,
    /// The user-defined type the column uses (element type for arrays), for ordering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_ref: Option<Box<QualName>>,
    /// Collation, when it differs from the type's default collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<Box<QualName>>,
    /// `NOT NULL` (declared on this column, not just implied by a primary key on PG < 18).
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    /// On PostgreSQL 18, the name of the NOT NULL constraint when it is not the name
    /// Postgres would generate (`<table>_<column>_not_null`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_null_name: Option<String>,
    /// Default expression as `pg_get_expr` prints it (not set for generated columns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Name>,
    /// Identity column settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Box<Identity>>,
    /// Expression of a `GENERATED ALWAYS AS (...) STORED` column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<String>,
    /// PostgreSQL 18+: the generated column is `VIRTUAL` rather than `STORED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub generated_virtual: bool,
    /// Whether the column is defined on this table itself (false for a column only
    /// inherited from a parent or partitioned table).
    #[serde(default = "true_", skip_serializing_if = "is_true")]
    pub is_local: bool,
    /// `COMMENT ON COLUMN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Column-level privileges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// `GENERATED ALWAYS` or `GENERATED BY DEFAULT` identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    /// `GENERATED ALWAYS AS IDENTITY`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`.
    ByDefault,
}

/// An identity column and the options of its implicit sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// ALWAYS or BY DEFAULT.
    pub kind: IdentityKind,
    /// The options of the backing sequence.
    pub sequence: super::Sequence,
    /// The backing sequence's name (Postgres generates `<table>_<column>_seq`).
    pub sequence_name: QualName,
}

/// The kind of a table constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// `PRIMARY KEY`.
    PrimaryKey,
    /// `UNIQUE`.
    Unique,
    /// `CHECK`.
    Check,
    /// `FOREIGN KEY`.
    ForeignKey,
    /// `EXCLUDE`.
    Exclude,
}

/// A table constraint (NOT NULL is a column property, see [`Column::not_null`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    /// Kind of constraint.
    pub kind: ConstraintKind,
    /// The definition as `pg_get_constraintdef` prints it, e.g.
    /// `FOREIGN KEY (org_id) REFERENCES crm.organizations(id) ON DELETE CASCADE NOT VALID`.
    pub definition: String,
    /// Key columns (for PK, UNIQUE, FK; empty for CHECK and expression-based EXCLUDE).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Name>,
    /// Foreign-key details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_key: Option<Box<ForeignKey>>,
    /// `DEFERRABLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deferrable: bool,
    /// `INITIALLY DEFERRED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub initially_deferred: bool,
    /// False for a constraint added `NOT VALID` and not validated since.
    #[serde(default = "true_", skip_serializing_if = "is_true")]
    pub validated: bool,
    /// `NO INHERIT` (CHECK constraints).
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_inherit: bool,
    /// `NULLS NOT DISTINCT` (UNIQUE, PostgreSQL 15+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// `COMMENT ON CONSTRAINT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `COMMENT ON INDEX` of the index backing a PRIMARY KEY, UNIQUE or EXCLUDE constraint
    /// (named like the constraint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_comment: Option<String>,
}

/// Details of a foreign key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// The referenced table.
    pub references: QualName,
    /// The referenced columns, in key order.
    pub ref_columns: Vec<Name>,
    /// `ON DELETE` action: `NO ACTION`, `RESTRICT`, `CASCADE`, `SET NULL`, `SET DEFAULT`.
    pub on_delete: Name,
    /// `ON UPDATE` action.
    pub on_update: Name,
    /// `MATCH SIMPLE`, `MATCH FULL` or `MATCH PARTIAL`.
    pub match_type: Name,
}

/// An index that does not back a constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// The table or materialized view the index is on.
    pub table: QualName,
    /// The full `CREATE INDEX` statement as `pg_get_indexdef` prints it.
    pub definition: String,
    /// `UNIQUE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// Access method, e.g. `btree`, `gin`.
    pub method: Name,
    /// Key columns or expressions with their per-key options.
    pub keys: Vec<IndexKey>,
    /// `INCLUDE` columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<Name>,
    /// Partial-index predicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// Storage parameters, e.g. `fillfactor=90`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// `COMMENT ON INDEX`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One key of an index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexKey {
    /// The column name or parenthesized expression.
    pub expression: Name,
    /// Operator class, when not the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// Collation, when not the column's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `DESC`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub descending: bool,
    /// `NULLS FIRST` (the default for DESC) or `NULLS LAST` (the default for ASC).
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_first: bool,
}

/// A view or materialized view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// Materialized view.
    #[serde(default, skip_serializing_if = "is_false")]
    pub materialized: bool,
    /// The query as `pg_get_viewdef` prints it.
    pub definition: String,
    /// Output columns with their types, in order (for `CREATE OR REPLACE` compatibility).
    pub columns: Vec<ViewColumn>,
    /// Options, e.g. `security_barrier=true`, `security_invoker=true`, `check_option=local`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// `COMMENT ON VIEW`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges granted to roles other than the owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

impl View {
    /// `view` or `materialized_view`.
    pub fn kind(&self) -> super::ObjectKind {
        if self.materialized {
            super::ObjectKind::MaterializedView
        } else {
            super::ObjectKind::View
        }
    }
}

/// An output column of a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewColumn {
    /// Column name.
    pub name: Name,
    /// Type as `format_type` prints it.
    pub data_type: Name,
    /// `COMMENT ON COLUMN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}
