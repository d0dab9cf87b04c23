//! Unberry (assessments and interviews on top of the ATS basics). PROVISIONAL [I]: Unberry has
//! no public API; this speaks the wire format crates/fake-ats defines and is kept in this folder
//! so real documentation can replace it.

#[doc(hidden)]
pub mod fuzz;
mod map;
mod wire;

use std::path::Path;

use async_trait::async_trait;
use reqwest::Method;
use serde_json::{Value, json};

use super::common::*;
use super::{Connector, ProxyRequest, ProxyResponse};
use crate::http::{AccountClient, Lane, MultipartSpec, VendorRequest, check_upload};
use crate::model::*;
use crate::{Error, Result, Vendor};

const V: Vendor = Vendor::Unberry;
/// [I] The provisional API refuses attachments over 20 MB.
pub const MAX_UPLOAD_BYTES: u64 = 20_000_000;

pub struct UnberryConnector {
    client: AccountClient,
}

fn decode<T: serde::de::DeserializeOwned>(raw: &Value) -> Result<T> {
    decode_json(V, raw)
}

impl UnberryConnector {
    pub fn new(client: AccountClient) -> Self {
        Self { client }
    }

    fn ctx(&self, keep_remote: bool) -> map::Ctx<'_> {
        map::Ctx {
            account_id: self.client.account_id(),
            keep_remote,
        }
    }

    async fn page(
        &self,
        path: &str,
        opts: &ListOptions,
        filters: &[(&str, Option<String>)],
    ) -> Result<(Vec<Value>, Option<String>)> {
        let mut req = VendorRequest::get(path)
            .query("limit", clamp_limit(opts.limit, 50, 100).to_string())
            .query_opt("updated_since", opts.updated_after.map(iso_millis))
            .lane(lane(opts));
        for (k, v) in filters {
            req = req.query_opt(k, v.clone());
        }
        if let Some(cursor) = &opts.cursor {
            req = req.query("cursor", decode_cursor(V, cursor)?);
        }
        let env: wire::ListEnvelope = self
            .client
            .send_json(&req.queries(&opts.remote_query))
            .await?;
        let next = next_cursor(V, env.next_cursor.as_deref(), env.data.is_empty());
        Ok((env.data, next))
    }

    async fn data(&self, path: String) -> Result<Value> {
        let env: wire::DataEnvelope = self.client.send_json(&VendorRequest::get(path)).await?;
        Ok(env.data)
    }

    async fn applications_of(&self, candidate_id: &str, keep: bool) -> Result<Vec<Application>> {
        let mut opts = ListOptions {
            limit: Some(100),
            ignore_remote_data: !keep,
            ..ListOptions::default()
        }
        .for_candidate(candidate_id);
        let mut out = Vec::new();
        loop {
            let page = self.list_applications(&opts).await?;
            out.extend(page.result);
            match page.next_cursor {
                Some(n) => opts.cursor = Some(n),
                None => return Ok(out),
            }
        }
    }

    async fn job_wire(&self, job_id: &str) -> Result<wire::Job> {
        decode(&self.data(format!("/jobs/{}", seg(job_id))).await?)
    }

    async fn move_to(
        &self,
        application_id: &str,
        stage_id: &str,
        reason: Option<&str>,
        remote: Option<&Value>,
    ) -> Result<Application> {
        let mut body = json!({ "stage_id": stage_id });
        if let Some(r) = reason {
            body["rejection_reason"] = json!(r);
        }
        merge_remote_data(&mut body, remote)?;
        let req = VendorRequest::new(
            Method::PUT,
            format!("/applications/{}/stage", seg(application_id)),
        )
        .json(body);
        let env: wire::DataEnvelope = self.client.send_json(&req).await?;
        Ok(map::application(
            &self.ctx(true),
            &decode(&env.data)?,
            &env.data,
        ))
    }

    async fn upload(
        &self,
        candidate_id: &str,
        path: &Path,
        kind: AttachmentType,
        remote: Option<&Value>,
    ) -> Result<Attachment> {
        let file = check_upload(path, MAX_UPLOAD_BYTES).await?;
        let kind = match kind {
            AttachmentType::Resume => "resume",
            AttachmentType::CoverLetter => "cover_letter",
            AttachmentType::Other => "other",
        };
        let mut spec = MultipartSpec::default().field("kind", kind);
        if let Some(Value::Object(extra)) = remote {
            for (k, v) in extra {
                spec = spec.field(
                    k.clone(),
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string()),
                );
            }
        }
        let req = VendorRequest::new(
            Method::POST,
            format!("/candidates/{}/attachments", seg(candidate_id)),
        )
        .multipart(spec.file("file", file));
        let env: wire::DataEnvelope = self.client.send_json(&req).await?;
        Ok(map::attachment(
            &self.ctx(true),
            &decode(&env.data)?,
            &env.data,
        ))
    }
}

