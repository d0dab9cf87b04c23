//! Cells whose fault is local storage: the disk filling up under the cache (a small tmpfs, grown
//! again to end the fault; SQLite's `max_page_count` where mounting is refused, and then the table
//! says "emulated"), and the cache file locked by another process holding `BEGIN EXCLUSIVE`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use hirebridge_core::ErrorKind;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

use crate::matrix::{Cell, Fault, Op};
use crate::push_cells;
use crate::world::{self, World, snapshot};

const CANDIDATES: usize = 250;
/// Longer than the cache's 10 s busy timeout, so a writer really is refused.
const LOCK_HOLD: Duration = Duration::from_secs(14);

/// What the user must read for each storage fault (kind Storage).
pub const DISK_FULL_HINT: &str = "free some disk space";
pub const LOCKED_HINT: &str = "locked by another program";

pub async fn cell(fault: Fault, op: Op, seed: u64) -> Result<Cell> {
    match op {
        Op::StageMove => Ok(Cell::na(
            "a stage move writes to the vendor, never to local storage; the cache learns it from the next sync (the sync cells)",
        )),
        Op::FullSync
        | Op::IncrementalSync
        | Op::SearchDuringSync
        | Op::OAuthLink
        | Op::PushResume => match fault {
            Fault::DiskFull => disk_full(op, seed).await,
            Fault::Locked => locked(op, seed).await,
            _ => bail!("not a storage fault"),
        },
        Op::TokenRefresh | Op::PushApply | Op::PushAttach => {
            bail!("{} is not an operation of the fault grid", op.name())
        }
    }
}

/// A tmpfs mounted on a directory; unmounted on drop.
struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    fn mount(path: &Path, size_kib: u64) -> Result<Self> {
        let status = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size_kib}k,mode=0700"),
                "tmpfs",
            ])
            .arg(path)
            .stderr(Stdio::null())
            .status()
            .context("mount")?;
        if !status.success() {
            bail!("mount refused ({status})");
        }
        Ok(Self {
            path: path.to_path_buf(),
        })
    }

    fn resize(&self, size_kib: u64) -> Result<()> {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size_kib}k")])
            .arg(&self.path)
            .status()?;
        if !status.success() {
            bail!("remount refused ({status})");
        }
        Ok(())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .stderr(Stdio::null())
            .status();
    }
}

fn used_kib(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum::<u64>()
                / 1024
        })
        .unwrap_or(0)
}

/// A pool on the cache file that may not grow past `pages` pages: a full disk, emulated.
async fn capped_pool(dir: &Path, pages: i64) -> Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(world::db_file(dir))
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("max_page_count", pages.to_string());
    Ok(SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await?)
}

async fn page_count(pool: &SqlitePool) -> Result<i64> {
    Ok(sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(pool)
        .await?)
}

struct Problems(Vec<String>);

impl Problems {
    /// A storage failure must say what is wrong in words the user can act on.
    fn check(&mut self, what: &str, e: &hirebridge_core::Error, hint: &str) -> String {
        if e.kind != ErrorKind::Storage || !e.message.to_lowercase().contains(hint) {
            self.0.push(format!(
                "{what}: expected a storage error saying \"{hint}\", got {:?}: {}",
                e.kind, e.message
            ));
        }
        format!("{what}: told the user \"{}\"", e.message)
    }
}

