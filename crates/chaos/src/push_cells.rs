//! "Push with resume" cells: one candidate with a PDF resume pushed to each vendor through the
//! product's push pipeline (`hirebridge_core::push`), retried with the same push id after a
//! failure, as the app's Retry button does. A cell passes when each vendor holds exactly one new
//! candidate, the user was told plainly where they must act, and the cache matches a clean sync.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::time::Instant;

use anyhow::{Context, Result};
use fake_ats::FaultSpec;
use hirebridge_core::accounts::Account;
use hirebridge_core::model::{ApplicationSource, ListOptions};
use hirebridge_core::model::{CreateCandidate, Email};
use hirebridge_core::push::{self, PushOutcome, PushRequest, PushResponse};
use hirebridge_core::{Error, Vendor};
use sqlx::SqlitePool;

use crate::matrix::{Cell, Op};
use crate::world::{self, World, vendor_id};

/// A one-page PDF resume, as the fake's own generator writes them, in the system temp dir (not
/// the data dir, which a disk-full cell fills).
pub fn write_resume(name: &str) -> Result<PathBuf> {
    let path = std::env::temp_dir().join(format!(
        "hirebridge-chaos-{}-{name}.pdf",
        std::process::id()
    ));
    let lines = vec![
        format!("{name} Chaos"),
        format!("{}@example.com", name.to_lowercase()),
        "+44 20 7946 0000".to_owned(),
        "Reliability engineer".to_owned(),
    ];
    std::fs::write(&path, fake_ats::pdf::one_page(&lines))?;
    Ok(path)
}

/// The push of one candidate to `account`: a new id, a unique e-mail, a resume.
pub async fn request(
    world: &World,
    account: &Account,
    resume: &Path,
    tag: &str,
) -> Result<PushRequest> {
    let perform_as: Option<String> = if account.vendor == Vendor::Lever {
        sqlx::query_scalar(
            "SELECT remote_id FROM cached_users WHERE account_id = ? ORDER BY remote_id LIMIT 1",
        )
        .bind(&account.id)
        .fetch_optional(&world.pool)
        .await?
    } else {
        None
    };
    // SmartRecruiters lists only candidates with an application: apply to a job there.
    let job_id: Option<String> = if account.vendor == Vendor::SmartRecruiters {
        sqlx::query_scalar(
            "SELECT remote_id FROM cached_jobs WHERE account_id = ? AND status = 'open' ORDER BY remote_id LIMIT 1",
        )
        .bind(&account.id)
        .fetch_optional(&world.pool)
        .await?
    } else {
        None
    };
    Ok(PushRequest {
        push_id: format!("chaos-{tag}-{}", account.vendor.as_str()),
        account_id: account.id.clone(),
        candidate: CreateCandidate {
            first_name: "Chaos".to_owned(),
            last_name: format!("Push {tag}"),
            emails: vec![Email {
                email: format!("chaos.{tag}.{}@example.com", account.vendor.as_str()),
                kind: None,
            }],
            perform_as,
            job_id,
            ..CreateCandidate::default()
        },
        resume_path: Some(resume.to_string_lossy().into_owned()),
        confirm_duplicates: false,
    })
}

/// Pushes through the product's pipeline, into `pool`'s journal and cache.
pub async fn push_once(
    world: &World,
    pool: &SqlitePool,
    account: &Account,
    request: &PushRequest,
) -> hirebridge_core::Result<()> {
    pushed(world, pool, account, request).await.map(drop)
}

/// Pushes through the product's pipeline: what it answered.
pub async fn pushed(
    world: &World,
    pool: &SqlitePool,
    account: &Account,
    request: &PushRequest,
) -> hirebridge_core::Result<PushOutcome> {
    let connector = world.connector(account)?;
    let progress: push::ProgressFn = Arc::new(|_| {});
    match push::push(
        pool,
        connector.as_ref(),
        &account.base_url,
        request,
        progress,
    )
    .await?
    {
        PushResponse::Pushed { outcome } => Ok(*outcome),
        PushResponse::NeedsConfirmation { duplicates } => Err(Error::internal(format!(
            "the push asked to confirm {} duplicate(s) of a new person",
            duplicates.len()
        ))),
    }
}

/// Candidates at the vendor with the push's e-mail (Lever: opportunities of that contact).
pub fn at_vendor(world: &World, account: &Account, request: &PushRequest) -> usize {
    let email = &request.candidate.emails[0].email;
    let admin = world.fake.admin();
    admin
        .candidate_ids(vendor_id(account.vendor))
        .iter()
        .filter(|id| {
            admin
                .record(vendor_id(account.vendor), id)
                .is_some_and(|r| r.to_string().contains(email.as_str()))
        })
        .count()
}

