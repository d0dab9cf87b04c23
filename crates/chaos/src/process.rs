//! Cells that need real processes: the `hirebridge` CLI killed with SIGKILL mid-operation, and
//! the OS keychain (Secret Service) gone. The CLI runs on its own data dir, with the keychain
//! of the D-Bus session this runner lives in (`cargo xtask chaos` starts one with GNOME Keyring).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fake_ats::{FaultSpec, RunningFake};
use hirebridge_core::Vendor;
use hirebridge_core::accounts::{Account, AccountStore, api_key_header};
use hirebridge_core::connectors::{self, Connector};
use hirebridge_core::http::StaticCredentials;
use hirebridge_core::secrets::Secret;
use hirebridge_core::sync::{SyncConfig, SyncEngine, SyncOptions};
use sqlx::SqlitePool;

use crate::matrix::{Cell, Fault, Op};
use crate::world::{self, Snapshot, VENDORS, diff, snapshot, spawn_fake, vendor_id, vendor_info};

const CANDIDATES: usize = 600;
/// A D-Bus address where nothing listens: the Secret Service is gone.
const DEAD_BUS: &str = "unix:path=/nonexistent/hirebridge-chaos-bus";
/// What the CLI must say when the keychain is missing: that the keychain is the problem, which
/// store it looked in, and what to do.
fn names_keychain(text: &str) -> bool {
    let t = text.to_lowercase();
    (t.contains("keychain") || t.contains("keyring"))
        && (t.contains("kernel keyring") || t.contains("secret service"))
        && (t.contains("unlock") || t.contains("start"))
}

/// The `hirebridge` CLI on one data dir.
pub struct CliRun {
    pub exe: PathBuf,
    pub data_dir: PathBuf,
    /// Run without a Secret Service.
    pub no_keychain: bool,
    /// Extra environment (e.g. RUST_LOG for the audit).
    pub env: Vec<(String, String)>,
}

