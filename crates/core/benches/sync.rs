//! Cache and sync benchmark: prints figures, asserts nothing.
//!
//! `cargo bench -p hirebridge-core --bench sync` (`-- --quick`: smaller runs, no 1M search case;
//! `-- --search-only`: only the search figures; `-- --ingest-only`: only the unthrottled ingest;
//! `-- --vendor smartrecruiters|lever|unberry`: the sync figures of that vendor only).
//! Runs fake-ats in process on loopback.

#[path = "support/replay.rs"]
mod replay;
#[path = "support/search_data.rs"]
mod search_data;
#[path = "support/unlimited.rs"]
mod unlimited;

use std::time::{Duration, Instant};

use std::sync::Arc;

use hirebridge_core::Vendor;
use hirebridge_core::accounts::{Account, AccountStore, api_key_header};
use hirebridge_core::cache::{SearchQuery, search_candidates};
use hirebridge_core::connectors::{self, Connector};
use hirebridge_core::http::{HttpClient, HttpConfig, RatePolicy, StaticCredentials};
use hirebridge_core::secrets::Secret;
use hirebridge_core::sync::{SyncConfig, SyncEngine, SyncOptions, SyncReport};
use sqlx::SqlitePool;

// glibc's malloc/free (with `malloc_consolidate`) were ≈ 30 % of a `perf record` profile of the
// ingest figures: the fake, the connectors' JSON trees and the row strings allocate per record.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

thread_local! {
    /// Cores the last `run` kept busy on average (CPU time ÷ wall time).
    static LAST_CORES: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

fn last_cores() -> f64 {
    LAST_CORES.with(std::cell::Cell::get)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Peak resident set size of this process (Linux: VmHWM), in MiB.
#[cfg(target_os = "linux")]
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[cfg(not(target_os = "linux"))]
fn peak_rss_mib() -> Option<f64> {
    None
}

/// CPU seconds this process has used so far, all threads (Linux: utime + stime).
#[cfg(target_os = "linux")]
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the ')'.
    (ticks(11) + ticks(12)) / 100.0
}

#[cfg(not(target_os = "linux"))]
fn cpu_secs() -> f64 {
    0.0
}

async fn add_account(pool: &SqlitePool, id: &str) {
    sqlx::query(
        "INSERT INTO accounts (id, vendor, label, base_url, auth_kind, created_at, updated_at) \
         VALUES (?, 'lever', ?, 'http://localhost', 'api_key', '2026-01-01', '2026-01-01')",
    )
    .bind(id)
    .bind(id)
    .execute(pool)
    .await
    .expect("account");
}

/// Search latency over a typing-like query mix at the cache's current size.
async fn search_latency(pool: &SqlitePool, label: &str) {
    let queries = search_data::queries(500);
    for q in queries.iter().take(20) {
        let _ = search_candidates(
            pool,
            &SearchQuery {
                text: q.clone(),
                ..Default::default()
            },
        )
        .await;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut worst = (Duration::ZERO, String::new());
    for q in &queries {
        let start = Instant::now();
        let hits = search_candidates(
            pool,
            &SearchQuery {
                text: q.clone(),
                ..Default::default()
            },
        )
        .await
        .expect("search");
        let took = start.elapsed();
        std::hint::black_box(hits);
        if took > worst.0 {
            worst = (took, q.clone());
        }
        times.push(took);
    }
    times.sort();
    println!(
        "search @ {label}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({:?}), {} queries",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95)),
        ms(worst.0),
        worst.1,
        times.len()
    );
}

