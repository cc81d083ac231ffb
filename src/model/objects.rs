//! Non-relation objects: schemas, extensions, types, sequences, routines, triggers, policies
//! and privileges.

use super::{QualName, is_false};
use serde::{Deserialize, Serialize};

/// A schema (namespace).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namespace {
    /// `COMMENT ON SCHEMA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges granted to roles other than the owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// An installed extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The schema the extension's objects live in.
    pub schema: String,
    /// The installed version.
    pub version: String,
    /// `COMMENT ON EXTENSION` (extensions set their own; kept for completeness).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An enum type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    /// Labels in sort order (`enumsortorder`).
    pub labels: Vec<String>,
    /// `COMMENT ON TYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges granted to roles other than the owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// A domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// The base type as `format_type` prints it.
    pub base_type: String,
    /// The user-defined base type, for ordering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_ref: Option<QualName>,
    /// Collation, when it differs from the base type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<QualName>,
    /// Default expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `NOT NULL`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    /// CHECK constraints, by name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<DomainCheck>,
    /// `COMMENT ON DOMAIN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges granted to roles other than the owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// A CHECK constraint of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainCheck {
    /// Constraint name.
    pub name: String,
    /// Definition as `pg_get_constraintdef` prints it, e.g. `CHECK ((VALUE > 0))`.
    pub definition: String,
    /// False when added `NOT VALID`.
    #[serde(default = "super::true_", skip_serializing_if = "super::is_true")]
    pub validated: bool,
}

/// A free-standing composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeType {
    /// Attributes in order.
    pub attributes: Vec<CompositeAttribute>,
    /// `COMMENT ON TYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges granted to roles other than the owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// An attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeAttribute {
    /// Attribute name.
    pub name: String,
    /// Type as `format_type` prints it.
    pub data_type: String,
    /// The user-defined type used, for ordering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_ref: Option<QualName>,
    /// Collation, when not the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<QualName>,
}

/// A sequence (also used for the options of an identity column's sequence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min_value: i64,
    /// `MAXVALUE`.
    pub max_value: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
    /// `OWNED BY table.column`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(QualName, String)>,
    /// `UNLOGGED` (PostgreSQL 15+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub unlogged: bool,
    /// `COMMENT ON SEQUENCE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges granted to roles other than the owner.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// Function or procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionKind {
    /// A function (`prokind = 'f'`, or `'w'` for a window function).
    Function,
    /// A procedure (`prokind = 'p'`).
    Procedure,
}

/// A function or procedure. Aggregates are not modelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Function or procedure.
    pub kind: FunctionKind,
    /// Schema and name.
    pub name: QualName,
    /// Identity argument types, as in the object identity.
    pub identity_args: String,
    /// Full argument list with names, modes and defaults (`pg_get_function_arguments`).
    pub arguments: String,
    /// Result type (`pg_get_function_result`); `None` for procedures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// Language, e.g. `plpgsql`, `sql`.
    pub language: String,
    /// `IMMUTABLE`, `STABLE` or `VOLATILE`.
    pub volatility: String,
    /// `SECURITY DEFINER`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub security_definer: bool,
    /// `STRICT`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,
    /// The complete `CREATE OR REPLACE FUNCTION|PROCEDURE` statement from
    /// `pg_get_functiondef`.
    pub definition: String,
    /// `COMMENT ON FUNCTION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Privileges granted to roles other than the owner, including the `EXECUTE` to
    /// `PUBLIC` that Postgres grants by default (absent when it was revoked).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<Grant>,
}

/// Trigger firing state (`ALTER TABLE ... ENABLE|DISABLE [REPLICA|ALWAYS] TRIGGER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEnabled {
    /// Fires in origin and local mode (the default).
    Origin,
    /// Disabled.
    Disabled,
    /// Fires only in replica mode.
    Replica,
    /// Fires always.
    Always,
}

/// A trigger on a table or view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// The table or view the trigger is on.
    pub table: QualName,
    /// The full `CREATE [CONSTRAINT] TRIGGER` statement from `pg_get_triggerdef`.
    pub definition: String,
    /// The trigger function.
    pub function: QualName,
    /// A constraint trigger.
    #[serde(default, skip_serializing_if = "is_false")]
    pub constraint: bool,
    /// Firing state.
    pub enabled: TriggerEnabled,
    /// `COMMENT ON TRIGGER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A row-level security policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The table the policy is on.
    pub table: QualName,
    /// `PERMISSIVE` (true) or `RESTRICTIVE`.
    pub permissive: bool,
    /// `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`.
    pub command: String,
    /// Roles the policy applies to (`public` for all).
    pub roles: Vec<String>,
    /// `USING` expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// `WITH CHECK` expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    /// `COMMENT ON POLICY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One privilege on an object granted to one role (or `PUBLIC`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Grant {
    /// Role name, or `PUBLIC`.
    pub grantee: String,
    /// Privilege, e.g. `SELECT`, `USAGE`, `EXECUTE`.
    pub privilege: String,
    /// `WITH GRANT OPTION`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub grantable: bool,
}
