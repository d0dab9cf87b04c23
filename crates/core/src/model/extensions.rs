//! Unberry extensions to the unified model: assessments and interviews.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Ref;
use crate::Vendor;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    Invited,
    InProgress,
    Completed,
    Expired,
    Other,
}

/// One measured trait of an assessment ("problem solving": 72).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct AssessmentSignal {
    pub name: String,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Assessment {
    pub id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub candidate_id: String,
    pub application_id: Option<String>,
    pub job_id: Option<String>,
    pub name: Option<String>,
    pub status: AssessmentStatus,
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub percentile: Option<f64>,
    #[serde(default)]
    pub signals: Vec<AssessmentSignal>,
    pub report_url: Option<String>,
    pub invited_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum InterviewStatus {
    Scheduled,
    Completed,
    Cancelled,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Interview {
    pub id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub candidate_id: String,
    pub application_id: Option<String>,
    pub job_id: Option<String>,
    pub title: Option<String>,
    pub status: InterviewStatus,
    pub start_at: Option<DateTime<Utc>>,
    pub end_at: Option<DateTime<Utc>>,
    pub location: Option<String>,
    pub meeting_url: Option<String>,
    #[serde(default)]
    pub interviewers: Vec<Ref>,
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}
