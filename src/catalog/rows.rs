//! The catalog queries' typed rows (decoded by `row_de`, or by hand for the two largest,
//! plain-column results) and their assembly into the model.

use super::constraints::{Attribute, ConstraintRow, Names};
use super::indexes::{DEFINITIONS, IndexRow, Support, SupportRow};
use super::{CatalogError, Filter, fetch, fetch_into, fetch_with};
use crate::model::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use tokio_postgres::Client;

/// The decoded rows of every catalog query.
pub(super) struct Rows {
    schemas: Vec<SchemaRow>,
    extensions: Vec<ExtensionRow>,
    enums: Vec<EnumRow>,
    domains: Vec<DomainRow>,
    composites: Vec<CompositeRow>,
    sequences: Vec<SequenceRow>,
    tables: Vec<TableRow>,
    columns: Vec<ColumnOf>,
    constraints: Vec<ConstraintRow>,
    /// The keywords an identifier is quoted to be (`keywords.sql`).
    keywords: Vec<String>,
    indexes: Vec<IndexRow>,
    /// Operator classes and collations (`index_support.sql`).
    index_support: Support,
    /// Every column read, by relation OID and attribute number: what names the keys of
    /// constraints and indexes.
    attributes: Vec<Attribute>,
    views: Vec<ViewRow>,
    functions: Vec<FunctionRow>,
    triggers: Vec<TriggerRow>,
    policies: Vec<PolicyRow>,
    depend_objects: Vec<DependObjectRow>,
    depends: Vec<DependRow>,
    not_nulls: Vec<NotNullRow>,
    /// How many queries were sent.
    pub(super) queries: usize,
}

/// The catalog queries: name in messages, file, and relative cost (milliseconds for the
/// 1,000-table benchmark schema), which spreads them over connections.
const QUERIES: [(&str, u32); 19] = [
    ("schemas", 1),
    ("extensions", 1),
    ("enums", 5),
    ("domains", 1),
    ("composite types", 2),
    ("sequences", 3),
    ("tables", 17),
    ("columns", 85),
    ("constraints", 55),
    ("keywords", 1),
    ("indexes", 120),
    ("index support", 1),
    ("views", 60),
    ("functions", 1),
    ("triggers", 1),
    ("policies", 1),
    ("dependency objects", 60),
    ("dependencies", 30),
    ("not-null constraints", 20),
];

/// Which of `n` connections runs each query of [`QUERIES`]: the costliest first, each on the
/// least loaded connection so far (ties to the first).
fn spread(n: usize) -> BTreeMap<&'static str, usize> {
    let mut by_cost: Vec<(&str, u32)> = QUERIES.to_vec();
    by_cost.sort_by_key(|&(what, cost)| (std::cmp::Reverse(cost), what));
    let mut load = vec![0u32; n.max(1)];
    let mut out = BTreeMap::new();
    for (what, cost) in by_cost {
        let (i, _) = load
            .iter()
            .enumerate()
            .min_by_key(|&(i, l)| (*l, i))
            .expect("a connection");
        load[i] += cost;
        out.insert(what, i);
    }
    out
}

