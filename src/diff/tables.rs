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
        |q, a, b, out| diff_table(q, a, b, (from, to), opts, out),
    );
}

/// The column `name` of the first parent (partition parent or inheritance parent) of `t`.
fn parent_column<'a>(s: &'a Schema, t: &Table, name: &str) -> Option<&'a Column> {
    t.partition_of
        .as_ref()
        .map(|p| &p.parent)
        .into_iter()
        .chain(&t.inherits)
        .find_map(|p| s.tables.get(p).and_then(|pt| pt.column(name)))
}

fn diff_table(
    q: &QualName,
    a: &Table,
    b: &Table,
    sides: (&Schema, &Schema),
    opts: &DiffOptions,
    out: &mut Vec<Change>,
) {
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
    for c in &b.columns {
        let cid = ObjectId::column(q, &c.name);
        match cols_a.get(c.name.as_str()) {
            None if local(&c) => out.push(Change {
                id: cid,
                action: Action::Create,
            }),
            None => {}
            Some(old) if local(&c) && local(old) => diff_column(cid, old, c, opts, out),
            // An inherited column follows its parent's type; only its own NOT NULL,
            // default and comment can differ.
            Some(old) => {
                let mut alts = Vec::new();
                // Changes made on the parent reach its children by themselves.
                let pa = parent_column(sides.0, a, &c.name);
                let pb = parent_column(sides.1, b, &c.name);
                let same_as_parent = |f: &dyn Fn(&Column) -> String| {
                    pa.zip(pb)
                        .is_some_and(|(x, y)| f(x) != f(y) && f(x) == f(old) && f(y) == f(c))
                };
                let nn = |x: &Column| x.not_null.to_string();
                let def = |x: &Column| format!("{:?}", x.default);
                if old.default != c.default && !same_as_parent(&def) {
                    alts.push(Alteration::ColumnDefault {
                        from: old.default.as_deref().map(str::to_string),
                        to: c.default.as_deref().map(str::to_string),
                    });
                }
                if old.not_null != c.not_null && !same_as_parent(&nn) {
                    alts.push(Alteration::ColumnNotNull { to: c.not_null });
                }
                common(
                    &mut alts,
                    opts,
                    (&old.comment, &c.comment),
                    (&old.grants, &c.grants),
                );
                push_alter(out, cid, alts);
            }
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
            xc.index_comment = y.index_comment.clone();
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
            if x.index_comment != y.index_comment {
                alts.push(Alteration::IndexComment {
                    to: y.index_comment.clone(),
                });
            }
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
            from: a.data_type.to_string(),
            to: b.data_type.to_string(),
        });
    }
    // A default is removed before an identity is added and set after one is removed.
    let default_change = (a.default != b.default).then(|| Alteration::ColumnDefault {
        from: a.default.as_deref().map(str::to_string),
        to: b.default.as_deref().map(str::to_string),
    });
    if b.default.is_none()
        && let Some(d) = &default_change
    {
        alts.push(d.clone());
    }
    // Order matters: an identity needs NOT NULL first and no default; NOT NULL can only be
    // dropped once the identity is gone.
    let not_null_changed =
        a.not_null != b.not_null || (b.not_null && a.not_null_name != b.not_null_name);
    if not_null_changed && b.not_null {
        alts.push(Alteration::ColumnNotNull { to: true });
    }
    if a.identity != b.identity {
        alts.push(Alteration::ColumnIdentity);
    }
    if b.default.is_some()
        && let Some(d) = default_change
    {
        alts.push(d);
    }
    if not_null_changed && !b.not_null {
        alts.push(Alteration::ColumnNotNull { to: false });
    }
    common(
        &mut alts,
        opts,
        (&a.comment, &b.comment),
        (&a.grants, &b.grants),
    );
    push_alter(out, id, alts);
}
