//! The Activity feed (stage-change alerts, read/unread), followed candidates, and the setting
//! that decides which stage changes become desktop notifications.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::view::ms_to_time;
use super::write::StageChange;
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ActivityItem {
    pub id: u32,
    pub account_id: String,
    pub candidate_remote_id: Option<String>,
    /// Display name when the candidate is cached.
    pub candidate_name: Option<String>,
    pub application_remote_id: String,
    pub job_remote_id: Option<String>,
    pub job_name: Option<String>,
    pub from_stage_name: Option<String>,
    pub to_stage_name: Option<String>,
    pub detected_at: Option<DateTime<Utc>>,
    pub read: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ActivityQuery {
    #[serde(default)]
    pub unread_only: bool,
    /// Items older than this id (the last id of the previous page).
    pub before_id: Option<u32>,
    pub limit: Option<u32>,
}

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: i64,
    account_id: String,
    candidate_remote_id: Option<String>,
    candidate_name: Option<String>,
    application_remote_id: String,
    job_remote_id: Option<String>,
    job_name: Option<String>,
    from_stage_name: Option<String>,
    to_stage_name: Option<String>,
    detected_at: i64,
    read: bool,
}

/// Newest first.
pub async fn activity_feed(pool: &SqlitePool, q: &ActivityQuery) -> Result<Vec<ActivityItem>> {
    let rows: Vec<ActivityRow> = sqlx::query_as(
        "SELECT a.id, a.account_id, a.candidate_remote_id, c.name AS candidate_name, \
         a.application_remote_id, a.job_remote_id, j.name AS job_name, a.from_stage_name, \
         a.to_stage_name, a.detected_at, a.read FROM activity a \
         LEFT JOIN cached_candidates c ON c.account_id = a.account_id AND c.remote_id = a.candidate_remote_id \
         LEFT JOIN cached_jobs j ON j.account_id = a.account_id AND j.remote_id = a.job_remote_id \
         WHERE (?1 = 0 OR a.read = 0) AND (?2 IS NULL OR a.id < ?2) ORDER BY a.id DESC LIMIT ?3",
    )
    .bind(q.unread_only)
    .bind(q.before_id.map(i64::from))
    .bind(i64::from(q.limit.unwrap_or(100).clamp(1, 1_000)))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ActivityItem {
            id: u32::try_from(r.id).unwrap_or(u32::MAX),
            account_id: r.account_id,
            candidate_remote_id: r.candidate_remote_id,
            candidate_name: r.candidate_name,
            application_remote_id: r.application_remote_id,
            job_remote_id: r.job_remote_id,
            job_name: r.job_name,
            from_stage_name: r.from_stage_name,
            to_stage_name: r.to_stage_name,
            detected_at: ms_to_time(Some(r.detected_at)),
            read: r.read,
        })
        .collect())
}

pub async fn unread_count(pool: &SqlitePool) -> Result<u32> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM activity WHERE read = 0")
        .fetch_one(pool)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Marks the given items read, or every item when `ids` is `None`.
pub async fn mark_read(pool: &SqlitePool, ids: Option<&[u32]>) -> Result<u64> {
    let done = match ids {
        None => {
            sqlx::query("UPDATE activity SET read = 1 WHERE read = 0")
                .execute(pool)
                .await?
        }
        Some(ids) => {
            let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
            sqlx::query("UPDATE activity SET read = 1 WHERE id IN (SELECT value FROM json_each(?))")
                .bind(json)
                .execute(pool)
                .await?
        }
    };
    Ok(done.rows_affected())
}

pub async fn follow(pool: &SqlitePool, account_id: &str, candidate_remote_id: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO follows (account_id, candidate_remote_id, created_at) VALUES (?, ?, ?) \
         ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(candidate_remote_id)
    .bind(Utc::now().timestamp_millis())
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn unfollow(
    pool: &SqlitePool,
    account_id: &str,
    candidate_remote_id: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM follows WHERE account_id = ? AND candidate_remote_id = ?")
        .bind(account_id)
        .bind(candidate_remote_id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Which stage changes become desktop notifications.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum NotifyScope {
    /// Only candidates the recruiter follows.
    #[default]
    Followed,
    All,
    None,
}

const NOTIFY_KEY: &str = "notifications.stage_changes";

pub async fn notify_scope(pool: &SqlitePool) -> Result<NotifyScope> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(NOTIFY_KEY)
        .fetch_optional(pool)
        .await?;
    Ok(value
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

pub async fn set_notify_scope(pool: &SqlitePool, scope: NotifyScope) -> Result<()> {
    let value = serde_json::to_string(&scope).map_err(|e| Error::internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(NOTIFY_KEY)
    .bind(value)
    .execute(pool)
    .await?;
    Ok(())
}

/// The stage changes the shell should turn into desktop notifications, under the setting.
pub async fn changes_to_notify(
    pool: &SqlitePool,
    changes: &[StageChange],
) -> Result<Vec<StageChange>> {
    match notify_scope(pool).await? {
        NotifyScope::None => Ok(Vec::new()),
        NotifyScope::All => Ok(changes.to_vec()),
        NotifyScope::Followed => {
            let mut out = Vec::new();
            for c in changes {
                let Some(candidate) = &c.candidate_remote_id else {
                    continue;
                };
                let followed: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM follows WHERE account_id = ? AND candidate_remote_id = ?)",
                )
                .bind(&c.account_id)
                .bind(candidate)
                .fetch_one(pool)
                .await?;
                if followed {
                    out.push(c.clone());
                }
            }
            Ok(out)
        }
    }
}
