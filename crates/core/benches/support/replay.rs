//! A connector that serves list pages recorded earlier from memory, for the "cache writes only"
//! figure: the sync engine and the cache do all their work, but no request, JSON or mapping
//! happens during the timed run.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use hirebridge_core::connectors::{Connector, ProxyRequest, ProxyResponse};
use hirebridge_core::model::*;
use hirebridge_core::{Error, ErrorKind, Result, Vendor};

type Pages<T> = Mutex<HashMap<Option<String>, Page<T>>>;

pub struct Replay {
    inner: Arc<dyn Connector>,
    candidates: Pages<Candidate>,
    applications: Pages<Application>,
    jobs: Pages<Job>,
    users: Pages<User>,
}

fn not_recorded() -> Error {
    Error::new(ErrorKind::NotFound, "page not recorded")
}

/// Hands each recorded page out once (moved, not cloned: the timed run should not pay for
/// copies the engine would never make).
fn serve<T>(pages: &Pages<T>, opts: &ListOptions) -> Result<Page<T>> {
    let mut pages = pages
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pages.remove(&opts.cursor).ok_or_else(not_recorded)
}

/// Walks every page of one list as a full sync asks for it (same page size, no filter).
async fn record<T, F, Fut>(page_size: u32, mut list: F) -> Pages<T>
where
    F: FnMut(ListOptions) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>>>,
{
    let mut pages = HashMap::new();
    let done = |pages| Mutex::new(pages);
    let mut cursor: Option<String> = None;
    loop {
        let opts = ListOptions {
            limit: Some(page_size),
            background: true,
            cursor: cursor.clone(),
            ..ListOptions::default()
        };
        let Ok(page) = list(opts).await else {
            // Unsupported by this vendor: the engine will not ask either.
            return done(pages);
        };
        let next = page.next_cursor.clone();
        pages.insert(cursor, page);
        match next {
            Some(n) => cursor = Some(n),
            None => return done(pages),
        }
    }
}

impl Replay {
    pub async fn record(inner: Arc<dyn Connector>, page_size: u32) -> Self {
        let c = inner.clone();
        let candidates = record(page_size, |o| {
            let c = c.clone();
            async move { c.list_candidates(&o).await }
        })
        .await;
        // SmartRecruiters and Lever candidates carry their applications: the engine never
        // lists them (and SmartRecruiters' list reads some one by one, at the account's rate).
        let applications = if inner.vendor() == Vendor::Unberry {
            record(page_size, |o| {
                let c = c.clone();
                async move { c.list_applications(&o).await }
            })
            .await
        } else {
            Mutex::new(HashMap::new())
        };
        let jobs = record(page_size, |o| {
            let c = c.clone();
            async move { c.list_jobs(&o).await }
        })
        .await;
        let users = record(page_size, |o| {
            let c = c.clone();
            async move { c.list_users(&o).await }
        })
        .await;
        Self {
            inner,
            candidates,
            applications,
            jobs,
            users,
        }
    }
}

#[async_trait]
impl Connector for Replay {
    fn vendor(&self) -> Vendor {
        self.inner.vendor()
    }
    fn account_id(&self) -> &str {
        self.inner.account_id()
    }
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    async fn verify_credentials(&self) -> Result<()> {
        Ok(())
    }
    async fn list_candidates(&self, opts: &ListOptions) -> Result<Page<Candidate>> {
        serve(&self.candidates, opts)
    }
    async fn get_candidate(&self, id: &str) -> Result<Candidate> {
        self.inner.get_candidate(id).await
    }
    async fn list_applications(&self, opts: &ListOptions) -> Result<Page<Application>> {
        serve(&self.applications, opts)
    }
    async fn get_application(&self, id: &str) -> Result<Application> {
        self.inner.get_application(id).await
    }
    async fn list_jobs(&self, opts: &ListOptions) -> Result<Page<Job>> {
        serve(&self.jobs, opts)
    }
    async fn get_job(&self, id: &str) -> Result<Job> {
        self.inner.get_job(id).await
    }
    async fn list_attachments(&self, opts: &ListOptions) -> Result<Page<Attachment>> {
        self.inner.list_attachments(opts).await
    }
    async fn get_attachment(&self, id: &str) -> Result<Attachment> {
        self.inner.get_attachment(id).await
    }
    async fn list_users(&self, opts: &ListOptions) -> Result<Page<User>> {
        serve(&self.users, opts)
    }
    async fn get_user(&self, id: &str) -> Result<User> {
        self.inner.get_user(id).await
    }
    async fn list_roles(&self, opts: &ListOptions) -> Result<Page<Role>> {
        self.inner.list_roles(opts).await
    }
    async fn list_groups(&self, opts: &ListOptions) -> Result<Page<Group>> {
        self.inner.list_groups(opts).await
    }
    async fn list_job_stages(&self, job_id: Option<&str>) -> Result<Vec<JobStage>> {
        self.inner.list_job_stages(job_id).await
    }
    async fn job_form_fields(&self, job_id: &str) -> Result<Vec<FormField>> {
        self.inner.job_form_fields(job_id).await
    }
    async fn list_assessments(&self, opts: &ListOptions) -> Result<Page<Assessment>> {
        self.inner.list_assessments(opts).await
    }
    async fn get_assessment(&self, id: &str) -> Result<Assessment> {
        self.inner.get_assessment(id).await
    }
    async fn list_interviews(&self, opts: &ListOptions) -> Result<Page<Interview>> {
        self.inner.list_interviews(opts).await
    }
    async fn get_interview(&self, id: &str) -> Result<Interview> {
        self.inner.get_interview(id).await
    }
    async fn create_candidate(&self, input: &CreateCandidate) -> Result<CreateOutcome> {
        self.inner.create_candidate(input).await
    }
    async fn add_attachment(&self, input: &AddAttachment) -> Result<Attachment> {
        self.inner.add_attachment(input).await
    }
    async fn download_attachment(&self, id: &str, dest: &Path) -> Result<u64> {
        self.inner.download_attachment(id, dest).await
    }
    async fn move_stage(&self, input: &MoveStage) -> Result<Application> {
        self.inner.move_stage(input).await
    }
    async fn reject(&self, input: &Reject) -> Result<Application> {
        self.inner.reject(input).await
    }
    async fn proxy(&self, request: &ProxyRequest) -> Result<ProxyResponse> {
        self.inner.proxy(request).await
    }
    async fn proxy_background(&self, request: &ProxyRequest) -> Result<ProxyResponse> {
        self.inner.proxy_background(request).await
    }
}
