//! One push: validate → duplicates → journal the intent → create (apply, attach) → cache → answer.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use super::extract::{self, ExtractLimits};
use super::journal::{self, Preexisting, PushState};
use super::validate;
use crate::cache::{DuplicateMatch, DuplicateQuery, find_duplicates, write};
use crate::connectors::Connector;
use crate::connectors::web_url::candidate_web_url;
use crate::model::{
    AddAttachment, Application, Attachment, AttachmentType, Candidate, CreateCandidate,
    CreateOutcome, ListOptions, Operation,
};
use crate::sync::records::{application_row, attachment_row, candidate_row};
use crate::{Error, ErrorKind, Result, Vendor};

/// A candidate to create in one account, with a resume from local disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PushRequest {
    /// Made by the client once per submission (a UUID) and kept across retries of it: the key
    /// that keeps a retried push from creating the candidate twice.
    pub push_id: String,
    pub account_id: String,
    pub candidate: CreateCandidate,
    /// Wins over `candidate.resume_path`.
    pub resume_path: Option<String>,
    /// Go on although the cache holds people with the same email, phone or LinkedIn.
    #[serde(default)]
    pub confirm_duplicates: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PushOutcome {
    pub push_id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub candidate: Candidate,
    pub application: Option<Application>,
    pub resume: Option<Attachment>,
    /// The vendor merged the person into this existing candidate (Lever's email dedupe).
    pub duplicate_of: Option<String>,
    /// The candidate in the vendor's web app, when Hirebridge knows the address.
    pub web_url: Option<String>,
    /// An earlier attempt of this push had already created the candidate; nothing new was made.
    pub recovered: bool,
}

