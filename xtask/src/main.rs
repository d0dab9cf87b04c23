//! `cargo xtask run | test | e2e | bundle | bench`: the project's two-command contract and friends.
//! Plain `std::process` on purpose: it must run on a fresh machine before anything is installed.

mod chaos;
mod deps;
mod steps;

use anyhow::{Result, bail};

const USAGE: &str = "usage: cargo xtask <run|test|e2e|bundle|bench> [options]
  run              install what is missing, build the UI and start the app on the demo accounts
  test             everything CI checks: fmt, clippy, Rust tests, keychain tests, UI checks, e2e
    --no-e2e         skip the end-to-end suite
    --no-fuzz        skip the short fuzz run (CI runs it)
  e2e [FILES...]   only the end-to-end suite (all of tests/e2e, or the given test files)
  bundle           build .deb and .rpm packages
  bench            print the benchmark figures (Rust benches, then the UI search at ~100k)
    --no-ui          only the Rust benches
    --ui-only        only the UI search figure
    --release        (UI part) drive the release build of the app, as `tauri build` makes it
  chaos            fault matrix + secrets audit against fake-ats (table; fails on any failed cell)
    --audit          the secrets audit only
    --fuzz [--seconds N] [--target T] [--dev]   each cargo-fuzz target for N s (default 20; --dev: unoptimized build)
    --load           1M candidates over three accounts synced while searching (release build; 32 min in a dev build)";

fn main() {
    if let Err(err) = run() {
        eprintln!("xtask: {err:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match args.split_first() {
        Some((cmd, rest)) => (cmd.as_str(), rest),
        None => bail!("{USAGE}"),
    };
    match cmd {
        "run" => steps::run_app(rest),
        "test" => steps::test(rest),
        "e2e" => steps::e2e_only(rest),
        "bundle" => steps::bundle(),
        "bench" => steps::bench(rest),
        "chaos" => chaos::run(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown task `{other}`\n{USAGE}"),
    }
}
