//! Fault injection (per run and through admin), the request log, simulated activity, and the binary.

mod common;

use std::time::{Duration, Instant};

use common::*;
use fake_ats::{Config, FaultSpec, ServeInfo, VendorId};
use serde_json::{Value, json};

fn spec(s: &str) -> FaultSpec {
    s.parse().expect("valid fault spec")
}

async fn start_with(faults: &str) -> fake_ats::RunningFake {
    start(Config {
        candidates: 100,
        rate_limits: false,
        faults: spec(faults),
        ..Config::default()
    })
    .await
}

#[tokio::test]
async fn burst_of_429_with_retry_after_then_recovery() {
    let fake = start_with("429burst=2,retry-after=3,vendor=lever").await;
    let http = client();
    let lv = &fake.info().lever;
    let sr = &fake.info().smartrecruiters;
    // Another vendor is untouched by a vendor-scoped fault.
    let ok = http
        .get(format!("{}/jobs", sr.base_url))
        .header("X-SmartToken", &sr.api_key)
        .send()
        .await
        .expect("req");
    assert_eq!(ok.status(), 200);
    for _ in 0..2 {
        let r = http
            .get(format!("{}/stages", lv.base_url))
            .basic_auth(&lv.api_key, Some(""))
            .send()
            .await
            .expect("req");
        assert_eq!(r.status(), 429);
        assert_eq!(
            r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
            Some("3")
        );
        assert_eq!(
            r.json::<Value>().await.expect("json")["code"],
            "TooManyRequests"
        );
    }
    let r = http
        .get(format!("{}/stages", lv.base_url))
        .basic_auth(&lv.api_key, Some(""))
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn burst_of_429_without_retry_after_keeps_sr_headers() {
    let fake = start_with("429burst=1").await;
    let http = client();
    let sr = &fake.info().smartrecruiters;
    let r = http
        .get(format!("{}/jobs", sr.base_url))
        .header("X-SmartToken", &sr.api_key)
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_none());
    assert_eq!(
        r.headers()
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok()),
        Some("0")
    );
    let e: Value = r.json().await.expect("json");
    assert!(e["message"].is_string() && e["errors"][0]["code"].is_string());
    let r = http
        .get(format!("{}/jobs", sr.base_url))
        .header("X-SmartToken", &sr.api_key)
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn server_errors_are_counted() {
    let fake = start_with("5xx=2").await;
    let http = client();
    let ub = &fake.info().unberry;
    let get = || {
        http.get(format!("{}/jobs", ub.base_url))
            .header("X-Api-Key", &ub.api_key)
            .send()
    };
    for _ in 0..2 {
        let r = get().await.expect("req");
        assert_eq!(r.status(), 503);
        assert_eq!(
            r.json::<Value>().await.expect("json")["error"]["code"],
            "service_unavailable"
        );
    }
    assert_eq!(get().await.expect("req").status(), 200);
}

#[tokio::test]
async fn connection_resets_drop_the_connection_without_a_response() {
    let fake = start_with("reset=2").await;
    let http = client();
    let sr = &fake.info().smartrecruiters;
    for _ in 0..2 {
        let r = http
            .get(format!("{}/jobs", sr.base_url))
            .header("X-SmartToken", &sr.api_key)
            .send()
            .await;
        let e = r.expect_err("no response on a reset connection");
        assert!(!e.is_status() && !e.is_timeout(), "{e:?}");
    }
    let r = http
        .get(format!("{}/jobs", sr.base_url))
        .header("X-SmartToken", &sr.api_key)
        .send()
        .await
        .expect("recovered");
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn truncated_bodies_fail_while_reading() {
    let fake = start_with("truncate=1").await;
    let http = client();
    let lv = &fake.info().lever;
    let r = http
        .get(format!("{}/opportunities?limit=20", lv.base_url))
        .basic_auth(&lv.api_key, Some(""))
        .send()
        .await
        .expect("head arrives");
    assert_eq!(r.status(), 200);
    let declared: usize = r
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("content-length");
    assert!(declared > 16);
    assert!(r.bytes().await.is_err(), "the body is cut short");
    let r = http
        .get(format!("{}/opportunities?limit=20", lv.base_url))
        .basic_auth(&lv.api_key, Some(""))
        .send()
        .await
        .expect("req");
    let body: Value = r.json().await.expect("complete body after the fault");
    assert_eq!(body["data"].as_array().map(Vec::len), Some(20));
}

#[tokio::test]
async fn latency_is_added_and_can_be_cleared() {
    let fake = start_with("latency=250ms").await;
    let http = client();
    let ub = &fake.info().unberry;
    let t = Instant::now();
    let r = http
        .get(format!("{}/jobs", ub.base_url))
        .header("X-Api-Key", &ub.api_key)
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(250));
    fake.admin().clear_faults();
    assert_eq!(fake.admin().faults(), FaultSpec::default());
}