#[async_trait]
impl Connector for UnberryConnector {
    fn vendor(&self) -> Vendor {
        V
    }

    fn account_id(&self) -> &str {
        self.client.account_id()
    }

    fn capabilities(&self) -> Capabilities {
        capabilities()
    }

    async fn verify_credentials(&self) -> Result<()> {
        self.client
            .send(&VendorRequest::get("/jobs").query("limit", "1"))
            .await?;
        Ok(())
    }

    /// List items carry `application_ids` only: their applications come from `list_applications`
    /// (or `get_candidate`), not one extra call per person.
    async fn list_candidates(&self, opts: &ListOptions) -> Result<Page<Candidate>> {
        refuse_filters(
            V,
            "candidates",
            &[
                ("job_id", opts.job_id.is_some()),
                ("stage", opts.stage.is_some()),
            ],
        )?;
        let search = opts.search.clone().filter(|s| !s.trim().is_empty());
        let (raw, next) = self.page("/candidates", opts, &[("q", search)]).await?;
        let ctx = self.ctx(opts.keep_remote_data());
        let result = map_each(V, &raw, |w: wire::Candidate, r| {
            map::candidate(&ctx, &w, r, Vec::new())
        })?;
        Ok(Page::new(result, next))
    }

    async fn get_candidate(&self, id: &str) -> Result<Candidate> {
        let raw = self.data(format!("/candidates/{}", seg(id))).await?;
        let w: wire::Candidate = decode(&raw)?;
        let applications = self.applications_of(&w.id, true).await?;
        Ok(map::candidate(&self.ctx(true), &w, &raw, applications))
    }

    async fn list_applications(&self, opts: &ListOptions) -> Result<Page<Application>> {
        refuse_filters(V, "applications", &[("search", opts.search.is_some())])?;
        // Unberry filters by status (active|hired|rejected|withdrawn); a stage id is filtered here.
        let (raw, next) = self
            .page(
                "/applications",
                opts,
                &[
                    ("candidate_id", opts.candidate_id.clone()),
                    ("job_id", opts.job_id.clone()),
                ],
            )
            .await?;
        let ctx = self.ctx(opts.keep_remote_data());
        let mut result = Vec::new();
        for r in &raw {
            let app = map::application(&ctx, &decode(r)?, r);
            if opts
                .stage
                .as_ref()
                .is_none_or(|s| app.current_stage.as_ref().is_some_and(|c| &c.id == s))
            {
                result.push(app);
            }
        }
        Ok(Page::new(result, next))
    }

    async fn get_application(&self, id: &str) -> Result<Application> {
        let raw = self.data(format!("/applications/{}", seg(id))).await?;
        Ok(map::application(&self.ctx(true), &decode(&raw)?, &raw))
    }

    async fn list_jobs(&self, opts: &ListOptions) -> Result<Page<Job>> {
        refuse_filters(
            V,
            "jobs",
            &[
                ("search", opts.search.is_some()),
                ("job_id", opts.job_id.is_some()),
                ("stage", opts.stage.is_some()),
            ],
        )?;
        let (raw, next) = self.page("/jobs", opts, &[]).await?;
        let ctx = self.ctx(opts.keep_remote_data());
        let result = map_each(V, &raw, |w: wire::Job, r| map::job(&ctx, &w, r))?;
        Ok(Page::new(result, next))
    }

