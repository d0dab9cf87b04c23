//! Candidate lists (filters, sort, keyset pagination) and candidate detail.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::jobs::{PipelineGroup, closed_categories_sql};
use super::view::{CandidateSummary, SUMMARY_COLUMNS, SummaryRow, ms_to_time, time_to_ms};
use crate::{Error, Result, Vendor};

pub const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 1_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CandidateSort {
    /// By first then last name, A to Z.
    #[default]
    NameAsc,
    /// Most recently updated first.
    UpdatedDesc,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CandidateListQuery {
    pub account_id: Option<String>,
    pub vendor: Option<Vendor>,
    /// Candidates with an application to this job (vendor job id).
    pub job_id: Option<String>,
    /// Candidates with an application in this stage (vendor stage id).
    pub stage_id: Option<String>,
    /// Candidates with an application in this stage category (`interview`, `offer`...).
    pub stage_category: Option<String>,
    /// Candidates with an application in this group of a job's pipeline (with `job_id`).
    #[serde(default)]
    pub pipeline_group: Option<PipelineGroup>,
    pub updated_since: Option<DateTime<Utc>>,
    #[serde(default)]
    pub sort: CandidateSort,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CandidatePage {
    pub items: Vec<CandidateSummary>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// Position after the last row of a page: its sort key and row id.
#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    name: Option<String>,
    updated: Option<i64>,
    id: i64,
}

fn encode_cursor(c: &Cursor) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(c).unwrap_or_default())
}

fn decode_cursor(s: &str) -> Result<Cursor> {
    URL_SAFE_NO_PAD
        .decode(s)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| Error::validation("Invalid page cursor."))
}

/// Which side of the list SQLite starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Driver {
    /// The candidates in list order, each tested against the application filters: fast while
    /// matches are common, since a page fills early.
    Candidates,
    /// The applications the filter names (one account's job, or a category few are in), each
    /// candidate read by row id, then sorted.
    Applications,
}

/// Which side costs less for a category filter. From the candidates, a page of `limit` needs
/// about `limit × candidates ÷ matches` probes; from the applications, `matches` row reads and a
/// sort. They cross near `matches = √(limit × candidates)`: ≈ 3,200 at 100k candidates.
/// The candidates' largest row id stands in for their count (it is free; deletions only make
/// it larger). Capped, so that the count of matches stays a cheap probe.
const CATEGORY_FIRST_CAP: i64 = 20_000;

async fn category_first_below(pool: &SqlitePool, limit: u32) -> Result<i64> {
    let candidates: i64 = sqlx::query_scalar("SELECT ifnull(max(id), 0) FROM cached_candidates")
        .fetch_one(pool)
        .await?;
    let crossing = ((f64::from(limit) + 1.0) * candidates as f64).sqrt() as i64;
    Ok(crossing.clamp(1, CATEGORY_FIRST_CAP))
}

async fn driver(pool: &SqlitePool, q: &CandidateListQuery, limit: u32) -> Result<Driver> {
    if q.job_id.is_some() {
        return Ok(if q.account_id.is_some() {
            Driver::Applications
        } else {
            Driver::Candidates
        });
    }
    let Some(category) = &q.stage_category else {
        return Ok(Driver::Candidates);
    };
    if q.stage_id.is_some() || q.pipeline_group.is_some() {
        return Ok(Driver::Candidates);
    }
    let below = category_first_below(pool, limit).await?;
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT 1 FROM cached_applications \
         WHERE stage_category = ?1 AND (?2 IS NULL OR account_id = ?2) LIMIT ?3)",
    )
    .bind(category)
    .bind(&q.account_id)
    .bind(below)
    .fetch_one(pool)
    .await?;
    Ok(if n < below {
        Driver::Applications
    } else {
        Driver::Candidates
    })
}

pub async fn list_candidates(pool: &SqlitePool, q: &CandidateListQuery) -> Result<CandidatePage> {
    let limit = q.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let mut b = list_query(q, limit, driver(pool, q, limit).await?)?;
    let mut rows: Vec<SummaryRow> = b.build_query_as().fetch_all(pool).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = match rows.last() {
        Some(last) if more => Some(encode_cursor(&Cursor {
            name: Some(last.name_key.clone()),
            updated: Some(last.updated_at.unwrap_or(0)),
            id: last.id,
        })),
        _ => None,
    };
    Ok(CandidatePage {
        items: rows.into_iter().map(SummaryRow::into_summary).collect(),
        next_cursor,
    })
}

