//! The tasks themselves.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::deps;

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Runs `cmd`, echoing it, and fails if it fails.
pub fn sh(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let started = Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    // Where CI's time goes: every step says how long it took.
    eprintln!("xtask: {:.0?} for `{}`", started.elapsed(), describe(cmd));
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

pub fn status_ok(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Builds the workspace's own crates with clippy's driver and `-D warnings`: the lints of
/// `cargo clippy --all-targets -- -D warnings`, in the real build. `cargo clippy` would check every
/// dependency a second time in check mode first (more than 5 of a cold CI run's minutes);
/// dependencies are not affected by the wrapper, so they stay shared with plain builds. Every
/// cargo command of `cargo xtask test` and `cargo xtask e2e` goes through this, so they share
/// one build of the workspace.
pub fn lint_while_building(cmd: &mut Command) -> &mut Command {
    cmd.env("RUSTC_WORKSPACE_WRAPPER", clippy_driver())
        // How `cargo clippy -- -D warnings` hands its lint flags to the driver.
        .env(
            "CLIPPY_ARGS",
            "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
        )
}

fn clippy_driver() -> std::path::PathBuf {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let exe = format!("clippy-driver{}", std::env::consts::EXE_SUFFIX);
    match sysroot {
        Some(root) if Path::new(&root).join("bin").join(&exe).exists() => {
            Path::new(&root).join("bin").join(exe)
        }
        _ => exe.into(),
    }
}

fn npm(dir: &Path, script: &str) -> Result<()> {
    let mut cmd = Command::new("npm");
    cmd.args(["run", "--silent", script]).current_dir(dir);
    sh(&mut cmd)
}

/// Installs what is missing and builds the UI (the app embeds `ui/dist`).
fn prepare() -> Result<()> {
    deps::ensure_system_packages()?;
    let ui = root().join("ui");
    deps::ensure_npm(&ui)?;
    // The third-party OAuth server (oidc-provider) the linking tests run against.
    deps::ensure_npm(&root().join("tests/oauth-server"))?;
    npm(&ui, "build")
}

/// Shell snippet: start GNOME Keyring with a throwaway, unlocked login keyring, then run "$@".
/// The keyring lives in a fresh directory: a login keyring left in the user's profile by another
/// run (with another password) would otherwise stay locked and every keychain write would fail.
/// Only the daemon sees the throwaway `XDG_DATA_HOME`; the program keeps the user's, so the app's
/// data dir persists between headless runs.
const UNLOCKED_KEYRING_THEN_EXEC: &str = "printf hirebridge | XDG_DATA_HOME=\"$(mktemp -d)\" \
     gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; \
     exec \"$@\"";

/// Wraps `cmd` in a private D-Bus session with an unlocked GNOME Keyring, so the Secret Service
/// and single-instance forwarding work on a headless machine. Does nothing where a session bus
/// already exists or on other systems.
pub(crate) fn in_session_bus(program: &Path, args: &[&str]) -> Command {
    let needs_bus = cfg!(target_os = "linux")
        && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
        && deps::which("dbus-run-session");
    if !needs_bus {
        let mut cmd = Command::new(program);
        cmd.args(args);
        return cmd;
    }
    let mut cmd = Command::new("dbus-run-session");
    cmd.args(["--", "sh", "-c", UNLOCKED_KEYRING_THEN_EXEC, "sh"])
        .arg(program)
        .args(args);
    cmd
}

/// A private X server for machines without a display.
struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// Lets Xvfb pick a free display itself (`-displayfd`): it skips displays in use and
    /// reclaims the lock files of X servers that died without removing them.
    fn start() -> Result<Self> {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start Xvfb")?;
        let stdout = child.stdout.take().context("Xvfb's standard output")?;
        // Xvfb writes the display number once it accepts connections.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
            let _ = tx.send(line);
        });
        let mut xvfb = Self {
            child,
            display: String::new(),
        };
        let line = rx
            .recv_timeout(Duration::from_secs(10))
            .context("Xvfb did not start within 10 s")?;
        let number: u32 = line
            .trim()
            .parse()
            .with_context(|| format!("Xvfb gave no display number (it said {line:?})"))?;
        xvfb.display = format!(":{number}");
        Ok(xvfb)
    }
}