/// The Jobs screen's queries at the cache's current size: every job's pipeline counts, and the
/// first page of a job's candidates (whole job, then each pipeline group in turn).
async fn job_latency(pool: &SqlitePool, label: &str) {
    let start = Instant::now();
    let jobs = hirebridge_core::cache::jobs_with_counts(pool, None)
        .await
        .expect("jobs");
    let pipeline = start.elapsed();
    let start = Instant::now();
    let choices = hirebridge_core::cache::job_choices(pool, None)
        .await
        .expect("job choices");
    let choosing = start.elapsed();
    let mut times = Vec::new();
    for job in jobs.iter().take(20) {
        let groups = std::iter::once(None).chain(job.stages.iter().map(|s| Some(s.group.clone())));
        for group in groups {
            let start = Instant::now();
            let page = hirebridge_core::cache::list_candidates(
                pool,
                &hirebridge_core::cache::CandidateListQuery {
                    account_id: Some(job.account_id.clone()),
                    job_id: Some(job.remote_id.clone()),
                    pipeline_group: group,
                    sort: hirebridge_core::cache::CandidateSort::UpdatedDesc,
                    limit: Some(100),
                    ..Default::default()
                },
            )
            .await
            .expect("job candidates");
            times.push(start.elapsed());
            std::hint::black_box(page);
        }
    }
    let mut by_category = Vec::new();
    for category in [
        "lead",
        "active",
        "offer",
        "hired",
        "rejected",
        "other",
        "withdrawn",
    ] {
        for sort in [
            hirebridge_core::cache::CandidateSort::NameAsc,
            hirebridge_core::cache::CandidateSort::UpdatedDesc,
        ] {
            let start = Instant::now();
            let page = hirebridge_core::cache::list_candidates(
                pool,
                &hirebridge_core::cache::CandidateListQuery {
                    account_id: Some("bench".into()),
                    stage_category: Some(category.into()),
                    sort,
                    limit: Some(100),
                    ..Default::default()
                },
            )
            .await
            .expect("category candidates");
            by_category.push((start.elapsed(), category));
            std::hint::black_box(page);
        }
    }
    by_category.sort();
    if let Some((slowest, category)) = by_category.last() {
        println!(
            "candidates by stage category @ {label}: first 100, median {:.2} ms, slowest {:.2} ms ({category})",
            ms(by_category[by_category.len() / 2].0),
            ms(*slowest)
        );
    }
    times.sort();
    println!(
        "jobs @ {label}: pipeline counts of {} jobs {:.0} ms; the {} jobs to pick from (no counts) {:.1} ms; a job's first 100 candidates p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} lists)",
        jobs.len(),
        ms(pipeline),
        choices.len(),
        ms(choosing),
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.95)),
        ms(times.last().copied().unwrap_or_default()),
        times.len()
    );
}

async fn search_bench(quick: bool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = hirebridge_core::db::open(dir.path()).await.expect("db");
    add_account(&pool, "bench").await;
    let start = Instant::now();
    search_data::fill(&pool, "bench", 0, 100_000).await;
    let took = start.elapsed().as_secs_f64();
    println!(
        "cache write (synthetic candidates, FTS5 indexed): {:.0} records/s",
        100_000.0 / took
    );
    search_latency(&pool, "100k").await;
    search_data::fill_jobs_in_sqlite(&pool, "bench", 100_000, 200).await;
    job_latency(&pool, "100k").await;
    if quick {
        return;
    }
    let start = Instant::now();
    search_data::fill_in_sqlite(&pool, "bench", 100_000, 900_000).await;
    println!(
        "  (900k more generated inside SQLite in {:.1} s)",
        start.elapsed().as_secs_f64()
    );
    sqlx::query("PRAGMA optimize")
        .execute(&pool)
        .await
        .expect("optimize");
    search_latency(&pool, "1M").await;
    sqlx::query("DELETE FROM cached_applications")
        .execute(&pool)
        .await
        .expect("clear applications");
    sqlx::query("DELETE FROM cached_jobs")
        .execute(&pool)
        .await
        .expect("clear jobs");
    search_data::fill_jobs_in_sqlite(&pool, "bench", 1_000_000, 2_000).await;
    job_latency(&pool, "1M").await;
}

struct Linked {
    pool: SqlitePool,
    connector: Arc<dyn Connector>,
    _dir: tempfile::TempDir,
}

