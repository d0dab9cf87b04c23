//! Pulls pages through connectors into the cache, incrementally, with progress and stage changes.
//!
//! Per (account, resource): a watermark (start time of the last successful run); a run asks the
//! vendor only for records updated since the watermark minus an overlap; each page is written
//! with its checkpoint (next cursor, counts) in one transaction, so a killed run resumes after
//! the last whole page. Full runs mark every row they see with their run id and sweep the rest
//! (SmartRecruiters has no deletion feed: a periodic full run reconciles); Lever's deleted
//! opportunities are read after each incremental run. Requests go through the background lane
//! of the account's rate limiter, so a person's requests on the same account go first.

mod deletions;
mod detail;
pub mod lever_people;
pub mod records;
mod runner;
mod scheduler;
pub mod state;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

pub use detail::ensure_candidate_detail;
pub use scheduler::{Scheduler, SyncTarget};
pub use state::{RunStatus, SyncRunRecord, history, last_synced};

use crate::cache::StageChange;
use crate::connectors::Connector;
use crate::{Result, Vendor};

/// What a sync pulls. Candidates bring their applications (and any attachments they carry)
/// where the vendor's candidate list holds them (SmartRecruiters assignments, Lever
/// opportunities); otherwise (Unberry) applications are a list of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SyncResource {
    Jobs,
    Candidates,
    Applications,
    Users,
    /// User Directory: the vendor's roles and groups (SmartRecruiters system roles and access
    /// groups, Lever's fixed access roles, Unberry's roles).
    Roles,
    Groups,
    /// Unberry's assessments (scores) and interviews, shown in the candidate detail.
    Assessments,
    Interviews,
}

