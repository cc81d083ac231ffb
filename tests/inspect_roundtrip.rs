//! Round-trip oracle for the inspector and the creation-script renderer: a schema loaded
//! into database A, `inspect --format sql` of A loaded into an empty database B, and the
//! normalized `pg_dump --schema-only` of A and B must be equal. Runs over the hand-written
//! cases and every corpus case whose `to.sql` loads on the test server.

mod common;

use common::*;
use pgdiff::testing::server;

/// Outcome of one case.
enum Outcome {
    Pass,
    /// to.sql does not load on this server (extension, newer syntax, ...).
    DoesNotLoad(String),
    Fail(String),
}

fn roundtrip(case: &Case) -> Outcome {
    let a = match load(case, &case.desired_sql(), "rt_a") {
        Ok(db) => db,
        Err(e) => return Outcome::DoesNotLoad(e),
    };
    let schema = inspect(&a);
    let script = match pgdiff::app::creation_script(&schema) {
        Ok(s) => s,
        Err(e) => return Outcome::Fail(format!("planning the creation script: {e}")),
    };
    let b = server().create_db("rt_b");
    if let Some(pre) = case.prerequisite_sql() {
        let _ = b.psql(&pre);
    }
    if let Err(e) = b.psql(&script) {
        return Outcome::Fail(format!("creation script failed: {e}\n{script}"));
    }
    let (da, db) = (a.dump(), b.dump());
    if da != db {
        let diff = similar::TextDiff::from_lines(&da, &db)
            .unified_diff()
            .context_radius(2)
            .to_string();
        return Outcome::Fail(format!("dumps differ (- original, + recreated):\n{diff}"));
    }
    // Inspection is deterministic and the recreated database reads back the same model.
    let again = inspect(&b);
    if again.without_depends() != schema.without_depends() {
        return Outcome::Fail("the recreated database inspects to a different model".into());
    }
    Outcome::Pass
}

fn run(cases: &[Case], label: &str) -> (usize, usize, Vec<(String, String)>) {
    let outcomes = par_map(cases, 3, roundtrip);
    let mut pass = 0;
    let mut not_loading = 0;
    let mut failures = Vec::new();
    for (c, o) in cases.iter().zip(outcomes) {
        match o {
            Outcome::Pass => pass += 1,
            Outcome::DoesNotLoad(e) => {
                not_loading += 1;
                if c.name.starts_with("cases/") {
                    eprintln!("{} does not load: {e}", c.name);
                }
            }
            Outcome::Fail(m) => failures.push((c.name.clone(), m)),
        }
    }
    eprintln!(
        "{label}: {} cases, {} do not load on PostgreSQL {}, {pass} pass, {} fail",
        cases.len(),
        not_loading,
        server().major(),
        failures.len()
    );
    (pass, not_loading, failures)
}

#[test]
fn own_cases_round_trip() {
    let cases = own_cases();
    assert!(!cases.is_empty(), "no cases under tests/cases");
    let (_, not_loading, failures) = run(&cases, "tests/cases");
    for (n, m) in &failures {
        eprintln!("FAIL {n}: {m}");
    }
    assert!(
        failures.is_empty(),
        "{} round-trip failures",
        failures.len()
    );
    assert_eq!(not_loading, 0, "every hand-written case must load");
}

/// Corpus cases known to fail the round trip, with the reason (tests/known-failures.txt).
fn known_failures() -> std::collections::BTreeMap<String, String> {
    let text = include_str!("known-failures.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(char::is_whitespace))
        .filter(|(k, _)| k.starts_with("roundtrip:"))
        .map(|(k, v)| {
            (
                k.trim_start_matches("roundtrip:").to_string(),
                v.trim().to_string(),
            )
        })
        .collect()
}

#[test]
fn corpus_round_trip() {
    let cases = corpus_cases();
    assert!(
        !cases.is_empty(),
        "the third-party corpus (../shared/corpus beside the checkout) is missing"
    );
    let known = known_failures();
    let (pass, _, failures) = run(&cases, "corpus");
    let unexpected: Vec<_> = failures
        .iter()
        .filter(|(n, _)| !known.contains_key(n))
        .collect();
    for (n, m) in &unexpected {
        eprintln!(
            "FAIL {n}: {}",
            m.lines().take(30).collect::<Vec<_>>().join("\n")
        );
    }
    let fixed: Vec<_> = known
        .keys()
        .filter(|k| !failures.iter().any(|(n, _)| n == *k))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} unexpected round-trip failures ({pass} pass)",
        unexpected.len()
    );
    assert!(
        fixed.is_empty(),
        "known failures now pass; remove them from tests/known-failures.txt: {fixed:?}"
    );
}
