//! The push journal: one row per push id, moved through pending → created → done (or failed).

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushState {
    Pending,
    Created,
    Done,
    Failed,
}

impl PushState {
    fn as_str(self) -> &'static str {
        match self {
            PushState::Pending => "pending",
            PushState::Created => "created",
            PushState::Done => "done",
            PushState::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pending" => PushState::Pending,
            "created" => PushState::Created,
            "done" => PushState::Done,
            "failed" => PushState::Failed,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub push_id: String,
    pub account_id: String,
    pub request_hash: String,
    pub state: PushState,
    pub remote_candidate_id: Option<String>,
    pub remote_application_id: Option<String>,
    pub outcome: Option<String>,
    pub error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    push_id: String,
    account_id: String,
    request_hash: String,
    state: String,
    remote_candidate_id: Option<String>,
    remote_application_id: Option<String>,
    outcome: Option<String>,
    error: Option<String>,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub async fn get(pool: &SqlitePool, push_id: &str) -> Result<Option<JournalEntry>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT push_id, account_id, request_hash, state, remote_candidate_id, \
         remote_application_id, outcome, error FROM push_journal WHERE push_id = ?",
    )
    .bind(push_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| JournalEntry {
        push_id: r.push_id,
        account_id: r.account_id,
        request_hash: r.request_hash,
        // The CHECK constraint allows nothing else; an unknown value reads as "unsure".
        state: PushState::parse(&r.state).unwrap_or(PushState::Pending),
        remote_candidate_id: r.remote_candidate_id,
        remote_application_id: r.remote_application_id,
        outcome: r.outcome,
        error: r.error,
    }))
}

/// Records the intent to push (or re-arms a failed one) before anything is sent.
pub async fn begin(pool: &SqlitePool, push_id: &str, account_id: &str, hash: &str) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO push_journal (push_id, account_id, request_hash, state, created_at, updated_at) \
         VALUES (?, ?, ?, 'pending', ?, ?) \
         ON CONFLICT (push_id) DO UPDATE SET state = 'pending', error = NULL, updated_at = excluded.updated_at \
         WHERE push_journal.state = 'failed'",
    )
    .bind(push_id)
    .bind(account_id)
    .bind(hash)
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn mark_created(
    pool: &SqlitePool,
    push_id: &str,
    candidate_id: &str,
    application_id: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE push_journal SET state = 'created', remote_candidate_id = ?, \
         remote_application_id = ?, error = NULL, updated_at = ? WHERE push_id = ?",
    )
    .bind(candidate_id)
    .bind(application_id)
    .bind(now_ms())
    .bind(push_id)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn mark_done(pool: &SqlitePool, push_id: &str, outcome_json: &str) -> Result<()> {
    sqlx::query(
        "UPDATE push_journal SET state = 'done', outcome = ?, error = NULL, updated_at = ? \
         WHERE push_id = ?",
    )
    .bind(outcome_json)
    .bind(now_ms())
    .bind(push_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// `state` is `Failed` when nothing can have been created, `Pending` when it is unknown.
pub async fn record_error(
    pool: &SqlitePool,
    push_id: &str,
    state: PushState,
    error: &str,
) -> Result<()> {
    sqlx::query("UPDATE push_journal SET state = ?, error = ?, updated_at = ? WHERE push_id = ?")
        .bind(state.as_str())
        .bind(error)
        .bind(now_ms())
        .bind(push_id)
        .execute(pool)
        .await?;
    Ok(())
}
