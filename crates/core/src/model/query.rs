//! List options, after Truto's unified API query parameters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How records come back (Truto's `response_format`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum ResponseFormat {
    /// Unified fields plus the vendor's record in `remote_data`.
    #[default]
    Unified,
    /// The vendor's records only, as it sent them.
    Raw,
    /// Unified fields only, without `remote_data`.
    Normalized,
}

/// Options every list takes. Filters a vendor cannot apply are refused with a validation error
/// rather than silently ignored (see the connector's `Capabilities`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct ListOptions {
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size; each connector clamps it to the vendor's maximum.
    pub limit: Option<u32>,
    pub updated_after: Option<DateTime<Utc>>,
    pub job_id: Option<String>,
    /// Parent candidate, for lists that hang off one (attachments, applications, assessments).
    pub candidate_id: Option<String>,
    /// A stage id (SR status such as `INTERVIEW`, Lever stage id).
    pub stage: Option<String>,
    pub search: Option<String>,
    pub response_format: ResponseFormat,
    /// Unified fields to drop from each record (top-level names).
    pub exclude_fields: Vec<String>,
    /// Leave `remote_data` out of the records.
    pub ignore_remote_data: bool,
    /// Extra query parameters passed to the vendor untouched (repeatable keys allowed).
    pub remote_query: Vec<(String, String)>,
    /// Background work (sync): a person's requests on the same account go first.
    pub background: bool,
}

impl ListOptions {
    pub fn with_cursor(mut self, cursor: Option<String>) -> Self {
        self.cursor = cursor;
        self
    }

    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    pub fn for_candidate(mut self, candidate_id: impl Into<String>) -> Self {
        self.candidate_id = Some(candidate_id.into());
        self
    }

    pub fn for_job(mut self, job_id: impl Into<String>) -> Self {
        self.job_id = Some(job_id.into());
        self
    }

    /// Whether records should carry `remote_data`.
    pub fn keep_remote_data(&self) -> bool {
        match self.response_format {
            ResponseFormat::Raw => true,
            ResponseFormat::Normalized => false,
            ResponseFormat::Unified => !self.ignore_remote_data,
        }
    }
}
