//! How much of each account is cached, for the Accounts screen.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::view::ms_to_time;
use crate::Result;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct AccountCounts {
    pub account_id: String,
    pub candidates: u32,
    pub applications: u32,
    pub jobs: u32,
    /// When the last sync run of any resource finished successfully.
    pub last_synced_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct CountsRow {
    id: String,
    candidates: i64,
    applications: i64,
    jobs: i64,
    last_synced_at: Option<i64>,
}

/// Counts for every linked account (zero for one never synced).
pub async fn account_counts(pool: &SqlitePool) -> Result<Vec<AccountCounts>> {
    let rows: Vec<CountsRow> = sqlx::query_as(
        "SELECT a.id, \
         (SELECT count(*) FROM cached_candidates c WHERE c.account_id = a.id) AS candidates, \
         (SELECT count(*) FROM cached_applications p WHERE p.account_id = a.id) AS applications, \
         (SELECT count(*) FROM cached_jobs j WHERE j.account_id = a.id) AS jobs, \
         (SELECT max(r.finished_at) FROM sync_runs r WHERE r.account_id = a.id \
            AND r.status = 'succeeded') AS last_synced_at \
         FROM accounts a ORDER BY a.created_at, a.id",
    )
    .fetch_all(pool)
    .await?;
    let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    Ok(rows
        .into_iter()
        .map(|r| AccountCounts {
            account_id: r.id,
            candidates: count(r.candidates),
            applications: count(r.applications),
            jobs: count(r.jobs),
            last_synced_at: ms_to_time(r.last_synced_at),
        })
        .collect())
}
