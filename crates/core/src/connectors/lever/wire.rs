//! Lever JSON, as ats-specs §2.3–2.6 describe it (camelCase, ms timestamps, `{data}` envelopes).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{"data":[…],"hasNext":true,"next":"<token>"}`; `next` is omitted on the last page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListEnvelope {
    #[serde(default)]
    pub data: Vec<Value>,
    #[serde(default)]
    pub has_next: Option<bool>,
    #[serde(default)]
    pub next: Option<String>,
}

/// `{"data":{…}}`, and for creates a top-level `deduped`.
#[derive(Debug, Clone, Deserialize)]
pub struct DataEnvelope {
    pub data: Value,
    #[serde(default)]
    pub deduped: Option<bool>,
}

/// A field Lever sends as an id, or as an object when expanded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IdOr<T> {
    Id(String),
    Expanded(T),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub id: String,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserRef {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: String,
    #[serde(default)]
    pub posting: Option<String>,
    #[serde(default)]
    pub created_at: Option<f64>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Phone {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Archived {
    #[serde(default)]
    pub archived_at: Option<f64>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Opportunity {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub headline: Option<String>,
    pub contact: String,
    #[serde(default)]
    pub stage: Option<IdOr<Stage>>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub phones: Vec<Phone>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub archived: Option<Archived>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub sourced_by: Option<IdOr<UserRef>>,
    #[serde(default)]
    pub applications: Vec<IdOr<Application>>,
    #[serde(default)]
    pub created_at: Option<f64>,
    #[serde(default)]
    pub updated_at: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Categories {
    pub team: Option<String>,
    pub department: Option<String>,
    pub location: Option<String>,
    pub commitment: Option<String>,
    #[serde(default)]
    pub all_locations: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostingContent {
    pub description: Option<String>,
    pub description_html: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PostingUrls {
    pub list: Option<String>,
    pub show: Option<String>,
    pub apply: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Posting {
    pub id: String,
    pub text: Option<String>,
    pub state: Option<String>,
    pub distribution_channels: Option<Vec<String>>,
    pub hiring_manager: Option<String>,
    pub categories: Option<Categories>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub content: Option<PostingContent>,
    #[serde(default)]
    pub requisition_codes: Vec<String>,
    pub urls: Option<PostingUrls>,
    pub workplace_type: Option<String>,
    pub created_at: Option<f64>,
    pub updated_at: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub created_at: Option<f64>,
    pub deactivated_at: Option<f64>,
    pub access_role: Option<String>,
    pub job_title: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveReason {
    pub id: String,
    pub text: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct File {
    #[serde(default)]
    pub id: Option<String>,
    pub name: Option<String>,
    pub ext: Option<String>,
    pub download_url: Option<String>,
    pub uploaded_at: Option<f64>,
    pub size: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resume {
    pub id: String,
    pub created_at: Option<f64>,
    pub file: Option<File>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormOption {
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormQuestionField {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<FormOption>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormQuestion {
    pub id: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub fields: Vec<FormQuestionField>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonalField {
    pub name: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub required: bool,
}

/// `GET /postings/{id}/apply`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyForm {
    #[serde(default)]
    pub custom_questions: Vec<FormQuestion>,
    #[serde(default)]
    pub personal_information: Vec<PersonalField>,
}
