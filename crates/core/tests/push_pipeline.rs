//! The push pipeline against the in-process fake ATS, for each vendor: a push with a resume
//! lands at the vendor (record, application, file bytes) and in the cache; duplicates are shown
//! before anything is sent; invalid pushes send nothing; a push killed after the vendor created
//! the candidate, then retried, creates nothing twice.

mod connectors_common;

use std::sync::{Arc, Mutex};

use connectors_common::*;
use fake_ats::VendorId;
use hirebridge_core::accounts::{AccountStore, api_key_header};
use hirebridge_core::cache::{self, SqlitePool};
use hirebridge_core::connectors::{self, Connector};
use hirebridge_core::http::StaticCredentials;
use hirebridge_core::model::*;
use hirebridge_core::push::{
    self, PushOutcome, PushProgress, PushRequest, PushResponse, PushStep, journal,
};
use hirebridge_core::secrets::Secret;
use hirebridge_core::{ErrorKind, Vendor};

fn vendor_id(v: Vendor) -> VendorId {
    match v {
        Vendor::SmartRecruiters => VendorId::SmartRecruiters,
        Vendor::Lever => VendorId::Lever,
        Vendor::Unberry => VendorId::Unberry,
    }
}

struct Setup {
    fake: RunningFake,
    connector: Arc<dyn Connector>,
    pool: SqlitePool,
    dir: tempfile::TempDir,
}

async fn setup(vendor: Vendor) -> Setup {
    let fake = fake(Config {
        candidates: 20,
        ..Config::default()
    })
    .await;
    let pool = hirebridge_core::db::open_in_memory()
        .await
        .expect("cache opens");
    // Cached records belong to an account row.
    let account = account(&fake, vendor);
    AccountStore::new(pool.clone())
        .insert(&account)
        .await
        .expect("account stored");
    let key = Secret::new(info(&fake, vendor).api_key);
    let creds = Arc::new(StaticCredentials(api_key_header(vendor, key)));
    let connector = connectors::for_account(&account, creds, &http()).expect("connector");
    Setup {
        fake,
        connector,
        pool,
        dir: tempfile::tempdir().expect("tempdir"),
    }
}

fn person(first: &str, last: &str, email: &str) -> CreateCandidate {
    CreateCandidate {
        first_name: first.into(),
        last_name: last.into(),
        emails: vec![Email {
            email: email.into(),
            kind: None,
        }],
        ..Default::default()
    }
}

fn request(
    c: &dyn Connector,
    id: &str,
    candidate: CreateCandidate,
    resume: Option<&std::path::Path>,
) -> PushRequest {
    PushRequest {
        push_id: id.into(),
        account_id: c.account_id().into(),
        candidate,
        resume_path: resume.map(|p| p.to_string_lossy().into_owned()),
        confirm_duplicates: false,
    }
}

/// The pipeline only uses it to build web links; a non-production address gives none.
const BASE: &str = "http://127.0.0.1:9/";

type Steps = Arc<Mutex<Vec<PushProgress>>>;

fn recorder() -> (Steps, push::ProgressFn) {
    let steps: Steps = Arc::default();
    let sink = steps.clone();
    (steps, Arc::new(move |p| sink.lock().expect("lock").push(p)))
}

fn quiet() -> push::ProgressFn {
    Arc::new(|_| {})
}

fn pushed(r: PushResponse) -> PushOutcome {
    match r {
        PushResponse::Pushed { outcome } => outcome,
        other => panic!("expected a push, got {other:?}"),
    }
}

fn posts(fake: &RunningFake) -> usize {
    fake.admin()
        .request_log()
        .iter()
        .filter(|e| e.method == "POST")
        .count()
}

async fn open_job(c: &dyn Connector) -> String {
    c.list_jobs(&ListOptions::default())
        .await
        .expect("jobs")
        .result
        .into_iter()
        .find(|j| j.status == JobStatus::Open)
        .expect("an open job")
        .id
}

async fn lever_actor(c: &dyn Connector) -> String {
    c.list_users(&ListOptions::default())
        .await
        .expect("users")
        .result[0]
        .id
        .clone()
}

/// The input each vendor needs for a push with a resume.
async fn input_for(s: &Setup, email: &str) -> CreateCandidate {
    let c = s.connector.as_ref();
    let mut input = person("Grace", "Hopper", email);
    input.phones = vec![Phone {
        number: "+1 415 555 0199".into(),
        kind: None,
        extension: None,
    }];
    match c.vendor() {
        Vendor::SmartRecruiters | Vendor::Unberry => input.job_id = Some(open_job(c).await),
        Vendor::Lever => input.perform_as = Some(lever_actor(c).await),
    }
    input
}