/// The list's SQL: one row more than `limit`, to tell whether another page follows.
fn list_query(
    q: &CandidateListQuery,
    limit: u32,
    driver: Driver,
) -> Result<QueryBuilder<'static, Sqlite>> {
    // Read from the applications, each candidate by row id, then sorted: a job's first 100 at
    // 100k candidates (`cargo bench … -- --search-only`, "jobs @ 100k") p95 4.7 ms. The EXISTS
    // form, one lookup through the job index per candidate, took p95 7.0 s; walking the
    // candidates in list order and testing each, which SQLite picks when allowed (NOT INDEXED
    // forbids it), p95 125 ms.
    let from_applications = driver == Driver::Applications;
    let mut b: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
        "SELECT {SUMMARY_COLUMNS} FROM cached_candidates c{} WHERE 1 = 1",
        if from_applications {
            " NOT INDEXED"
        } else {
            ""
        }
    ));
    if let Some(a) = &q.account_id {
        b.push(" AND c.account_id = ").push_bind(a.clone());
    }
    if let Some(v) = q.vendor {
        b.push(" AND c.vendor = ").push_bind(v.as_str());
    }
    if let Some(t) = q.updated_since {
        b.push(" AND c.updated_at >= ").push_bind(time_to_ms(t));
    }
    if q.job_id.is_some()
        || q.stage_id.is_some()
        || q.stage_category.is_some()
        || q.pipeline_group.is_some()
    {
        if from_applications {
            b.push(
                " AND c.id IN (SELECT listed.id FROM cached_applications a JOIN cached_candidates listed \
                 ON listed.account_id = a.account_id AND listed.remote_id = a.candidate_remote_id \
                 WHERE 1 = 1",
            );
            if let Some(account) = &q.account_id {
                b.push(" AND a.account_id = ").push_bind(account.clone());
            }
        } else if q.account_id.is_none() && q.job_id.is_some() {
            // No account: rare (the UI always names one); one pass over the applications.
            b.push(
                " AND (c.account_id, c.remote_id) IN (SELECT a.account_id, a.candidate_remote_id \
                 FROM cached_applications a WHERE 1 = 1",
            );
        } else {
            b.push(
                " AND EXISTS (SELECT 1 FROM cached_applications a WHERE a.account_id = c.account_id \
                 AND a.candidate_remote_id = c.remote_id",
            );
        }
        if let Some(job) = &q.job_id {
            b.push(" AND a.job_remote_id = ").push_bind(job.clone());
        }
        // Within a job, its index is the way in: `+` keeps SQLite off the category index,
        // which would read every application of that category in the account.
        let category_is = if q.job_id.is_some() {
            " AND +a.stage_category = "
        } else {
            " AND a.stage_category = "
        };
        if let Some(s) = &q.stage_id {
            b.push(" AND a.stage_id = ").push_bind(s.clone());
        }
        if let Some(s) = &q.stage_category {
            b.push(category_is).push_bind(s.clone());
        }
        let open_only = format!(
            " AND ifnull(a.stage_category, '') NOT IN ({})",
            closed_categories_sql()
        );
        match &q.pipeline_group {
            None => {}
            Some(PipelineGroup::Closed(category)) => {
                b.push(category_is).push_bind(category.clone());
            }
            Some(PipelineGroup::Stage(id)) => {
                b.push(" AND a.stage_id = ")
                    .push_bind(id.clone())
                    .push(open_only);
            }
            Some(PipelineGroup::NoStage) => {
                b.push(" AND a.stage_id IS NULL").push(open_only);
            }
        }
        b.push(")");
    }
    let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
    match q.sort {
        CandidateSort::NameAsc => {
            if let Some(c) = cursor {
                b.push(" AND (c.name_key, c.id) > (")
                    .push_bind(c.name.unwrap_or_default())
                    .push(", ")
                    .push_bind(c.id)
                    .push(")");
            }
            b.push(" ORDER BY c.name_key, c.id");
        }
        CandidateSort::UpdatedDesc => {
            if let Some(c) = cursor {
                b.push(" AND (c.updated_at, c.id) < (")
                    .push_bind(c.updated.unwrap_or_default())
                    .push(", ")
                    .push_bind(c.id)
                    .push(")");
            }
            b.push(" ORDER BY c.updated_at DESC, c.id DESC");
        }
    }
    b.push(" LIMIT ").push_bind(i64::from(limit) + 1);
    Ok(b)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct StageHistoryEntry {
    pub from_stage_id: Option<String>,
    pub from_stage_name: Option<String>,
    pub to_stage_id: Option<String>,
    pub to_stage_name: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ApplicationDetail {
    pub remote_id: String,
    pub job_remote_id: Option<String>,
    pub job_name: Option<String>,
    pub stage_id: Option<String>,
    pub stage_name: Option<String>,
    pub stage_category: Option<String>,
    pub applied_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
    pub history: Vec<StageHistoryEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, sqlx::FromRow)]
