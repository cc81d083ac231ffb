//! diff: compares two models object by object and yields typed [`Change`] values.
//!
//! Objects are matched by identity ([`ObjectId`]); a rename is only recognised from an
//! explicit annotation ([`DiffOptions::renames`]). The diff decides *what* changes and
//! whether Postgres can alter an object in place or must drop and recreate it; it writes no
//! SQL and decides no order (that is the plan's job).

mod objects;
mod rename;
mod tables;

use crate::model::{Grant, ObjectId, Schema};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the diff should look at.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Compare privileges (GRANT/REVOKE); off by default.
    pub privileges: bool,
    /// Explicit renames from the desired side: new identity → old identity.
    pub renames: BTreeMap<ObjectId, ObjectId>,
}

/// One difference between the current and the desired schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The object (its identity on the desired side; on the current side for drops).
    pub id: ObjectId,
    /// What happens to it.
    pub action: Action,
}

/// What happens to an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Only in the desired schema.
    Create,
    /// Only in the current schema.
    Drop,
    /// Renamed (from an annotation); `from` is the current identity.
    Rename {
        /// The current identity.
        from: ObjectId,
    },
    /// Changed in a way no ALTER can express: dropped and created again.
    Recreate {
        /// Why an in-place change is impossible.
        reason: String,
    },
    /// Changed in place.
    Alter {
        /// The individual alterations, in the order they apply.
        alterations: Vec<Alteration>,
    },
}

/// One in-place alteration of an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Alteration {
    /// Comment changed.
    Comment {
        /// Current comment.
        from: Option<String>,
        /// Desired comment.
        to: Option<String>,
    },
    /// Privileges changed.
    Grants {
        /// Current grants.
        from: Vec<Grant>,
        /// Desired grants.
        to: Vec<Grant>,
    },
    /// Column type or collation changed.
    ColumnType {
        /// Current type.
        from: String,
        /// Desired type.
        to: String,
    },
    /// Column default changed.
    ColumnDefault {
        /// Current default.
        from: Option<String>,
        /// Desired default.
        to: Option<String>,
    },
    /// Column NOT NULL changed.
    ColumnNotNull {
        /// Desired state.
        to: bool,
    },
    /// Identity column settings changed.
    ColumnIdentity,
    /// Enum labels added in place.
    EnumAddValues {
        /// The labels to add.
        labels: Vec<String>,
    },
    /// Enum labels removed or reordered: the type is rebuilt and columns cast to it.
    EnumRebuild {
        /// Labels that disappear.
        removed: Vec<String>,
    },
    /// Composite type attributes added, dropped or retyped in place.
    CompositeAttributes,
    /// The comment on a constraint's index changed.
    IndexComment {
        /// Desired comment.
        to: Option<String>,
    },
    /// Sequence options changed.
    SequenceOptions,
    /// Sequence OWNED BY changed.
    SequenceOwnedBy,
    /// Domain default, NOT NULL or CHECKs changed.
    Domain,
    /// Table storage parameters changed.
    TableOptions,
    /// Row-level security flags changed.
    RowSecurity,
    /// `REPLICA IDENTITY` changed.
    ReplicaIdentity,
    /// Table switched between LOGGED and UNLOGGED.
    Persistence,
    /// Partition bound or parent changed: detached and attached again.
    Partition,
    /// Classic inheritance parents changed.
    Inherits,
    /// A NOT VALID constraint becomes validated.
    ValidateConstraint,
    /// View or function body changed compatibly: `CREATE OR REPLACE`.
    Replace,
    /// Trigger firing state changed.
    TriggerEnabled,
    /// Extension version changed.
    ExtensionVersion,
    /// Comments on view columns changed.
    ViewColumnComments,
}

