//! Lever connector against fake-ats: people from opportunities, posting apply form, dedupe,
//! files and resumes, stages and archiving, errors and faults.

mod connectors_common;

use std::collections::HashSet;

use connectors_common::*;
use hirebridge_core::connectors::{self, Connector, ProxyBody, ProxyRequest, Resource};
use hirebridge_core::model::*;
use hirebridge_core::{ErrorKind, Vendor};

const V: Vendor = Vendor::Lever;

async fn proxy_json(
    c: &dyn Connector,
    path: &str,
    query: Vec<(String, String)>,
) -> serde_json::Value {
    match c
        .proxy(&ProxyRequest {
            method: "GET".into(),
            path: path.into(),
            query,
            body: None,
        })
        .await
        .expect("proxy")
        .body
    {
        ProxyBody::Json(v) => v,
        other => panic!("not JSON: {other:?}"),
    }
}

async fn deleted_count(c: &dyn Connector) -> usize {
    let mut n = 0;
    let mut offset: Option<String> = None;
    loop {
        let mut q = vec![("limit".to_owned(), "100".to_owned())];
        if let Some(o) = &offset {
            q.push(("offset".into(), o.clone()));
        }
        let v = proxy_json(c, "/opportunities/deleted", q).await;
        n += v["data"].as_array().map_or(0, Vec::len);
        match v["next"].as_str() {
            Some(next) if v["hasNext"] == true => offset = Some(next.to_owned()),
            _ => return n,
        }
    }
}

