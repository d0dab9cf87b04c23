//! The commands the UI calls. Each one is thin: read state, call the core, map the error.

use serde::Serialize;
use tauri::State;

use hirebridge_core::Error;

use crate::events::DeepLinkEvent;
use crate::state::AppState;

/// What the status bar shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub demo: bool,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, Error> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.data_dir()?.display().to_string(),
        demo: state.demo,
    })
}

/// Deep links that arrived before the UI listened. The UI starts listening for
/// `DeepLinkEvent` first, then calls this once; from then on links arrive only as events.
#[tauri::command]
#[specta::specta]
pub fn take_pending_deep_links(state: State<'_, AppState>) -> Vec<DeepLinkEvent> {
    let mut inbox = state.deep_links();
    inbox.ui_listening = true;
    std::mem::take(&mut inbox.pending)
}
