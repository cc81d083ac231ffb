//! The `pgdiff` binary: parses arguments, runs the command, maps the outcome to an exit
//! code. Ctrl-C drops temporary databases and stops the embedded cluster before exiting.

use clap::Parser;

fn main() {
    let cli = pgdiff::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the runtime: {e}");
            std::process::exit(1);
        }
    };
    let code = runtime.block_on(async {
        tokio::select! {
            result = pgdiff::app::run(cli) => match result {
                Ok(code) => code,
                Err(e) => {
                    if !e.message.is_empty() {
                        eprintln!("error: {}", e.message);
                    }
                    e.code
                }
            },
            _ = interrupted() => {
                // Dropping the command's future above stopped any embedded cluster.
                pgdiff::source::shadow::drop_registered_databases().await;
                eprintln!("interrupted: temporary databases dropped");
                130
            }
        }
    });
    drop(runtime);
    std::process::exit(code);
}

async fn interrupted() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("SIGINT handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}