pub struct AttachmentSummary {
    pub remote_id: String,
    pub file_name: String,
    pub file_url: Option<String>,
    pub attachment_type: Option<String>,
    pub application_remote_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CandidateDetail {
    pub candidate: CandidateSummary,
    /// The unified record.
    #[specta(type = specta_typescript::Unknown)]
    pub record: serde_json::Value,
    /// The vendor's own object, untouched.
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
    /// False while only the vendor's partial list object is cached.
    pub complete: bool,
    pub followed: bool,
    pub applications: Vec<ApplicationDetail>,
    pub attachments: Vec<AttachmentSummary>,
    /// Assessment results (Unberry), most recent first.
    pub assessments: Vec<crate::model::Assessment>,
    /// Interviews (Unberry), latest first.
    pub interviews: Vec<crate::model::Interview>,
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    record: String,
    remote_data: Option<String>,
    detail_fetched_at: Option<i64>,
    followed: bool,
}

#[derive(sqlx::FromRow)]
struct ApplicationDbRow {
    remote_id: String,
    job_remote_id: Option<String>,
    job_name: Option<String>,
    stage_id: Option<String>,
    stage_name: Option<String>,
    stage_category: Option<String>,
    applied_at: Option<i64>,
    rejected_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct HistoryDbRow {
    application_remote_id: String,
    from_stage_id: Option<String>,
    from_stage_name: Option<String>,
    to_stage_id: Option<String>,
    to_stage_name: Option<String>,
    changed_at: i64,
}

/// One cached candidate with applications (and their stage history) and attachments;
/// `None` when the candidate is not in the cache.
pub async fn candidate_detail(
    pool: &SqlitePool,
    account_id: &str,
    remote_id: &str,
) -> Result<Option<CandidateDetail>> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, c.record, c.remote_data, c.detail_fetched_at, \
         EXISTS (SELECT 1 FROM follows f WHERE f.account_id = c.account_id \
                 AND f.candidate_remote_id = c.remote_id) AS followed \
         FROM cached_candidates c WHERE c.account_id = ? AND c.remote_id = ?"
    );
    let Some(row): Option<DetailRow> = sqlx::query_as(&sql)
        .bind(account_id)
        .bind(remote_id)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let apps: Vec<ApplicationDbRow> = sqlx::query_as(
        "SELECT a.remote_id, a.job_remote_id, j.name AS job_name, a.stage_id, a.stage_name, \
         a.stage_category, a.applied_at, a.rejected_at FROM cached_applications a \
         LEFT JOIN cached_jobs j ON j.account_id = a.account_id AND j.remote_id = a.job_remote_id \
         WHERE a.account_id = ? AND a.candidate_remote_id = ? \
         ORDER BY ifnull(a.applied_at, a.created_at) DESC, a.remote_id",
    )
    .bind(account_id)
    .bind(remote_id)
    .fetch_all(pool)
    .await?;
    let history: Vec<HistoryDbRow> = sqlx::query_as(
        "SELECT h.application_remote_id, h.from_stage_id, h.from_stage_name, h.to_stage_id, \
         h.to_stage_name, h.changed_at FROM stage_history h JOIN cached_applications a \
         ON a.account_id = h.account_id AND a.remote_id = h.application_remote_id \
         WHERE a.account_id = ? AND a.candidate_remote_id = ? ORDER BY h.id",
    )
    .bind(account_id)
    .bind(remote_id)
    .fetch_all(pool)
    .await?;
    let attachments: Vec<AttachmentSummary> = sqlx::query_as(
        "SELECT remote_id, file_name, file_url, attachment_type, application_remote_id \
             FROM cached_attachments WHERE account_id = ? AND candidate_remote_id = ? \
             ORDER BY created_at DESC, remote_id",
    )
    .bind(account_id)
    .bind(remote_id)
    .fetch_all(pool)
    .await?;

