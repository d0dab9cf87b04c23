//! Time to serve one 100-record candidates page at 100k candidates per vendor, on loopback.
//! `cargo bench -p fake-ats --bench page` (env: FAKE_ATS_BENCH_CANDIDATES, FAKE_ATS_BENCH_REQUESTS).

use std::time::{Duration, Instant};

use fake_ats::Config;
use serde_json::Value;

fn env_or(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<44} n={:<4} p50={:>6.2} ms  p95={:>6.2} ms  max={:>6.2} ms",
        samples.len(),
        ms(percentile(&samples, 0.50)),
        ms(percentile(&samples, 0.95)),
        ms(samples[samples.len() - 1])
    );
}

/// Walk `n` pages forward from the first, timing each request (send + full body read).
async fn walk(
    n: usize,
    mut next_request: impl FnMut(Option<&str>) -> reqwest::RequestBuilder,
    cursor_of: impl Fn(&Value) -> Option<String>,
    items: &str,
) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(n);
    let mut cursor: Option<String> = None;
    for _ in 0..n {
        let t = Instant::now();
        let resp = next_request(cursor.as_deref())
            .send()
            .await
            .expect("request");
        let body = resp.bytes().await.expect("body");
        samples.push(t.elapsed());
        let v: Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(v[items].as_array().map(Vec::len), Some(100), "a full page");
        cursor = cursor_of(&v);
        if cursor.is_none() {
            break;
        }
    }
    samples
}

#[tokio::main]
async fn main() {
    let candidates = env_or("FAKE_ATS_BENCH_CANDIDATES", 100_000);
    let requests = env_or("FAKE_ATS_BENCH_REQUESTS", 300);
    let cfg = Config {
        candidates,
        rate_limits: false,
        ..Config::default()
    };
    // Time generation alone (one thread each); the drop afterwards is not timed.
    let t = Instant::now();
    let sr = fake_ats::sr::Store::generate(&cfg);
    let sr_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let lever = fake_ats::lever::Store::generate(&cfg);
    let lever_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let unberry = fake_ats::unberry::Store::generate(&cfg);
    let unberry_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "generate {candidates} candidates, one thread each: SmartRecruiters {sr_ms:.0} ms, Lever {lever_ms:.0} ms, Unberry {unberry_ms:.0} ms"
    );
    drop((sr, lever, unberry));
    let t = Instant::now();
    let fake = fake_ats::spawn(Config {
        candidates,
        rate_limits: false,
        ..Config::default()
    })
    .await
    .expect("fake starts");
    println!(
        "generated {candidates} candidates per vendor and started in {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let info = fake.info().clone();
    let http = reqwest::Client::new();

    // Warm up the connection pool.
    for _ in 0..10 {
        let _ = http
            .get(format!("{}/jobs", info.smartrecruiters.base_url))
            .header("X-SmartToken", &info.smartrecruiters.api_key)
            .send()
            .await;
    }

    let sr = &info.smartrecruiters;
    let samples = walk(
        requests,
        |c| {
            let mut r = http
                .get(format!("{}/candidates", sr.base_url))
                .header("X-SmartToken", &sr.api_key)
                .query(&[("limit", "100")]);
            if let Some(c) = c {
                r = r.query(&[("pageId", c)]);
            }
            r
        },
        |v| {
            v["nextPageId"]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        },
        "content",
    )
    .await;
    report("SmartRecruiters GET /candidates?limit=100", samples);

    let lv = &info.lever;
    let samples = walk(
        requests,
        |c| {
            let mut r = http
                .get(format!("{}/opportunities", lv.base_url))
                .basic_auth(&lv.api_key, Some(""))
                .query(&[("limit", "100")]);
            if let Some(c) = c {
                r = r.query(&[("offset", c)]);
            }
            r
        },
        |v| v["next"].as_str().map(str::to_string),
        "data",
    )
    .await;
    report("Lever GET /opportunities?limit=100", samples);

    let ub = &info.unberry;
    let samples = walk(
        requests,
        |c| {
            let mut r = http
                .get(format!("{}/candidates", ub.base_url))
                .header("X-Api-Key", &ub.api_key)
                .query(&[("limit", "100")]);
            if let Some(c) = c {
                r = r.query(&[("cursor", c)]);
            }
            r
        },
        |v| v["next_cursor"].as_str().map(str::to_string),
        "data",
    )
    .await;
    report("Unberry GET /candidates?limit=100", samples);

    fake.shutdown().await;
}
