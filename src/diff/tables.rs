//! Diff of tables, their columns and their constraints.

use super::{Action, Alteration, Change, DiffOptions, common, diff_map, push_alter};
use crate::model::*;
use std::collections::BTreeMap;

pub(super) fn diff_tables(from: &Schema, to: &Schema, opts: &DiffOptions, out: &mut Vec<Change>) {
    diff_map(
        &from.tables,
        &to.tables,
        |q| ObjectId::of(ObjectKind::Table, q),
        out,
        |q, a, b, out| diff_table(q, a, b, opts, out),
    );
}

fn diff_table(q: &QualName, a: &Table, b: &Table, opts: &DiffOptions, out: &mut Vec<Change>) {
    let id = ObjectId::of(ObjectKind::Table, q);
    if a.partition_key != b.partition_key {
        out.push(Change {
            id,
            action: Action::Recreate {
                reason: "partition key changed".into(),
            },
        });
        return;
    }
    let mut alts = Vec::new();
    if a.unlogged != b.unlogged {
        alts.push(Alteration::Persistence);
    }
    if a.partition_of != b.partition_of {
        alts.push(Alteration::Partition);
    }
    if a.inherits != b.inherits {
        alts.push(Alteration::Inherits);
    }
    if a.rls_enabled != b.rls_enabled || a.rls_forced != b.rls_forced {
        alts.push(Alteration::RowSecurity);
    }
    if a.options != b.options {
        alts.push(Alteration::TableOptions);
    }
    if a.replica_identity != b.replica_identity {
        alts.push(Alteration::ReplicaIdentity);
    }
    common(
        &mut alts,
        opts,
        (&a.comment, &b.comment),
        (&a.grants, &b.grants),
    );
    push_alter(out, id, alts);

    let cols_a: BTreeMap<&str, &Column> = a.columns.iter().map(|c| (c.name.as_str(), c)).collect();
    let cols_b: BTreeMap<&str, &Column> = b.columns.iter().map(|c| (c.name.as_str(), c)).collect();
    // Columns only inherited from a parent follow the parent.
    let local = |c: &&Column| c.is_local || c.generated.is_some();
    for c in b.columns.iter().filter(local) {
        let cid = ObjectId::column(q, &c.name);
        match cols_a.get(c.name.as_str()) {
            None => out.push(Change {
                id: cid,
                action: Action::Create,
            }),
            Some(old) => diff_column(cid, old, c, opts, out),
        }
    }
    for c in a.columns.iter().filter(local) {
        if !cols_b.contains_key(c.name.as_str()) {
            out.push(Change {
                id: ObjectId::column(q, &c.name),
                action: Action::Drop,
            });
        }
    }
    diff_map(
        &a.constraints,
        &b.constraints,
        |n| ObjectId::constraint(q, n),
        out,
        |n, x, y, out| {
            let cid = ObjectId::constraint(q, n);
            let mut unvalidated = x.clone();
            unvalidated.validated = y.validated;
            unvalidated.definition = y.definition.clone();
            let same_but_validation = !x.validated
                && y.validated
                && x.definition.trim_end_matches(" NOT VALID") == y.definition
                && unvalidated == *y;
            if same_but_validation {
                push_alter(out, cid, vec![Alteration::ValidateConstraint]);
                return;
            }
            let mut xc = x.clone();
            xc.comment = y.comment.clone();
            if xc != *y {
                out.push(Change {
                    id: cid,
                    action: Action::Recreate {
                        reason: "constraint definition changed".into(),
                    },
                });
                return;
            }
            let mut alts = Vec::new();
            common(&mut alts, opts, (&x.comment, &y.comment), (&[], &[]));
            push_alter(out, cid, alts);
        },
    );
}

fn diff_column(id: ObjectId, a: &Column, b: &Column, opts: &DiffOptions, out: &mut Vec<Change>) {
    if a.generated != b.generated || a.generated_virtual != b.generated_virtual {
        out.push(Change {
            id,
            action: Action::Recreate {
                reason: "generated expression changed".into(),
            },
        });
        return;
    }
    let mut alts = Vec::new();
    if a.data_type != b.data_type || a.collation != b.collation {
        alts.push(Alteration::ColumnType {
            from: a.data_type.clone(),
            to: b.data_type.clone(),
        });
    }
    if a.default != b.default {
        alts.push(Alteration::ColumnDefault {
            from: a.default.clone(),
            to: b.default.clone(),
        });
    }
    if a.identity != b.identity {
        alts.push(Alteration::ColumnIdentity);
    }
    if a.not_null != b.not_null || (b.not_null && a.not_null_name != b.not_null_name) {
        alts.push(Alteration::ColumnNotNull { to: b.not_null });
    }
    common(
        &mut alts,
        opts,
        (&a.comment, &b.comment),
        (&a.grants, &b.grants),
    );
    push_alter(out, id, alts);
}
