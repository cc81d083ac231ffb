//! Convergence suite over the hand-written cases in tests/cases: against real Postgres, the
//! plan from `from.sql` to `to.sql` applied to a database built from `from.sql` yields the
//! same normalized `pg_dump --schema-only` as a database built from `to.sql`; planning again
//! yields an empty plan; applying the rollback restores the dump of `from.sql`. The corpus
//! runs the same check in tests/corpus.rs.

mod common;

use common::*;

#[test]
fn own_cases_converge() {
    let cases = own_cases();
    assert!(!cases.is_empty(), "no cases under tests/cases");
    let failures: Vec<String> = par_map(&cases, 3, |case| {
        let t = load(case, &case.desired_sql(), "cv_t")
            .map_err(|e| format!("{}: to.sql does not load: {e}", case.name))?;
        let a = load(case, &case.current_sql(), "cv_a")
            .map_err(|e| format!("{}: from.sql does not load: {e}", case.name))?;
        checks::converge(&a, &inspect(&t), &t.dump()).map_err(|e| format!("{}: {e}", case.name))
    })
    .into_iter()
    .filter_map(Result::err)
    .collect();
    eprintln!(
        "convergence: {} of {} cases converge",
        cases.len() - failures.len(),
        cases.len()
    );
    for f in &failures {
        eprintln!("FAIL {f}\n");
    }
    assert!(
        failures.is_empty(),
        "{} cases do not converge",
        failures.len()
    );
}
