//! The OAuth token endpoint's own faults (admin-configurable, separate from the data-API
//! faults) and the "answer, then drop" fault on data-API POSTs.

mod common;

use std::time::{Duration, Instant};

use common::*;
use fake_ats::{Config, FaultSpec, VendorId};
use serde_json::{Value, json};

fn spec(s: &str) -> FaultSpec {
    s.parse().expect("valid fault spec")
}

async fn fake() -> fake_ats::RunningFake {
    start(Config {
        candidates: 30,
        rate_limits: false,
        auto_consent: true,
        ..Config::default()
    })
    .await
}

/// A SmartRecruiters grant through the auto-consenting authorize endpoint: its refresh token.
async fn sr_refresh_token(fake: &fake_ats::RunningFake) -> String {
    let http = client();
    let o = &fake.info().smartrecruiters.oauth;
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
    tok["refresh_token"].as_str().expect("rt").to_owned()
}

async fn refresh(fake: &fake_ats::RunningFake, rt: &str) -> reqwest::Result<reqwest::Response> {
    let o = &fake.info().smartrecruiters.oauth;
    client()
        .post(&o.token_url)
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("client_id", &o.client_id),
            ("client_secret", &o.client_secret),
        ])
        .send()
        .await
}

#[tokio::test]
async fn the_token_endpoint_throttles_fails_resets_and_truncates_on_request() {
    let fake = fake().await;
    let rt = sr_refresh_token(&fake).await;
    let sr = &fake.info().smartrecruiters;
    fake.admin().set_faults(spec(
        "token-429=1,token-retry-after=2,token-5xx=1,token-reset=1,token-truncate=1,vendor=smartrecruiters",
    ));
    // Data-API requests neither consume nor feel the token faults.
    let jobs = client()
        .get(format!("{}/jobs", sr.base_url))
        .header("X-SmartToken", &sr.api_key)
        .send()
        .await
        .expect("req");
    assert_eq!(jobs.status(), 200);

    let r = refresh(&fake, &rt).await.expect("answers");
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "2");
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "too_many_requests"
    );
    let r = refresh(&fake, &rt).await.expect("answers");
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "temporarily_unavailable"
    );
    assert_eq!(fake.admin().refresh_grants(VendorId::SmartRecruiters), 0);
    let e = refresh(&fake, &rt).await.expect_err("reset");
    assert!(!e.is_status(), "{e:?}");
    assert_eq!(
        fake.admin().refresh_grants(VendorId::SmartRecruiters),
        0,
        "a reset comes before the token logic"
    );
    let r = refresh(&fake, &rt).await.expect("the head arrives");
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.is_err(), "the body is cut short");
    assert_eq!(
        fake.admin().refresh_grants(VendorId::SmartRecruiters),
        1,
        "a truncated answer ran the token logic"
    );
    // Used up: the endpoint works again (SmartRecruiters keeps its refresh token).
    let r = refresh(&fake, &rt).await.expect("answers");
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().await.expect("json")["access_token"].is_string());
    assert_eq!(fake.admin().refresh_grants(VendorId::SmartRecruiters), 2);
}

#[tokio::test]
async fn token_latency_and_vendor_scope_over_the_admin_api() {
    let fake = fake().await;
    let rt = sr_refresh_token(&fake).await;
    let admin = &fake.info().admin_url;
    let r = client()
        .put(format!("{admin}/faults"))
        .json(&json!({"spec": "token-latency=400ms,token-5xx=1,vendor=lever"}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 200);
    let shown: Value = r.json().await.expect("json");
    assert_eq!(
        shown["spec"],
        "token-latency=400ms,token-5xx=1,vendor=lever"
    );
    // The counted fault is Lever's; the latency is on every token request.
    let t = Instant::now();
    let r = refresh(&fake, &rt).await.expect("answers");
    assert_eq!(r.status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(400));
    let counts: Value = client()
        .get(format!("{admin}/tokens/refreshes"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(counts["smartrecruiters"], 1);
    assert_eq!(counts["lever"], 0);
}

#[tokio::test]
async fn an_answer_dropped_after_a_create_leaves_the_record_at_the_vendor() {
    let fake = fake().await;
    let ub = &fake.info().unberry;
    fake.admin()
        .set_faults(spec("drop-answer=1,drop-answer-path=/candidates"));
    let before = fake.admin().candidate_ids(VendorId::Unberry).len();
    let create = |email: &'static str| {
        client()
            .post(format!("{}/candidates", ub.base_url))
            .header("X-Api-Key", &ub.api_key)
            .json(&json!({"first_name": "Ada", "last_name": "Drop", "email": email}))
            .send()
    };
    let e = create("ada.drop@example.com")
        .await
        .expect_err("no answer at all");
    assert!(!e.is_status() && !e.is_timeout(), "{e:?}");
    assert_eq!(
        fake.admin().candidate_ids(VendorId::Unberry).len(),
        before + 1,
        "the vendor created the candidate it never acknowledged"
    );
    assert_eq!(fake.admin().faults().answer_drops, 0);
    // The retry of the same create is refused as a duplicate: it reached the vendor once.
    let r = create("ada.drop@example.com").await.expect("answers");
    assert_eq!(r.status(), 409);
    let r = create("other.drop@example.com").await.expect("answers");
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn answer_drops_skip_gets_and_other_paths() {
    let fake = fake().await;
    let ub = &fake.info().unberry;
    fake.admin()
        .set_faults(spec("drop-answer=1,drop-answer-path=/applications"));
    let r = client()
        .get(format!("{}/candidates?limit=1", ub.base_url))
        .header("X-Api-Key", &ub.api_key)
        .send()
        .await
        .expect("a GET is answered");
    assert_eq!(r.status(), 200);
    let r = client()
        .post(format!("{}/candidates", ub.base_url))
        .header("X-Api-Key", &ub.api_key)
        .json(&json!({"first_name": "Bo", "last_name": "Kept", "email": "bo.kept@example.com"}))
        .send()
        .await
        .expect("a POST elsewhere is answered");
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(fake.admin().faults().answer_drops, 1);
}