async fn downloads_as(c: &dyn Connector, file: &Attachment, dir: &std::path::Path, bytes: &[u8]) {
    let dest = dir.join(format!("back-{}", file.id.replace([':', '/'], "_")));
    c.download_attachment(&file.id, &dest)
        .await
        .expect("download");
    assert_eq!(std::fs::read(&dest).expect("read"), bytes, "byte for byte");
}

async fn push_with_resume_lands_at_the_vendor_and_in_the_cache(vendor: Vendor) {
    let s = setup(vendor).await;
    let c = s.connector.as_ref();
    let (path, bytes) = pdf(s.dir.path(), "grace-hopper.pdf", "Grace Hopper");
    let input = input_for(&s, "grace@navy.example").await;
    let (steps, progress) = recorder();
    let before = s.fake.admin().candidate_ids(vendor_id(vendor)).len();
    let out = pushed(
        push::push(
            &s.pool,
            c,
            BASE,
            &request(c, "p-1", input.clone(), Some(&path)),
            progress,
        )
        .await
        .expect("pushed"),
    );
    assert!(!out.recovered);
    assert_eq!(out.vendor, vendor);

    // At the vendor: one more record, readable through the admin API with our email.
    let ids = s.fake.admin().candidate_ids(vendor_id(vendor));
    assert_eq!(ids.len(), before + 1, "exactly one record created");
    let record_id = match vendor {
        Vendor::Lever => out.application.as_ref().expect("opportunity").id.clone(),
        _ => out.candidate.id.clone(),
    };
    let record = s
        .fake
        .admin()
        .record(vendor_id(vendor), &record_id)
        .expect("record at the vendor");
    assert!(
        record.to_string().contains("grace@navy.example"),
        "{record}"
    );
    if let Some(job) = &input.job_id {
        let app = out.application.as_ref().expect("application");
        assert_eq!(app.job.as_ref().map(|j| j.id.as_str()), Some(job.as_str()));
    }
    let resume = out.resume.as_ref().expect("resume attached");
    downloads_as(c, resume, s.dir.path(), &bytes).await;

    // In the cache at once, with the application and the file.
    let detail = cache::candidate_detail(&s.pool, c.account_id(), &out.candidate.id)
        .await
        .expect("query")
        .expect("cached");
    assert_eq!(
        detail.candidate.email.as_deref(),
        Some("grace@navy.example")
    );
    assert!(!detail.attachments.is_empty(), "file cached");
    if input.job_id.is_some() {
        assert!(!detail.applications.is_empty(), "application cached");
    }

    // Progress: every step in order, with the file's size while sending.
    let steps = steps.lock().expect("lock").clone();
    let names: Vec<PushStep> = steps.iter().map(|p| p.step).collect();
    assert_eq!(names.first(), Some(&PushStep::Validating));
    assert_eq!(names.last(), Some(&PushStep::Done));
    for step in [
        PushStep::CheckingDuplicates,
        PushStep::Sending,
        PushStep::Saving,
    ] {
        assert!(names.contains(&step), "{step:?} in {names:?}");
    }
    let sent = steps
        .iter()
        .filter(|p| p.step == PushStep::Sending)
        .last()
        .expect("sending");
    assert_eq!(sent.bytes_total, Some(bytes.len() as f64));
    assert_eq!(sent.bytes_sent, Some(bytes.len() as f64));

    // Asking again with the same push id answers from the journal: no new request.
    let posts_before = posts(&s.fake);
    let again = pushed(
        push::push(
            &s.pool,
            c,
            BASE,
            &request(c, "p-1", input, Some(&path)),
            quiet(),
        )
        .await
        .expect("same answer"),
    );
    assert_eq!(again.candidate.id, out.candidate.id);
    assert_eq!(posts(&s.fake), posts_before);
    s.fake.shutdown().await;
}

#[tokio::test]
async fn smartrecruiters_push_with_resume() {
    push_with_resume_lands_at_the_vendor_and_in_the_cache(Vendor::SmartRecruiters).await;
}

#[tokio::test]
async fn lever_push_with_resume() {
    push_with_resume_lands_at_the_vendor_and_in_the_cache(Vendor::Lever).await;
}

#[tokio::test]
async fn unberry_push_with_resume() {
    push_with_resume_lands_at_the_vendor_and_in_the_cache(Vendor::Unberry).await;
}

