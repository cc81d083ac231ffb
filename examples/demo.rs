//! The README's main job: starts a throwaway PostgreSQL cluster, creates a database holding
//! the previous version of the CRM schema (`examples/crm-v1/`), and runs `pgdiff plan` from
//! it to `desired/` (embedded shadow database included), printing the migration and then its
//! rollback. With `--empty`, the database starts empty instead. Other arguments are passed to
//! `pgdiff plan` (e.g. `--format sql`).

use pgdiff::cluster::{PgBinaries, TempCluster};
use std::process::{Command, Stdio};

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1);
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let empty = args.iter().any(|a| a == "--empty");
    args.retain(|a| a != "--empty");
    let (bins, _) = PgBinaries::find(None).unwrap_or_else(|e| fail(e));
    let cluster = TempCluster::start(&bins).unwrap_or_else(|e| fail(e));
    let conninfo = cluster.conninfo("postgres");
    if !empty {
        let mut files: Vec<_> = std::fs::read_dir("examples/crm-v1")
            .unwrap_or_else(|e| fail(format!("reading examples/crm-v1: {e}")))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        files.sort();
        eprintln!(
            "loading examples/crm-v1 ({} files) into a throwaway database",
            files.len()
        );
        for f in files {
            let ok = Command::new(bins.client("psql"))
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &conninfo, "-f"])
                .arg(&f)
                .stdout(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !ok {
                fail(format!("loading {}", f.display()));
            }
        }
    }
    let exe = std::env::current_exe().expect("own path");
    let pgdiff = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("pgdiff"))
        .expect("target directory");
    let rollback =
        std::env::temp_dir().join(format!("pgdiff-demo-rollback-{}.sql", std::process::id()));
    let status = Command::new(&pgdiff)
        .args(["plan", "--database", &conninfo, "--desired", "desired"])
        .arg("--rollback-out")
        .arg(&rollback)
        .args(&args)
        .status()
        .unwrap_or_else(|e| fail(format!("running pgdiff: {e}")));
    if status.success() {
        println!("\n-- rollback plan ------------------------------------------------------");
        print!("{}", std::fs::read_to_string(&rollback).unwrap_or_default());
    }
    let _ = std::fs::remove_file(&rollback);
    drop(cluster);
    std::process::exit(status.code().unwrap_or(1));
}
