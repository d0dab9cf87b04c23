//! Cells whose fault the fake ATS injects on its data APIs: 429 bursts, 5xx, resets, truncated
//! bodies, latency, token expiry and revoked grants. Run in process, on the core library.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fake_ats::{AdminHandle, FaultSpec};
use hirebridge_core::accounts::Account;
use hirebridge_core::cache::{SearchQuery, search_candidates};
use hirebridge_core::model::MoveStage;
use hirebridge_core::sync::{EventSink, SyncEvent};
use hirebridge_core::{Error, ErrorKind, Vendor};

use crate::matrix::{Cell, Fault, Op};
use crate::push_cells;
use crate::world::{self, World, snapshot};

const CANDIDATES: usize = 250;
/// How long the 10 s latency stays on: long enough for every request in flight to feel it.
const LATENCY_WINDOW: Duration = Duration::from_secs(12);
/// What a user must read when a grant was revoked.
pub const RELINK_HINT: &str = "Link the account again";

pub fn spec(fault: Fault) -> FaultSpec {
    let base = FaultSpec::default();
    match fault {
        Fault::TooManyWithRetryAfter => FaultSpec {
            too_many: 6,
            retry_after_secs: Some(1),
            ..base
        },
        Fault::TooManyWithoutRetryAfter => FaultSpec {
            too_many: 6,
            ..base
        },
        Fault::ServerErrors => FaultSpec {
            server_errors: 4,
            ..base
        },
        Fault::Resets => FaultSpec { resets: 3, ..base },
        Fault::Truncated => FaultSpec {
            truncates: 3,
            ..base
        },
        Fault::Latency => FaultSpec {
            latency_ms: 10_000,
            ..base
        },
        // One expiry, on the vendor `expiry_vendor` picks: two on one vendor at once would
        // also expire the token its refresh just issued, which no vendor does.
        Fault::TokenExpiry => FaultSpec {
            expire_tokens: 1,
            ..base
        },
        Fault::RevokedRefresh => FaultSpec {
            revoke_tokens: 3,
            ..base
        },
        _ => base,
    }
}

/// The vendor whose token expires in a token-expiry cell: each cell another.
fn expiry_vendor(seed: u64) -> Vendor {
    world::VENDORS[(seed % 3) as usize]
}

/// Turns the fault on once, then (latency) off again after its window.
#[derive(Clone)]
struct Injector {
    admin: AdminHandle,
    spec: FaultSpec,
    at: Arc<Mutex<Option<Instant>>>,
}

impl Injector {
    fn new(admin: AdminHandle, fault: Fault, seed: u64) -> Self {
        let mut spec = spec(fault);
        if fault == Fault::TokenExpiry {
            spec.vendor = Some(expiry_vendor(seed).as_str().to_owned());
        }
        Self {
            admin,
            spec,
            at: Arc::new(Mutex::new(None)),
        }
    }

    fn fire(&self) {
        let mut at = self.at.lock().unwrap_or_else(|p| p.into_inner());
        if at.is_some() {
            return;
        }
        *at = Some(Instant::now());
        self.admin.set_faults(self.spec.clone());
        if self.spec.latency_ms > 0 {
            let admin = self.admin.clone();
            tokio::spawn(async move {
                tokio::time::sleep(LATENCY_WINDOW).await;
                admin.clear_faults();
            });
        }
    }

    /// When the fault started (now, if it never fired: the operation ended first).
    fn started(&self) -> Instant {
        let at = self.at.lock().unwrap_or_else(|p| p.into_inner());
        at.unwrap_or_else(Instant::now)
    }

    /// Mid-sync: on the first progress event (a page is written).
    fn on_first_page(&self) -> EventSink {
        let me = self.clone();
        Arc::new(move |event: &SyncEvent| {
            if matches!(event, SyncEvent::Progress(_)) {
                me.fire();
            }
        })
    }

    /// Waits out the latency window, so "after the fault" means after it. Returns how many of
    /// the counted faults the operation met (a cell whose fault never hit proves nothing).
    async fn stop(&self) -> (u32, u32) {
        if self.spec.latency_ms > 0 {
            let end = self.started() + LATENCY_WINDOW;
            tokio::time::sleep_until(end.into()).await;
        }
        let left = self.admin.faults();
        self.admin.clear_faults();
        let count = |f: &FaultSpec| {
            f.too_many
                + f.server_errors
                + f.resets
                + f.truncates
                + f.expire_tokens
                + f.revoke_tokens
        };
        let planned = count(&self.spec);
        (planned - count(&left).min(planned), planned)
    }
}