async fn duplicates_are_shown_before_sending(vendor: Vendor) {
    let s = setup(vendor).await;
    let c = s.connector.as_ref();
    let input = input_for(&s, "dup@example.org").await;
    let first = pushed(
        push::push(
            &s.pool,
            c,
            BASE,
            &request(c, "d-1", input.clone(), None),
            quiet(),
        )
        .await
        .expect("first"),
    );
    let posts_before = posts(&s.fake);
    // Same phone, other email and case: still the same person.
    let mut again = input.clone();
    again.emails[0].email = "DUP@example.org".into();
    let r = push::push(
        &s.pool,
        c,
        BASE,
        &request(c, "d-2", again.clone(), None),
        quiet(),
    )
    .await
    .expect("answer");
    let PushResponse::NeedsConfirmation { duplicates } = r else {
        panic!("expected duplicates, got {r:?}");
    };
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0].candidate.remote_id, first.candidate.id);
    assert_eq!(
        duplicates[0].matched_on,
        [cache::IdentityKind::Email, cache::IdentityKind::Phone]
    );
    assert_eq!(posts(&s.fake), posts_before, "nothing sent");

    // Confirmed: the vendor has its say (Lever merges, Unberry refuses, SR creates).
    let confirmed = PushRequest {
        confirm_duplicates: true,
        ..request(c, "d-2", again, None)
    };
    let r = push::push(&s.pool, c, BASE, &confirmed, quiet()).await;
    match vendor {
        Vendor::Lever => {
            let out = pushed(r.expect("merged"));
            assert_eq!(
                out.duplicate_of.as_deref(),
                Some(first.candidate.id.as_str())
            );
        }
        Vendor::Unberry => {
            let err = r.expect_err("refused");
            assert_eq!(err.kind, ErrorKind::Conflict);
            let entry = journal::get(&s.pool, "d-2")
                .await
                .expect("read")
                .expect("row");
            assert_eq!(entry.state, journal::PushState::Failed, "safe to retry");
        }
        Vendor::SmartRecruiters => {
            let out = pushed(r.expect("second candidate"));
            assert_ne!(out.candidate.id, first.candidate.id);
        }
    }
    s.fake.shutdown().await;
}

#[tokio::test]
async fn smartrecruiters_duplicates() {
    duplicates_are_shown_before_sending(Vendor::SmartRecruiters).await;
}

#[tokio::test]
async fn lever_duplicates() {
    duplicates_are_shown_before_sending(Vendor::Lever).await;
}

#[tokio::test]
async fn unberry_duplicates() {
    duplicates_are_shown_before_sending(Vendor::Unberry).await;
}

async fn invalid_pushes_send_nothing(vendor: Vendor) {
    let s = setup(vendor).await;
    let c = s.connector.as_ref();
    let good = input_for(&s, "valid@example.org").await;
    let posts_before = posts(&s.fake);
    let refuse = |input: CreateCandidate, resume: Option<std::path::PathBuf>, id: &'static str| {
        let req = request(c, id, input, resume.as_deref());
        let pool = s.pool.clone();
        async move {
            push::push(&pool, c, BASE, &req, quiet())
                .await
                .expect_err("refused")
        }
    };

    // A required field left empty (first name everywhere).
    let err = refuse(
        CreateCandidate {
            first_name: " ".into(),
            ..good.clone()
        },
        None,
        "v-1",
    )
    .await;
    assert_eq!(err.kind, ErrorKind::Validation);
    assert!(err.message.contains("first name"), "{}", err.message);
    if vendor != Vendor::Lever {
        let err = refuse(
            CreateCandidate {
                emails: vec![],
                ..good.clone()
            },
            None,
            "v-2",
        )
        .await;
        assert!(err.message.contains("email"), "{}", err.message);
    }
    // A field the vendor does not take.
    if vendor == Vendor::Unberry {
        let with_title = CreateCandidate {
            title: Some("Admiral".into()),
            ..good.clone()
        };
        let err = refuse(with_title, None, "v-3").await;
        assert!(
            err.message.contains("does not take title"),
            "{}",
            err.message
        );
    }
    // Files: empty, over the vendor's limit (sparse), not a resume, missing.
    let empty = s.dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").expect("write");
    let err = refuse(good.clone(), Some(empty), "v-4").await;
    assert!(err.message.contains("empty (0 bytes)"), "{}", err.message);

    let huge = s.dir.path().join("huge.pdf");
    std::fs::write(&huge, b"%PDF-1.4\n").expect("write");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&huge)
        .expect("open")
        .set_len(200 * 1024 * 1024)
        .expect("grow");
    let err = refuse(good.clone(), Some(huge), "v-5").await;
    assert!(
        err.message.contains("accepts files up to"),
        "{}",
        err.message
    );

    let exe = s.dir.path().join("resume.pdf");
    std::fs::write(&exe, b"MZ\x90\x00not a pdf").expect("write");
    let err = refuse(good.clone(), Some(exe), "v-6").await;
    assert!(err.message.contains("not a PDF or DOCX"), "{}", err.message);

    let err = refuse(good.clone(), Some(s.dir.path().join("gone.pdf")), "v-7").await;
    assert_eq!(err.kind, ErrorKind::NotFound);

    assert_eq!(posts(&s.fake), posts_before, "nothing was sent");
    s.fake.shutdown().await;
}