impl CliRun {
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.exe);
        cmd.arg("--data-dir").arg(&self.data_dir).args(args);
        if self.no_keychain {
            cmd.env("DBUS_SESSION_BUS_ADDRESS", DEAD_BUS);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Result<Output> {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", self.exe.display()))?;
        if let Some(mut input) = child.stdin.take()
            && let Some(text) = stdin
        {
            input.write_all(text.as_bytes())?;
        }
        Ok(child.wait_with_output()?)
    }

    /// Runs and fails unless the command succeeds.
    pub fn ok(&self, args: &[&str], stdin: Option<&str>) -> Result<Output> {
        let out = self.run(args, stdin)?;
        if !out.status.success() {
            bail!(
                "`hirebridge {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(out)
    }

    pub fn spawn(&self, args: &[&str]) -> Result<Child> {
        Ok(self
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?)
    }

    /// Links an API-key account for `vendor` on the fake.
    pub fn add_api_key(&self, fake: &RunningFake, vendor: Vendor) -> Result<Output> {
        let info = vendor_info(fake, vendor);
        let label = world::label(vendor);
        self.ok(
            &[
                "accounts",
                "add",
                "--vendor",
                vendor.as_str(),
                "--api-key-stdin",
                "--base-url",
                &info.base_url,
                "--label",
                &label,
            ],
            Some(&info.api_key),
        )
    }

    /// Links through OAuth: the CLI prints the authorization URL, this side plays the browser.
    pub async fn link_oauth(
        &self,
        fake: &RunningFake,
        vendor: Vendor,
        label: &str,
    ) -> Result<Output> {
        let mut child = self.spawn_oauth(fake, vendor, label)?;
        let (url, stdout) = read_open_line(&mut child)?;
        world::follow(url).await?;
        let mut out = tokio::task::spawn_blocking(move || child.wait_with_output()).await??;
        out.stdout = stdout.join().unwrap_or_default();
        if !out.status.success() {
            bail!(
                "OAuth link of {vendor} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(out)
    }

    pub fn spawn_oauth(&self, fake: &RunningFake, vendor: Vendor, label: &str) -> Result<Child> {
        let info = vendor_info(fake, vendor);
        let mut child = self
            .command(&[
                "accounts",
                "link",
                "--vendor",
                vendor.as_str(),
                "--oauth",
                "--no-browser",
                "--label",
                label,
                "--base-url",
                &info.base_url,
                "--authorize-url",
                &info.oauth.authorize_url,
                "--token-url",
                &info.oauth.token_url,
                "--client-id",
                &info.oauth.client_id,
                "--client-secret-stdin",
                "--timeout-secs",
                "60",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        if let Some(mut input) = child.stdin.take() {
            input.write_all(info.oauth.client_secret.as_bytes())?;
        }
        Ok(child)
    }
}

/// The `Open: <url>` line the CLI prints when it starts an OAuth flow, and a thread collecting
/// the rest of its stdout (everything printed, for the secrets audit).
pub fn read_open_line(
    child: &mut Child,
) -> Result<(hirebridge_core::auth::Url, std::thread::JoinHandle<Vec<u8>>)> {
    let stdout = child.stdout.take().context("no stdout")?;
    let mut reader = BufReader::new(stdout);
    let mut seen = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            bail!("the CLI ended without printing the authorization URL");
        }
        seen.extend_from_slice(line.as_bytes());
        if let Some(url) = line.trim().strip_prefix("Open: ") {
            let url = hirebridge_core::auth::Url::parse(url)?;
            // Keep draining stdout so the child never blocks on a full pipe.
            let rest = std::thread::spawn(move || {
                let mut all = seen;
                let _ = std::io::Read::read_to_end(&mut reader, &mut all);
                all
            });
            return Ok((url, rest));
        }
    }
}

/// The CLI's cache, read by this process.
async fn open_cache(dir: &Path) -> Result<SqlitePool> {
    Ok(hirebridge_core::db::open(dir).await?)
}

/// A clean full sync of the API-key accounts in `pool`, in a fresh in-memory cache.
async fn reference(fake: &RunningFake, pool: &SqlitePool) -> Result<Snapshot> {
    let accounts = AccountStore::new(pool.clone()).list().await?;
    let fresh = hirebridge_core::db::open_in_memory().await?;
    let store = AccountStore::new(fresh.clone());
    let http = world::http_client()?;
    let engine = SyncEngine::new(fresh.clone(), SyncConfig::default());
    for a in &accounts {
        store.insert(a).await?;
        let connector = api_key_connector(fake, a, &http)?;
        engine
            .sync_account(
                connector,
                &SyncOptions {
                    full: true,
                    ..SyncOptions::default()
                },
            )
            .await
            .with_context(|| format!("reference sync of {}", a.label))?;
    }
    snapshot(&fresh).await
}

fn api_key_connector(
    fake: &RunningFake,
    a: &Account,
    http: &hirebridge_core::http::HttpClient,
) -> Result<Arc<dyn Connector>> {
    let key = vendor_info(fake, a.vendor).api_key;
    let creds = Arc::new(StaticCredentials(api_key_header(
        a.vendor,
        Secret::new(key),
    )));
    Ok(connectors::for_account(a, creds, http)?)
}

/// Waits until the CLI's sync has committed at least `pages` pages of candidates somewhere.
async fn wait_for_pages(pool: &SqlitePool, child: &mut Child, pages: i64) -> Result<()> {
    let started = Instant::now();
    loop {
        let done: Option<i64> = sqlx::query_scalar(
            "SELECT max(run_requests) FROM sync_state WHERE run_id IS NOT NULL AND resource IN ('candidates','applications')",
        )
        .fetch_one(pool)
        .await?;
        if done.unwrap_or(0) >= pages {
            return Ok(());
        }
        if child.try_wait()?.is_some() {
            bail!("the CLI finished before it could be killed (make the fake slower)");
        }
        if started.elapsed() > Duration::from_secs(90) {
            bail!("the CLI never got going");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn kill(mut child: Child) -> Result<()> {
    child.kill()?; // SIGKILL on Unix
    child.wait()?;
    Ok(())
}

struct Scene {
    fake: RunningFake,
    dir: tempfile::TempDir,
    cli: CliRun,
    pool: SqlitePool,
}

async fn scene(seed: u64, cli: &Path, accounts: bool) -> Result<Scene> {
    let fake = spawn_fake(seed, CANDIDATES).await?;
    let dir = tempfile::tempdir()?;
    let cli = CliRun {
        exe: cli.to_path_buf(),
        data_dir: dir.path().to_path_buf(),
        no_keychain: false,
        env: Vec::new(),
    };
    if accounts {
        for v in VENDORS {
            cli.add_api_key(&fake, v)?;
        }
    }
    let pool = open_cache(dir.path()).await?;
    Ok(Scene {
        fake,
        dir,
        cli,
        pool,
    })
}

pub async fn cell(fault: Fault, op: Op, seed: u64, cli: &Path) -> Result<Cell> {
    match (fault, op) {
        (Fault::Kill, Op::PushResume) => kill_push(seed, cli).await,
        (Fault::Kill, Op::FullSync | Op::IncrementalSync | Op::SearchDuringSync) => {
            kill_sync(op, seed, cli).await
        }
        (Fault::Kill, Op::StageMove) => kill_stage(seed, cli).await,
        (Fault::Kill, Op::OAuthLink) => kill_link(seed, cli).await,
        (Fault::KeychainUnavailable, Op::OAuthLink) => keychain_link(seed, cli).await,
        (Fault::KeychainUnavailable, _) => keychain_op(op, seed, cli).await,
        _ => bail!("not a process fault"),
    }
}

async fn judge(
    scene: &Scene,
    before: usize,
    outcome: String,
    recovered: Duration,
    problems: Vec<String>,
) -> Result<Cell> {
    judge_with(scene, before, outcome, recovered, problems, None).await
}

async fn judge_with(
    scene: &Scene,
    before: usize,
    mut outcome: String,
    recovered: Duration,
    mut problems: Vec<String>,
    clean: Option<&Snapshot>,
) -> Result<Cell> {
    let reference = reference(&scene.fake, &scene.pool).await?;
    let (d, note) = world::judge_cache(&snapshot(&scene.pool).await?, &reference, clean);
    if let Some(note) = note {
        outcome = format!("{outcome}; {note}");
    }
    let after = vendor_total(&scene.fake);
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&scene.pool)
        .await?;
    if integrity != "ok" {
        problems.push(format!("integrity_check: {integrity}"));
    }
    Ok(Cell::judged(
        outcome,
        &d,
        after.saturating_sub(before),
        recovered,
        problems,
    ))
}

fn vendor_total(fake: &RunningFake) -> usize {
    VENDORS
        .iter()
        .map(|v| fake.admin().candidate_ids(vendor_id(*v)).len())
        .sum()
}

fn slow(fake: &RunningFake, ms: u64) {
    fake.admin().set_faults(FaultSpec {
        latency_ms: ms,
        ..FaultSpec::default()
    });
}

async fn kill_sync(op: Op, seed: u64, cli: &Path) -> Result<Cell> {
    let scene = scene(seed, cli, true).await?;
    let full_flag: &[&str] = if op == Op::IncrementalSync {
        &["sync"]
    } else {
        &["sync", "--full"]
    };
    if op == Op::IncrementalSync {
        scene.cli.ok(&["sync", "--full"], None)?;
        scene.fake.admin().mutate(None, 600);
    }
    let clean = if op == Op::IncrementalSync {
        let copy = world::copy_cache(&scene.pool, scene.dir.path(), "clean").await?;
        let snap = clean_incremental(&scene.fake, &copy).await?;
        copy.close().await;
        Some(snap)
    } else {
        None
    };
    let before = vendor_total(&scene.fake);
    slow(&scene.fake, 60);
    let mut child = scene.cli.spawn(full_flag)?;
    wait_for_pages(&scene.pool, &mut child, 2).await?;
    let mut problems = Vec::new();
    let mut outcome = vec!["killed after 2 committed pages".to_owned()];
    if op == Op::SearchDuringSync {
        // While it runs, and once it is dead: search answers from what was committed.
        check_search(&scene.cli, "during the sync", &mut problems)?;
        kill(child)?;
        check_search(&scene.cli, "after the kill", &mut problems)?;
        outcome.push("`hirebridge search` answered during the sync and after the kill".to_owned());
    } else {
        kill(child)?;
    }
    let killed_at = Instant::now();
    scene.fake.admin().clear_faults();
    let out = scene.cli.run(&["sync", "--format", "json"], None)?;
    if !out.status.success() {
        problems.push(format!(
            "the sync after the kill failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    } else if String::from_utf8_lossy(&out.stdout).contains("\"resumed\": true") {
        outcome.push("the next sync resumed the killed run".to_owned());
    } else {
        outcome.push("the next sync started over".to_owned());
    }
    judge_with(
        &scene,
        before,
        outcome.join("; "),
        killed_at.elapsed(),
        problems,
        clean.as_ref(),
    )
    .await
}

/// The same incremental sync, without the fault, on a copy of the cache.
async fn clean_incremental(fake: &RunningFake, copy: &SqlitePool) -> Result<Snapshot> {
    let http = world::http_client()?;
    let engine = SyncEngine::new(copy.clone(), SyncConfig::default());
    for a in AccountStore::new(copy.clone()).list().await? {
        engine
            .sync_account(api_key_connector(fake, &a, &http)?, &SyncOptions::default())
            .await
            .with_context(|| format!("fault-free incremental sync of {}", a.label))?;
    }
    snapshot(copy).await
}

async fn kill_stage(seed: u64, cli: &Path) -> Result<Cell> {
    let scene = scene(seed, cli, true).await?;
    scene.cli.ok(&["sync", "--full"], None)?;
    let lever = AccountStore::new(scene.pool.clone())
        .get_by_id_or_label(&world::label(Vendor::Lever))
        .await?;
    let (app, stage): (String, Option<String>) = sqlx::query_as(
        "SELECT remote_id, stage_id FROM cached_applications WHERE account_id = ? AND rejected_at IS NULL ORDER BY remote_id LIMIT 1",
    )
    .bind(&lever.id)
    .fetch_one(&scene.pool)
    .await?;
    let http = world::http_client()?;
    let connector = api_key_connector(&scene.fake, &lever, &http)?;
    let stages = connector.list_job_stages(None).await?;
    let target = stages
        .iter()
        .find(|s| Some(&s.id) != stage.as_ref())
        .context("no other stage")?
        .id
        .clone();
    let user: String =
        sqlx::query_scalar("SELECT remote_id FROM cached_users WHERE account_id = ? LIMIT 1")
            .bind(&lever.id)
            .fetch_one(&scene.pool)
            .await?;
    let before = vendor_total(&scene.fake);
    slow(&scene.fake, 1500);
    let args = [
        "stage",
        "--account",
        lever.label.as_str(),
        "--application",
        app.as_str(),
        "--stage",
        target.as_str(),
        "--perform-as",
        user.as_str(),
    ];
    let child = scene.cli.spawn(&args)?;
    tokio::time::sleep(Duration::from_millis(700)).await;
    kill(child)?;
    let killed_at = Instant::now();
    scene.fake.admin().clear_faults();
    let mut problems = Vec::new();
    if let Err(e) = scene.cli.ok(&args, None) {
        problems.push(format!("the stage move after the kill failed: {e:#}"));
    }
    let now = connector
        .get_application(&app)
        .await?
        .current_stage
        .map(|s| s.id);
    if now.as_deref() != Some(target.as_str()) {
        problems.push(format!(
            "the vendor has the application at {now:?}, not {target}"
        ));
    }
    scene.cli.ok(&["sync"], None)?;
    judge(
        &scene,
        before,
        "killed with the move in flight; the re-run moved it once".to_owned(),
        killed_at.elapsed(),
        problems,
    )
    .await
}

async fn kill_link(seed: u64, cli: &Path) -> Result<Cell> {
    let scene = scene(seed, cli, false).await?;
    let before = vendor_total(&scene.fake);
    let label = world::label(Vendor::Lever);
    let mut child = scene.cli.spawn_oauth(&scene.fake, Vendor::Lever, &label)?;
    let _ = read_open_line(&mut child)?;
    kill(child)?;
    let killed_at = Instant::now();
    let mut problems = Vec::new();
    let left = AccountStore::new(scene.pool.clone()).list().await?.len();
    if left != 0 {
        problems.push(format!("the killed link left {left} account(s) behind"));
    }
    // The user tries again; then every vendor is linked and synced.
    scene
        .cli
        .link_oauth(&scene.fake, Vendor::Lever, &label)
        .await?;
    for v in [Vendor::SmartRecruiters, Vendor::Unberry] {
        scene.cli.add_api_key(&scene.fake, v)?;
    }
    let listed = scene
        .cli
        .ok(&["accounts", "list", "--format", "json"], None)?;
    let n = serde_json::from_slice::<serde_json::Value>(&listed.stdout)?
        .as_array()
        .map_or(0, Vec::len);
    if n != 3 {
        problems.push(format!("{n} accounts listed, expected 3"));
    }
    scene.cli.ok(&["sync"], None)?;
    // The reference syncs the Lever account with the API key: same records.
    judge(
        &scene,
        before,
        "killed while waiting for the browser: nothing saved; linking again worked".to_owned(),
        killed_at.elapsed(),
        problems,
    )
    .await
}

/// The CLI's push to Lever, killed while its create request is at the vendor, then run again
/// with the same push id: one candidate, never two.
async fn kill_push(seed: u64, cli: &Path) -> Result<Cell> {
    let scene = scene(seed, cli, true).await?;
    scene.cli.ok(&["sync", "--full"], None)?;
    let store = AccountStore::new(scene.pool.clone());
    let lever = store
        .get_by_id_or_label(&world::label(Vendor::Lever))
        .await?;
    let user: String =
        sqlx::query_scalar("SELECT remote_id FROM cached_users WHERE account_id = ? LIMIT 1")
            .bind(&lever.id)
            .fetch_one(&scene.pool)
            .await?;
    let resume = crate::push_cells::write_resume("Kill")?;
    let resume = resume.to_string_lossy().into_owned();
    let email = "chaos.kill@example.com";
    let args = [
        "push",
        "--account",
        lever.label.as_str(),
        "--first-name",
        "Chaos",
        "--last-name",
        "Kill",
        "--email",
        email,
        "--resume",
        resume.as_str(),
        "--perform-as",
        user.as_str(),
        "--push-id",
        "chaos-kill-push",
    ];
    let before = vendor_total(&scene.fake) + 1;
    slow(&scene.fake, 1500);
    let mut child = scene.cli.spawn(&args)?;
    let started = Instant::now();
    loop {
        let state: Option<String> =
            sqlx::query_scalar("SELECT state FROM push_journal WHERE push_id = 'chaos-kill-push'")
                .fetch_optional(&scene.pool)
                .await?;
        if state.as_deref() == Some("pending") {
            break;
        }
        if child.try_wait()?.is_some() || started.elapsed() > Duration::from_secs(60) {
            bail!("the push ended before it could be killed in flight");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The create is on the wire (the fake holds every request 1.5 s): kill now.
    tokio::time::sleep(Duration::from_millis(400)).await;
    kill(child)?;
    let killed_at = Instant::now();
    scene.fake.admin().clear_faults();
    // Let the vendor finish the request the dead process sent, as a real server would.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut problems = Vec::new();
    let mut outcome = vec!["killed with the create in flight".to_owned()];
    let out = scene.cli.run(&args, None)?;
    if !out.status.success() {
        problems.push(format!("the push re-run failed: {}", stderr_of(&out)));
    } else if stderr_of(&out).to_lowercase().contains("already")
        || String::from_utf8_lossy(&out.stdout).contains("\"recovered\": true")
    {
        outcome.push("the re-run found the first attempt's candidate and made none".to_owned());
    } else {
        outcome.push("the re-run pushed (the first attempt had not reached the vendor)".to_owned());
    }
    let landed = count_at_vendor(&scene.fake, Vendor::Lever, email);
    if landed != 1 {
        problems.push(format!(
            "{landed} candidates with the pushed e-mail at Lever, expected 1"
        ));
    }
    scene.cli.ok(&["sync"], None)?;
    judge(
        &scene,
        before,
        outcome.join("; "),
        killed_at.elapsed(),
        problems,
    )
    .await
}

fn count_at_vendor(fake: &RunningFake, vendor: Vendor, email: &str) -> usize {
    let admin = fake.admin();
    admin
        .candidate_ids(vendor_id(vendor))
        .iter()
        .filter(|id| {
            admin
                .record(vendor_id(vendor), id)
                .is_some_and(|r| r.to_string().contains(email))
        })
        .count()
}

fn check_search(cli: &CliRun, when: &str, problems: &mut Vec<String>) -> Result<()> {
    let out = cli.run(&["search", "a", "--format", "json"], None)?;
    if !out.status.success() {
        problems.push(format!("search {when} failed: {}", stderr_of(&out)));
    }
    Ok(())
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_owned()
}

/// The CLI without a Secret Service: commands that need a credential must say the keychain is
/// the problem; the cache stays as it was; with the keychain back, all works again.
async fn keychain_op(op: Op, seed: u64, cli: &Path) -> Result<Cell> {
    let mut scene = scene(seed, cli, true).await?;
    scene.cli.ok(&["sync", "--full"], None)?;
    if op == Op::IncrementalSync {
        scene.fake.admin().mutate(None, 60);
    }
    let clean = if op == Op::IncrementalSync {
        let copy = world::copy_cache(&scene.pool, scene.dir.path(), "clean").await?;
        let snap = clean_incremental(&scene.fake, &copy).await?;
        copy.close().await;
        Some(snap)
    } else {
        None
    };
    let before = vendor_total(&scene.fake);
    let before_cache = snapshot(&scene.pool).await?;
    let lever_id = AccountStore::new(scene.pool.clone())
        .get_by_id_or_label(&world::label(Vendor::Lever))
        .await?
        .id;
    let lever_user: String =
        sqlx::query_scalar("SELECT remote_id FROM cached_users WHERE account_id = ? LIMIT 1")
            .bind(&lever_id)
            .fetch_one(&scene.pool)
            .await?;
    scene.cli.no_keychain = true;
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut outcome = Vec::new();
    let lever = world::label(Vendor::Lever);
    let resume = crate::push_cells::write_resume("Keychain")?
        .to_string_lossy()
        .into_owned();
    let email = "chaos.keychain@example.com";
    let push_args = vec![
        "push",
        "--account",
        &lever,
        "--first-name",
        "Chaos",
        "--last-name",
        "Keychain",
        "--email",
        email,
        "--resume",
        &resume,
        "--push-id",
        "chaos-keychain-push",
    ];
    let attempt: Vec<&str> = match op {
        Op::StageMove => vec![
            "stage",
            "--account",
            &lever,
            "--application",
            "x",
            "--stage",
            "y",
        ],
        Op::PushResume => push_args.clone(),
        Op::FullSync | Op::SearchDuringSync => vec!["sync", "--full"],
        _ => vec!["sync"],
    };
    let out = scene.cli.run(&attempt, None)?;
    if out.status.success() {
        problems.push(format!(
            "`{}` succeeded without a keychain",
            attempt.join(" ")
        ));
    } else if !names_keychain(&stderr_of(&out)) {
        problems.push(format!(
            "the error does not name the keychain: {}",
            stderr_of(&out)
        ));
    } else {
        outcome.push(format!("told the user \"{}\"", stderr_of(&out)));
    }
    if op == Op::SearchDuringSync {
        let out = scene.cli.run(&["search", "a", "--format", "json"], None)?;
        if out.status.success() {
            outcome.push("search still answers from the cache".to_owned());
        } else {
            problems.push(format!(
                "search failed without a keychain: {}",
                stderr_of(&out)
            ));
        }
    }
    let d = diff(&snapshot(&scene.pool).await?, &before_cache);
    if d.lost + d.stale > 0 {
        problems.push("the failed command changed the cache".to_owned());
    }
    scene.cli.no_keychain = false;
    let mut before = before;
    if op == Op::PushResume {
        let landed = count_at_vendor(&scene.fake, Vendor::Lever, email);
        if landed != 0 {
            problems.push(format!(
                "the refused push left {landed} candidate(s) at the vendor"
            ));
        }
        before += 1;
    }
    let mut again: Vec<&str> = match op {
        // Moving needs a real application: the keychain part is what this cell is about.
        Op::StageMove => vec!["accounts", "list"],
        _ => attempt.clone(),
    };
    if op == Op::PushResume {
        // Lever creates need a user to act as.
        again.extend(["--perform-as", lever_user.as_str()]);
    }
    if let Err(e) = scene.cli.ok(&again, None) {
        problems.push(format!("with the keychain back: {e:#}"));
    }
    if op == Op::PushResume {
        let landed = count_at_vendor(&scene.fake, Vendor::Lever, email);
        if landed != 1 {
            problems.push(format!("{landed} pushed candidates at Lever, expected 1"));
        }
    }
    scene.cli.ok(&["sync"], None)?;
    judge_with(
        &scene,
        before,
        outcome.join("; "),
        started.elapsed(),
        problems,
        clean.as_ref(),
    )
    .await
}

async fn keychain_link(seed: u64, cli: &Path) -> Result<Cell> {
    let mut scene = scene(seed, cli, false).await?;
    let before = vendor_total(&scene.fake);
    scene.cli.no_keychain = true;
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut outcome = Vec::new();
    let info = vendor_info(&scene.fake, Vendor::Lever);
    let label = world::label(Vendor::Lever);
    let out = scene.cli.run(
        &[
            "accounts",
            "add",
            "--vendor",
            "lever",
            "--api-key-stdin",
            "--base-url",
            &info.base_url,
            "--label",
            &label,
        ],
        Some(&info.api_key),
    )?;
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    if out.status.success() {
        // The kernel keyring took over: the CLI must say where the secret went.
        if stdout.to_lowercase().contains("kernel keyring") {
            outcome.push(format!("fell back and said so: \"{}\"", stdout.trim()));
        } else {
            problems.push(format!(
                "linked without saying where the secret went: {stdout}"
            ));
        }
        scene.cli.ok(&["accounts", "remove", &label], None)?;
    } else if names_keychain(&stderr_of(&out)) {
        outcome.push(format!("told the user \"{}\"", stderr_of(&out)));
    } else {
        problems.push(format!(
            "the error does not name the keychain: {}",
            stderr_of(&out)
        ));
    }
    let left = AccountStore::new(scene.pool.clone()).list().await?.len();
    if left != 0 {
        problems.push(format!("{left} account(s) left behind"));
    }
    scene.cli.no_keychain = false;
    scene
        .cli
        .link_oauth(&scene.fake, Vendor::Lever, &label)
        .await?;
    for v in [Vendor::SmartRecruiters, Vendor::Unberry] {
        scene.cli.add_api_key(&scene.fake, v)?;
    }
    scene.cli.ok(&["sync"], None)?;
    judge(
        &scene,
        before,
        outcome.join("; "),
        started.elapsed(),
        problems,
    )
    .await
}
