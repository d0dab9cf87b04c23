//! Search as you type over cached candidates.
//!
//! Two sources, in this order (PLATFORM-NOTES §9: bm25 over a huge match set is too slow for
//! the first keystrokes at 1M candidates):
//! 1. names starting with the query ("first last" or "last first"), from ordered indexes on
//!    folded names: fast at any size, and the most likely intent while typing a name;
//! 2. FTS5 prefix matches on every token over names, emails, phones, company, title, tags and
//!    resume text, ranked by bm25 only when the match set is small enough to rank quickly,
//!    otherwise in index order. A lone word longer than the prefix indexes ("kubernetes") is
//!    first looked up as a whole word: when that alone matches more than can be ranked, those
//!    rows are served (in index order, as any large match set) without the prefix query, which
//!    would merge the doclists of every word it starts before returning a first row.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::normalize::{
    fold, fts_prefix_query, fts_whole_word_query, prefix_upper_bound, query_tokens,
};
use super::view::{CandidateSummary, SUMMARY_COLUMNS, SummaryRow};
use crate::Result;

/// Above this many full-text matches, results are not ranked (ranking would cost too much).
/// bm25 costs ≈ 9 µs per matched row at 100k candidates (FTS5 reads each row's column sizes and
/// gathers its prefix terms' instances): at 500, two-word queries with a short last word ("Dmitri
/// Ma", 472 matches) took 8–14 ms on a 2 GHz core, and search p95 at 100k was 5.2–5.7 ms against
/// its 5 ms target; at 200 it is 4.1–4.7 ms (`cargo bench -p hirebridge-core --bench sync --
/// --search-only`). Larger match sets come in index order, after the names starting with the query.
pub const RANK_CAP: i64 = 200;
pub const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SearchQuery {
    pub text: String,
    /// Only this account's candidates.
    pub account_id: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The name starts with the query.
    NamePrefix,
    /// Every word of the query starts a word somewhere in the candidate's searchable text.
    FullText,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SearchHit {
    pub candidate: CandidateSummary,
    pub matched_by: MatchKind,
    /// bm25 score (lower is better) when the full-text results were ranked.
    pub score: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct ScoredRow {
    #[sqlx(flatten)]
    row: SummaryRow,
    score: Option<f64>,
}

pub async fn search_candidates(pool: &SqlitePool, query: &SearchQuery) -> Result<Vec<SearchHit>> {
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
    let tokens = query_tokens(&query.text);
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let key = fold(&query.text);
    let key = key.trim();
    let mut hits = name_prefix_hits(pool, key, query.account_id.as_deref(), limit).await?;
    // One character matches too much to be useful through the full-text index (which has no
    // 1-character prefix index); the name indexes answered it.
    let typed: usize = tokens.iter().map(|t| t.chars().count()).sum();
    if hits.len() < limit && typed >= 2 {
        let seen: HashSet<(String, String)> = hits
            .iter()
            .map(|h| {
                (
                    h.candidate.account_id.clone(),
                    h.candidate.remote_id.clone(),
                )
            })
            .collect();
        let more = full_text_hits(
            pool,
            &tokens,
            query.account_id.as_deref(),
            limit + hits.len(),
        )
        .await?;
        for hit in more {
            if hits.len() >= limit {
                break;
            }
            if !seen.contains(&(
                hit.candidate.account_id.clone(),
                hit.candidate.remote_id.clone(),
            )) {
                hits.push(hit);
            }
        }
    }
    Ok(hits)
}

async fn name_prefix_hits(
    pool: &SqlitePool,
    key: &str,
    account_id: Option<&str>,
    limit: usize,
) -> Result<Vec<SearchHit>> {
    let upper = prefix_upper_bound(key);
    let mut hits: Vec<SearchHit> = Vec::new();
    let mut seen = HashSet::new();
    for column in ["name_key", "last_name_key"] {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM cached_candidates c INDEXED BY cached_candidates_{column} \
             WHERE c.{column} >= ?1 AND c.{column} < ?2 AND (?3 IS NULL OR c.account_id = ?3) \
             ORDER BY c.{column}, c.id LIMIT ?4"
        );
        let rows: Vec<SummaryRow> = sqlx::query_as(&sql)
            .bind(key)
            .bind(&upper)
            .bind(account_id)
            .bind((limit - hits.len()) as i64)
            .fetch_all(pool)
            .await?;
        for row in rows {
            if seen.insert(row.id) {
                hits.push(SearchHit {
                    candidate: row.into_summary(),
                    matched_by: MatchKind::NamePrefix,
                    score: None,
                });
            }
        }
        if hits.len() >= limit {
            break;
        }
    }
    Ok(hits)
}

/// The first RANK_CAP + 1 row ids of a match: tells a small match set (rank it) from a large
/// one (serve these ids as they are, without a second pass).
async fn probe(pool: &SqlitePool, match_expr: &str) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT rowid FROM candidates_fts WHERE candidates_fts MATCH ?1 LIMIT ?2",
    )
    .bind(match_expr)
    .bind(RANK_CAP + 1)
    .fetch_all(pool)
    .await?)
}

async fn full_text_hits(
    pool: &SqlitePool,
    tokens: &[String],
    account_id: Option<&str>,
    limit: usize,
) -> Result<Vec<SearchHit>> {
    let mut large = None;
    // One word only: with more, their AND usually leaves few enough rows to rank, and this
    // probe would be spent for nothing.
    if let [_] = tokens
        && let Some(whole) = fts_whole_word_query(tokens)
    {
        let first = probe(pool, &whole).await?;
        if first.len() as i64 > RANK_CAP {
            large = Some((whole, first));
        }
    }
    let (match_expr, first) = match large {
        Some(found) => found,
        None => {
            let expr = fts_prefix_query(tokens);
            let first = probe(pool, &expr).await?;
            (expr, first)
        }
    };
    let match_expr = match_expr.as_str();
    let matches = first.len() as i64;
    if matches > RANK_CAP && account_id.is_none() {
        let ids = serde_json::to_string(&first[..limit.min(first.len())]).unwrap_or_default();
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM cached_candidates c \
             WHERE c.id IN (SELECT value FROM json_each(?1)) ORDER BY c.id"
        );
        let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(ids).fetch_all(pool).await?;
        return Ok(rows
            .into_iter()
            .map(|row| SearchHit {
                candidate: row.into_summary(),
                matched_by: MatchKind::FullText,
                score: None,
            })
            .collect());
    }
    let ranked = matches <= RANK_CAP;
    // Column weights: name, emails, phones, company, title, tags, resume.
    let (score, order) = if ranked {
        (
            "bm25(candidates_fts, 10.0, 6.0, 4.0, 2.0, 2.0, 1.5, 0.5)",
            "ORDER BY score, c.id",
        )
    } else {
        ("NULL", "")
    };
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, {score} AS score FROM candidates_fts \
         JOIN cached_candidates c ON c.id = candidates_fts.rowid \
         WHERE candidates_fts MATCH ?1 AND (?2 IS NULL OR c.account_id = ?2) {order} LIMIT ?3"
    );
    let rows: Vec<ScoredRow> = sqlx::query_as(&sql)
        .bind(match_expr)
        .bind(account_id)
        .bind(limit as i64)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| SearchHit {
            candidate: r.row.into_summary(),
            matched_by: MatchKind::FullText,
            score: r.score,
        })
        .collect())
}