/// Notes how a failure during the fault was handled, or why it is a problem.
struct Tally {
    fault: Fault,
    outcome: Vec<String>,
    problems: Vec<String>,
    hit: String,
}

impl Tally {
    fn new(fault: Fault) -> Self {
        Self {
            fault,
            outcome: Vec::new(),
            problems: Vec::new(),
            hit: String::new(),
        }
    }

    /// Records how much of the fault the operation met.
    fn met(&mut self, (hit, planned): (u32, u32), seed: u64) {
        if self.fault == Fault::TokenExpiry {
            self.outcome.push(format!(
                "{}'s access token expired at the vendor, refreshed on the 401",
                expiry_vendor(seed)
            ));
        }
        if planned == 0 {
            self.hit = "10 s on every request for 12 s".to_owned();
        } else if hit == 0 {
            self.problems
                .push("the fault never hit the operation".to_owned());
        } else {
            self.hit = format!("{hit}/{planned} faults hit");
        }
    }

    /// Whether the error was the right one for the fault; a revoked grant must say what to do.
    fn judge(&mut self, what: &str, e: &Error) -> Judged {
        let transient = matches!(
            e.kind,
            ErrorKind::RateLimited | ErrorKind::Vendor | ErrorKind::Network
        );
        match (self.fault, e.kind) {
            (Fault::RevokedRefresh, ErrorKind::NeedsRelink) => {
                if e.message.contains(RELINK_HINT) {
                    self.outcome
                        .push(format!("{what}: told the user \"{}\"", e.message));
                    Judged::Relink
                } else {
                    self.problems.push(format!(
                        "{what}: needs re-link but the message does not say so: \"{}\"",
                        e.message
                    ));
                    Judged::Relink
                }
            }
            (Fault::TokenExpiry | Fault::Latency, _) => {
                self.problems.push(format!(
                    "{what}: should have been transparent, failed ({:?}): {}",
                    e.kind, e.message
                ));
                Judged::Retry
            }
            (_, _) if transient => {
                self.outcome
                    .push(format!("{what}: failed ({:?}), retried after", e.kind));
                Judged::Retry
            }
            _ => {
                self.problems.push(format!(
                    "{what}: wrong error for the fault ({:?}): {}",
                    e.kind, e.message
                ));
                Judged::Retry
            }
        }
    }

    fn outcome(&self) -> String {
        let what = if self.outcome.is_empty() {
            "rode it out".to_owned()
        } else {
            self.outcome.join("; ")
        };
        if self.hit.is_empty() {
            what
        } else {
            format!("{}: {what}", self.hit)
        }
    }
}

enum Judged {
    Retry,
    Relink,
}

pub async fn cell(fault: Fault, op: Op, seed: u64) -> Result<Cell> {
    match op {
        Op::FullSync | Op::IncrementalSync | Op::SearchDuringSync => {
            sync_cell(fault, op, seed).await
        }
        Op::StageMove => stage_cell(fault, seed).await,
        Op::OAuthLink => link_cell(fault, seed).await,
        Op::PushResume => push_cell(fault, seed).await,
        Op::TokenRefresh | Op::PushApply | Op::PushAttach => {
            bail!("{} is not an operation of the fault grid", op.name())
        }
    }
}

async fn push_cell(fault: Fault, seed: u64) -> Result<Cell> {
    let world = World::new(seed, CANDIDATES, true).await?;
    for (a, r) in world.sync_all(&world.pool, true, None).await {
        r.with_context(|| format!("first full sync of {}", a.label))?;
    }
    let before = world.vendor_records();
    let injector = Injector::new(world.fake.admin(), fault, seed);
    injector.fire();
    let (pushes, results) = push_cells::attempt(&world, "net").await?;
    let met = injector.stop().await;
    let mut tally = Tally::new(fault);
    tally.met(met, seed);
    let mut retry = Vec::new();
    for ((a, r), result) in pushes.iter().zip(results) {
        if let Err(e) = result {
            let relink = matches!(
                tally.judge(&format!("{} push", a.vendor), &e),
                Judged::Relink
            );
            retry.push((a.clone(), r.clone(), relink));
        }
    }
    let retried = !retry.is_empty();
    tally
        .problems
        .extend(push_cells::retry_all(&world, retry).await?);
    push_cells::count_landed(&world, &pushes, &mut tally.problems);
    if retried {
        tally
            .outcome
            .push("retried with the same push id: one candidate each".to_owned());
    }
    let recovered = injector.started().elapsed();
    for (a, r) in world.sync_all(&world.pool, false, None).await {
        if let Err(e) = r {
            tally.problems.push(format!(
                "{} sync after the push failed: {}",
                a.vendor, e.message
            ));
        }
    }
    finish(&world, before + pushes.len(), tally, recovered, None).await
}

