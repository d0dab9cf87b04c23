//! SmartRecruiters: Customer API on the root host, User API under `/user-api/v201804`.

#[doc(hidden)]
pub mod fuzz;
mod map;
mod wire;

use std::path::Path;

use async_trait::async_trait;
use reqwest::Method;
use serde_json::Value;

use super::common::*;
use super::{Connector, ProxyRequest, ProxyResponse};
use crate::http::{AccountClient, Lane, MultipartSpec, VendorRequest, check_upload};
use crate::model::*;
use crate::{Error, Result, Vendor};

const V: Vendor = Vendor::SmartRecruiters;
const USERS_API: &str = "/user-api/v201804";
/// [I] SR documents no attachment size limit; we refuse files over 25 MB rather than send them
/// and fail after a long upload.
pub const MAX_UPLOAD_BYTES: u64 = 25_000_000;
/// ats-specs §1.3: one `GET /candidates` in flight per credential.
const CANDIDATES_SEARCH: &str = "GET /candidates";

pub struct SmartRecruitersConnector {
    client: AccountClient,
}

fn decode<T: serde::de::DeserializeOwned>(raw: &Value) -> Result<T> {
    decode_json(V, raw)
}

impl SmartRecruitersConnector {
    pub fn new(client: AccountClient) -> Self {
        Self { client }
    }

    fn ctx(&self, keep_remote: bool) -> map::Ctx<'_> {
        map::Ctx {
            account_id: self.client.account_id(),
            keep_remote,
        }
    }

    /// One cursor page of a list endpoint.
    async fn page(
        &self,
        mut req: VendorRequest,
        opts: &ListOptions,
        default_limit: u32,
    ) -> Result<(Vec<Value>, Option<String>, Option<u32>)> {
        req = req
            .query(
                "limit",
                clamp_limit(opts.limit, default_limit, 100).to_string(),
            )
            .lane(lane(opts));
        if let Some(cursor) = &opts.cursor {
            req = req.query("pageId", decode_cursor(V, cursor)?);
        }
        req = req.queries(&opts.remote_query);
        let env: wire::ListEnvelope = self.client.send_json(&req).await?;
        let next = next_cursor(V, env.next_page_id.as_deref(), env.content.is_empty());
        let total = env.total_found.and_then(|t| u32::try_from(t).ok());
        Ok((env.content, next, total))
    }

    async fn candidate_search(
        &self,
        opts: &ListOptions,
    ) -> Result<(
        Vec<wire::Candidate>,
        Vec<Value>,
        Option<String>,
        Option<u32>,
    )> {
        let req = VendorRequest::get("/candidates")
            .single_flight(CANDIDATES_SEARCH)
            .query_opt("q", opts.search.clone())
            .query_opt("jobId", opts.job_id.clone())
            .query_opt("status", opts.stage.clone())
            .query_opt("updatedAfter", opts.updated_after.map(iso_millis));
        let (raw, next, total) = self.page(req, opts, 100).await?;
        let wires = raw
            .iter()
            .map(decode)
            .collect::<Result<Vec<wire::Candidate>>>()?;
        Ok((wires, raw, next, total))
    }

    async fn application_detail(
        &self,
        candidate_id: &str,
        job_id: &str,
        job_title: Option<String>,
        keep: bool,
    ) -> Result<Application> {
        let raw: Value = self
            .client
            .send_json(&VendorRequest::get(format!(
                "/candidates/{}/jobs/{}",
                seg(candidate_id),
                seg(job_id)
            )))
            .await?;
        let w: wire::JobApplication = decode(&raw)?;
        Ok(map::application(
            &self.ctx(keep),
            candidate_id,
            job_id,
            job_title,
            &w,
            Some(raw),
        ))
    }

    async fn set_status(
        &self,
        application_id: &str,
        status: &str,
        reason: Option<&str>,
        remote: Option<&Value>,
    ) -> Result<Application> {
        let (candidate_id, job_id) = split_pair(application_id, "SmartRecruiters application")?;
        let mut body = serde_json::json!({ "status": status });
        if let Some(reason) = reason {
            body["reason"] = Value::String(reason.to_owned());
        }
        merge_remote_data(&mut body, remote)?;
        let req = VendorRequest::new(
            Method::PUT,
            format!(
                "/candidates/{}/jobs/{}/status",
                seg(candidate_id),
                seg(job_id)
            ),
        )
        .json(body);
        self.client.send(&req).await?;
        self.application_detail(candidate_id, job_id, None, true)
            .await
    }

    async fn upload(
        &self,
        candidate_id: &str,
        job_id: Option<&str>,
        path: &Path,
        kind: AttachmentType,
        remote: Option<&Value>,
    ) -> Result<Attachment> {
        let file = check_upload(path, MAX_UPLOAD_BYTES).await?;
        let sr_kind = match kind {
            AttachmentType::Resume => "RESUME",
            AttachmentType::CoverLetter => "COVER_LETTER",
            AttachmentType::Other => "GENERIC_FILE",
        };
        let mut spec = MultipartSpec::default().field("attachmentType", sr_kind);
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
        let spec = spec.file("file", file);
        let path = match job_id {
            Some(job) => format!(
                "/candidates/{}/jobs/{}/attachments",
                seg(candidate_id),
                seg(job)
            ),
            None => format!("/candidates/{}/attachments", seg(candidate_id)),
        };
        let raw: Value = self
            .client
            .send_json(&VendorRequest::new(Method::POST, path).multipart(spec))
            .await?;
        let w: wire::Attachment = decode(&raw)?;
        let application_id = job_id.map(|j| format!("{candidate_id}:{j}"));
        Ok(map::attachment(
            &self.ctx(true),
            candidate_id,
            application_id.as_deref(),
            &w,
            &raw,
        ))
    }
}