    let assessments =
        per_candidate_records(pool, "cached_assessments", account_id, remote_id).await?;
    let interviews =
        per_candidate_records(pool, "cached_interviews", account_id, remote_id).await?;

    let applications = apps
        .into_iter()
        .map(|a| ApplicationDetail {
            history: history
                .iter()
                .filter(|h| h.application_remote_id == a.remote_id)
                .map(|h| StageHistoryEntry {
                    from_stage_id: h.from_stage_id.clone(),
                    from_stage_name: h.from_stage_name.clone(),
                    to_stage_id: h.to_stage_id.clone(),
                    to_stage_name: h.to_stage_name.clone(),
                    changed_at: ms_to_time(Some(h.changed_at)),
                })
                .collect(),
            remote_id: a.remote_id,
            job_remote_id: a.job_remote_id,
            job_name: a.job_name,
            stage_id: a.stage_id,
            stage_name: a.stage_name,
            stage_category: a.stage_category,
            applied_at: ms_to_time(a.applied_at),
            rejected_at: ms_to_time(a.rejected_at),
        })
        .collect();
    Ok(Some(CandidateDetail {
        candidate: row.summary.into_summary(),
        record: serde_json::from_str(&row.record).unwrap_or(serde_json::Value::Null),
        remote_data: row
            .remote_data
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
        complete: row.detail_fetched_at.is_some(),
        followed: row.followed,
        applications,
        attachments,
        assessments,
        interviews,
    }))
}

/// A page of cached candidates as unified records (with their cached applications), for
/// callers that print records rather than summaries (the CLI's list commands).
pub async fn list_candidate_records(
    pool: &SqlitePool,
    q: &CandidateListQuery,
) -> Result<(Vec<serde_json::Value>, Option<String>)> {
    let page = list_candidates(pool, q).await?;
    let mut out = Vec::with_capacity(page.items.len());
    for c in &page.items {
        let record: String = sqlx::query_scalar(
            "SELECT record FROM cached_candidates WHERE account_id = ? AND remote_id = ?",
        )
        .bind(&c.account_id)
        .bind(&c.remote_id)
        .fetch_one(pool)
        .await?;
        let apps: Vec<String> = sqlx::query_scalar(
            "SELECT record FROM cached_applications WHERE account_id = ? AND candidate_remote_id = ? \
             ORDER BY created_at, remote_id",
        )
        .bind(&c.account_id)
        .bind(&c.remote_id)
        .fetch_all(pool)
        .await?;
        let mut value: serde_json::Value =
            serde_json::from_str(&record).unwrap_or(serde_json::Value::Null);
        if let Some(obj) = value.as_object_mut() {
            obj.insert(
                "applications".into(),
                apps.iter()
                    .filter_map(|a| serde_json::from_str::<serde_json::Value>(a).ok())
                    .collect(),
            );
        }
        out.push(value);
    }
    Ok((out, page.next_cursor))
}

