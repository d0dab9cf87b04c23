//! The commands behind Candidates, Jobs, Activity and syncing. Reads come from the cache and
//! work offline; writes go to the vendor first, are refused with kind `offline` when it cannot
//! be reached (never queued), and land in the cache at once when they succeed.

use std::path::{Path, PathBuf};

use hirebridge_core::cache::{
    self, AccountCounts, ActivityItem, ActivityQuery, CandidateDetail, CandidateListQuery,
    CandidatePage, DuplicateMatch, DuplicateQuery, JobChoice, JobWithCounts, NotifyScope,
    SearchHit, SearchQuery,
};
use hirebridge_core::connectors::web_url::candidate_web_url;
use hirebridge_core::model::{Application, JobStage, MoveStage, Reject};
use hirebridge_core::sync::{self, SyncEvent, SyncRunRecord, records::application_row};
use hirebridge_core::{Error, ErrorKind};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::events::AppEvent;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_candidates(
    state: State<'_, AppState>,
    query: CandidateListQuery,
) -> Result<CandidatePage, Error> {
    cache::list_candidates(&state.services()?.pool, &query).await
}

#[tauri::command]
#[specta::specta]
pub async fn search_candidates(
    state: State<'_, AppState>,
    query: SearchQuery,
) -> Result<Vec<SearchHit>, Error> {
    cache::search_candidates(&state.services()?.pool, &query).await
}

/// The candidate as cached, completed from the vendor first when only a partial record is
/// cached and the vendor can be reached; offline, what the cache has.
#[tauri::command]
#[specta::specta]
pub async fn candidate_detail(
    state: State<'_, AppState>,
    account_id: String,
    candidate_id: String,
) -> Result<CandidateDetail, Error> {
    let services = state.services()?;
    let background = state.background()?;
    let cached = cache::candidate_detail(&services.pool, &account_id, &candidate_id).await?;
    if cached.as_ref().is_some_and(|c| c.complete) || !background.connectivity.is_online() {
        return cached.ok_or_else(not_cached);
    }
    let account = services.account(&account_id).await?;
    let connector = services.connector(&account)?;
    let fetched =
        sync::ensure_candidate_detail(&services.pool, connector.as_ref(), &candidate_id).await;
    background.connectivity.observe(&fetched);
    match (fetched, cached) {
        (Ok(detail), _) => Ok(detail),
        // The list object is still worth showing when the vendor cannot be reached.
        (Err(e), Some(cached)) if matches!(e.kind, ErrorKind::Network | ErrorKind::RateLimited) => {
            Ok(cached)
        }
        (Err(e), _) => Err(e),
    }
}

fn not_cached() -> Error {
    Error::not_found("This candidate is not in the local cache. Sync the account, then try again.")
}

/// Jobs with how many candidates sit in each stage; every account when `account_id` is `None`.
#[tauri::command]
#[specta::specta]
pub async fn list_jobs(
    state: State<'_, AppState>,
    account_id: Option<String>,
) -> Result<Vec<JobWithCounts>, Error> {
    cache::jobs_with_counts(&state.services()?.pool, account_id.as_deref()).await
}

/// Jobs to pick from (the Push form, the job filter), by name, without counts; every account
/// when `account_id` is `None`.
#[tauri::command]
#[specta::specta]
pub async fn list_job_choices(
    state: State<'_, AppState>,
    account_id: Option<String>,
) -> Result<Vec<JobChoice>, Error> {
    cache::job_choices(&state.services()?.pool, account_id.as_deref()).await
}

/// Cached candidates of every account sharing an email, phone or LinkedIn URL with the query.
#[tauri::command]
#[specta::specta]
pub async fn find_duplicates(
    state: State<'_, AppState>,
    query: DuplicateQuery,
) -> Result<Vec<DuplicateMatch>, Error> {
    cache::find_duplicates(&state.services()?.pool, &query).await
}

#[tauri::command]
#[specta::specta]
pub async fn activity_feed(
    state: State<'_, AppState>,
    query: ActivityQuery,
) -> Result<Vec<ActivityItem>, Error> {
    cache::activity_feed(&state.services()?.pool, &query).await
}

#[tauri::command]
#[specta::specta]
pub async fn unread_activity_count(state: State<'_, AppState>) -> Result<u32, Error> {
    cache::activity::unread_count(&state.services()?.pool).await
}

/// Marks the given items read (every item when `ids` is `None`); returns how many changed.
#[tauri::command]
#[specta::specta]
pub async fn mark_activity_read(
    state: State<'_, AppState>,
    ids: Option<Vec<u32>>,
) -> Result<u32, Error> {
    let changed = cache::activity::mark_read(&state.services()?.pool, ids.as_deref()).await?;
    Ok(u32::try_from(changed).unwrap_or(u32::MAX))
}

