//! User Directory: users, roles and groups of the ATS account.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Email, Ref};
use crate::Vendor;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    Active,
    Inactive,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct User {
    pub id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub emails: Vec<Email>,
    pub title: Option<String>,
    pub status: UserStatus,
    #[serde(default)]
    pub roles: Vec<Ref>,
    #[serde(default)]
    pub groups: Vec<Ref>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

/// SmartRecruiters system role, Lever access role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Role {
    pub id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub name: String,
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}

/// SmartRecruiters access group; Unberry team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Group {
    pub id: String,
    pub account_id: String,
    pub vendor: Vendor,
    pub name: String,
    pub description: Option<String>,
    #[serde(default)]
    pub member_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[specta(type = Option<specta_typescript::Unknown>)]
    pub remote_data: Option<serde_json::Value>,
}
