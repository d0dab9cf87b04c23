//! `hirebridge`: the Hirebridge core from a terminal.

mod args;
mod link;
mod push;
mod run;
mod search;
mod sync;
mod table;

use std::process::ExitCode;

use clap::Parser;

// The sync path allocates a lot of short-lived JSON; with glibc's allocator malloc/free were
// about 30 % of a sync's CPU in profiles, and mimalloc raised ingest by 30-70 % in the bench.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    // Logs go to stderr, off unless asked for with RUST_LOG: stdout carries the data.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error ({}): {}", kind_name(&e), e.message);
            ExitCode::FAILURE
        }
    }
}

fn kind_name(e: &hirebridge_core::Error) -> String {
    serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "error".to_owned())
}
