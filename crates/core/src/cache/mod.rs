//! The local SQLite cache of unified records, its full-text index and the queries the UI runs.
//!
//! Schema: `migrations/0002_cache.sql`. Writes ([`write`]) run inside the sync engine's
//! transactions; everything else here is a read the UI (or the CLI) runs.

pub mod activity;
pub mod candidates;
pub mod directory;
pub mod duplicates;
pub mod jobs;
pub mod normalize;
pub mod resume;
pub mod rows;
pub mod search;
pub mod stages;
pub mod stats;
pub mod view;
pub mod write;

pub use activity::{ActivityItem, ActivityQuery, NotifyScope, activity_feed, changes_to_notify};
pub use candidates::{
    CandidateDetail, CandidateListQuery, CandidatePage, CandidateSort, candidate_detail,
    list_candidates,
};
pub use duplicates::{DuplicateMatch, DuplicateQuery, IdentityKind, find_duplicates};
pub use jobs::{
    JobChoice, JobWithCounts, PipelineGroup, StageCount, job_choices, jobs_with_counts,
};
pub use resume::set_resume_text;
pub use search::{MatchKind, SearchHit, SearchQuery, search_candidates};
/// The cache's connection pool type, for callers that do not depend on sqlx themselves.
pub use sqlx::SqlitePool;
pub use stats::{AccountCounts, account_counts};
pub use view::CandidateSummary;
pub use write::StageChange;
