//! Lever Data API v1: opportunities are applications, their contact is the person.

#[doc(hidden)]
pub mod fuzz;
mod map;
mod wire;

use std::collections::HashMap;
use std::path::Path;

use async_trait::async_trait;
use reqwest::Method;
use serde_json::{Value, json};
use tokio::sync::OnceCell;

use super::common::*;
use super::{Connector, ProxyRequest, ProxyResponse};
use crate::http::{AccountClient, Lane, MultipartSpec, VendorRequest, check_upload};
use crate::model::*;
use crate::{Error, Result, Vendor};

const V: Vendor = Vendor::Lever;
/// ats-specs §2.4: files and uploads up to 30 MB.
pub const MAX_UPLOAD_BYTES: u64 = 30_000_000;

pub struct LeverConnector {
    client: AccountClient,
    archive_reasons: OnceCell<HashMap<String, wire::ArchiveReason>>,
    stage_names: OnceCell<HashMap<String, String>>,
}

fn decode<T: serde::de::DeserializeOwned>(raw: &Value) -> Result<T> {
    decode_json(V, raw)
}

fn perform_as(value: &Option<String>, what: &str) -> Result<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::validation(format!(
                "Lever needs perform_as (the Lever user acting) to {what}."
            ))
        })
}

/// `<opportunity>:<file|resume>:<id>`.
fn parse_attachment_id(id: &str) -> Result<(&str, &str, &str)> {
    let mut parts = id.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(o), Some(k @ (map::FILE | map::RESUME)), Some(f))
            if !o.is_empty() && !f.is_empty() =>
        {
            Ok((o, k, f))
        }
        _ => Err(Error::validation(format!(
            "\"{id}\" is not a valid Lever attachment id."
        ))),
    }
}

impl LeverConnector {
    pub fn new(client: AccountClient) -> Self {
        Self {
            client,
            archive_reasons: OnceCell::new(),
            stage_names: OnceCell::new(),
        }
    }

    /// Archive reasons tell hired from rejected. Without them an archived opportunity is only
    /// "archived"; a failure to read them is logged, not fatal.
    async fn reasons(&self) -> Option<&HashMap<String, wire::ArchiveReason>> {
        let loaded = self
            .archive_reasons
            .get_or_try_init(|| async {
                let env: wire::ListEnvelope = self
                    .client
                    .send_json(&VendorRequest::get("/archive_reasons"))
                    .await?;
                let map = env
                    .data
                    .iter()
                    .filter_map(|r| serde_json::from_value::<wire::ArchiveReason>(r.clone()).ok())
                    .map(|r| (r.id.clone(), r))
                    .collect();
                Ok::<_, Error>(map)
            })
            .await;
        match loaded {
            Ok(map) => Some(map),
            Err(e) => {
                tracing::warn!(error = %e, "could not read Lever archive reasons");
                None
            }
        }
    }

    async fn stage_names(&self) -> Option<&HashMap<String, String>> {
        self.stage_names
            .get_or_try_init(|| async {
                let stages = self.fetch_stages(Lane::Interactive).await?;
                Ok::<_, Error>(stages.into_iter().map(|s| (s.id, s.name)).collect())
            })
            .await
            .ok()
    }

    async fn fetch_stages(&self, lane: Lane) -> Result<Vec<JobStage>> {
        let mut out = Vec::new();
        let mut offset: Option<String> = None;
        loop {
            let req = VendorRequest::get("/stages")
                .query("limit", "100")
                .query_opt("offset", offset.clone())
                .lane(lane);
            let env: wire::ListEnvelope = self.client.send_json(&req).await?;
            for raw in &env.data {
                let s: wire::Stage = decode(raw)?;
                out.push(map::stage(&s, out.len(), raw, true));
            }
            match next_cursor(V, env.next.as_deref(), env.data.is_empty()) {
                Some(_) => offset = env.next,
                None => return Ok(out),
            }
        }
    }

