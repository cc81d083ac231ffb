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

/// The case with objects of every kind.
fn smoke_case() -> Case {
    own_cases()
        .into_iter()
        .find(|c| c.name == "cases/smoke_all_kinds")
        .expect("the smoke case")
}

#[test]
fn inspection_is_deterministic() {
    let case = smoke_case();
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

/// A foreign key to a table the inspection does not read (its schema filtered out, or a
/// member of an extension) still names its referenced columns, and its definition is the
/// server's. The inspector names the keys of the tables it reads from their columns, and has
/// the server name the others.
#[test]
fn foreign_keys_to_tables_not_read_name_their_columns() {
    use pgdiff::catalog::Filter;
    use pgdiff::model::QualName;
    let db = pgdiff::testing::server().create_db("fk_not_read");
    db.psql(
        "CREATE SCHEMA other;\n\
         CREATE TABLE other.\"Parent\" (\"Id\" int PRIMARY KEY, \"user\" int UNIQUE);\n\
         CREATE TABLE public.ext_member (gone int, k int PRIMARY KEY);\n\
         ALTER TABLE public.ext_member DROP COLUMN gone;\n\
         ALTER EXTENSION plpgsql ADD TABLE public.ext_member;\n\
         CREATE TABLE public.child (\n\
             a int REFERENCES other.\"Parent\" (\"Id\"),\n\
             b int CONSTRAINT child_b_fkey REFERENCES other.\"Parent\" (\"user\") ON DELETE CASCADE,\n\
             c int REFERENCES public.ext_member (k)\n\
         );\n",
    )
    .expect("creating the tables");
    let filters = [
        Filter::default(),
        Filter {
            include: vec!["public".into()],
            exclude: Vec::new(),
        },
        Filter {
            include: Vec::new(),
            exclude: vec!["other".into()],
        },
    ];
    for filter in &filters {
        let model = inspect_filtered(&db, filter);
        assert_eq!(
            model.tables.contains_key(&QualName::new("other", "Parent")),
            filter.include.is_empty() && filter.exclude.is_empty(),
            "{filter:?}"
        );
        assert!(
            !model
                .tables
                .contains_key(&QualName::new("public", "ext_member")),
            "an extension's table is not read"
        );
        checks::definitions(&db, &model).unwrap_or_else(|e| panic!("{filter:?}: {e}"));
        let child = &model.tables[&QualName::new("public", "child")];
        let refs: Vec<(&str, Vec<&str>)> = child
            .constraints
            .iter()
            .map(|(name, k)| {
                let fk = k.foreign_key.as_ref().expect("a foreign key");
                (
                    name.as_str(),
                    fk.ref_columns.iter().map(|c| c.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            refs,
            [
                ("child_a_fkey", vec!["Id"]),
                ("child_b_fkey", vec!["user"]),
                ("child_c_fkey", vec!["k"]),
            ],
            "{filter:?}"
        );
    }
}

/// The model does not depend on `quote_all_identifiers`: a database whose sessions quote
/// every identifier (a setting of the database or role being inspected) reads back the same
/// as with the default, so comparing it with a shadow database shows no spurious changes.
#[test]
fn inspection_ignores_quote_all_identifiers() {
    let case = smoke_case();
    let db = load(&case, &case.desired_sql(), "quote_all").unwrap();
    let plain = inspect(&db);
    db.server()
        .psql_in(
            "postgres",
            &format!(
                "ALTER DATABASE \"{}\" SET quote_all_identifiers = on",
                db.name
            ),
        )
        .expect("setting quote_all_identifiers");
    let printed = db
        .psql("\\pset tuples_only on\nSELECT quote_ident('abc')")
        .expect("psql");
    assert_eq!(printed.trim(), "\"abc\"", "the setting should be in effect");
    let quoting = inspect(&db);
    assert!(
        plain == quoting,
        "the inspection differs under quote_all_identifiers"
    );
}
