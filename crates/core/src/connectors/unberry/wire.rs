//! Unberry JSON. PROVISIONAL [I]: Unberry publishes no API (ats-specs §3); this follows the
//! wire format defined by crates/fake-ats/src/unberry.rs (snake_case, ISO-8601 UTC, `{data}`
//! objects, `{data, next_cursor}` lists, `{error:{code,message}}` errors, `X-Api-Key`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListEnvelope {
    #[serde(default)]
    pub data: Vec<Value>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DataEnvelope {
    pub data: Value,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub country_code: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location: Option<Location>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub source: Option<String>,
    pub current_title: Option<String>,
    pub current_company: Option<String>,
    pub linkedin_url: Option<String>,
    #[serde(default)]
    pub application_ids: Vec<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub id: String,
    pub name: Option<String>,
    /// screening | assessment | interview | offer | hired | rejected
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub order: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub employment_type: Option<String>,
    pub status: Option<String>,
    pub location: Option<Location>,
    #[serde(default)]
    pub stages: Vec<Stage>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub id: String,
    pub candidate_id: String,
    pub job_id: Option<String>,
    pub stage: Option<Stage>,
    /// active | hired | rejected | withdrawn
    pub status: Option<String>,
    pub rejection_reason: Option<String>,
    pub applied_at: Option<String>,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub name: String,
    pub score: Option<f64>,
    pub max_score: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub id: String,
    pub candidate_id: String,
    pub application_id: Option<String>,
    pub assessment_name: Option<String>,
    pub status: Option<String>,
    pub invited_at: Option<String>,
    pub completed_at: Option<String>,
    pub overall_score: Option<f64>,
    pub percentile: Option<f64>,
    #[serde(default)]
    pub skills: Vec<Score>,
    #[serde(default)]
    pub traits: Vec<Score>,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    pub id: String,
    pub application_id: Option<String>,
    pub candidate_id: String,
    pub scheduled_start: Option<String>,
    pub scheduled_end: Option<String>,
    pub mode: Option<String>,
    pub location: Option<String>,
    pub meeting_url: Option<String>,
    #[serde(default)]
    pub interviewers: Vec<Person>,
    pub status: Option<String>,
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: String,
    pub candidate_id: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    /// resume | cover_letter | other
    pub kind: Option<String>,
    pub size: Option<f64>,
    pub uploaded_at: Option<String>,
    pub download_url: Option<String>,
}
