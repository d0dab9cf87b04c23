//! Lever fake: envelopes, ms timestamps, opaque paging, auth, token bucket, creates, files, apply.

mod common;

use std::collections::HashSet;

use common::*;
use fake_ats::{Config, VendorId};
use serde_json::{Value, json};

struct Lever {
    base: String,
    key: String,
    http: reqwest::Client,
}

impl Lever {
    fn new(fake: &fake_ats::RunningFake) -> Self {
        let i = &fake.info().lever;
        Lever {
            base: i.base_url.clone(),
            key: i.api_key.clone(),
            http: client(),
        }
    }
    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .basic_auth(&self.key, Some(""))
    }
    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.req(reqwest::Method::GET, path)
    }
    async fn json(&self, path: &str) -> Value {
        let r = self.get(path).send().await.expect("request");
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.expect("json")
    }
    async fn first_user(&self) -> String {
        self.json("/users?limit=1").await["data"][0]["id"]
            .as_str()
            .expect("user")
            .to_string()
    }
}

#[tokio::test]
async fn opportunity_envelope_fields_and_ms_timestamps() {
    let fake = start_small().await;
    let lv = Lever::new(&fake);
    let page = lv.json("/opportunities?limit=3").await;
    assert_eq!(page["hasNext"], true);
    assert!(page["next"].is_string());
    let o = &page["data"][0];
    assert_has(
        o,
        &[
            "id",
            "name",
            "headline",
            "contact",
            "emails",
            "phones",
            "confidentiality",
            "location",
            "links",
            "archived",
            "tags",
            "sources",
            "origin",
            "sourcedBy",
            "owner",
            "followers",
            "applications",
            "createdAt",
            "updatedAt",
            "lastInteractionAt",
            "lastAdvancedAt",
            "snoozedUntil",
            "stage",
            "stageChanges",
            "urls",
            "isAnonymized",
            "dataProtection",
            "opportunityLocation",
        ],
    );
    assert!(o["createdAt"].is_i64() && o["updatedAt"].is_i64());
    assert!(o["createdAt"].as_i64().expect("ms") > 1_600_000_000_000);
    assert_has(
        &o["stageChanges"][0],
        &["toStageId", "toStageIndex", "updatedAt", "userId"],
    );
    assert!(o["stage"].is_string());
    let single = lv
        .json(&format!(
            "/opportunities/{}?expand=stage&expand=applications&expand=contact",
            o["id"].as_str().expect("id")
        ))
        .await;
    assert_has(&single["data"]["stage"], &["id", "text"]);
    assert_has(&single["data"]["contact"], &["id", "name", "emails"]);
    let missing = lv
        .get("/opportunities/00000000-0000-0000-0000-000000000000")
        .send()
        .await
        .expect("req");
    assert_eq!(missing.status(), 404);
    let e: Value = missing.json().await.expect("json");
    assert_eq!(e["code"], "ResourceNotFound");
    assert!(e["message"].is_string());
}

#[tokio::test]
async fn paging_reaches_the_last_of_10k_opportunities_without_loss_or_repeat() {
    let fake = start(Config {
        candidates: 10_000,
        rate_limits: false,
        ..Config::default()
    })
    .await;
    let lv = Lever::new(&fake);
    let mut seen = HashSet::new();
    let mut offset: Option<String> = None;
    loop {
        let mut req = lv.get("/opportunities").query(&[("limit", "100")]);
        if let Some(o) = &offset {
            req = req.query(&[("offset", o.as_str())]);
        }
        let body: Value = req.send().await.expect("page").json().await.expect("json");
        for o in body["data"].as_array().expect("data") {
            assert!(
                seen.insert(o["id"].as_str().expect("id").to_string()),
                "repeated {}",
                o["id"]
            );
        }
        if body["hasNext"] == true {
            offset = Some(body["next"].as_str().expect("next token").to_string());
        } else {
            assert!(
                body.get("next").is_none(),
                "`next` must be omitted on the last page"
            );
            break;
        }
    }
    assert_eq!(seen.len(), 10_000);
}

