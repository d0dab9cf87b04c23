//! Installing what the build and tests need: Debian packages, npm packages, tauri-driver.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::steps::{root, sh, status_ok};

/// Debian packages for building the app, its end-to-end tests and the keychain tests.
pub const APT_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libjavascriptcoregtk-4.1-dev",
    "libgtk-3-dev",
    "libsoup-3.0-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libssl-dev",
    "libdbus-1-dev",
    "pkg-config",
    "build-essential",
    "file",
    "webkit2gtk-driver",
    "xvfb",
    "xauth",
    "dbus",
    "dbus-x11",
    "at-spi2-core",
    "keyutils",
    "gnome-keyring",
    "libsecret-tools",
    "xdg-utils",
    "rpm",
    "fonts-noto-core",
    // The demo data has Chinese, Japanese and Korean names; without these they show as boxes.
    "fonts-noto-cjk",
    "nodejs",
    "npm",
];

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

/// Installs the missing Debian packages (as root), or says exactly what to run.
pub fn ensure_system_packages() -> Result<()> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    if !Path::new("/usr/bin/dpkg-query").exists() {
        eprintln!(
            "xtask: not a Debian-like system; install the equivalents of: {}",
            APT_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    // npm comes with Node on machines that have it from elsewhere.
    let missing: Vec<&str> = missing
        .into_iter()
        .filter(|p| !(matches!(*p, "nodejs" | "npm") && which("node") && which("npm")))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if !is_root {
        bail!(
            "missing system packages; run as root:\n  apt-get update && apt-get install -y --no-install-recommends {}",
            missing.join(" ")
        );
    }
    eprintln!("xtask: installing system packages: {}", missing.join(" "));
    let mut update = Command::new("apt-get");
    update.args(["update", "-qq"]);
    sh(&mut update)?;
    let mut install = Command::new("apt-get");
    install
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive");
    sh(&mut install)
}

pub fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// `npm ci` in `dir` when its node_modules is missing or older than its lockfile.
pub fn ensure_npm(dir: &Path) -> Result<()> {
    let lock = dir.join("package-lock.json");
    let marker = dir.join("node_modules/.package-lock.json");
    let fresh = match (lock.metadata(), marker.metadata()) {
        (Ok(l), Ok(m)) => match (l.modified(), m.modified()) {
            (Ok(l), Ok(m)) => m >= l,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    eprintln!("xtask: npm ci in {}", dir.display());
    let mut cmd = Command::new("npm");
    cmd.args(["ci", "--no-audit", "--no-fund"]).current_dir(dir);
    sh(&mut cmd).with_context(|| format!("npm ci in {}", dir.display()))
}

/// The pinned tauri-driver, installed under `tools/` in the repository (not on the system).
pub fn ensure_tauri_driver() -> Result<std::path::PathBuf> {
    let tools = root().join("tools");
    let bin = tools.join("bin/tauri-driver");
    if bin.is_file() {
        return Ok(bin);
    }
    eprintln!("xtask: installing tauri-driver 2.1.0");
    let mut cmd = Command::new("cargo");
    // A debug build: it only relays WebDriver calls, and it compiles in about half the time.
    cmd.args([
        "install",
        "tauri-driver@2.1.0",
        "--locked",
        "--debug",
        "--root",
    ])
    .arg(&tools);
    sh(&mut cmd)?;
    if !status_ok(Command::new(&bin).arg("--help")) {
        bail!("tauri-driver was installed but does not run");
    }
    Ok(bin)
}

/// The Tauri CLI (for bundling only), from npm into `tools/tauri-cli`. It is not a UI dependency:
/// its per-platform binaries would have to be in the UI's lockfile for `npm ci` to accept it.
pub fn ensure_tauri_cli() -> Result<std::path::PathBuf> {
    let dir = root().join("tools/tauri-cli");
    let bin = dir.join("node_modules/.bin/tauri");
    if bin.is_file() {
        return Ok(bin);
    }
    std::fs::create_dir_all(&dir)?;
    eprintln!("xtask: installing @tauri-apps/cli 2.12.5");
    let mut cmd = Command::new("npm");
    cmd.args([
        "install",
        "--no-audit",
        "--no-fund",
        "--no-save",
        "--prefix",
    ])
    .arg(&dir)
    .arg("@tauri-apps/cli@2.12.5");
    sh(&mut cmd)?;
    if !bin.is_file() {
        bail!(
            "the Tauri CLI was installed but {} is missing",
            bin.display()
        );
    }
    Ok(bin)
}

/// The nightly toolchain cargo-fuzz builds with (libFuzzer needs `-Z` flags): the minimal
/// profile, about 80 MB to download, when it is missing.
pub fn ensure_nightly() -> Result<()> {
    let listed = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .context("rustup is needed to install the nightly toolchain for fuzzing")?;
    if String::from_utf8_lossy(&listed.stdout)
        .lines()
        .any(|l| l.starts_with("nightly"))
    {
        return Ok(());
    }
    eprintln!("xtask: installing the nightly toolchain (minimal profile) for fuzzing");
    let mut cmd = Command::new("rustup");
    cmd.args(["toolchain", "install", "nightly", "--profile", "minimal"]);
    sh(&mut cmd)
}

/// cargo-fuzz: the one on PATH, or a pinned one installed under `tools/`. A release build: on
/// the 2-core build machine it installed cold in 41 s, a `--debug` one in 79 s (its link step).
pub fn ensure_cargo_fuzz() -> Result<std::path::PathBuf> {
    if let Some(found) = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("cargo-fuzz"))
            .find(|p| p.is_file())
    }) {
        return Ok(found);
    }
    let tools = root().join("tools");
    let bin = tools.join("bin/cargo-fuzz");
    if bin.is_file() {
        return Ok(bin);
    }
    eprintln!("xtask: installing cargo-fuzz 0.13.2");
    let mut cmd = Command::new("cargo");
    cmd.args(["install", "cargo-fuzz@0.13.2", "--locked", "--root"])
        .arg(&tools);
    sh(&mut cmd)?;
    if !status_ok(Command::new(&bin).args(["fuzz", "--version"])) {
        bail!("cargo-fuzz was installed but does not run");
    }
    Ok(bin)
}