/// Each push landed exactly once: problems for the others; (missing, duplicates).
pub fn count_landed(
    world: &World,
    pushes: &[(Account, PushRequest)],
    problems: &mut Vec<String>,
) -> (usize, usize) {
    let (mut missing, mut duplicates) = (0, 0);
    for (a, r) in pushes {
        match at_vendor(world, a, r) {
            1 => {}
            0 => {
                missing += 1;
                problems.push(format!(
                    "{}: the pushed candidate is not at the vendor",
                    a.vendor
                ));
            }
            n => {
                duplicates += n - 1;
            }
        }
    }
    (missing, duplicates)
}

/// Pushes one candidate to every account at once (the fault is on): the requests and results.
pub async fn attempt(
    world: &World,
    tag: &str,
) -> Result<(
    Vec<(Account, PushRequest)>,
    Vec<hirebridge_core::Result<()>>,
)> {
    let resume = write_resume("Resume")?;
    let mut pushes = Vec::new();
    for a in &world.accounts {
        pushes.push((a.clone(), request(world, a, &resume, tag).await?));
    }
    let attempts = pushes
        .iter()
        .map(|(a, r)| push_once(world, &world.pool, a, r));
    let results = futures::future::join_all(attempts).await;
    Ok((pushes, results))
}

/// Retries each failed push once with its own push id (after a re-link where `relink`).
pub async fn retry_all(
    world: &World,
    retry: Vec<(Account, PushRequest, bool)>,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (a, r, relink) in retry {
        if relink {
            world::relink(&world.fake, &world.store, world.secrets.as_ref(), &a).await?;
        }
        if let Err(e) = push_once(world, &world.pool, &a, &r).await {
            problems.push(format!(
                "{} push retried after the fault failed: {}",
                a.vendor, e.message
            ));
        }
    }
    Ok(problems)
}

/// Which POST of the push the vendor carries out but never answers, for `op` on `vendor`
/// (a path fragment for `drop-answer-path`), or why the step is not its own request there.
fn unanswered_step(op: Op, vendor: Vendor) -> std::result::Result<&'static str, &'static str> {
    match (op, vendor) {
        (Op::PushApply, Vendor::SmartRecruiters) => Err(
            "SmartRecruiters creates and applies in one request (POST /jobs/{id}/candidates): the create cell covers it",
        ),
        // A lead on a posting: the opportunity is made and put on the job in one request (an
        // applicant would have to answer the posting's required questions).
        (Op::PushApply, Vendor::Lever) => Ok("/opportunities"),
        (Op::PushApply, Vendor::Unberry) => Ok("/applications"),
        (Op::PushAttach, Vendor::Lever) => {
            Err("Lever takes the resume inside the create request: the create cell covers it")
        }
        (Op::PushAttach, _) => Ok("/attachments"),
        (_, Vendor::SmartRecruiters) => Ok("/candidates"),
        (_, Vendor::Lever) => Ok("/opportunities"),
        (_, Vendor::Unberry) => Ok("/candidates"),
    }
}

/// A job to apply to (Lever: a posting), for the apply cells.
async fn a_job(world: &World, account: &Account) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT remote_id FROM cached_jobs WHERE account_id = ? AND status = 'open' ORDER BY remote_id LIMIT 1",
    )
    .bind(&account.id)
    .fetch_optional(&world.pool)
    .await?)
}