/// Runs every catalog query, pipelined on `clients` (spread over them when there are
/// several), decoding rows as they arrive.
pub(super) async fn fetch_all(
    clients: &[&Client],
    filter: &Filter,
    version: i32,
) -> Result<Rows, CatalogError> {
    let on = spread(clients.len());
    macro_rules! q {
        ($what:literal, $file:literal) => {
            fetch(
                clients[on[$what]],
                $what,
                include_str!($file),
                filter,
                version,
            )
        };
    }
    let named_not_nulls = version >= 180000;
    let (
        schemas,
        extensions,
        enums,
        domains,
        composites,
        sequences,
        tables,
        columns,
        constraints,
        keywords,
        mut indexes,
        index_support,
        views,
        functions,
        triggers,
        policies,
        depend_objects,
        depends,
        not_nulls,
    ) = tokio::try_join!(
        q!("schemas", "queries/schemas.sql"),
        q!("extensions", "queries/extensions.sql"),
        q!("enums", "queries/enums.sql"),
        q!("domains", "queries/domains.sql"),
        q!("composite types", "queries/composites.sql"),
        q!("sequences", "queries/sequences.sql"),
        q!("tables", "queries/tables.sql"),
        // The largest results, each row converted to the model's form as it arrives: the
        // decoded rows are held until the whole read is done, at twice the model's size.
        fetch_into(
            clients[on["columns"]],
            "columns",
            include_str!("queries/columns.sql"),
            filter,
            version,
            |r: ColumnRow| Ok(r.into_model()),
        ),
        // Named and composed once the columns are read (`assemble`).
        q!("constraints", "queries/constraints.sql"),
        fetch_with(
            clients[on["keywords"]],
            "keywords",
            include_str!("queries/keywords.sql"),
            None,
            |row| row.try_get::<_, String>(0).map_err(|e| e.to_string()),
        ),
        fetch::<IndexRow>(
            clients[on["indexes"]],
            "indexes",
            include_str!("queries/indexes.sql"),
            filter,
            version,
        ),
        fetch_with(
            clients[on["index support"]],
            "index support",
            include_str!("queries/index_support.sql"),
            None,
            super::row_de::from_row::<SupportRow>,
        ),
        q!("views", "queries/views.sql"),
        q!("functions", "queries/functions.sql"),
        q!("triggers", "queries/triggers.sql"),
        q!("policies", "queries/policies.sql"),
        // Two large results of plain columns: read directly, not as JSON.
        fetch_with(
            clients[on["dependency objects"]],
            "dependency objects",
            include_str!("queries/depend_objects.sql"),
            Some(filter),
            DependObjectRow::decode,
        ),
        fetch_with(
            clients[on["dependencies"]],
            "dependencies",
            include_str!("queries/depends.sql"),
            None,
            DependRow::decode,
        ),
        // NOT NULL constraints are catalog objects with names from PostgreSQL 18 on.
        async {
            if named_not_nulls {
                q!("not-null constraints", "queries/not_null_names.sql").await
            } else {
                Ok(Vec::new())
            }
        },
    )?;
    let mut columns = columns;
    // (relation OID, position) is unique: an unstable sort gives the same order, without the
    // scratch buffer of a stable one. By OID, not name: integers compare at a fraction of
    // the cost, and the order of the relations does not matter.
    columns.sort_unstable_by_key(|c| (c.relid, c.position));
    let attributes: Vec<Attribute> = columns
        .iter()
        .map(|c| Attribute {
            relid: c.relid,
            attnum: c.position,
            name: c.column.name.clone(),
            type_oid: c.type_oid,
            collation: c.collation_oid,
        })
        .collect();
    let index_support = Support::new(index_support);
    print_uncomposable(
        clients[on["indexes"]],
        &mut indexes,
        &Names::new(&attributes, &keywords),
        &index_support,
    )
    .await?;
    Ok(Rows {
        schemas,
        extensions,
        enums,
        domains,
        composites,
        sequences,
        tables,
        columns,
        constraints,
        keywords,
        indexes,
        index_support,
        attributes,
        views,
        functions,
        triggers,
        policies,
        depend_objects,
        depends,
        not_nulls,
        queries: 19 + usize::from(named_not_nulls),
    })
}