    async fn ctx(&self, keep_remote: bool, archived_present: bool) -> map::Ctx<'_> {
        map::Ctx {
            account_id: self.client.account_id(),
            keep_remote,
            archive_reasons: if archived_present {
                self.reasons().await
            } else {
                None
            },
            stage_names: None,
        }
    }

    /// Sends one page of a Lever list (`offset` from the cursor, the caller's raw query
    /// parameters last) and returns its items with the next cursor.
    async fn list_page(
        &self,
        mut req: VendorRequest,
        opts: &ListOptions,
    ) -> Result<(Vec<Value>, Option<String>)> {
        if let Some(cursor) = &opts.cursor {
            req = req.query("offset", decode_cursor(V, cursor)?);
        }
        let env: wire::ListEnvelope = self
            .client
            .send_json(&req.queries(&opts.remote_query))
            .await?;
        let next = if env.has_next == Some(false) {
            None
        } else {
            next_cursor(V, env.next.as_deref(), env.data.is_empty())
        };
        Ok((env.data, next))
    }

    /// One page of `GET /opportunities`, expanded so stages and postings come with names and ids.
    async fn opportunities(
        &self,
        opts: &ListOptions,
        extra: &[(&str, String)],
    ) -> Result<(Vec<(wire::Opportunity, Value)>, Option<String>)> {
        let mut req = VendorRequest::get("/opportunities")
            .query("limit", clamp_limit(opts.limit, 100, 100).to_string())
            .query("expand", "applications")
            .query("expand", "stage")
            .query_opt("posting_id", opts.job_id.clone())
            .query_opt("stage_id", opts.stage.clone())
            .query_opt("contact_id", opts.candidate_id.clone())
            .query_opt("updated_at_start", opts.updated_after.map(to_millis))
            .lane(lane(opts));
        if let Some(search) = opts
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            if !search.contains('@') {
                return Err(Error::validation(
                    "Lever can only search opportunities by an exact email address.",
                ));
            }
            req = req.query("email", search);
        }
        for (k, v) in extra {
            req = req.query(*k, v.clone());
        }
        let (data, next) = self.list_page(req, opts).await?;
        let items = data
            .into_iter()
            .map(|raw| decode::<wire::Opportunity>(&raw).map(|o| (o, raw)))
            .collect::<Result<Vec<_>>>()?;
        Ok((items, next))
    }

    /// Every opportunity of one contact (or matching `extra`), all pages.
    async fn all_opportunities(
        &self,
        opts: &ListOptions,
        extra: &[(&str, String)],
    ) -> Result<Vec<(wire::Opportunity, Value)>> {
        let mut opts = opts.clone();
        let mut out = Vec::new();
        loop {
            let (items, next) = self.opportunities(&opts, extra).await?;
            out.extend(items);
            match next {
                Some(n) if opts.cursor.as_ref() != Some(&n) => opts.cursor = Some(n),
                _ => return Ok(out),
            }
        }
    }

    async fn opportunity(&self, id: &str) -> Result<(wire::Opportunity, Value)> {
        let req = VendorRequest::get(format!("/opportunities/{}", seg(id)))
            .query("expand", "applications")
            .query("expand", "stage");
        let env: wire::DataEnvelope = self.client.send_json(&req).await?;
        Ok((decode(&env.data)?, env.data))
    }

    async fn to_application(&self, o: &wire::Opportunity, raw: &Value) -> Application {
        let mut ctx = self.ctx(true, o.archived.is_some()).await;
        if matches!(o.stage, Some(wire::IdOr::Id(_))) {
            ctx.stage_names = self.stage_names().await;
        }
        map::application(&ctx, o, raw)
    }

    async fn list_files_of(
        &self,
        contact: &str,
        opportunity: &str,
        ctx: &map::Ctx<'_>,
        out: &mut Vec<Attachment>,
        lane: Lane,
    ) -> Result<()> {
        let files: wire::ListEnvelope = self
            .client
            .send_json(
                &VendorRequest::get(format!("/opportunities/{}/files", seg(opportunity)))
                    .lane(lane),
            )
            .await?;
        for raw in &files.data {
            out.extend(map::file(ctx, contact, opportunity, &decode(raw)?, raw));
        }
        let resumes: wire::ListEnvelope = self
            .client
            .send_json(
                &VendorRequest::get(format!("/opportunities/{}/resumes", seg(opportunity)))
                    .lane(lane),
            )
            .await?;
        for raw in &resumes.data {
            out.push(map::resume(ctx, contact, opportunity, &decode(raw)?, raw));
        }
        Ok(())
    }

    async fn apply_form(&self, posting: &str) -> Result<wire::ApplyForm> {
        let env: wire::DataEnvelope = self
            .client
            .send_json(&VendorRequest::get(format!(
                "/postings/{}/apply",
                seg(posting)
            )))
            .await?;
        decode(&env.data)
    }

    /// Applying as the candidate: through the posting's application form, answering its
    /// questions (ats-specs §2.4 `POST /postings/{id}/apply`).
    async fn apply_to_posting(
        &self,
        input: &CreateCandidate,
        posting: &str,
        resume: Option<crate::http::CheckedFile>,
    ) -> Result<CreateOutcome> {
        let form = self.apply_form(posting).await?;
        let email = input
            .emails
            .first()
            .map(|e| e.email.clone())
            .unwrap_or_default();
        let name = join_name(&input.first_name, &input.last_name);
        let mut missing: Vec<String> = Vec::new();
        for p in form.personal_information.iter().filter(|p| p.required) {
            let have = match p.name.as_str() {
                "fullName" => !name.is_empty(),
                "email" => !email.is_empty(),
                "phone" => !input.phones.is_empty(),
                "resume" => resume.is_some(),
                "currentCompany" => input.company.is_some(),
                "currentLocation" => input.location.is_some(),
                _ => true,
            };
            if !have {
                missing.push(p.text.clone().unwrap_or_else(|| p.name.clone()));
            }
        }
        let mut custom_questions = Vec::new();
        for q in &form.custom_questions {
            let mut fields = Vec::new();
            for (i, f) in q.fields.iter().enumerate() {
                let field_id = f.id.clone().unwrap_or_else(|| i.to_string());
                let answer = input
                    .job_form_field_answers
                    .iter()
                    .find(|a| a.question_id == q.id && a.field_id == field_id)
                    .map(|a| a.value.clone());
                if f.required && answer.as_deref().is_none_or(|a| a.trim().is_empty()) {
                    missing.push(
                        f.text
                            .clone()
                            .or_else(|| q.text.clone())
                            .unwrap_or(field_id),
                    );
                }
                fields.push(json!({ "value": answer.map(Value::String).unwrap_or(Value::Null) }));
            }
            custom_questions.push(json!({ "id": q.id, "fields": fields }));
        }
        if !missing.is_empty() {
            return Err(Error::validation(format!(
                "This Lever posting requires answers to: {}.",
                missing.join("; ")
            )));
        }
        let existing = self.contact_by_email(&email).await?;
        let mut personal = vec![
            json!({"name": "fullName", "value": name}),
            json!({"name": "email", "value": email}),
        ];
        if let Some(p) = input.phones.first() {
            personal.push(json!({"name": "phone", "value": p.number}));
        }
        if let Some(c) = &input.company {
            personal.push(json!({"name": "currentCompany", "value": c}));
        }
        if let Some(l) = &input.location {
            personal.push(json!({"name": "currentLocation", "value": l}));
        }
        if let Some(file) = resume {
            let env: wire::DataEnvelope = self
                .client
                .send_json(
                    &VendorRequest::new(Method::POST, "/uploads")
                        .multipart(MultipartSpec::default().file("file", file)),
                )
                .await?;
            let uri = env
                .data
                .get("uri")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            personal.push(json!({"name": "resume", "value": uri}));
        }
        let urls: Vec<Value> = input.urls.iter().map(|u| json!({"name": u.kind.clone().unwrap_or_else(|| "Other".into()), "value": u.url})).collect();
        let mut body = json!({ "personalInformation": personal, "customQuestions": custom_questions, "urls": urls, "origin": "applied" });
        merge_remote_data(&mut body, input.remote_data.as_ref())?;
        let env: wire::DataEnvelope = self
            .client
            .send_json(
                &VendorRequest::new(Method::POST, format!("/postings/{}/apply", seg(posting)))
                    .json(body),
            )
            .await?;
        let application_id = env
            .data
            .get("applicationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        // The apply answer names only the application: find its opportunity by email and posting.
        let found = self
            .all_opportunities(
                &ListOptions::default().for_job(posting),
                &[("email", email.clone())],
            )
            .await?;
        let opportunity = found
            .iter()
            .find(|(o, _)| {
                o.applications.iter().any(|a| match a {
                    wire::IdOr::Id(id) => *id == application_id,
                    wire::IdOr::Expanded(a) => a.id == application_id,
                })
            })
            .or_else(|| {
                found.iter().max_by(|a, b| {
                    a.0.created_at
                        .unwrap_or(0.0)
                        .total_cmp(&b.0.created_at.unwrap_or(0.0))
                })
            })
            .ok_or_else(|| {
                Error::new(
                    crate::ErrorKind::Vendor,
                    "Lever accepted the application but its opportunity cannot be found yet.",
                )
            })?;
        let application = self.to_application(&opportunity.0, &opportunity.1).await;
        let mut candidate = self.get_candidate(&opportunity.0.contact).await?;
        let resume = self
            .latest_resume(&opportunity.0.contact, &opportunity.0.id)
            .await?;
        candidate.attachments.extend(resume.clone());
        Ok(CreateOutcome {
            duplicate_of: existing.filter(|c| *c == candidate.id),
            candidate,
            application: Some(application),
            resume,
        })
    }

    async fn contact_by_email(&self, email: &str) -> Result<Option<String>> {
        if email.is_empty() {
            return Ok(None);
        }
        let (found, _) = self
            .opportunities(
                &ListOptions::default().with_limit(1),
                &[("email", email.to_owned())],
            )
            .await?;
        Ok(found.first().map(|(o, _)| o.contact.clone()))
    }

    async fn latest_resume(&self, contact: &str, opportunity: &str) -> Result<Option<Attachment>> {
        let ctx = self.ctx(true, false).await;
        let env: wire::ListEnvelope = self
            .client
            .send_json(&VendorRequest::get(format!(
                "/opportunities/{}/resumes",
                seg(opportunity)
            )))
            .await?;
        let mut resumes = Vec::new();
        for raw in &env.data {
            resumes.push(map::resume(&ctx, contact, opportunity, &decode(raw)?, raw));
        }
        Ok(resumes.into_iter().max_by_key(|r| r.created_at))
    }

    /// Sourcing (or applying without a posting form): `POST /opportunities`, multipart when a
    /// resume goes with it. Lever dedupes by email and says so with `deduped`.
    async fn create_opportunity(
        &self,
        input: &CreateCandidate,
        actor: &str,
        resume: Option<crate::http::CheckedFile>,
    ) -> Result<CreateOutcome> {
        let origin = match (input.application_source, &input.job_id) {
            (Some(ApplicationSource::Lead), _) | (None, None) => "sourced",
            _ => "applied",
        };
        let name = join_name(&input.first_name, &input.last_name);
        let mut body = json!({
            "name": name,
            "emails": input.emails.iter().map(|e| e.email.clone()).collect::<Vec<_>>(),
            "phones": input.phones.iter().map(|p| json!({"type": p.kind.clone().unwrap_or_else(|| "other".into()), "value": p.number})).collect::<Vec<_>>(),
            "links": input.urls.iter().map(|u| u.url.clone()).collect::<Vec<_>>(),
            "tags": input.tags,
            "origin": origin,
        });
        if let Some(t) = &input.title {
            body["headline"] = json!(t);
        }
        if let Some(l) = &input.location {
            body["location"] = json!(l);
        }
        if let Some(job) = &input.job_id {
            body["postings"] = json!([job]);
        }
        merge_remote_data(&mut body, input.remote_data.as_ref())?;
        let mut req = VendorRequest::new(Method::POST, "/opportunities").query("perform_as", actor);
        req = match resume {
            Some(file) => req.multipart(multipart_from_json(&body).file("resumeFile", file)),
            None => req.json(body),
        };
        let env: wire::DataEnvelope = self.client.send_json(&req).await?;
        let o: wire::Opportunity = decode(&env.data)?;
        let application = self.to_application(&o, &env.data).await;
        let mut candidate = self.get_candidate(&o.contact).await?;
        let resume = if input.resume_path.is_some() {
            self.latest_resume(&o.contact, &o.id).await?
        } else {
            None
        };
        candidate.attachments.extend(resume.clone());
        Ok(CreateOutcome {
            duplicate_of: (env.deduped == Some(true)).then(|| o.contact.clone()),
            candidate,
            application: Some(application),
            resume,
        })
    }
}