#[tokio::test]
async fn auth_refusals_and_scopes() {
    let fake = start_small().await;
    let lv = Lever::new(&fake);
    let none = lv
        .http
        .get(format!("{}/opportunities", lv.base))
        .send()
        .await
        .expect("req");
    assert_eq!(none.status(), 401);
    let e: Value = none.json().await.expect("json");
    assert!(e["code"].is_string() && e["message"].is_string());
    let wrong = lv
        .http
        .get(format!("{}/opportunities", lv.base))
        .basic_auth("wrong", Some(""))
        .send()
        .await
        .expect("req");
    assert_eq!(wrong.status(), 401);

    // An OAuth token with only stages:read:admin is refused on opportunities with 403.
    let o = &fake.info().lever.oauth;
    let redirect = "http://127.0.0.1:45678/callback";
    let loc = lv
        .http
        .get(&o.authorize_url)
        .query(&[
            ("client_id", o.client_id.as_str()),
            ("redirect_uri", redirect),
            ("response_type", "code"),
            ("state", "s1"),
            ("audience", &format!("{}/", lv.base)),
            ("scope", "stages:read:admin"),
        ])
        .send()
        .await
        .expect("authorize");
    assert_eq!(loc.status(), 302);
    let code = query_param(loc.headers()["location"].to_str().expect("loc"), "code").expect("code");
    let tok: Value = lv
        .http
        .post(&o.token_url)
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", &o.client_id),
            ("client_secret", &o.client_secret),
            ("code", &code),
            ("redirect_uri", redirect),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    let at = tok["access_token"].as_str().expect("at");
    assert_eq!(
        lv.http
            .get(format!("{}/stages", lv.base))
            .bearer_auth(at)
            .send()
            .await
            .expect("req")
            .status(),
        200
    );
    let denied = lv
        .http
        .get(format!("{}/opportunities", lv.base))
        .bearer_auth(at)
        .send()
        .await
        .expect("req");
    assert_eq!(denied.status(), 403);
    assert_eq!(
        denied.json::<Value>().await.expect("json")["code"],
        "Forbidden"
    );
}

#[tokio::test]
async fn token_bucket_allows_bursts_of_twenty_then_429_without_headers() {
    let fake = start(Config {
        candidates: 50,
        ..Config::default()
    })
    .await;
    let lv = Lever::new(&fake);
    let mut statuses = Vec::new();
    let mut limited = None;
    for _ in 0..30 {
        let r = lv.get("/stages").send().await.expect("req");
        assert!(
            r.headers()
                .keys()
                .all(|k| !k.as_str().starts_with("x-ratelimit"))
        );
        statuses.push(r.status().as_u16());
        if r.status() == 429 && limited.is_none() {
            limited = Some(r.json::<Value>().await.expect("json"));
        }
    }
    assert!(statuses.iter().take(20).all(|s| *s == 200), "{statuses:?}");
    let body = limited.expect("a 429 past the burst");
    assert_eq!(body["code"], "TooManyRequests");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        lv.get("/stages").send().await.expect("req").status(),
        200,
        "the bucket refills"
    );
}