#[tokio::test]
async fn smartrecruiters_validation() {
    invalid_pushes_send_nothing(Vendor::SmartRecruiters).await;
}

#[tokio::test]
async fn lever_validation() {
    invalid_pushes_send_nothing(Vendor::Lever).await;
}

#[tokio::test]
async fn unberry_validation() {
    invalid_pushes_send_nothing(Vendor::Unberry).await;
}

/// The vendor creates the candidate but the answer never arrives (the fake truncates it): the
/// app sees a network error, as if it was killed mid-push. The retry must find the candidate.
async fn retry_after_a_lost_answer_creates_nothing_twice(vendor: Vendor) {
    let s = setup(vendor).await;
    let c = s.connector.as_ref();
    let (path, bytes) = pdf(s.dir.path(), "cv.pdf", "Katherine Johnson");
    let mut input = input_for(&s, "katherine@nasa.example").await;
    if vendor == Vendor::Unberry {
        // Unberry applies in a second call; without a job the create is the only write.
        input.job_id = None;
    }
    let req = request(c, "r-1", input, Some(&path));
    let admin = s.fake.admin();
    let vid = vendor_id(vendor);
    let before = admin.candidate_ids(vid).len();
    let fault_on_send: push::ProgressFn = Arc::new(move |p: PushProgress| {
        if p.step == PushStep::Sending && p.bytes_sent == Some(0.0) {
            admin.set_faults(FaultSpec {
                truncates: 1,
                ..FaultSpec::default()
            });
        }
    });
    let err = push::push(&s.pool, c, BASE, &req, fault_on_send)
        .await
        .expect_err("the answer was lost");
    assert_eq!(err.kind, ErrorKind::Network, "{err:?}");
    assert_eq!(
        s.fake.admin().candidate_ids(vid).len(),
        before + 1,
        "the vendor did create it"
    );
    let entry = journal::get(&s.pool, "r-1")
        .await
        .expect("read")
        .expect("row");
    assert_eq!(
        entry.state,
        journal::PushState::Pending,
        "unknown outcome stays pending"
    );

    s.fake.admin().clear_faults();
    let out = pushed(
        push::push(&s.pool, c, BASE, &req, quiet())
            .await
            .expect("retried"),
    );
    assert!(out.recovered, "found, not created");
    assert_eq!(
        s.fake.admin().candidate_ids(vid).len(),
        before + 1,
        "still exactly one"
    );
    let resume = out.resume.as_ref().expect("resume there after the retry");
    downloads_as(c, resume, s.dir.path(), &bytes).await;
    let files = c
        .list_attachments(&ListOptions::default().for_candidate(&out.candidate.id))
        .await
        .expect("files")
        .result;
    assert_eq!(
        files.iter().filter(|f| f.file_name == "cv.pdf").count(),
        1,
        "the resume once: {files:?}"
    );
    let cached = cache::candidate_detail(&s.pool, c.account_id(), &out.candidate.id)
        .await
        .expect("query");
    assert!(cached.is_some(), "cached after the retry");
    s.fake.shutdown().await;
}

#[tokio::test]
async fn smartrecruiters_retry_after_crash() {
    retry_after_a_lost_answer_creates_nothing_twice(Vendor::SmartRecruiters).await;
}

#[tokio::test]
async fn lever_retry_after_crash() {
    retry_after_a_lost_answer_creates_nothing_twice(Vendor::Lever).await;
}

#[tokio::test]
async fn unberry_retry_after_crash() {
    retry_after_a_lost_answer_creates_nothing_twice(Vendor::Unberry).await;
}

