//! SmartRecruiters JSON → unified records.

use serde_json::Value;

use super::wire;
use crate::Vendor;
use crate::connectors::common::{parse_time, remote};
use crate::model::*;

const V: Vendor = Vendor::SmartRecruiters;

/// Everything a mapping needs besides the record.
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub account_id: &'a str,
    pub keep_remote: bool,
}

/// The unified stage category of an SR status (job context, and the apply API's variants).
pub fn category(status: &str) -> StageCategory {
    match status.to_ascii_uppercase().as_str() {
        "LEAD" => StageCategory::Lead,
        "NEW" | "IN_REVIEW" | "INTERVIEW" => StageCategory::Active,
        "OFFERED" | "OFFER" => StageCategory::Offer,
        "HIRED" | "HIRE" => StageCategory::Hired,
        "REJECTED" => StageCategory::Rejected,
        "WITHDRAWN" => StageCategory::Withdrawn,
        "TRANSFERRED" => StageCategory::Archived,
        _ => StageCategory::Other,
    }
}

/// The statuses an application can be put in, in pipeline order: SR's fixed stage set.
pub const STATUSES: [(&str, &str); 8] = [
    ("LEAD", "Lead"),
    ("NEW", "New"),
    ("IN_REVIEW", "In review"),
    ("INTERVIEW", "Interview"),
    ("OFFERED", "Offered"),
    ("HIRED", "Hired"),
    ("REJECTED", "Rejected"),
    ("WITHDRAWN", "Withdrawn"),
];

pub fn status_name(status: &str) -> String {
    STATUSES
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(status))
        .map(|(_, name)| (*name).to_owned())
        .unwrap_or_else(|| status.to_owned())
}

pub fn job_stages(job_id: Option<&str>) -> Vec<JobStage> {
    STATUSES
        .iter()
        .enumerate()
        .map(|(i, (id, name))| JobStage {
            id: (*id).to_owned(),
            name: (*name).to_owned(),
            job_id: job_id.map(str::to_owned),
            category: category(id),
            index: Some(i as i32),
            remote_data: None,
        })
        .collect()
}

