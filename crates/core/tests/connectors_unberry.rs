//! Unberry connector against fake-ats' provisional Unberry API: every resource including
//! assessments and interviews, push with a PDF, stage moves, duplicates as conflicts, faults.

mod connectors_common;

use std::collections::HashSet;

use connectors_common::*;
use hirebridge_core::connectors::{self, Resource};
use hirebridge_core::model::*;
use hirebridge_core::{ErrorKind, Vendor};

const V: Vendor = Vendor::Unberry;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_through_10k_candidates_to_the_end_once_each() {
    let fake = fake(Config {
        candidates: 10_000,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    let opts = ListOptions {
        limit: Some(100),
        ignore_remote_data: true,
        background: true,
        ..Default::default()
    };
    let all = connectors::list_all_json(c.as_ref(), Resource::Candidates, &opts)
        .await
        .expect("all");
    let ids: HashSet<&str> = all.iter().map(|r| r["id"].as_str().expect("id")).collect();
    assert_eq!(ids.len(), all.len());
    assert_eq!(all.len(), 10_000);
    fake.shutdown().await;
}

#[tokio::test]
async fn lists_and_gets_every_resource_including_assessments_and_interviews() {
    let fake = fake(Config {
        candidates: 60,
        ..Config::default()
    })
    .await;
    let c = connector(&fake, V);
    c.verify_credentials().await.expect("key works");
    let people = c
        .list_candidates(&ListOptions {
            limit: Some(10),
            ..Default::default()
        })
        .await
        .expect("people");
    assert_eq!(people.result.len(), 10);
    assert!(people.next_cursor.is_some());
    let apps = c
        .list_applications(&ListOptions {
            limit: Some(50),
            ..Default::default()
        })
        .await
        .expect("applications");
    let app = &apps.result[0];
    assert_eq!(
        c.get_application(&app.id)
            .await
            .expect("get application")
            .current_stage,
        app.current_stage
    );
    let person = c.get_candidate(&app.candidate_id).await.expect("person");
    assert!(
        person.applications.iter().any(|a| a.id == app.id),
        "get_candidate embeds applications"
    );

    let jobs = c.list_jobs(&ListOptions::default()).await.expect("jobs");
    assert_eq!(jobs.result.len(), 12);
    let job = c.get_job(&jobs.result[0].id).await.expect("job");
    let stages = c.list_job_stages(Some(&job.id)).await.expect("stages");
    assert!(stages.iter().any(|s| s.category == StageCategory::Rejected));
    assert_eq!(
        c.list_job_stages(None).await.expect_err("needs a job").kind,
        ErrorKind::Validation
    );

    let users = c.list_users(&ListOptions::default()).await.expect("users");
    assert!(!users.result.is_empty());
    assert_eq!(
        c.get_user(&users.result[0].id).await.expect("user").id,
        users.result[0].id
    );
    assert!(
        !c.list_roles(&ListOptions::default())
            .await
            .expect("roles")
            .result
            .is_empty()
    );
    assert_eq!(
        c.list_groups(&ListOptions::default())
            .await
            .expect_err("no groups")
            .kind,
        ErrorKind::Validation
    );

    let assessments = c
        .list_assessments(&ListOptions {
            limit: Some(50),
            ..Default::default()
        })
        .await
        .expect("assessments");
    let done = assessments
        .result
        .iter()
        .find(|a| a.status == AssessmentStatus::Completed)
        .expect("a completed one");
    assert!(done.score.is_some() && !done.signals.is_empty());
    assert_eq!(
        c.get_assessment(&done.id).await.expect("assessment").score,
        done.score
    );
    let interviews = c
        .list_interviews(&ListOptions {
            limit: Some(50),
            ..Default::default()
        })
        .await
        .expect("interviews");
    let i = &interviews.result[0];
    assert!(i.start_at.is_some());
    assert_eq!(
        c.get_interview(&i.id).await.expect("interview").start_at,
        i.start_at
    );
    fake.shutdown().await;
}

#[tokio::test]
async fn pushes_a_pdf_moves_rejects_and_refuses_a_duplicate_as_conflict() {
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
        .into_iter()
        .find(|j| j.status == JobStatus::Open)
        .expect("open job");
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, bytes) = pdf(dir.path(), "cv.pdf", "Aarav Śarmā");
    let input = CreateCandidate {
        first_name: "Aarav".into(),
        last_name: "Śarmā".into(),
        emails: vec![Email {
            email: "aarav.sharma@example.in".into(),
            kind: None,
        }],
        job_id: Some(job.id.clone()),
        resume_path: Some(path),
        ..Default::default()
    };
    let out = c.create_candidate(&input).await.expect("created");
    let resume = out.resume.expect("resume");
    let dest = dir.path().join("back.pdf");
    c.download_attachment(&resume.id, &dest)
        .await
        .expect("download");
    assert_eq!(std::fs::read(&dest).expect("read"), bytes, "byte for byte");
    assert_eq!(
        c.get_attachment(&resume.id)
            .await
            .expect("attachment")
            .file_name,
        "cv.pdf"
    );
    assert_eq!(
        c.list_attachments(&ListOptions::default().for_candidate(&out.candidate.id))
            .await
            .expect("list")
            .result
            .len(),
        1
    );

    let app = out.application.expect("applied");
    let stages = c.list_job_stages(Some(&job.id)).await.expect("stages");
    let interview = stages
        .iter()
        .find(|s| s.name.contains("interview"))
        .expect("an interview stage");
    c.move_stage(&MoveStage {
        application_id: app.id.clone(),
        stage_id: interview.id.clone(),
        perform_as: None,
        remote_data: None,
    })
    .await
    .expect("moved");
    assert_eq!(
        c.get_application(&app.id)
            .await
            .expect("re-read")
            .current_stage
            .map(|s| s.id),
        Some(interview.id.clone())
    );
    c.reject(&Reject {
        application_id: app.id.clone(),
        reason_id: Some("Skills mismatch".into()),
        perform_as: None,
        remote_data: None,
    })
    .await
    .expect("rejected");
    let reread = c.get_application(&app.id).await.expect("re-read");
    assert_eq!(reread.status, StageCategory::Rejected);
    assert_eq!(
        reread.reject_reason.map(|r| r.id).as_deref(),
        Some("Skills mismatch")
    );

    let e = c
        .create_candidate(&CreateCandidate {
            resume_path: None,
            job_id: None,
            ..input
        })
        .await
        .expect_err("duplicate");
    assert_eq!(
        (e.kind, e.status, e.vendor_code.as_deref()),
        (ErrorKind::Conflict, Some(409), Some("duplicate_candidate"))
    );
    let e = c
        .move_stage(&MoveStage {
            application_id: app.id.clone(),
            stage_id: "nope".into(),
            perform_as: None,
            remote_data: None,
        })
        .await
        .expect_err("422");
    assert_eq!((e.kind, e.status), (ErrorKind::Validation, Some(422)));
    fake.shutdown().await;
}

#[tokio::test]
async fn maps_auth_and_not_found_and_absorbs_a_429_burst() {
    let faults: FaultSpec = "429burst=15,retry-after=0,vendor=unberry"
        .parse()
        .expect("spec");
    let fake = fake(Config {
        candidates: 10,
        faults,
        ..Config::default()
    })
    .await;
    let http = http();
    let c = connector_with(&fake, V, None, &http);
    c.list_jobs(&ListOptions::default())
        .await
        .expect("absorbed");
    let e = connector_with(&fake, V, Some("ub_live_wrong"), &http)
        .list_jobs(&ListOptions::default())
        .await
        .expect_err("401");
    assert_eq!(
        (e.kind, e.vendor_code.as_deref()),
        (ErrorKind::Auth, Some("unauthorized"))
    );
    let e = c.get_candidate("cand_missing").await.expect_err("404");
    assert_eq!(
        (e.kind, e.vendor_code.as_deref()),
        (ErrorKind::NotFound, Some("not_found"))
    );
    fake.shutdown().await;
}
