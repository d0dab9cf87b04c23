//! SmartRecruiters fake: envelopes, field names, paging, auth, rate limits, attachments.

mod common;

use std::collections::HashSet;

use common::*;
use fake_ats::{Config, FaultSpec};
use serde_json::{Value, json};

struct Sr {
    base: String,
    users: String,
    key: String,
    http: reqwest::Client,
}

impl Sr {
    fn new(fake: &fake_ats::RunningFake) -> Self {
        let i = &fake.info().smartrecruiters;
        Sr {
            base: i.base_url.clone(),
            users: i.users_base_url.clone().expect("users base url"),
            key: i.api_key.clone(),
            http: client(),
        }
    }
    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .get(format!("{}{path}", self.base))
            .header("X-SmartToken", &self.key)
    }
    async fn json(&self, path: &str) -> Value {
        let r = self.get(path).send().await.expect("request");
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.expect("json")
    }
}

#[tokio::test]
async fn candidate_list_envelope_fields_and_link_header() {
    let fake = start_small().await;
    let sr = Sr::new(&fake);
    let r = sr.get("/candidates?limit=5").send().await.expect("request");
    assert_eq!(r.status(), 200);
    for h in [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-concurrent-limit",
        "x-ratelimit-concurrent-remaining",
    ] {
        assert!(r.headers().get(h).is_some(), "missing {h}");
    }
    let link = r
        .headers()
        .get("link")
        .expect("Link header")
        .to_str()
        .expect("ascii")
        .to_string();
    let body: Value = r.json().await.expect("json");
    let mut k = keys(&body);
    k.sort();
    assert_eq!(
        k,
        ["content", "limit", "nextPageId", "offset", "totalFound"]
    );
    assert_eq!(body["limit"], 5);
    assert_eq!(body["offset"], 0);
    let next = body["nextPageId"].as_str().expect("nextPageId string");
    assert!(!next.is_empty());
    assert!(
        link.contains(&format!("pageId={next}")) && link.ends_with("rel=\"next\""),
        "{link}"
    );
    let c = &body["content"][0];
    assert_has(
        c,
        &[
            "id",
            "internal",
            "firstName",
            "lastName",
            "email",
            "createdOn",
            "updatedOn",
            "location",
            "averageRating",
            "tags",
            "primaryAssignment",
            "secondaryAssignments",
            "actions",
        ],
    );
    assert!(is_iso_millis(c["createdOn"].as_str().expect("createdOn")));
    assert!(is_iso_millis(c["updatedOn"].as_str().expect("updatedOn")));
    assert_has(
        &c["location"],
        &["country", "countryCode", "region", "city"],
    );
    assert_has(&c["primaryAssignment"], &["job", "status"]);
    assert_has(&c["primaryAssignment"]["job"], &["id", "title", "actions"]);
    let details = c["actions"]["details"]["url"]
        .as_str()
        .expect("details url");
    assert_eq!(
        details,
        format!("{}/candidates/{}", sr.base, c["id"].as_str().expect("id"))
    );
    assert_eq!(c["actions"]["details"]["method"], "GET");
    // A partial object: no phone number in the list.
    assert!(c.get("phoneNumber").is_none());
}

#[tokio::test]
async fn paging_reaches_the_last_of_10k_candidates_without_loss_or_repeat() {
    let fake = start(Config {
        candidates: 10_000,
        rate_limits: false,
        ..Config::default()
    })
    .await;
    let sr = Sr::new(&fake);
    let mut seen = HashSet::new();
    let mut page_id = String::new();
    let mut total = None;
    let mut pages = 0;
    loop {
        let path = if page_id.is_empty() {
            "/candidates?limit=100".to_string()
        } else {
            format!("/candidates?limit=100&pageId={page_id}")
        };
        let r = sr.get(&path).send().await.expect("page");
        assert_eq!(r.status(), 200);
        let has_link = r.headers().get("link").is_some();
        let body: Value = r.json().await.expect("json");
        total.get_or_insert(body["totalFound"].as_u64().expect("totalFound"));
        assert_eq!(body["offset"].as_u64(), Some(seen.len() as u64));
        for c in body["content"].as_array().expect("content") {
            assert!(
                seen.insert(c["id"].as_str().expect("id").to_string()),
                "repeated {}",
                c["id"]
            );
        }
        pages += 1;
        let next = body["nextPageId"]
            .as_str()
            .expect("nextPageId is always present");
        assert_eq!(has_link, !next.is_empty());
        if next.is_empty() {
            break;
        }
        page_id = next.to_string();
    }
    let total = total.expect("total") as usize;
    assert_eq!(seen.len(), total);
    // Only candidates with a job application are listed; about 4% have none.
    assert!((9_000..10_000).contains(&total), "total {total}");
    assert_eq!(pages, total.div_ceil(100));
}

