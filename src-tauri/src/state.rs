//! State shared by every command.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use hirebridge_core::auth::BrowserOpener;
use hirebridge_core::{Error, ErrorKind};
use tauri::Manager;

use crate::background_sync::BackgroundSync;
use crate::browser::FileOpener;
use crate::connectivity::AppEventSink;
use crate::events::{AppEvent, DeepLinkEvent, LinkEvent};
use crate::flows::OAuthFlows;
use crate::services::Services;

pub struct AppState {
    pub demo: bool,
    data_dir: OnceLock<PathBuf>,
    services: OnceLock<Result<Arc<Services>, Error>>,
    browser: OnceLock<Arc<dyn BrowserOpener>>,
    file_opener: OnceLock<Arc<dyn FileOpener>>,
    deep_links: Mutex<DeepLinkInbox>,
    link_events: OnceLock<LinkEventSink>,
    app_events: OnceLock<AppEventSink>,
    background: OnceLock<Arc<BackgroundSync>>,
    pub flows: Arc<OAuthFlows>,
}

/// Sends a [`LinkEvent`] to the window (set by `mount_events`, so commands need no runtime type).
pub type LinkEventSink = Arc<dyn Fn(LinkEvent) + Send + Sync>;

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
            services: OnceLock::new(),
            browser: OnceLock::new(),
            file_opener: OnceLock::new(),
            deep_links: Mutex::new(DeepLinkInbox::default()),
            link_events: OnceLock::new(),
            app_events: OnceLock::new(),
            background: OnceLock::new(),
            flows: Arc::new(OAuthFlows::default()),
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

    /// The database, keychain and HTTP client, or why they could not be opened (shown as is).
    pub fn set_services(&self, services: Result<Services, Error>) {
        let _ = self.services.set(services.map(Arc::new));
    }

    pub fn services(&self) -> Result<Arc<Services>, Error> {
        match self.services.get() {
            Some(Ok(services)) => Ok(Arc::clone(services)),
            Some(Err(e)) => Err(e.clone()),
            None => Err(Error::internal("Hirebridge is still starting up.")),
        }
    }

    /// What opens authorization URLs: the system browser in the app, a scripted one in tests.
    pub fn set_browser(&self, browser: Arc<dyn BrowserOpener>) {
        let _ = self.browser.set(browser);
    }

    pub fn browser(&self) -> Result<Arc<dyn BrowserOpener>, Error> {
        self.browser
            .get()
            .cloned()
            .ok_or_else(|| Error::internal("No browser is set up to open the sign-in page."))
    }

    pub fn set_file_opener(&self, opener: Arc<dyn FileOpener>) {
        let _ = self.file_opener.set(opener);
    }

    /// What opens downloaded files: the OS's default app in the app, a recorder in tests.
    pub fn file_opener(&self) -> Result<Arc<dyn FileOpener>, Error> {
        self.file_opener
            .get()
            .cloned()
            .ok_or_else(|| Error::internal("Nothing is set up to open files."))
    }

    pub fn set_link_events(&self, sink: LinkEventSink) {
        let _ = self.link_events.set(sink);
    }

    /// Where linking progress goes; before the window exists, nowhere.
    pub fn link_events(&self) -> LinkEventSink {
        self.link_events
            .get()
            .cloned()
            .unwrap_or_else(|| Arc::new(|_| log::warn!("a linking event had no window to go to")))
    }

    pub fn set_app_events(&self, sink: AppEventSink) {
        let _ = self.app_events.set(sink);
    }

    /// Where shell events go, once the window can receive them.
    pub fn app_events(&self) -> Option<AppEventSink> {
        self.app_events.get().cloned()
    }

    /// Sync, schedule and connectivity, made on first use once the services are open.
    pub fn background(&self) -> Result<Arc<BackgroundSync>, Error> {
        if let Some(existing) = self.background.get() {
            return Ok(Arc::clone(existing));
        }
        let sink = self.app_events.get().cloned().unwrap_or_else(|| {
            Arc::new(|_: AppEvent| log::warn!("a sync event had no window to go to"))
        });
        let made = BackgroundSync::new(self.services()?, sink);
        Ok(Arc::clone(self.background.get_or_init(|| made)))
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
