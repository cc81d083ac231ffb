//! The oracle checks, shared by the hand-written-case tests and the corpus test: inspect
//! round trip, loader equivalence, plan convergence, and the inspector's definitions
//! against the server's own deparse functions.

use super::{Case, inspect, rt};
use pgdiff::catalog::Filter;
use pgdiff::model::Schema;
use pgdiff::plan::{self, PlanOptions, Step};
use pgdiff::source::{self, Shadow};
use pgdiff::testing::{TestDb, server};
use std::path::Path;

/// A unified diff of two dumps.
pub fn dump_diff(a: &str, b: &str) -> String {
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(2)
        .to_string()
}

/// Runs rendered steps with psql.
pub fn apply(db: &TestDb, steps: &[Step], what: &str) -> Result<(), String> {
    let script = pgdiff::render::sql(steps, what);
    db.psql(&script)
        .map(|_| ())
        .map_err(|e| format!("{what} failed: {e}\n{script}"))
}

/// Round trip: `inspect --format sql` of `a` loaded into an empty database gives the same
/// dump and reads back to the same model.
pub fn roundtrip(case: &Case, a: &TestDb, a_model: &Schema, a_dump: &str) -> Result<(), String> {
    let script = pgdiff::app::creation_script(a_model)
        .map_err(|e| format!("planning the creation script: {e}"))?;
    let b = server().create_db("rt_b");
    if let Some(pre) = case.prerequisite_sql() {
        let _ = b.psql(&pre);
    }
    b.psql(&script)
        .map_err(|e| format!("creation script failed: {e}\n{script}"))?;
    let b_dump = b.dump();
    if a_dump != b_dump {
        return Err(format!(
            "dumps differ (- original, + recreated):\n{}",
            dump_diff(a_dump, &b_dump)
        ));
    }
    let again = inspect(&b);
    if again.without_depends() != a_model.without_depends() {
        return Err(format!(
            "the recreated database {} inspects to a different model",
            a.name
        ));
    }
    Ok(())
}

/// The inspector composes some definitions itself, or deparses them in a cheaper way than
/// the obvious call (index definitions of plain-column indexes, keys and foreign keys,
/// column defaults without the table): every index definition, constraint definition and
/// column default of `model` must equal what `pg_get_indexdef`, `pg_get_constraintdef` and
/// `pg_get_expr(adbin, adrelid)` print for it in `db` (with the inspector's empty
/// `search_path`).
pub fn definitions(db: &TestDb, model: &Schema) -> Result<(), String> {
    let out = db
        .psql(
            "\\pset tuples_only on\n\\pset format unaligned\n\
             SET search_path = '';\n\
             SELECT json_build_object(\
               'indexes', (SELECT coalesce(json_object_agg(n.nspname || '.' || c.relname, \
                                                           pg_get_indexdef(c.oid)), '{}') \
                             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                            WHERE c.relkind IN ('i', 'I')), \
               'constraints', (SELECT coalesce(json_object_agg( \
                                        n.nspname || '.' || c.relname || '.' || k.conname, \
                                        pg_get_constraintdef(k.oid)), '{}') \
                                 FROM pg_constraint k \
                                 JOIN pg_class c ON c.oid = k.conrelid \
                                 JOIN pg_namespace n ON n.oid = c.relnamespace), \
               'defaults', (SELECT coalesce(json_object_agg( \
                                     n.nspname || '.' || c.relname || '.' || a.attname, \
                                     pg_get_expr(d.adbin, d.adrelid)), '{}') \
                              FROM pg_attrdef d \
                              JOIN pg_class c ON c.oid = d.adrelid \
                              JOIN pg_namespace n ON n.oid = c.relnamespace \
                              JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
                             WHERE a.attgenerated = ''));\n",
        )
        .map_err(|e| format!("reading definitions with psql: {e}"))?;
    #[derive(serde::Deserialize)]
    struct Printed {
        indexes: std::collections::BTreeMap<String, String>,
        constraints: std::collections::BTreeMap<String, String>,
        defaults: std::collections::BTreeMap<String, String>,
    }
    let printed: Printed = serde_json::from_str(out.trim())
        .map_err(|e| format!("decoding the definitions: {e}: {out}"))?;
    let mut wrong = Vec::new();
    for (q, ix) in &model.indexes {
        let key = format!("{}.{}", q.schema, q.name);
        match printed.indexes.get(&key) {
            Some(d) if *d == ix.definition => {}
            other => wrong.push(format!(
                "index {key}: inspected {:?}, pg_get_indexdef {other:?}",
                ix.definition
            )),
        }
    }
    for (q, t) in &model.tables {
        for (n, k) in &t.constraints {
            let key = format!("{}.{}.{n}", q.schema, q.name);
            match printed.constraints.get(&key) {
                Some(d) if *d == k.definition => {}
                other => wrong.push(format!(
                    "constraint {key}: inspected {:?}, pg_get_constraintdef {other:?}",
                    k.definition
                )),
            }
        }
        for c in &t.columns {
            let Some(def) = &c.default else { continue };
            let key = format!("{}.{}.{}", q.schema, q.name, c.name);
            match printed.defaults.get(&key) {
                Some(d) if d == def => {}
                other => wrong.push(format!(
                    "default of {key}: inspected {def:?}, pg_get_expr {other:?}"
                )),
            }
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("\n"))
    }
}

