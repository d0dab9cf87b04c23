//! Desktop notifications for stage changes the recruiter asked to hear about (followed
//! candidates, or all): the engine decides which (`StageChanged { notify: true }`), this shows
//! them with tauri-plugin-notification.

use hirebridge_core::cache::{self, StageChange};
use hirebridge_core::sync::SyncEvent;
use tauri::Manager;

use crate::state::AppState;

/// The words of a stage-change notification: title and body.
pub fn stage_change_text(
    candidate_name: Option<&str>,
    job_name: Option<&str>,
    change: &StageChange,
) -> (String, String) {
    let who = candidate_name.unwrap_or("A candidate");
    let title = match change.to_stage_name.as_deref() {
        Some(stage) => format!("{who} moved to {stage}"),
        None => format!("{who} changed stage"),
    };
    let from = change
        .from_stage_name
        .as_deref()
        .unwrap_or("a previous stage");
    let body = match job_name {
        Some(job) => format!("{job}: from {from}"),
        None => format!("From {from}"),
    };
    (title, body)
}

/// Shows a notification when `event` is a stage change to announce.
pub fn on_sync_event<R: tauri::Runtime>(app: &tauri::AppHandle<R>, event: &SyncEvent) {
    let SyncEvent::StageChanged {
        change,
        notify: true,
    } = event
    else {
        return;
    };
    let app = app.clone();
    let change = change.clone();
    tauri::async_runtime::spawn(async move {
        let (candidate, job) = names(&app, &change).await;
        let (title, body) = stage_change_text(candidate.as_deref(), job.as_deref(), &change);
        let Some(notifier) = app.try_state::<tauri_plugin_notification::Notification<R>>() else {
            return;
        };
        if let Err(e) = notifier.builder().title(title).body(body).show() {
            log::warn!("could not show a stage-change notification: {e}");
        }
    });
}

/// The candidate's and the job's names, from the cached candidate (its applications carry
/// their job's name): one lookup, no scan of the Activity feed.
async fn names<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    change: &StageChange,
) -> (Option<String>, Option<String>) {
    let Ok(services) = app.state::<AppState>().services() else {
        return (None, None);
    };
    let Some(candidate_id) = change.candidate_remote_id.as_deref() else {
        return (None, None);
    };
    let Ok(Some(detail)) =
        cache::candidate_detail(&services.pool, &change.account_id, candidate_id).await
    else {
        return (None, None);
    };
    let job = detail
        .applications
        .iter()
        .find(|a| a.remote_id == change.application_remote_id)
        .and_then(|a| a.job_name.clone());
    (Some(detail.candidate.name), job)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(from: Option<&str>, to: Option<&str>) -> StageChange {
        StageChange {
            activity_id: 1,
            account_id: "a".into(),
            application_remote_id: "app".into(),
            candidate_remote_id: Some("c".into()),
            job_remote_id: Some("j".into()),
            from_stage_id: None,
            from_stage_name: from.map(str::to_owned),
            to_stage_id: None,
            to_stage_name: to.map(str::to_owned),
        }
    }

    #[test]
    fn says_who_moved_where_and_for_which_job() {
        let (title, body) = stage_change_text(
            Some("Zoë Åkesson"),
            Some("Backend Engineer"),
            &change(Some("Screen"), Some("Interview")),
        );
        assert_eq!(title, "Zoë Åkesson moved to Interview");
        assert_eq!(body, "Backend Engineer: from Screen");
    }

    #[test]
    fn reads_well_without_names() {
        let (title, body) = stage_change_text(None, None, &change(None, None));
        assert_eq!(title, "A candidate changed stage");
        assert_eq!(body, "From a previous stage");
    }
}