fn create_body(input: &CreateCandidate) -> Result<Value> {
    let email = input
        .emails
        .first()
        .map(|e| e.email.trim().to_owned())
        .filter(|e| !e.is_empty());
    let missing: Vec<&str> = [
        ("first_name", input.first_name.trim().is_empty()),
        ("last_name", input.last_name.trim().is_empty()),
        ("emails", email.is_none()),
    ]
    .into_iter()
    .filter_map(|(f, m)| m.then_some(f))
    .collect();
    if !missing.is_empty() {
        return Err(Error::validation(format!(
            "SmartRecruiters requires {} to create a candidate.",
            missing.join(", ")
        )));
    }
    let mut web = wire::Web::default();
    for link in &input.urls {
        let slot = match link
            .kind
            .as_deref()
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "linkedin" => &mut web.linkedin,
            "twitter" => &mut web.twitter,
            "facebook" => &mut web.facebook,
            "skype" => &mut web.skype,
            _ => &mut web.website,
        };
        slot.get_or_insert_with(|| link.url.clone());
    }
    let has_web = web != wire::Web::default();
    let experience = match (&input.title, &input.company) {
        (None, None) => Vec::new(),
        (title, company) => vec![wire::Experience {
            title: title.clone(),
            company: company.clone(),
            current: Some(true),
        }],
    };
    let body = wire::CandidateInput {
        first_name: input.first_name.trim().to_owned(),
        last_name: input.last_name.trim().to_owned(),
        email: email.unwrap_or_default(),
        phone_number: input.phones.first().map(|p| p.number.clone()),
        web: has_web.then_some(web),
        tags: input.tags.clone(),
        experience,
    };
    let mut body = serde_json::to_value(body).map_err(|e| Error::internal(e.to_string()))?;
    merge_remote_data(&mut body, input.remote_data.as_ref())?;
    Ok(body)
}

#[async_trait]
impl Connector for SmartRecruitersConnector {
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

    async fn list_candidates(&self, opts: &ListOptions) -> Result<Page<Candidate>> {
        let (wires, raw, next, total) = self.candidate_search(opts).await?;
        let ctx = self.ctx(opts.keep_remote_data());
        Ok(Page {
            result: wires
                .iter()
                .zip(&raw)
                .map(|(w, r)| map::candidate(&ctx, w, r))
                .collect(),
            next_cursor: next,
            total,
        })
    }

    async fn get_candidate(&self, id: &str) -> Result<Candidate> {
        let raw: Value = self
            .client
            .send_json(&VendorRequest::get(format!("/candidates/{}", seg(id))))
            .await?;
        let w: wire::Candidate = decode(&raw)?;
        Ok(map::candidate(&self.ctx(true), &w, &raw))
    }

