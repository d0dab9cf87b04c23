//! Candidates, applications, jobs, stages and attachments.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Email, Link, Phone, Ref, Tag};
use crate::Vendor;

/// A person who applied or was sourced. SmartRecruiters: a candidate; Lever: a contact (its
/// opportunities are the applications); Unberry: a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Candidate {
    pub id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// The full name as the vendor holds it (Lever keeps one `name` field).
    pub name: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    #[serde(default)]
    pub emails: Vec<Email>,
    #[serde(default)]
    pub phones: Vec<Phone>,
    #[serde(default)]
    pub urls: Vec<Link>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    pub source: Option<String>,
    #[serde(default)]
    pub applications: Vec<Application>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

/// Where an application stands, whatever the vendor calls its stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum StageCategory {
    /// Sourced, not yet applied (SR `LEAD`, Lever `lead-*` stages).
    Lead,
    /// In the pipeline: new, in review, screening, interviewing.
    Active,
    Offer,
    Hired,
    Rejected,
    /// The candidate withdrew.
    Withdrawn,
    /// Closed for another reason (SR `TRANSFERRED`, a Lever archive reason we cannot classify).
    Archived,
    Other,
}

/// A candidate's candidacy for one job. SmartRecruiters: the (candidate, job) assignment, whose id
/// here is `<candidate id>:<job id>`; Lever: an opportunity; Unberry: an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Application {
    pub id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub candidate_id: String,
    pub job: Option<Ref>,
    pub current_stage: Option<Ref>,
    pub status: StageCategory,
    pub applied_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
    pub reject_reason: Option<Ref>,
    pub source: Option<String>,
    /// Who brought the candidate in (Lever `sourcedBy`).
    pub credited_to: Option<Ref>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Open,
    Draft,
    OnHold,
    Closed,
    Archived,
    Other,
}

/// A job (SmartRecruiters job, Lever posting, Unberry job).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Job {
    pub id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub name: String,
    pub description: Option<String>,
    /// The company's own reference (SR `refNumber`, Lever requisition code).
    pub code: Option<String>,
    pub status: JobStatus,
    /// `public`, `internal`, `private`... as the vendor says.
    pub visibility: Option<String>,
    pub department: Option<String>,
    #[serde(default)]
    pub locations: Vec<String>,
    pub employment_type: Option<String>,
    pub remote: Option<bool>,
    #[serde(default)]
    pub hiring_managers: Vec<Ref>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    pub url: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

/// A stage an application can be moved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct JobStage {
    /// The id `move_stage` takes.
    pub id: String,
    pub name: String,
    pub job_id: Option<String>,
    pub category: StageCategory,
    /// Position in the pipeline, from 0.
    pub index: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentType {
    Resume,
    CoverLetter,
    Other,
}

/// A file on a candidate or application. Download it with `download_attachment`: `file_url` is
/// the vendor's and needs the account's credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Attachment {
    pub id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub candidate_id: Option<String>,
    pub application_id: Option<String>,
    pub file_name: String,
    pub file_url: Option<String>,
    pub content_type: Option<String>,
    /// Bytes, when the vendor says (f64 so the UI types stay plain numbers).
    pub size: Option<f64>,
    #[serde(rename = "type")]
    pub kind: AttachmentType,
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}