#[tokio::test]
async fn create_dedupes_by_email_and_validates() {
    let fake = start_small().await;
    let lv = Lever::new(&fake);
    let user = lv.first_user().await;
    let posting = lv.json("/postings?state=published&limit=1").await["data"][0]["id"]
        .as_str()
        .expect("posting")
        .to_string();
    let body = json!({"name": "أمينة الفارسي", "emails": ["amina@example.com"], "phones": [{"type": "mobile", "value": "+971 50 123 4567"}], "tags": ["new-tag"], "postings": [posting], "origin": "sourced"});
    let r = lv
        .req(
            reqwest::Method::POST,
            &format!("/opportunities?perform_as={user}"),
        )
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.expect("json");
    assert_eq!(first["deduped"], false);
    assert_eq!(first["data"]["name"], "أمينة الفارسي");
    assert_eq!(
        first["data"]["applications"].as_array().map(Vec::len),
        Some(1)
    );
    let again: Value = lv
        .req(
            reqwest::Method::POST,
            &format!("/opportunities?perform_as={user}"),
        )
        .json(&json!({"name": "Other Name", "emails": ["AMINA@example.com"]}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(again["deduped"], true);
    assert_eq!(again["data"]["contact"], first["data"]["contact"]);
    assert_eq!(
        again["data"]["name"], "أمينة الفارسي",
        "existing contact data wins"
    );
    assert_ne!(again["data"]["id"], first["data"]["id"]);

    let no_actor = lv
        .req(reqwest::Method::POST, "/opportunities")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(no_actor.status(), 400);
    let two = lv
        .req(
            reqwest::Method::POST,
            &format!("/opportunities?perform_as={user}"),
        )
        .json(&json!({"name": "X", "postings": [posting, posting]}))
        .send()
        .await
        .expect("post");
    assert_eq!(two.status(), 400);
    assert!(two.json::<Value>().await.expect("json")["code"].is_string());
}

#[tokio::test]
async fn multipart_create_with_resume_and_files_round_trip() {
    let fake = start_small().await;
    let lv = Lever::new(&fake);
    let user = lv.first_user().await;
    let resume = binary_blob(50_000);
    let form = reqwest::multipart::Form::new()
        .text("name", "Kwame Mensah")
        .text("emails[]", "kwame@example.com")
        .text("tags[]", "rust")
        .part(
            "resumeFile",
            reqwest::multipart::Part::bytes(resume.clone())
                .file_name("kwame.pdf")
                .mime_str("application/pdf")
                .expect("mime"),
        );
    let r = lv
        .req(
            reqwest::Method::POST,
            &format!("/opportunities?perform_as={user}"),
        )
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 201);
    let opp: Value = r.json().await.expect("json");
    let id = opp["data"]["id"].as_str().expect("id").to_string();
    let resumes = lv.json(&format!("/opportunities/{id}/resumes")).await;
    let rs = &resumes["data"][0];
    assert_has(rs, &["id", "createdAt", "file", "parsedData"]);
    assert_has(
        &rs["file"],
        &["name", "ext", "downloadUrl", "uploadedAt", "status", "size"],
    );
    let dl = lv
        .http
        .get(rs["file"]["downloadUrl"].as_str().expect("url"))
        .basic_auth(&lv.key, Some(""))
        .send()
        .await
        .expect("dl")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(dl.as_ref(), resume.as_slice());

    let blob = binary_blob(123_457);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(blob.clone()).file_name("portfolio.zip"),
    );
    let up = lv
        .req(
            reqwest::Method::POST,
            &format!("/opportunities/{id}/files?perform_as={user}"),
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
            "downloadUrl",
            "ext",
            "name",
            "uploadedAt",
            "status",
            "size",
        ],
    );
    assert_eq!(meta["data"]["size"], 123_457);
    let fid = meta["data"]["id"].as_str().expect("fid");
    let dl = lv
        .get(&format!("/opportunities/{id}/files/{fid}/download"))
        .send()
        .await
        .expect("dl")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(dl.as_ref(), blob.as_slice());
    let del = lv
        .req(
            reqwest::Method::DELETE,
            &format!("/opportunities/{id}/files/{fid}?perform_as={user}"),
        )
        .send()
        .await
        .expect("del");
    assert_eq!(del.status(), 204);
    assert_eq!(
        lv.get(&format!("/opportunities/{id}/files/{fid}"))
            .send()
            .await
            .expect("get")
            .status(),
        404
    );
}

