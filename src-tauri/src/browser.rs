//! The system browser and the OS's default apps, through tauri-plugin-opener: the OAuth consent
//! page, a candidate's page in the ATS, a downloaded attachment.

use std::path::Path;

use hirebridge_core::auth::{BrowserOpener, Url};
use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;

pub struct SystemBrowser<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> SystemBrowser<R> {
    pub fn new(app: AppHandle<R>) -> Self {
        Self { app }
    }
}

impl<R: Runtime> BrowserOpener for SystemBrowser<R> {
    fn open(&self, url: &Url) -> Result<(), String> {
        self.app
            .opener()
            .open_url(url.as_str(), None::<&str>)
            .map_err(|e| e.to_string())
    }
}

/// Opens a local file with the app the OS associates with it.
pub trait FileOpener: Send + Sync {
    fn open_file(&self, path: &Path) -> Result<(), String>;
}

impl<R: Runtime> FileOpener for SystemBrowser<R> {
    fn open_file(&self, path: &Path) -> Result<(), String> {
        self.app
            .opener()
            .open_path(path.display().to_string(), None::<&str>)
            .map_err(|e| e.to_string())
    }
}