/// Either the duplicates to confirm first (nothing was sent), or the pushed candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PushResponse {
    NeedsConfirmation { duplicates: Vec<DuplicateMatch> },
    Pushed { outcome: Box<PushOutcome> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PushStep {
    Validating,
    CheckingDuplicates,
    Connecting,
    /// Creating the candidate; with a resume, the file is streamed in this step.
    Sending,
    /// Retrying a push that may already exist at the vendor: looking it up.
    Reconciling,
    Saving,
    Done,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PushProgress {
    pub push_id: String,
    pub step: PushStep,
    /// Size of the resume being sent, when there is one.
    pub bytes_total: Option<f64>,
    /// Bytes of it sent so far. The connectors stream the file inside one multipart request
    /// and do not report partial progress, so this is 0 while sending and the total once sent.
    pub bytes_sent: Option<f64>,
}

pub type ProgressFn = Arc<dyn Fn(PushProgress) + Send + Sync>;

/// Pushes `request` through `connector` (the request's account, whose API address is
/// `base_url`), with `pool` the cache.
pub async fn push(
    pool: &SqlitePool,
    connector: &dyn Connector,
    base_url: &str,
    request: &PushRequest,
    progress: ProgressFn,
) -> Result<PushResponse> {
    let report = |step: PushStep, total: Option<u64>, sent: Option<u64>| {
        progress(PushProgress {
            push_id: request.push_id.clone(),
            step,
            bytes_total: total.map(|b| b as f64),
            bytes_sent: sent.map(|b| b as f64),
        })
    };
    if request.push_id.trim().is_empty() || request.push_id.len() > 100 {
        return Err(Error::validation(
            "A push needs an id of 1 to 100 characters.",
        ));
    }
    if request.account_id != connector.account_id() {
        return Err(Error::internal(
            "The push went to another account's connector.",
        ));
    }
    report(PushStep::Validating, None, None);
    let input = effective_input(request);
    let caps = connector.capabilities();
    let resume_len = validate::validate(&caps, &input).await?;
    let hash = request_hash(request, resume_len);

    let previous = journal::get(pool, &request.push_id).await?;
    if let Some(prev) = &previous {
        if prev.request_hash != hash || prev.account_id != request.account_id {
            return Err(Error::new(
                ErrorKind::Conflict,
                "This push id was already used for a different candidate; start a new push.",
            ));
        }
        if prev.state == PushState::Done
            && let Some(outcome) = prev.outcome.as_deref()
        {
            let outcome: PushOutcome = serde_json::from_str(outcome).map_err(|e| {
                Error::internal(format!("A stored push outcome is unreadable: {e}"))
            })?;
            report(PushStep::Done, None, None);
            return Ok(PushResponse::Pushed {
                outcome: Box::new(outcome),
            });
        }
    }
    // A retry of an attempt that got as far as sending: the duplicates were shown then, and
    // the cache may by now hold the very candidate that attempt created.
    let already_sent = previous
        .as_ref()
        .is_some_and(|p| matches!(p.state, PushState::Pending | PushState::Created));
    if !already_sent && !request.confirm_duplicates {
        report(PushStep::CheckingDuplicates, None, None);
        let duplicates = find_duplicates(pool, &duplicate_query(&input)).await?;
        if !duplicates.is_empty() {
            return Ok(PushResponse::NeedsConfirmation { duplicates });
        }
    }

    report(PushStep::Connecting, None, None);
    connector
        .verify_credentials()
        .await
        .map_err(offline_if_unreachable(connector.vendor()))?;

    let (created, recovered) = match previous {
        Some(prev) if prev.state == PushState::Created || prev.state == PushState::Done => {
            let id = prev.remote_candidate_id.clone().ok_or_else(|| {
                Error::internal("The push journal lost the id of the candidate it created.")
            })?;
            report(PushStep::Reconciling, None, None);
            (
                refetch(
                    connector,
                    &input,
                    &id,
                    prev.remote_application_id.as_deref(),
                )
                .await?,
                true,
            )
        }
        Some(prev) if prev.state == PushState::Pending => {
            report(PushStep::Reconciling, None, None);
            match find_earlier_attempt(connector, &input, &prev.preexisting).await? {
                Some(found) => {
                    journal::mark_created(
                        pool,
                        &request.push_id,
                        &found.candidate.id,
                        found.application.as_ref().map(|a| a.id.as_str()),
                    )
                    .await?;
                    (
                        complete_earlier_attempt(connector, &input, found).await?,
                        true,
                    )
                }
                None => (
                    send(pool, connector, request, &input, resume_len, &report).await?,
                    false,
                ),
            }
        }
        _ => {
            let preexisting = preexisting(connector, &input).await?;
            journal::begin(
                pool,
                &request.push_id,
                &request.account_id,
                &hash,
                &preexisting,
            )
            .await?;
            (
                send(pool, connector, request, &input, resume_len, &report).await?,
                false,
            )
        }
    };

    report(PushStep::Saving, None, None);
    save_to_cache(pool, connector, &created).await?;
    if let Some(path) = request.resume_path.as_deref() {
        index_resume_text(
            pool,
            connector.account_id(),
            &created.candidate.id,
            Path::new(path),
        )
        .await;
    }
    let outcome = PushOutcome {
        push_id: request.push_id.clone(),
        account_id: request.account_id.clone(),
        vendor: connector.vendor(),
        web_url: web_url(connector.vendor(), base_url, &created),
        candidate: created.candidate,
        application: created.application,
        resume: created.resume,
        duplicate_of: created.duplicate_of,
        recovered,
    };
    let json = serde_json::to_string(&outcome)
        .map_err(|e| Error::internal(format!("Could not record the push outcome: {e}")))?;
    journal::mark_done(pool, &request.push_id, &json).await?;
    report(PushStep::Done, None, None);
    Ok(PushResponse::Pushed {
        outcome: Box::new(outcome),
    })
}

fn web_url(vendor: Vendor, base_url: &str, created: &CreateOutcome) -> Option<String> {
    // Lever's page is per opportunity: the new application's record carries it.
    let remote = match vendor {
        Vendor::Lever => created
            .application
            .as_ref()
            .and_then(|a| a.remote_data.as_ref()),
        _ => created.candidate.remote_data.as_ref(),
    };
    candidate_web_url(vendor, base_url, &created.candidate.id, remote)
}

/// The request's candidate with its resume path in place.
fn effective_input(request: &PushRequest) -> CreateCandidate {
    let mut input = request.candidate.clone();
    if let Some(path) = request
        .resume_path
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        input.resume_path = Some(PathBuf::from(path));
    }
    input
}

/// What makes two requests "the same push": the candidate as sent and the file by path and size.
pub fn request_hash(request: &PushRequest, resume_len: Option<u64>) -> String {
    let input = effective_input(request);
    let canonical = serde_json::json!({
        "account": request.account_id,
        "candidate": CreateCandidate { resume_path: None, ..input.clone() },
        "resume": input.resume_path.as_deref().map(|p| p.to_string_lossy().into_owned()),
        "resume_len": resume_len,
    });
    hex_digest(canonical.to_string().as_bytes())
}

fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn duplicate_query(input: &CreateCandidate) -> DuplicateQuery {
    DuplicateQuery {
        emails: input.emails.iter().map(|e| e.email.clone()).collect(),
        phones: input.phones.iter().map(|p| p.number.clone()).collect(),
        linkedin_urls: input
            .urls
            .iter()
            .filter(|u| u.url.to_lowercase().contains("linkedin.com/"))
            .map(|u| u.url.clone())
            .collect(),
    }
}

/// A network failure before anything was sent means the vendor is out of reach: refuse the
/// write as offline (it is never queued).
fn offline_if_unreachable(vendor: Vendor) -> impl FnOnce(Error) -> Error {
    move |e| {
        if e.kind == ErrorKind::Network {
            Error::new(
                ErrorKind::Offline,
                format!(
                    "{} cannot be reached, so nothing was sent. Your form is kept: push again when you are back online. ({})",
                    vendor.display_name(),
                    e.message
                ),
            )
        } else {
            e
        }
    }
}

/// Creates the candidate, journaling the result. A failure the vendor answered (4xx) cannot
/// have created anything, so the push may start over; a dropped connection or a 5xx may have,
/// so the journal stays `pending` and the retry looks the person up first.
async fn send(
    pool: &SqlitePool,
    connector: &dyn Connector,
    request: &PushRequest,
    input: &CreateCandidate,
    resume_len: Option<u64>,
    report: &impl Fn(PushStep, Option<u64>, Option<u64>),
) -> Result<CreateOutcome> {
    report(PushStep::Sending, resume_len, resume_len.map(|_| 0));
    match connector.create_candidate(input).await {
        Ok(out) => {
            journal::mark_created(
                pool,
                &request.push_id,
                &out.candidate.id,
                out.application.as_ref().map(|a| a.id.as_str()),
            )
            .await?;
            report(PushStep::Sending, resume_len, resume_len);
            Ok(out)
        }
        Err(e) => {
            // Only a refusal made here, before any request, proves nothing was created. A
            // vendor's answer may come from a later call of the same push (SmartRecruiters and
            // Unberry create, then apply or upload; Lever reads the resume back), so the
            // outcome stays unknown and the retry looks the person up first.
            let surely_nothing_created =
                e.status.is_none() && matches!(e.kind, ErrorKind::Validation | ErrorKind::Io);
            let state = if surely_nothing_created {
                PushState::Failed
            } else {
                PushState::Pending
            };
            journal::record_error(pool, &request.push_id, state, &e.message).await?;
            Err(e)
        }
    }
}

/// The candidate an earlier attempt of this push created, found at the vendor by email.
///
/// One lookup for all three, `list_candidates` with `search` = the email, then an exact match on
/// the emails of what comes back:
/// - Lever: `GET /opportunities?email=` (exact email; the person is rebuilt from opportunities).
/// - SmartRecruiters: `GET /candidates?q=`. // [I] `q` is a full-text search that matches email
///   addresses; SR only lists candidates with a job application, so a push without a job cannot
///   be found this way and is refused below rather than sent twice.
/// - Unberry: `GET /candidates?search=`. // [I] search matches emails; Unberry also refuses a
///   second candidate with a known email (409), so a miss here cannot create a second one.
///
/// What the vendor held before the first attempt (`before`) is not the attempt's doing: a
/// person who was already there (the duplicate the recruiter confirmed) is never "recovered".
async fn find_earlier_attempt(
    connector: &dyn Connector,
    input: &CreateCandidate,
    before: &Preexisting,
) -> Result<Option<CreateOutcome>> {
    for found in lookup(connector, input).await? {
        let candidate = connector.get_candidate(&found.id).await.unwrap_or(found);
        if let Some(outcome) = attempt_in(connector.vendor(), candidate, input, before) {
            return Ok(Some(outcome));
        }
    }
    Ok(None)
}

/// The vendor's candidates with the push's email (see [`find_earlier_attempt`] for which call
/// each vendor answers); errors when the vendor cannot be asked.
async fn lookup(connector: &dyn Connector, input: &CreateCandidate) -> Result<Vec<Candidate>> {
    let vendor = connector.vendor();
    let Some(email) = first_email(input) else {
        return Err(unverifiable(
            vendor,
            "it has no email to look the person up by",
        ));
    };
    if vendor == Vendor::SmartRecruiters && input.job_id.is_none() {
        return Err(unverifiable(
            vendor,
            "SmartRecruiters only finds candidates that applied to a job",
        ));
    }
    let opts = ListOptions {
        search: Some(email.to_owned()),
        job_id: input
            .job_id
            .clone()
            .filter(|_| vendor == Vendor::SmartRecruiters),
        ..ListOptions::default()
    };
    let page = connector.list_candidates(&opts).await?;
    Ok(page
        .result
        .into_iter()
        .filter(|c| {
            c.emails
                .iter()
                .any(|e| e.email.trim().eq_ignore_ascii_case(email))
        })
        .collect())
}

fn first_email(input: &CreateCandidate) -> Option<&str> {
    input
        .emails
        .iter()
        .map(|e| e.email.trim())
        .find(|e| !e.is_empty())
}

/// What the vendor holds for the person before the first attempt, recorded with the intent.
/// Nothing when it cannot be asked (no email; SmartRecruiters without a job): a retry of such
/// a push is refused rather than guessed at.
async fn preexisting(connector: &dyn Connector, input: &CreateCandidate) -> Result<Preexisting> {
    match lookup(connector, input).await {
        Ok(found) => Ok(Preexisting {
            candidates: found.iter().map(|c| c.id.clone()).collect(),
            applications: found
                .iter()
                .flat_map(|c| c.applications.iter().map(|a| a.id.clone()))
                .collect(),
        }),
        Err(e) if e.kind == ErrorKind::Conflict => Ok(Preexisting::default()),
        Err(e) => Err(e),
    }
}

/// `candidate` as the attempt's result, unless it was there before. Lever merges a known email
/// into the existing person, so there the attempt's mark is a new opportunity; the others
/// always make a new candidate.
fn attempt_in(
    vendor: Vendor,
    candidate: Candidate,
    input: &CreateCandidate,
    before: &Preexisting,
) -> Option<CreateOutcome> {
    let job_id = input.job_id.as_deref();
    let application = if vendor == Vendor::Lever {
        let new = candidate
            .applications
            .iter()
            .filter(|a| !before.applications.contains(&a.id))
            .filter(|a| job_id.is_none_or(|job| a.job.as_ref().is_some_and(|j| j.id == job)))
            .max_by_key(|a| a.created_at)
            .cloned();
        Some(new?)
    } else {
        if before.candidates.contains(&candidate.id) {
            return None;
        }
        pick_application(&candidate, job_id, None)
    };
    Some(CreateOutcome {
        candidate,
        application,
        resume: None,
        duplicate_of: None,
    })
}

fn unverifiable(vendor: Vendor, why: &str) -> Error {
    Error::new(
        ErrorKind::Conflict,
        format!(
            "An earlier attempt of this push may have created the candidate in {}, and it cannot be checked: {why}. \
             Look for the candidate there before pushing again as a new push.",
            vendor.display_name()
        ),
    )
}

fn pick_application(
    candidate: &Candidate,
    job_id: Option<&str>,
    application_id: Option<&str>,
) -> Option<Application> {
    let apps = &candidate.applications;
    application_id
        .and_then(|id| apps.iter().find(|a| a.id == id))
        .or_else(|| {
            job_id.and_then(|job| {
                apps.iter()
                    .filter(|a| a.job.as_ref().is_some_and(|j| j.id == job))
                    .max_by_key(|a| a.created_at)
            })
        })
        .or_else(|| {
            job_id
                .is_none()
                .then(|| apps.iter().max_by_key(|a| a.created_at))
                .flatten()
        })
        .cloned()
}

/// What an earlier attempt left undone: the resume when the vendor sends it in its own call.
async fn complete_earlier_attempt(
    connector: &dyn Connector,
    input: &CreateCandidate,
    mut found: CreateOutcome,
) -> Result<CreateOutcome> {
    if input.job_id.is_some() && found.application.is_none() {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!(
                "An earlier attempt created the candidate in {} but did not apply them to the job; apply them there.",
                connector.vendor().display_name()
            ),
        ));
    }
    if let Some(path) = &input.resume_path {
        found.resume = existing_resume(connector, &found.candidate, path).await?;
        if found.resume.is_none() {
            let file = connector
                .add_attachment(&AddAttachment {
                    candidate_id: found.candidate.id.clone(),
                    application_id: found.application.as_ref().map(|a| a.id.clone()),
                    path: path.clone(),
                    kind: AttachmentType::Resume,
                    perform_as: input.perform_as.clone(),
                    remote_data: None,
                })
                .await?;
            found.candidate.attachments.push(file.clone());
            found.resume = Some(file);
        }
    }
    Ok(found)
}

