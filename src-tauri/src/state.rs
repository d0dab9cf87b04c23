//! State shared by every command.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};

use hirebridge_core::{Error, ErrorKind};
use tauri::Manager;

use crate::events::DeepLinkEvent;

pub struct AppState {
    pub demo: bool,
    data_dir: OnceLock<PathBuf>,
    deep_links: Mutex<DeepLinkInbox>,
}

/// Deep links that arrived before the UI was listening wait here; once the UI has drained the
/// inbox, later links go straight out as events.
#[derive(Default)]
pub struct DeepLinkInbox {
    pub ui_listening: bool,
    pub pending: Vec<DeepLinkEvent>,
}

impl AppState {
    pub fn new(demo: bool) -> Self {
        Self {
            demo,
            data_dir: OnceLock::new(),
            deep_links: Mutex::new(DeepLinkInbox::default()),
        }
    }

    pub fn set_data_dir(&self, dir: PathBuf) {
        let _ = self.data_dir.set(dir);
    }

    pub fn data_dir(&self) -> Result<&PathBuf, Error> {
        self.data_dir
            .get()
            .ok_or_else(|| Error::internal("The data directory is not set up yet."))
    }

    pub fn deep_links(&self) -> MutexGuard<'_, DeepLinkInbox> {
        // A panic while holding this lock leaves only a list of links behind: keep going.
        self.deep_links
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `HIREBRIDGE_DATA_DIR`, else the platform's app data directory from Tauri's path API; created
/// owner-only.
pub fn resolve_data_dir<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> Result<PathBuf, Error> {
    let dir = hirebridge_core::paths::resolve_data_dir(None, || app.path().app_data_dir().ok())?;
    hirebridge_core::paths::ensure_private_dir(&dir).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("Hirebridge cannot use its data directory: {e}"),
        )
    })?;
    Ok(dir)
}
