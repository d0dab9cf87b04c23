//! Idempotent batch upserts and deletions, run inside the caller's transaction.
//!
//! Rows go in as multi-row `INSERT … ON CONFLICT DO UPDATE` statements: one statement per
//! batch keeps the per-statement overhead of the driver off the per-record cost.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

use super::normalize;
use super::rows::{ApplicationRow, AttachmentRow, CandidateRow, JobRow, SimpleRow, SimpleTable};
use crate::{Result, Vendor};

/// Rows per statement, largest first: a batch goes in as few statements as these sizes allow.
/// Large statements matter: SQLite copies every database page a statement changes into its
/// statement journal, once per statement, and a batch's rows land all over the indexes. A few
/// fixed sizes keep the prepared statements few (sqlx caches each distinct SQL text).
/// Candidates bind 22 values per row: 1,000 rows stay below SQLite's 32,766-parameter limit.
const STATEMENT_ROWS: [usize; 9] = [1000, 250, 100, 50, 20, 10, 5, 2, 1];

/// `rows` cut into chunks of the sizes in [`STATEMENT_ROWS`], in order.
fn statement_chunks<T>(rows: &[T]) -> impl Iterator<Item = &[T]> {
    let mut rest = rows;
    std::iter::from_fn(move || {
        let size = STATEMENT_ROWS.into_iter().find(|s| *s <= rest.len())?;
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
        Some(chunk)
    })
}

/// Every table holding cached records, for deletions and sweeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachedTable {
    Candidates,
    Applications,
    Jobs,
    Attachments,
    Simple(SimpleTable),
}

impl CachedTable {
    pub fn table(self) -> &'static str {
        match self {
            CachedTable::Candidates => "cached_candidates",
            CachedTable::Applications => "cached_applications",
            CachedTable::Jobs => "cached_jobs",
            CachedTable::Attachments => "cached_attachments",
            CachedTable::Simple(t) => t.table(),
        }
    }
}

/// An application moved to another stage, as detected by comparing a sync's record with the
/// cached one. Each is stored once as an `activity` row (its `activity_id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct StageChange {
    pub activity_id: u32,
    pub account_id: String,
    pub application_remote_id: String,
    pub candidate_remote_id: Option<String>,
    pub job_remote_id: Option<String>,
    pub from_stage_id: Option<String>,
    pub from_stage_name: Option<String>,
    pub to_stage_id: Option<String>,
    pub to_stage_name: Option<String>,
}

fn placeholders(columns: usize, rows: usize) -> String {
    let one = format!("({})", vec!["?"; columns].join(","));
    vec![one; rows].join(",")
}

const CANDIDATE_CONTENT: [&str; 17] = [
    "first_name",
    "last_name",
    "name",
    "emails",
    "phones",
    "company",
    "title",
    "tags",
    "resume",
    "name_key",
    "last_name_key",
    "primary_email",
    "identities",
    "created_at",
    "updated_at",
    "record",
    "remote_data",
];

fn candidate_upsert_sql(rows: usize) -> String {
    // A partial list object must not overwrite a full record fetched earlier while the vendor
    // reports no change since: keep the full one. A changed record replaces it (and is partial
    // again until the candidate is next opened).
    let keep = "excluded.detail_fetched_at IS NULL AND cached_candidates.detail_fetched_at IS NOT NULL \
                AND cached_candidates.updated_at IS excluded.updated_at";
    let mut set: Vec<String> = CANDIDATE_CONTENT
        .iter()
        .chain(["detail_fetched_at"].iter())
        .map(|c| match *c {
            // Resume text comes from `set_resume_text`, not from list objects: an empty one
            // keeps what is known.
            "resume" => "resume = CASE WHEN excluded.resume = '' THEN cached_candidates.resume \
                         ELSE excluded.resume END"
                .to_owned(),
            c => format!("{c} = CASE WHEN {keep} THEN cached_candidates.{c} ELSE excluded.{c} END"),
        })
        .collect();
    set.push("seen_run = ifnull(excluded.seen_run, cached_candidates.seen_run)".into());
    format!(
        "INSERT INTO cached_candidates (account_id, remote_id, vendor, {content}, detail_fetched_at, seen_run) \
         VALUES {values} ON CONFLICT (account_id, remote_id) DO UPDATE SET {set}",
        content = CANDIDATE_CONTENT.join(", "),
        values = placeholders(3 + CANDIDATE_CONTENT.len() + 2, rows),
        set = set.join(", "),
    )
}