async fn sync_cell(fault: Fault, op: Op, seed: u64) -> Result<Cell> {
    let world = World::new(seed, CANDIDATES, true).await?;
    let full = op != Op::IncrementalSync;
    if !full {
        for (a, r) in world.sync_all(&world.pool, true, None).await {
            r.with_context(|| format!("first full sync of {}", a.label))?;
        }
        world.fake.admin().mutate(None, 40);
    }
    let clean_copy = if full {
        None
    } else {
        Some(world::copy_cache(&world.pool, world.dir.path(), "clean").await?)
    };
    let before = world.vendor_records();
    let injector = Injector::new(world.fake.admin(), fault, seed);
    if !full {
        injector.fire();
    }
    let searching = (op == Op::SearchDuringSync).then(|| Searcher::start(world.pool.clone()));
    let results = world
        .sync_all(&world.pool, full, Some(injector.on_first_page()))
        .await;
    let met = injector.stop().await;
    let search = match searching {
        Some(s) => Some(s.finish().await),
        None => None,
    };

    let mut tally = Tally::new(fault);
    tally.met(met, seed);
    let mut again = Vec::new();
    for (account, result) in results {
        if let Err(e) = result {
            if let Judged::Relink = tally.judge(&format!("{} sync", account.vendor), &e) {
                world::relink(&world.fake, &world.store, world.secrets.as_ref(), &account).await?;
            }
            again.push(account);
        }
    }
    retry_syncs(&world, &again, full, &mut tally).await?;
    let recovered = injector.started().elapsed();
    if let Some(search) = search {
        tally.outcome.insert(0, search.summary());
        tally.problems.extend(search.problems());
    }
    let clean = match clean_copy {
        Some(copy) => {
            for (a, r) in world.sync_all(&copy, false, None).await {
                r.with_context(|| format!("fault-free incremental sync of {}", a.label))?;
            }
            Some(snapshot(&copy).await?)
        }
        None => None,
    };
    finish(&world, before, tally, recovered, clean.as_ref()).await
}

async fn retry_syncs(
    world: &World,
    again: &[Account],
    full: bool,
    tally: &mut Tally,
) -> Result<()> {
    if again.is_empty() {
        return Ok(());
    }
    let retry = World::sync_subset(world, again, full).await;
    for (a, r) in retry {
        if let Err(e) = r {
            tally.problems.push(format!(
                "{} sync still fails after the fault: {}",
                a.vendor, e.message
            ));
        }
    }
    Ok(())
}

/// Compares the cache with a clean full sync and counts records at the vendor.
async fn finish(
    world: &World,
    before: usize,
    tally: Tally,
    recovered: Duration,
    clean_incremental: Option<&world::Snapshot>,
) -> Result<Cell> {
    let reference = world.reference().await?;
    let (d, note) =
        world::judge_cache(&snapshot(&world.pool).await?, &reference, clean_incremental);
    let mut outcome = tally.outcome();
    if let Some(note) = note {
        outcome = format!("{outcome}; {note}");
    }
    let duplicates = world.vendor_records().saturating_sub(before);
    Ok(Cell::judged(
        outcome,
        &d,
        duplicates,
        recovered,
        tally.problems,
    ))
}

impl World {
    pub async fn sync_subset(
        &self,
        accounts: &[Account],
        full: bool,
    ) -> Vec<(
        Account,
        hirebridge_core::Result<hirebridge_core::sync::SyncReport>,
    )> {
        let engine = hirebridge_core::sync::SyncEngine::new(
            self.pool.clone(),
            hirebridge_core::sync::SyncConfig::default(),
        );
        let mut out = Vec::new();
        for a in accounts {
            let r = match self.connector(a) {
                Ok(c) => {
                    engine
                        .sync_account(
                            c,
                            &hirebridge_core::sync::SyncOptions {
                                full,
                                ..Default::default()
                            },
                        )
                        .await
                }
                Err(e) => Err(e),
            };
            out.push((a.clone(), r));
        }
        out
    }
}