    async fn get_job(&self, id: &str) -> Result<Job> {
        let raw = self.data(format!("/jobs/{}", seg(id))).await?;
        Ok(map::job(&self.ctx(true), &decode(&raw)?, &raw))
    }

    async fn list_attachments(&self, opts: &ListOptions) -> Result<Page<Attachment>> {
        let candidate_id = opts.candidate_id.as_deref().ok_or_else(|| {
            Error::validation("Listing Unberry attachments needs a candidate_id.")
        })?;
        let req = VendorRequest::get(format!("/candidates/{}/attachments", seg(candidate_id)))
            .lane(lane(opts));
        let env: wire::ListEnvelope = self.client.send_json(&req).await?;
        let ctx = self.ctx(opts.keep_remote_data());
        let result = env
            .data
            .iter()
            .map(|r| decode::<wire::Attachment>(r).map(|w| map::attachment(&ctx, &w, r)))
            .collect::<Result<_>>()?;
        Ok(Page::last(result))
    }

    async fn get_attachment(&self, id: &str) -> Result<Attachment> {
        let raw = self.data(format!("/attachments/{}", seg(id))).await?;
        Ok(map::attachment(&self.ctx(true), &decode(&raw)?, &raw))
    }

    async fn list_users(&self, opts: &ListOptions) -> Result<Page<User>> {
        refuse_filters(
            V,
            "users",
            &[
                ("search", opts.search.is_some()),
                ("job_id", opts.job_id.is_some()),
                ("stage", opts.stage.is_some()),
                ("updated_after", opts.updated_after.is_some()),
            ],
        )?;
        let env: wire::ListEnvelope = self
            .client
            .send_json(
                &VendorRequest::get("/users")
                    .lane(lane(opts))
                    .queries(&opts.remote_query),
            )
            .await?;
        let ctx = self.ctx(opts.keep_remote_data());
        let result = env
            .data
            .iter()
            .map(|r| decode::<wire::Person>(r).map(|w| map::user(&ctx, &w, r)))
            .collect::<Result<_>>()?;
        Ok(Page {
            result,
            next_cursor: next_cursor(V, env.next_cursor.as_deref(), env.data.is_empty()),
            total: None,
        })
    }

    async fn get_user(&self, id: &str) -> Result<User> {
        // [I] No single-user endpoint: the directory is one short list.
        let users = self.list_users(&ListOptions::default()).await?;
        users
            .result
            .into_iter()
            .find(|u| u.id == id)
            .ok_or_else(|| Error::not_found(format!("Unberry has no user {id}.")))
    }

    /// [I] No roles endpoint: the distinct `role` values of the users.
    async fn list_roles(&self, opts: &ListOptions) -> Result<Page<Role>> {
        let users = self
            .list_users(&ListOptions {
                background: opts.background,
                ..ListOptions::default()
            })
            .await?;
        let mut roles: Vec<Role> = Vec::new();
        for role in users.result.iter().flat_map(|u| u.roles.iter()) {
            if !roles.iter().any(|r| r.id == role.id) {
                roles.push(Role {
                    id: role.id.clone(),
                    account_id: self.client.account_id().to_owned(),
                    vendor: V,
                    name: role.name.clone().unwrap_or_else(|| role.id.clone()),
                    description: None,
                    remote_data: None,
                });
            }
        }
        Ok(Page::last(roles))
    }

    async fn list_groups(&self, _opts: &ListOptions) -> Result<Page<Group>> {
        Err(unsupported(V, "groups"))
    }

    async fn list_job_stages(&self, job_id: Option<&str>) -> Result<Vec<JobStage>> {
        let job_id = job_id
            .ok_or_else(|| Error::validation("Unberry stages belong to a job: give a job id."))?;
        Ok(map::stages(&self.job_wire(job_id).await?, true))
    }

    async fn job_form_fields(&self, _job_id: &str) -> Result<Vec<FormField>> {
        Ok(Vec::new())
    }

