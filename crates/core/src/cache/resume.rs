//! Resume text, when known (extracted from a resume file by the push pipeline): stored on the
//! cached candidate, so the full-text index's `resume` column finds it. Syncs keep it: vendors'
//! list objects carry no resume text, and an empty one never overwrites a known one.

use sqlx::SqlitePool;

use crate::Result;

/// Sets (or, with empty `text`, clears) the resume text of a cached candidate and re-indexes
/// it for search. Returns false when the candidate is not cached (nothing to index yet).
pub async fn set_resume_text(
    pool: &SqlitePool,
    account_id: &str,
    candidate_remote_id: &str,
    text: &str,
) -> Result<bool> {
    // The FTS5 update trigger re-indexes the row when `resume` changes.
    let done = sqlx::query(
        "UPDATE cached_candidates SET resume = ? WHERE account_id = ? AND remote_id = ?",
    )
    .bind(text.trim())
    .bind(account_id)
    .bind(candidate_remote_id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() > 0)
}
