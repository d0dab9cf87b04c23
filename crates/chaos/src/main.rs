//! `hirebridge-chaos`: proves Hirebridge holds under faults. Usually run through
//! `cargo xtask chaos`, which builds it and the `hirebridge` CLI it drives.
//!
//! - `matrix --cli PATH`: every fault × operation against fake-ats; prints the table, fails if a
//!   cell fails;
//! - `audit --cli PATH`: a scripted CLI session with known secrets, then a scan for them;
//! - `load`: three accounts, 1M candidates in all, synced while searching.

mod audit;
mod load;
mod matrix;
mod network;
mod process;
mod push_cells;
mod storage;
mod token_cells;
mod world;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str = "usage: hirebridge-chaos <matrix|audit|load> [--cli PATH] [--candidates N]
       hirebridge-chaos hold-lock <db file>   (internal: holds BEGIN EXCLUSIVE until killed)";

struct Args {
    what: String,
    cli: PathBuf,
    candidates: Option<usize>,
    rest: Vec<String>,
}

fn parse() -> Result<Args> {
    let mut it = std::env::args().skip(1);
    let what = it.next().context(USAGE)?;
    let mut cli = None;
    let mut candidates = None;
    let mut rest = Vec::new();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--cli" => cli = Some(PathBuf::from(it.next().context("--cli needs a path")?)),
            "--candidates" => {
                candidates = Some(
                    it.next()
                        .context("--candidates needs a number")?
                        .parse()
                        .context("--candidates needs a number")?,
                )
            }
            _ => rest.push(arg),
        }
    }
    let cli = match cli {
        Some(c) => c,
        None => std::env::current_exe()?
            .parent()
            .map(|d| d.join("hirebridge"))
            .context("no directory for the CLI")?,
    };
    Ok(Args {
        what,
        cli,
        candidates,
        rest,
    })
}

// The same allocator as the app and the CLI, so the load run measures what they run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e:#}");
            return ExitCode::FAILURE;
        }
    };
    if args.what == "hold-lock" {
        return match storage::hold_lock(args.rest.first().map(PathBuf::from)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("hold-lock: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chaos: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<()> {
    match args.what.as_str() {
        "matrix" => {
            if !args.cli.exists() {
                bail!(
                    "the hirebridge CLI is not at {} (build it, or pass --cli)",
                    args.cli.display()
                );
            }
            let only: Option<&str> = args.rest.first().map(String::as_str);
            let rows = matrix::run(&args.cli, only).await;
            println!("{}", matrix::table(&rows));
            let failed = matrix::failures(&rows);
            if failed > 0 {
                bail!("{failed} cell(s) of the fault matrix failed");
            }
            Ok(())
        }
        "audit" => audit::run(&args.cli).await,
        "load" => load::run(args.candidates.unwrap_or(1_000_000)).await,
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}
