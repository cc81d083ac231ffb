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
//! The corpus is optional: where it is absent (a clone with nothing beside it), the test
//! says SKIPPED on stderr and passes, unless `PGDIFF_REQUIRE_CORPUS=1` (set by `.ci/run`).
//!
//! Cases that cannot pass are listed with their reason in tests/known-failures.txt; an
//! unexpected failure, or a listed case that passes, fails the test.

mod common;

use common::checks;
use common::*;
use pgdiff::testing::server;
use std::collections::BTreeMap;

const CHECKS: [&str; 4] = ["roundtrip", "loader", "converge", "definitions"];

/// The steps of a case whose time is totalled (printed at the end, to see where the suite's
/// time goes).
const STEPS: [&str; 5] = ["build", "roundtrip", "loader", "converge", "definitions"];

/// Total time per step over all cases, in microseconds.
static STEP_TIME: [std::sync::atomic::AtomicU64; 5] =
    [const { std::sync::atomic::AtomicU64::new(0) }; 5];

/// Runs `f`, adding its time to step `i`.
fn timed<R>(i: usize, f: impl FnOnce() -> R) -> R {
    let start = std::time::Instant::now();
    let r = f();
    STEP_TIME[i].fetch_add(
        start.elapsed().as_micros() as u64,
        std::sync::atomic::Ordering::Relaxed,
    );
    r
}

/// Results of one case: `None` when its SQL does not load on this server.
fn run_case(case: &Case) -> Option<[Result<(), String>; 4]> {
    let (t, a, t_model, t_dump) = timed(0, || {
        let t = load(case, &case.desired_sql(), "c_to").ok()?;
        let a = load(case, &case.current_sql(), "c_from").ok()?;
        let t_model = inspect(&t);
        let t_dump = t.dump();
        Some((t, a, t_model, t_dump))
    })?;
    let roundtrip = timed(1, || checks::roundtrip(case, &t, &t_model, &t_dump));
    let loader = timed(2, || checks::loader(case, &t_model));
    let converge = timed(3, || checks::converge(&a, &t_model, &t_dump));
    let definitions = timed(4, || checks::definitions(&t, &t_model));
    Some([roundtrip, loader, converge, definitions])
}

/// Whether a missing corpus fails the test (`PGDIFF_REQUIRE_CORPUS=1`, as CI sets it) or is
/// reported as skipped (a fresh clone anywhere else has no corpus beside it).
fn corpus_required() -> bool {
    std::env::var("PGDIFF_REQUIRE_CORPUS").is_ok_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn corpus() {
    if corpus_root().is_none() {
        let location = corpus_location();
        assert!(
            !corpus_required(),
            "the third-party corpus is required (PGDIFF_REQUIRE_CORPUS) but {} is not a \
             directory; set PGDIFF_CORPUS to its location",
            location.display()
        );
        // Written to the process's stderr, past the test harness's capture, so that the skip
        // shows in the output of a passing run.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: the third-party corpus test: no corpus at {} (set PGDIFF_CORPUS to \
             its location; CI requires it)",
            location.display()
        );
        return;
    }
    let mut cases = corpus_cases();
    // For working on a few cases: PGDIFF_CORPUS_ONLY=substring of their names.
    if let Ok(only) = std::env::var("PGDIFF_CORPUS_ONLY") {
        cases.retain(|c| c.name.contains(&only));
    }
    assert!(
        !cases.is_empty(),
        "the third-party corpus at {} holds no cases",
        corpus_location().display()
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
    let times: Vec<String> = STEPS
        .iter()
        .zip(&STEP_TIME)
        .map(|(s, t)| {
            let secs = t.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e6;
            format!("{s} {secs:.0} s")
        })
        .collect();
    eprintln!(
        "time per step, summed over the worker threads: {}",
        times.join(", ")
    );
    for p in &problems {
        eprintln!("{p}\n");
    }
    assert!(problems.is_empty(), "{} corpus problems", problems.len());
}