/// Has the server print the definitions of the indexes that the inspector cannot compose
/// (not told by the indexes query, found once the keys are resolved): one query, always
/// sent, so that the statements do not depend on the schema.
async fn print_uncomposable(
    client: &Client,
    indexes: &mut [IndexRow],
    names: &Names<'_>,
    support: &Support,
) -> Result<(), CatalogError> {
    let decode_err = |message: String| CatalogError::Decode {
        what: "indexes",
        message,
    };
    let mut oids = Vec::new();
    for r in indexes.iter() {
        if r.definition.is_none()
            && !r
                .composable(names, support)
                .map_err(|e| decode_err(format!("index {}: {e}", r.qual_name())))?
        {
            oids.push(r.oid);
        }
    }
    oids.sort_unstable();
    let rows = client
        .query(DEFINITIONS, &[&oids])
        .await
        .map_err(|e| CatalogError::Query {
            what: "index definitions",
            message: crate::conn::db_message(&e),
        })?;
    let mut printed: BTreeMap<u32, String> = BTreeMap::new();
    for row in rows {
        let oid: u32 = row.try_get(0).map_err(|e| decode_err(e.to_string()))?;
        let definition: Option<String> = row.try_get(1).map_err(|e| decode_err(e.to_string()))?;
        if let Some(d) = definition {
            printed.insert(oid, d);
        }
    }
    for r in indexes.iter_mut() {
        if r.definition.is_none() && oids.binary_search(&r.oid).is_ok() {
            r.definition = Some(printed.remove(&r.oid).ok_or_else(|| {
                decode_err(format!(
                    "index {}: the server printed no definition",
                    r.qual_name()
                ))
            })?);
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct SchemaRow {
    name: String,
    comment: Option<String>,
    grants: Vec<Grant>,
}

#[derive(Deserialize)]
struct ExtensionRow {
    name: String,
    schema: String,
    version: String,
    comment: Option<String>,
}

#[derive(Deserialize)]
struct EnumRow {
    schema: Name,
    name: Name,
    labels: Vec<String>,
    comment: Option<String>,
    grants: Vec<Grant>,
}

#[derive(Deserialize)]
struct DomainRow {
    schema: Name,
    name: Name,
    base_type: String,
    type_ref: Option<QualRow>,
    collation: Option<QualRow>,
    default: Option<String>,
    not_null: bool,
    checks: Vec<DomainCheck>,
    comment: Option<String>,
    grants: Vec<Grant>,
}

/// A qualified name as the queries print it (`{"schema": .., "name": ..}`).
#[derive(Deserialize)]
struct QualRow {
    schema: Name,
    name: Name,
}

impl From<QualRow> for QualName {
    fn from(q: QualRow) -> QualName {
        QualName {
            schema: q.schema,
            name: q.name,
        }
    }
}

#[derive(Deserialize)]
struct CompositeRow {
    schema: Name,
    name: Name,
    attributes: Vec<AttributeRow>,
    comment: Option<String>,
    grants: Vec<Grant>,
}

#[derive(Deserialize)]
struct AttributeRow {
    name: String,
    data_type: String,
    type_ref: Option<QualRow>,
    collation: Option<QualRow>,
}

#[derive(Deserialize)]
struct SequenceRow {
    schema: Name,
    name: Name,
    data_type: String,
    start: i64,
    increment: i64,
    min_value: i64,
    max_value: i64,
    cache: i64,
    cycle: bool,
    unlogged: bool,
    owned_by: Option<(QualRow, String)>,
    comment: Option<String>,
    grants: Vec<Grant>,
}

#[derive(Deserialize)]
struct TableRow {
    schema: Name,
    name: Name,
    unlogged: bool,
    partition_key: Option<String>,
    partition_of: Option<PartitionRow>,
    inherits: Vec<QualRow>,
    replica_identity: Option<String>,
    rls_enabled: bool,
    rls_forced: bool,
    options: Vec<String>,
    comment: Option<String>,
    grants: Vec<Grant>,
}

#[derive(Deserialize)]
struct PartitionRow {
    parent: QualRow,
    bound: String,
}

#[derive(Deserialize)]
struct ColumnRow {
    schema: Name,
    table: Name,
    relid: u32,
    name: Name,
    position: i32,
    data_type: Name,
    type_oid: u32,
    collation_oid: u32,
    type_ref: Option<QualRow>,
    collation: Option<QualRow>,
    not_null: bool,
    default: Option<Name>,
    generated: Option<String>,
    generated_kind: String,
    identity: String,
    identity_sequence: Option<IdentitySeqRow>,
    is_local: bool,
    comment: Option<String>,
    grants: Vec<Grant>,
}

#[derive(Deserialize)]
struct IdentitySeqRow {
    name: QualRow,
    data_type: String,
    start: i64,
    increment: i64,
    min_value: i64,
    max_value: i64,
    cache: i64,
    cycle: bool,
}

/// A column row in the model's form, with the relation it belongs to.
struct ColumnOf {
    relation: QualName,
    /// The relation's OID.
    relid: u32,
    /// The column's type and collation (0 for none).
    type_oid: u32,
    collation_oid: u32,
    position: i32,
    column: Column,
}

impl ColumnRow {
    fn into_model(self) -> ColumnOf {
        let identity = match self.identity.as_str() {
            "a" | "d" => self.identity_sequence.map(|seq| {
                Box::new(Identity {
                    kind: if self.identity == "a" {
                        IdentityKind::Always
                    } else {
                        IdentityKind::ByDefault
                    },
                    sequence_name: seq.name.into(),
                    sequence: Sequence {
                        data_type: seq.data_type,
                        start: seq.start,
                        increment: seq.increment,
                        min_value: seq.min_value,
                        max_value: seq.max_value,
                        cache: seq.cache,
                        cycle: seq.cycle,
                        owned_by: None,
                        unlogged: false,
                        comment: None,
                        grants: Vec::new(),
                    },
                })
            }),
            _ => None,
        };
        ColumnOf {
            relation: QualName {
                schema: self.schema,
                name: self.table,
            },
            relid: self.relid,
            type_oid: self.type_oid,
            collation_oid: self.collation_oid,
            position: self.position,
            column: Column {
                name: self.name,
                data_type: self.data_type,
                type_ref: self.type_ref.map(|t| Box::new(t.into())),
                collation: self.collation.map(|c| Box::new(c.into())),
                not_null: self.not_null,
                not_null_name: None,
                default: self.default,
                identity,
                generated: self.generated,
                generated_virtual: self.generated_kind == "v",
                is_local: self.is_local,
                comment: self.comment,
                grants: sorted(self.grants),
            },
        }
    }
}

#[derive(Deserialize)]
struct NotNullRow {
    schema: Name,
    table: Name,
    column: String,
    name: String,
}

#[derive(Deserialize)]
struct ViewRow {
    schema: Name,
    name: Name,
    materialized: bool,
    definition: String,
    options: Vec<String>,
    comment: Option<String>,
    grants: Vec<Grant>,
}

#[derive(Deserialize)]
struct FunctionRow {
    schema: Name,
    name: Name,
    kind: FunctionKind,
    identity_args: String,
    arguments: String,
    returns: Option<String>,
    language: String,
    volatility: String,
    security_definer: bool,
    strict: bool,
    definition: String,
    comment: Option<String>,
    grants: Vec<Grant>,
}

#[derive(Deserialize)]
struct TriggerRow {
    schema: Name,
    table: Name,
    name: Name,
    definition: String,
    function: QualRow,
    constraint: bool,
    enabled: String,
    comment: Option<String>,
}

#[derive(Deserialize)]
struct PolicyRow {
    schema: Name,
    table: Name,
    name: Name,
    permissive: bool,
    command: String,
    roles: Vec<String>,
    using: Option<String>,
    with_check: Option<String>,
    comment: Option<String>,
}

/// An object that dependencies are recorded between: its catalog key and its identity.
struct DependObjectRow {
    key: (u32, u32),
    id: ObjectId,
}

/// A catalog key (`classid`, `objid`) read as `int8`.
fn key(row: &tokio_postgres::Row, class: usize, oid: usize) -> Result<(u32, u32), String> {
    let get = |i: usize| -> Result<u32, String> {
        let v: i64 = row.try_get(i).map_err(|e| e.to_string())?;
        u32::try_from(v).map_err(|_| format!("{v} is not an OID"))
    };
    Ok((get(class)?, get(oid)?))
}

impl DependObjectRow {
    /// Columns: class, oid, kind, schema, table, name, args.
    fn decode(row: &tokio_postgres::Row) -> Result<Self, String> {
        // Read as borrowed text: most names fit in a `Name` without an allocation.
        let text = |i: usize| -> Result<Option<Name>, String> {
            let v: Option<&str> = row.try_get(i).map_err(|e| e.to_string())?;
            Ok(v.map(Name::new))
        };
        let kind: Name = text(2)?.ok_or("an object without a kind")?;
        Ok(DependObjectRow {
            key: key(row, 0, 1)?,
            id: ObjectId {
                kind: kind.parse()?,
                schema: text(3)?.ok_or("an object without a schema")?,
                table: text(4)?,
                name: text(5)?.ok_or("an object without a name")?,
                args: text(6)?,
            },
        })
    }
}

/// A recorded dependency between catalog keys; `column` names the referenced table column
/// of a view's dependency.
struct DependRow {
    from: (u32, u32),
    to: (u32, u32),
    column: Option<String>,
}

impl DependRow {
    /// Columns: class, oid, ref_class, ref_oid, column.
    fn decode(row: &tokio_postgres::Row) -> Result<Self, String> {
        Ok(DependRow {
            from: key(row, 0, 1)?,
            to: key(row, 2, 3)?,
            column: row.try_get(4).map_err(|e| e.to_string())?,
        })
    }
}

/// The recorded dependencies as identity pairs: both ends must be known objects, an object
/// never depends on itself (a rule on its view, a default on its column), and a view's
/// dependency on a table column is recorded on the table and on the column.
fn depends(objects: Vec<DependObjectRow>, rows: Vec<DependRow>) -> Depends {
    let mut by_key: Vec<((u32, u32), u32)> = Vec::with_capacity(objects.len());
    // Room for the view columns too: pushing past the objects' count would double a vector
    // of some 80,000 identities at 5,000 tables for a few hundred more.
    let extra = rows.iter().filter(|r| r.column.is_some()).count();
    let mut ids: Vec<ObjectId> = Vec::with_capacity(objects.len() + extra);
    for o in objects {
        by_key.push((o.key, ids.len() as u32));
        ids.push(o.id);
    }
    by_key.sort_unstable();
    let find = |k: &(u32, u32)| {
        by_key
            .binary_search_by(|(x, _)| x.cmp(k))
            .ok()
            .map(|i| by_key[i].1)
    };
    let mut pairs = Vec::with_capacity(rows.len());
    for r in rows {
        let (Some(a), Some(b)) = (find(&r.from), find(&r.to)) else {
            continue;
        };
        let (ia, ib) = (&ids[a as usize], &ids[b as usize]);
        if ia == ib {
            continue;
        }
        if let Some(column) = r.column
            && ib.kind == ObjectKind::Table
            && matches!(ia.kind, ObjectKind::View | ObjectKind::MaterializedView)
        {
            let col = ObjectId::column(&QualName::new(&ib.schema, &ib.name), &column);
            pairs.push((a, ids.len() as u32));
            ids.push(col);
        }
        pairs.push((a, b));
    }
    Depends::from_parts(ids, pairs)
}

fn sorted(mut grants: Vec<Grant>) -> Vec<Grant> {
    grants.sort();
    grants
}

/// Builds the model from the decoded rows of every query.
pub(super) fn assemble(rows: Rows) -> Result<Schema, CatalogError> {
    let mut s = Schema::default();
    for r in rows.schemas {
        s.schemas.insert(
            r.name,
            Namespace {
                comment: r.comment,
                grants: sorted(r.grants),
            },
        );
    }
    for r in rows.extensions {
        s.extensions.insert(
            r.name,
            Extension {
                schema: r.schema,
                version: r.version,
                comment: r.comment,
            },
        );
    }
    for r in rows.enums {
        s.enums.insert(
            QualName {
                schema: r.schema,
                name: r.name,
            },
            EnumType {
                labels: r.labels,
                comment: r.comment,
                grants: sorted(r.grants),
            },
        );
    }
    for r in rows.domains {
        s.domains.insert(
            QualName {
                schema: r.schema,
                name: r.name,
            },
            Domain {
                base_type: r.base_type,
                type_ref: r.type_ref.map(Into::into),
                collation: r.collation.map(Into::into),
                default: r.default,
                not_null: r.not_null,
                checks: r.checks,
                comment: r.comment,
                grants: sorted(r.grants),
            },
        );
    }
    for r in rows.composites {
        s.composites.insert(
            QualName {
                schema: r.schema,
                name: r.name,
            },
            CompositeType {
                attributes: r
                    .attributes
                    .into_iter()
                    .map(|a| CompositeAttribute {
                        name: a.name,
                        data_type: a.data_type,
                        type_ref: a.type_ref.map(Into::into),
                        collation: a.collation.map(Into::into),
                    })
                    .collect(),
                comment: r.comment,
                grants: sorted(r.grants),
            },
        );
    }
    for r in rows.sequences {
        s.sequences.insert(
            QualName {
                schema: r.schema,
                name: r.name,
            },
            Sequence {
                data_type: r.data_type,
                start: r.start,
                increment: r.increment,
                min_value: r.min_value,
                max_value: r.max_value,
                cache: r.cache,
                cycle: r.cycle,
                owned_by: r.owned_by.map(|(t, c)| (t.into(), c)),
                unlogged: r.unlogged,
                comment: r.comment,
                grants: sorted(r.grants),
            },
        );
    }
    for r in rows.tables {
        s.tables.insert(
            QualName {
                schema: r.schema,
                name: r.name,
            },
            Table {
                unlogged: r.unlogged,
                partition_key: r.partition_key,
                partition_of: r.partition_of.map(|p| PartitionOf {
                    parent: p.parent.into(),
                    bound: p.bound,
                }),
                inherits: r.inherits.into_iter().map(Into::into).collect(),
                columns: Vec::new(),
                constraints: BTreeMap::new(),
                replica_identity: r.replica_identity,
                rls_enabled: r.rls_enabled,
                rls_forced: r.rls_forced,
                options: r.options,
                comment: r.comment,
                grants: sorted(r.grants),
            },
        );
    }
    let mut views = BTreeMap::new();
    for r in rows.views {
        views.insert(
            QualName {
                schema: r.schema,
                name: r.name,
            },
            View {
                materialized: r.materialized,
                definition: r.definition,
                columns: Vec::new(),
                options: r.options,
                comment: r.comment,
                grants: sorted(r.grants),
            },
        );
    }
    // Sorted by relation OID and position (`fetch_all`).
    let columns = rows.columns;
    // One run of rows per relation: its vector is sized once and the relation looked up
    // once.
    let runs: Vec<usize> = columns
        .chunk_by(|a, b| a.relid == b.relid)
        .map(<[_]>::len)
        .collect();
    let mut columns = columns.into_iter();
    for n in runs {
        let mut run = columns.by_ref().take(n).peekable();
        let Some(first) = run.peek() else { continue };
        let q = first.relation.clone();
        if let Some(t) = s.tables.get_mut(&q) {
            t.columns.reserve_exact(n);
            t.columns.extend(run.map(|r| r.column));
        } else if let Some(v) = views.get_mut(&q) {
            v.columns.reserve_exact(n);
            v.columns.extend(run.map(|r| ViewColumn {
                name: r.column.name,
                data_type: r.column.data_type,
                comment: r.column.comment,
            }));
        } else {
            // Not a modelled relation: the run is skipped as a whole.
            run.for_each(drop);
        }
    }
    // The emptied iterator still holds the rows' buffer (17 MB at 5,000 tables), which
    // would otherwise stay allocated through the rest of the assembly.
    drop(columns);
    s.views = views;
    // The query reports only names other than the generated one.
    for r in rows.not_nulls {
        if let Some(c) = s
            .tables
            .get_mut(&QualName::new(&r.schema, &r.table))
            .and_then(|t| t.columns.iter_mut().find(|c| c.name == r.column))
        {
            c.not_null_name = Some(r.name);
        }
    }
    let names = Names::new(&rows.attributes, &rows.keywords);
    // Each into its table as it is completed: no second list of all constraints is held.
    for r in rows.constraints {
        let r = r
            .into_model(&names)
            .map_err(|message| CatalogError::Decode {
                what: "constraints",
                message,
            })?;
        if let Some(t) = s.tables.get_mut(&r.table) {
            t.constraints.insert(r.name, r.constraint);
        }
    }
    for mut r in rows.indexes {
        let (keys, include, definition) =
            r.complete(&names, &rows.index_support)
                .map_err(|e| CatalogError::Decode {
                    what: "indexes",
                    message: format!("index {}: {e}", r.qual_name()),
                })?;
        let table = QualName {
            schema: r.schema.clone(),
            name: r.table,
        };
        s.indexes.insert(
            QualName {
                schema: r.schema,
                name: r.name,
            },
            Index {
                table,
                definition,
                unique: r.unique,
                method: r.method,
                keys,
                include,
                predicate: r.predicate,
                nulls_not_distinct: r.nulls_not_distinct,
                options: r.options,
                comment: r.comment,
            },
        );
    }
    for r in rows.functions {
        let name = QualName {
            schema: r.schema,
            name: r.name,
        };
        let kind = match r.kind {
            FunctionKind::Function => ObjectKind::Function,
            FunctionKind::Procedure => ObjectKind::Procedure,
        };
        s.functions.insert(
            ObjectId::routine(kind, &name, &r.identity_args),
            Function {
                kind: r.kind,
                name,
                identity_args: r.identity_args,
                arguments: r.arguments,
                returns: r.returns,
                language: r.language,
                volatility: r.volatility,
                security_definer: r.security_definer,
                strict: r.strict,
                definition: r.definition,
                comment: r.comment,
                grants: sorted(r.grants),
            },
        );
    }
    for r in rows.triggers {
        let table = QualName {
            schema: r.schema,
            name: r.table,
        };
        s.triggers.insert(
            ObjectId::in_table(ObjectKind::Trigger, &table, &r.name),
            Trigger {
                table,
                definition: r.definition,
                function: r.function.into(),
                constraint: r.constraint,
                enabled: match r.enabled.as_str() {
                    "D" => TriggerEnabled::Disabled,
                    "R" => TriggerEnabled::Replica,
                    "A" => TriggerEnabled::Always,
                    _ => TriggerEnabled::Origin,
                },
                comment: r.comment,
            },
        );
    }
    for r in rows.policies {
        let table = QualName {
            schema: r.schema,
            name: r.table,
        };
        s.policies.insert(
            ObjectId::in_table(ObjectKind::Policy, &table, &r.name),
            Policy {
                table,
                permissive: r.permissive,
                command: r.command,
                roles: r.roles,
                using: r.using,
                with_check: r.with_check,
                comment: r.comment,
            },
        );
    }
    s.depends = depends(rows.depend_objects, rows.depends);
    Ok(s)
}