impl Drop for Xvfb {
    /// SIGTERM first: Xvfb then removes its lock file, which SIGKILL would leave behind.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn run_app(args: &[String]) -> Result<()> {
    let mut screenshot: Option<PathBuf> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--screenshot" => screenshot = iter.next().map(PathBuf::from),
            other => bail!("unknown option for run: {other}"),
        }
    }
    prepare()?;
    sh(cargo().args(["build", "-p", "hirebridge-app"]))?;
    let app = target_dir().join("debug/hirebridge-app");

    let xvfb = if std::env::var_os("DISPLAY").is_none() && cfg!(target_os = "linux") {
        let x = Xvfb::start()?;
        eprintln!(
            "xtask: no DISPLAY, so Hirebridge runs under Xvfb on {} (invisible). \
             Take a screenshot with `cargo xtask run --screenshot shot.png`.",
            x.display
        );
        Some(x)
    } else {
        None
    };

    let mut cmd = in_session_bus(&app, &["--demo"]);
    if let Some(x) = &xvfb {
        cmd.env("DISPLAY", &x.display);
    }
    eprintln!("$ {}", describe(&cmd));
    let mut child = cmd.spawn().context("could not start hirebridge-app")?;

    if let Some(path) = screenshot {
        std::thread::sleep(Duration::from_secs(8));
        let display = xvfb
            .as_ref()
            .map(|x| x.display.clone())
            .or_else(|| std::env::var("DISPLAY").ok())
            .unwrap_or_default();
        if !deps::which("import") {
            eprintln!("xtask: installing imagemagick for the screenshot");
            let _ = sh(Command::new("apt-get").args(["install", "-y", "-qq", "imagemagick"]));
        }
        sh(Command::new("import")
            .args(["-display", &display, "-window", "root"])
            .arg(&path))?;
        eprintln!("xtask: screenshot saved to {}", path.display());
        let _ = child.kill();
        let _ = child.wait();
        return Ok(());
    }

    let status = child.wait()?;
    if !status.success() {
        bail!("hirebridge-app exited with {status}");
    }
    Ok(())
}

