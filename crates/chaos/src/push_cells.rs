//! "Push with resume" cells: one candidate with a PDF resume pushed to each vendor through the
//! product's push pipeline (`hirebridge_core::push`), retried with the same push id after a
//! failure, as the app's Retry button does. A cell passes when each vendor holds exactly one new
//! candidate, the user was told plainly where they must act, and the cache matches a clean sync.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use hirebridge_core::accounts::Account;
use hirebridge_core::model::{CreateCandidate, Email};
use hirebridge_core::push::{self, PushRequest, PushResponse};
use hirebridge_core::{Error, Vendor};
use sqlx::SqlitePool;

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
        PushResponse::Pushed { .. } => Ok(()),
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