    async fn list_assessments(&self, opts: &ListOptions) -> Result<Page<Assessment>> {
        let (raw, next) = self
            .page(
                "/assessments",
                opts,
                &[("candidate_id", opts.candidate_id.clone())],
            )
            .await?;
        let ctx = self.ctx(opts.keep_remote_data());
        let result = map_each(V, &raw, |w: wire::Assessment, r| {
            map::assessment(&ctx, &w, r, None)
        })?;
        Ok(Page::new(result, next))
    }

    async fn get_assessment(&self, id: &str) -> Result<Assessment> {
        let raw = self.data(format!("/assessments/{}", seg(id))).await?;
        Ok(map::assessment(&self.ctx(true), &decode(&raw)?, &raw, None))
    }

    async fn list_interviews(&self, opts: &ListOptions) -> Result<Page<Interview>> {
        let (raw, next) = self
            .page(
                "/interviews",
                opts,
                &[("candidate_id", opts.candidate_id.clone())],
            )
            .await?;
        let ctx = self.ctx(opts.keep_remote_data());
        let result = map_each(V, &raw, |w: wire::Interview, r| map::interview(&ctx, &w, r))?;
        Ok(Page::new(result, next))
    }

    async fn get_interview(&self, id: &str) -> Result<Interview> {
        let raw = self.data(format!("/interviews/{}", seg(id))).await?;
        Ok(map::interview(&self.ctx(true), &decode(&raw)?, &raw))
    }

    async fn create_candidate(&self, input: &CreateCandidate) -> Result<CreateOutcome> {
        let email = input
            .emails
            .first()
            .map(|e| e.email.trim().to_owned())
            .unwrap_or_default();
        let missing: Vec<&str> = [
            ("first_name", input.first_name.trim().is_empty()),
            ("last_name", input.last_name.trim().is_empty()),
            ("emails", email.is_empty()),
        ]
        .into_iter()
        .filter_map(|(f, m)| m.then_some(f))
        .collect();
        if !missing.is_empty() {
            return Err(Error::validation(format!(
                "Unberry requires {} to create a candidate.",
                missing.join(", ")
            )));
        }
        let resume = match &input.resume_path {
            Some(path) => Some(check_upload(path, MAX_UPLOAD_BYTES).await?.path),
            None => None,
        };
        let mut body = json!({ "first_name": input.first_name.trim(), "last_name": input.last_name.trim(), "email": email, "tags": input.tags });
        if let Some(p) = input.phones.first() {
            body["phone"] = json!(p.number);
        }
        merge_remote_data(&mut body, input.remote_data.as_ref())?;
        // A known email is refused with 409 duplicate_candidate: the Conflict error names the existing id.
        let env: wire::DataEnvelope = self
            .client
            .send_json(&VendorRequest::new(Method::POST, "/candidates").json(body))
            .await?;
        let w: wire::Candidate = decode(&env.data)?;
        let application = match &input.job_id {
            Some(job) => {
                let req = VendorRequest::new(Method::POST, "/applications")
                    .json(json!({ "candidate_id": w.id, "job_id": job }));
                let app: wire::DataEnvelope = self.client.send_json(&req).await?;
                Some(map::application(
                    &self.ctx(true),
                    &decode(&app.data)?,
                    &app.data,
                ))
            }
            None => None,
        };
        let resume = match resume {
            Some(path) => Some(
                self.upload(&w.id, &path, AttachmentType::Resume, None)
                    .await?,
            ),
            None => None,
        };
        let mut candidate = map::candidate(
            &self.ctx(true),
            &w,
            &env.data,
            application.iter().cloned().collect(),
        );
        candidate.attachments.extend(resume.clone());
        Ok(CreateOutcome {
            candidate,
            application,
            resume,
            duplicate_of: None,
        })
    }

    async fn add_attachment(&self, input: &AddAttachment) -> Result<Attachment> {
        self.upload(
            &input.candidate_id,
            &input.path,
            input.kind,
            input.remote_data.as_ref(),
        )
        .await
    }

    async fn download_attachment(&self, id: &str, dest: &Path) -> Result<u64> {
        Ok(self
            .client
            .download(
                &VendorRequest::get(format!("/attachments/{}/download", seg(id))),
                dest,
            )
            .await?)
    }

