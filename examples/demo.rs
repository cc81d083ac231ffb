//! The README's main job: starts a throwaway PostgreSQL cluster, creates an empty database,
//! and runs `pgdiff plan` from it to `desired/` (the embedded shadow included), printing the
//! migration and its rollback. Extra arguments are passed to `pgdiff plan`.

use pgdiff::cluster::{PgBinaries, TempCluster};
use std::process::Command;

fn main() {
    let (bins, _) = PgBinaries::find(None).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1);
    });
    let cluster = TempCluster::start(&bins).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1);
    });
    let exe = std::env::current_exe().expect("own path");
    let pgdiff = exe
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("pgdiff"))
        .expect("target directory");
    let rollback =
        std::env::temp_dir().join(format!("pgdiff-demo-rollback-{}.sql", std::process::id()));
    let status = Command::new(&pgdiff)
        .args([
            "plan",
            "--database",
            &cluster.conninfo("postgres"),
            "--desired",
            "desired",
        ])
        .arg("--rollback-out")
        .arg(&rollback)
        .args(std::env::args().skip(1))
        .status()
        .expect("running pgdiff");
    if status.success() {
        println!("\n-- rollback plan ------------------------------------------------------");
        print!("{}", std::fs::read_to_string(&rollback).unwrap_or_default());
    }
    let _ = std::fs::remove_file(&rollback);
    drop(cluster);
    std::process::exit(status.code().unwrap_or(1));
}
