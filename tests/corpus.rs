//! The third-party corpus (../shared/corpus beside the checkout), every case whose SQL loads
//! on the test server, through the oracle checks in one pass per case (each database
//! is built and dumped once):
//!
//! - round trip: `inspect --format sql` of the database built from `to.sql` recreates it;
//! - loader: `to.sql` through pgdiff's loader gives the same model as run by psql;
//! - convergence: the plan from `from.sql` to `to.sql` converges, re-plans empty and rolls
//!   back;
//! - definitions: the index and constraint definitions and column defaults the inspector
//!   reads equal what the server's deparse functions print (`pg_get_indexdef`,
//!   `pg_get_constraintdef`, `pg_get_expr`).
//!
//! Cases that cannot pass are listed with their reason in tests/known-failures.txt; an
//! unexpected failure, or a listed case that passes, fails the test.

mod common;

use common::checks;
use common::*;
use pgdiff::testing::server;
use std::collections::BTreeMap;

const CHECKS: [&str; 4] = ["roundtrip", "loader", "converge", "definitions"];

/// Results of one case: `None` when its SQL does not load on this server.
fn run_case(case: &Case) -> Option<[Result<(), String>; 4]> {
    let t = load(case, &case.desired_sql(), "c_to").ok()?;
    let a = load(case, &case.current_sql(), "c_from").ok()?;
    let t_model = inspect(&t);
    let t_dump = t.dump();
    let roundtrip = checks::roundtrip(case, &t, &t_model, &t_dump);
    let loader = checks::loader(case, &t_model);
    let converge = checks::converge(&a, &t_model, &t_dump);
    let definitions = checks::definitions(&t, &t_model);
    Some([roundtrip, loader, converge, definitions])
}

#[test]
fn corpus() {
    let cases = corpus_cases();
    assert!(
        !cases.is_empty(),
        "the third-party corpus (../shared/corpus beside the checkout) is missing"
    );
    let results = par_map(&cases, 3, run_case);
    let loading = results.iter().filter(|r| r.is_some()).count();
    let mut problems = Vec::new();
    for (i, check) in CHECKS.iter().enumerate() {
        let known = checks::known_failures(check);
        let mut pass = 0;
        let mut failed: BTreeMap<&str, &str> = BTreeMap::new();
        for (c, r) in cases.iter().zip(&results) {
            match r.as_ref().map(|r| &r[i]) {
                Some(Ok(())) => pass += 1,
                Some(Err(e)) => {
                    failed.insert(&c.name, e);
                }
                None => {}
            }
        }
        eprintln!(
            "{check}: {pass} of {loading} corpus cases pass on PostgreSQL {} ({} listed as known failures)",
            server().major(),
            failed.keys().filter(|n| known.contains_key(**n)).count()
        );
        for (n, e) in &failed {
            if !known.contains_key(*n) {
                problems.push(format!(
                    "{check} FAIL {n}: {}",
                    e.lines().take(40).collect::<Vec<_>>().join("\n")
                ));
            }
        }
        for n in known.keys() {
            let loads = cases
                .iter()
                .zip(&results)
                .any(|(c, r)| c.name == *n && r.is_some());
            if loads && !failed.contains_key(n.as_str()) {
                problems.push(format!(
                    "{check}: {n} passes now; remove it from tests/known-failures.txt"
                ));
            }
        }
    }
    eprintln!(
        "{} of {} corpus cases load on this server",
        loading,
        cases.len()
    );
    for p in &problems {
        eprintln!("{p}\n");
    }
    assert!(problems.is_empty(), "{} corpus problems", problems.len());
}