    async fn move_stage(&self, input: &MoveStage) -> Result<Application> {
        self.move_to(
            &input.application_id,
            &input.stage_id,
            None,
            input.remote_data.as_ref(),
        )
        .await
    }

    /// Moves the application to its job's `rejected` stage, with the reason when given.
    async fn reject(&self, input: &Reject) -> Result<Application> {
        let current = self.get_application(&input.application_id).await?;
        let job_id = current
            .job
            .map(|j| j.id)
            .ok_or_else(|| Error::validation("This Unberry application has no job."))?;
        let job = self.job_wire(&job_id).await?;
        let rejected = job
            .stages
            .iter()
            .find(|s| s.kind.as_deref() == Some("rejected"))
            .ok_or_else(|| Error::validation("This Unberry job has no rejected stage."))?;
        self.move_to(
            &input.application_id,
            &rejected.id,
            input.reason_id.as_deref(),
            input.remote_data.as_ref(),
        )
        .await
    }

    async fn proxy(&self, request: &ProxyRequest) -> Result<ProxyResponse> {
        super::proxy::send(&self.client, request).await
    }
    async fn proxy_background(&self, request: &ProxyRequest) -> Result<ProxyResponse> {
        super::proxy::send_in_lane(&self.client, request, Lane::Background).await
    }
}

pub fn capabilities() -> Capabilities {
    let op = OperationSupport::supported;
    use Operation::*;
    let paged = ["cursor", "limit", "updated_after", "remote_query"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        paged.iter().chain(extra).copied().collect()
    };
    Capabilities {
        vendor: V,
        max_upload_bytes: MAX_UPLOAD_BYTES as f64,
        operations: vec![
            op(
                ListCandidates,
                &with(&["search"]),
                &[],
                Some("Provisional API. List items do not embed applications; get_candidate does."),
            ),
            op(GetCandidate, &[], &["id"], None),
            op(
                ListApplications,
                &with(&["candidate_id", "job_id", "stage"]),
                &[],
                None,
            ),
            op(GetApplication, &[], &["id"], None),
            op(ListJobs, &paged, &[], None),
            op(GetJob, &[], &["id"], None),
            op(ListAttachments, &["candidate_id"], &["candidate_id"], None),
            op(GetAttachment, &[], &["id"], None),
            op(DownloadAttachment, &[], &["id"], None),
            op(ListUsers, &["remote_query"], &[], None),
            op(GetUser, &[], &["id"], None),
            op(
                ListRoles,
                &[],
                &[],
                Some("The distinct roles of the users."),
            ),
            OperationSupport {
                operation: ListGroups,
                supported: false,
                supported_fields: vec![],
                required_fields: vec![],
                notes: None,
            },
            op(
                ListJobStages,
                &["job_id"],
                &["job_id"],
                Some("Each job has its own stages."),
            ),
            op(
                ListAssessments,
                &with(&["candidate_id"]),
                &[],
                Some("Scores, percentile, skills and traits."),
            ),
            op(GetAssessment, &[], &["id"], None),
            op(ListInterviews, &with(&["candidate_id"]), &[], None),
            op(GetInterview, &[], &["id"], None),
            op(
                CreateCandidate,
                &[
                    "first_name",
                    "last_name",
                    "emails",
                    "phones",
                    "tags",
                    "job_id",
                    "resume_path",
                    "remote_data",
                ],
                &["first_name", "last_name", "emails"],
                Some(
                    "A known email is refused as a conflict naming the existing candidate. Only open jobs take applications.",
                ),
            ),
            op(
                AddAttachment,
                &["candidate_id", "type", "path"],
                &["candidate_id", "path"],
                Some("Files up to 20 MB."),
            ),
            op(
                MoveStage,
                &["application_id", "stage_id", "remote_data"],
                &["application_id", "stage_id"],
                None,
            ),
            op(
                Reject,
                &["application_id", "reason_id", "remote_data"],
                &["application_id"],
                Some("reason_id is the reason text."),
            ),
            op(Proxy, &[], &["method", "path"], None),
        ],
    }
}