#[tauri::command]
#[specta::specta]
pub async fn follow_candidate(
    state: State<'_, AppState>,
    account_id: String,
    candidate_id: String,
) -> Result<(), Error> {
    cache::activity::follow(&state.services()?.pool, &account_id, &candidate_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn unfollow_candidate(
    state: State<'_, AppState>,
    account_id: String,
    candidate_id: String,
) -> Result<(), Error> {
    cache::activity::unfollow(&state.services()?.pool, &account_id, &candidate_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn notify_scope(state: State<'_, AppState>) -> Result<NotifyScope, Error> {
    cache::activity::notify_scope(&state.services()?.pool).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_notify_scope(state: State<'_, AppState>, scope: NotifyScope) -> Result<(), Error> {
    cache::activity::set_notify_scope(&state.services()?.pool, scope).await
}

/// Starts syncing one account (or every account) in the background; returns the ids of the
/// accounts that started. Progress and the outcome arrive as `SyncUpdateEvent`s.
#[tauri::command]
#[specta::specta]
pub async fn sync_now(
    state: State<'_, AppState>,
    account_id: Option<String>,
    full: bool,
) -> Result<Vec<String>, Error> {
    state
        .background()?
        .sync_now(account_id.as_deref(), full)
        .await
}

/// What the Accounts and Activity screens show about syncing.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct SyncOverview {
    pub online: bool,
    /// Accounts with a sync running now.
    pub running: Vec<String>,
    pub accounts: Vec<AccountCounts>,
}

#[tauri::command]
#[specta::specta]
pub async fn sync_overview(state: State<'_, AppState>) -> Result<SyncOverview, Error> {
    let background = state.background()?;
    Ok(SyncOverview {
        online: background.connectivity.is_online(),
        running: background.running(),
        accounts: cache::account_counts(&state.services()?.pool).await?,
    })
}

/// Sync runs, most recent first.
#[tauri::command]
#[specta::specta]
pub async fn sync_history(
    state: State<'_, AppState>,
    account_id: Option<String>,
    limit: Option<u32>,
) -> Result<Vec<SyncRunRecord>, Error> {
    sync::history(
        &state.services()?.pool,
        account_id.as_deref(),
        limit.unwrap_or(50),
    )
    .await
}

/// The vendor's stages for a job, asked live: the ones `move_stage` accepts.
#[tauri::command]
#[specta::specta]
pub async fn job_stages(
    state: State<'_, AppState>,
    account_id: String,
    job_id: String,
) -> Result<Vec<JobStage>, Error> {
    let (services, account, background) = writable(&state, &account_id).await?;
    let connector = services.connector(&account)?;
    let stages = connector.list_job_stages(Some(&job_id)).await;
    background.connectivity.observe(&stages);
    stages
}

/// Moves an application to another stage at the vendor, then updates the cache and Activity.
#[tauri::command]
#[specta::specta]
pub async fn move_stage(
    state: State<'_, AppState>,
    account_id: String,
    input: MoveStage,
) -> Result<Application, Error> {
    let (services, account, background) = writable(&state, &account_id).await?;
    let connector = services.connector(&account)?;
    let moved = connector.move_stage(&input).await;
    background.connectivity.observe(&moved);
    let moved = moved?;
    record_application(&state, &services, &account, &moved).await;
    Ok(moved)
}

/// Rejects (Lever: archives) an application at the vendor, then updates the cache.
#[tauri::command]
#[specta::specta]
pub async fn reject_application(
    state: State<'_, AppState>,
    account_id: String,
    input: Reject,
) -> Result<Application, Error> {
    let (services, account, background) = writable(&state, &account_id).await?;
    let connector = services.connector(&account)?;
    let rejected = connector.reject(&input).await;
    background.connectivity.observe(&rejected);
    let rejected = rejected?;
    record_application(&state, &services, &account, &rejected).await;
    Ok(rejected)
}

/// The services, the account and the background sync, once the account's vendor answers:
/// every command that needs the vendor starts here, so an unreachable one is refused the same
/// way (kind `offline`).
pub(crate) async fn writable(
    state: &AppState,
    account_id: &str,
) -> Result<
    (
        std::sync::Arc<crate::services::Services>,
        hirebridge_core::accounts::Account,
        std::sync::Arc<crate::background_sync::BackgroundSync>,
    ),
    Error,
> {
    let services = state.services()?;
    let background = state.background()?;
    let account = services.account(account_id).await?;
    background
        .connectivity
        .ensure_reachable(&account.base_url)
        .await?;
    Ok((services, account, background))
}

/// Writes what the vendor returned into the cache so every screen shows it now; the stage
/// change it makes goes to Activity (no notification: the recruiter made it). A failure here
/// loses nothing: the next sync brings the same record.
async fn record_application(
    state: &AppState,
    services: &crate::services::Services,
    account: &hirebridge_core::accounts::Account,
    application: &Application,
) {
    let row = application_row(application.clone());
    let now = chrono_now_ms();
    let written = async {
        let mut tx = hirebridge_core::db::begin_write(&services.pool).await?;
        let changes = cache::write::upsert_applications(
            &mut tx,
            &account.id,
            account.vendor,
            None,
            now,
            std::slice::from_ref(&row),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, Error>(changes)
    }
    .await;
    match written {
        Ok(changes) => {
            let Some(sink) = state.app_events() else {
                return;
            };
            for change in changes {
                sink(AppEvent::Sync(Box::new(SyncEvent::StageChanged {
                    change,
                    notify: false,
                })));
            }
        }
        Err(e) => log::warn!("the cache could not record a stage move: {}", e.message),
    }
}

fn chrono_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Downloads an attachment into the app's cache directory and opens it with the OS.
#[tauri::command]
#[specta::specta]
pub async fn open_attachment(
    state: State<'_, AppState>,
    account_id: String,
    candidate_id: String,
    attachment_id: String,
) -> Result<String, Error> {
    let dir = state
        .data_dir()?
        .join("attachments")
        .join(safe_file_name(&account_id));
    let path = download(&state, &account_id, &candidate_id, &attachment_id, &dir).await?;
    state.file_opener()?.open_file(&path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!(
                "The file was saved to {} but could not be opened: {e}",
                path.display()
            ),
        )
    })?;
    Ok(path.display().to_string())
}

/// Downloads an attachment into `dest_dir` (chosen by the user); returns the file's path.
#[tauri::command]
#[specta::specta]
pub async fn save_attachment(
    state: State<'_, AppState>,
    account_id: String,
    candidate_id: String,
    attachment_id: String,
    dest_dir: String,
) -> Result<String, Error> {
    let path = download(
        &state,
        &account_id,
        &candidate_id,
        &attachment_id,
        Path::new(&dest_dir),
    )
    .await?;
    Ok(path.display().to_string())
}

pub async fn download(
    state: &AppState,
    account_id: &str,
    candidate_id: &str,
    attachment_id: &str,
    dir: &Path,
) -> Result<PathBuf, Error> {
    let services = state.services()?;
    let detail = cache::candidate_detail(&services.pool, account_id, candidate_id)
        .await?
        .ok_or_else(not_cached)?;
    let attachment = detail
        .attachments
        .iter()
        .find(|a| a.remote_id == attachment_id)
        .ok_or_else(|| {
            Error::not_found("This file is no longer on the candidate. Sync, then try again.")
        })?;
    let (services, account, background) = writable(state, account_id).await?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("Could not create {}: {e}", dir.display()),
        )
    })?;
    let path = dir.join(safe_file_name(&attachment.file_name));
    let connector = services.connector(&account)?;
    let downloaded = connector.download_attachment(attachment_id, &path).await;
    background.connectivity.observe(&downloaded);
    downloaded?;
    Ok(path)
}

