//! Round-trip oracle for the inspector and the creation-script renderer over the hand-written
//! cases: a schema loaded into database A, `inspect --format sql` of A loaded into an empty
//! database B, and the normalized `pg_dump --schema-only` of A and B must be equal (B must
//! also read back to the same model). The corpus runs the same check in tests/corpus.rs.

mod common;

use common::*;

#[test]
fn own_cases_round_trip() {
    let cases = own_cases();
    assert!(!cases.is_empty(), "no cases under tests/cases");
    let failures: Vec<String> = par_map(&cases, 3, |case| {
        let a = load(case, &case.desired_sql(), "rt_a")
            .map_err(|e| format!("{}: to.sql does not load: {e}", case.name))?;
        let model = inspect(&a);
        checks::definitions(&a, &model).map_err(|e| format!("{}: {e}", case.name))?;
        checks::roundtrip(case, &a, &model, &a.dump()).map_err(|e| format!("{}: {e}", case.name))
    })
    .into_iter()
    .filter_map(Result::err)
    .collect();
    eprintln!(
        "round trip: {} of {} cases pass",
        cases.len() - failures.len(),
        cases.len()
    );
    for f in &failures {
        eprintln!("FAIL {f}\n");
    }
    assert!(
        failures.is_empty(),
        "{} round-trip failures",
        failures.len()
    );
}

#[test]
fn inspection_is_deterministic() {
    let case = own_cases()
        .into_iter()
        .find(|c| c.name == "cases/smoke_all_kinds")
        .expect("the smoke case");
    let db = load(&case, &case.desired_sql(), "det").unwrap();
    let run = || {
        assert_cmd::Command::cargo_bin("pgdiff")
            .unwrap()
            .args(["inspect", "--format", "sql", "--database", &db.conninfo()])
            .output()
            .unwrap()
    };
    let (a, b) = (run(), run());
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout, "two inspections differ");
    let json = assert_cmd::Command::cargo_bin("pgdiff")
        .unwrap()
        .args(["inspect", "--format", "json", "--database", &db.conninfo()])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        v["tables"]["\"App Data\".parent"]["columns"].is_array(),
        "{v}"
    );
}