async fn actor(c: &dyn Connector) -> String {
    c.list_users(&ListOptions::default())
        .await
        .expect("users")
        .result[0]
        .id
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_through_10k_opportunities_and_their_people_to_the_end() {
    let fake = fake(Config {
        candidates: 10_000,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    let expected = 10_000 - deleted_count(c.as_ref()).await;
    let opts = ListOptions {
        limit: Some(100),
        ignore_remote_data: true,
        background: true,
        ..Default::default()
    };
    let apps = connectors::list_all_json(c.as_ref(), Resource::Applications, &opts)
        .await
        .expect("applications");
    let ids: HashSet<&str> = apps.iter().map(|a| a["id"].as_str().expect("id")).collect();
    assert_eq!(ids.len(), apps.len(), "no application twice");
    assert_eq!(apps.len(), expected);
    let contacts: HashSet<&str> = apps
        .iter()
        .map(|a| a["candidate_id"].as_str().expect("contact"))
        .collect();

    let people = connectors::list_all_json(c.as_ref(), Resource::Candidates, &opts)
        .await
        .expect("people");
    let person_ids: HashSet<&str> = people
        .iter()
        .map(|p| p["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        person_ids.len(),
        people.len(),
        "each person once, merged across pages"
    );
    assert_eq!(person_ids, contacts);
    let total_apps: usize = people
        .iter()
        .map(|p| p["applications"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        total_apps, expected,
        "every opportunity lands on its person"
    );
    fake.shutdown().await;
}

#[tokio::test]
async fn lists_and_gets_every_resource() {
    let fake = fake(Config {
        candidates: 80,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    c.verify_credentials().await.expect("key works");

    let page = c
        .list_candidates(&ListOptions {
            limit: Some(20),
            ..Default::default()
        })
        .await
        .expect("people");
    assert!(!page.result.is_empty() && page.next_cursor.is_some());
    let person = &page.result[0];
    let got = c.get_candidate(&person.id).await.expect("get person");
    assert_eq!(got.id, person.id);
    assert!(got.applications.len() >= person.applications.len());
    assert!(got.applications.iter().all(|a| a.candidate_id == person.id));

    let apps = c
        .list_applications(&ListOptions {
            limit: Some(50),
            ..Default::default()
        })
        .await
        .expect("applications");
    assert!(
        apps.result
            .iter()
            .all(|a| a.current_stage.as_ref().is_some_and(|s| s.name.is_some())),
        "stages expanded with names"
    );
    assert!(
        apps.result
            .iter()
            .any(|a| matches!(a.status, StageCategory::Hired | StageCategory::Rejected)),
        "archive reasons classify closed ones"
    );
    let app = c
        .get_application(&apps.result[0].id)
        .await
        .expect("get application");
    assert_eq!(app.current_stage, apps.result[0].current_stage);

    let jobs = c
        .list_jobs(&ListOptions::default())
        .await
        .expect("postings");
    assert_eq!(jobs.result.len(), 12);
    assert_eq!(
        c.get_job(&jobs.result[0].id).await.expect("posting").name,
        jobs.result[0].name
    );
    let users = c.list_users(&ListOptions::default()).await.expect("users");
    assert_eq!(users.result.len(), 15);
    assert_eq!(
        c.get_user(&users.result[0].id).await.expect("user").id,
        users.result[0].id
    );
    assert_eq!(
        c.list_roles(&ListOptions::default())
            .await
            .expect("roles")
            .result
            .len(),
        5
    );
    assert_eq!(
        c.list_groups(&ListOptions::default())
            .await
            .expect_err("no groups")
            .kind,
        ErrorKind::Validation
    );
    let stages = c.list_job_stages(None).await.expect("stages");
    assert!(
        stages
            .iter()
            .any(|s| s.id == "lead-new" && s.category == StageCategory::Lead)
    );

    // Seeded resumes download as PDFs.
    let mut found = false;
    for p in &page.result {
        let atts = c
            .list_attachments(&ListOptions::default().for_candidate(&p.id))
            .await
            .expect("attachments");
        if let Some(a) = atts
            .result
            .iter()
            .find(|a| a.kind == AttachmentType::Resume)
        {
            assert_eq!(
                c.get_attachment(&a.id).await.expect("get attachment").id,
                a.id
            );
            let dir = tempfile::tempdir().expect("tempdir");
            let dest = dir.path().join("r.pdf");
            c.download_attachment(&a.id, &dest).await.expect("download");
            assert!(std::fs::read(&dest).expect("read").starts_with(b"%PDF"));
            found = true;
            break;
        }
    }
    assert!(found, "some seeded person has a resume");
    fake.shutdown().await;
}

#[tokio::test]
async fn sourced_push_with_a_pdf_then_the_same_email_is_reported_as_a_duplicate() {
    let fake = fake(Config {
        candidates: 20,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    let me = actor(c.as_ref()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, bytes) = pdf(dir.path(), "cv.pdf", "Björk");
    let input = CreateCandidate {
        first_name: "Björk".into(),
        emails: vec![Email {
            email: "bjork@example.is".into(),
            kind: None,
        }],
        phones: vec![Phone {
            number: "+354 555 0100".into(),
            kind: Some("mobile".into()),
            extension: None,
        }],
        tags: vec!["singer".into()],
        application_source: Some(ApplicationSource::Lead),
        resume_path: Some(path.clone()),
        perform_as: Some(me.clone()),
        ..Default::default()
    };
    let first = c.create_candidate(&input).await.expect("created");
    assert_eq!(first.duplicate_of, None);
    assert_eq!(
        (
            first.candidate.first_name.as_deref(),
            first.candidate.last_name.as_deref()
        ),
        (Some("Björk"), None)
    );
    assert_eq!(
        first.application.as_ref().expect("opportunity").status,
        StageCategory::Lead
    );
    let resume = first.resume.expect("resume stored");
    let dest = dir.path().join("back.pdf");
    c.download_attachment(&resume.id, &dest)
        .await
        .expect("download");
    assert_eq!(std::fs::read(&dest).expect("read"), bytes, "byte for byte");

    let second = c
        .create_candidate(&CreateCandidate {
            resume_path: None,
            ..input.clone()
        })
        .await
        .expect("created again");
    assert_eq!(
        second.duplicate_of.as_deref(),
        Some(first.candidate.id.as_str()),
        "dedupe surfaced"
    );
    assert_eq!(
        second.candidate.applications.len(),
        2,
        "same person, second opportunity"
    );

    let missing_actor = c
        .create_candidate(&CreateCandidate {
            perform_as: None,
            ..input.clone()
        })
        .await
        .expect_err("perform_as");
    assert_eq!(missing_actor.kind, ErrorKind::Validation);

    let note = dir.path().join("notes.pdf");
    std::fs::write(&note, &bytes).expect("write");
    let file = c
        .add_attachment(&AddAttachment {
            candidate_id: first.candidate.id.clone(),
            application_id: None,
            path: note,
            kind: AttachmentType::Other,
            perform_as: Some(me),
            remote_data: None,
        })
        .await
        .expect("file added");
    let dest = dir.path().join("file.pdf");
    c.download_attachment(&file.id, &dest)
        .await
        .expect("download");
    assert_eq!(std::fs::read(&dest).expect("read"), bytes);
    fake.shutdown().await;
}

#[tokio::test]
async fn applying_to_a_posting_needs_its_required_answers() {
    let fake = fake(Config {
        candidates: 20,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    let jobs = c
        .list_jobs(&ListOptions::default())
        .await
        .expect("postings");
    let mut target = None;
    for j in jobs.result.iter().filter(|j| j.status == JobStatus::Open) {
        let fields = c.job_form_fields(&j.id).await.expect("form");
        if fields.iter().any(|f| f.required) {
            target = Some((j.id.clone(), fields));
            break;
        }
    }
    let (posting, fields) = target.expect("a posting with a required question");
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, bytes) = pdf(dir.path(), "cv.pdf", "Ada");
    let mut input = CreateCandidate {
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        emails: vec![Email {
            email: "ada@example.org".into(),
            kind: None,
        }],
        job_id: Some(posting.clone()),
        resume_path: Some(path),
        ..Default::default()
    };
    let posts_before = fake
        .admin()
        .request_log()
        .iter()
        .filter(|e| e.method == "POST")
        .count();
    let err = c
        .create_candidate(&input)
        .await
        .expect_err("answers missing");
    assert_eq!(err.kind, ErrorKind::Validation);
    assert!(err.message.contains("requires answers"), "{}", err.message);
    assert_eq!(
        fake.admin()
            .request_log()
            .iter()
            .filter(|e| e.method == "POST")
            .count(),
        posts_before,
        "nothing written"
    );

    input.job_form_field_answers = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| FormAnswer {
            question_id: f.question_id.clone(),
            field_id: f.field_id.clone(),
            value: f
                .options
                .first()
                .cloned()
                .unwrap_or_else(|| "Because Hirebridge ✓".into()),
        })
        .collect();
    let out = c.create_candidate(&input).await.expect("applied");
    let app = out.application.expect("application");
    assert_eq!(app.job.map(|j| j.id), Some(posting));
    assert!(app.applied_at.is_some());
    let resume = out.resume.expect("resume from the upload");
    let dest = dir.path().join("back.pdf");
    c.download_attachment(&resume.id, &dest)
        .await
        .expect("download");
    assert_eq!(std::fs::read(&dest).expect("read"), bytes);
    fake.shutdown().await;
}

#[tokio::test]
async fn stage_moves_and_rejections_show_on_re_read() {
    let fake = fake(Config {
        candidates: 30,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    let me = actor(c.as_ref()).await;
    let open = c
        .list_applications(&ListOptions {
            remote_query: vec![("archived".into(), "false".into())],
            ..Default::default()
        })
        .await
        .expect("open ones")
        .result
        .remove(0);
    let target = c
        .list_job_stages(None)
        .await
        .expect("stages")
        .into_iter()
        .find(|s| Some(&s.id) != open.current_stage.as_ref().map(|c| &c.id) && s.id == "offer")
        .expect("offer stage");
    let moved = c
        .move_stage(&MoveStage {
            application_id: open.id.clone(),
            stage_id: target.id.clone(),
            perform_as: Some(me.clone()),
            remote_data: None,
        })
        .await
        .expect("moved");
    assert_eq!(
        moved.current_stage.as_ref().map(|s| s.id.as_str()),
        Some("offer")
    );
    let reread = c.get_application(&open.id).await.expect("re-read");
    assert_eq!(
        reread
            .current_stage
            .as_ref()
            .and_then(|s| s.name.as_deref()),
        Some(target.name.as_str())
    );
    assert_eq!(reread.status, StageCategory::Offer);

    let reasons = proxy_json(c.as_ref(), "/archive_reasons", vec![]).await;
    let non_hired = reasons["data"]
        .as_array()
        .expect("reasons")
        .iter()
        .find(|r| r["type"] == "non-hired")
        .expect("one")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(
        c.reject(&Reject {
            application_id: open.id.clone(),
            reason_id: None,
            perform_as: None,
            remote_data: None
        })
        .await
        .expect_err("needs a reason")
        .kind,
        ErrorKind::Validation
    );
    c.reject(&Reject {
        application_id: open.id.clone(),
        reason_id: Some(non_hired.clone()),
        perform_as: Some(me),
        remote_data: None,
    })
    .await
    .expect("rejected");
    let reread = c.get_application(&open.id).await.expect("re-read");
    assert_eq!(reread.status, StageCategory::Rejected);
    assert_eq!(reread.reject_reason.map(|r| r.id), Some(non_hired));
    fake.shutdown().await;
}

#[tokio::test]
async fn maps_errors_and_absorbs_a_429_burst() {
    let faults: FaultSpec = "429burst=25,5xx=2,vendor=lever".parse().expect("spec");
    let fake = fake(Config {
        candidates: 10,
        faults,
        ..Config::default()
    })
    .await;
    let http = http();
    let c = connector_with(&fake, V, None, &http);
    for _ in 0..3 {
        c.list_jobs(&ListOptions::default())
            .await
            .expect("burst absorbed");
    }
    assert!(
        fake.admin()
            .request_log()
            .iter()
            .filter(|e| e.status == 429)
            .count()
            >= 25
    );

    let e = connector_with(&fake, V, Some("not-the-key"), &http)
        .list_jobs(&ListOptions::default())
        .await
        .expect_err("401");
    assert_eq!(
        (e.kind, e.status, e.vendor_code.as_deref()),
        (ErrorKind::Auth, Some(401), Some("Unauthorized"))
    );
    let e = c
        .get_application("no-such-opportunity")
        .await
        .expect_err("404");
    assert_eq!(
        (e.kind, e.vendor_code.as_deref()),
        (ErrorKind::NotFound, Some("ResourceNotFound"))
    );
    let e = c
        .proxy(&ProxyRequest {
            method: "POST".into(),
            path: "/opportunities".into(),
            query: vec![],
            body: Some(serde_json::json!({"name": "x"})),
        })
        .await
        .expect_err("perform_as missing");
    assert_eq!((e.kind, e.status), (ErrorKind::Validation, Some(400)));
    fake.shutdown().await;
}
