//! SmartRecruiters connector against fake-ats: every operation and resource, paging, errors, faults.

mod connectors_common;

use std::collections::HashSet;

use connectors_common::*;
use hirebridge_core::connectors::{self, ProxyBody, ProxyRequest, Resource};
use hirebridge_core::model::*;
use hirebridge_core::{ErrorKind, Vendor};

const V: Vendor = Vendor::SmartRecruiters;

async fn total_found(c: &dyn hirebridge_core::connectors::Connector) -> usize {
    let r = c
        .proxy(&ProxyRequest {
            method: "GET".into(),
            path: "/candidates".into(),
            query: vec![("limit".into(), "1".into())],
            body: None,
        })
        .await
        .expect("proxy");
    match r.body {
        ProxyBody::Json(v) => v["totalFound"].as_u64().expect("totalFound") as usize,
        other => panic!("not JSON: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_through_10k_candidates_to_the_end_once_each() {
    let fake = fake(Config {
        candidates: 10_000,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    let expected = total_found(c.as_ref()).await;
    assert!(
        expected > 9_000,
        "most seeded candidates have an application: {expected}"
    );
    let mut opts = ListOptions {
        limit: Some(100),
        ignore_remote_data: true,
        background: true,
        ..Default::default()
    };
    let mut ids = HashSet::new();
    let mut pages = 0;
    loop {
        let page = c.list_candidates(&opts).await.expect("page");
        pages += 1;
        assert_eq!(page.total, u32::try_from(expected).ok(), "totalFound");
        for cand in page.result {
            assert!(ids.insert(cand.id.clone()), "{} twice", cand.id);
        }
        match page.next_cursor {
            Some(next) => opts.cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(ids.len(), expected);
    assert_eq!(pages, expected.div_ceil(100));
    fake.shutdown().await;
}

#[tokio::test]
async fn lists_and_gets_every_resource() {
    let fake = fake(Config {
        candidates: 60,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    c.verify_credentials().await.expect("key works");

    let cands = c
        .list_candidates(&ListOptions {
            limit: Some(5),
            ..Default::default()
        })
        .await
        .expect("candidates");
    assert_eq!(cands.result.len(), 5);
    assert!(cands.next_cursor.is_some());
    let first = &cands.result[0];
    assert!(first.remote_data.is_some());
    let got = c.get_candidate(&first.id).await.expect("get candidate");
    assert_eq!(got.id, first.id);
    assert_eq!(got.emails, first.emails);
    assert!(!got.applications.is_empty());

    let apps = c
        .list_applications(&ListOptions {
            limit: Some(10),
            ..Default::default()
        })
        .await
        .expect("applications");
    assert!(!apps.result.is_empty());
    assert!(
        apps.result.iter().all(|a| a.current_stage.is_some()),
        "every application has its status"
    );
    let app = c
        .get_application(&apps.result[0].id)
        .await
        .expect("get application");
    assert_eq!(app.status, apps.result[0].status);

    let jobs = c.list_jobs(&ListOptions::default()).await.expect("jobs");
    assert_eq!(jobs.result.len(), 12);
    let job = c.get_job(&jobs.result[0].id).await.expect("get job");
    assert_eq!(job.name, jobs.result[0].name);
    let only = c
        .list_candidates(&ListOptions {
            job_id: Some(job.id.clone()),
            ..Default::default()
        })
        .await
        .expect("by job");
    assert!(only.result.iter().all(|cand| {
        cand.applications
            .iter()
            .any(|a| a.job.as_ref().map(|j| &j.id) == Some(&job.id))
    }));

    let users = c.list_users(&ListOptions::default()).await.expect("users");
    assert_eq!(users.result.len(), 15);
    assert_eq!(
        c.get_user(&users.result[0].id).await.expect("get user").id,
        users.result[0].id
    );
    assert!(
        !c.list_roles(&ListOptions::default())
            .await
            .expect("roles")
            .result
            .is_empty()
    );
    assert!(
        !c.list_groups(&ListOptions::default())
            .await
            .expect("groups")
            .result
            .is_empty()
    );
    let stages = c.list_job_stages(Some(&job.id)).await.expect("stages");
    assert!(stages.iter().any(|s| s.id == "INTERVIEW"));

    // An unsupported resource is refused, not faked.
    assert_eq!(
        c.list_assessments(&ListOptions::default())
            .await
            .expect_err("none")
            .kind,
        ErrorKind::Validation
    );

    // Formats: raw gives the vendor record, normalized drops remote_data, exclusions apply.
    let raw = connectors::list_json(
        c.as_ref(),
        Resource::Jobs,
        &ListOptions {
            response_format: ResponseFormat::Raw,
            ..Default::default()
        },
    )
    .await
    .expect("raw");
    assert!(raw.result[0].get("title").is_some() && raw.result[0].get("name").is_none());
    let norm = connectors::list_json(
        c.as_ref(),
        Resource::Jobs,
        &ListOptions {
            response_format: ResponseFormat::Normalized,
            exclude_fields: vec!["description".into()],
            ..Default::default()
        },
    )
    .await
    .expect("normalized");
    assert!(
        norm.result[0].get("remote_data").is_none() && norm.result[0].get("description").is_none()
    );
    fake.shutdown().await;
}

#[tokio::test]
async fn pushes_a_pdf_that_comes_back_byte_for_byte_and_moves_stages() {
    let fake = fake(Config {
        candidates: 20,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    let job = c
        .list_jobs(&ListOptions::default())
        .await
        .expect("jobs")
        .result
        .remove(0);
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, bytes) = pdf(dir.path(), "Zoë Ærø CV.pdf", "Zoë Ærø");
    let outcome = c
        .create_candidate(&CreateCandidate {
            first_name: "Zoë".into(),
            last_name: "Ærø".into(),
            emails: vec![Email {
                email: "zoe.aero@example.com".into(),
                kind: None,
            }],
            job_id: Some(job.id.clone()),
            resume_path: Some(path),
            ..Default::default()
        })
        .await
        .expect("created");
    assert_eq!(outcome.candidate.first_name.as_deref(), Some("Zoë"));
    assert_eq!(outcome.duplicate_of, None);
    let application = outcome.application.expect("applied to the job");
    let resume = outcome.resume.expect("resume attached");
    assert_eq!(resume.kind, AttachmentType::Resume);

    let listed = c
        .list_attachments(&ListOptions::default().for_candidate(&outcome.candidate.id))
        .await
        .expect("attachments");
    assert!(listed.result.iter().any(|a| a.id == resume.id));
    assert_eq!(
        c.get_attachment(&resume.id)
            .await
            .expect("get attachment")
            .file_name,
        resume.file_name
    );
    let dest = dir.path().join("back.pdf");
    let n = c
        .download_attachment(&resume.id, &dest)
        .await
        .expect("downloaded");
    assert_eq!(n as usize, bytes.len());
    assert_eq!(std::fs::read(&dest).expect("read"), bytes, "byte for byte");

    let other = dir.path().join("note.txt");
    std::fs::write(&other, "cover letter ✓").expect("write");
    let att = c
        .add_attachment(&AddAttachment {
            candidate_id: outcome.candidate.id.clone(),
            application_id: Some(application.id.clone()),
            path: other,
            kind: AttachmentType::CoverLetter,
            perform_as: None,
            remote_data: None,
        })
        .await
        .expect("attached");
    assert_eq!(att.kind, AttachmentType::CoverLetter);

    let moved = c
        .move_stage(&MoveStage {
            application_id: application.id.clone(),
            stage_id: "INTERVIEW".into(),
            perform_as: None,
            remote_data: Some(serde_json::json!({"subStatus": "Onsite"})),
        })
        .await
        .expect("moved");
    assert_eq!(
        moved.current_stage.as_ref().map(|s| s.id.as_str()),
        Some("INTERVIEW")
    );
    let reread = c.get_application(&application.id).await.expect("re-read");
    assert_eq!(
        reread
            .current_stage
            .as_ref()
            .and_then(|s| s.name.as_deref()),
        Some("Interview · Onsite")
    );
    let person = c
        .get_candidate(&outcome.candidate.id)
        .await
        .expect("person");
    assert_eq!(person.applications[0].status, StageCategory::Active);

    let rejected = c
        .reject(&Reject {
            application_id: application.id.clone(),
            reason_id: None,
            perform_as: None,
            remote_data: None,
        })
        .await
        .expect("rejected");
    assert_eq!(rejected.status, StageCategory::Rejected);
    assert_eq!(
        c.get_application(&application.id)
            .await
            .expect("re-read")
            .status,
        StageCategory::Rejected
    );

    let bad = c
        .move_stage(&MoveStage {
            application_id: application.id.clone(),
            stage_id: "PARTY".into(),
            perform_as: None,
            remote_data: None,
        })
        .await
        .expect_err("unknown");
    assert_eq!(bad.kind, ErrorKind::Validation);
    fake.shutdown().await;
}

#[tokio::test]
async fn refuses_bad_files_before_sending_anything() {
    let fake = fake(Config {
        candidates: 5,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").expect("write");
    let before = fake.admin().request_log().len();
    for path in [dir.path().join("missing.pdf"), empty] {
        let err = c
            .create_candidate(&CreateCandidate {
                first_name: "A".into(),
                last_name: "B".into(),
                emails: vec![Email {
                    email: "a@b.c".into(),
                    kind: None,
                }],
                resume_path: Some(path),
                ..Default::default()
            })
            .await
            .expect_err("refused");
        assert_eq!(err.kind, ErrorKind::Validation, "{}", err.message);
    }
    assert_eq!(
        fake.admin().request_log().len(),
        before,
        "no request reached the vendor"
    );
    fake.shutdown().await;
}

#[tokio::test]
async fn maps_every_error_kind() {
    let fake = fake(Config {
        candidates: 5,
        ..Config::default()
    })
    .await;
    let http = http();
    let bad_key = connector_with(&fake, V, Some("DCRA1-wrong"), &http);
    let e = bad_key
        .list_jobs(&ListOptions::default())
        .await
        .expect_err("401");
    assert_eq!((e.kind, e.status), (ErrorKind::Auth, Some(401)));

    let c = connector(&fake, V);
    let e = c
        .get_candidate("00000000-0000-0000-0000-000000000000")
        .await
        .expect_err("404");
    assert_eq!((e.kind, e.status), (ErrorKind::NotFound, Some(404)));
    assert!(e.vendor_code.is_some());

    let e = c
        .proxy(&ProxyRequest {
            method: "GET".into(),
            path: "/candidates".into(),
            query: vec![("limit".into(), "1000".into())],
            body: None,
        })
        .await
        .expect_err("400");
    assert_eq!((e.kind, e.status), (ErrorKind::Validation, Some(400)));

    // A token with only jobs_read is refused candidates: 403.
    let sr = fake.info().smartrecruiters.clone();
    let token: serde_json::Value = reqwest::Client::new()
        .post(&sr.oauth.token_url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &sr.oauth.client_id),
            ("client_secret", &sr.oauth.client_secret),
            ("scope", "jobs_read"),
        ])
        .send()
        .await
        .expect("token call")
        .json()
        .await
        .expect("token json");
    let access = token["access_token"]
        .as_str()
        .expect("access token")
        .to_owned();
    let creds = std::sync::Arc::new(hirebridge_core::http::StaticCredentials(
        hirebridge_core::http::AuthHeader::Bearer(hirebridge_core::secrets::Secret::new(access)),
    ));
    let scoped = connectors::for_account(&account(&fake, V), creds, &http).expect("connector");
    scoped
        .list_jobs(&ListOptions::default())
        .await
        .expect("jobs_read allows jobs");
    let e = scoped
        .list_candidates(&ListOptions::default())
        .await
        .expect_err("403");
    assert_eq!((e.kind, e.status), (ErrorKind::Forbidden, Some(403)));
    fake.shutdown().await;
}

#[tokio::test]
async fn absorbs_429_bursts_5xx_resets_and_truncations() {
    let faults: FaultSpec = "429burst=12,5xx=3,reset=2,truncate=2,vendor=smartrecruiters"
        .parse()
        .expect("spec");
    let fake = fake(Config {
        candidates: 30,
        faults,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    for _ in 0..3 {
        c.list_candidates(&ListOptions {
            limit: Some(10),
            ..Default::default()
        })
        .await
        .expect("absorbed");
    }
    let jobs = c
        .list_jobs(&ListOptions::default())
        .await
        .expect("absorbed");
    assert_eq!(jobs.result.len(), 12);
    let statuses: Vec<u16> = fake
        .admin()
        .request_log()
        .iter()
        .map(|e| e.status)
        .collect();
    assert!(
        statuses.iter().filter(|s| **s == 429).count() >= 12,
        "{statuses:?}"
    );
    fake.shutdown().await;
}

#[tokio::test]
async fn a_burst_longer_than_the_retries_is_rate_limited_and_outages_are_vendor_or_network() {
    let fake = fake(Config {
        candidates: 5,
        faults: "429burst=100000,retry-after=0".parse().expect("spec"),
        ..Config::default()
    })
    .await;
    let e = connector(&fake, V)
        .list_jobs(&ListOptions::default())
        .await
        .expect_err("still limited");
    assert_eq!((e.kind, e.status), (ErrorKind::RateLimited, Some(429)));
    fake.shutdown().await;

    let fake = fake_ats::spawn(Config {
        candidates: 5,
        faults: "5xx=50".parse().expect("spec"),
        ..Config::default()
    })
    .await
    .expect("fake");
    let e = connector(&fake, V)
        .list_jobs(&ListOptions::default())
        .await
        .expect_err("down");
    assert_eq!((e.kind, e.status), (ErrorKind::Vendor, Some(503)));
    fake.shutdown().await;

    let fake = fake_ats::spawn(Config {
        candidates: 5,
        faults: "reset=50".parse().expect("spec"),
        ..Config::default()
    })
    .await
    .expect("fake");
    let e = connector(&fake, V)
        .list_jobs(&ListOptions::default())
        .await
        .expect_err("unreachable");
    assert_eq!(e.kind, ErrorKind::Network);
    fake.shutdown().await;
}
