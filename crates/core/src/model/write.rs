//! What writes take and return, and what each vendor supports.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Application, Attachment, AttachmentType, Candidate, Email, Link, Phone};
use crate::Vendor;

/// Applicant (the candidate applied) or lead (the recruiter sourced them). Lever: origin
/// `applied` | `sourced`; SmartRecruiters: status `NEW` | `LEAD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationSource {
    Applicant,
    Lead,
}

/// One answer to a job's application form question (Lever posting `customQuestions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FormAnswer {
    /// The question (Lever custom question card id).
    pub question_id: String,
    /// The field within the question.
    pub field_id: String,
    pub value: String,
}

/// A question of a job's application form, so the UI can ask it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct FormField {
    pub question_id: String,
    pub field_id: String,
    pub label: String,
    /// Vendor field type (`text`, `textarea`, `dropdown`, `multiple-choice`...).
    pub field_type: String,
    pub required: bool,
    #[serde(default)]
    pub options: Vec<String>,
}

/// A new candidate, optionally applying to a job with a resume.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct CreateCandidate {
    pub first_name: String,
    pub last_name: String,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub urls: Vec<Link>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub tags: Vec<String>,
    pub job_id: Option<String>,
    pub application_source: Option<ApplicationSource>,
    pub job_form_field_answers: Vec<FormAnswer>,
    /// A resume on local disk, streamed to the vendor.
    pub resume_path: Option<PathBuf>,
    /// The vendor user the write is made as (Lever `perform_as`, required there).
    pub perform_as: Option<String>,
    /// Merged into the vendor request body (object keys win over the unified ones).
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

/// What a create did. When the vendor merged the new person into an existing one (Lever's email
/// dedupe), `duplicate_of` names the existing candidate so the caller can tell the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CreateOutcome {
    pub candidate: Candidate,
    pub application: Option<Application>,
    pub resume: Option<Attachment>,
    pub duplicate_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct AddAttachment {
    pub candidate_id: String,
    /// Attach in the context of this application (SR job context, Lever opportunity).
    pub application_id: Option<String>,
    pub path: PathBuf,
    #[serde(rename = "type")]
    pub kind: AttachmentType,
    pub perform_as: Option<String>,
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct MoveStage {
    pub application_id: String,
    pub stage_id: String,
    pub perform_as: Option<String>,
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Reject {
    pub application_id: String,
    /// Vendor reject/archive reason id; some vendors require one (see Capabilities).
    pub reason_id: Option<String>,
    pub perform_as: Option<String>,
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

/// Every operation a connector can be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    ListCandidates,
    GetCandidate,
    ListApplications,
    GetApplication,
    ListJobs,
    GetJob,
    ListAttachments,
    GetAttachment,
    DownloadAttachment,
    ListUsers,
    GetUser,
    ListRoles,
    ListGroups,
    ListJobStages,
    ListAssessments,
    GetAssessment,
    ListInterviews,
    GetInterview,
    CreateCandidate,
    AddAttachment,
    MoveStage,
    Reject,
    Proxy,
}

/// What the vendor does for one operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct OperationSupport {
    pub operation: Operation,
    pub supported: bool,
    /// Unified fields (inputs for writes, filters for lists) the vendor honours.
    pub supported_fields: Vec<String>,
    /// Unified fields the vendor refuses to go without.
    pub required_fields: Vec<String>,
    /// What a person needs to know (conditional requirements, limits).
    pub notes: Option<String>,
}

impl OperationSupport {
    /// An operation the vendor offers, with the unified fields it honours and requires.
    pub fn supported(
        operation: Operation,
        fields: &[&str],
        required: &[&str],
        notes: Option<&str>,
    ) -> Self {
        Self {
            operation,
            supported: true,
            supported_fields: fields.iter().map(|s| (*s).to_owned()).collect(),
            required_fields: required.iter().map(|s| (*s).to_owned()).collect(),
            notes: notes.map(str::to_owned),
        }
    }

    /// An operation the vendor does not offer; `notes` says what to do instead.
    pub fn unsupported(operation: Operation, notes: Option<&str>) -> Self {
        Self {
            operation,
            supported: false,
            supported_fields: vec![],
            required_fields: vec![],
            notes: notes.map(str::to_owned),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Capabilities {
    pub vendor: Vendor,
    pub operations: Vec<OperationSupport>,
    /// Largest file an upload accepts, in bytes.
    pub max_upload_bytes: f64,
}

impl Capabilities {
    pub fn get(&self, operation: Operation) -> Option<&OperationSupport> {
        self.operations.iter().find(|o| o.operation == operation)
    }

    pub fn supports(&self, operation: Operation) -> bool {
        self.get(operation).is_some_and(|o| o.supported)
    }
}
