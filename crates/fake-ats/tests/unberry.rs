//! Unberry fake (provisional API): envelopes, cursor paging, auth, stage moves, attachments.

mod common;

use std::collections::HashSet;

use common::*;
use fake_ats::Config;
use serde_json::{Value, json};

struct Ub {
    base: String,
    key: String,
    http: reqwest::Client,
}

impl Ub {
    fn new(fake: &fake_ats::RunningFake) -> Self {
        let i = &fake.info().unberry;
        Ub {
            base: i.base_url.clone(),
            key: i.api_key.clone(),
            http: client(),
        }
    }
    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("X-Api-Key", &self.key)
    }
    async fn json(&self, path: &str) -> Value {
        let r = self
            .req(reqwest::Method::GET, path)
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.expect("json")
    }
}

#[tokio::test]
async fn envelopes_are_snake_case_with_iso_timestamps() {
    let fake = start_small().await;
    let ub = Ub::new(&fake);
    let page = ub.json("/candidates?limit=2").await;
    let mut k = keys(&page);
    k.sort();
    assert_eq!(k, ["data", "next_cursor"]);
    let c = &page["data"][0];
    assert_has(
        c,
        &[
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "location",
            "tags",
            "source",
            "application_ids",
            "created_at",
            "updated_at",
        ],
    );
    assert!(is_iso_millis(c["updated_at"].as_str().expect("ts")));
    let one = ub
        .json(&format!("/candidates/{}", c["id"].as_str().expect("id")))
        .await;
    assert_eq!(one["data"]["id"], c["id"]);

    let apps = ub.json("/applications?limit=5").await;
    let a = &apps["data"][0];
    assert_has(
        a,
        &[
            "id",
            "candidate_id",
            "job_id",
            "stage",
            "status",
            "stage_history",
            "rejection_reason",
            "applied_at",
            "updated_at",
        ],
    );
    assert_has(
        &a["stage_history"][0],
        &[
            "stage_id",
            "stage_name",
            "entered_at",
            "exited_at",
            "moved_by",
        ],
    );
    let jobs = ub.json("/jobs").await;
    assert_has(
        &jobs["data"][0],
        &["id", "title", "department", "status", "stages", "location"],
    );
    assert_eq!(jobs["data"][0]["stages"].as_array().map(Vec::len), Some(8));
    let asm = ub.json("/assessments?limit=50").await;
    let done = asm["data"]
        .as_array()
        .expect("data")
        .iter()
        .find(|x| x["status"] == "completed")
        .expect("a completed assessment");
    assert_has(
        done,
        &[
            "overall_score",
            "percentile",
            "skills",
            "traits",
            "completed_at",
        ],
    );
    assert_has(&done["skills"][0], &["name", "score", "max_score"]);
    assert_has(&done["traits"][0], &["name", "score", "band"]);
    let iv = ub.json("/interviews?limit=5").await;
    assert_has(
        &iv["data"][0],
        &[
            "id",
            "application_id",
            "scheduled_start",
            "scheduled_end",
            "timezone",
            "mode",
            "interviewers",
            "status",
        ],
    );
    let missing = ub
        .req(reqwest::Method::GET, "/candidates/cand_nope")
        .send()
        .await
        .expect("req");
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.json::<Value>().await.expect("json")["error"]["code"],
        "not_found"
    );
}

#[tokio::test]
async fn cursor_paging_reaches_the_last_of_10k_candidates() {
    let fake = start(Config {
        candidates: 10_000,
        rate_limits: false,
        ..Config::default()
    })
    .await;
    let ub = Ub::new(&fake);
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut req = ub
            .req(reqwest::Method::GET, "/candidates")
            .query(&[("limit", "100")]);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c.as_str())]);
        }
        let body: Value = req.send().await.expect("page").json().await.expect("json");
        for c in body["data"].as_array().expect("data") {
            assert!(seen.insert(c["id"].as_str().expect("id").to_string()));
        }
        match body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => {
                assert!(body["next_cursor"].is_null());
                break;
            }
        }
    }
    assert_eq!(seen.len(), 10_000);
}