    /// Applications come with the candidates that hold them: SR has no application list.
    /// List items name the job of secondary assignments but not always their status; those are
    /// read one by one.
    async fn list_applications(&self, opts: &ListOptions) -> Result<Page<Application>> {
        // `totalFound` counts candidates, not their applications.
        let (wires, _raw, next, _candidates) = self.candidate_search(opts).await?;
        let keep = opts.keep_remote_data();
        let ctx = self.ctx(keep);
        let mut result = Vec::new();
        for w in &wires {
            if opts.candidate_id.as_deref().is_some_and(|c| c != w.id) {
                continue;
            }
            for a in w.primary_assignment.iter().chain(&w.secondary_assignments) {
                let Some(job) = &a.job else { continue };
                if opts.job_id.as_deref().is_some_and(|j| j != job.id) {
                    continue;
                }
                // SR matches `status` against any of the candidate's assignments: keep only those in it.
                if let (Some(stage), Some(status)) = (&opts.stage, &a.status)
                    && !stage.eq_ignore_ascii_case(status)
                {
                    continue;
                }
                if a.status.is_some() {
                    result.extend(map::assignment(&ctx, &w.id, a));
                } else {
                    result.push(
                        self.application_detail(&w.id, &job.id, job.title.clone(), keep)
                            .await?,
                    );
                }
            }
        }
        Ok(Page::new(result, next))
    }

    async fn get_application(&self, id: &str) -> Result<Application> {
        let (candidate_id, job_id) = split_pair(id, "SmartRecruiters application")?;
        self.application_detail(candidate_id, job_id, None, true)
            .await
    }

    async fn list_jobs(&self, opts: &ListOptions) -> Result<Page<Job>> {
        refuse_filters(
            V,
            "jobs",
            &[
                ("stage", opts.stage.is_some()),
                ("job_id", opts.job_id.is_some()),
            ],
        )?;
        let req = VendorRequest::get("/jobs")
            .query_opt("q", opts.search.clone())
            .query_opt("updatedAfter", opts.updated_after.map(iso_millis));
        let (raw, next, total) = self.page(req, opts, 100).await?;
        let ctx = self.ctx(opts.keep_remote_data());
        let result = map_each(V, &raw, |w: wire::Job, r| map::job(&ctx, &w, r))?;
        Ok(Page {
            result,
            next_cursor: next,
            total,
        })
    }

    async fn get_job(&self, id: &str) -> Result<Job> {
        let raw: Value = self
            .client
            .send_json(&VendorRequest::get(format!("/jobs/{}", seg(id))))
            .await?;
        let w: wire::Job = decode(&raw)?;
        Ok(map::job(&self.ctx(true), &w, &raw))
    }

    async fn list_attachments(&self, opts: &ListOptions) -> Result<Page<Attachment>> {
        let candidate_id = opts.candidate_id.as_deref().ok_or_else(|| {
            Error::validation("Listing SmartRecruiters attachments needs a candidate_id.")
        })?;
        let path = match &opts.job_id {
            Some(job) => format!(
                "/candidates/{}/jobs/{}/attachments",
                seg(candidate_id),
                seg(job)
            ),
            None => format!("/candidates/{}/attachments", seg(candidate_id)),
        };
        let req = VendorRequest::get(path)
            .lane(lane(opts))
            .queries(&opts.remote_query);
        let raw = wire::items(self.client.send_json(&req).await?);
        let ctx = self.ctx(opts.keep_remote_data());
        let application_id = opts.job_id.as_ref().map(|j| format!("{candidate_id}:{j}"));
        let result = raw
            .iter()
            .map(|r| {
                decode::<wire::Attachment>(r)
                    .map(|w| map::attachment(&ctx, candidate_id, application_id.as_deref(), &w, r))
            })
            .collect::<Result<_>>()?;
        Ok(Page::last(result))
    }