#[tokio::test]
async fn stage_move_appends_change_and_is_seen_by_updated_at_start() {
    let fake = start_small().await;
    let lv = Lever::new(&fake);
    let stages = lv.json("/stages").await;
    assert_eq!(stages["hasNext"], false);
    let ids: Vec<String> = stages["data"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_string())
        .collect();
    assert!(ids.contains(&"lead-new".to_string()) && ids.contains(&"offer".to_string()));
    let o = lv.json("/opportunities?limit=1").await["data"][0].clone();
    let id = o["id"].as_str().expect("id");
    let before_changes = o["stageChanges"].as_array().expect("changes").len();
    let start = o["updatedAt"].as_i64().expect("ms").max(1_760_000_000_000);
    let r = lv
        .req(reqwest::Method::PUT, &format!("/opportunities/{id}/stage"))
        .json(&json!({"stage": "offer"}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 200);
    let moved: Value = r.json().await.expect("json");
    assert_eq!(moved["data"]["stage"], "offer");
    assert_eq!(
        moved["data"]["stageChanges"]
            .as_array()
            .expect("changes")
            .len(),
        before_changes + 1
    );
    let recent = lv
        .json(&format!("/opportunities?updated_at_start={start}"))
        .await;
    let recent_ids: Vec<&str> = recent["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(recent_ids, vec![id]);
    let unknown = lv
        .req(reqwest::Method::PUT, &format!("/opportunities/{id}/stage"))
        .json(&json!({"stage": "nope"}))
        .send()
        .await
        .expect("put");
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn posting_apply_form_validates_custom_questions() {
    let fake = start_small().await;
    let lv = Lever::new(&fake);
    let postings = lv.json("/postings?state=published").await;
    let p = &postings["data"][0];
    assert_has(
        p,
        &[
            "id",
            "text",
            "state",
            "categories",
            "content",
            "createdAt",
            "updatedAt",
            "urls",
            "workplaceType",
            "distributionChannels",
        ],
    );
    let pid = p["id"].as_str().expect("pid");
    let form = lv.json(&format!("/postings/{pid}/apply")).await["data"].clone();
    assert_has(
        &form,
        &[
            "id",
            "text",
            "customQuestions",
            "personalInformation",
            "urls",
        ],
    );
    let questions = form["customQuestions"].as_array().expect("questions");
    assert!(!questions.is_empty());

    let upload_form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4 tiny".to_vec()).file_name("cv.pdf"),
    );
    let up: Value = lv
        .req(reqwest::Method::POST, "/uploads")
        .multipart(upload_form)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json");
    assert_has(&up["data"], &["expiresAt", "filename", "id", "uri", "size"]);
    let uri = up["data"]["uri"].as_str().expect("uri");

    let answers = |fill_required: bool| -> Value {
        Value::Array(
            questions
                .iter()
                .map(|q| {
                    let fields: Vec<Value> = q["fields"]
                        .as_array()
                        .expect("fields")
                        .iter()
                        .map(|f| {
                            let value = if !fill_required && f["required"] == true {
                                Value::Null
                            } else if let Some(opt) =
                                f["options"].as_array().and_then(|o| o.first())
                            {
                                if f["type"] == "multiple-select" {
                                    json!([opt["text"]])
                                } else {
                                    opt["text"].clone()
                                }
                            } else {
                                json!("An answer")
                            };
                            json!({"value": value})
                        })
                        .collect();
                    json!({"id": q["id"], "fields": fields})
                })
                .collect(),
        )
    };
    let personal = json!([{"name": "fullName", "value": "Siobhán O'Brien"}, {"name": "email", "value": "siobhan@example.com"}, {"name": "resume", "value": uri}]);
    let has_required = questions.iter().any(|q| {
        q["fields"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x["required"] == true))
    });
    if has_required {
        let bad = lv
            .req(reqwest::Method::POST, &format!("/postings/{pid}/apply"))
            .json(&json!({"personalInformation": personal, "customQuestions": answers(false)}))
            .send()
            .await
            .expect("post");
        assert_eq!(bad.status(), 400);
    }
    let no_email = lv.req(reqwest::Method::POST, &format!("/postings/{pid}/apply")).json(&json!({"personalInformation": [{"name": "fullName", "value": "X"}], "customQuestions": answers(true)})).send().await.expect("post");
    assert_eq!(no_email.status(), 400);
    let ok = lv
        .req(reqwest::Method::POST, &format!("/postings/{pid}/apply"))
        .json(&json!({"personalInformation": personal, "customQuestions": answers(true)}))
        .send()
        .await
        .expect("post");
    assert_eq!(ok.status(), 201);
    let app: Value = ok.json().await.expect("json");
    assert!(app["data"]["applicationId"].is_string());
    let found = lv
        .json("/opportunities?email=siobhan@example.com&expand=applications")
        .await;
    let opp = &found["data"][0];
    assert_eq!(opp["applications"][0]["id"], app["data"]["applicationId"]);
    assert_eq!(opp["applications"][0]["posting"], pid);
    assert_eq!(opp["stage"], "applicant-new");
}

#[tokio::test]
async fn metadata_endpoints_have_lever_shapes() {
    let fake = start_small().await;
    let lv = Lever::new(&fake);
    let users = lv.json("/users").await;
    assert_has(
        &users["data"][0],
        &[
            "id",
            "name",
            "username",
            "email",
            "createdAt",
            "deactivatedAt",
            "accessRole",
            "photo",
            "externalDirectoryId",
            "linkedContactIds",
            "jobTitle",
            "managerId",
        ],
    );
    let reasons = lv.json("/archive_reasons?type=hired").await;
    assert!(
        reasons["data"]
            .as_array()
            .expect("reasons")
            .iter()
            .all(|r| r["type"] == "hired")
    );
    assert_has(&reasons["data"][0], &["id", "text", "status", "type"]);
    for path in ["/tags", "/sources"] {
        let v = lv.json(path).await;
        assert_has(&v["data"][0], &["text", "count"]);
        assert!(v["data"][0]["count"].as_u64().expect("count") >= 1);
    }
}

#[tokio::test]
async fn admin_deletions_show_in_the_deleted_endpoint_and_vanish() {
    let fake = start_small().await;
    let lv = Lever::new(&fake);
    let report = fake.admin().mutate(Some(VendorId::Lever), 60);
    assert_eq!(report.lever.total(), 60);
    assert_eq!(report.smartrecruiters.total(), 0);
    assert!(!report.lever.deleted.is_empty());
    let deleted = lv.json("/opportunities/deleted").await;
    let ids: HashSet<&str> = deleted["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    for id in &report.lever.deleted {
        assert!(ids.contains(id.as_str()));
        assert_eq!(
            lv.get(&format!("/opportunities/{id}"))
                .send()
                .await
                .expect("get")
                .status(),
            404
        );
    }
    assert!(deleted["data"][0]["deletedAt"].is_i64());
    let all = lv.json("/opportunities?limit=100").await;
    let mut listed = HashSet::new();
    let mut page = all;
    loop {
        for o in page["data"].as_array().expect("data") {
            listed.insert(o["id"].as_str().expect("id").to_string());
        }
        if page["hasNext"] != true {
            break;
        }
        page = lv
            .get("/opportunities")
            .query(&[
                ("limit", "100"),
                ("offset", page["next"].as_str().expect("next")),
            ])
            .send()
            .await
            .expect("page")
            .json()
            .await
            .expect("json");
    }
    assert!(report.lever.deleted.iter().all(|d| !listed.contains(d)));
    assert!(report.lever.created.iter().all(|c| listed.contains(c)));
}

#[tokio::test]
async fn remaining_endpoints_single_records_archive_and_deleted_applications() {
    let fake = start_small().await;
    let lv = Lever::new(&fake);
    let posting = lv.json("/postings?limit=1").await["data"][0]["id"]
        .as_str()
        .expect("posting")
        .to_string();
    assert_eq!(
        lv.json(&format!("/postings/{posting}")).await["data"]["id"],
        posting.as_str()
    );
    let user = lv.first_user().await;
    assert_eq!(
        lv.json(&format!("/users/{user}")).await["data"]["id"],
        user.as_str()
    );
    assert_eq!(
        lv.json("/stages/lead-new").await["data"]["text"],
        "New lead"
    );
    let reasons = lv.json("/archive_reasons").await;
    let reason = reasons["data"]
        .as_array()
        .expect("reasons")
        .iter()
        .find(|r| r["type"] == "non-hired")
        .expect("non-hired")["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        lv.json(&format!("/archive_reasons/{reason}")).await["data"]["id"],
        reason.as_str()
    );

    // An opportunity with a seeded resume: metadata, single resume, download.
    let opps = lv.json("/opportunities?limit=20").await;
    let mut checked = false;
    for o in opps["data"].as_array().expect("data") {
        let id = o["id"].as_str().expect("id");
        let list = lv.json(&format!("/opportunities/{id}/resumes")).await;
        let Some(r) = list["data"].as_array().and_then(|a| a.first()) else {
            continue;
        };
        let rid = r["id"].as_str().expect("rid");
        assert_eq!(
            lv.json(&format!("/opportunities/{id}/resumes/{rid}")).await["data"]["id"],
            rid
        );
        let pdf = lv
            .get(&format!("/opportunities/{id}/resumes/{rid}/download"))
            .send()
            .await
            .expect("dl")
            .bytes()
            .await
            .expect("bytes");
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(r["file"]["size"].as_u64(), Some(pdf.len() as u64));
        assert!(contains(
            &pdf,
            o["emails"][0].as_str().expect("email").as_bytes()
        ));
        assert_eq!(
            lv.json(&format!("/opportunities/{id}/files")).await["hasNext"],
            false
        );
        checked = true;
        break;
    }
    assert!(checked, "a seeded resume among the first 20 opportunities");

    let id = opps["data"][0]["id"].as_str().expect("id");
    let archived = lv
        .req(
            reqwest::Method::PUT,
            &format!("/opportunities/{id}/archived"),
        )
        .json(&json!({"reason": reason}))
        .send()
        .await
        .expect("put");
    assert_eq!(archived.status(), 200);
    let a: Value = archived.json().await.expect("json");
    assert_eq!(a["data"]["archived"]["reason"], reason.as_str());
    assert!(a["data"]["archived"]["archivedAt"].is_i64());
    let listed = lv
        .json(&format!(
            "/opportunities?archived=true&archive_reason_id={reason}&limit=100"
        ))
        .await;
    assert!(
        listed["data"]
            .as_array()
            .expect("data")
            .iter()
            .any(|o| o["id"] == id)
    );
    let restored: Value = lv
        .req(
            reqwest::Method::PUT,
            &format!("/opportunities/{id}/archived"),
        )
        .json(&json!({"reason": null}))
        .send()
        .await
        .expect("put")
        .json()
        .await
        .expect("json");
    assert!(restored["data"]["archived"].is_null());

    let report = fake.admin().mutate(Some(fake_ats::VendorId::Lever), 80);
    let deleted_apps = lv.json("/applications/deleted").await;
    for d in deleted_apps["data"].as_array().expect("data") {
        assert_has(d, &["id", "opportunityId", "deletedAt", "deletedBy"]);
        assert!(
            report
                .lever
                .deleted
                .contains(&d["opportunityId"].as_str().expect("opp").to_string())
        );
    }
    let bad_offset = lv
        .get("/opportunities?offset=not-a-token")
        .send()
        .await
        .expect("req");
    assert_eq!(bad_offset.status(), 400);
}
