//! Shared helpers of the integration tests: case discovery (tests/cases and the third-party
//! corpus), loading SQL, inspecting and planning through the library.

#![allow(dead_code)]

pub mod checks;

use pgdiff::catalog::{self, Filter};
use pgdiff::model::Schema;
use pgdiff::testing::{TestDb, server};
use std::path::{Path, PathBuf};

/// A test case: a folder with `from.sql` and `to.sql`.
#[derive(Debug, Clone)]
pub struct Case {
    /// `corpus/name` or `cases/name`.
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
}

impl Case {
    pub fn current_sql(&self) -> PathBuf {
        self.dir.join("from.sql")
    }
    pub fn desired_sql(&self) -> PathBuf {
        self.dir.join("to.sql")
    }
    /// Roles the case expects (corpus meta.json), created before loading.
    pub fn prerequisite_sql(&self) -> Option<String> {
        let meta = std::fs::read_to_string(self.dir.join("meta.json")).ok()?;
        let v: serde_json::Value = serde_json::from_str(&meta).ok()?;
        let mut sql = String::new();
        if let Some(s) = v.get("prerequisite_roles_sql").and_then(|s| s.as_str()) {
            sql.push_str(s);
        }
        if let Some(roles) = v.get("prerequisite_roles").and_then(|r| r.as_array()) {
            for r in roles.iter().filter_map(|r| r.as_str()) {
                sql.push_str(&format!(
                    "DO $$ BEGIN CREATE ROLE \"{r}\"; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"
                ));
            }
        }
        (!sql.is_empty()).then_some(sql)
    }
}

fn cases_in(root: &Path, prefix: &str) -> Vec<Case> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(root) else {
        return out;
    };
    for e in entries.flatten() {
        let dir = e.path();
        if dir.join("to.sql").is_file() {
            out.push(Case {
                name: format!("{prefix}{}", e.file_name().to_string_lossy()),
                dir,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The hand-written cases under tests/cases, minus those needing a newer server
/// (`_pg15` suffix needs 15+, and so on).
pub fn own_cases() -> Vec<Case> {
    let major = server().major();
    cases_in(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases"),
        "cases/",
    )
    .into_iter()
    .filter(|c| {
        let need = c
            .name
            .rsplit_once("_pg")
            .and_then(|(_, v)| v.parse::<u32>().ok())
            .unwrap_or(0);
        major >= need
    })
    .collect()
}

/// Where the third-party corpus is looked for: `PGDIFF_CORPUS` when set, else
/// `../shared/corpus` beside the checkout.
pub fn corpus_location() -> PathBuf {
    match std::env::var_os("PGDIFF_CORPUS").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

/// The third-party corpus folder, if present.
pub fn corpus_root() -> Option<PathBuf> {
    let root = corpus_location();
    root.is_dir().then_some(root)
}

/// All corpus cases (sqldef and pg-schema-diff), each case folder holding to.sql.
pub fn corpus_cases() -> Vec<Case> {
    let Some(root) = corpus_root() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for suite in ["sqldef", "pg-schema-diff"] {
        let dir = root.join(suite);
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.join("to.sql").is_file() {
                    let rel = p
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    out.push(Case { name: rel, dir: p });
                } else if p.is_dir() {
                    stack.push(p);
                }
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A fresh database with `sql_file` loaded (and the case's roles), or the psql error.
pub fn load(case: &Case, sql_file: &Path, label: &str) -> Result<TestDb, String> {
    let db = server().create_db(label);
    if let Some(pre) = case.prerequisite_sql() {
        db.psql(&pre)?;
    }
    db.psql_file(sql_file)?;
    Ok(db)
}

/// A runtime for calling the async library from a test.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Inspects a test database.
pub fn inspect(db: &TestDb) -> Schema {
    inspect_filtered(db, &Filter::default())
}

/// [`inspect`] with a schema filter.
pub fn inspect_filtered(db: &TestDb, filter: &Filter) -> Schema {
    rt().block_on(async {
        let target = pgdiff::conn::Target::parse(&db.conninfo()).unwrap();
        let client = target.connect().await.unwrap();
        catalog::inspect(&client, filter).await.unwrap().schema
    })
}

/// Runs the threads of `f` over `items` on all cores, collecting results in item order.
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<R>>> =
        items.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if i >= items.len() {
                        break;
                    }
                    let r = f(&items[i]);
                    *results[i].lock().unwrap() = Some(r);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|m| m.into_inner().unwrap().unwrap())
        .collect()
}