async fn disk_full(op: Op, seed: u64) -> Result<Cell> {
    let dir = tempfile::tempdir()?;
    let tmpfs = Tmpfs::mount(dir.path(), 256 * 1024).ok();
    let mut world = World::in_dir(seed, CANDIDATES, op != Op::OAuthLink, dir)
        .await
        .context("setting up the accounts and the cache")?;
    if matches!(op, Op::IncrementalSync | Op::PushResume) {
        for (a, r) in world.sync_all(&world.pool, true, None).await {
            r.with_context(|| format!("first full sync of {}", a.label))?;
        }
    }
    if op == Op::IncrementalSync {
        world.fake.admin().mutate(None, 300);
    }
    let clean_copy = clean_copy(&world, op).await?;
    // What the vendors should hold afterwards: a push adds one candidate per account.
    let before = world.vendor_records()
        + if op == Op::PushResume {
            world.accounts.len()
        } else {
            0
        };
    let mut problems = Problems(Vec::new());
    let mut outcome = Vec::new();
    // Fill the disk: leave room for a few pages of writes only.
    let (pool, emulated) = match &tmpfs {
        Some(fs) => {
            // Every page into the cache file first: closing usually does this, but when the last
            // connection's close races the reopen below, frames stay in the WAL, and copying them
            // later needs room the shrunk disk no longer has (the OAuth link cell failed its own
            // set-up that way about one run in five).
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&world.pool)
                .await
                .context("emptying the WAL before shrinking the disk")?;
            world.pool.close().await;
            fs.resize(used_kib(&world.data_dir()) + 96)
                .context("shrinking the tmpfs")?;
            world.pool = hirebridge_core::db::open(&world.data_dir())
                .await
                .context("reopening the cache on the shrunk tmpfs")?;
            world.store = hirebridge_core::accounts::AccountStore::new(world.pool.clone());
            (world.pool.clone(), false)
        }
        None => {
            let pages = page_count(&world.pool).await? + 24;
            (capped_pool(&world.data_dir(), pages).await?, true)
        }
    };
    if emulated {
        outcome.push("EMULATED with PRAGMA max_page_count (mount refused)".to_owned());
    } else {
        outcome.push("real tmpfs filled".to_owned());
    }
    let started = Instant::now();
    match op {
        Op::OAuthLink => {
            let store = hirebridge_core::accounts::AccountStore::new(pool.clone());
            let v = hirebridge_core::Vendor::Lever;
            // Fill what is left, so the account row itself does not fit.
            let ballast = world.data_dir().join("ballast");
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&world.pool)
                .await
                .context("emptying the WAL before filling the disk")?;
            if !emulated {
                fill(&ballast);
            }
            match world::link(
                &world.fake,
                &store,
                world.secrets.as_ref(),
                v,
                &world::label(v),
            )
            .await
            {
                Ok(_) => problems
                    .0
                    .push("linking succeeded on a full disk".to_owned()),
                Err(e) => outcome.push(problems.check("link", &e, DISK_FULL_HINT)),
            }
            if world.vault.live() > 0 {
                problems
                    .0
                    .push("the failed link left a keychain entry behind".to_owned());
            }
            let _ = std::fs::remove_file(&ballast);
            free(&tmpfs, &pool, emulated)
                .await
                .context("giving the disk room again")?;
            link_the_rest(&mut world, "once the disk has room", &mut problems).await?;
            for (a, r) in world.sync_all(&world.pool, true, None).await {
                if let Err(e) = r {
                    problems
                        .0
                        .push(format!("{} sync failed: {}", a.vendor, e.message));
                }
            }
        }
        Op::PushResume => {
            let ballast = world.data_dir().join("ballast");
            // An empty WAL, so the push's first write must grow a file on the full disk (a WAL
            // with room would take it: a real, but untested, way to survive a full disk).
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&world.pool)
                .await?;
            if !emulated {
                fill(&ballast);
            }
            let (pushes, results) = push_cells::attempt(&world, "disk").await?;
            let mut retry = Vec::new();
            for ((a, r), result) in pushes.iter().zip(results) {
                if let Err(e) = result {
                    let note = problems.check(&format!("{} push", a.vendor), &e, DISK_FULL_HINT);
                    if retry.is_empty() {
                        outcome.push(note);
                    }
                    retry.push((a.clone(), r.clone(), false));
                }
            }
            if retry.is_empty() {
                problems
                    .0
                    .push("every push succeeded on a full disk".to_owned());
            }
            let _ = std::fs::remove_file(&ballast);
            free(&tmpfs, &pool, emulated).await?;
            problems
                .0
                .extend(push_cells::retry_all(&world, retry).await?);
            push_cells::count_landed(&world, &pushes, &mut problems.0);
            outcome.push("retried with the same push id once the disk had room".to_owned());
            for (a, r) in world.sync_all(&world.pool, false, None).await {
                if let Err(e) = r {
                    problems
                        .0
                        .push(format!("{} sync after the push: {}", a.vendor, e.message));
                }
            }
        }
        _ => {
            let full = op != Op::IncrementalSync;
            let searching = (op == Op::SearchDuringSync)
                .then(|| crate::network::Searcher::start(world.pool.clone()));
            let results = world.sync_all(&pool, full, None).await;
            let mut failed = 0;
            for (a, r) in &results {
                if let Err(e) = r {
                    failed += 1;
                    let note = problems.check(&format!("{} sync", a.vendor), e, DISK_FULL_HINT);
                    if failed == 1 {
                        outcome.push(note);
                    }
                }
            }
            if failed == 0 {
                problems
                    .0
                    .push("the disk never filled during the sync".to_owned());
            }
            if let Some(s) = searching {
                let stats = s.finish().await;
                outcome.push(stats.summary());
                problems.0.extend(stats.problems());
            }
            free(&tmpfs, &pool, emulated).await?;
            for (a, r) in world.sync_all(&world.pool, full, None).await {
                if let Err(e) = r {
                    problems.0.push(format!(
                        "{} sync once the disk has room: {}",
                        a.vendor, e.message
                    ));
                }
            }
        }
    }
    let recovered = started.elapsed();
    let reference = world.reference().await?;
    let clean = clean_snapshot(&world, clean_copy).await?;
    let (d, note) = world::judge_cache(&snapshot(&world.pool).await?, &reference, clean.as_ref());
    outcome.extend(note);
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&world.pool)
        .await?;
    if integrity != "ok" {
        problems.0.push(format!("integrity_check: {integrity}"));
    }
    let duplicates = world.vendor_records().saturating_sub(before);
    world.pool.close().await;
    drop(tmpfs);
    Ok(Cell::judged(
        outcome.join("; "),
        &d,
        duplicates,
        recovered,
        problems.0,
    ))
}