impl Alteration {
    /// A short human description.
    pub fn describe(&self) -> String {
        match self {
            Alteration::Comment { .. } => "comment".into(),
            Alteration::Grants { .. } => "privileges".into(),
            Alteration::ColumnType { from, to } => format!("type {from} → {to}"),
            Alteration::ColumnDefault { from, to } => format!(
                "default {} → {}",
                from.as_deref().unwrap_or("none"),
                to.as_deref().unwrap_or("none")
            ),
            Alteration::ColumnNotNull { to } => {
                if *to {
                    "set NOT NULL".into()
                } else {
                    "drop NOT NULL".into()
                }
            }
            Alteration::ColumnIdentity => "identity".into(),
            Alteration::EnumAddValues { labels } => format!("add values {}", labels.join(", ")),
            Alteration::EnumRebuild { removed } => {
                format!("remove or reorder values (removed: {})", removed.join(", "))
            }
            Alteration::CompositeAttributes => "attributes".into(),
            Alteration::IndexComment { .. } => "index comment".into(),
            Alteration::SequenceOptions => "sequence options".into(),
            Alteration::SequenceOwnedBy => "OWNED BY".into(),
            Alteration::Domain => "domain constraints or default".into(),
            Alteration::TableOptions => "storage parameters".into(),
            Alteration::RowSecurity => "row-level security".into(),
            Alteration::ReplicaIdentity => "replica identity".into(),
            Alteration::Persistence => "LOGGED/UNLOGGED".into(),
            Alteration::Partition => "partition bound".into(),
            Alteration::Inherits => "inheritance".into(),
            Alteration::ValidateConstraint => "validate".into(),
            Alteration::Replace => "definition (CREATE OR REPLACE)".into(),
            Alteration::TriggerEnabled => "enabled state".into(),
            Alteration::ExtensionVersion => "version".into(),
            Alteration::ViewColumnComments => "column comments".into(),
        }
    }
}

/// Compares `from` (current) with `to` (desired). Renames in `opts` are applied first.
pub fn diff(from: &Schema, to: &Schema, opts: &DiffOptions) -> Vec<Change> {
    let (renamed, mut out) = rename::apply(from, to, &opts.renames);
    let from = &renamed;
    objects::diff_objects(from, to, opts, &mut out);
    tables::diff_tables(from, to, opts, &mut out);
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Applies explicit renames (new → old identity) to a copy of `from`, returning it with the
/// `Rename` changes that apply.
pub fn apply_renames<'a>(
    from: &'a Schema,
    to: &Schema,
    renames: &BTreeMap<ObjectId, ObjectId>,
) -> (std::borrow::Cow<'a, Schema>, Vec<Change>) {
    rename::apply(from, to, renames)
}

/// Pushes the comment and grant alterations common to most kinds.
fn common(
    alts: &mut Vec<Alteration>,
    opts: &DiffOptions,
    comments: (&Option<String>, &Option<String>),
    grants: (&[Grant], &[Grant]),
) {
    if comments.0 != comments.1 {
        alts.push(Alteration::Comment {
            from: comments.0.clone(),
            to: comments.1.clone(),
        });
    }
    if opts.privileges && grants.0 != grants.1 {
        alts.push(Alteration::Grants {
            from: grants.0.to_vec(),
            to: grants.1.to_vec(),
        });
    }
}

/// Pushes a change for an object present on both sides, if anything differs.
fn push_alter(out: &mut Vec<Change>, id: ObjectId, alterations: Vec<Alteration>) {
    if !alterations.is_empty() {
        out.push(Change {
            id,
            action: Action::Alter { alterations },
        });
    }
}

/// Diffs two maps of one kind: creates, drops, and `changed` for objects on both sides.
fn diff_map<K: Ord, V>(
    from: &BTreeMap<K, V>,
    to: &BTreeMap<K, V>,
    id: impl Fn(&K) -> ObjectId,
    out: &mut Vec<Change>,
    mut changed: impl FnMut(&K, &V, &V, &mut Vec<Change>),
) {
    for (k, v) in to {
        match from.get(k) {
            None => out.push(Change {
                id: id(k),
                action: Action::Create,
            }),
            Some(old) => changed(k, old, v, out),
        }
    }
    for k in from.keys() {
        if !to.contains_key(k) {
            out.push(Change {
                id: id(k),
                action: Action::Drop,
            });
        }
    }
}