/// A file cache (as the app uses) with one account on the fake; `unlimited` lifts the client's
/// per-account rate limit (see `support/unlimited.rs`).
async fn link(fake: &fake_ats::RunningFake, vendor: Vendor, unlimited: bool) -> Linked {
    let info = fake.info();
    let v = match vendor {
        Vendor::SmartRecruiters => &info.smartrecruiters,
        Vendor::Lever => &info.lever,
        Vendor::Unberry => &info.unberry,
    };
    let account = Account::new_api_key(vendor, "bench", Some(&v.base_url)).expect("account");
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = hirebridge_core::db::open(dir.path()).await.expect("db");
    AccountStore::new(pool.clone())
        .insert(&account)
        .await
        .expect("account row");
    let http = HttpClient::new(HttpConfig::default()).expect("http");
    let creds = Arc::new(StaticCredentials(api_key_header(
        vendor,
        Secret::new(v.api_key.clone()),
    )));
    let mut connector = connectors::for_account(&account, creds.clone(), &http).expect("connector");
    if unlimited {
        let mut lanes = vec![connector];
        for i in 1..64 {
            let lane = Account::new_api_key(vendor, &format!("bench lane {i}"), Some(&v.base_url))
                .expect("account");
            lanes.push(connectors::for_account(&lane, creds.clone(), &http).expect("connector"));
        }
        connector = Arc::new(unlimited::Unlimited::new(lanes));
    }
    Linked {
        pool,
        connector,
        _dir: dir,
    }
}

/// A fresh file cache holding only an account row, for `connector` (of another cache's account).
async fn empty_cache(connector: Arc<dyn Connector>) -> Linked {
    let dir = tempfile::tempdir().expect("tempdir");
    let pool = hirebridge_core::db::open(dir.path()).await.expect("db");
    add_account(&pool, connector.account_id()).await;
    Linked {
        pool,
        connector,
        _dir: dir,
    }
}

async fn run(linked: &Linked, full: bool) -> (SyncReport, f64) {
    let engine = SyncEngine::new(linked.pool.clone(), SyncConfig::default());
    let start = Instant::now();
    let cpu = cpu_secs();
    let report = engine
        .sync_account(
            linked.connector.clone(),
            &SyncOptions {
                full,
                ..SyncOptions::default()
            },
        )
        .await
        .expect("sync");
    let secs = start.elapsed().as_secs_f64();
    LAST_CORES.with(|c| c.set((cpu_secs() - cpu) / secs));
    (report, secs)
}

fn totals(report: &SyncReport) -> (u64, u64) {
    let records = report.resources.iter().map(|r| u64::from(r.records)).sum();
    let requests = report.resources.iter().map(|r| u64::from(r.requests)).sum();
    (records, requests)
}

/// Throughput with the vendors' rate limits on, against the bound they set: the time the
/// requests need at the allowed rate (less the bucket's burst, which is free).
async fn throttled(vendor: Vendor, records: usize) {
    let fake = fake_ats::spawn(fake_ats::Config {
        candidates: records,
        rate_limits: true,
        ..Default::default()
    })
    .await
    .expect("fake");
    let linked = link(&fake, vendor, false).await;
    let (report, secs) = run(&linked, true).await;
    let (records, requests) = totals(&report);
    let policy = RatePolicy::for_vendor(vendor);
    // A bucket lets its burst through at once, then one request per 1/rate.
    let bound_secs = (requests as f64 - policy.burst).max(1.0) / policy.per_second;
    println!(
        "sync with rate limits, {}: {records} records, {requests} requests in {secs:.2} s; \
         bound {bound_secs:.2} s at {} req/s (burst {}) -> {:.1}% of the bound",
        vendor.display_name(),
        policy.per_second,
        policy.burst,
        100.0 * bound_secs / secs
    );
    fake.shutdown().await;
}

