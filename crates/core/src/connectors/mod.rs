//! One connector per vendor behind the [`Connector`] trait.
//!
//! Each vendor folder has `wire.rs` (the vendor's own JSON, ats-specs to the letter), `map.rs`
//! (wire → unified) and `mod.rs` (the [`Connector`] impl and its [`Capabilities`]).

pub mod common;
mod lever;
pub mod present;
mod proxy;
mod smartrecruiters;
mod unberry;
pub mod web_url;

/// Fuzzing entry points (`fuzz/`): vendor JSON through the wire types and the mapping.
#[doc(hidden)]
pub mod fuzz {
    pub use super::lever::fuzz::map_json as map_lever;
    pub use super::smartrecruiters::fuzz::map_json as map_smartrecruiters;
    pub use super::unberry::fuzz::map_json as map_unberry;
}

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;

pub use lever::LeverConnector;
pub use proxy::{ProxyBody, ProxyRequest, ProxyResponse};
pub use smartrecruiters::SmartRecruitersConnector;
pub use unberry::UnberryConnector;

use crate::accounts::Account;
use crate::http::{CredentialProvider, HttpClient};
use crate::model::*;
use crate::{Result, Vendor};

/// Everything Hirebridge asks of an ATS. Ids are the unified ones the connector handed out.
#[async_trait]
pub trait Connector: Send + Sync {
    fn vendor(&self) -> Vendor;
    fn account_id(&self) -> &str;
    fn capabilities(&self) -> Capabilities;

    /// One cheap authenticated call, to check a credential before it is stored.
    async fn verify_credentials(&self) -> Result<()>;

    async fn list_candidates(&self, opts: &ListOptions) -> Result<Page<Candidate>>;
    async fn get_candidate(&self, id: &str) -> Result<Candidate>;
    async fn list_applications(&self, opts: &ListOptions) -> Result<Page<Application>>;
    async fn get_application(&self, id: &str) -> Result<Application>;
    async fn list_jobs(&self, opts: &ListOptions) -> Result<Page<Job>>;
    async fn get_job(&self, id: &str) -> Result<Job>;
    /// Attachments of `opts.candidate_id` (required).
    async fn list_attachments(&self, opts: &ListOptions) -> Result<Page<Attachment>>;
    async fn get_attachment(&self, id: &str) -> Result<Attachment>;
    async fn list_users(&self, opts: &ListOptions) -> Result<Page<User>>;
    async fn get_user(&self, id: &str) -> Result<User>;
    async fn list_roles(&self, opts: &ListOptions) -> Result<Page<Role>>;
    async fn list_groups(&self, opts: &ListOptions) -> Result<Page<Group>>;
    /// The stages an application of `job_id` can be moved to (vendor-wide when it has one pipeline).
    async fn list_job_stages(&self, job_id: Option<&str>) -> Result<Vec<JobStage>>;
    /// Questions of a job's application form, which `create_candidate` may need answered.
    async fn job_form_fields(&self, job_id: &str) -> Result<Vec<FormField>>;

    async fn list_assessments(&self, _opts: &ListOptions) -> Result<Page<Assessment>> {
        Err(common::unsupported(self.vendor(), "assessments"))
    }
    async fn get_assessment(&self, _id: &str) -> Result<Assessment> {
        Err(common::unsupported(self.vendor(), "assessments"))
    }
    async fn list_interviews(&self, _opts: &ListOptions) -> Result<Page<Interview>> {
        Err(common::unsupported(self.vendor(), "interviews"))
    }
    async fn get_interview(&self, _id: &str) -> Result<Interview> {
        Err(common::unsupported(self.vendor(), "interviews"))
    }

    async fn create_candidate(&self, input: &CreateCandidate) -> Result<CreateOutcome>;
    async fn add_attachment(&self, input: &AddAttachment) -> Result<Attachment>;
    /// Streams the file to `dest`; returns its size in bytes.
    async fn download_attachment(&self, id: &str, dest: &Path) -> Result<u64>;
    async fn move_stage(&self, input: &MoveStage) -> Result<Application>;
    async fn reject(&self, input: &Reject) -> Result<Application>;
    /// Any vendor endpoint, 1-to-1, with the account's auth, rate limit and error mapping.
    async fn proxy(&self, request: &ProxyRequest) -> Result<ProxyResponse>;
    /// [`Connector::proxy`] in the background lane of the account's rate limiter: for the
    /// sync's own calls (Lever's deletion feed), which yield to what a person asked for.
    async fn proxy_background(&self, request: &ProxyRequest) -> Result<ProxyResponse>;
}

/// The connector of `account`, sending through `http` with `credentials`.
pub fn for_account(
    account: &Account,
    credentials: Arc<dyn CredentialProvider>,
    http: &HttpClient,
) -> Result<Arc<dyn Connector>> {
    let client = http.for_account(&account.id, account.vendor, &account.base_url, credentials)?;
    Ok(match account.vendor {
        Vendor::SmartRecruiters => Arc::new(SmartRecruitersConnector::new(client)),
        Vendor::Lever => Arc::new(LeverConnector::new(client)),
        Vendor::Unberry => Arc::new(UnberryConnector::new(client)),
    })
}

/// Which list a caller wants, for generic callers (CLI, sync).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Candidates,
    Applications,
    Jobs,
    Attachments,
    Users,
    Roles,
    Groups,
    Assessments,
    Interviews,
}

/// One page of any resource as JSON in the requested `response_format`.
pub async fn list_json(
    connector: &dyn Connector,
    resource: Resource,
    opts: &ListOptions,
) -> Result<Page<serde_json::Value>> {
    use present::render_page as r;
    match resource {
        Resource::Candidates => r(connector.list_candidates(opts).await?, opts),
        Resource::Applications => r(connector.list_applications(opts).await?, opts),
        Resource::Jobs => r(connector.list_jobs(opts).await?, opts),
        Resource::Attachments => r(connector.list_attachments(opts).await?, opts),
        Resource::Users => r(connector.list_users(opts).await?, opts),
        Resource::Roles => r(connector.list_roles(opts).await?, opts),
        Resource::Groups => r(connector.list_groups(opts).await?, opts),
        Resource::Assessments => r(connector.list_assessments(opts).await?, opts),
        Resource::Interviews => r(connector.list_interviews(opts).await?, opts),
    }
}

/// Every record of a list, following cursors to the end. Records with the same id (a Lever
/// person whose opportunities span pages) are merged into one, in first-seen order.
pub async fn list_all_json(
    connector: &dyn Connector,
    resource: Resource,
    opts: &ListOptions,
) -> Result<Vec<serde_json::Value>> {
    let mut opts = opts.clone();
    let mut out: Vec<serde_json::Value> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut seen_cursors = std::collections::HashSet::new();
    loop {
        let page = list_json(connector, resource, &opts).await?;
        for record in page.result {
            present::merge_into(&mut out, &mut index, record);
        }
        match page.next_cursor {
            // A vendor handing back a cursor it already gave would loop forever.
            Some(next) if seen_cursors.insert(next.clone()) => opts.cursor = Some(next),
            _ => return Ok(out),
        }
    }
}