/// A JSON create body as multipart fields: arrays as `name[]`, objects in arrays as
/// `name[i][key]` ([I] Lever documents `emails[]` and `archived[reason]`).
fn multipart_from_json(body: &Value) -> MultipartSpec {
    let mut spec = MultipartSpec::default();
    let Some(obj) = body.as_object() else {
        return spec;
    };
    for (key, value) in obj {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Object(fields) => {
                            for (k, v) in fields {
                                spec = spec.field(format!("{key}[{i}][{k}]"), scalar(v));
                            }
                        }
                        other => spec = spec.field(format!("{key}[]"), scalar(other)),
                    }
                }
            }
            Value::Object(fields) => {
                for (k, v) in fields {
                    spec = spec.field(format!("{key}[{k}]"), scalar(v));
                }
            }
            Value::Null => {}
            other => spec = spec.field(key.clone(), scalar(other)),
        }
    }
    spec
}

fn scalar(v: &Value) -> String {
    v.as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| v.to_string())
}

#[async_trait]
impl Connector for LeverConnector {
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
            .send(&VendorRequest::get("/stages").query("limit", "1"))
            .await?;
        Ok(())
    }

    /// People from one page of opportunities. A person whose opportunities span pages appears
    /// on each of those pages; `list_all_json` and the cache merge them by id.
    async fn list_candidates(&self, opts: &ListOptions) -> Result<Page<Candidate>> {
        let (items, next) = self.opportunities(opts, &[]).await?;
        let ctx = self
            .ctx(
                opts.keep_remote_data(),
                items.iter().any(|(o, _)| o.archived.is_some()),
            )
            .await;
        Ok(Page {
            result: map::candidates(&ctx, &items),
            next_cursor: next,
            total: None,
        })
    }

    async fn get_candidate(&self, id: &str) -> Result<Candidate> {
        let items = self
            .all_opportunities(&ListOptions::default().for_candidate(id), &[])
            .await?;
        let ctx = self
            .ctx(true, items.iter().any(|(o, _)| o.archived.is_some()))
            .await;
        map::candidates(&ctx, &items)
            .into_iter()
            .next()
            .ok_or_else(|| {
                Error::not_found(format!("Lever has no contact {id} with an opportunity."))
            })
    }

    async fn list_applications(&self, opts: &ListOptions) -> Result<Page<Application>> {
        let (items, next) = self.opportunities(opts, &[]).await?;
        let ctx = self
            .ctx(
                opts.keep_remote_data(),
                items.iter().any(|(o, _)| o.archived.is_some()),
            )
            .await;
        Ok(Page {
            result: items
                .iter()
                .map(|(o, raw)| map::application(&ctx, o, raw))
                .collect(),
            next_cursor: next,
            total: None,
        })
    }

    async fn get_application(&self, id: &str) -> Result<Application> {
        let (o, raw) = self.opportunity(id).await?;
        Ok(self.to_application(&o, &raw).await)
    }

    async fn list_jobs(&self, opts: &ListOptions) -> Result<Page<Job>> {
        refuse_filters(
            V,
            "postings",
            &[
                ("search", opts.search.is_some()),
                ("stage", opts.stage.is_some()),
                ("job_id", opts.job_id.is_some()),
            ],
        )?;
        let req = VendorRequest::get("/postings")
            .query("limit", clamp_limit(opts.limit, 100, 100).to_string())
            .query_opt("updated_at_start", opts.updated_after.map(to_millis))
            .lane(lane(opts));
        let (data, next) = self.list_page(req, opts).await?;
        let ctx = self.ctx(opts.keep_remote_data(), false).await;
        let result = map_each(V, &data, |p: wire::Posting, r| map::job(&ctx, &p, r))?;
        Ok(Page::new(result, next))
    }

    async fn get_job(&self, id: &str) -> Result<Job> {
        let env: wire::DataEnvelope = self
            .client
            .send_json(&VendorRequest::get(format!("/postings/{}", seg(id))))
            .await?;
        let ctx = self.ctx(true, false).await;
        Ok(map::job(&ctx, &decode(&env.data)?, &env.data))
    }

    async fn list_attachments(&self, opts: &ListOptions) -> Result<Page<Attachment>> {
        let contact = opts.candidate_id.as_deref().ok_or_else(|| {
            Error::validation("Listing Lever attachments needs a candidate_id (a contact id).")
        })?;
        let opportunities = self
            .all_opportunities(&ListOptions::default().for_candidate(contact), &[])
            .await?;
        let ctx = self.ctx(opts.keep_remote_data(), false).await;
        let mut out = Vec::new();
        for (o, _) in &opportunities {
            if opts.job_id.is_some()
                && map::application(&ctx, o, &Value::Null).job.map(|j| j.id) != opts.job_id
            {
                continue;
            }
            self.list_files_of(contact, &o.id, &ctx, &mut out, lane(opts))
                .await?;
        }
        Ok(Page::last(out))
    }

    async fn get_attachment(&self, id: &str) -> Result<Attachment> {
        let (opportunity, kind, file_id) = parse_attachment_id(id)?;
        let (o, _) = self.opportunity(opportunity).await?;
        let ctx = self.ctx(true, false).await;
        let path = format!(
            "/opportunities/{}/{}s/{}",
            seg(opportunity),
            kind,
            seg(file_id)
        );
        let env: wire::DataEnvelope = self.client.send_json(&VendorRequest::get(path)).await?;
        if kind == map::RESUME {
            Ok(map::resume(
                &ctx,
                &o.contact,
                opportunity,
                &decode(&env.data)?,
                &env.data,
            ))
        } else {
            map::file(
                &ctx,
                &o.contact,
                opportunity,
                &decode(&env.data)?,
                &env.data,
            )
            .ok_or_else(|| Error::not_found(format!("Lever has no file {id}.")))
        }
    }

    async fn list_users(&self, opts: &ListOptions) -> Result<Page<User>> {
        refuse_filters(
            V,
            "users",
            &[
                ("stage", opts.stage.is_some()),
                ("job_id", opts.job_id.is_some()),
                ("updated_after", opts.updated_after.is_some()),
            ],
        )?;
        let mut req = VendorRequest::get("/users")
            .query("limit", clamp_limit(opts.limit, 100, 100).to_string())
            .lane(lane(opts));
        if let Some(search) = opts.search.as_deref().filter(|s| !s.trim().is_empty()) {
            req = req.query("email", search.trim());
        }
        let (data, next) = self.list_page(req, opts).await?;
        let ctx = self.ctx(opts.keep_remote_data(), false).await;
        let result = map_each(V, &data, |u: wire::User, r| map::user(&ctx, &u, r))?;
        Ok(Page::new(result, next))
    }

    async fn get_user(&self, id: &str) -> Result<User> {
        let env: wire::DataEnvelope = self
            .client
            .send_json(&VendorRequest::get(format!("/users/{}", seg(id))))
            .await?;
        let ctx = self.ctx(true, false).await;
        Ok(map::user(&ctx, &decode(&env.data)?, &env.data))
    }

    async fn list_roles(&self, _opts: &ListOptions) -> Result<Page<Role>> {
        let ctx = self.ctx(false, false).await;
        Ok(Page::last(map::roles(&ctx)))
    }

    async fn list_groups(&self, _opts: &ListOptions) -> Result<Page<Group>> {
        Err(unsupported(V, "groups (its API has no groups endpoint)"))
    }

    async fn list_job_stages(&self, job_id: Option<&str>) -> Result<Vec<JobStage>> {
        // One pipeline for every posting.
        let mut stages = self.fetch_stages(Lane::Interactive).await?;
        for s in &mut stages {
            s.job_id = job_id.map(str::to_owned);
        }
        Ok(stages)
    }

    async fn job_form_fields(&self, job_id: &str) -> Result<Vec<FormField>> {
        Ok(map::form_fields(&self.apply_form(job_id).await?))
    }

    async fn create_candidate(&self, input: &CreateCandidate) -> Result<CreateOutcome> {
        if join_name(&input.first_name, &input.last_name).is_empty() {
            return Err(Error::validation(
                "Lever needs a name to create a candidate.",
            ));
        }
        let resume = match &input.resume_path {
            Some(path) => Some(check_upload(path, MAX_UPLOAD_BYTES).await?),
            None => None,
        };
        let applying = matches!(
            input.application_source,
            Some(ApplicationSource::Applicant) | None
        );
        match (&input.job_id, applying) {
            (Some(posting), true) => {
                if input.emails.is_empty() {
                    return Err(Error::validation(
                        "Applying to a Lever posting needs an email.",
                    ));
                }
                self.apply_to_posting(input, posting, resume).await
            }
            _ => {
                let actor = perform_as(&input.perform_as, "create a candidate")?;
                self.create_opportunity(input, &actor, resume).await
            }
        }
    }

    async fn add_attachment(&self, input: &AddAttachment) -> Result<Attachment> {
        let actor = perform_as(&input.perform_as, "upload a file")?;
        let file = check_upload(&input.path, MAX_UPLOAD_BYTES).await?;
        let opportunity = match &input.application_id {
            Some(o) => o.clone(),
            None => {
                let items = self
                    .all_opportunities(
                        &ListOptions::default().for_candidate(&input.candidate_id),
                        &[],
                    )
                    .await?;
                items
                    .iter()
                    .max_by(|a, b| {
                        a.0.updated_at
                            .unwrap_or(0.0)
                            .total_cmp(&b.0.updated_at.unwrap_or(0.0))
                    })
                    .map(|(o, _)| o.id.clone())
                    .ok_or_else(|| {
                        Error::not_found(format!(
                            "Lever has no opportunity for contact {}.",
                            input.candidate_id
                        ))
                    })?
            }
        };
        let mut spec = MultipartSpec::default();
        if let Some(Value::Object(extra)) = &input.remote_data {
            for (k, v) in extra {
                spec = spec.field(k.clone(), scalar(v));
            }
        }
        let req = VendorRequest::new(
            Method::POST,
            format!("/opportunities/{}/files", seg(&opportunity)),
        )
        .query("perform_as", actor)
        .multipart(spec.file("file", file));
        let env: wire::DataEnvelope = self.client.send_json(&req).await?;
        let ctx = self.ctx(true, false).await;
        map::file(
            &ctx,
            &input.candidate_id,
            &opportunity,
            &decode(&env.data)?,
            &env.data,
        )
        .ok_or_else(|| {
            Error::new(
                crate::ErrorKind::Vendor,
                "Lever stored the file but returned no id.",
            )
        })
    }

    async fn download_attachment(&self, id: &str, dest: &Path) -> Result<u64> {
        let (opportunity, kind, file_id) = parse_attachment_id(id)?;
        let path = format!(
            "/opportunities/{}/{}s/{}/download",
            seg(opportunity),
            kind,
            seg(file_id)
        );
        Ok(self
            .client
            .download(&VendorRequest::get(path), dest)
            .await?)
    }

    async fn move_stage(&self, input: &MoveStage) -> Result<Application> {
        let mut body = json!({ "stage": input.stage_id });
        merge_remote_data(&mut body, input.remote_data.as_ref())?;
        let req = VendorRequest::new(
            Method::PUT,
            format!("/opportunities/{}/stage", seg(&input.application_id)),
        )
        .query_opt("perform_as", input.perform_as.clone())
        .json(body);
        let env: wire::DataEnvelope = self.client.send_json(&req).await?;
        let o: wire::Opportunity = decode(&env.data)?;
        Ok(self.to_application(&o, &env.data).await)
    }

    async fn reject(&self, input: &Reject) -> Result<Application> {
        let reason = input
            .reason_id
            .as_deref()
            .ok_or_else(|| Error::validation("Lever needs an archive reason (reason_id) to reject; see its non-hired archive reasons."))?;
        let mut body = json!({ "reason": reason });
        merge_remote_data(&mut body, input.remote_data.as_ref())?;
        let req = VendorRequest::new(
            Method::PUT,
            format!("/opportunities/{}/archived", seg(&input.application_id)),
        )
        .query_opt("perform_as", input.perform_as.clone())
        .json(body);
        let env: wire::DataEnvelope = self.client.send_json(&req).await?;
        let o: wire::Opportunity = decode(&env.data)?;
        Ok(self.to_application(&o, &env.data).await)
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
    let unsupported_op = OperationSupport::unsupported;
    use Operation::*;
    let opp_filters = [
        "cursor",
        "limit",
        "remote_query",
        "job_id",
        "stage",
        "candidate_id",
        "updated_after",
        "search",
    ];
    Capabilities {
        vendor: V,
        max_upload_bytes: MAX_UPLOAD_BYTES as f64,
        operations: vec![
            op(
                ListCandidates,
                &opp_filters,
                &[],
                Some("People are read from opportunities; search is an exact email."),
            ),
            op(
                GetCandidate,
                &[],
                &["id"],
                Some("The id is a Lever contact id."),
            ),
            op(
                ListApplications,
                &opp_filters,
                &[],
                Some("Each opportunity is an application."),
            ),
            op(GetApplication, &[], &["id"], None),
            op(
                ListJobs,
                &["cursor", "limit", "remote_query", "updated_after"],
                &[],
                Some("Postings."),
            ),
            op(GetJob, &[], &["id"], None),
            op(
                ListAttachments,
                &["candidate_id", "job_id"],
                &["candidate_id"],
                Some("Files and resumes of every opportunity of the contact."),
            ),
            op(GetAttachment, &[], &["id"], None),
            op(DownloadAttachment, &[], &["id"], None),
            op(
                ListUsers,
                &["cursor", "limit", "remote_query", "search"],
                &[],
                Some("search is an exact email."),
            ),
            op(GetUser, &[], &["id"], None),
            op(
                ListRoles,
                &[],
                &[],
                Some("Lever's built-in access roles; it has no roles endpoint."),
            ),
            unsupported_op(ListGroups, Some("Lever's API has no groups endpoint.")),
            op(
                ListJobStages,
                &[],
                &[],
                Some("One pipeline for every posting."),
            ),
            unsupported_op(ListAssessments, None),
            unsupported_op(GetAssessment, None),
            unsupported_op(ListInterviews, None),
            unsupported_op(GetInterview, None),
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
                    "location",
                    "tags",
                    "job_id",
                    "application_source",
                    "job_form_field_answers",
                    "resume_path",
                    "perform_as",
                    "remote_data",
                ],
                &["first_name"],
                Some(
                    "Without job_id, or with application_source lead: POST /opportunities (origin sourced), which needs perform_as; \
                     Lever merges a known email into the existing person and Hirebridge reports it as duplicate_of. \
                     With job_id as an applicant: the posting's application form (origin applied), which needs emails and every \
                     required question of job_form_fields(job_id) in job_form_field_answers. job_id is optional, unlike Truto's unified API.",
                ),
            ),
            op(
                AddAttachment,
                &["candidate_id", "application_id", "path", "perform_as"],
                &["candidate_id", "path", "perform_as"],
                Some("Up to 30 MB; Lever stores it as a file (resumes only come with a create)."),
            ),
            op(
                MoveStage,
                &["application_id", "stage_id", "perform_as", "remote_data"],
                &["application_id", "stage_id"],
                None,
            ),
            op(
                Reject,
                &["application_id", "reason_id", "perform_as", "remote_data"],
                &["application_id", "reason_id"],
                Some("reason_id is a non-hired archive reason."),
            ),
            op(Proxy, &[], &["method", "path"], None),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_fields_follow_lever_array_conventions() {
        let spec = multipart_from_json(
            &json!({"name":"Ada","emails":["a@x.io","b@x.io"],"phones":[{"type":"mobile","value":"1"}],"archived":{"reason":"r"},"headline":null}),
        );
        let fields: Vec<(&str, &str)> = spec
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert!(
            fields.contains(&("emails[]", "a@x.io")) && fields.contains(&("emails[]", "b@x.io"))
        );
        assert!(fields.contains(&("phones[0][value]", "1")));
        assert!(fields.contains(&("archived[reason]", "r")));
        assert!(fields.contains(&("name", "Ada")));
        assert!(!fields.iter().any(|(k, _)| *k == "headline"));
    }

    #[test]
    fn attachment_ids_name_their_opportunity_and_kind() {
        assert_eq!(
            parse_attachment_id("o1:file:f1").expect("ok"),
            ("o1", "file", "f1")
        );
        assert_eq!(
            parse_attachment_id("o1:resume:r:1").expect("ok"),
            ("o1", "resume", "r:1")
        );
        assert!(parse_attachment_id("o1:other:f1").is_err());
        assert!(parse_attachment_id("o1").is_err());
    }

    #[test]
    fn capabilities_say_lever_create_needs_only_a_name_and_has_no_groups() {
        let caps = capabilities();
        let create = caps.get(Operation::CreateCandidate).expect("listed");
        assert_eq!(create.required_fields, ["first_name"]);
        assert!(
            create
                .supported_fields
                .contains(&"job_form_field_answers".to_owned())
        );
        assert!(!caps.supports(Operation::ListGroups));
        assert_eq!(caps.max_upload_bytes, 30_000_000.0);
    }
}