#[tokio::test]
async fn details_application_status_change_and_updated_after() {
    let fake = start_small().await;
    let sr = Sr::new(&fake);
    let list = sr.json("/candidates?limit=1").await;
    let id = list["content"][0]["id"].as_str().expect("id").to_string();
    let d = sr.json(&format!("/candidates/{id}")).await;
    assert_has(
        &d,
        &[
            "id",
            "internal",
            "firstName",
            "lastName",
            "email",
            "phoneNumber",
            "location",
            "web",
            "createdOn",
            "updatedOn",
            "tags",
            "averageRating",
            "education",
            "experience",
            "primaryAssignment",
            "secondaryAssignments",
            "actions",
        ],
    );
    let job = d["primaryAssignment"]["job"]["id"]
        .as_str()
        .expect("job id")
        .to_string();
    let app = sr.json(&format!("/candidates/{id}/jobs/{job}")).await;
    assert_has(
        &app,
        &[
            "status",
            "subStatus",
            "startsOn",
            "source",
            "reasonOfRejection",
            "reasonOfWithdrawal",
            "actions",
        ],
    );

    let before = sr.json("/candidates?limit=100").await["content"]
        .as_array()
        .expect("content")
        .iter()
        .map(|c| c["updatedOn"].as_str().expect("updatedOn").to_string())
        .max()
        .expect("some");
    let r = sr
        .http
        .put(format!("{}/candidates/{id}/jobs/{job}/status", sr.base))
        .header("X-SmartToken", &sr.key)
        .json(&json!({"status": "INTERVIEW", "subStatus": "Technical interview"}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 204);
    let app = sr.json(&format!("/candidates/{id}/jobs/{job}")).await;
    assert_eq!(app["status"], "INTERVIEW");
    let hist = sr
        .json(&format!("/candidates/{id}/jobs/{job}/status/history"))
        .await;
    assert_eq!(
        hist["content"]
            .as_array()
            .expect("history")
            .last()
            .expect("entry")["status"],
        "INTERVIEW"
    );

    let changed = sr
        .json(&format!("/candidates?updatedAfter={}", urlencode(&before)))
        .await;
    let ids: Vec<&str> = changed["content"]
        .as_array()
        .expect("content")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(
        ids.contains(&id.as_str()),
        "updatedAfter must return the changed candidate"
    );

    let bad = sr
        .http
        .put(format!("{}/candidates/{id}/jobs/{job}/status", sr.base))
        .header("X-SmartToken", &sr.key)
        .json(&json!({"status": "PROMOTED"}))
        .send()
        .await
        .expect("put");
    assert_eq!(bad.status(), 400);
    let e: Value = bad.json().await.expect("json");
    assert!(e["message"].is_string() && e["errors"][0]["code"].is_string());
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn create_candidate_and_apply_to_job() {
    let fake = start_small().await;
    let sr = Sr::new(&fake);
    let job = sr.json("/jobs?limit=1").await["content"][0]["id"]
        .as_str()
        .expect("job")
        .to_string();
    let r = sr
        .http
        .post(format!("{}/jobs/{job}/candidates", sr.base))
        .header("X-SmartToken", &sr.key)
        .json(&json!({"firstName": "Zoë", "lastName": "Ñúñez", "email": "zoe.nunez@example.com", "tags": ["rust"]}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.expect("json");
    assert_eq!(c["firstName"], "Zoë");
    assert_eq!(c["primaryAssignment"]["status"], "NEW");
    assert_eq!(c["primaryAssignment"]["job"]["id"], job.as_str());
    let listed = sr
        .json(&format!("/candidates?jobId={job}&q=zoe.nunez"))
        .await;
    assert_eq!(listed["totalFound"], 1);

    let talent_pool = sr
        .http
        .post(format!("{}/candidates", sr.base))
        .header("X-SmartToken", &sr.key)
        .json(&json!({"firstName": "Pool", "lastName": "Only", "email": "pool.only@example.com"}))
        .send()
        .await
        .expect("post");
    assert_eq!(talent_pool.status(), 201);
    // Candidates without an application are not listed by GET /candidates.
    assert_eq!(sr.json("/candidates?q=pool.only").await["totalFound"], 0);

    let missing = sr
        .http
        .post(format!("{}/candidates", sr.base))
        .header("X-SmartToken", &sr.key)
        .json(&json!({"firstName": "No", "lastName": "Email"}))
        .send()
        .await
        .expect("post");
    assert_eq!(missing.status(), 400);
    let e: Value = missing.json().await.expect("json");
    assert_eq!(e["errors"][0]["code"], "REQUIRED");
}

#[tokio::test]
async fn attachment_upload_round_trips_byte_for_byte() {
    let fake = start_small().await;
    let sr = Sr::new(&fake);
    let c = sr.json("/candidates?limit=1").await["content"][0].clone();
    let id = c["id"].as_str().expect("id");
    let blob = binary_blob(70_000);
    let form = reqwest::multipart::Form::new()
        .text("attachmentType", "COVER_LETTER")
        .part(
            "file",
            reqwest::multipart::Part::bytes(blob.clone())
                .file_name("cover letter.bin")
                .mime_str("application/octet-stream")
                .expect("mime"),
        );
    let r = sr
        .http
        .post(format!("{}/candidates/{id}/attachments", sr.base))
        .header("X-SmartToken", &sr.key)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), 201);
    let meta: Value = r.json().await.expect("json");
    assert_has(&meta, &["id", "name", "type", "contentType", "actions"]);
    assert_eq!(meta["type"], "COVER_LETTER");
    let list = sr.json(&format!("/candidates/{id}/attachments")).await;
    assert_has(&list, &["totalFound", "content"]);
    let url = meta["actions"]["download"]["url"]
        .as_str()
        .expect("download url");
    let bytes = sr
        .http
        .get(url)
        .header("X-SmartToken", &sr.key)
        .send()
        .await
        .expect("download")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(bytes.as_ref(), blob.as_slice());

    let missing_type = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(vec![1, 2, 3]).file_name("x.bin"),
    );
    let r = sr
        .http
        .post(format!("{}/candidates/{id}/attachments", sr.base))
        .header("X-SmartToken", &sr.key)
        .multipart(missing_type)
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn seeded_resume_is_a_pdf_with_name_and_email() {
    let fake = start_small().await;
    let sr = Sr::new(&fake);
    let list = sr.json("/candidates?limit=20").await;
    for c in list["content"].as_array().expect("content") {
        let id = c["id"].as_str().expect("id");
        let atts = sr.json(&format!("/candidates/{id}/attachments")).await;
        let Some(a) = atts["content"].as_array().and_then(|a| a.first()) else {
            continue;
        };
        assert_eq!(a["type"], "RESUME");
        let pdf = sr
            .get(&format!(
                "/candidates/{id}/attachments/{}",
                a["id"].as_str().expect("id")
            ))
            .send()
            .await
            .expect("dl")
            .bytes()
            .await
            .expect("bytes");
        assert!(pdf.starts_with(b"%PDF-1.4"));
        let email = c["email"].as_str().expect("email");
        assert!(
            contains(&pdf, email.as_bytes()),
            "resume must contain {email}"
        );
        return;
    }
    panic!("no seeded resume among the first 20 candidates");
}

#[tokio::test]
async fn auth_is_refused_without_valid_credentials_or_scope() {
    let fake = start_small().await;
    let sr = Sr::new(&fake);
    let none = sr
        .http
        .get(format!("{}/candidates", sr.base))
        .send()
        .await
        .expect("req");
    assert_eq!(none.status(), 401);
    let body: Value = none.json().await.expect("json");
    assert!(body["message"].is_string() && body["errors"][0]["code"] == "UNAUTHORIZED");
    let wrong = sr
        .http
        .get(format!("{}/candidates", sr.base))
        .header("X-SmartToken", "DCRA1-nope")
        .send()
        .await
        .expect("req");
    assert_eq!(wrong.status(), 401);
    let bogus = sr
        .http
        .get(format!("{}/candidates", sr.base))
        .bearer_auth("not-a-token")
        .send()
        .await
        .expect("req");
    assert_eq!(bogus.status(), 401);

    // A client-credentials token limited to jobs_read may read jobs but not candidates.
    let o = &fake.info().smartrecruiters.oauth;
    let tok: Value = sr
        .http
        .post(&o.token_url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &o.client_id),
            ("client_secret", &o.client_secret),
            ("scope", "jobs_read"),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    assert_eq!(tok["token_type"], "bearer");
    let at = tok["access_token"].as_str().expect("access token");
    let jobs = sr
        .http
        .get(format!("{}/jobs", sr.base))
        .bearer_auth(at)
        .send()
        .await
        .expect("req");
    assert_eq!(jobs.status(), 200);
    let cands = sr
        .http
        .get(format!("{}/candidates", sr.base))
        .bearer_auth(at)
        .send()
        .await
        .expect("req");
    assert_eq!(cands.status(), 403);
    let e: Value = cands.json().await.expect("json");
    assert_eq!(e["errors"][0]["code"], "OAuthPermissionsException");
}

#[tokio::test]
async fn rate_limit_is_ten_per_second_per_endpoint_with_headers() {
    let fake = start(Config {
        candidates: 50,
        ..Config::default()
    })
    .await;
    let sr = Sr::new(&fake);
    let mut statuses = Vec::new();
    let mut remaining = Vec::new();
    for _ in 0..14 {
        let r = sr.get("/jobs").send().await.expect("req");
        statuses.push(r.status().as_u16());
        remaining.push(
            r.headers()
                .get("x-ratelimit-remaining")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u32>().ok())
                .expect("remaining header"),
        );
        assert_eq!(
            r.headers()
                .get("x-ratelimit-limit")
                .and_then(|v| v.to_str().ok()),
            Some("10")
        );
    }
    assert!(statuses.iter().take(10).all(|s| *s == 200), "{statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(remaining[0], 9);
    assert_eq!(remaining[9], 0);
    // Another endpoint has its own budget.
    let other = sr
        .http
        .get(format!("{}/system-roles", sr.users))
        .header("X-SmartToken", &sr.key)
        .send()
        .await
        .expect("req");
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn only_one_candidates_search_in_flight_per_credential() {
    let fake = start(Config {
        candidates: 50,
        faults: FaultSpec {
            latency_ms: 400,
            ..FaultSpec::default()
        },
        ..Config::default()
    })
    .await;
    let sr = Sr::new(&fake);
    let (a, b) = tokio::join!(sr.get("/candidates").send(), async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        sr.get("/candidates").send().await
    });
    let (a, b) = (a.expect("a"), b.expect("b"));
    assert_eq!(a.status(), 200);
    assert_eq!(b.status(), 429);
    assert_eq!(
        b.headers()
            .get("x-ratelimit-concurrent-limit")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    assert_eq!(
        b.headers()
            .get("x-ratelimit-concurrent-remaining")
            .and_then(|v| v.to_str().ok()),
        Some("0")
    );
    // Other endpoints allow 8 in flight.
    let (x, y) = tokio::join!(sr.get("/jobs").send(), sr.get("/jobs").send());
    assert_eq!(
        (x.expect("x").status(), y.expect("y").status()),
        (reqwest::StatusCode::OK, reqwest::StatusCode::OK)
    );
}

#[tokio::test]
async fn jobs_users_roles_groups_and_configuration() {
    let fake = start_small().await;
    let sr = Sr::new(&fake);
    let jobs = sr.json("/jobs?limit=100").await;
    assert_has(
        &jobs,
        &["limit", "offset", "nextPageId", "totalFound", "content"],
    );
    assert_eq!(jobs["nextPageId"], "");
    assert_eq!(jobs["totalFound"], 12);
    let j = &jobs["content"][0];
    assert_has(
        j,
        &[
            "id",
            "title",
            "refNumber",
            "createdOn",
            "updatedOn",
            "lastActivityOn",
            "department",
            "location",
            "status",
            "postingStatus",
            "language",
            "actions",
        ],
    );
    let d = sr
        .json(&format!("/jobs/{}", j["id"].as_str().expect("id")))
        .await;
    assert_has(
        &d,
        &[
            "targetHiringDate",
            "industry",
            "function",
            "typeOfEmployment",
            "experienceLevel",
            "creator",
            "compensation",
            "jobAd",
            "actions",
        ],
    );
    let missing = sr
        .get("/jobs/00000000-0000-0000-0000-000000000000")
        .send()
        .await
        .expect("req");
    assert_eq!(missing.status(), 404);
    let e: Value = missing.json().await.expect("json");
    assert_eq!(e["errors"][0]["code"], "NOT_FOUND");

    let users: Value = sr
        .http
        .get(format!("{}/users?limit=5", sr.users))
        .header("X-SmartToken", &sr.key)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    let mut k = keys(&users);
    k.sort();
    assert_eq!(k, ["content", "limit", "nextPageId"]);
    let u = &users["content"][0];
    assert_has(
        u,
        &[
            "id",
            "email",
            "firstName",
            "lastName",
            "systemRole",
            "language",
            "active",
            "updatedOn",
            "accessGroups",
        ],
    );
    assert_eq!(u["id"].as_str().expect("id").len(), 24);
    let me: Value = sr
        .http
        .get(format!("{}/users/me", sr.users))
        .header("X-SmartToken", &sr.key)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(me["systemRole"]["id"], "ADMINISTRATOR");
    for path in ["/system-roles", "/access-groups"] {
        let v: Value = sr
            .http
            .get(format!("{}{path}", sr.users))
            .header("X-SmartToken", &sr.key)
            .send()
            .await
            .expect("req")
            .json()
            .await
            .expect("json");
        assert!(
            v["content"].as_array().is_some_and(|a| !a.is_empty()),
            "{path}"
        );
    }
    let reasons = sr.json("/configuration/rejection-reasons").await;
    assert_has(&reasons["content"][0], &["id", "label"]);
}

#[tokio::test]
async fn same_seed_gives_same_data() {
    let a = start(Config {
        candidates: 100,
        rate_limits: false,
        ..Config::default()
    })
    .await;
    let b = start(Config {
        candidates: 100,
        rate_limits: false,
        ..Config::default()
    })
    .await;
    let c = start(Config {
        candidates: 100,
        rate_limits: false,
        seed: 7,
        ..Config::default()
    })
    .await;
    let page = |f: &fake_ats::RunningFake| {
        let sr = Sr::new(f);
        async move {
            let v = sr.json("/candidates?limit=20").await;
            v["content"]
                .as_array()
                .expect("content")
                .iter()
                .map(|c| (c["id"].clone(), c["email"].clone(), c["updatedOn"].clone()))
                .collect::<Vec<_>>()
        }
    };
    let (pa, pb, pc) = (page(&a).await, page(&b).await, page(&c).await);
    assert_eq!(pa, pb);
    assert_ne!(pa, pc);
    assert_eq!(
        a.info().smartrecruiters.api_key,
        b.info().smartrecruiters.api_key
    );
}

#[tokio::test]
async fn primary_status_update_and_deprecated_offset() {
    let fake = start_small().await;
    let sr = Sr::new(&fake);
    let first = sr.json("/candidates?limit=10").await;
    let skipped = sr.json("/candidates?limit=5&offset=5").await;
    assert_eq!(skipped["offset"], 5);
    assert_eq!(skipped["content"][0]["id"], first["content"][5]["id"]);
    let id = first["content"][0]["id"].as_str().expect("id");
    let r = sr
        .http
        .put(format!("{}/candidates/{id}/status", sr.base))
        .header("X-SmartToken", &sr.key)
        .json(&json!({"status": "REJECTED", "reason": "rr-2"}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 204);
    let d = sr.json(&format!("/candidates/{id}")).await;
    assert_eq!(d["primaryAssignment"]["status"], "REJECTED");
    assert_eq!(d["primaryAssignment"]["reasonOfRejection"]["id"], "rr-2");
}

#[tokio::test]
async fn remaining_endpoints_patch_delete_job_attachments_and_history() {
    let fake = start_small().await;
    let sr = Sr::new(&fake);
    let c = sr.json("/candidates?limit=1").await["content"][0].clone();
    let id = c["id"].as_str().expect("id").to_string();
    let job = c["primaryAssignment"]["job"]["id"]
        .as_str()
        .expect("job")
        .to_string();

    let patched = sr
        .http
        .patch(format!("{}/candidates/{id}", sr.base))
        .header("X-SmartToken", &sr.key)
        .json(&json!({"phoneNumber": "+48 22 123 4567"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(patched.status(), 200);
    let d: Value = patched.json().await.expect("json");
    assert_eq!(d["phoneNumber"], "+48 22 123 4567");
    assert!(d["updatedOn"].as_str().expect("updatedOn") > c["updatedOn"].as_str().expect("old"));

    let hist = sr.json(&format!("/candidates/{id}/status/history")).await;
    assert_has(&hist, &["totalFound", "content"]);
    assert_has(&hist["content"][0], &["changedOn", "status", "actions"]);

    let form = reqwest::multipart::Form::new()
        .text("attachmentType", "GENERIC_FILE")
        .part(
            "file",
            reqwest::multipart::Part::bytes(binary_blob(999)).file_name("notes.txt"),
        );
    let up = sr
        .http
        .post(format!(
            "{}/candidates/{id}/jobs/{job}/attachments",
            sr.base
        ))
        .header("X-SmartToken", &sr.key)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(up.status(), 201);
    let meta: Value = up.json().await.expect("json");
    assert_has(&meta["actions"], &["download", "remove"]);
    let for_job = sr
        .json(&format!("/candidates/{id}/jobs/{job}/attachments"))
        .await;
    assert!(
        for_job["content"]
            .as_array()
            .expect("content")
            .iter()
            .any(|a| a["id"] == meta["id"])
    );
    let by_id = sr
        .get(&format!(
            "/candidates/attachments/{}",
            meta["id"].as_str().expect("id")
        ))
        .send()
        .await
        .expect("dl");
    assert_eq!(
        by_id.bytes().await.expect("bytes").as_ref(),
        binary_blob(999).as_slice()
    );

    let del = sr
        .http
        .delete(format!("{}/candidates/{id}", sr.base))
        .header("X-SmartToken", &sr.key)
        .send()
        .await
        .expect("del");
    assert_eq!(del.status(), 204);
    assert_eq!(
        sr.get(&format!("/candidates/{id}"))
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
    let listed = sr.json("/candidates?limit=100").await;
    assert!(
        listed["content"]
            .as_array()
            .expect("content")
            .iter()
            .all(|x| x["id"] != id.as_str())
    );
    let bad_page = sr
        .get("/candidates?pageId=garbage")
        .send()
        .await
        .expect("req");
    assert_eq!(bad_page.status(), 400);
    let bad_limit = sr.get("/candidates?limit=101").send().await.expect("req");
    assert_eq!(bad_limit.status(), 400);
}
