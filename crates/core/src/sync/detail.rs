//! Lazy detail: the full candidate (and attachments) fetched when a person opens it, never
//! during a sync (SmartRecruiters list objects are partial; one detail call per record would
//! multiply a sync's requests by the number of candidates).

use sqlx::SqlitePool;

use super::records::{application_row, attachment_row, candidate_row};
use crate::cache::write;
use crate::cache::{CandidateDetail, candidate_detail};
use crate::connectors::Connector;
use crate::model::{ListOptions, Operation};
use crate::{Error, ErrorKind, Result};

/// The candidate's cached detail, completed from the vendor first when only the list object
/// is cached (or the candidate is not cached yet). Uses the interactive lane: a person waits.
pub async fn ensure_candidate_detail(
    pool: &SqlitePool,
    connector: &dyn Connector,
    candidate_id: &str,
) -> Result<CandidateDetail> {
    let account_id = connector.account_id().to_owned();
    if let Some(cached) = candidate_detail(pool, &account_id, candidate_id).await?
        && cached.complete
    {
        return Ok(cached);
    }
    let mut candidate = connector.get_candidate(candidate_id).await?;
    let mut files = std::mem::take(&mut candidate.attachments);
    if files.is_empty()
        && connector
            .capabilities()
            .supports(Operation::ListAttachments)
    {
        let opts = ListOptions::default().for_candidate(candidate_id);
        match connector.list_attachments(&opts).await {
            Ok(page) => files = page.result,
            // The candidate is still worth showing without its files.
            Err(e) if e.kind != ErrorKind::Auth && e.kind != ErrorKind::NeedsRelink => {
                tracing::warn!(error = %e, "could not list the candidate's attachments");
            }
            Err(e) => return Err(e),
        }
    }
    let now = chrono::Utc::now().timestamp_millis();
    let vendor = connector.vendor();
    let mut tx = crate::db::begin_write(pool).await?;
    let apps: Vec<_> = std::mem::take(&mut candidate.applications)
        .into_iter()
        .map(application_row)
        .collect();
    write::upsert_applications(&mut tx, &account_id, vendor, None, now, &apps).await?;
    write::upsert_candidates(
        &mut tx,
        &account_id,
        vendor,
        None,
        now,
        &[candidate_row(candidate, true)],
    )
    .await?;
    let files: Vec<_> = files.into_iter().map(attachment_row).collect();
    write::upsert_attachments(&mut tx, &account_id, None, &files).await?;
    tx.commit().await?;
    candidate_detail(pool, &account_id, candidate_id)
        .await?
        .ok_or_else(|| Error::internal("The candidate vanished from the cache while being saved."))
}