/// A vendor-supplied file name made safe to create: its last path component, without
/// characters that are special on any of our platforms.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('.');
    if trimmed.is_empty() {
        "attachment".to_owned()
    } else {
        trimmed.chars().take(150).collect()
    }
}

/// The candidate's page in the vendor's web app, if one is known.
#[tauri::command]
#[specta::specta]
pub async fn candidate_web_page(
    state: State<'_, AppState>,
    account_id: String,
    candidate_id: String,
) -> Result<Option<String>, Error> {
    let services = state.services()?;
    let account = services.account(&account_id).await?;
    let detail = cache::candidate_detail(&services.pool, &account_id, &candidate_id).await?;
    Ok(candidate_web_url(
        account.vendor,
        &account.base_url,
        &candidate_id,
        detail.as_ref().and_then(|d| d.remote_data.as_ref()),
    ))
}

/// Opens the candidate's page in the vendor's web app in the browser.
#[tauri::command]
#[specta::specta]
pub async fn open_candidate_in_ats(
    state: State<'_, AppState>,
    account_id: String,
    candidate_id: String,
) -> Result<(), Error> {
    let browser = state.browser()?;
    let url = candidate_web_page(state, account_id, candidate_id)
        .await?
        .ok_or_else(|| {
            Error::not_found("This ATS has no web page Hirebridge can open for the candidate.")
        })?;
    let url = hirebridge_core::auth::Url::parse(&url)
        .map_err(|e| Error::internal(format!("The candidate's page address is invalid: {e}")))?;
    browser.open(&url).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("The browser could not be opened: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::safe_file_name;

    #[test]
    fn vendor_file_names_cannot_escape_the_folder() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\x\\résumé.pdf"), "résumé.pdf");
        assert_eq!(safe_file_name("a<b>:c?.pdf"), "a_b__c_.pdf");
        assert_eq!(safe_file_name(".."), "attachment");
        assert_eq!(safe_file_name(""), "attachment");
    }
}