/// "Created, never acknowledged": the vendor carries out one POST of the push and drops the
/// connection without a response byte. The push fails; pushed again with the same id, it must
/// find what the first attempt made (journal + lookup by e-mail) and finish it: one candidate,
/// one application to the job, one resume at the vendor.
pub async fn unacknowledged(op: Op, seed: u64) -> Result<Cell> {
    let world = World::new(seed, 250, true).await?;
    for (a, r) in world.sync_all(&world.pool, true, None).await {
        r.with_context(|| format!("first full sync of {}", a.label))?;
    }
    let before = world.vendor_records();
    let admin = world.fake.admin();
    let resume = write_resume("Unacked")?;
    let resume_name = resume
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let started = Instant::now();
    let (mut outcome, mut problems) = (Vec::new(), Vec::new());
    let mut pushes = Vec::new();
    for account in &world.accounts {
        let vendor = account.vendor;
        let path = match unanswered_step(op, vendor) {
            Ok(p) => p,
            Err(why) => {
                outcome.push(format!("{vendor}: n/a, {why}"));
                continue;
            }
        };
        let mut request = request(&world, account, &resume, "unacked").await?;
        if op == Op::PushApply {
            request.candidate.job_id = a_job(&world, account).await?;
            if vendor == Vendor::Lever {
                request.candidate.application_source = Some(ApplicationSource::Lead);
            }
            if request.candidate.job_id.is_none() {
                problems.push(format!("{vendor}: no open job to apply to"));
                continue;
            }
        }
        admin.set_faults(FaultSpec {
            answer_drops: 1,
            answer_drop_path: Some(path.to_owned()),
            vendor: Some(vendor.as_str().to_owned()),
            ..FaultSpec::default()
        });
        let first = pushed(&world, &world.pool, account, &request).await;
        let left = admin.faults();
        admin.clear_faults();
        if left.answer_drops > 0 {
            problems.push(format!(
                "{vendor}: no POST matching {path} succeeded, the fault never hit"
            ));
        }
        let journal: Option<String> =
            sqlx::query_scalar("SELECT state FROM push_journal WHERE push_id = ?")
                .bind(&request.push_id)
                .fetch_optional(&world.pool)
                .await?;
        let first_said = match &first {
            Ok(_) => {
                problems.push(format!(
                    "{vendor}: the push reported success although the vendor's answer to {path} never came"
                ));
                "succeeded".to_owned()
            }
            Err(e) => format!(
                "failed ({:?}, journal {})",
                e.kind,
                journal.as_deref().unwrap_or("none")
            ),
        };
        match pushed(&world, &world.pool, account, &request).await {
            Ok(done) => {
                outcome.push(format!(
                    "{vendor}: POST {path} done but unanswered, the push {first_said}; the retry {}",
                    if done.recovered {
                        "found the first attempt's candidate and finished it"
                    } else {
                        "created the candidate anew"
                    }
                ));
                problems.extend(
                    exactly_one_at_vendor(&world, account, &request, &done, &resume_name).await,
                );
            }
            Err(e) => problems.push(format!(
                "{vendor}: the retry with the same push id failed: {}",
                e.message
            )),
        }
        pushes.push((account.clone(), request));
    }
    let (_, duplicates) = count_landed(&world, &pushes, &mut problems);
    let recovered = started.elapsed();
    for (a, r) in world.sync_all(&world.pool, false, None).await {
        if let Err(e) = r {
            problems.push(format!(
                "{} sync after the push failed: {}",
                a.vendor, e.message
            ));
        }
    }
    let reference = world.reference().await?;
    let (d, _) = world::judge_cache(&world::snapshot(&world.pool).await?, &reference, None);
    let extra = world.vendor_records().saturating_sub(before + pushes.len());
    Ok(Cell::judged(
        outcome.join("; "),
        &d,
        duplicates.max(extra),
        recovered,
        problems,
    ))
}

/// One application to the push's job and one copy of its resume at the vendor, read back
/// through the vendor's API.
async fn exactly_one_at_vendor(
    world: &World,
    account: &Account,
    request: &PushRequest,
    done: &PushOutcome,
    resume_name: &str,
) -> Vec<String> {
    let vendor = account.vendor;
    let mut problems = Vec::new();
    let connector = match world.connector(account) {
        Ok(c) => c,
        Err(e) => return vec![format!("{vendor}: no connector: {}", e.message)],
    };
    if let Some(job) = &request.candidate.job_id {
        match connector.get_candidate(&done.candidate.id).await {
            Ok(c) => {
                let n = c
                    .applications
                    .iter()
                    .filter(|a| a.job.as_ref().is_some_and(|j| &j.id == job))
                    .count();
                if n != 1 {
                    problems.push(format!("{vendor}: {n} applications to the job, expected 1"));
                }
            }
            Err(e) => problems.push(format!(
                "{vendor}: reading the candidate back: {}",
                e.message
            )),
        }
    }
    let files = connector
        .list_attachments(&ListOptions::default().for_candidate(&done.candidate.id))
        .await;
    match files {
        Ok(page) => {
            let n = page
                .result
                .iter()
                .filter(|f| f.file_name == resume_name)
                .count();
            if n != 1 {
                problems.push(format!("{vendor}: {n} copies of the resume, expected 1"));
            }
        }
        Err(e) => problems.push(format!("{vendor}: listing the files: {}", e.message)),
    }
    problems
}
