//! Keeps every linked account's cache fresh: a round every few minutes and on demand, each
//! account on its own task (the engine runs one sync per account at a time and shares the
//! account's rate limiter with the user's own calls, which go first).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hirebridge_core::accounts::AccountStatus;
use hirebridge_core::sync::{EventSink, SyncConfig, SyncEngine, SyncEvent, SyncOptions};
use hirebridge_core::{Error, Result};
use tokio::sync::Notify;

use crate::connectivity::{AppEventSink, Connectivity};
use crate::events::AppEvent;
use crate::services::Services;

/// How often every account syncs when nobody asks.
pub const SCHEDULE_EVERY: Duration = Duration::from_secs(10 * 60);

pub struct BackgroundSync {
    services: Arc<Services>,
    engine: Arc<SyncEngine>,
    pub connectivity: Arc<Connectivity>,
    /// Accounts with a run in progress or queued, so "Sync now" twice does not queue twice.
    running: Mutex<HashSet<String>>,
    wake: Notify,
}

impl BackgroundSync {
    pub fn new(services: Arc<Services>, sink: AppEventSink) -> Arc<Self> {
        let connectivity = Arc::new(Connectivity::new(sink.clone()));
        let events: EventSink =
            Arc::new(move |event: &SyncEvent| sink(AppEvent::Sync(Box::new(event.clone()))));
        let engine =
            SyncEngine::new(services.pool.clone(), SyncConfig::default()).with_events(events);
        Arc::new(Self {
            services,
            engine: Arc::new(engine),
            connectivity,
            running: Mutex::new(HashSet::new()),
            wake: Notify::new(),
        })
    }

    /// Accounts whose sync is running or about to.
    pub fn running(&self) -> Vec<String> {
        let mut ids: Vec<String> = lock(&self.running).iter().cloned().collect();
        ids.sort();
        ids
    }

    /// Starts syncing `account_id` (every active account when `None`) at once, in the
    /// background; progress and the outcome arrive as events. An account already syncing is
    /// left to finish its run.
    pub async fn sync_now(
        self: &Arc<Self>,
        account_id: Option<&str>,
        full: bool,
    ) -> Result<Vec<String>> {
        let accounts = match account_id {
            Some(id) => vec![self.services.account(id).await?],
            None => self.services.accounts.list().await?,
        };
        let mut started = Vec::new();
        for account in accounts {
            if account.status == AccountStatus::NeedsRelink {
                if account_id.is_some() {
                    return Err(Error::new(
                        hirebridge_core::ErrorKind::NeedsRelink,
                        format!(
                            "{} needs to be linked again before it can sync.",
                            account.label
                        ),
                    ));
                }
                continue;
            }
            if !lock(&self.running).insert(account.id.clone()) {
                continue;
            }
            started.push(account.id.clone());
            let this = Arc::clone(self);
            tauri::async_runtime::spawn(async move {
                let outcome = this.sync_one(&account.id, full).await;
                this.connectivity.observe(&outcome);
                if let Err(e) = outcome {
                    log::warn!("sync of a {} account failed: {}", account.vendor, e.message);
                }
                lock(&this.running).remove(&account.id);
            });
        }
        Ok(started)
    }

    async fn sync_one(&self, account_id: &str, full: bool) -> Result<()> {
        let account = self.services.account(account_id).await?;
        let connector = self.services.connector(&account)?;
        let options = SyncOptions {
            full,
            ..Default::default()
        };
        self.engine
            .sync_account(connector, &options)
            .await
            .map(|_| ())
    }

    /// Syncs every account now and then every `every`, until the app exits.
    pub fn start_schedule(self: &Arc<Self>, every: Duration) {
        let this = Arc::clone(self);
        tauri::async_runtime::spawn(async move {
            loop {
                if let Err(e) = this.sync_now(None, false).await {
                    log::warn!("the scheduled sync could not start: {}", e.message);
                }
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = this.wake.notified() => {}
                }
            }
        });
    }

    /// While offline, checks every `every` whether an account's host answers again; when one
    /// does, says so and syncs at once.
    pub fn watch_connectivity(self: &Arc<Self>, every: Duration) {
        let this = Arc::clone(self);
        tauri::async_runtime::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                if this.connectivity.is_online() {
                    continue;
                }
                let Ok(accounts) = this.services.accounts.list().await else {
                    continue;
                };
                for account in accounts {
                    if crate::connectivity::probe(&account.base_url).await {
                        this.connectivity.set(true);
                        this.wake();
                        break;
                    }
                }
            }
        });
    }

    /// Wakes the schedule now (after linking an account, when the network comes back).
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A set of account ids has no invariant a panic could break.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
