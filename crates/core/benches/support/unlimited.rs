//! A connector without the client-side rate limit, for the "unthrottled ingest" figure.
//!
//! The HTTP client gives each account its own limiter at the vendor's rate. This wrapper sends
//! each list page through the next of many real connectors, each on its own (benchmark-only)
//! account id, so no limiter is ever the bottleneck while requests, JSON and mapping stay real.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use hirebridge_core::connectors::{Connector, ProxyRequest, ProxyResponse};
use hirebridge_core::model::*;
use hirebridge_core::{Result, Vendor};

pub struct Unlimited {
    /// The first one's account id is the one reported (and written to the cache).
    inner: Vec<Arc<dyn Connector>>,
    next: AtomicUsize,
}

impl Unlimited {
    pub fn new(inner: Vec<Arc<dyn Connector>>) -> Self {
        assert!(!inner.is_empty(), "at least one connector");
        Self {
            inner,
            next: AtomicUsize::new(0),
        }
    }

    fn any(&self) -> &Arc<dyn Connector> {
        &self.inner[self.next.fetch_add(1, Ordering::Relaxed) % self.inner.len()]
    }

    fn main(&self) -> &Arc<dyn Connector> {
        &self.inner[0]
    }
}

#[async_trait]
impl Connector for Unlimited {
    fn vendor(&self) -> Vendor {
        self.main().vendor()
    }
    fn account_id(&self) -> &str {
        self.main().account_id()
    }
    fn capabilities(&self) -> Capabilities {
        self.main().capabilities()
    }
    async fn verify_credentials(&self) -> Result<()> {
        self.main().verify_credentials().await
    }
    async fn list_candidates(&self, opts: &ListOptions) -> Result<Page<Candidate>> {
        self.any().list_candidates(opts).await
    }
    async fn get_candidate(&self, id: &str) -> Result<Candidate> {
        self.any().get_candidate(id).await
    }
    async fn list_applications(&self, opts: &ListOptions) -> Result<Page<Application>> {
        self.any().list_applications(opts).await
    }
    async fn get_application(&self, id: &str) -> Result<Application> {
        self.any().get_application(id).await
    }
    async fn list_jobs(&self, opts: &ListOptions) -> Result<Page<Job>> {
        self.any().list_jobs(opts).await
    }
    async fn get_job(&self, id: &str) -> Result<Job> {
        self.any().get_job(id).await
    }
    async fn list_attachments(&self, opts: &ListOptions) -> Result<Page<Attachment>> {
        self.any().list_attachments(opts).await
    }
    async fn get_attachment(&self, id: &str) -> Result<Attachment> {
        self.any().get_attachment(id).await
    }
    async fn list_users(&self, opts: &ListOptions) -> Result<Page<User>> {
        self.any().list_users(opts).await
    }
    async fn get_user(&self, id: &str) -> Result<User> {
        self.any().get_user(id).await
    }
    async fn list_roles(&self, opts: &ListOptions) -> Result<Page<Role>> {
        self.any().list_roles(opts).await
    }
    async fn list_groups(&self, opts: &ListOptions) -> Result<Page<Group>> {
        self.any().list_groups(opts).await
    }
    async fn list_job_stages(&self, job_id: Option<&str>) -> Result<Vec<JobStage>> {
        self.any().list_job_stages(job_id).await
    }
    async fn job_form_fields(&self, job_id: &str) -> Result<Vec<FormField>> {
        self.any().job_form_fields(job_id).await
    }
    async fn list_assessments(&self, opts: &ListOptions) -> Result<Page<Assessment>> {
        self.any().list_assessments(opts).await
    }
    async fn get_assessment(&self, id: &str) -> Result<Assessment> {
        self.any().get_assessment(id).await
    }
    async fn list_interviews(&self, opts: &ListOptions) -> Result<Page<Interview>> {
        self.any().list_interviews(opts).await
    }
    async fn get_interview(&self, id: &str) -> Result<Interview> {
        self.any().get_interview(id).await
    }
    async fn create_candidate(&self, input: &CreateCandidate) -> Result<CreateOutcome> {
        self.main().create_candidate(input).await
    }
    async fn add_attachment(&self, input: &AddAttachment) -> Result<Attachment> {
        self.main().add_attachment(input).await
    }
    async fn download_attachment(&self, id: &str, dest: &Path) -> Result<u64> {
        self.main().download_attachment(id, dest).await
    }
    async fn move_stage(&self, input: &MoveStage) -> Result<Application> {
        self.main().move_stage(input).await
    }
    async fn reject(&self, input: &Reject) -> Result<Application> {
        self.main().reject(input).await
    }
    async fn proxy(&self, request: &ProxyRequest) -> Result<ProxyResponse> {
        self.any().proxy(request).await
    }
    async fn proxy_background(&self, request: &ProxyRequest) -> Result<ProxyResponse> {
        self.any().proxy_background(request).await
    }
}
