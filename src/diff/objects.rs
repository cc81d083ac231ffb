//! Diff of schemas, extensions, types, sequences, views, indexes, routines, triggers and
//! policies.

use super::{Action, Alteration, Change, DiffOptions, common, diff_map, push_alter};
use crate::model::*;

fn recreate(out: &mut Vec<Change>, id: ObjectId, reason: &str) {
    out.push(Change {
        id,
        action: Action::Recreate {
            reason: reason.to_string(),
        },
    });
}

/// Whether `small` appears in `big` in the same relative order.
fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

pub(super) fn diff_objects(from: &Schema, to: &Schema, opts: &DiffOptions, out: &mut Vec<Change>) {
    diff_map(
        &from.schemas,
        &to.schemas,
        |n| ObjectId::schema(n),
        out,
        |n, a, b, out| {
            let mut alts = Vec::new();
            common(
                &mut alts,
                opts,
                (&a.comment, &b.comment),
                (&a.grants, &b.grants),
            );
            push_alter(out, ObjectId::schema(n), alts);
        },
    );
    diff_map(
        &from.extensions,
        &to.extensions,
        |n| ObjectId::extension(n),
        out,
        |n, a, b, out| {
            let id = ObjectId::extension(n);
            if a.schema != b.schema {
                recreate(out, id, "extension schema changed");
            } else if a.version != b.version {
                push_alter(out, id, vec![Alteration::ExtensionVersion]);
            }
        },
    );
    let of = |k: ObjectKind| move |q: &QualName| ObjectId::of(k, q);
    diff_map(
        &from.enums,
        &to.enums,
        of(ObjectKind::Enum),
        out,
        |q, a, b, out| {
            let id = ObjectId::of(ObjectKind::Enum, q);
            let mut alts = Vec::new();
            if a.labels != b.labels {
                if is_subsequence(&a.labels, &b.labels) {
                    let labels = b
                        .labels
                        .iter()
                        .filter(|l| !a.labels.contains(l))
                        .cloned()
                        .collect();
                    alts.push(Alteration::EnumAddValues { labels });
                } else {
                    let removed = a
                        .labels
                        .iter()
                        .filter(|l| !b.labels.contains(l))
                        .cloned()
                        .collect();
                    alts.push(Alteration::EnumRebuild { removed });
                }
            }
            common(
                &mut alts,
                opts,
                (&a.comment, &b.comment),
                (&a.grants, &b.grants),
            );
            push_alter(out, id, alts);
        },
    );
    diff_map(
        &from.domains,
        &to.domains,
        of(ObjectKind::Domain),
        out,
        |q, a, b, out| {
            let id = ObjectId::of(ObjectKind::Domain, q);
            if a.base_type != b.base_type || a.collation != b.collation {
                recreate(out, id, "domain base type or collation changed");
                return;
            }
            let mut alts = Vec::new();
            if a.default != b.default || a.not_null != b.not_null || a.checks != b.checks {
                alts.push(Alteration::Domain);
            }
            common(
                &mut alts,
                opts,
                (&a.comment, &b.comment),
                (&a.grants, &b.grants),
            );
            push_alter(out, id, alts);
        },
    );
    diff_map(
        &from.composites,
        &to.composites,
        of(ObjectKind::CompositeType),
        out,
        |q, a, b, out| {
            let id = ObjectId::of(ObjectKind::CompositeType, q);
            let mut alts = Vec::new();
            if a.attributes != b.attributes {
                // In place when the kept attributes keep their order and new ones come last.
                let names = |v: &[CompositeAttribute]| -> Vec<String> {
                    v.iter().map(|x| x.name.clone()).collect()
                };
                let (an, bn) = (names(&a.attributes), names(&b.attributes));
                let kept: Vec<&String> = an.iter().filter(|n| bn.contains(n)).collect();
                let added: Vec<&String> = bn.iter().filter(|n| !an.contains(n)).collect();
                let in_place = kept.iter().chain(added.iter()).copied().eq(bn.iter());
                if !in_place {
                    recreate(out, id, "composite type attributes reordered");
                    return;
                }
                alts.push(Alteration::CompositeAttributes);
            }
            common(
                &mut alts,
                opts,
                (&a.comment, &b.comment),
                (&a.grants, &b.grants),
            );
            push_alter(out, id, alts);
        },
    );
    diff_map(
        &from.sequences,
        &to.sequences,
        of(ObjectKind::Sequence),
        out,
        |q, a, b, out| {
            let id = ObjectId::of(ObjectKind::Sequence, q);
            let mut alts = Vec::new();
            let opts_of = |s: &Sequence| {
                (
                    s.data_type.clone(),
                    s.start,
                    s.increment,
                    s.min_value,
                    s.max_value,
                    s.cache,
                    s.cycle,
                    s.unlogged,
                )
            };
            if opts_of(a) != opts_of(b) {
                alts.push(Alteration::SequenceOptions);
            }
            if a.owned_by != b.owned_by {
                alts.push(Alteration::SequenceOwnedBy);
            }
            common(
                &mut alts,
                opts,
                (&a.comment, &b.comment),
                (&a.grants, &b.grants),
            );
            push_alter(out, id, alts);
        },
    );
    diff_map(
        &from.views,
        &to.views,
        |q| {
            let kind = from
                .views
                .get(q)
                .or_else(|| to.views.get(q))
                .map(|v| v.kind())
                .unwrap_or(ObjectKind::View);
            ObjectId::of(kind, q)
        },
        out,
        |q, a, b, out| {
            let id = ObjectId::of(b.kind(), q);
            if a.materialized != b.materialized {
                recreate(out, id, "changed between view and materialized view");
                return;
            }
            let mut alts = Vec::new();
            if a.definition != b.definition || a.options != b.options {
                if b.materialized {
                    recreate(out, id, "materialized view query changed");
                    return;
                }
                // CREATE OR REPLACE VIEW keeps existing columns (same names and types, same
                // order) and may only append new ones.
                let compatible = a.columns.len() <= b.columns.len()
                    && a.columns
                        .iter()
                        .zip(&b.columns)
                        .all(|(x, y)| x.name == y.name && x.data_type == y.data_type)
                    && a.options.iter().all(|o| b.options.contains(o));
                if !compatible {
                    recreate(out, id, "view columns changed incompatibly");
                    return;
                }
                alts.push(Alteration::Replace);
            }
            let comments = |v: &View| {
                v.columns
                    .iter()
                    .map(|c| c.comment.clone())
                    .collect::<Vec<_>>()
            };
            if a.columns
                .iter()
                .map(|c| &c.name)
                .eq(b.columns.iter().map(|c| &c.name))
                && comments(a) != comments(b)
                || (a.columns.len() != b.columns.len()
                    && b.columns.iter().any(|c| c.comment.is_some()))
            {
                alts.push(Alteration::ViewColumnComments);
            }
            common(
                &mut alts,
                opts,
                (&a.comment, &b.comment),
                (&a.grants, &b.grants),
            );
            push_alter(out, id, alts);
        },
    );
    diff_map(
        &from.indexes,
        &to.indexes,
        of(ObjectKind::Index),
        out,
        |q, a, b, out| {
            let id = ObjectId::of(ObjectKind::Index, q);
            if a.definition != b.definition {
                recreate(out, id, "index definition changed");
                return;
            }
            let mut alts = Vec::new();
            common(&mut alts, opts, (&a.comment, &b.comment), (&[], &[]));
            push_alter(out, id, alts);
        },
    );
    diff_map(
        &from.functions,
        &to.functions,
        |id| id.clone(),
        out,
        |id, a, b, out| {
            if a.definition != b.definition {
                // CREATE OR REPLACE cannot change the result type, argument names or defaults.
                if a.returns != b.returns || a.arguments != b.arguments || a.kind != b.kind {
                    recreate(out, id.clone(), "result type or arguments changed");
                    return;
                }
                let mut alts = vec![Alteration::Replace];
                common(
                    &mut alts,
                    opts,
                    (&a.comment, &b.comment),
                    (&a.grants, &b.grants),
                );
                push_alter(out, id.clone(), alts);
                return;
            }
            let mut alts = Vec::new();
            common(
                &mut alts,
                opts,
                (&a.comment, &b.comment),
                (&a.grants, &b.grants),
            );
            push_alter(out, id.clone(), alts);
        },
    );
    diff_map(
        &from.triggers,
        &to.triggers,
        |id| id.clone(),
        out,
        |id, a, b, out| {
            if a.definition != b.definition {
                recreate(out, id.clone(), "trigger definition changed");
                return;
            }
            let mut alts = Vec::new();
            if a.enabled != b.enabled {
                alts.push(Alteration::TriggerEnabled);
            }
            common(&mut alts, opts, (&a.comment, &b.comment), (&[], &[]));
            push_alter(out, id.clone(), alts);
        },
    );
    diff_map(
        &from.policies,
        &to.policies,
        |id| id.clone(),
        out,
        |id, a, b, out| {
            let body = |p: &Policy| {
                (
                    p.permissive,
                    p.command.clone(),
                    p.roles.clone(),
                    p.using.clone(),
                    p.with_check.clone(),
                )
            };
            if body(a) != body(b) {
                recreate(out, id.clone(), "policy changed");
                return;
            }
            let mut alts = Vec::new();
            common(&mut alts, opts, (&a.comment, &b.comment), (&[], &[]));
            push_alter(out, id.clone(), alts);
        },
    );
}