#[tokio::test]
async fn auth_refusals() {
    let fake = start_small().await;
    let ub = Ub::new(&fake);
    let none = ub
        .http
        .get(format!("{}/candidates", ub.base))
        .send()
        .await
        .expect("req");
    assert_eq!(none.status(), 401);
    assert_eq!(
        none.json::<Value>().await.expect("json")["error"]["code"],
        "unauthorized"
    );
    let wrong = ub
        .http
        .get(format!("{}/candidates", ub.base))
        .header("X-Api-Key", "ub_live_wrong")
        .send()
        .await
        .expect("req");
    assert_eq!(wrong.status(), 401);
    // An OAuth token with jobs:read only is refused (403) on candidates.
    let o = &fake.info().unberry.oauth;
    let redirect = "http://127.0.0.1:5000/callback";
    let r = ub
        .http
        .get(&o.authorize_url)
        .query(&[
            ("client_id", o.client_id.as_str()),
            ("redirect_uri", redirect),
            ("response_type", "code"),
            ("state", "x"),
            ("scope", "jobs:read"),
        ])
        .send()
        .await
        .expect("authorize");
    let code = query_param(r.headers()["location"].to_str().expect("loc"), "code").expect("code");
    let tok: Value = ub
        .http
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
    let at = tok["access_token"].as_str().expect("at");
    assert_eq!(
        ub.http
            .get(format!("{}/jobs", ub.base))
            .bearer_auth(at)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );
    let denied = ub
        .http
        .get(format!("{}/candidates", ub.base))
        .bearer_auth(at)
        .send()
        .await
        .expect("req");
    assert_eq!(denied.status(), 403);
}

