//! `sync_state` (watermark and checkpoint per account and resource) and `sync_runs` (history).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{SqliteConnection, SqlitePool};

use super::SyncResource;
use crate::Result;
use crate::cache::view::ms_to_time;

/// The run in progress (or interrupted) for one account and resource.
#[derive(Debug, Clone, PartialEq)]
pub struct RunState {
    pub run_id: String,
    pub full: bool,
    /// ms; becomes the watermark when the run succeeds.
    pub started_at: i64,
    /// The vendor filter of this run (ms), kept so a resumed run asks the same question.
    pub updated_after: Option<i64>,
    /// Where to continue: `None` before the first page.
    pub cursor: Option<String>,
    pub done: i64,
    pub requests: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceState {
    /// Start time (ms) of the last successful run.
    pub watermark: Option<i64>,
    pub last_full_at: Option<i64>,
    pub run: Option<RunState>,
}

#[derive(sqlx::FromRow)]
struct StateRow {
    watermark: Option<i64>,
    last_full_at: Option<i64>,
    run_id: Option<String>,
    run_full: bool,
    run_started_at: Option<i64>,
    run_updated_after: Option<i64>,
    run_cursor: Option<String>,
    run_done: i64,
    run_requests: i64,
}

pub async fn load(
    pool: &SqlitePool,
    account_id: &str,
    resource: SyncResource,
) -> Result<ResourceState> {
    let row: Option<StateRow> = sqlx::query_as(
        "SELECT watermark, last_full_at, run_id, run_full, run_started_at, run_updated_after, \
         run_cursor, run_done, run_requests FROM sync_state WHERE account_id = ? AND resource = ?",
    )
    .bind(account_id)
    .bind(resource.as_str())
    .fetch_optional(pool)
    .await?;
    Ok(row
        .map(|r| ResourceState {
            watermark: r.watermark,
            last_full_at: r.last_full_at,
            run: r.run_id.map(|run_id| RunState {
                run_id,
                full: r.run_full,
                started_at: r.run_started_at.unwrap_or(0),
                updated_after: r.run_updated_after,
                cursor: r.run_cursor,
                done: r.run_done,
                requests: r.run_requests,
            }),
        })
        .unwrap_or_default())
}

/// Records a new run as in progress (its checkpoint starts empty).
pub async fn begin(
    pool: &SqlitePool,
    account_id: &str,
    resource: SyncResource,
    run: &RunState,
) -> Result<()> {
    let mut tx = crate::db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO sync_state (account_id, resource, run_id, run_full, run_started_at, \
         run_updated_after, run_cursor, run_done, run_requests) VALUES (?, ?, ?, ?, ?, ?, NULL, 0, 0) \
         ON CONFLICT (account_id, resource) DO UPDATE SET run_id = excluded.run_id, \
         run_full = excluded.run_full, run_started_at = excluded.run_started_at, \
         run_updated_after = excluded.run_updated_after, run_cursor = NULL, run_done = 0, \
         run_requests = 0",
    )
    .bind(account_id)
    .bind(resource.as_str())
    .bind(&run.run_id)
    .bind(run.full)
    .bind(run.started_at)
    .bind(run.updated_after)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO sync_runs (id, account_id, resource, full, status, started_at) \
         VALUES (?, ?, ?, ?, 'running', ?)",
    )
    .bind(&run.run_id)
    .bind(account_id)
    .bind(resource.as_str())
    .bind(run.full)
    .bind(run.started_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a checkpoint records: pages written whole, and the cursor after the last of them.
#[derive(Debug, Clone, Copy)]
pub struct PagesWritten<'a> {
    pub cursor: Option<&'a str>,
    pub records: i64,
    pub pages: i64,
    pub stage_changes: i64,
}