impl SyncResource {
    pub const ALL: [SyncResource; 8] = [
        SyncResource::Jobs,
        SyncResource::Candidates,
        SyncResource::Applications,
        SyncResource::Users,
        SyncResource::Roles,
        SyncResource::Groups,
        SyncResource::Assessments,
        SyncResource::Interviews,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncResource::Jobs => "jobs",
            SyncResource::Candidates => "candidates",
            SyncResource::Applications => "applications",
            SyncResource::Users => "users",
            SyncResource::Roles => "roles",
            SyncResource::Groups => "groups",
            SyncResource::Assessments => "assessments",
            SyncResource::Interviews => "interviews",
        }
    }

    /// The connector operation that lists this resource.
    pub fn list_operation(self) -> crate::model::Operation {
        use crate::model::Operation;
        match self {
            SyncResource::Jobs => Operation::ListJobs,
            SyncResource::Candidates => Operation::ListCandidates,
            SyncResource::Applications => Operation::ListApplications,
            SyncResource::Users => Operation::ListUsers,
            SyncResource::Roles => Operation::ListRoles,
            SyncResource::Groups => Operation::ListGroups,
            SyncResource::Assessments => Operation::ListAssessments,
            SyncResource::Interviews => Operation::ListInterviews,
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Whether the vendor's candidate list carries each candidate's applications.
pub(crate) fn applications_embedded(vendor: Vendor) -> bool {
    vendor != Vendor::Unberry
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SyncProgress {
    pub account_id: String,
    pub resource: SyncResource,
    /// Records written so far in this run (a resumed run counts what it did before).
    pub done: u32,
    /// Records the run will write, when the vendor says.
    pub total: Option<u32>,
    pub rate_per_s: f64,
}

/// What one run of one resource did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ResourceReport {
    pub resource: SyncResource,
    pub run_id: String,
    pub full: bool,
    /// It continued a run a previous process left unfinished.
    pub resumed: bool,
    pub records: u32,
    pub deleted: u32,
    pub requests: u32,
    pub stage_changes: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SyncReport {
    pub account_id: String,
    pub resources: Vec<ResourceReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SyncEvent {
    Progress(SyncProgress),
    /// An application moved stage; `notify` applies the recruiter's notification setting
    /// (followed candidates, all, none), so the shell shows a desktop notification when true.
    StageChanged {
        change: StageChange,
        notify: bool,
    },
    Finished(SyncReport),
    Failed {
        account_id: String,
        error: crate::Error,
    },
}

/// Receives every [`SyncEvent`]; must return quickly (forward to a channel or the UI).
pub type EventSink = Arc<dyn Fn(&SyncEvent) + Send + Sync>;

#[derive(Debug, Clone, PartialEq)]
pub struct SyncConfig {
    /// Subtracted from the watermark: records a vendor stamps slightly in the past (clock skew,
    /// slow commits) are still picked up. Re-reading a few is harmless: upserts are idempotent.
    pub overlap: Duration,
    /// Page size asked of the vendor (each connector clamps it to the vendor's maximum).
    pub page_size: u32,
    /// A full run (mark and sweep) at least this often for vendors without a deletion feed.
    pub reconcile_every: Duration,
    /// Pages fetched ahead of the one being written. When writing falls behind, the pages
    /// waiting are written in one transaction (each still with its own checkpoint). Enough
    /// pages (64 of 100 records, a few MiB) to fill a group of `GROUP_RECORDS` in the runner.
    pub prefetch_pages: usize,
}

impl Default for SyncConfig {
    fn default() -> Self {
        Self {
            overlap: Duration::from_secs(120),
            page_size: 100,
            reconcile_every: Duration::from_secs(24 * 3600),
            prefetch_pages: 64,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SyncOptions {
    /// Ignore watermarks: read everything and sweep what is gone.
    #[serde(default)]
    pub full: bool,
    /// Only these resources (all when empty).
    #[serde(default)]
    pub resources: Vec<SyncResource>,
}

/// Runs syncs into one cache. One run at a time per account; different accounts in parallel.
pub struct SyncEngine {
    pool: SqlitePool,
    config: SyncConfig,
    events: Option<EventSink>,
    running: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl SyncEngine {
    pub fn new(pool: SqlitePool, config: SyncConfig) -> Self {
        Self {
            pool,
            config,
            events: None,
            running: Mutex::new(HashMap::new()),
        }
    }

    pub fn with_events(mut self, sink: EventSink) -> Self {
        self.events = Some(sink);
        self
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn config(&self) -> &SyncConfig {
        &self.config
    }

    pub(crate) fn emit(&self, event: SyncEvent) {
        if let Some(sink) = &self.events {
            sink(&event);
        }
    }

    fn account_lock(&self, account_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(account_id.to_owned()).or_default().clone()
    }

    /// Syncs one account: every resource its vendor lists (or those in `options`), in order
    /// jobs → candidates → applications → users → roles → groups → assessments →
    /// interviews. Waits if the account is already syncing.
    pub async fn sync_account(
        &self,
        connector: Arc<dyn Connector>,
        options: &SyncOptions,
    ) -> Result<SyncReport> {
        let account_id = connector.account_id().to_owned();
        let lock = self.account_lock(&account_id);
        let _guard = lock.lock().await;
        let mut report = SyncReport {
            account_id: account_id.clone(),
            resources: Vec::new(),
        };
        for resource in SyncResource::ALL {
            if !options.resources.is_empty() && !options.resources.contains(&resource) {
                continue;
            }
            if !runner::supported(connector.as_ref(), resource) {
                continue;
            }
            match runner::run_resource(self, connector.clone(), resource, options.full).await {
                Ok(r) => report.resources.push(r),
                Err(error) => {
                    self.emit(SyncEvent::Failed {
                        account_id: account_id.clone(),
                        error: error.clone(),
                    });
                    return Err(error);
                }
            }
        }
        self.emit(SyncEvent::Finished(report.clone()));
        Ok(report)
    }
}

/// Whether a vendor's list of `resource` accepts an `updated_after` filter.
pub(crate) fn incremental_supported(connector: &dyn Connector, resource: SyncResource) -> bool {
    connector
        .capabilities()
        .get(resource.list_operation())
        .is_some_and(|o| o.supported && o.supported_fields.iter().any(|f| f == "updated_after"))
}

/// Vendors whose deletions only a full run finds.
pub(crate) fn needs_reconcile(vendor: Vendor, resource: SyncResource) -> bool {
    !(vendor == Vendor::Lever && resource == SyncResource::Candidates)
}