/// Searches the cache over and over while a sync writes to it.
pub struct Searcher {
    stop: Arc<std::sync::atomic::AtomicBool>,
    task: tokio::task::JoinHandle<SearchStats>,
}

#[derive(Default)]
pub struct SearchStats {
    pub latencies: Vec<Duration>,
    pub errors: Vec<String>,
}

impl SearchStats {
    pub fn percentile(&self, p: f64) -> Duration {
        let mut l = self.latencies.clone();
        l.sort();
        if l.is_empty() {
            return Duration::ZERO;
        }
        let i = ((l.len() as f64 - 1.0) * p).round() as usize;
        l[i.min(l.len() - 1)]
    }

    pub fn summary(&self) -> String {
        format!(
            "{} searches during the sync, p95 {:.1} ms, {} failed",
            self.latencies.len(),
            self.percentile(0.95).as_secs_f64() * 1000.0,
            self.errors.len()
        )
    }

    pub fn problems(&self) -> Vec<String> {
        let mut p: Vec<String> = self
            .errors
            .iter()
            .take(2)
            .map(|e| format!("a search failed during the sync: {e}"))
            .collect();
        if self.latencies.is_empty() {
            p.push("no search ran during the sync".to_owned());
        }
        p
    }
}

impl Searcher {
    pub fn start(pool: sqlx::SqlitePool) -> Self {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let task = tokio::spawn(async move {
            let mut stats = SearchStats::default();
            let texts = ["a", "ma", "li", "an", "son", "e"];
            let mut i = 0;
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                let query = SearchQuery {
                    text: texts[i % texts.len()].to_owned(),
                    ..SearchQuery::default()
                };
                i += 1;
                let t = Instant::now();
                match search_candidates(&pool, &query).await {
                    Ok(_) => stats.latencies.push(t.elapsed()),
                    Err(e) => stats.errors.push(format!("{:?}: {}", e.kind, e.message)),
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            stats
        });
        Self { stop, task }
    }

    pub async fn finish(self) -> SearchStats {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.task.await.unwrap_or_default()
    }
}

/// One application per account to move, and the stage to move it to.
async fn pick_moves(world: &World) -> Result<Vec<(Account, MoveStage)>> {
    let mut moves = Vec::new();
    for a in &world.accounts {
        let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT remote_id, job_remote_id, stage_id FROM cached_applications \
             WHERE account_id = ? AND job_remote_id IS NOT NULL AND rejected_at IS NULL ORDER BY remote_id LIMIT 20",
        )
        .bind(&a.id)
        .fetch_all(&world.pool)
        .await?;
        let connector = world.connector(a)?;
        let user: Option<String> = sqlx::query_scalar(
            "SELECT remote_id FROM cached_users WHERE account_id = ? ORDER BY remote_id LIMIT 1",
        )
        .bind(&a.id)
        .fetch_optional(&world.pool)
        .await?;
        let mut chosen = None;
        for (app, job, stage) in rows {
            let stages = connector.list_job_stages(job.as_deref()).await?;
            let target = stages.iter().find(|s| {
                Some(s.id.to_ascii_lowercase()) != stage.as_ref().map(|s| s.to_ascii_lowercase())
                    && !matches!(
                        s.category,
                        hirebridge_core::model::StageCategory::Hired
                            | hirebridge_core::model::StageCategory::Rejected
                    )
            });
            if let Some(t) = target {
                chosen = Some(MoveStage {
                    application_id: app,
                    stage_id: t.id.clone(),
                    perform_as: (a.vendor == Vendor::Lever).then(|| user.clone()).flatten(),
                    remote_data: None,
                });
                break;
            }
        }
        match chosen {
            Some(m) => moves.push((a.clone(), m)),
            None => bail!("no movable application for {}", a.label),
        }
    }
    Ok(moves)
}