/// Records of a per-candidate table (assessments, interviews), newest first; a record that no
/// longer reads as the current type is skipped rather than failing the whole detail.
async fn per_candidate_records<T: serde::de::DeserializeOwned>(
    pool: &SqlitePool,
    table: &str,
    account_id: &str,
    remote_id: &str,
) -> Result<Vec<T>> {
    let sql = format!(
        "SELECT record FROM {table} WHERE account_id = ? AND candidate_remote_id = ? \
         ORDER BY updated_at DESC, remote_id"
    );
    let records: Vec<String> = sqlx::query_scalar(&sql)
        .bind(account_id)
        .bind(remote_id)
        .fetch_all(pool)
        .await?;
    Ok(records
        .iter()
        .filter_map(|r| serde_json::from_str(r).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SQLite's plan for a candidate list query, one line per step.
    async fn plan(pool: &SqlitePool, q: &CandidateListQuery) -> Vec<String> {
        let driver = driver(pool, q, 50).await.expect("driver");
        plan_with(pool, q, driver).await
    }

    async fn plan_with(pool: &SqlitePool, q: &CandidateListQuery, driver: Driver) -> Vec<String> {
        let b = list_query(q, 50, driver).expect("query");
        let sql = format!("EXPLAIN QUERY PLAN {}", b.sql());
        let mut explain = sqlx::query_as::<_, (i64, i64, i64, String)>(&sql);
        for _ in 0..sql.matches('?').count() {
            explain = explain.bind("x");
        }
        explain
            .fetch_all(pool)
            .await
            .expect("plan")
            .into_iter()
            .map(|(_, _, _, step)| step)
            .collect()
    }

    #[tokio::test]
    async fn a_stage_filter_reads_each_listed_candidates_own_applications() {
        let pool = crate::db::open_in_memory().await.expect("db");
        for filter in [
            CandidateListQuery {
                stage_id: Some("interview".into()),
                ..CandidateListQuery::default()
            },
            CandidateListQuery {
                stage_category: Some("offer".into()),
                ..CandidateListQuery::default()
            },
        ] {
            // A common category (the driver's choice, see `category_first_below`), or a stage.
            let steps = plan_with(&pool, &filter, Driver::Candidates).await;
            let applications: Vec<&String> = steps.iter().filter(|s| s.contains(" a ")).collect();
            assert!(
                !applications.is_empty()
                    && applications.iter().all(|s| s.contains("COVERING INDEX")
                        && s.contains("account_id=?")
                        && s.contains("candidate_remote_id=?")),
                "the EXISTS filter must look up applications by account and candidate, \
                 not scan a whole stage per candidate: {steps:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_job_filter_reads_the_jobs_applications_once_not_per_candidate() {
        let pool = crate::db::open_in_memory().await.expect("db");
        for group in [
            None,
            Some(PipelineGroup::Stage("interview".into())),
            Some(PipelineGroup::NoStage),
            Some(PipelineGroup::Closed("rejected".into())),
        ] {
            let filter = CandidateListQuery {
                account_id: Some("a1".into()),
                job_id: Some("j1".into()),
                pipeline_group: group,
                sort: CandidateSort::UpdatedDesc,
                ..CandidateListQuery::default()
            };
            let steps = plan(&pool, &filter).await;
            assert!(
                !steps.iter().any(|s| s.contains("CORRELATED"))
                    && steps
                        .iter()
                        .any(|s| s.contains("SEARCH c USING INTEGER PRIMARY KEY"))
                    && steps.iter().any(|s| s.contains(
                        "cached_applications_job_stage (account_id=? AND job_remote_id=?"
                    )),
                "a job's candidates are read from its applications, through the job index: {steps:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_rare_category_is_listed_from_its_applications_a_common_one_from_the_candidates() {
        let pool = crate::db::open_in_memory().await.expect("db");
        sqlx::query(
            "INSERT INTO accounts (id, vendor, label, base_url, auth_kind, created_at, updated_at) \
             VALUES ('a1', 'lever', 'a1', 'http://localhost', 'api_key', 'x', 'x')",
        )
        .execute(&pool)
        .await
        .expect("account");
        sqlx::query(
            "INSERT INTO cached_applications (account_id, remote_id, vendor, candidate_remote_id, \
             stage_category, record) \
             SELECT 'a1', 'app-' || i, 'lever', 'cand-' || i, \
                    CASE WHEN i < 3 THEN 'withdrawn' ELSE 'active' END, '{}' \
             FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?) \
                   SELECT i FROM n)",
        )
        .bind(CATEGORY_FIRST_CAP + 10)
        .execute(&pool)
        .await
        .expect("applications");
        sqlx::query(
            "INSERT INTO cached_candidates (account_id, remote_id, vendor, first_name, last_name, \
             name, emails, phones, company, title, tags, resume, name_key, last_name_key, \
             identities, updated_at, record) \
             SELECT 'a1', 'cand-' || i, 'lever', 'F', 'L', 'F L', '', '', '', '', '', '', 'f l', \
                    'l f', '[]', i, '{}' \
             FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?) \
                   SELECT i FROM n)",
        )
        .bind(CATEGORY_FIRST_CAP + 10)
        .execute(&pool)
        .await
        .expect("candidates");
        let by = |category: &str| CandidateListQuery {
            account_id: Some("a1".into()),
            stage_category: Some(category.into()),
            ..CandidateListQuery::default()
        };
        assert_eq!(
            driver(&pool, &by("withdrawn"), 100).await.expect("driver"),
            Driver::Applications
        );
        let steps = plan(&pool, &by("withdrawn")).await;
        assert!(
            steps
                .iter()
                .any(|s| s.contains("INDEX cached_applications_category (stage_category=?"))
                && steps
                    .iter()
                    .any(|s| s.contains("SEARCH c USING INTEGER PRIMARY KEY")),
            "{steps:?}"
        );
        assert_eq!(
            driver(&pool, &by("active"), 100).await.expect("driver"),
            Driver::Candidates
        );
    }
}