/// The candidate's file with the resume's name, if the vendor already has it.
async fn existing_resume(
    connector: &dyn Connector,
    candidate: &Candidate,
    path: &Path,
) -> Result<Option<Attachment>> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut files = candidate.attachments.clone();
    if files.is_empty()
        && connector
            .capabilities()
            .supports(Operation::ListAttachments)
    {
        let opts = ListOptions::default().for_candidate(&candidate.id);
        files = connector.list_attachments(&opts).await?.result;
    }
    Ok(files.into_iter().find(|f| f.file_name == name))
}

/// The candidate the journal says was created, read back from the vendor.
async fn refetch(
    connector: &dyn Connector,
    input: &CreateCandidate,
    candidate_id: &str,
    application_id: Option<&str>,
) -> Result<CreateOutcome> {
    let candidate = connector.get_candidate(candidate_id).await?;
    let application = pick_application(&candidate, input.job_id.as_deref(), application_id);
    let resume = match &input.resume_path {
        Some(path) => existing_resume(connector, &candidate, path).await?,
        None => None,
    };
    Ok(CreateOutcome {
        candidate,
        application,
        resume,
        duplicate_of: None,
    })
}

/// Makes the pushed resume's words searchable. Best effort: the push has succeeded whatever
/// happens here, and an unreadable resume simply adds no text.
async fn index_resume_text(pool: &SqlitePool, account_id: &str, candidate_id: &str, path: &Path) {
    let owned = path.to_owned();
    let read =
        tokio::task::spawn_blocking(move || extract::extract(&owned, &ExtractLimits::default()))
            .await;
    let Ok(Ok(extract::Extracted {
        text: extract::TextOutcome::Read { text },
        ..
    })) = read
    else {
        return;
    };
    if let Err(e) = crate::cache::set_resume_text(pool, account_id, candidate_id, &text).await {
        tracing::warn!(error = %e, "the pushed resume's text could not be indexed");
    }
}

