//! The system browser, through tauri-plugin-opener, for the OAuth consent page.

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
