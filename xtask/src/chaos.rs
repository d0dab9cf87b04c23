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

/// Seconds per fuzz target when not told.
const DEFAULT_FUZZ_SECONDS: u64 = 20;
/// Seconds per fuzz target in `cargo xtask test` (CI): a smoke run over the committed corpus
/// plus a few seconds of new inputs. Longer runs are by hand (README).
pub const CI_FUZZ_SECONDS: u64 = 10;

#[derive(Debug, PartialEq)]
enum Mode {
    MatrixAndAudit,
    Audit,
    Fuzz(FuzzRun),
    Load,
}

#[derive(Debug, PartialEq, Clone)]
pub struct FuzzRun {
    pub seconds: u64,
    pub only: Option<String>,
    /// An unoptimized build (`cargo fuzz build --dev`): builds in less time, runs fewer inputs.
    pub dev: bool,
}

fn parse(args: &[String]) -> Result<Mode> {
    let mut mode = Mode::MatrixAndAudit;
    let mut seconds = None;
    let mut only = None;
    let mut dev = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--fuzz" => {
                mode = Mode::Fuzz(FuzzRun {
                    seconds: 0,
                    only: None,
                    dev: false,
                })
            }
            "--dev" => dev = true,
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
        mode = Mode::Fuzz(FuzzRun {
            seconds: seconds.unwrap_or(DEFAULT_FUZZ_SECONDS),
            only,
            dev,
        });
    } else if seconds.is_some() || only.is_some() || dev {
        bail!("--seconds, --target and --dev go with --fuzz");
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
        Mode::Fuzz(run) => fuzz(&run),
    }
}

/// The fuzz step of `cargo xtask test`: installs nightly and cargo-fuzz when missing, then one
/// unoptimized build of every target and `CI_FUZZ_SECONDS` each. Prints its duration.
pub fn ci_fuzz() -> Result<()> {
    let started = std::time::Instant::now();
    let result = fuzz(&FuzzRun {
        seconds: CI_FUZZ_SECONDS,
        only: None,
        dev: true,
    });
    eprintln!(
        "xtask: fuzzing (install, build, {} targets x {CI_FUZZ_SECONDS} s) took {:.0?}",
        FUZZ_TARGETS.len(),
        started.elapsed()
    );
    result
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

/// Builds every target once, then runs each for `seconds` from the committed corpus. New
/// inputs go to a scratch corpus under target/, so the repository's corpus only changes on
/// purpose. `fuzz/Cargo.lock` is committed and used as is (`--locked`).
fn fuzz(run: &FuzzRun) -> Result<()> {
    crate::deps::ensure_nightly()?;
    let cargo_fuzz = crate::deps::ensure_cargo_fuzz()?;
    let seconds = run.seconds;
    let only = run.only.as_deref();
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
    // `cargo +nightly fuzz` finds cargo-fuzz on PATH: put the one found or installed first.
    let path = match (cargo_fuzz.parent(), std::env::var_os("PATH")) {
        (Some(dir), Some(old)) => std::env::join_paths(
            std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&old)),
        )?,
        (Some(dir), None) => dir.as_os_str().to_owned(),
        (None, old) => old.unwrap_or_default(),
    };
    let fuzz_cmd = |sub: &str| {
        let mut cmd = Command::new("cargo");
        cmd.args(["+nightly", "fuzz", sub, "--sanitizer", "none"])
            .env("PATH", &path)
            // The stable cargo running xtask must not be the one cargo-fuzz calls.
            .env_remove("CARGO")
            .env_remove("RUSTUP_TOOLCHAIN")
            .current_dir(&fuzz_dir);
        if run.dev {
            // No debug info: the cold build took 257 s instead of 429 s here. A crash found in
            // CI is reproduced with the release build, which keeps line tables.
            cmd.arg("--dev").env("CARGO_PROFILE_DEV_DEBUG", "0");
        }
        cmd.arg("--target-dir").arg(&fuzz_target_dir);
        cmd
    };
    let mut build = fuzz_cmd("build");
    // Every target in one cargo build (no target name): the shared code compiles once.
    sh(&mut build).context("building the fuzz targets")?;
    let mut failed = Vec::new();
    for target in &targets {
        let scratch = fuzz_target_dir.join("corpus").join(target);
        std::fs::create_dir_all(&scratch)?;
        let mut cmd = fuzz_cmd("run");
        cmd.arg(target)
            .arg(&scratch)
            .arg(fuzz_dir.join("corpus").join(target))
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg("-max_len=65536")
            .arg("-rss_limit_mb=2048")
            .arg("-timeout=10");
        if let Err(e) = sh(&mut cmd) {
            eprintln!(
                "fuzz target {target} FAILED: {e:#} (the crashing input is under fuzz/artifacts/{target}/; \
                 there is none when the process died before libFuzzer's handler could run, as on a \
                 stack overflow in a thread: a bare SIGSEGV)"
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
        "fuzz: {} target(s) ran {seconds} s each ({} build): {}{}",
        targets.len(),
        if run.dev { "dev" } else { "release" },
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
            Mode::Fuzz(FuzzRun {
                seconds: 300,
                only: None,
                dev: false
            })
        );
        assert_eq!(
            parse(&args(&["--fuzz", "--dev"])).expect("fuzz"),
            Mode::Fuzz(FuzzRun {
                seconds: DEFAULT_FUZZ_SECONDS,
                only: None,
                dev: true
            })
        );
        assert!(parse(&args(&["--dev"])).is_err());
        assert!(parse(&args(&["--seconds", "3"])).is_err());
        assert!(parse(&args(&["--fuzz", "--target", "nope"])).is_err());
        assert!(parse(&args(&["--bogus"])).is_err());
    }
}
