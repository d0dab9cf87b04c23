//! Load: three accounts with `total` candidates between them sync into one file cache while a
//! person searches every 50 ms. Prints peak RSS of this process (the fake runs in its own
//! process, so its data is not counted) and search latency during the sync.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fake_ats::ServeInfo;
use hirebridge_core::Vendor;
use hirebridge_core::accounts::{Account, AccountStore, api_key_header};
use hirebridge_core::cache::{SearchQuery, search_candidates};
use hirebridge_core::connectors;
use hirebridge_core::http::StaticCredentials;
use hirebridge_core::secrets::Secret;
use hirebridge_core::sync::{SyncConfig, SyncEngine, SyncOptions};

use crate::world::VENDORS;

struct FakeProcess(Child);

impl Drop for FakeProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the `fake-ats` binary next to this one; returns it with what it serves.
fn start_fake(per_vendor: usize) -> Result<(FakeProcess, ServeInfo)> {
    let exe = std::env::current_exe()?
        .parent()
        .map(|d| d.join("fake-ats"))
        .context("no directory")?;
    let mut child = Command::new(&exe)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--seed",
            "9",
            "--rate-limits",
            "off",
        ])
        .arg("--candidates")
        .arg(per_vendor.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| {
            format!(
                "starting {} (build it: cargo build -p fake-ats)",
                exe.display()
            )
        })?;
    let stdout = child.stdout.take().context("no stdout")?;
    let fake = FakeProcess(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let info: ServeInfo = serde_json::from_str(&line).context("the fake's info line")?;
    Ok((fake, info))
}

/// Peak resident set size of this process, from /proc (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub async fn run(total: usize) -> Result<()> {
    let per_vendor = total.div_ceil(3);
    let started = Instant::now();
    let (_fake, info) = start_fake(per_vendor)?;
    println!(
        "load: fake-ats with {per_vendor} candidates per vendor ({} in all) ready in {:.1} s (vendor rate limits off: this measures Hirebridge, not the vendors' quotas)",
        per_vendor * 3,
        started.elapsed().as_secs_f64()
    );
    let dir = tempfile::tempdir()?;
    let pool = hirebridge_core::db::open(dir.path()).await?;
    let store = AccountStore::new(pool.clone());
    let http = crate::world::http_client()?;
    let engine = Arc::new(SyncEngine::new(pool.clone(), SyncConfig::default()));
    let mut runs = Vec::new();
    for v in VENDORS {
        let vi = match v {
            Vendor::SmartRecruiters => &info.smartrecruiters,
            Vendor::Lever => &info.lever,
            Vendor::Unberry => &info.unberry,
        };
        let account = Account::new_api_key(v, &format!("{} load", v.as_str()), Some(&vi.base_url))?;
        store.insert(&account).await?;
        let creds = Arc::new(StaticCredentials(api_key_header(
            v,
            Secret::new(vi.api_key.clone()),
        )));
        let connector = connectors::for_account(&account, creds, &http)?;
        let engine = engine.clone();
        runs.push(tokio::spawn(async move {
            let t = Instant::now();
            let r = engine
                .sync_account(
                    connector,
                    &SyncOptions {
                        full: true,
                        ..SyncOptions::default()
                    },
                )
                .await;
            (v, r, t.elapsed())
        }));
    }
    let searcher = crate::network::Searcher::start(pool.clone());
    let sync_started = Instant::now();
    let mut failed = Vec::new();
    for run in runs {
        let (v, r, took) = run.await?;
        match r {
            Ok(report) => {
                let records: u32 = report.resources.iter().map(|r| r.records).sum();
                println!("  {v}: {records} records in {:.1} s", took.as_secs_f64());
            }
            Err(e) => failed.push(format!("{v}: {}", e.message)),
        }
    }
    let sync_time = sync_started.elapsed();
    let stats = searcher.finish().await;
    let candidates: i64 = sqlx::query_scalar("SELECT count(*) FROM cached_candidates")
        .fetch_one(&pool)
        .await?;
    // One search on the finished cache, for comparison.
    let t = Instant::now();
    search_candidates(
        &pool,
        &SearchQuery {
            text: "ma".to_owned(),
            ..SearchQuery::default()
        },
    )
    .await?;
    let after = t.elapsed();
    let db_size = std::fs::metadata(crate::world::db_file(dir.path()))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "load: {candidates} candidates cached in {:.1} s ({:.0}/s); database {:.0} MiB",
        sync_time.as_secs_f64(),
        candidates as f64 / sync_time.as_secs_f64(),
        db_size as f64 / (1024.0 * 1024.0)
    );
    println!(
        "load: {} searches during the sync: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms, {} failed; one search after: {:.1} ms",
        stats.latencies.len(),
        ms(stats.percentile(0.5)),
        ms(stats.percentile(0.95)),
        ms(stats.percentile(1.0)),
        stats.errors.len(),
        ms(after)
    );
    match peak_rss_mib() {
        Some(mib) => {
            println!("load: peak RSS {mib:.0} MiB (this process: sync engine, cache, searches)")
        }
        None => println!("load: peak RSS unavailable (no /proc)"),
    }
    println!("load: whole run {:.1} s", started.elapsed().as_secs_f64());
    if !failed.is_empty() {
        bail!("syncs failed: {}", failed.join("; "));
    }
    if !stats.errors.is_empty() {
        bail!("searches failed during the sync: {}", stats.errors[0]);
    }
    if (candidates as usize) < per_vendor * 2 {
        bail!("only {candidates} candidates cached");
    }
    Ok(())
}
