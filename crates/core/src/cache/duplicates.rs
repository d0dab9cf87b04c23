//! Duplicate lookup across every linked account by email, phone digits and LinkedIn URL.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::normalize;
use super::view::{CandidateSummary, SUMMARY_COLUMNS, SummaryRow};
use crate::Result;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct DuplicateQuery {
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub linkedin_urls: Vec<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    Email,
    Phone,
    Linkedin,
}

impl IdentityKind {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(Self::Email),
            "phone" => Some(Self::Phone),
            "linkedin" => Some(Self::Linkedin),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct DuplicateMatch {
    pub candidate: CandidateSummary,
    /// What they share with the query, each kind once.
    pub matched_on: Vec<IdentityKind>,
}

#[derive(sqlx::FromRow)]
struct MatchRow {
    #[sqlx(flatten)]
    row: SummaryRow,
    kind: String,
}

/// Cached candidates (any account) sharing an email, phone number or LinkedIn profile with the
/// query, after normalization. Strongest first: most kinds matched, then by name.
pub async fn find_duplicates(pool: &SqlitePool, q: &DuplicateQuery) -> Result<Vec<DuplicateMatch>> {
    let mut wanted: Vec<(&str, String)> = Vec::new();
    wanted.extend(
        q.emails
            .iter()
            .filter_map(|e| normalize::email(e))
            .map(|v| ("email", v)),
    );
    wanted.extend(
        q.phones
            .iter()
            .filter_map(|p| normalize::phone_digits(p))
            .map(|v| ("phone", v)),
    );
    wanted.extend(
        q.linkedin_urls
            .iter()
            .filter_map(|u| normalize::linkedin_url(u))
            .map(|v| ("linkedin", v)),
    );
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let mut b: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
        "SELECT {SUMMARY_COLUMNS}, i.kind FROM candidate_identities i \
         JOIN cached_candidates c ON c.id = i.candidate_id WHERE "
    ));
    for (n, (kind, value)) in wanted.into_iter().enumerate() {
        if n > 0 {
            b.push(" OR ");
        }
        b.push("(i.kind = ")
            .push_bind(kind)
            .push(" AND i.value = ")
            .push_bind(value)
            .push(")");
    }
    let rows: Vec<MatchRow> = b.build_query_as().fetch_all(pool).await?;
    let mut by_candidate: BTreeMap<i64, (SummaryRow, Vec<IdentityKind>)> = BTreeMap::new();
    for MatchRow { row, kind } in rows {
        let Some(kind) = IdentityKind::parse(&kind) else {
            continue;
        };
        let entry = by_candidate
            .entry(row.id)
            .or_insert_with(|| (row, Vec::new()));
        if !entry.1.contains(&kind) {
            entry.1.push(kind);
        }
    }
    let mut matches: Vec<DuplicateMatch> = by_candidate
        .into_values()
        .map(|(row, mut kinds)| {
            kinds.sort();
            DuplicateMatch {
                candidate: row.into_summary(),
                matched_on: kinds,
            }
        })
        .collect();
    matches.sort_by(|a, b| {
        b.matched_on
            .len()
            .cmp(&a.matched_on.len())
            .then_with(|| a.candidate.name.cmp(&b.candidate.name))
    });
    Ok(matches)
}