/// Writes zeros to `path` until the file system says it is full.
fn fill(path: &Path) {
    use std::io::Write;
    let Ok(mut f) = std::fs::File::create(path) else {
        return;
    };
    let block = vec![0u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    let mut small = [0u8; 512];
    while f.write_all(&small).is_ok() {
        small[0] = 0;
    }
    let _ = f.sync_all();
}

/// For an incremental run: a copy of the cache before it, in a separate directory (outside a
/// filled tmpfs), to run the same sync without the fault.
async fn clean_copy(world: &World, op: Op) -> Result<Option<(tempfile::TempDir, SqlitePool)>> {
    if op != Op::IncrementalSync {
        return Ok(None);
    }
    let dir = tempfile::tempdir()?;
    let pool = world::copy_cache(&world.pool, dir.path(), "clean").await?;
    Ok(Some((dir, pool)))
}

async fn clean_snapshot(
    world: &World,
    copy: Option<(tempfile::TempDir, SqlitePool)>,
) -> Result<Option<world::Snapshot>> {
    let Some((_dir, pool)) = copy else {
        return Ok(None);
    };
    for (a, r) in world.sync_all(&pool, false, None).await {
        r.with_context(|| format!("fault-free incremental sync of {}", a.label))?;
    }
    let snap = snapshot(&pool).await?;
    pool.close().await;
    Ok(Some(snap))
}

/// Links every vendor not linked yet, now that the fault is over (`when` says so in errors),
/// and checks that the store holds the three accounts.
async fn link_the_rest(world: &mut World, when: &str, problems: &mut Problems) -> Result<()> {
    for v in world::VENDORS {
        if world.accounts.iter().any(|a| a.vendor == v) {
            continue;
        }
        let a = world::link(
            &world.fake,
            &world.store,
            world.secrets.as_ref(),
            v,
            &world::label(v),
        )
        .await
        .with_context(|| format!("linking {v} {when}"))?;
        world.accounts.push(a);
    }
    let linked = world
        .store
        .list()
        .await
        .with_context(|| format!("listing accounts {when}"))?
        .len();
    if linked != 3 {
        problems
            .0
            .push(format!("{linked} accounts linked, expected 3"));
    }
    Ok(())
}

async fn free(tmpfs: &Option<Tmpfs>, pool: &SqlitePool, emulated: bool) -> Result<()> {
    if let Some(fs) = tmpfs {
        fs.resize(512 * 1024)?;
    }
    if emulated {
        pool.close().await;
    }
    Ok(())
}

/// Another process holding the cache's write lock: this same binary, `hold-lock <db>`.
struct LockHolder {
    child: Child,
}

impl LockHolder {
    fn start(db: &Path) -> Result<Self> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("hold-lock")
            .arg(db)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        if line.trim() != "locked" {
            let _ = child.kill();
            bail!("the lock holder did not take the lock: {line}");
        }
        Ok(Self { child })
    }

    fn release(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The child side: `BEGIN EXCLUSIVE` on the cache, then wait to be killed.
pub fn hold_lock(db: Option<PathBuf>) -> Result<()> {
    let db = db.context("hold-lock needs the database file")?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let options = SqliteConnectOptions::new()
            .filename(&db)
            .journal_mode(SqliteJournalMode::Wal);
        let mut conn = sqlx::ConnectOptions::connect(&options).await?;
        sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await?;
        println!("locked");
        tokio::time::sleep(Duration::from_secs(600)).await;
        anyhow::Ok(())
    })
}