#[tokio::test]
async fn a_crash_after_the_vendor_answered_only_finishes_the_cache() {
    let s = setup(Vendor::SmartRecruiters).await;
    let c = s.connector.as_ref();
    let input = input_for(&s, "mary@example.org").await;
    let req = request(c, "k-1", input.clone(), None);
    // What a killed app leaves behind: the intent and the vendor's ids, nothing cached.
    let created = c.create_candidate(&input).await.expect("created directly");
    let hash = push::pipeline::request_hash(&req, None);
    journal::begin(&s.pool, "k-1", c.account_id(), &hash)
        .await
        .expect("journal");
    journal::mark_created(
        &s.pool,
        "k-1",
        &created.candidate.id,
        created.application.as_ref().map(|a| a.id.as_str()),
    )
    .await
    .expect("created");
    let posts_before = posts(&s.fake);
    let out = pushed(
        push::push(&s.pool, c, BASE, &req, quiet())
            .await
            .expect("finished"),
    );
    assert!(out.recovered);
    assert_eq!(out.candidate.id, created.candidate.id);
    assert_eq!(posts(&s.fake), posts_before, "no write on retry");
    assert!(
        cache::candidate_detail(&s.pool, c.account_id(), &created.candidate.id)
            .await
            .expect("query")
            .is_some()
    );

    // The same push id with other data is refused rather than guessed at.
    let other = request(
        c,
        "k-1",
        person("Someone", "Else", "else@example.org"),
        None,
    );
    let err = push::push(&s.pool, c, BASE, &other, quiet())
        .await
        .expect_err("reused id");
    assert_eq!(err.kind, ErrorKind::Conflict);
    s.fake.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_vendor_is_refused_as_offline_with_nothing_journaled() {
    let s = setup(Vendor::Unberry).await;
    let c = s.connector.as_ref();
    let input = input_for(&s, "offline@example.org").await;
    let req = request(c, "o-1", input, None);
    s.fake.admin().set_faults(FaultSpec {
        resets: 50,
        ..FaultSpec::default()
    });
    let err = push::push(&s.pool, c, BASE, &req, quiet())
        .await
        .expect_err("offline");
    assert_eq!(err.kind, ErrorKind::Offline, "{err:?}");
    assert!(err.message.contains("nothing was sent"), "{}", err.message);
    assert!(journal::get(&s.pool, "o-1").await.expect("read").is_none());
    s.fake.shutdown().await;
}

#[tokio::test]
async fn lever_applies_to_a_posting_with_its_form_answers() {
    let s = setup(Vendor::Lever).await;
    let c = s.connector.as_ref();
    let mut target = None;
    for j in c
        .list_jobs(&ListOptions::default())
        .await
        .expect("postings")
        .result
    {
        if j.status != JobStatus::Open {
            continue;
        }
        let fields = c.job_form_fields(&j.id).await.expect("form");
        if fields.iter().any(|f| f.required) {
            target = Some((j.id, fields));
            break;
        }
    }
    let (posting, fields) = target.expect("a posting with required questions");
    let (path, _) = pdf(s.dir.path(), "cv.pdf", "Ada");
    let mut input = person("Ada", "Lovelace", "ada@example.org");
    input.job_id = Some(posting.clone());
    let err = push::push(
        &s.pool,
        c,
        BASE,
        &request(c, "l-1", input.clone(), Some(&path)),
        quiet(),
    )
    .await
    .expect_err("answers missing");
    assert_eq!(err.kind, ErrorKind::Validation);
    input.job_form_field_answers = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| FormAnswer {
            question_id: f.question_id.clone(),
            field_id: f.field_id.clone(),
            value: f.options.first().cloned().unwrap_or_else(|| "Yes".into()),
        })
        .collect();
    // The failed attempt is journaled as failed, so the same push id may go again.
    let out = pushed(
        push::push(
            &s.pool,
            c,
            BASE,
            &request(c, "l-2", input, Some(&path)),
            quiet(),
        )
        .await
        .expect("applied"),
    );
    let app = out.application.expect("application");
    // The link is the page Lever sends for the new opportunity.
    let show = app
        .remote_data
        .as_ref()
        .and_then(|r| r.pointer("/urls/show"))
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    assert!(show.is_some());
    assert_eq!(out.web_url, show);
    assert_eq!(app.job.map(|j| j.id), Some(posting));
    assert!(out.resume.is_some());
    s.fake.shutdown().await;
}