/// Writes the new records into the cache in one transaction, so lists and search show them now.
async fn save_to_cache(
    pool: &SqlitePool,
    connector: &dyn Connector,
    out: &CreateOutcome,
) -> Result<()> {
    let account_id = connector.account_id().to_owned();
    let vendor = connector.vendor();
    let now = chrono::Utc::now().timestamp_millis();
    let mut apps: Vec<Application> = out.candidate.applications.clone();
    if let Some(app) = &out.application
        && !apps.iter().any(|a| a.id == app.id)
    {
        apps.push(app.clone());
    }
    let mut files: Vec<Attachment> = out.candidate.attachments.clone();
    if let Some(file) = &out.resume
        && !files.iter().any(|f| f.id == file.id)
    {
        files.push(file.clone());
    }
    // BEGIN IMMEDIATE like the sync's writes: a push while a sync runs waits for the lock
    // instead of failing with SQLITE_BUSY.
    let mut tx = crate::db::begin_write(pool).await?;
    let app_rows: Vec<_> = apps.into_iter().map(application_row).collect();
    write::upsert_applications(&mut tx, &account_id, vendor, None, now, &app_rows).await?;
    // Not marked complete: opening the candidate still fetches the vendor's full record.
    write::upsert_candidates(
        &mut tx,
        &account_id,
        vendor,
        None,
        now,
        &[candidate_row(out.candidate.clone(), false)],
    )
    .await?;
    let file_rows: Vec<_> = files.into_iter().map(attachment_row).collect();
    write::upsert_attachments(&mut tx, &account_id, None, &file_rows).await?;
    tx.commit().await?;
    Ok(())
}

/// Reads the resume for the form: kind, size, text and the prefilled fields. Blocking work
/// runs off the async runtime.
pub async fn read_resume(path: &Path) -> Result<super::ResumeDraft> {
    let owned = path.to_owned();
    let extracted =
        tokio::task::spawn_blocking(move || extract::extract(&owned, &ExtractLimits::default()))
            .await
            .map_err(|e| Error::internal(format!("Reading the resume stopped: {e}")))??;
    Ok(super::ResumeDraft::from_extracted(path, extracted))
}