#[tokio::test]
async fn stage_move_updates_status_history_and_updated_since() {
    let fake = start_small().await;
    let ub = Ub::new(&fake);
    let apps = ub.json("/applications?status=active&limit=1").await;
    let a = &apps["data"][0];
    let id = a["id"].as_str().expect("id");
    let job = ub
        .json(&format!("/jobs/{}", a["job_id"].as_str().expect("job")))
        .await;
    let hired = job["data"]["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .find(|s| s["type"] == "hired")
        .expect("hired stage")["id"]
        .clone();
    let since = "2026-01-01T00:00:00.000Z";
    assert!(
        ub.json(&format!("/applications?updated_since={since}"))
            .await["data"]
            .as_array()
            .expect("data")
            .is_empty()
    );
    let r = ub
        .req(reqwest::Method::PUT, &format!("/applications/{id}/stage"))
        .json(&json!({"stage_id": hired}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 200);
    let moved: Value = r.json().await.expect("json");
    assert_eq!(moved["data"]["status"], "hired");
    assert_eq!(moved["data"]["stage"]["id"], hired);
    let hist = moved["data"]["stage_history"].as_array().expect("history");
    assert_eq!(hist.last().expect("last")["stage_id"], hired);
    let recent = ub
        .json(&format!("/applications?updated_since={since}"))
        .await;
    assert_eq!(recent["data"].as_array().map(Vec::len), Some(1));
    let bad = ub
        .req(reqwest::Method::PUT, &format!("/applications/{id}/stage"))
        .json(&json!({"stage_id": "stg_nope"}))
        .send()
        .await
        .expect("put");
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn create_candidate_application_and_attachment_round_trip() {
    let fake = start_small().await;
    let ub = Ub::new(&fake);
    let r = ub.req(reqwest::Method::POST, "/candidates").json(&json!({"first_name": "Aditi", "last_name": "गुप्ता", "email": "aditi.g@example.com", "phone": "+91 98 765 4321"})).send().await.expect("post");
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.expect("json");
    let cid = c["data"]["id"].as_str().expect("id").to_string();
    let dup = ub
        .req(reqwest::Method::POST, "/candidates")
        .json(&json!({"first_name": "A", "last_name": "G", "email": "ADITI.G@example.com"}))
        .send()
        .await
        .expect("post");
    assert_eq!(dup.status(), 409);
    assert_eq!(
        dup.json::<Value>().await.expect("json")["error"]["existing_id"],
        cid.as_str()
    );

    let open = ub.json("/jobs?status=open").await;
    let jid = open["data"][0]["id"].as_str().expect("job");
    let app = ub
        .req(reqwest::Method::POST, "/applications")
        .json(&json!({"candidate_id": cid, "job_id": jid}))
        .send()
        .await
        .expect("post");
    assert_eq!(app.status(), 201);
    assert_eq!(
        app.json::<Value>().await.expect("json")["data"]["stage"]["order"],
        0
    );

    let blob = binary_blob(40_001);
    let form = reqwest::multipart::Form::new().text("kind", "resume").part(
        "file",
        reqwest::multipart::Part::bytes(blob.clone())
            .file_name("aditi.pdf")
            .mime_str("application/pdf")
            .expect("mime"),
    );
    let up = ub
        .req(
            reqwest::Method::POST,
            &format!("/candidates/{cid}/attachments"),
        )
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(up.status(), 201);
    let meta: Value = up.json().await.expect("json");
    assert_has(
        &meta["data"],
        &[
            "id",
            "candidate_id",
            "file_name",
            "content_type",
            "kind",
            "size",
            "uploaded_at",
            "download_url",
        ],
    );
    let dl = ub
        .http
        .get(meta["data"]["download_url"].as_str().expect("url"))
        .header("X-Api-Key", &ub.key)
        .send()
        .await
        .expect("dl")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(dl.as_ref(), blob.as_slice());
    let list = ub.json(&format!("/candidates/{cid}/attachments")).await;
    assert_eq!(list["data"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn seeded_resumes_are_pdfs_with_the_candidates_email() {
    let fake = start_small().await;
    let ub = Ub::new(&fake);
    let page = ub.json("/candidates?limit=10").await;
    for c in page["data"].as_array().expect("data") {
        let atts = ub
            .json(&format!(
                "/candidates/{}/attachments",
                c["id"].as_str().expect("id")
            ))
            .await;
        let Some(a) = atts["data"].as_array().and_then(|a| a.first()) else {
            continue;
        };
        let pdf = ub
            .http
            .get(a["download_url"].as_str().expect("url"))
            .header("X-Api-Key", &ub.key)
            .send()
            .await
            .expect("dl")
            .bytes()
            .await
            .expect("bytes");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(contains(
            &pdf,
            c["email"].as_str().expect("email").as_bytes()
        ));
        return;
    }
    panic!("no seeded resume in the first 10 candidates");
}

#[tokio::test]
async fn remaining_endpoints_single_records_patch_and_users() {
    let fake = start_small().await;
    let ub = Ub::new(&fake);
    let asm = ub.json("/assessments?limit=1").await["data"][0]["id"]
        .as_str()
        .expect("asm")
        .to_string();
    assert_eq!(
        ub.json(&format!("/assessments/{asm}")).await["data"]["id"],
        asm.as_str()
    );
    let iv = ub.json("/interviews?limit=1").await["data"][0].clone();
    let iid = iv["id"].as_str().expect("iv");
    assert_eq!(
        ub.json(&format!("/interviews/{iid}")).await["data"]["id"],
        iid
    );
    let app = iv["application_id"].as_str().expect("app");
    assert_eq!(
        ub.json(&format!("/applications/{app}")).await["data"]["id"],
        app
    );
    let filtered = ub.json(&format!("/interviews?application_id={app}")).await;
    assert!(
        filtered["data"]
            .as_array()
            .expect("data")
            .iter()
            .all(|x| x["application_id"] == app)
    );
    let users = ub.json("/users").await;
    assert_has(&users["data"][0], &["id", "name", "email", "role"]);

    let c = ub.json("/candidates?limit=1").await["data"][0].clone();
    let cid = c["id"].as_str().expect("id");
    let patched = ub.req(reqwest::Method::PATCH, &format!("/candidates/{cid}")).json(&json!({"tags": ["relocation"], "location": {"city": "Pune", "country": "India", "country_code": "IN"}})).send().await.expect("patch");
    assert_eq!(patched.status(), 200);
    let p: Value = patched.json().await.expect("json");
    assert_eq!(p["data"]["tags"], json!(["relocation"]));
    assert_eq!(p["data"]["location"]["city"], "Pune");
    assert!(p["data"]["updated_at"].as_str().expect("ts") > c["updated_at"].as_str().expect("old"));

    let form = reqwest::multipart::Form::new()
        .text("kind", "cover_letter")
        .part(
            "file",
            reqwest::multipart::Part::bytes(vec![9; 10]).file_name("cl.txt"),
        );
    let up: Value = ub
        .req(
            reqwest::Method::POST,
            &format!("/candidates/{cid}/attachments"),
        )
        .multipart(form)
        .send()
        .await
        .expect("up")
        .json()
        .await
        .expect("json");
    let aid = up["data"]["id"].as_str().expect("aid");
    assert_eq!(
        ub.json(&format!("/attachments/{aid}")).await["data"]["kind"],
        "cover_letter"
    );
    assert_eq!(
        ub.req(reqwest::Method::GET, "/candidates?cursor=%%%")
            .send()
            .await
            .expect("req")
            .status(),
        400
    );
}
