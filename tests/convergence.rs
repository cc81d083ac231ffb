//! Convergence suite: for each case, against real Postgres, the plan from `from.sql` to
//! `to.sql` applied to a database built from `from.sql` yields the same normalized
//! `pg_dump --schema-only` as a database built from `to.sql`; planning again yields an empty
//! plan; applying the rollback restores the dump of `from.sql`.

mod common;

use common::*;
use pgdiff::plan::{self, PlanOptions};
use pgdiff::testing::TestDb;

enum Outcome {
    Pass,
    DoesNotLoad(String),
    Fail(String),
}

fn dump_diff(a: &str, b: &str) -> String {
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(2)
        .to_string()
}

fn apply(db: &TestDb, steps: &[pgdiff::plan::Step], what: &str) -> Result<(), String> {
    let script = pgdiff::render::sql(steps, what);
    db.psql(&script)
        .map(|_| ())
        .map_err(|e| format!("{what} failed: {e}\n{script}"))
}

fn converge(case: &Case) -> Outcome {
    let from_file = case.current_sql();
    let a = match load(case, &from_file, "cv_a") {
        Ok(db) => db,
        Err(e) => return Outcome::DoesNotLoad(format!("from.sql: {e}")),
    };
    let t = match load(case, &case.desired_sql(), "cv_t") {
        Ok(db) => db,
        Err(e) => return Outcome::DoesNotLoad(format!("to.sql: {e}")),
    };
    let original = a.dump();
    let wanted = t.dump();
    let current = inspect(&a);
    let desired = inspect(&t);
    let p = match plan::plan(&current, &desired, &PlanOptions::default()) {
        Ok(p) => p,
        Err(e) => return Outcome::Fail(format!("planning: {e}")),
    };
    if let Err(e) = apply(&a, &p.steps, "migration") {
        return Outcome::Fail(e);
    }
    let migrated = a.dump();
    if migrated != wanted {
        return Outcome::Fail(format!(
            "after the migration the dump differs (- migrated, + to.sql):\n{}\nplan:\n{}",
            dump_diff(&migrated, &wanted),
            pgdiff::render::sql(&p.steps, "migration")
        ));
    }
    let after = inspect(&a);
    match plan::plan(&after, &desired, &PlanOptions::default()) {
        Ok(again) if again.is_empty() => {}
        Ok(again) => {
            return Outcome::Fail(format!(
                "re-planning is not empty:\n{}",
                pgdiff::render::sql(&again.steps, "re-plan")
            ));
        }
        Err(e) => return Outcome::Fail(format!("re-planning: {e}")),
    }
    if let Err(e) = apply(&a, &p.rollback, "rollback") {
        return Outcome::Fail(e);
    }
    let back = a.dump();
    if back != original {
        return Outcome::Fail(format!(
            "after the rollback the dump differs (- rolled back, + from.sql):\n{}\nrollback:\n{}",
            dump_diff(&back, &original),
            pgdiff::render::sql(&p.rollback, "rollback")
        ));
    }
    Outcome::Pass
}

fn run(cases: &[Case], label: &str) -> (usize, usize, Vec<(String, String)>) {
    let outcomes = par_map(cases, 3, converge);
    let (mut pass, mut skipped, mut failures) = (0, 0, Vec::new());
    for (c, o) in cases.iter().zip(outcomes) {
        match o {
            Outcome::Pass => pass += 1,
            Outcome::DoesNotLoad(e) => {
                skipped += 1;
                if c.name.starts_with("cases/") {
                    failures.push((c.name.clone(), format!("does not load: {e}")));
                }
            }
            Outcome::Fail(m) => failures.push((c.name.clone(), m)),
        }
    }
    eprintln!(
        "{label}: {} cases, {skipped} do not load on PostgreSQL {}, {pass} converge, {} fail",
        cases.len(),
        pgdiff::testing::server().major(),
        failures.len()
    );
    (pass, skipped, failures)
}

fn known_failures() -> std::collections::BTreeMap<String, String> {
    include_str!("known-failures.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(char::is_whitespace))
        .filter(|(k, _)| k.starts_with("converge:"))
        .map(|(k, v)| {
            (
                k.trim_start_matches("converge:").to_string(),
                v.trim().to_string(),
            )
        })
        .collect()
}

#[test]
fn own_cases_converge() {
    let cases = own_cases();
    let (_, _, failures) = run(&cases, "tests/cases");
    for (n, m) in &failures {
        eprintln!("FAIL {n}: {m}\n");
    }
    assert!(
        failures.is_empty(),
        "{} cases do not converge",
        failures.len()
    );
}

#[test]
fn corpus_converges() {
    let cases = corpus_cases();
    assert!(
        !cases.is_empty(),
        "the third-party corpus (../shared/corpus) is missing"
    );
    let known = known_failures();
    let (pass, _, failures) = run(&cases, "corpus");
    let unexpected: Vec<_> = failures
        .iter()
        .filter(|(n, _)| !known.contains_key(n))
        .collect();
    for (n, m) in &unexpected {
        eprintln!(
            "FAIL {n}: {}\n",
            m.lines().take(40).collect::<Vec<_>>().join("\n")
        );
    }
    let fixed: Vec<_> = known
        .keys()
        .filter(|k| !failures.iter().any(|(n, _)| n == *k))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} unexpected failures ({pass} converge)",
        unexpected.len()
    );
    assert!(
        fixed.is_empty(),
        "known failures now pass; remove them from tests/known-failures.txt: {fixed:?}"
    );
}