/// Records per second with no rate limit: the engine, the connector and SQLite (and the fake,
/// on the same cores).
async fn unthrottled(vendor: Vendor, records: usize) {
    let fake = fake_ats::spawn(fake_ats::Config {
        candidates: records,
        rate_limits: false,
        ..Default::default()
    })
    .await
    .expect("fake");
    let linked = link(&fake, vendor, true).await;
    // The same pages without the cache, to tell the cache's share from the fetch and mapping.
    let start = Instant::now();
    let mut opts = hirebridge_core::model::ListOptions {
        limit: Some(100),
        background: true,
        ..Default::default()
    };
    let mut fetched = 0usize;
    let fetch_cpu = cpu_secs();
    loop {
        let page = linked.connector.list_candidates(&opts).await.expect("page");
        fetched += page.result.len();
        match page.next_cursor {
            Some(c) => opts.cursor = Some(c),
            None => break,
        }
    }
    let fetch_secs = start.elapsed().as_secs_f64();
    let fetch_cores = (cpu_secs() - fetch_cpu) / fetch_secs;
    // The cache's side alone: the same pages replayed from memory into a fresh cache.
    let replayed = empty_cache(Arc::new(
        replay::Replay::record(linked.connector.clone(), 100).await,
    ))
    .await;
    let (write_report, write_secs) = run(&replayed, true).await;
    let write_cores = last_cores();
    let (written, _) = totals(&write_report);
    let (report, secs) = run(&linked, true).await;
    let cores = last_cores();
    let (n, requests) = totals(&report);
    println!(
        "  (fetch + map only, {}: {fetched} candidates in {fetch_secs:.2} s -> {:.0}/s, {fetch_cores:.2} cores busy)",
        vendor.display_name(),
        fetched as f64 / fetch_secs
    );
    println!(
        "  (cache writes only, {}: {written} records replayed from memory in {write_secs:.2} s -> {:.0} records/s, {write_cores:.2} cores busy)",
        vendor.display_name(),
        written as f64 / write_secs
    );
    let apps: i64 = sqlx::query_scalar("SELECT count(*) FROM cached_applications")
        .fetch_one(&linked.pool)
        .await
        .expect("count");
    println!(
        "unthrottled ingest, {}: {n} records ({apps} applications) in {requests} requests, {secs:.2} s -> {:.0} records/s ({:.0} incl. applications), {cores:.2} cores busy",
        vendor.display_name(),
        n as f64 / secs,
        // Unberry's applications are a resource of their own: `n` counts them already.
        (n as f64
            + if vendor == Vendor::Unberry {
                0.0
            } else {
                apps as f64
            })
            / secs
    );
    let (pages, page_bytes, bytes): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT page_count FROM pragma_page_count()), \
         (SELECT page_size FROM pragma_page_size()), \
         (SELECT ifnull(sum(length(record) + ifnull(length(remote_data), 0)), 0) FROM cached_candidates) + \
         (SELECT ifnull(sum(length(record) + ifnull(length(remote_data), 0)), 0) FROM cached_applications)",
    )
    .fetch_one(&linked.pool)
    .await
    .expect("sizes");
    println!(
        "  (cache file after it, {}: {:.0} MiB in {pages} pages; JSON of candidates and applications {:.0} MiB)",
        vendor.display_name(),
        (pages * page_bytes) as f64 / 1048576.0,
        bytes as f64 / 1048576.0
    );
    fake.admin().clear_request_log();
    let (again, _) = run(&linked, false).await;
    let per_resource: Vec<String> = again
        .resources
        .iter()
        .map(|r| {
            format!(
                "{} {}{}",
                r.resource.as_str(),
                r.requests,
                if r.full {
                    " (full: no update filter)"
                } else {
                    ""
                }
            )
        })
        .collect();
    println!(
        "no-change resync, {}: {} requests at the fake [{}]",
        vendor.display_name(),
        fake.admin().request_log().len(),
        per_resource.join(", ")
    );
    fake.shutdown().await;
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let search_only = std::env::args().any(|a| a == "--search-only");
    let ingest_only = std::env::args().any(|a| a == "--ingest-only");
    let args: Vec<String> = std::env::args().collect();
    let only_vendor = args
        .iter()
        .position(|a| a == "--vendor")
        .and_then(|i| args.get(i + 1))
        .map(|v| v.parse::<Vendor>().unwrap_or_else(|e| panic!("{e}")));
    let wanted = |v: Vendor| only_vendor.is_none_or(|o| o == v);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        if !search_only {
            for vendor in [Vendor::SmartRecruiters, Vendor::Lever] {
                if ingest_only {
                    break;
                }
                if !wanted(vendor) {
                    continue;
                }
                throttled(vendor, if quick { 1_500 } else { 5_000 }).await;
            }
            for vendor in [Vendor::SmartRecruiters, Vendor::Lever, Vendor::Unberry] {
                if !wanted(vendor) {
                    continue;
                }
                unthrottled(vendor, if quick { 5_000 } else { 20_000 }).await;
            }
        }
        if !ingest_only {
            search_bench(quick).await;
        }
    });
    match peak_rss_mib() {
        Some(mib) => println!("peak RSS: {mib:.0} MiB"),
        None => println!("peak RSS: not measured on this OS"),
    }
}
