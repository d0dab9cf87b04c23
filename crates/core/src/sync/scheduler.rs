//! Periodic and on-demand syncs of a set of accounts in the background.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use super::{SyncEngine, SyncOptions};
use crate::connectors::Connector;

/// One account to keep in sync.
#[derive(Clone)]
pub struct SyncTarget {
    pub connector: Arc<dyn Connector>,
}

/// Syncs every target every `every`, and at once when asked. Dropping it stops the loop after
/// the run in progress.
pub struct Scheduler {
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Scheduler {
    pub fn start(engine: Arc<SyncEngine>, targets: Vec<SyncTarget>, every: Duration) -> Self {
        let wake = Arc::new(Notify::new());
        let (stop, mut stopped) = watch::channel(false);
        let task = {
            let wake = wake.clone();
            tokio::spawn(async move {
                loop {
                    // Accounts sync in parallel; each one's resources in order.
                    let runs = targets.iter().map(|t| {
                        let engine = engine.clone();
                        let connector = t.connector.clone();
                        async move {
                            // Failures are reported through the engine's events and history.
                            let _ = engine
                                .sync_account(connector, &SyncOptions::default())
                                .await;
                        }
                    });
                    futures::future::join_all(runs).await;
                    tokio::select! {
                        _ = tokio::time::sleep(every) => {}
                        _ = wake.notified() => {}
                        _ = stopped.changed() => return,
                    }
                    if *stopped.borrow() {
                        return;
                    }
                }
            })
        };
        Self { wake, stop, task }
    }

    /// Starts the next round now (or right after the one in progress).
    pub fn run_now(&self) {
        self.wake.notify_one();
    }

    /// Stops after the run in progress and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
