//! Push: read a resume (dropped on the window, picked, or named), the push form's inputs, and
//! the push itself with its progress. A dropped file and a picked one both go through
//! [`open_resume_path`], which the `open_resume` command also reaches, so a test drives the
//! drop's code path over IPC.

use std::path::PathBuf;
use std::sync::Arc;

use hirebridge_core::model::{Capabilities, FormField, ListOptions, User};
use hirebridge_core::push::{self, PushProgress, PushRequest, PushResponse, ResumeDraft};
use hirebridge_core::{Error, ErrorKind};
use serde::{Deserialize, Serialize};
use tauri::{Manager, State};

use crate::data_commands::writable;
use crate::state::AppState;

/// How a push is going (one step at a time; the resume's size while it is sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct PushProgressEvent(pub PushProgress);

/// A resume was dropped on the window or picked: its draft for the form, or why it was refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ResumeDroppedEvent {
    pub path: String,
    pub draft: Option<ResumeDraft>,
    pub error: Option<Error>,
}

/// Files are being dragged over the window (`over`), or the drag ended: the UI shows the drop
/// overlay meanwhile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ResumeDragEvent {
    pub over: bool,
}

type Emit<T> = Arc<dyn Fn(T) + Send + Sync>;

/// Where push events go, set once the app is built ([`mount`]).
pub struct PushEvents {
    progress: Emit<PushProgressEvent>,
    dropped: Emit<ResumeDroppedEvent>,
    drag: Emit<ResumeDragEvent>,
}

fn emitter<R: tauri::Runtime, E>(handle: &tauri::AppHandle<R>) -> Emit<E>
where
    E: tauri_specta::Event + Serialize + Clone + 'static,
{
    let handle = handle.clone();
    Arc::new(move |event: E| {
        if let Err(err) = event.emit(&handle) {
            log::error!("could not send a push event to the window: {err}");
        }
    })
}

/// Makes the push events sendable; call once the app is built, after the typed events are
/// mounted.
pub fn mount<R: tauri::Runtime>(app: &impl Manager<R>) {
    let handle = app.app_handle();
    app.manage(PushEvents {
        progress: emitter(handle),
        dropped: emitter(handle),
        drag: emitter(handle),
    });
}

/// Files dragged onto the window: the overlay while over it, the first file read on drop.
pub fn on_window_event<R: tauri::Runtime>(window: &tauri::Window<R>, event: &tauri::WindowEvent) {
    let tauri::WindowEvent::DragDrop(drag) = event else {
        return;
    };
    let app = window.app_handle().clone();
    let Some(events) = app.try_state::<PushEvents>() else {
        return;
    };
    let events = events.inner();
    match drag {
        tauri::DragDropEvent::Enter { .. } => (events.drag)(ResumeDragEvent { over: true }),
        tauri::DragDropEvent::Leave => (events.drag)(ResumeDragEvent { over: false }),
        tauri::DragDropEvent::Drop { paths, .. } => {
            (events.drag)(ResumeDragEvent { over: false });
            let Some(first) = paths.first().cloned() else {
                return;
            };
            let extra = paths.len() - 1;
            tauri::async_runtime::spawn(async move {
                if extra > 0 {
                    log::info!("{extra} more dropped file(s) ignored: one resume per push");
                }
                // The outcome reaches the UI as a ResumeDroppedEvent.
                if let Some(events) = app.try_state::<PushEvents>() {
                    let _ = open_resume_path(&events, first).await;
                }
            });
        }
        _ => {}
    }
}

/// Reads the resume at `path` and tells the window (ResumeDroppedEvent): the one way a
/// dropped or picked file becomes a push draft.
pub async fn open_resume_path(events: &PushEvents, path: PathBuf) -> Result<ResumeDraft, Error> {
    let result = push::read_resume(&path).await;
    (events.dropped)(ResumeDroppedEvent {
        path: path.to_string_lossy().into_owned(),
        draft: result.as_ref().ok().cloned(),
        error: result.as_ref().err().cloned(),
    });
    result
}

fn checked_path(path: &str) -> Result<PathBuf, Error> {
    let path = path.trim();
    if path.is_empty() {
        return Err(Error::validation("No file was given."));
    }
    let path = PathBuf::from(path);
    if !path.is_absolute() {
        return Err(Error::validation("The resume's path must be absolute."));
    }
    Ok(path)
}

/// Reads a resume for the form without telling the window (the caller shows the answer).
#[tauri::command]
#[specta::specta]
pub async fn read_resume(path: String) -> Result<ResumeDraft, Error> {
    push::read_resume(&checked_path(&path)?).await
}

/// Reads a resume the way a drop does (picker, tests): answers and sends ResumeDroppedEvent.
#[tauri::command]
#[specta::specta]
pub async fn open_resume(
    events: State<'_, PushEvents>,
    path: String,
) -> Result<ResumeDraft, Error> {
    let path = match checked_path(&path) {
        Ok(p) => p,
        Err(error) => {
            (events.dropped)(ResumeDroppedEvent {
                path,
                draft: None,
                error: Some(error.clone()),
            });
            return Err(error);
        }
    };
    open_resume_path(&events, path).await
}

/// What the account's vendor takes and requires when creating a candidate. Works offline.
#[tauri::command]
#[specta::specta]
pub async fn push_capabilities(
    state: State<'_, AppState>,
    account_id: String,
) -> Result<Capabilities, Error> {
    let services = state.services()?;
    let account = services.account(&account_id).await?;
    Ok(services.connector(&account)?.capabilities())
}

/// The job's application form questions (Lever postings), asked live.
#[tauri::command]
#[specta::specta]
pub async fn job_form_fields(
    state: State<'_, AppState>,
    account_id: String,
    job_id: String,
) -> Result<Vec<FormField>, Error> {
    let (services, account, background) = writable(&state, &account_id).await?;
    let fields = services.connector(&account)?.job_form_fields(&job_id).await;
    background.connectivity.observe(&fields);
    fields
}

/// The account's users, for "create as" where the vendor needs one (Lever's `perform_as`).
#[tauri::command]
#[specta::specta]
pub async fn push_users(
    state: State<'_, AppState>,
    account_id: String,
) -> Result<Vec<User>, Error> {
    let (services, account, background) = writable(&state, &account_id).await?;
    let users = services
        .connector(&account)?
        .list_users(&ListOptions::default().with_limit(100))
        .await;
    background.connectivity.observe(&users);
    Ok(users?.result)
}

/// Pushes a candidate: the duplicates to confirm first, or the candidate created, applied and
/// attached, already in the cache. Refused with kind `offline` when the vendor cannot be
/// reached (nothing is queued); the push id makes a retry safe.
#[tauri::command]
#[specta::specta]
pub async fn push_candidate(
    state: State<'_, AppState>,
    events: State<'_, PushEvents>,
    request: PushRequest,
) -> Result<PushResponse, Error> {
    let (services, account, background) = writable(&state, &request.account_id).await?;
    let connector = services.connector(&account)?;
    let emit = events.progress.clone();
    let progress: push::ProgressFn = Arc::new(move |p| emit(PushProgressEvent(p)));
    let pushed = push::push(
        &services.pool,
        connector.as_ref(),
        &account.base_url,
        &request,
        progress,
    )
    .await;
    match &pushed {
        Err(e) if e.kind == ErrorKind::Offline => background.connectivity.set(false),
        other => background.connectivity.observe(other),
    }
    pushed
}