/// Loads desired SQL at `path` through the shadow database on the test server.
pub fn load_desired(path: &Path) -> Result<Schema, String> {
    let (files, stmts) = source::prepare(path).map_err(|e| e.to_string())?;
    rt().block_on(async {
        Shadow::server(&server().conninfo("postgres"))
            .map_err(|e| e.to_string())?
            .load(files, stmts, &Filter::default())
            .await
            .map(|i| i.schema.without_depends())
            .map_err(|e| e.to_string())
    })
}

/// Loader equivalence: `to.sql` loaded through pgdiff gives the model of a database where
/// psql ran it.
pub fn loader(case: &Case, psql_model: &Schema) -> Result<(), String> {
    let model = load_desired(&case.desired_sql())?;
    if model == psql_model.without_depends() {
        Ok(())
    } else {
        let first = pgdiff::verify::first_difference(&model, psql_model);
        Err(format!(
            "loads to a different model; first difference: {first:?}"
        ))
    }
}

/// Convergence: the plan from `a` (built from from.sql) to `t` (built from to.sql), applied
/// to `a`, gives `t`'s dump; re-planning is empty; the rollback gives back `a`'s dump.
pub fn converge(a: &TestDb, t_model: &Schema, t_dump: &str) -> Result<(), String> {
    let original = a.dump();
    let current = inspect(a);
    let p = plan::plan(&current, t_model, &PlanOptions::default())
        .map_err(|e| format!("planning: {e}"))?;
    apply(a, &p.steps, "migration")?;
    let migrated = a.dump();
    if migrated != t_dump {
        return Err(format!(
            "after the migration the dump differs (- migrated, + to.sql):\n{}\nplan:\n{}",
            dump_diff(&migrated, t_dump),
            pgdiff::render::sql(&p.steps, "migration")
        ));
    }
    let after = inspect(a);
    let again = plan::plan(&after, t_model, &PlanOptions::default())
        .map_err(|e| format!("re-planning: {e}"))?;
    if !again.is_empty() {
        return Err(format!(
            "re-planning is not empty:\n{}",
            pgdiff::render::sql(&again.steps, "re-plan")
        ));
    }
    apply(a, &p.rollback, "rollback")?;
    let back = a.dump();
    if back != original {
        return Err(format!(
            "after the rollback the dump differs (- rolled back, + from.sql):\n{}\nrollback:\n{}",
            dump_diff(&back, &original),
            pgdiff::render::sql(&p.rollback, "rollback")
        ));
    }
    Ok(())
}

/// Known failures of `check` (`roundtrip`, `loader` or `converge`) from
/// tests/known-failures.txt: case name → reason.
pub fn known_failures(check: &str) -> std::collections::BTreeMap<String, String> {
    let prefix = format!("{check}:");
    include_str!("../known-failures.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(char::is_whitespace))
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(k, v)| (k[prefix.len()..].to_string(), v.trim().to_string()))
        .collect()
}