/// Moves the checkpoint past `pages` pages written whole in the caller's transaction: the
/// cursor is the one after the last of them.
pub async fn checkpoint(
    conn: &mut SqliteConnection,
    account_id: &str,
    resource: SyncResource,
    run_id: &str,
    written: &PagesWritten<'_>,
) -> Result<()> {
    let PagesWritten {
        cursor,
        records,
        pages,
        stage_changes,
    } = *written;
    sqlx::query(
        "UPDATE sync_state SET run_cursor = ?, run_done = run_done + ?, run_requests = run_requests + ? \
         WHERE account_id = ? AND resource = ? AND run_id = ?",
    )
    .bind(cursor)
    .bind(records)
    .bind(pages)
    .bind(account_id)
    .bind(resource.as_str())
    .bind(run_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE sync_runs SET records = records + ?, requests = requests + ?, \
         stage_changes = stage_changes + ? WHERE id = ?",
    )
    .bind(records)
    .bind(pages)
    .bind(stage_changes)
    .bind(run_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Counts requests that bring no page (deletion lists) into the run's history.
pub async fn add_requests(conn: &mut SqliteConnection, run_id: &str, requests: i64) -> Result<()> {
    sqlx::query("UPDATE sync_runs SET requests = requests + ? WHERE id = ?")
        .bind(requests)
        .bind(run_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The run succeeded: its start time becomes the watermark and the checkpoint is cleared.
pub async fn finish(
    conn: &mut SqliteConnection,
    account_id: &str,
    resource: SyncResource,
    run: &RunState,
    deleted: i64,
    finished_at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE sync_state SET watermark = ?, \
         last_full_at = CASE WHEN ? THEN ? ELSE last_full_at END, run_id = NULL, run_full = 0, \
         run_started_at = NULL, run_updated_after = NULL, run_cursor = NULL, run_done = 0, \
         run_requests = 0 WHERE account_id = ? AND resource = ?",
    )
    .bind(run.started_at)
    .bind(run.full)
    .bind(run.started_at)
    .bind(account_id)
    .bind(resource.as_str())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE sync_runs SET status = 'succeeded', finished_at = ?, deleted = deleted + ? WHERE id = ?",
    )
    .bind(finished_at)
    .bind(deleted)
    .bind(&run.run_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The run stopped on an error; its checkpoint stays so the next run resumes it.
pub async fn fail(pool: &SqlitePool, run_id: &str, error: &str, cancelled: bool) -> Result<()> {
    sqlx::query("UPDATE sync_runs SET status = ?, finished_at = ?, error = ? WHERE id = ?")
        .bind(if cancelled { "cancelled" } else { "failed" })
        .bind(Utc::now().timestamp_millis())
        .bind(error)
        .bind(run_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// A resumed run is running again.
pub async fn mark_running(pool: &SqlitePool, run_id: &str) -> Result<()> {
    sqlx::query(
        "UPDATE sync_runs SET status = 'running', finished_at = NULL, error = NULL WHERE id = ?",
    )
    .bind(run_id)
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// One sync run, for the history screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SyncRunRecord {
    pub id: String,
    pub account_id: String,
    pub resource: String,
    pub full: bool,
    pub status: RunStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub records: u32,
    pub deleted: u32,
    pub requests: u32,
    pub stage_changes: u32,
    pub error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RunRow {
    id: String,
    account_id: String,
    resource: String,
    full: bool,
    status: String,
    started_at: i64,
    finished_at: Option<i64>,
    records: i64,
    deleted: i64,
    requests: i64,
    stage_changes: i64,
    error: Option<String>,
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// Most recent first.
pub async fn history(
    pool: &SqlitePool,
    account_id: Option<&str>,
    limit: u32,
) -> Result<Vec<SyncRunRecord>> {
    let rows: Vec<RunRow> = sqlx::query_as(
        "SELECT id, account_id, resource, full, status, started_at, finished_at, records, deleted, \
         requests, stage_changes, error FROM sync_runs WHERE (?1 IS NULL OR account_id = ?1) \
         ORDER BY started_at DESC, rowid DESC LIMIT ?2",
    )
    .bind(account_id)
    .bind(i64::from(limit.clamp(1, 1_000)))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SyncRunRecord {
            status: match r.status.as_str() {
                "running" => RunStatus::Running,
                "succeeded" => RunStatus::Succeeded,
                "cancelled" => RunStatus::Cancelled,
                _ => RunStatus::Failed,
            },
            id: r.id,
            account_id: r.account_id,
            resource: r.resource,
            full: r.full,
            started_at: ms_to_time(Some(r.started_at)),
            finished_at: ms_to_time(r.finished_at),
            records: count(r.records),
            deleted: count(r.deleted),
            requests: count(r.requests),
            stage_changes: count(r.stage_changes),
            error: r.error,
        })
        .collect())
}

/// When the account's `resource` last synced successfully (its watermark), if ever.
pub async fn last_synced(
    pool: &SqlitePool,
    account_id: &str,
    resource: SyncResource,
) -> Result<Option<DateTime<Utc>>> {
    Ok(ms_to_time(
        load(pool, account_id, resource).await?.watermark,
    ))
}
