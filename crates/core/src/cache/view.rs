//! What the UI sees of a cached candidate, and the conversions shared by the queries.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::Vendor;

/// A candidate in a list or search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CandidateSummary {
    pub account_id: String,
    pub remote_id: String,
    pub vendor: Vendor,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The columns every summary query selects, in this order.
pub(crate) const SUMMARY_COLUMNS: &str = "c.id, c.account_id, c.remote_id, c.vendor, c.name, \
     c.first_name, c.last_name, c.primary_email, c.company, c.title, c.updated_at, c.name_key";

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub id: i64,
    pub account_id: String,
    pub remote_id: String,
    pub vendor: String,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub primary_email: Option<String>,
    pub company: String,
    pub title: String,
    pub updated_at: Option<i64>,
    pub name_key: String,
}

impl SummaryRow {
    pub fn into_summary(self) -> CandidateSummary {
        CandidateSummary {
            account_id: self.account_id,
            remote_id: self.remote_id,
            // The column only ever holds what `Vendor::as_str` wrote.
            vendor: self.vendor.parse().unwrap_or(Vendor::SmartRecruiters),
            name: self.name,
            first_name: self.first_name,
            last_name: self.last_name,
            email: self.primary_email,
            company: non_empty(self.company),
            title: non_empty(self.title),
            updated_at: ms_to_time(self.updated_at),
        }
    }
}

pub(crate) fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// ms since the epoch → time; 0 and out-of-range values mean "unknown".
pub fn ms_to_time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.filter(|ms| *ms != 0)
        .and_then(|ms| Utc.timestamp_millis_opt(ms).single())
}

pub fn time_to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}
