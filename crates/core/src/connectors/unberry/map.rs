//! Unberry JSON → unified records ([I] provisional wire format, see wire.rs).

use serde_json::Value;

use super::wire;
use crate::Vendor;
use crate::connectors::common::{join_name, parse_time, split_name};
use crate::model::*;

const V: Vendor = Vendor::Unberry;

#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub account_id: &'a str,
    pub keep_remote: bool,
}

fn keep(ctx: &Ctx, raw: &Value) -> Option<Value> {
    ctx.keep_remote.then(|| raw.clone())
}

pub fn stage_category(kind: Option<&str>) -> StageCategory {
    match kind.unwrap_or_default() {
        "screening" | "assessment" | "interview" => StageCategory::Active,
        "offer" => StageCategory::Offer,
        "hired" => StageCategory::Hired,
        "rejected" => StageCategory::Rejected,
        _ => StageCategory::Other,
    }
}

fn location_text(l: &wire::Location) -> Option<String> {
    let parts: Vec<&str> = [&l.city, &l.region, &l.country]
        .into_iter()
        .filter_map(|p| p.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

pub fn candidate(
    ctx: &Ctx,
    w: &wire::Candidate,
    raw: &Value,
    applications: Vec<Application>,
) -> Candidate {
    let name = join_name(
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
        company: w.current_company.clone(),
        title: w.current_title.clone(),
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
            .phone
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| Phone {
                number: p.clone(),
                kind: None,
                extension: None,
            })
            .collect(),
        urls: w
            .linkedin_url
            .iter()
            .filter(|u| !u.is_empty())
            .map(|u| Link {
                url: u.clone(),
                kind: Some("linkedin".into()),
            })
            .collect(),
        tags: w
            .tags
            .iter()
            .map(|t| Tag {
                id: None,
                name: t.clone(),
            })
            .collect(),
        source: w.source.clone(),
        applications,
        attachments: Vec::new(),
        created_at: parse_time(w.created_at.as_deref()),
        updated_at: parse_time(w.updated_at.as_deref()),
        remote_data: keep(ctx, raw),
    }
}

pub fn application(ctx: &Ctx, w: &wire::Application, raw: &Value) -> Application {
    let status = match w.status.as_deref() {
        Some("hired") => StageCategory::Hired,
        Some("rejected") => StageCategory::Rejected,
        Some("withdrawn") => StageCategory::Withdrawn,
        _ => w.stage.as_ref().map_or(StageCategory::Other, |s| {
            match stage_category(s.kind.as_deref()) {
                // An active application in the rejected/hired column would contradict its status.
                StageCategory::Rejected | StageCategory::Hired => StageCategory::Active,
                other => other,
            }
        }),
    };
    let closed_at = parse_time(w.updated_at.as_deref());
    Application {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        candidate_id: w.candidate_id.clone(),
        job: w.job_id.clone().map(|j| Ref::new(j, None)),
        current_stage: w
            .stage
            .as_ref()
            .map(|s| Ref::new(s.id.clone(), s.name.clone())),
        status,
        applied_at: parse_time(w.applied_at.as_deref()),
        rejected_at: (status == StageCategory::Rejected)
            .then_some(closed_at)
            .flatten(),
        reject_reason: w
            .rejection_reason
            .clone()
            .map(|r| Ref::new(r.clone(), Some(r))),
        source: None,
        credited_to: None,
        created_at: parse_time(w.applied_at.as_deref()),
        updated_at: parse_time(w.updated_at.as_deref()),
        remote_data: keep(ctx, raw),
    }
}

pub fn job_status(status: Option<&str>) -> JobStatus {
    match status.unwrap_or_default() {
        "open" => JobStatus::Open,
        "draft" => JobStatus::Draft,
        "closed" => JobStatus::Closed,
        "on_hold" => JobStatus::OnHold,
        "archived" => JobStatus::Archived,
        _ => JobStatus::Other,
    }
}

pub fn job(ctx: &Ctx, w: &wire::Job, raw: &Value) -> Job {
    Job {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        name: w.title.clone().unwrap_or_default(),
        description: None,
        code: None,
        status: job_status(w.status.as_deref()),
        visibility: None,
        department: w.department.clone(),
        locations: w
            .location
            .as_ref()
            .and_then(location_text)
            .into_iter()
            .collect(),
        employment_type: w.employment_type.clone(),
        remote: None,
        hiring_managers: Vec::new(),
        tags: Vec::new(),
        url: None,
        created_at: parse_time(w.created_at.as_deref()),
        updated_at: parse_time(w.updated_at.as_deref()),
        remote_data: keep(ctx, raw),
    }
}

pub fn stages(job: &wire::Job, keep_remote: bool) -> Vec<JobStage> {
    job.stages
        .iter()
        .enumerate()
        .map(|(i, s)| JobStage {
            id: s.id.clone(),
            name: s.name.clone().unwrap_or_else(|| s.id.clone()),
            job_id: Some(job.id.clone()),
            category: stage_category(s.kind.as_deref()),
            index: Some(s.order.map_or(i as i32, |o| o as i32)),
            remote_data: keep_remote.then(|| serde_json::to_value(s).unwrap_or(Value::Null)),
        })
        .collect()
}

pub fn user(ctx: &Ctx, w: &wire::Person, raw: &Value) -> User {
    let (first_name, last_name) = split_name(w.name.as_deref());
    User {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        first_name,
        last_name,
        name: w.name.clone(),
        emails: w
            .email
            .iter()
            .map(|e| Email {
                email: e.clone(),
                kind: Some("work".into()),
            })
            .collect(),
        title: None,
        status: UserStatus::Active,
        roles: w
            .role
            .iter()
            .map(|r| Ref::new(r.clone(), Some(r.clone())))
            .collect(),
        groups: Vec::new(),
        created_at: None,
        updated_at: None,
        remote_data: keep(ctx, raw),
    }
}

pub fn assessment(
    ctx: &Ctx,
    w: &wire::Assessment,
    raw: &Value,
    job_id: Option<String>,
) -> Assessment {
    let signals = w
        .skills
        .iter()
        .chain(&w.traits)
        .map(|s| AssessmentSignal {
            name: s.name.clone(),
            score: s.score,
        })
        .collect();
    Assessment {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        candidate_id: w.candidate_id.clone(),
        application_id: w.application_id.clone(),
        job_id,
        name: w.assessment_name.clone(),
        status: match w.status.as_deref() {
            Some("invited") => AssessmentStatus::Invited,
            Some("in_progress") => AssessmentStatus::InProgress,
            Some("completed") => AssessmentStatus::Completed,
            Some("expired") => AssessmentStatus::Expired,
            _ => AssessmentStatus::Other,
        },
        score: w.overall_score,
        // [I] Skill scores carry max_score 100; the overall score is their mean.
        max_score: w
            .overall_score
            .and(w.skills.iter().find_map(|s| s.max_score)),
        percentile: w.percentile,
        signals,
        report_url: None,
        invited_at: parse_time(w.invited_at.as_deref()),
        completed_at: parse_time(w.completed_at.as_deref()),
        updated_at: parse_time(w.updated_at.as_deref()),
        remote_data: keep(ctx, raw),
    }
}

pub fn interview(ctx: &Ctx, w: &wire::Interview, raw: &Value) -> Interview {
    Interview {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        candidate_id: w.candidate_id.clone(),
        application_id: w.application_id.clone(),
        job_id: None,
        title: w
            .mode
            .as_ref()
            .map(|m| format!("{} interview", capitalize(m))),
        status: match w.status.as_deref() {
            Some("scheduled") => InterviewStatus::Scheduled,
            Some("completed") => InterviewStatus::Completed,
            Some("cancelled" | "canceled") => InterviewStatus::Cancelled,
            _ => InterviewStatus::Other,
        },
        start_at: parse_time(w.scheduled_start.as_deref()),
        end_at: parse_time(w.scheduled_end.as_deref()),
        location: w.location.clone(),
        meeting_url: w.meeting_url.clone(),
        interviewers: w
            .interviewers
            .iter()
            .map(|p| Ref::new(p.id.clone(), p.name.clone()))
            .collect(),
        updated_at: parse_time(w.updated_at.as_deref()),
        remote_data: keep(ctx, raw),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub fn attachment(ctx: &Ctx, w: &wire::Attachment, raw: &Value) -> Attachment {
    Attachment {
        id: w.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        candidate_id: Some(w.candidate_id.clone()),
        application_id: None,
        file_name: w.file_name.clone().unwrap_or_else(|| w.id.clone()),
        file_url: w.download_url.clone(),
        content_type: w.content_type.clone(),
        size: w.size,
        kind: match w.kind.as_deref() {
            Some("resume") => AttachmentType::Resume,
            Some("cover_letter") => AttachmentType::CoverLetter,
            _ => AttachmentType::Other,
        },
        created_at: parse_time(w.uploaded_at.as_deref()),
        remote_data: keep(ctx, raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: Ctx = Ctx {
        account_id: "acc",
        keep_remote: true,
    };

    fn parse<T: serde::de::DeserializeOwned>(raw: &str) -> (T, Value) {
        let v: Value = serde_json::from_str(raw).expect("json");
        (serde_json::from_value(v.clone()).expect("wire"), v)
    }

    #[test]
    fn maps_candidates_including_unicode_and_missing_fields() {
        let (w, raw) = parse::<wire::Candidate>(
            r#"{"id":"cand_1","first_name":"Aarav","last_name":"Śarmā","email":"aarav@example.in","phone":"+91 98450 00000",
            "location":{"city":"Bengaluru","region":"Karnataka","country":"India","country_code":"IN"},"tags":["campus"],"source":"naukri",
            "current_title":"SDE","current_company":"Acme","linkedin_url":"https://linkedin.com/in/aarav","application_ids":["app_1"],
            "created_at":"2025-01-02T03:04:05.678Z","updated_at":"2025-01-03T03:04:05.678Z"}"#,
        );
        let c = candidate(&CTX, &w, &raw, Vec::new());
        assert_eq!(c.name.as_deref(), Some("Aarav Śarmā"));
        assert_eq!(c.location.as_deref(), Some("Bengaluru, Karnataka, India"));
        assert_eq!(c.urls[0].kind.as_deref(), Some("linkedin"));
        assert_eq!(
            (c.company.as_deref(), c.title.as_deref()),
            (Some("Acme"), Some("SDE"))
        );
        let (w, raw) = parse::<wire::Candidate>(r#"{"id":"cand_2","phone":""}"#);
        let c = candidate(&CTX, &w, &raw, Vec::new());
        assert!(c.name.is_none() && c.phones.is_empty() && c.emails.is_empty());
    }

    #[test]
    fn maps_applications_jobs_and_stages() {
        let (w, raw) = parse::<wire::Application>(
            r#"{"id":"app_1","candidate_id":"cand_1","job_id":"job_1","stage":{"id":"stg_8","name":"Rejected","type":"rejected","order":7},
            "status":"rejected","rejection_reason":"Skills mismatch","applied_at":"2025-01-02T00:00:00.000Z","updated_at":"2025-02-02T00:00:00.000Z"}"#,
        );
        let a = application(&CTX, &w, &raw);
        assert_eq!(a.status, StageCategory::Rejected);
        assert_eq!(
            a.reject_reason.and_then(|r| r.name).as_deref(),
            Some("Skills mismatch")
        );
        assert!(a.rejected_at.is_some());
        let (w, raw) = parse::<wire::Application>(
            r#"{"id":"app_2","candidate_id":"c","stage":{"id":"s2","name":"Game-based assessment","type":"assessment"},"status":"active"}"#,
        );
        assert_eq!(application(&CTX, &w, &raw).status, StageCategory::Active);

        let (j, raw) = parse::<wire::Job>(
            r#"{"id":"job_1","title":"Data Analyst","department":"Operations","employment_type":"full_time","status":"open",
            "location":{"city":"Pune","country":"India","country_code":"IN"},"stages":[{"id":"s1","name":"Applied","type":"screening","order":0},{"id":"s6","name":"Offer","type":"offer","order":5}]}"#,
        );
        let mapped = job(&CTX, &j, &raw);
        assert_eq!(
            (mapped.status, mapped.locations.clone()),
            (JobStatus::Open, vec!["Pune, India".to_owned()])
        );
        let st = stages(&j, false);
        assert_eq!(
            st.iter().map(|s| s.category).collect::<Vec<_>>(),
            [StageCategory::Active, StageCategory::Offer]
        );
        assert_eq!(st[1].index, Some(5));
    }

    #[test]
    fn maps_assessments_interviews_users_and_attachments() {
        let (w, raw) = parse::<wire::Assessment>(
            r#"{"id":"asm_1","candidate_id":"c","application_id":"a","assessment_name":"Cognitive","status":"completed",
            "invited_at":"2025-01-01T00:00:00.000Z","completed_at":"2025-01-02T00:00:00.000Z","overall_score":71,"percentile":68,
            "skills":[{"name":"Problem solving","score":80,"max_score":100}],"traits":[{"name":"Grit","score":62,"band":"medium"}]}"#,
        );
        let a = assessment(&CTX, &w, &raw, Some("job_1".into()));
        assert_eq!(
            (a.status, a.score, a.max_score, a.percentile),
            (
                AssessmentStatus::Completed,
                Some(71.0),
                Some(100.0),
                Some(68.0)
            )
        );
        assert_eq!(a.signals.len(), 2);
        let (w, raw) = parse::<wire::Assessment>(
            r#"{"id":"asm_2","candidate_id":"c","status":"invited","overall_score":null,"skills":[],"traits":[]}"#,
        );
        let a = assessment(&CTX, &w, &raw, None);
        assert_eq!(
            (a.status, a.score, a.max_score),
            (AssessmentStatus::Invited, None, None)
        );

        let (w, raw) = parse::<wire::Interview>(
            r#"{"id":"int_1","application_id":"a","candidate_id":"c","scheduled_start":"2025-03-01T10:00:00.000Z","scheduled_end":"2025-03-01T11:00:00.000Z",
            "timezone":"UTC","mode":"video","location":null,"meeting_url":"https://meet.example/int_1","interviewers":[{"id":"u1","name":"Priya N","email":"p@x"}],"status":"scheduled"}"#,
        );
        let i = interview(&CTX, &w, &raw);
        assert_eq!(
            (i.status, i.title.as_deref()),
            (InterviewStatus::Scheduled, Some("Video interview"))
        );
        assert_eq!(i.interviewers, vec![Ref::new("u1", Some("Priya N".into()))]);

        let (w, raw) =
            parse::<wire::Person>(r#"{"id":"u1","name":"Priya","email":"p@x","role":"recruiter"}"#);
        let u = user(&CTX, &w, &raw);
        assert_eq!(
            (u.first_name.as_deref(), u.last_name.as_deref()),
            (Some("Priya"), None)
        );

        let (w, raw) = parse::<wire::Attachment>(
            r#"{"id":"att_1","candidate_id":"c","file_name":"cv.pdf","content_type":"application/pdf","kind":"resume","size":1234,"uploaded_at":"2025-01-01T00:00:00.000Z","download_url":"http://x/attachments/att_1/download"}"#,
        );
        let a = attachment(&CTX, &w, &raw);
        assert_eq!((a.kind, a.size), (AttachmentType::Resume, Some(1234.0)));
    }
}