#[tokio::test]
async fn admin_http_sets_faults_mutates_and_reads_the_masked_log() {
    let fake = start(Config {
        candidates: 200,
        rate_limits: false,
        ..Config::default()
    })
    .await;
    let http = client();
    let admin = fake.info().admin_url.clone();
    let sr = fake.info().smartrecruiters.clone();

    let put = http
        .put(format!("{admin}/faults"))
        .json(&json!({"spec": "5xx=1,vendor=smartrecruiters"}))
        .send()
        .await
        .expect("put");
    assert_eq!(put.status(), 200);
    let current: Value = http
        .get(format!("{admin}/faults"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(current["spec"], "5xx=1,vendor=smartrecruiters");
    assert_eq!(
        http.get(format!("{}/jobs", sr.base_url))
            .header("X-SmartToken", &sr.api_key)
            .send()
            .await
            .expect("req")
            .status(),
        503
    );
    assert_eq!(
        http.get(format!("{}/jobs", sr.base_url))
            .header("X-SmartToken", &sr.api_key)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );
    assert_eq!(
        http.put(format!("{admin}/faults"))
            .json(&json!({"spec": "explode=1"}))
            .send()
            .await
            .expect("put")
            .status(),
        400
    );
    assert_eq!(
        http.delete(format!("{admin}/faults"))
            .send()
            .await
            .expect("del")
            .status(),
        204
    );

    let before: Value = http
        .get(format!("{}/candidates?limit=100", sr.base_url))
        .header("X-SmartToken", &sr.api_key)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    let max_before = before["content"]
        .as_array()
        .expect("content")
        .iter()
        .filter_map(|c| c["updatedOn"].as_str())
        .max()
        .expect("max")
        .to_string();
    let report: fake_ats::MutationReport = http
        .post(format!("{admin}/mutate"))
        .json(&json!({"vendor": "smartrecruiters", "count": 25}))
        .send()
        .await
        .expect("mutate")
        .json()
        .await
        .expect("json");
    assert_eq!(report.smartrecruiters.total(), 25);
    assert_eq!(report.lever.total(), 0);
    let changed: Value = http
        .get(format!("{}/candidates", sr.base_url))
        .query(&[("updatedAfter", max_before.as_str()), ("limit", "100")])
        .header("X-SmartToken", &sr.api_key)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = changed["content"]
        .as_array()
        .expect("content")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    for id in report
        .smartrecruiters
        .moved
        .iter()
        .chain(&report.smartrecruiters.edited)
        .chain(&report.smartrecruiters.created)
    {
        if report.smartrecruiters.deleted.contains(id) || ids.contains(&id.as_str()) {
            continue;
        }
        // Only candidates with a job application are listed; any other changed one must have none.
        let d: Value = http
            .get(format!("{}/candidates/{id}", sr.base_url))
            .header("X-SmartToken", &sr.api_key)
            .send()
            .await
            .expect("req")
            .json()
            .await
            .expect("json");
        assert!(
            d["primaryAssignment"].is_null(),
            "{id} changed but not seen by updatedAfter"
        );
    }
    for id in &report.smartrecruiters.deleted {
        let r = http
            .get(format!("{}/candidates/{id}", sr.base_url))
            .header("X-SmartToken", &sr.api_key)
            .send()
            .await
            .expect("req");
        assert_eq!(r.status(), 404);
    }

    let log: Vec<fake_ats::LogEntry> = http
        .get(format!("{admin}/log"))
        .send()
        .await
        .expect("log")
        .json()
        .await
        .expect("json");
    assert!(!log.is_empty());
    let text = serde_json::to_string(&log).expect("json");
    assert!(
        !text.contains(&sr.api_key),
        "the API key must be masked in the log"
    );
    let entry = log
        .iter()
        .find(|e| e.path.ends_with("/candidates"))
        .expect("a candidates request");
    assert_eq!(entry.method, "GET");
    assert!(
        entry
            .headers
            .iter()
            .any(|(k, v)| k == "x-smarttoken" && v.ends_with("***"))
    );
    assert!(
        log.iter().all(|e| !e.path.starts_with("/admin")),
        "admin calls are not logged"
    );
    assert_eq!(
        http.delete(format!("{admin}/log"))
            .send()
            .await
            .expect("del")
            .status(),
        204
    );
    assert!(fake.admin().request_log().is_empty());

    let revoked: Value = http
        .post(format!("{admin}/tokens/revoke"))
        .json(&json!({"vendor": "lever"}))
        .send()
        .await
        .expect("revoke")
        .json()
        .await
        .expect("json");
    assert_eq!(revoked["revoked"], 0);
    assert_eq!(
        http.post(format!("{admin}/tokens/expire"))
            .json(&json!({"vendor": "workday"}))
            .send()
            .await
            .expect("expire")
            .status(),
        400
    );
    let ids: Vec<String> = http
        .get(format!("{admin}/records/unberry"))
        .send()
        .await
        .expect("ids")
        .json()
        .await
        .expect("json");
    assert_eq!(ids.len(), 200);
    assert_eq!(ids, fake.admin().candidate_ids(VendorId::Unberry));
    let rec: Value = http
        .get(format!("{admin}/records/unberry/{}", ids[0]))
        .send()
        .await
        .expect("rec")
        .json()
        .await
        .expect("json");
    assert_eq!(rec["id"], ids[0].as_str());
    assert_eq!(
        http.get(format!("{admin}/records/unberry/nope"))
            .send()
            .await
            .expect("rec")
            .status(),
        404
    );
    let sr_id = &fake.admin().candidate_ids(VendorId::SmartRecruiters)[0];
    assert_eq!(
        fake.admin()
            .record(VendorId::SmartRecruiters, sr_id)
            .expect("record")["id"],
        sr_id.as_str()
    );
    let info: ServeInfo = http
        .get(format!("{admin}/info"))
        .send()
        .await
        .expect("info")
        .json()
        .await
        .expect("json");
    assert_eq!(&info, fake.info());
}

#[tokio::test]
async fn mutation_rounds_are_deterministic_per_seed() {
    let a = start(Config {
        candidates: 300,
        ..Config::default()
    })
    .await;
    let b = start(Config {
        candidates: 300,
        ..Config::default()
    })
    .await;
    let ra = a.admin().mutate(None, 20);
    let rb = b.admin().mutate(None, 20);
    // Created records get fresh ids only from the seeded generator, so rounds match exactly.
    assert_eq!(ra.smartrecruiters.moved, rb.smartrecruiters.moved);
    assert_eq!(ra.lever.deleted, rb.lever.deleted);
    assert_eq!(ra.unberry.edited, rb.unberry.edited);
    assert_eq!(
        ra.smartrecruiters.total() + ra.lever.total() + ra.unberry.total(),
        60
    );
    let second = a.admin().mutate(Some(VendorId::Unberry), 5);
    assert_eq!(second.unberry.total(), 5);
}

#[tokio::test]
async fn binary_prints_one_json_line_and_serves() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_fake-ats"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--seed",
            "7",
            "--candidates",
            "150",
            "--faults",
            "5xx=1,vendor=lever",
            "--auto-consent",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn fake-ats");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("in time")
        .expect("read")
        .expect("a line");
    let info: ServeInfo = serde_json::from_str(&line).expect("the line is ServeInfo");
    assert!(
        info.smartrecruiters
            .users_base_url
            .as_deref()
            .is_some_and(|u| u.ends_with("/user-api/v201804"))
    );
    assert!(info.lever.users_base_url.is_none() && !line.contains("\"users_base_url\":null"));
    let http = client();
    let stages = || {
        http.get(format!("{}/stages", info.lever.base_url))
            .basic_auth(&info.lever.api_key, Some(""))
            .send()
    };
    assert_eq!(stages().await.expect("req").status(), 503);
    assert_eq!(stages().await.expect("req").status(), 200);
    let auth = http
        .get(&info.unberry.oauth.authorize_url)
        .query(&[
            ("client_id", info.unberry.oauth.client_id.as_str()),
            ("redirect_uri", "http://127.0.0.1:7/callback"),
            ("response_type", "code"),
            ("state", "s"),
        ])
        .send()
        .await
        .expect("authorize");
    assert_eq!(auth.status(), 302, "--auto-consent redirects at once");
    // Nothing else is printed on stdout.
    assert!(
        tokio::time::timeout(Duration::from_millis(300), lines.next_line())
            .await
            .is_err()
    );
    child.kill().await.expect("kill the child we started");
}

#[tokio::test]
async fn token_faults_expire_then_revoke_bearer_tokens() {
    let fake = start(Config {
        candidates: 50,
        rate_limits: false,
        auto_consent: true,
        ..Config::default()
    })
    .await;
    let http = client();
    let o = fake.info().smartrecruiters.oauth.clone();
    let base = fake.info().smartrecruiters.base_url.clone();
    let token = |grant: &'static str, extra: Option<String>| {
        let mut form = vec![
            ("grant_type", grant.to_string()),
            ("client_id", o.client_id.clone()),
            ("client_secret", o.client_secret.clone()),
        ];
        if let Some(rt) = extra {
            form.push(("refresh_token", rt));
        }
        http.post(&o.token_url).form(&form).send()
    };
    let r = http
        .get(&o.authorize_url)
        .query(&[
            ("client_id", o.client_id.as_str()),
            ("redirect_uri", "http://127.0.0.1:9/callback"),
            ("response_type", "code"),
        ])
        .send()
        .await
        .expect("authorize");
    let code = query_param(r.headers()["location"].to_str().expect("loc"), "code").expect("code");
    let tok: Value = http
        .post(&o.token_url)
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", &o.client_id),
            ("client_secret", &o.client_secret),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let at = tok["access_token"].as_str().expect("at").to_string();
    let rt = tok["refresh_token"].as_str().expect("rt").to_string();

    fake.admin().set_faults(spec("expire=1"));
    // API-key requests do not consume token faults.
    assert_eq!(
        http.get(format!("{base}/jobs"))
            .header("X-SmartToken", &fake.info().smartrecruiters.api_key)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );
    assert_eq!(
        http.get(format!("{base}/jobs"))
            .bearer_auth(&at)
            .send()
            .await
            .expect("req")
            .status(),
        401
    );
    let refreshed: Value = token("refresh_token", Some(rt.clone()))
        .await
        .expect("refresh")
        .json()
        .await
        .expect("json");
    let at2 = refreshed["access_token"].as_str().expect("at2").to_string();
    assert_eq!(
        http.get(format!("{base}/jobs"))
            .bearer_auth(&at2)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );

    fake.admin().set_faults(spec("revoke=1"));
    assert_eq!(
        http.get(format!("{base}/jobs"))
            .bearer_auth(&at2)
            .send()
            .await
            .expect("req")
            .status(),
        401
    );
    let denied = token("refresh_token", Some(rt)).await.expect("refresh");
    assert_eq!(denied.status(), 400);
    assert_eq!(
        denied.json::<Value>().await.expect("json")["error"],
        "invalid_grant"
    );
}