async fn stage_cell(fault: Fault, seed: u64) -> Result<Cell> {
    let world = World::new(seed, CANDIDATES, true).await?;
    for (a, r) in world.sync_all(&world.pool, true, None).await {
        r.with_context(|| format!("first full sync of {}", a.label))?;
    }
    let moves = pick_moves(&world).await?;
    let before = world.vendor_records();
    let injector = Injector::new(world.fake.admin(), fault, seed);
    injector.fire();
    let attempts = moves.iter().map(|(a, m)| {
        let connector = world.connector(a);
        async move {
            match connector {
                Ok(c) => c.move_stage(m).await.map(drop),
                Err(e) => Err(e),
            }
        }
    });
    let results = futures::future::join_all(attempts).await;
    let met = injector.stop().await;
    let mut tally = Tally::new(fault);
    tally.met(met, seed);
    for ((a, m), r) in moves.iter().zip(results) {
        if let Err(e) = r {
            if let Judged::Relink = tally.judge(&format!("{} move", a.vendor), &e) {
                world::relink(&world.fake, &world.store, world.secrets.as_ref(), a).await?;
            }
            if let Err(e) = world.connector(a)?.move_stage(m).await {
                tally.problems.push(format!(
                    "{} move still fails after the fault: {}",
                    a.vendor, e.message
                ));
            }
        }
    }
    // The vendor holds every move exactly as asked.
    for (a, m) in &moves {
        let app = world
            .connector(a)?
            .get_application(&m.application_id)
            .await?;
        let now = app.current_stage.map(|s| s.id.to_ascii_lowercase());
        if now != Some(m.stage_id.to_ascii_lowercase()) {
            tally.problems.push(format!(
                "{}: the application is at {now:?}, not {}",
                a.vendor, m.stage_id
            ));
        }
    }
    let recovered = injector.started().elapsed();
    // The cache learns the move from the next incremental sync.
    for (a, r) in world.sync_all(&world.pool, false, None).await {
        if let Err(e) = r {
            tally.problems.push(format!(
                "{} sync after the move failed: {}",
                a.vendor, e.message
            ));
        }
    }
    finish(&world, before, tally, recovered, None).await
}

async fn link_cell(fault: Fault, seed: u64) -> Result<Cell> {
    let mut world = World::new(seed, CANDIDATES, false).await?;
    let before = world.vendor_records();
    let injector = Injector::new(world.fake.admin(), fault, seed);
    injector.fire();
    // Linking, then the first call the app makes with the new account.
    let attempts = world::VENDORS.iter().map(|v| {
        let w = &world;
        async move {
            let account =
                world::link(&w.fake, &w.store, w.secrets.as_ref(), *v, &world::label(*v)).await;
            let verified = match &account {
                Ok(a) => match w.connector(a) {
                    Ok(c) => c.verify_credentials().await,
                    Err(e) => Err(e),
                },
                Err(e) => Err(e.clone()),
            };
            (*v, account, verified)
        }
    });
    let results = futures::future::join_all(attempts).await;
    let met = injector.stop().await;
    let mut tally = Tally::new(fault);
    tally.met(met, seed);
    for (v, account, verified) in results {
        let account = match account {
            Ok(a) => a,
            Err(e) => {
                tally.judge(&format!("{v} link"), &e);
                world::link(
                    &world.fake,
                    &world.store,
                    world.secrets.as_ref(),
                    v,
                    &world::label(v),
                )
                .await
                .with_context(|| format!("linking {v} after the fault"))?
            }
        };
        if let Err(e) = verified {
            if let Judged::Relink = tally.judge(&format!("{v} first call"), &e) {
                world::relink(&world.fake, &world.store, world.secrets.as_ref(), &account).await?;
            }
            if let Err(e) = world.connector(&account)?.verify_credentials().await {
                tally.problems.push(format!(
                    "{v}: the linked account still fails after the fault: {}",
                    e.message
                ));
            }
        }
        world.accounts.push(account);
    }
    let linked = world.store.list().await?.len();
    if linked != 3 {
        tally
            .problems
            .push(format!("{linked} accounts linked, expected exactly 3"));
    }
    let recovered = injector.started().elapsed();
    for (a, r) in world.sync_all(&world.pool, true, None).await {
        if let Err(e) = r {
            tally
                .problems
                .push(format!("{} first sync failed: {}", a.vendor, e.message));
        }
    }
    finish(&world, before, tally, recovered, None).await
}