/// Normalized (kind, value) pairs of one candidate.
type Identities = Vec<(&'static str, String)>;

/// Derived, searchable columns of one candidate.
struct CandidateColumns {
    /// Normalized (kind, value) pairs, sorted, without repeats; `identities` is their JSON.
    identity_list: Identities,
    name: String,
    emails: String,
    phones: String,
    tags: String,
    name_key: String,
    last_name_key: String,
    primary_email: Option<String>,
    identities: String,
}

fn candidate_columns(row: &CandidateRow) -> CandidateColumns {
    let name = format!("{} {}", row.first_name.trim(), row.last_name.trim())
        .trim()
        .to_string();
    let mut identities: Vec<(&'static str, String)> = Vec::new();
    for e in &row.emails {
        if let Some(e) = normalize::email(e) {
            identities.push(("email", e));
        }
    }
    let mut phones = Vec::with_capacity(row.phones.len() * 2);
    for p in &row.phones {
        phones.push(p.clone());
        if let Some(d) = normalize::phone_digits(p) {
            // The digits as one token too, and the last ten without a country code, so
            // "15551234567" and "5551234567" both find "+1 (555) 123-4567".
            if d.len() > 10 {
                phones.push(d[d.len() - 10..].to_string());
            }
            phones.push(d.clone());
            identities.push(("phone", d));
        }
    }
    for u in &row.urls {
        if let Some(l) = normalize::linkedin_url(u) {
            identities.push(("linkedin", l));
        }
    }
    identities.sort();
    identities.dedup();
    let identity_list = identities;
    let identities = serde_json::to_string(&identity_list).unwrap_or_else(|_| "[]".into());
    CandidateColumns {
        identity_list,
        name_key: normalize::fold(&name),
        last_name_key: normalize::fold(&format!("{} {}", row.last_name, row.first_name)),
        name,
        emails: row.emails.join(" "),
        phones: phones.join(" "),
        tags: row.tags.join(" "),
        primary_email: row.emails.first().and_then(|e| normalize::email(e)),
        identities,
    }
}

/// Inserts or updates candidates; returns how many were written.
pub async fn upsert_candidates(
    conn: &mut SqliteConnection,
    account_id: &str,
    vendor: Vendor,
    run_id: Option<&str>,
    now_ms: i64,
    rows: &[CandidateRow],
) -> Result<usize> {
    for chunk in statement_chunks(rows) {
        let sql = format!(
            "{} RETURNING id, remote_id, identities",
            candidate_upsert_sql(chunk.len())
        );
        let mut q = sqlx::query_as::<_, (i64, String, String)>(&sql);
        let mut computed: HashMap<&str, (Identities, String)> = HashMap::with_capacity(chunk.len());
        for row in chunk {
            let c = candidate_columns(row);
            computed.insert(
                row.remote_id.as_str(),
                (c.identity_list, c.identities.clone()),
            );
            q = q
                .bind(account_id)
                .bind(&row.remote_id)
                .bind(vendor.as_str())
                .bind(&row.first_name)
                .bind(&row.last_name)
                .bind(c.name)
                .bind(c.emails)
                .bind(c.phones)
                .bind(row.company.clone().unwrap_or_default())
                .bind(row.title.clone().unwrap_or_default())
                .bind(c.tags)
                .bind(row.resume_text.clone().unwrap_or_default())
                .bind(c.name_key)
                .bind(c.last_name_key)
                .bind(c.primary_email)
                .bind(c.identities)
                .bind(row.created_at)
                // Never NULL: the "recently updated" order and its cursor compare it.
                .bind(row.updated_at.or(row.created_at).unwrap_or(0))
                .bind(&row.record)
                .bind(&row.remote_data)
                .bind(row.complete.then_some(now_ms))
                .bind(run_id);
        }
        let stored = q.fetch_all(&mut *conn).await?;
        let mut identities: Vec<(i64, &str, String)> = Vec::with_capacity(stored.len() * 2);
        let mut kept: Vec<(i64, Vec<(String, String)>)> = Vec::new();
        for (id, remote_id, json) in &stored {
            match computed.get(remote_id.as_str()) {
                // What this page wrote is what is stored (the usual case): no JSON to parse.
                Some((list, written)) if written == json => {
                    identities.extend(list.iter().map(|(k, v)| (*id, *k, v.clone())));
                }
                // The row kept its earlier values (a full record fetched before).
                _ => kept.push((
                    *id,
                    serde_json::from_str::<Vec<(String, String)>>(json).unwrap_or_default(),
                )),
            }
        }
        for (id, list) in &kept {
            for (kind, value) in list {
                if let Some(kind) = identity_kind(kind) {
                    identities.push((*id, kind, value.clone()));
                }
            }
        }
        insert_identities(conn, &identities).await?;
    }
    Ok(rows.len())
}

fn identity_kind(kind: &str) -> Option<&'static str> {
    ["email", "phone", "linkedin"]
        .into_iter()
        .find(|k| *k == kind)
}

/// Makes sure the candidate_identities rows of just-written candidates exist. A new candidate
/// gets its rows here; for a known one whose identities changed, the update trigger already
/// replaced them (migration 0002), and `OR IGNORE` skips rows that are already there.
async fn insert_identities(
    conn: &mut SqliteConnection,
    identities: &[(i64, &'static str, String)],
) -> Result<()> {
    for chunk in statement_chunks(identities) {
        let sql = format!(
            "INSERT OR IGNORE INTO candidate_identities (candidate_id, kind, value) VALUES {}",
            placeholders(3, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for (id, kind, value) in chunk {
            q = q.bind(id).bind(*kind).bind(value);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn upsert_jobs(
    conn: &mut SqliteConnection,
    account_id: &str,
    vendor: Vendor,
    run_id: Option<&str>,
    rows: &[JobRow],
) -> Result<usize> {
    for chunk in statement_chunks(rows) {
        let sql = format!(
            "INSERT INTO cached_jobs (account_id, remote_id, vendor, name, status, created_at, updated_at, \
             record, remote_data, seen_run) VALUES {} ON CONFLICT (account_id, remote_id) DO UPDATE SET \
             name = excluded.name, status = excluded.status, created_at = excluded.created_at, \
             updated_at = excluded.updated_at, record = excluded.record, \
             remote_data = excluded.remote_data, seen_run = ifnull(excluded.seen_run, cached_jobs.seen_run)",
            placeholders(10, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            q = q
                .bind(account_id)
                .bind(&row.remote_id)
                .bind(vendor.as_str())
                .bind(&row.name)
                .bind(&row.status)
                .bind(row.created_at)
                .bind(row.updated_at)
                .bind(&row.record)
                .bind(&row.remote_data)
                .bind(run_id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(rows.len())
}

pub async fn upsert_attachments(
    conn: &mut SqliteConnection,
    account_id: &str,
    run_id: Option<&str>,
    rows: &[AttachmentRow],
) -> Result<usize> {
    for chunk in statement_chunks(rows) {
        let sql = format!(
            "INSERT INTO cached_attachments (account_id, remote_id, candidate_remote_id, \
             application_remote_id, file_name, file_url, attachment_type, created_at, record, \
             remote_data, seen_run) VALUES {} ON CONFLICT (account_id, remote_id) DO UPDATE SET \
             candidate_remote_id = excluded.candidate_remote_id, \
             application_remote_id = excluded.application_remote_id, file_name = excluded.file_name, \
             file_url = excluded.file_url, attachment_type = excluded.attachment_type, \
             created_at = excluded.created_at, record = excluded.record, \
             remote_data = excluded.remote_data, seen_run = ifnull(excluded.seen_run, cached_attachments.seen_run)",
            placeholders(11, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            q = q
                .bind(account_id)
                .bind(&row.remote_id)
                .bind(&row.candidate_remote_id)
                .bind(&row.application_remote_id)
                .bind(&row.file_name)
                .bind(&row.file_url)
                .bind(&row.attachment_type)
                .bind(row.created_at)
                .bind(&row.record)
                .bind(&row.remote_data)
                .bind(run_id);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(rows.len())
}

pub async fn upsert_simple(
    conn: &mut SqliteConnection,
    table: SimpleTable,
    account_id: &str,
    run_id: Option<&str>,
    rows: &[SimpleRow],
) -> Result<usize> {
    let (candidate_column, candidate_set) = if table.per_candidate() {
        (
            ", candidate_remote_id",
            ", candidate_remote_id = excluded.candidate_remote_id",
        )
    } else {
        ("", "")
    };
    for chunk in statement_chunks(rows) {
        let sql = format!(
            "INSERT INTO {table} (account_id, remote_id, name, parent_remote_id, updated_at, record, \
             remote_data, seen_run{candidate_column}) VALUES {values} \
             ON CONFLICT (account_id, remote_id) DO UPDATE SET \
             name = excluded.name, parent_remote_id = excluded.parent_remote_id, \
             updated_at = excluded.updated_at, record = excluded.record, \
             remote_data = excluded.remote_data, seen_run = ifnull(excluded.seen_run, {table}.seen_run)\
             {candidate_set}",
            table = table.table(),
            values = placeholders(if table.per_candidate() { 9 } else { 8 }, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            q = q
                .bind(account_id)
                .bind(&row.remote_id)
                .bind(&row.name)
                .bind(&row.parent_remote_id)
                .bind(row.updated_at)
                .bind(&row.record)
                .bind(&row.remote_data)
                .bind(run_id);
            if table.per_candidate() {
                q = q.bind(&row.candidate_remote_id);
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(rows.len())
}

#[derive(sqlx::FromRow)]
struct PreviousStage {
    remote_id: String,
    stage_id: Option<String>,
    stage_name: Option<String>,
}

/// Inserts or updates applications. Compares each one's stage with the cached one in the same
/// transaction: a change appends to `stage_history` and raises one `activity` row, so a page
/// applied twice (a resumed sync) cannot raise it twice.
pub async fn upsert_applications(
    conn: &mut SqliteConnection,
    account_id: &str,
    vendor: Vendor,
    run_id: Option<&str>,
    now_ms: i64,
    rows: &[ApplicationRow],
) -> Result<Vec<StageChange>> {
    let mut changes = Vec::new();
    for chunk in statement_chunks(rows) {
        let sql = format!(
            "SELECT remote_id, stage_id, stage_name FROM cached_applications \
             WHERE account_id = ? AND remote_id IN ({})",
            vec!["?"; chunk.len()].join(",")
        );
        let mut q = sqlx::query_as::<_, PreviousStage>(&sql).bind(account_id);
        for row in chunk {
            q = q.bind(&row.remote_id);
        }
        let previous: HashMap<String, PreviousStage> = q
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|p| (p.remote_id.clone(), p))
            .collect();

        let sql = format!(
            "INSERT INTO cached_applications (account_id, remote_id, vendor, candidate_remote_id, \
             job_remote_id, stage_id, stage_name, stage_category, applied_at, rejected_at, created_at, \
             updated_at, record, remote_data, seen_run) VALUES {} \
             ON CONFLICT (account_id, remote_id) DO UPDATE SET \
             candidate_remote_id = excluded.candidate_remote_id, job_remote_id = excluded.job_remote_id, \
             stage_id = ifnull(excluded.stage_id, cached_applications.stage_id), \
             stage_name = CASE WHEN excluded.stage_id IS NULL THEN cached_applications.stage_name \
                          ELSE excluded.stage_name END, \
             stage_category = CASE WHEN excluded.stage_id IS NULL THEN cached_applications.stage_category \
                              ELSE excluded.stage_category END, \
             applied_at = excluded.applied_at, \
             rejected_at = excluded.rejected_at, created_at = excluded.created_at, \
             updated_at = excluded.updated_at, record = excluded.record, \
             remote_data = excluded.remote_data, seen_run = ifnull(excluded.seen_run, cached_applications.seen_run)",
            placeholders(15, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            q = q
                .bind(account_id)
                .bind(&row.remote_id)
                .bind(vendor.as_str())
                .bind(&row.candidate_remote_id)
                .bind(&row.job_remote_id)
                .bind(&row.stage_id)
                .bind(&row.stage_name)
                .bind(&row.stage_category)
                .bind(row.applied_at)
                .bind(row.rejected_at)
                .bind(row.created_at)
                .bind(row.updated_at)
                .bind(&row.record)
                .bind(&row.remote_data)
                .bind(run_id);
        }
        q.execute(&mut *conn).await?;

        let moves: Vec<(&ApplicationRow, Option<&PreviousStage>)> = chunk
            .iter()
            .map(|row| (row, previous.get(&row.remote_id)))
            // A list object without the stage (SmartRecruiters secondary assignments) says
            // nothing about it: the cached stage stays, and nothing moved.
            .filter(|(row, before)| {
                row.stage_id.is_some() && before.is_none_or(|p| p.stage_id != row.stage_id)
            })
            .collect();
        if moves.is_empty() {
            continue;
        }
        let sql = format!(
            "INSERT INTO stage_history (account_id, application_remote_id, from_stage_id, \
             from_stage_name, to_stage_id, to_stage_name, changed_at) VALUES {}",
            placeholders(7, moves.len())
        );
        let mut q = sqlx::query(&sql);
        for (row, before) in &moves {
            q = q
                .bind(account_id)
                .bind(&row.remote_id)
                .bind(before.and_then(|p| p.stage_id.as_deref()))
                .bind(before.and_then(|p| p.stage_name.as_deref()))
                .bind(&row.stage_id)
                .bind(&row.stage_name)
                .bind(now_ms);
        }
        q.execute(&mut *conn).await?;

        // A first sighting is history, not news: alerts are for moves of known applications.
        let alerts: Vec<(&ApplicationRow, &PreviousStage)> = moves
            .iter()
            .filter_map(|(row, before)| before.map(|b| (*row, b)))
            .collect();
        if alerts.is_empty() {
            continue;
        }
        let sql = format!(
            "INSERT INTO activity (account_id, candidate_remote_id, application_remote_id, \
             job_remote_id, from_stage_id, from_stage_name, to_stage_id, to_stage_name, detected_at) \
             VALUES {} RETURNING id, application_remote_id",
            placeholders(9, alerts.len())
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for (row, before) in &alerts {
            q = q
                .bind(account_id)
                .bind(&row.candidate_remote_id)
                .bind(&row.remote_id)
                .bind(&row.job_remote_id)
                .bind(&before.stage_id)
                .bind(&before.stage_name)
                .bind(&row.stage_id)
                .bind(&row.stage_name)
                .bind(now_ms);
        }
        // RETURNING rows come in no promised order: match them by application.
        let ids: HashMap<String, i64> = q
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|(id, app)| (app, id))
            .collect();
        for (row, before) in alerts {
            changes.push(StageChange {
                activity_id: ids
                    .get(&row.remote_id)
                    .and_then(|id| u32::try_from(*id).ok())
                    .unwrap_or(u32::MAX),
                account_id: account_id.to_string(),
                application_remote_id: row.remote_id.clone(),
                candidate_remote_id: row.candidate_remote_id.clone(),
                job_remote_id: row.job_remote_id.clone(),
                from_stage_id: before.stage_id.clone(),
                from_stage_name: before.stage_name.clone(),
                to_stage_id: row.stage_id.clone(),
                to_stage_name: row.stage_name.clone(),
            });
        }
    }
    Ok(changes)
}

/// Deletes records the vendor reported deleted; returns how many were cached.
pub async fn delete_remote_ids(
    conn: &mut SqliteConnection,
    table: CachedTable,
    account_id: &str,
    remote_ids: &[String],
) -> Result<u64> {
    let mut deleted = 0;
    for chunk in statement_chunks(remote_ids) {
        let sql = format!(
            "DELETE FROM {} WHERE account_id = ? AND remote_id IN ({})",
            table.table(),
            vec!["?"; chunk.len()].join(",")
        );
        let mut q = sqlx::query(&sql).bind(account_id);
        for id in chunk {
            q = q.bind(id);
        }
        deleted += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(deleted)
}

/// After a full run: deletes the account's rows that run did not see (mark and sweep).
pub async fn sweep_unseen(
    conn: &mut SqliteConnection,
    table: CachedTable,
    account_id: &str,
    run_id: &str,
) -> Result<u64> {
    let sql = format!(
        "DELETE FROM {} WHERE account_id = ? AND seen_run IS NOT ?",
        table.table()
    );
    let done = sqlx::query(&sql)
        .bind(account_id)
        .bind(run_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_chunks_cover_every_row_once_in_order_with_few_fixed_sizes() {
        let rows: Vec<usize> = (0..1234).collect();
        let chunks: Vec<&[usize]> = statement_chunks(&rows).collect();
        let sizes: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
        assert_eq!(sizes, [1000, 100, 100, 20, 10, 2, 2]);
        assert!(sizes.iter().all(|s| STATEMENT_ROWS.contains(s)));
        assert_eq!(chunks.concat(), rows);
        assert_eq!(statement_chunks::<usize>(&[]).count(), 0);
    }
}
