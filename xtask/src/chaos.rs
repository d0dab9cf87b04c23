//! `cargo xtask chaos`: the fault matrix and the secrets audit (default), fuzzing (`--fuzz`),
//! the load run (`--load`). Each part prints its evidence and fails the task when it fails.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::steps::{in_session_bus, root, sh};

pub const FUZZ_TARGETS: [&str; 6] = [
    "deep_link",
    "oauth_callback",
    "map_smartrecruiters",
    "map_lever",
    "map_unberry",
    "resume_extract",
];

/// Seconds per fuzz target when not told: short enough for CI.
const DEFAULT_FUZZ_SECONDS: u64 = 20;

#[derive(Debug, PartialEq)]
enum Mode {
    MatrixAndAudit,
    Audit,
    Fuzz { seconds: u64, only: Option<String> },
    Load,
}

fn parse(args: &[String]) -> Result<Mode> {
    let mut mode = Mode::MatrixAndAudit;
    let mut seconds = None;
    let mut only = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--fuzz" => {
                mode = Mode::Fuzz {
                    seconds: 0,
                    only: None,
                }
            }
            "--audit" => mode = Mode::Audit,
            "--load" => mode = Mode::Load,
            "--seconds" => {
                let n = it.next().context("--seconds needs a number")?;
                seconds = Some(n.parse().context("--seconds needs a whole number")?);
            }
            "--target" => only = Some(it.next().context("--target needs a name")?.clone()),
            other => bail!("unknown chaos option `{other}`"),
        }
    }
    if let Mode::Fuzz { .. } = mode {
        if let Some(t) = &only
            && !FUZZ_TARGETS.contains(&t.as_str())
        {
            bail!(
                "unknown fuzz target `{t}` (one of {})",
                FUZZ_TARGETS.join(", ")
            );
        }
        mode = Mode::Fuzz {
            seconds: seconds.unwrap_or(DEFAULT_FUZZ_SECONDS),
            only,
        };
    } else if seconds.is_some() || only.is_some() {
        bail!("--seconds and --target go with --fuzz");
    }
    Ok(mode)
}

pub fn run(args: &[String]) -> Result<()> {
    match parse(args)? {
        Mode::MatrixAndAudit => {
            let (chaos, cli) = build_binaries(false)?;
            sh(&mut chaos_cmd(&chaos, &cli, "matrix"))?;
            sh(&mut chaos_cmd(&chaos, &cli, "audit"))
        }
        Mode::Audit => {
            let (chaos, cli) = build_binaries(false)?;
            sh(&mut chaos_cmd(&chaos, &cli, "audit"))
        }
        Mode::Load => {
            let (chaos, cli) = build_binaries(true)?;
            sh(&mut chaos_cmd(&chaos, &cli, "load"))
        }
        Mode::Fuzz { seconds, only } => fuzz(seconds, only.as_deref()),
    }
}

/// Builds the chaos runner and the `hirebridge` CLI it drives; returns their paths.
fn build_binaries(release: bool) -> Result<(PathBuf, PathBuf)> {
    let mut cmd = cargo();
    // fake-ats's own binary: the load run serves from a separate process.
    cmd.args([
        "build",
        "-p",
        "hirebridge-chaos",
        "-p",
        "hirebridge",
        "-p",
        "fake-ats",
    ]);
    if release {
        cmd.arg("--release");
    }
    sh(&mut cmd)?;
    let dir = target_dir().join(if release { "release" } else { "debug" });
    Ok((dir.join("hirebridge-chaos"), dir.join("hirebridge")))
}

/// The runner inside a private D-Bus session with an unlocked keyring, so the CLI children it
/// starts have a working keychain (the keychain cells take it away on purpose).
fn chaos_cmd(chaos: &std::path::Path, cli: &std::path::Path, what: &str) -> Command {
    let cli = cli.to_string_lossy().into_owned();
    let mut cmd = in_session_bus(chaos, &[what, "--cli", cli.as_str()]);
    cmd.current_dir(root());
    cmd
}

/// Builds every target, then runs each for `seconds` from the committed corpus. New inputs go
/// to a scratch corpus under target/, so the repository's corpus only changes on purpose.
fn fuzz(seconds: u64, only: Option<&str>) -> Result<()> {
    let fuzz_dir = root().join("fuzz");
    let fuzz_target_dir = target_dir().join("fuzz");
    let targets: Vec<&str> = FUZZ_TARGETS
        .iter()
        .copied()
        .filter(|t| only.is_none_or(|o| o == *t))
        .filter(|t| {
            fuzz_dir
                .join("fuzz_targets")
                .join(format!("{t}.rs"))
                .exists()
        })
        .collect();
    let mut build = Command::new("cargo");
    build
        .args([
            "+nightly",
            "fuzz",
            "build",
            "--sanitizer",
            "none",
            "--target-dir",
        ])
        .arg(&fuzz_target_dir)
        .current_dir(&fuzz_dir);
    sh(&mut build).context("building the fuzz targets (needs `rustup toolchain install nightly` and `cargo install cargo-fuzz`)")?;
    let mut failed = Vec::new();
    for target in &targets {
        let scratch = fuzz_target_dir.join("corpus").join(target);
        std::fs::create_dir_all(&scratch)?;
        let mut run = Command::new("cargo");
        run.args([
            "+nightly",
            "fuzz",
            "run",
            "--sanitizer",
            "none",
            "--target-dir",
        ])
        .arg(&fuzz_target_dir)
        .arg(target)
        .arg(&scratch)
        .arg(fuzz_dir.join("corpus").join(target))
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg("-max_len=65536")
        .arg("-rss_limit_mb=2048")
        .arg("-timeout=10")
        .current_dir(&fuzz_dir);
        if let Err(e) = sh(&mut run) {
            eprintln!(
                "fuzz target {target} FAILED: {e:#} (the crashing input is under fuzz/artifacts/{target}/)"
            );
            failed.push(*target);
        }
    }
    let missing: Vec<&str> = FUZZ_TARGETS
        .iter()
        .copied()
        .filter(|t| !targets.contains(t) && only.is_none_or(|o| o == *t))
        .collect();
    println!(
        "fuzz: {} target(s) ran {seconds} s each: {}{}",
        targets.len(),
        targets.join(", "),
        if missing.is_empty() {
            String::new()
        } else {
            format!(" (not built yet: {})", missing.join(", "))
        }
    );
    if !failed.is_empty() {
        bail!("fuzz targets that crashed: {}", failed.join(", "));
    }
    Ok(())
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_select_the_part_to_run() {
        assert_eq!(parse(&args(&[])).expect("default"), Mode::MatrixAndAudit);
        assert_eq!(parse(&args(&["--load"])).expect("load"), Mode::Load);
        assert_eq!(
            parse(&args(&["--fuzz", "--seconds", "300"])).expect("fuzz"),
            Mode::Fuzz {
                seconds: 300,
                only: None
            }
        );
        assert_eq!(
            parse(&args(&["--fuzz"])).expect("fuzz"),
            Mode::Fuzz {
                seconds: DEFAULT_FUZZ_SECONDS,
                only: None
            }
        );
        assert!(parse(&args(&["--seconds", "3"])).is_err());
        assert!(parse(&args(&["--fuzz", "--target", "nope"])).is_err());
        assert!(parse(&args(&["--bogus"])).is_err());
    }
}
