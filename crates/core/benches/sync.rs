//! Cache and sync benchmark: prints figures, asserts nothing.
//!
//! `cargo bench -p hirebridge-core --bench sync` (add `-- --quick` to skip the 1M search case).

#[path = "support/search_data.rs"]
mod search_data;

use std::time::{Duration, Instant};

use hirebridge_core::cache::{SearchQuery, search_candidates};
use sqlx::SqlitePool;

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
        let _ = search_candidates(pool, &SearchQuery { text: q.clone(), ..Default::default() }).await;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut worst = (Duration::ZERO, String::new());
    for q in &queries {
        let start = Instant::now();
        let hits = search_candidates(pool, &SearchQuery { text: q.clone(), ..Default::default() })
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
    if quick {
        return;
    }
    search_data::fill(&pool, "bench", 100_000, 900_000).await;
    sqlx::query("PRAGMA optimize").execute(&pool).await.expect("optimize");
    search_latency(&pool, "1M").await;
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        search_bench(quick).await;
    });
    match peak_rss_mib() {
        Some(mib) => println!("peak RSS: {mib:.0} MiB"),
        None => println!("peak RSS: not measured on this OS"),
    }
}