async fn locked(op: Op, seed: u64) -> Result<Cell> {
    let mut world = World::new(seed, CANDIDATES, op != Op::OAuthLink).await?;
    if matches!(op, Op::IncrementalSync | Op::PushResume) {
        for (a, r) in world.sync_all(&world.pool, true, None).await {
            r.with_context(|| format!("first full sync of {}", a.label))?;
        }
    }
    if op == Op::IncrementalSync {
        world.fake.admin().mutate(None, 40);
    }
    let clean_copy = clean_copy(&world, op).await?;
    let before = world.vendor_records()
        + if op == Op::PushResume {
            world.accounts.len()
        } else {
            0
        };
    let mut problems = Problems(Vec::new());
    let mut outcome = Vec::new();
    let started = Instant::now();
    let holder = LockHolder::start(&world::db_file(&world.data_dir()))?;
    let release_at = started + LOCK_HOLD;
    let releaser = tokio::spawn(async move {
        tokio::time::sleep_until(release_at.into()).await;
        holder.release();
    });
    match op {
        Op::OAuthLink => {
            let v = hirebridge_core::Vendor::Lever;
            match world::link(
                &world.fake,
                &world.store,
                world.secrets.as_ref(),
                v,
                &world::label(v),
            )
            .await
            {
                Ok(a) => {
                    outcome.push("linked once the lock was gone (waited)".to_owned());
                    world.accounts.push(a);
                }
                Err(e) => outcome.push(problems.check("link", &e, LOCKED_HINT)),
            }
            releaser.await?;
            link_the_rest(&mut world, "once the lock is gone", &mut problems).await?;
            for (a, r) in world.sync_all(&world.pool, true, None).await {
                if let Err(e) = r {
                    problems
                        .0
                        .push(format!("{} sync failed: {}", a.vendor, e.message));
                }
            }
        }
        Op::PushResume => {
            let (pushes, results) = push_cells::attempt(&world, "lock").await?;
            let mut retry = Vec::new();
            for ((a, r), result) in pushes.iter().zip(results) {
                if let Err(e) = result {
                    let note = problems.check(&format!("{} push", a.vendor), &e, LOCKED_HINT);
                    if retry.is_empty() {
                        outcome.push(note);
                    }
                    retry.push((a.clone(), r.clone(), false));
                }
            }
            if retry.is_empty() {
                outcome.push("waited for the lock, then pushed".to_owned());
            }
            releaser.await?;
            problems
                .0
                .extend(push_cells::retry_all(&world, retry).await?);
            push_cells::count_landed(&world, &pushes, &mut problems.0);
            for (a, r) in world.sync_all(&world.pool, false, None).await {
                if let Err(e) = r {
                    problems
                        .0
                        .push(format!("{} sync after the push: {}", a.vendor, e.message));
                }
            }
        }
        _ => {
            let full = op != Op::IncrementalSync;
            let searching = (op == Op::SearchDuringSync)
                .then(|| crate::network::Searcher::start(world.pool.clone()));
            let results = world.sync_all(&world.pool, full, None).await;
            let mut failed = 0;
            for (a, r) in &results {
                if let Err(e) = r {
                    failed += 1;
                    let note = problems.check(&format!("{} sync", a.vendor), e, LOCKED_HINT);
                    if failed == 1 {
                        outcome.push(note);
                    }
                }
            }
            if failed == 0 {
                outcome.push("waited for the lock, then synced".to_owned());
            }
            if let Some(s) = searching {
                let stats = s.finish().await;
                outcome.push(stats.summary());
                problems.0.extend(stats.problems());
            }
            releaser.await?;
            for (a, r) in world.sync_all(&world.pool, full, None).await {
                if let Err(e) = r {
                    problems
                        .0
                        .push(format!("{} sync once unlocked: {}", a.vendor, e.message));
                }
            }
        }
    }
    let recovered = started.elapsed();
    let reference = world.reference().await?;
    let clean = clean_snapshot(&world, clean_copy).await?;
    let (d, note) = world::judge_cache(&snapshot(&world.pool).await?, &reference, clean.as_ref());
    outcome.extend(note);
    let duplicates = world.vendor_records().saturating_sub(before);
    Ok(Cell::judged(
        outcome.join("; "),
        &d,
        duplicates,
        recovered,
        problems.0,
    ))
}
