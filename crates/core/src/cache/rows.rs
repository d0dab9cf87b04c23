//! The storage form of each resource: what the cache writes, built from unified records.
//! Times are ms since the Unix epoch (UTC).

/// One candidate (person) as the cache stores it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CandidateRow {
    pub remote_id: String,
    pub first_name: String,
    pub last_name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub urls: Vec<String>,
    /// Resume text, when the vendor parsed one.
    pub resume_text: Option<String>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    /// True when this is the vendor's full object, false for a partial list object.
    pub complete: bool,
    /// The unified record, as JSON.
    pub record: String,
    pub remote_data: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplicationRow {
    pub remote_id: String,
    pub candidate_remote_id: Option<String>,
    pub job_remote_id: Option<String>,
    pub stage_id: Option<String>,
    pub stage_name: Option<String>,
    /// A vendor-neutral stage category (`new`, `interview`, `offer`, `hired`, `rejected`...).
    pub stage_category: Option<String>,
    pub applied_at: Option<i64>,
    pub rejected_at: Option<i64>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub record: String,
    pub remote_data: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobRow {
    pub remote_id: String,
    pub name: String,
    pub status: Option<String>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub record: String,
    pub remote_data: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttachmentRow {
    pub remote_id: String,
    pub candidate_remote_id: Option<String>,
    pub application_remote_id: Option<String>,
    pub file_name: String,
    pub file_url: Option<String>,
    pub attachment_type: Option<String>,
    pub created_at: Option<i64>,
    pub record: String,
    pub remote_data: Option<String>,
}

/// Users, roles, groups, job stages, assessments and interviews.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SimpleRow {
    pub remote_id: String,
    pub name: String,
    /// The job of a job stage, the application of an assessment or interview.
    pub parent_remote_id: Option<String>,
    /// The candidate of an assessment or interview (other tables have no such column).
    pub candidate_remote_id: Option<String>,
    pub updated_at: Option<i64>,
    pub record: String,
    pub remote_data: Option<String>,
}

/// The tables holding [`SimpleRow`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimpleTable {
    Users,
    Roles,
    Groups,
    JobStages,
    Assessments,
    Interviews,
}

impl SimpleTable {
    /// Tables whose rows belong to a candidate (`candidate_remote_id`, migration 0003).
    pub fn per_candidate(self) -> bool {
        matches!(self, SimpleTable::Assessments | SimpleTable::Interviews)
    }

    pub fn table(self) -> &'static str {
        match self {
            SimpleTable::Users => "cached_users",
            SimpleTable::Roles => "cached_roles",
            SimpleTable::Groups => "cached_groups",
            SimpleTable::JobStages => "cached_job_stages",
            SimpleTable::Assessments => "cached_assessments",
            SimpleTable::Interviews => "cached_interviews",
        }
    }
}
