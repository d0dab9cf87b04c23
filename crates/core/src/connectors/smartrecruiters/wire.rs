//! SmartRecruiters JSON, as ats-specs §1.3–1.7 describe it (camelCase).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Cursor-paged list envelope: candidates and jobs `{limit, offset, nextPageId, totalFound,
/// content}`, users `{limit, nextPageId, content}`, small lists `{totalFound, content}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListEnvelope {
    #[serde(default)]
    pub content: Vec<Value>,
    #[serde(default)]
    pub next_page_id: Option<String>,
    /// Matches of the whole search (candidates, jobs); users' lists do not say.
    #[serde(default)]
    pub total_found: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdLabel {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub country: Option<String>,
    pub country_code: Option<String>,
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub remote: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Web {
    pub skype: Option<String>,
    pub linkedin: Option<String>,
    pub facebook: Option<String>,
    pub twitter: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRef {
    pub id: String,
    pub title: Option<String>,
}

/// A candidate's assignment to a job: its status in that job's context.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    pub job: Option<JobRef>,
    pub status: Option<String>,
    pub sub_status: Option<String>,
    pub starts_on: Option<String>,
    /// A label, or an object naming the source.
    pub source: Option<Value>,
    pub reason_of_rejection: Option<IdLabel>,
    pub reason_of_withdrawal: Option<IdLabel>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Experience {
    pub title: Option<String>,
    pub company: Option<String>,
    pub current: Option<bool>,
}

/// `Candidate` (list item) and `CandidateDetails` share these fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub location: Option<Location>,
    pub web: Option<Web>,
    pub created_on: Option<String>,
    pub updated_on: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub experience: Vec<Experience>,
    pub primary_assignment: Option<Assignment>,
    #[serde(default)]
    pub secondary_assignments: Vec<Assignment>,
}

/// `GET /candidates/{id}/jobs/{jobId}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobApplication {
    pub status: Option<String>,
    pub sub_status: Option<String>,
    pub starts_on: Option<String>,
    pub source: Option<Value>,
    pub reason_of_rejection: Option<IdLabel>,
    pub reason_of_withdrawal: Option<IdLabel>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: String,
    pub title: Option<String>,
    pub ref_number: Option<String>,
    pub created_on: Option<String>,
    pub updated_on: Option<String>,
    pub department: Option<IdLabel>,
    pub location: Option<Location>,
    pub status: Option<String>,
    pub posting_status: Option<String>,
    pub type_of_employment: Option<IdLabel>,
    pub job_ad: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IdName {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub system_role: Option<IdName>,
    pub active: Option<bool>,
    pub updated_on: Option<String>,
    #[serde(default)]
    pub access_groups: Vec<IdName>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: String,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub content_type: Option<String>,
    pub actions: Option<Value>,
}

/// `CandidateInput`: the create body.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<Web>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub experience: Vec<Experience>,
}

/// The items of a small list, whether enveloped (`{content}`) or a bare array.
pub fn items(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Object(mut obj) => match obj.remove("content") {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}
