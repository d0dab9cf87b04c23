//! Jobs with how many applications sit in each stage.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::view::ms_to_time;
use crate::{Result, Vendor};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct StageCount {
    pub stage_id: Option<String>,
    pub stage_name: Option<String>,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct JobWithCounts {
    pub account_id: String,
    pub remote_id: String,
    pub vendor: Vendor,
    pub name: String,
    pub status: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Applications to this job, all stages.
    pub total: u32,
    /// Largest stage first.
    pub stages: Vec<StageCount>,
}

#[derive(sqlx::FromRow)]
struct JobStageRow {
    account_id: String,
    remote_id: String,
    vendor: String,
    name: String,
    status: Option<String>,
    updated_at: Option<i64>,
    stage_id: Option<String>,
    stage_name: Option<String>,
    n: i64,
}

/// Every cached job (of one account, or all), by name, with application counts per stage.
pub async fn jobs_with_counts(
    pool: &SqlitePool,
    account_id: Option<&str>,
) -> Result<Vec<JobWithCounts>> {
    let rows: Vec<JobStageRow> = sqlx::query_as(
        "SELECT j.account_id, j.remote_id, j.vendor, j.name, j.status, j.updated_at, \
         a.stage_id, max(a.stage_name) AS stage_name, count(a.remote_id) AS n \
         FROM cached_jobs j LEFT JOIN cached_applications a \
           ON a.account_id = j.account_id AND a.job_remote_id = j.remote_id \
         WHERE (?1 IS NULL OR j.account_id = ?1) \
         GROUP BY j.account_id, j.remote_id, a.stage_id \
         ORDER BY j.name, j.account_id, j.remote_id, n DESC, a.stage_id",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await?;
    let mut jobs: Vec<JobWithCounts> = Vec::new();
    for r in rows {
        let same = jobs
            .last()
            .is_some_and(|j| j.account_id == r.account_id && j.remote_id == r.remote_id);
        if !same {
            jobs.push(JobWithCounts {
                account_id: r.account_id,
                remote_id: r.remote_id,
                vendor: r.vendor.parse().unwrap_or(Vendor::SmartRecruiters),
                name: r.name,
                status: r.status,
                updated_at: ms_to_time(r.updated_at),
                total: 0,
                stages: Vec::new(),
            });
        }
        if r.n > 0
            && let Some(job) = jobs.last_mut()
        {
            let n = u32::try_from(r.n).unwrap_or(u32::MAX);
            job.total = job.total.saturating_add(n);
            job.stages.push(StageCount {
                stage_id: r.stage_id,
                stage_name: r.stage_name,
                count: n,
            });
        }
    }
    Ok(jobs)
}

/// Every cached job of an account as unified records, by name.
pub async fn job_records(pool: &SqlitePool, account_id: &str) -> Result<Vec<serde_json::Value>> {
    super::directory::records_by_name(pool, "cached_jobs", account_id).await
}