    async fn get_attachment(&self, id: &str) -> Result<Attachment> {
        let (candidate_id, _) = split_pair(id, "SmartRecruiters attachment")?;
        let page = self
            .list_attachments(&ListOptions::default().for_candidate(candidate_id))
            .await?;
        page.result
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| Error::not_found(format!("SmartRecruiters has no attachment {id}.")))
    }

    async fn list_users(&self, opts: &ListOptions) -> Result<Page<User>> {
        refuse_filters(
            V,
            "users",
            &[
                ("stage", opts.stage.is_some()),
                ("job_id", opts.job_id.is_some()),
            ],
        )?;
        let req = VendorRequest::get(format!("{USERS_API}/users"))
            .query_opt("q", opts.search.clone())
            .query_opt("updatedAfter", opts.updated_after.map(iso_millis));
        let (raw, next, total) = self.page(req, opts, 100).await?;
        let ctx = self.ctx(opts.keep_remote_data());
        let result = map_each(V, &raw, |w: wire::User, r| map::user(&ctx, &w, r))?;
        Ok(Page {
            result,
            next_cursor: next,
            total,
        })
    }

    async fn get_user(&self, id: &str) -> Result<User> {
        let raw: Value = self
            .client
            .send_json(&VendorRequest::get(format!(
                "{USERS_API}/users/{}",
                seg(id)
            )))
            .await?;
        let w: wire::User = decode(&raw)?;
        Ok(map::user(&self.ctx(true), &w, &raw))
    }

    async fn list_roles(&self, opts: &ListOptions) -> Result<Page<Role>> {
        let req = VendorRequest::get(format!("{USERS_API}/system-roles"))
            .lane(lane(opts))
            .queries(&opts.remote_query);
        let raw = wire::items(self.client.send_json(&req).await?);
        let ctx = self.ctx(opts.keep_remote_data());
        let result = map_each(V, &raw, |w: wire::IdName, r| map::role(&ctx, &w, r))?;
        Ok(Page::last(result))
    }

    async fn list_groups(&self, opts: &ListOptions) -> Result<Page<Group>> {
        let req = VendorRequest::get(format!("{USERS_API}/access-groups"))
            .lane(lane(opts))
            .queries(&opts.remote_query);
        let raw = wire::items(self.client.send_json(&req).await?);
        let ctx = self.ctx(opts.keep_remote_data());
        let result = map_each(V, &raw, |w: wire::IdName, r| map::group(&ctx, &w, r))?;
        Ok(Page::last(result))
    }

    async fn list_job_stages(&self, job_id: Option<&str>) -> Result<Vec<JobStage>> {
        // SR's application statuses are one fixed set for every job (ats-specs §1.5).
        Ok(map::job_stages(job_id))
    }

    async fn job_form_fields(&self, _job_id: &str) -> Result<Vec<FormField>> {
        // The API create takes no screening answers; only the career-site apply API does.
        Ok(Vec::new())
    }

    async fn create_candidate(&self, input: &CreateCandidate) -> Result<CreateOutcome> {
        let body = create_body(input)?;
        let resume = match &input.resume_path {
            Some(path) => Some(check_upload(path, MAX_UPLOAD_BYTES).await?.path),
            None => None,
        };
        let path = match &input.job_id {
            Some(job) => format!("/jobs/{}/candidates", seg(job)),
            None => "/candidates".to_owned(),
        };
        let raw: Value = self
            .client
            .send_json(&VendorRequest::new(Method::POST, path).json(body))
            .await?;
        let w: wire::Candidate = decode(&raw)?;
        let mut application = None;
        if let Some(job) = &input.job_id {
            let app_id = format!("{}:{job}", w.id);
            application = Some(match input.application_source {
                Some(ApplicationSource::Lead) => {
                    self.set_status(&app_id, "LEAD", None, None).await?
                }
                _ => self.application_detail(&w.id, job, None, true).await?,
            });
        }
        let resume = match resume {
            Some(path) => Some(
                self.upload(
                    &w.id,
                    input.job_id.as_deref(),
                    &path,
                    AttachmentType::Resume,
                    None,
                )
                .await?,
            ),
            None => None,
        };
        let mut candidate = map::candidate(&self.ctx(true), &w, &raw);
        candidate.attachments.extend(resume.clone());
        Ok(CreateOutcome {
            candidate,
            application,
            resume,
            duplicate_of: None,
        })
    }

    async fn add_attachment(&self, input: &AddAttachment) -> Result<Attachment> {
        let job_id = match &input.application_id {
            Some(app) => Some(split_pair(app, "SmartRecruiters application")?.1),
            None => None,
        };
        self.upload(
            &input.candidate_id,
            job_id,
            &input.path,
            input.kind,
            input.remote_data.as_ref(),
        )
        .await
    }

    async fn download_attachment(&self, id: &str, dest: &Path) -> Result<u64> {
        let (candidate_id, attachment_id) = split_pair(id, "SmartRecruiters attachment")?;
        let req = VendorRequest::get(format!(
            "/candidates/{}/attachments/{}",
            seg(candidate_id),
            seg(attachment_id)
        ));
        Ok(self.client.download(&req, dest).await?)
    }

    async fn move_stage(&self, input: &MoveStage) -> Result<Application> {
        let status = input.stage_id.trim().to_ascii_uppercase();
        if !map::STATUSES.iter().any(|(s, _)| *s == status) {
            return Err(Error::validation(format!(
                "\"{}\" is not a SmartRecruiters status; use one of {}.",
                input.stage_id,
                map::STATUSES
                    .iter()
                    .map(|(s, _)| *s)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        self.set_status(
            &input.application_id,
            &status,
            None,
            input.remote_data.as_ref(),
        )
        .await
    }

    async fn reject(&self, input: &Reject) -> Result<Application> {
        self.set_status(
            &input.application_id,
            "REJECTED",
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
    let paged = ["cursor", "limit", "remote_query"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        paged.iter().chain(extra).copied().collect()
    };
    Capabilities {
        vendor: V,
        max_upload_bytes: MAX_UPLOAD_BYTES as f64,
        operations: vec![
            op(
                ListCandidates,
                &with(&["search", "job_id", "stage", "updated_after"]),
                &[],
                Some(
                    "Only candidates with at least one job application are listed; one list call in flight at a time.",
                ),
            ),
            op(GetCandidate, &[], &["id"], None),
            op(
                ListApplications,
                &with(&["search", "job_id", "stage", "updated_after", "candidate_id"]),
                &[],
                Some("Read through the candidates that hold them."),
            ),
            op(GetApplication, &[], &["id"], None),
            op(ListJobs, &with(&["search", "updated_after"]), &[], None),
            op(GetJob, &[], &["id"], None),
            op(
                ListAttachments,
                &["candidate_id", "job_id", "remote_query"],
                &["candidate_id"],
                None,
            ),
            op(GetAttachment, &[], &["id"], None),
            op(DownloadAttachment, &[], &["id"], None),
            op(ListUsers, &with(&["search", "updated_after"]), &[], None),
            op(GetUser, &[], &["id"], None),
            op(ListRoles, &["remote_query"], &[], Some("System roles.")),
            op(ListGroups, &["remote_query"], &[], Some("Access groups.")),
            op(
                ListJobStages,
                &["job_id"],
                &[],
                Some("The fixed SmartRecruiters status set."),
            ),
            OperationSupport {
                operation: ListAssessments,
                supported: false,
                supported_fields: vec![],
                required_fields: vec![],
                notes: None,
            },
            OperationSupport {
                operation: GetAssessment,
                supported: false,
                supported_fields: vec![],
                required_fields: vec![],
                notes: None,
            },
            OperationSupport {
                operation: ListInterviews,
                supported: false,
                supported_fields: vec![],
                required_fields: vec![],
                notes: None,
            },
            OperationSupport {
                operation: GetInterview,
                supported: false,
                supported_fields: vec![],
                required_fields: vec![],
                notes: None,
            },
            op(
                CreateCandidate,
                &[
                    "first_name",
                    "last_name",
                    "emails",
                    "phones",
                    "urls",
                    "title",
                    "company",
                    "tags",
                    "job_id",
                    "application_source",
                    "resume_path",
                    "remote_data",
                ],
                &["first_name", "last_name", "emails"],
                Some(
                    "Only the first email and phone are kept. application_source lead puts the application in LEAD. Location goes through remote_data.location.",
                ),
            ),
            op(
                AddAttachment,
                &["candidate_id", "application_id", "type", "path"],
                &["candidate_id", "path"],
                Some("Files up to 25 MB."),
            ),
            op(
                MoveStage,
                &["application_id", "stage_id", "remote_data"],
                &["application_id", "stage_id"],
                Some("remote_data can carry subStatus."),
            ),
            op(
                Reject,
                &["application_id", "reason_id", "remote_data"],
                &["application_id"],
                None,
            ),
            op(Proxy, &[], &["method", "path"], None),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_body_follows_candidate_input_and_merges_remote_data() {
        let input = CreateCandidate {
            first_name: " Zoë ".into(),
            last_name: "Ærø".into(),
            emails: vec![Email {
                email: "zoe@example.com".into(),
                kind: None,
            }],
            urls: vec![Link {
                url: "https://linkedin.com/in/zoe".into(),
                kind: Some("LinkedIn".into()),
            }],
            title: Some("Engineer".into()),
            remote_data: Some(serde_json::json!({"internal": true, "location": {"city": "Oslo"}})),
            ..CreateCandidate::default()
        };
        let body = create_body(&input).expect("valid");
        assert_eq!(body["firstName"], "Zoë");
        assert_eq!(body["email"], "zoe@example.com");
        assert_eq!(body["web"]["linkedin"], "https://linkedin.com/in/zoe");
        assert_eq!(body["experience"][0]["title"], "Engineer");
        assert_eq!(body["internal"], true);
        assert_eq!(body["location"]["city"], "Oslo");
    }

    #[test]
    fn create_refuses_what_sr_requires() {
        let err = create_body(&CreateCandidate {
            first_name: "A".into(),
            ..Default::default()
        })
        .expect_err("missing");
        assert_eq!(err.kind, crate::ErrorKind::Validation);
        assert!(err.message.contains("last_name, emails"), "{}", err.message);
    }
}