fn location_text(loc: &wire::Location) -> Option<String> {
    let parts: Vec<&str> = [&loc.city, &loc.region, &loc.country]
        .into_iter()
        .filter_map(|p| p.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn source_text(source: &Option<Value>) -> Option<String> {
    match source.as_ref()? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(o) => ["label", "name", "sourceId", "id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str).map(str::to_owned)),
        _ => None,
    }
}

fn web_links(web: &wire::Web) -> Vec<Link> {
    [
        ("linkedin", &web.linkedin),
        ("website", &web.website),
        ("twitter", &web.twitter),
        ("facebook", &web.facebook),
        ("skype", &web.skype),
    ]
    .into_iter()
    .filter_map(|(kind, url)| {
        url.as_deref()
            .filter(|u| !u.trim().is_empty())
            .map(|u| Link {
                url: u.to_owned(),
                kind: Some(kind.to_owned()),
            })
    })
    .collect()
}

/// The application of `candidate_id` to the job in `assignment`; `None` without a job.
pub fn assignment(ctx: &Ctx, candidate_id: &str, a: &wire::Assignment) -> Option<Application> {
    let job = a.job.as_ref()?;
    Some(application(
        ctx,
        candidate_id,
        &job.id,
        job.title.clone(),
        &wire::JobApplication {
            status: a.status.clone(),
            sub_status: a.sub_status.clone(),
            starts_on: a.starts_on.clone(),
            source: a.source.clone(),
            reason_of_rejection: a.reason_of_rejection.clone(),
            reason_of_withdrawal: a.reason_of_withdrawal.clone(),
        },
        ctx.keep_remote
            .then(|| serde_json::to_value(a).unwrap_or(Value::Null)),
    ))
}

pub fn application(
    ctx: &Ctx,
    candidate_id: &str,
    job_id: &str,
    job_title: Option<String>,
    w: &wire::JobApplication,
    raw: Option<Value>,
) -> Application {
    let status = w.status.as_deref().unwrap_or_default();
    Application {
        id: format!("{candidate_id}:{job_id}"),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        candidate_id: candidate_id.to_owned(),
        job: Some(Ref::new(job_id, job_title)),
        current_stage: (!status.is_empty()).then(|| {
            let name = match w.sub_status.as_deref().filter(|s| !s.is_empty()) {
                Some(sub) => format!("{} · {sub}", status_name(status)),
                None => status_name(status),
            };
            Ref::new(status.to_ascii_uppercase(), Some(name))
        }),
        status: if status.is_empty() {
            StageCategory::Other
        } else {
            category(status)
        },
        applied_at: None,
        rejected_at: None,
        reject_reason: w
            .reason_of_rejection
            .as_ref()
            .and_then(|r| r.id.clone().map(|id| Ref::new(id, r.label.clone()))),
        source: source_text(&w.source),
        credited_to: None,
        created_at: None,
        updated_at: None,
        remote_data: if ctx.keep_remote { raw } else { None },
    }
}

pub fn candidate(ctx: &Ctx, w: &wire::Candidate, raw: &Value) -> Candidate {
    let current = w
        .experience
        .iter()
        .find(|e| e.current == Some(true))
        .or(w.experience.first());
    let applications = w
        .primary_assignment
        .iter()
        .chain(w.secondary_assignments.iter())
        .filter_map(|a| assignment(ctx, &w.id, a))
        .collect();
    let name = crate::connectors::common::join_name(
        w.first_name.as_deref().unwrap_or_default(),
        w.last_name.as_deref().unwrap_or_default(),
    );
    Candidate {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        first_name: w.first_name.clone(),
        last_name: w.last_name.clone(),
        name: (!name.is_empty()).then_some(name),
        company: current.and_then(|e| e.company.clone()),
        title: current.and_then(|e| e.title.clone()),
        location: w.location.as_ref().and_then(location_text),
        emails: w
            .email
            .iter()
            .filter(|e| !e.is_empty())
            .map(|e| Email {
                email: e.clone(),
                kind: None,
            })
            .collect(),
        phones: w
            .phone_number
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| Phone {
                number: p.clone(),
                kind: None,
                extension: None,
            })
            .collect(),
        urls: w.web.as_ref().map(web_links).unwrap_or_default(),
        tags: w
            .tags
            .iter()
            .map(|t| Tag {
                id: None,
                name: t.clone(),
            })
            .collect(),
        source: w
            .primary_assignment
            .as_ref()
            .and_then(|a| source_text(&a.source)),
        applications,
        attachments: Vec::new(),
        created_at: parse_time(w.created_on.as_deref()),
        updated_at: parse_time(w.updated_on.as_deref()),
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    }
}

pub fn job_status(status: Option<&str>) -> JobStatus {
    match status.unwrap_or_default().to_ascii_uppercase().as_str() {
        "CREATED" => JobStatus::Draft,
        "SOURCING" | "INTERVIEW" | "OFFER" => JobStatus::Open,
        "ON_HOLD" => JobStatus::OnHold,
        "FILLED" | "CANCELLED" => JobStatus::Closed,
        _ => JobStatus::Other,
    }
}

pub fn job(ctx: &Ctx, w: &wire::Job, raw: &Value) -> Job {
    let description = w
        .job_ad
        .as_ref()
        .and_then(|ad| ad.pointer("/sections/jobDescription/text"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    Job {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        name: w.title.clone().unwrap_or_default(),
        description,
        code: w.ref_number.clone().filter(|c| !c.is_empty()),
        status: job_status(w.status.as_deref()),
        visibility: w.posting_status.as_deref().map(str::to_ascii_lowercase),
        department: w.department.as_ref().and_then(|d| d.label.clone()),
        locations: w
            .location
            .as_ref()
            .and_then(location_text)
            .into_iter()
            .collect(),
        employment_type: w.type_of_employment.as_ref().and_then(|t| t.label.clone()),
        remote: w.location.as_ref().and_then(|l| l.remote),
        hiring_managers: Vec::new(),
        tags: Vec::new(),
        url: None,
        created_at: parse_time(w.created_on.as_deref()),
        updated_at: parse_time(w.updated_on.as_deref()),
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    }
}

pub fn user(ctx: &Ctx, w: &wire::User, raw: &Value) -> User {
    let name = crate::connectors::common::join_name(
        w.first_name.as_deref().unwrap_or_default(),
        w.last_name.as_deref().unwrap_or_default(),
    );
    User {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        first_name: w.first_name.clone(),
        last_name: w.last_name.clone(),
        name: (!name.is_empty()).then_some(name),
        emails: w
            .email
            .iter()
            .map(|e| Email {
                email: e.clone(),
                kind: Some("work".into()),
            })
            .collect(),
        title: None,
        status: if w.active.unwrap_or(true) {
            UserStatus::Active
        } else {
            UserStatus::Inactive
        },
        roles: w
            .system_role
            .iter()
            .map(|r| Ref::new(r.id.clone(), r.name.clone()))
            .collect(),
        groups: w
            .access_groups
            .iter()
            .map(|g| Ref::new(g.id.clone(), g.name.clone()))
            .collect(),
        created_at: None,
        updated_at: parse_time(w.updated_on.as_deref()),
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    }
}

pub fn role(ctx: &Ctx, w: &wire::IdName, raw: &Value) -> Role {
    Role {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        name: w.name.clone().unwrap_or_else(|| w.id.clone()),
        description: w.description.clone(),
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    }
}

pub fn group(ctx: &Ctx, w: &wire::IdName, raw: &Value) -> Group {
    Group {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        name: w.name.clone().unwrap_or_else(|| w.id.clone()),
        description: w.description.clone(),
        member_ids: Vec::new(),
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    }
}

pub fn attachment_kind(kind: Option<&str>) -> AttachmentType {
    match kind.unwrap_or_default().to_ascii_uppercase().as_str() {
        "RESUME" => AttachmentType::Resume,
        "COVER_LETTER" => AttachmentType::CoverLetter,
        _ => AttachmentType::Other,
    }
}

/// Unified attachment id: `<candidate id>:<attachment id>` (SR lists attachments per candidate).
pub fn attachment(
    ctx: &Ctx,
    candidate_id: &str,
    application_id: Option<&str>,
    w: &wire::Attachment,
    raw: &Value,
) -> Attachment {
    Attachment {
        id: format!("{candidate_id}:{}", w.id),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        candidate_id: Some(candidate_id.to_owned()),
        application_id: application_id.map(str::to_owned),
        file_name: w.name.clone().unwrap_or_else(|| w.id.clone()),
        file_url: w
            .actions
            .as_ref()
            .and_then(|a| a.pointer("/download/url"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        content_type: w.content_type.clone(),
        size: None,
        kind: attachment_kind(w.kind.as_deref()),
        created_at: None,
        remote_data: remote(ctx.keep_remote, raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: Ctx = Ctx {
        account_id: "acc",
        keep_remote: true,
    };

    /// ats-specs §1.7 `GET /candidates?limit=2`.
    const CANDIDATES_PAGE: &str = r#"{"limit":2,"offset":0,"totalFound":57,"nextPageId":"SKYfn51wTboVGco6%2FvIsIC%3D%3D",
 "content":[{"id":"788dfc72-a6eb-441b-837f-d7c39efb3f04","internal":false,"firstName":"Anita","lastName":"Rao",
  "email":"anita.rao@example.com","createdOn":"2025-03-04T09:15:22.481Z","updatedOn":"2025-03-06T11:02:09.117Z",
  "location":{"country":"India","countryCode":"in","region":"Karnataka","city":"Bengaluru","lat":12.97,"lng":77.59},
  "averageRating":4.0,"tags":["java","referral"],
  "primaryAssignment":{"job":{"id":"3c5e6b7a-2f6f-4bd6-9a1d-6b2a3b0f8e11","title":"Backend Engineer",
     "actions":{"details":{"url":"https://api.smartrecruiters.com/jobs/3c5e6b7a-2f6f-4bd6-9a1d-6b2a3b0f8e11","method":"GET"}}},
   "status":"IN_REVIEW","subStatus":"Phone screen"},
  "secondaryAssignments":[],
  "actions":{"details":{"url":"https://api.smartrecruiters.com/candidates/788dfc72-a6eb-441b-837f-d7c39efb3f04","method":"GET"}}}]}"#;

    #[test]
    fn maps_a_candidate_list_item_with_its_application() {
        let page: wire::ListEnvelope = serde_json::from_str(CANDIDATES_PAGE).expect("envelope");
        assert_eq!(
            page.next_page_id.as_deref(),
            Some("SKYfn51wTboVGco6%2FvIsIC%3D%3D")
        );
        let raw = &page.content[0];
        let w: wire::Candidate = serde_json::from_value(raw.clone()).expect("candidate");
        let c = candidate(&CTX, &w, raw);
        assert_eq!(c.id, "788dfc72-a6eb-441b-837f-d7c39efb3f04");
        assert_eq!(c.name.as_deref(), Some("Anita Rao"));
        assert_eq!(c.emails[0].email, "anita.rao@example.com");
        assert_eq!(c.location.as_deref(), Some("Bengaluru, Karnataka, India"));
        assert_eq!(
            c.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["java", "referral"]
        );
        assert_eq!(
            c.created_at.expect("created").timestamp_millis(),
            1741079722481
        );
        let app = &c.applications[0];
        assert_eq!(
            app.id,
            "788dfc72-a6eb-441b-837f-d7c39efb3f04:3c5e6b7a-2f6f-4bd6-9a1d-6b2a3b0f8e11"
        );
        assert_eq!(app.status, StageCategory::Active);
        assert_eq!(app.current_stage.as_ref().expect("stage").id, "IN_REVIEW");
        assert_eq!(
            app.current_stage.as_ref().and_then(|s| s.name.as_deref()),
            Some("In review · Phone screen")
        );
        assert_eq!(
            app.job.as_ref().and_then(|j| j.name.as_deref()),
            Some("Backend Engineer")
        );
        assert_eq!(c.remote_data.as_ref().expect("raw")["averageRating"], 4.0);
    }

    #[test]
    fn empty_or_missing_next_page_id_ends_the_list() {
        for body in [
            r#"{"content":[{"id":"x"}],"nextPageId":""}"#,
            r#"{"content":[{"id":"x"}],"nextPageId":null}"#,
            r#"{"content":[{"id":"x"}]}"#,
            r#"{"content":[],"nextPageId":"more"}"#,
        ] {
            let page: wire::ListEnvelope = serde_json::from_str(body).expect("envelope");
            let next = crate::connectors::common::next_cursor(
                V,
                page.next_page_id.as_deref(),
                page.content.is_empty(),
            );
            assert_eq!(next, None, "{body}");
        }
    }

    #[test]
    fn a_candidate_with_only_an_id_maps_without_failing() {
        let raw = serde_json::json!({"id":"c-1"});
        let w: wire::Candidate = serde_json::from_value(raw.clone()).expect("minimal");
        let c = candidate(
            &Ctx {
                account_id: "a",
                keep_remote: false,
            },
            &w,
            &raw,
        );
        assert_eq!(c.name, None);
        assert!(c.emails.is_empty() && c.applications.is_empty());
        assert_eq!(c.remote_data, None);
    }

    #[test]
    fn keeps_unicode_names_and_maps_every_status() {
        let raw = serde_json::json!({"id":"c","firstName":"Zoë","lastName":"Ærøskøbing-李",
            "primaryAssignment":{"job":{"id":"j"},"status":"OFFERED"},
            "secondaryAssignments":[{"job":{"id":"k"},"status":"REJECTED","reasonOfRejection":{"id":"r1","label":"Too junior"}}]});
        let w: wire::Candidate = serde_json::from_value(raw.clone()).expect("parses");
        let c = candidate(&CTX, &w, &raw);
        assert_eq!(c.name.as_deref(), Some("Zoë Ærøskøbing-李"));
        assert_eq!(c.applications[0].status, StageCategory::Offer);
        assert_eq!(c.applications[1].status, StageCategory::Rejected);
        assert_eq!(
            c.applications[1].reject_reason,
            Some(Ref::new("r1", Some("Too junior".into())))
        );
        for (status, cat) in [
            ("LEAD", StageCategory::Lead),
            ("NEW", StageCategory::Active),
            ("HIRE", StageCategory::Hired),
            ("WITHDRAWN", StageCategory::Withdrawn),
            ("TRANSFERRED", StageCategory::Archived),
            ("???", StageCategory::Other),
        ] {
            assert_eq!(category(status), cat, "{status}");
        }
    }

    #[test]
    fn maps_a_job_details_record() {
        let raw: Value = serde_json::from_str(r#"{"id":"3c5e6b7a-2f6f-4bd6-9a1d-6b2a3b0f8e11","title":"Backend Engineer","refNumber":"REF-1042",
 "createdOn":"2025-02-01T08:00:00.000Z","updatedOn":"2025-03-01T10:30:00.000Z","lastActivityOn":"2025-03-06T11:02:09.117Z",
 "department":{"id":"18554","label":"Engineering"},
 "location":{"country":"India","countryCode":"in","region":"Karnataka","city":"Bengaluru","remote":false},
 "status":"SOURCING","postingStatus":"PUBLIC","typeOfEmployment":{"id":"permanent","label":"Full-time"},
 "jobAd":{"language":{"code":"en"},"sections":{"jobDescription":{"title":"Job Description","text":"<p>…</p>"}}}}"#).expect("json");
        let w: wire::Job = serde_json::from_value(raw.clone()).expect("job");
        let j = job(&CTX, &w, &raw);
        assert_eq!(j.name, "Backend Engineer");
        assert_eq!(j.code.as_deref(), Some("REF-1042"));
        assert_eq!(j.status, JobStatus::Open);
        assert_eq!(j.visibility.as_deref(), Some("public"));
        assert_eq!(j.department.as_deref(), Some("Engineering"));
        assert_eq!(j.employment_type.as_deref(), Some("Full-time"));
        assert_eq!(j.description.as_deref(), Some("<p>…</p>"));
        assert_eq!(j.remote, Some(false));
    }

    #[test]
    fn maps_users_roles_groups_and_attachments() {
        let raw: Value = serde_json::from_str(r#"{"id":"60f818625414a64b384c8705","firstName":"Gabriel","lastName":"Lira","email":"gabriel@example.com","active":false,"systemRole":{"id":"ADMINISTRATOR"},"updatedOn":"2025-01-10T12:00:00.000Z","language":{"code":"en"},"accessGroups":[{"id":"g1"}]}"#).expect("json");
        let w: wire::User = serde_json::from_value(raw.clone()).expect("user");
        let u = user(&CTX, &w, &raw);
        assert_eq!(u.status, UserStatus::Inactive);
        assert_eq!(u.roles, vec![Ref::new("ADMINISTRATOR", None)]);
        assert_eq!(u.groups, vec![Ref::new("g1", None)]);

        let list = wire::items(
            serde_json::json!({"totalFound":1,"content":[{"id":"a1","name":"cv.pdf","type":"RESUME","contentType":"application/pdf","actions":{"download":{"url":"https://api.smartrecruiters.com/candidates/c/attachments/a1","method":"GET"}}}]}),
        );
        let w: wire::Attachment = serde_json::from_value(list[0].clone()).expect("attachment");
        let a = attachment(&CTX, "c", None, &w, &list[0]);
        assert_eq!(a.id, "c:a1");
        assert_eq!(a.kind, AttachmentType::Resume);
        assert_eq!(
            a.file_url.as_deref(),
            Some("https://api.smartrecruiters.com/candidates/c/attachments/a1")
        );

        let roles = wire::items(serde_json::json!([{"id":"ADMINISTRATOR","name":"Administrator"}]));
        let w: wire::IdName = serde_json::from_value(roles[0].clone()).expect("role");
        assert_eq!(role(&CTX, &w, &roles[0]).name, "Administrator");
        assert_eq!(
            group(
                &CTX,
                &wire::IdName {
                    id: "g".into(),
                    ..Default::default()
                },
                &Value::Null
            )
            .name,
            "g"
        );
    }
}