pub fn test(args: &[String]) -> Result<()> {
    let e2e = !args.iter().any(|a| a == "--no-e2e");
    let fuzz = !args.iter().any(|a| a == "--no-fuzz");
    let started = Instant::now();
    prepare()?;
    let ui = root().join("ui");

    sh(cargo().args(["fmt", "--all", "--", "--check"]))?;
    // Clippy with `-D warnings` on every target, in the same build the tests run from (see
    // `lint_while_building`).
    sh(lint_while_building(cargo().args([
        "test",
        "--workspace",
        "--all-targets",
        "--no-run",
    ])))?;

    // Rust tests, including the Secret Service keychain round trip, inside a private session bus.
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut tests = in_session_bus(
        Path::new(&cargo_bin),
        &["test", "--workspace", "--no-fail-fast"],
    );
    tests.current_dir(root());
    sh(lint_while_building(&mut tests))?;
    keychain_tests()?;
    if fuzz {
        crate::chaos::ci_fuzz()?;
    }

    npm(&ui, "check")?;
    npm(&ui, "lint")?;
    npm(&ui, "test")?;

    if e2e {
        end_to_end(&[])?;
    }
    eprintln!("xtask: all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

/// The real keychain backends, each in the environment it needs: the Secret Service (GNOME
/// Keyring on a private session bus) and the kernel keyring (a fresh session keyring, no D-Bus).
fn keychain_tests() -> Result<()> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let test = |name: &'static str| {
        vec![
            // Every test target of the workspace, like the main test run, with a filter that only
            // this ignored test passes: naming the target (`--test keychain_roundtrip`) leaves the
            // other packages' dev-dependencies out of feature resolution, and the different
            // features rebuilt the core and its dependencies (3 minutes in CI).
            "test",
            "--workspace",
            "--",
            "--ignored",
            "--exact",
            name,
        ]
    };
    let mut secret_service = Command::new("dbus-run-session");
    secret_service
        .args([
            "--",
            "sh",
            "-c",
            UNLOCKED_KEYRING_THEN_EXEC,
            "sh",
            &cargo_bin,
        ])
        .args(test("secret_service_round_trip"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .current_dir(root());
    sh(lint_while_building(&mut secret_service))?;

    let mut kernel = Command::new("keyctl");
    kernel
        .args(["session", "-", &cargo_bin])
        .args(test("kernel_keyring_round_trip"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .current_dir(root());
    sh(lint_while_building(&mut kernel))
}

/// `cargo xtask e2e [FILES...]`: builds what the suite needs and runs it (or only `files`).
pub fn e2e_only(files: &[String]) -> Result<()> {
    prepare()?;
    end_to_end(files)
}

fn end_to_end(files: &[String]) -> Result<()> {
    // A hung WebDriver call fails its test after two minutes instead of stalling CI.
    end_to_end_with(files, &[], "--test-timeout=120000", AppBuild::Debug)
}

/// Which build of the app the end-to-end suite drives.
#[derive(Clone, Copy, PartialEq)]
enum AppBuild {
    Debug,
    Release,
}

fn end_to_end_with(
    files: &[String],
    env: &[(&str, &str)],
    timeout: &str,
    build: AppBuild,
) -> Result<()> {
    let app = match build {
        AppBuild::Debug => {
            // The same build `cargo test --workspace` makes (dev-dependency features on, e.g.
            // Tauri's mock runtime for the shell's tests): after the test step it is already
            // fresh, where a plain `cargo build -p hirebridge-app` would rebuild Tauri and the
            // app (~2 min in CI).
            sh(lint_while_building(cargo().args([
                "test",
                "--workspace",
                "--no-run",
            ])))?;
            target_dir().join("debug/hirebridge-app")
        }
        AppBuild::Release => {
            sh(cargo().args([
                "build",
                "--release",
                "-p",
                "hirebridge-app",
                "--features",
                "custom-protocol",
            ]))?;
            target_dir().join("release/hirebridge-app")
        }
    };
    let driver = deps::ensure_tauri_driver()?;
    let shots = target_dir().join("e2e-screenshots");
    std::fs::create_dir_all(&shots)?;
    let x = Xvfb::start()?;
    let mut node_args = vec!["--test", "--test-concurrency=1", timeout];
    if files.is_empty() {
        node_args.push("tests/e2e/");
    } else {
        node_args.extend(files.iter().map(String::as_str));
    }
    let mut cmd = in_session_bus(Path::new("node"), &node_args);
    cmd.current_dir(root())
        .env("DISPLAY", &x.display)
        .env("HIREBRIDGE_APP", &app)
        .env("TAURI_DRIVER", &driver)
        .env("HIREBRIDGE_SCREENSHOTS", &shots)
        // No accessibility bus is needed; WEBKIT_DISABLE_COMPOSITING_MODE is deliberately not
        // set: under Xvfb it made WebDriver calls hang.
        .env("NO_AT_BRIDGE", "1");
    cmd.envs(env.iter().copied());
    sh(&mut cmd)
}

pub fn bundle() -> Result<()> {
    prepare()?;
    let tauri = deps::ensure_tauri_cli()?;
    let mut cmd = Command::new(tauri);
    cmd.args(["build", "--bundles", "deb,rpm", "--ci"])
        .current_dir(root().join("src-tauri"))
        .env("NO_STRIP", "true");
    sh(&mut cmd)?;
    let dir = target_dir().join("release/bundle");
    eprintln!("xtask: packages are in {}", dir.display());
    for sub in ["deb", "rpm"] {
        if let Ok(entries) = std::fs::read_dir(dir.join(sub)) {
            for entry in entries.flatten() {
                eprintln!("  {}", entry.path().display());
            }
        }
    }
    Ok(())
}

pub fn bench(args: &[String]) -> Result<()> {
    if !args.iter().any(|a| a == "--ui-only") {
        bench_rust()?;
    }
    if !args.iter().any(|a| a == "--no-ui") {
        // Keystroke → updated list in the real window at ~100k cached candidates (35,700 per
        // demo vendor); the CI suite runs the same test on a smaller cache.
        prepare()?;
        // `--release`: the app as recruiters get it (`tauri build`'s profile and features).
        let build = if args.iter().any(|a| a == "--release") {
            AppBuild::Release
        } else {
            AppBuild::Debug
        };
        // Caching ~100k candidates from the demo servers takes minutes: a 30-minute limit.
        end_to_end_with(
            &["tests/e2e/search-bench.test.mjs".to_owned()],
            &[("HIREBRIDGE_BENCH_CANDIDATES", "35700")],
            "--test-timeout=1800000",
            build,
        )?;
    }
    Ok(())
}

fn bench_rust() -> Result<()> {
    let benches_exist = |pkg: &str| root().join(pkg).join("benches").is_dir();
    let mut ran = false;
    for (pkg, dir) in [
        ("fake-ats", "crates/fake-ats"),
        ("hirebridge-core", "crates/core"),
    ] {
        if benches_exist(dir) {
            sh(cargo().args(["bench", "-p", pkg]))?;
            ran = true;
        }
    }
    if !ran {
        bail!("no benchmarks found");
    }
    Ok(())
}
