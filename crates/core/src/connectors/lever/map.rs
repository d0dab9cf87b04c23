//! Lever JSON → unified records. A person is a contact; each opportunity is an application.

use std::collections::HashMap;

use serde_json::Value;

use super::wire::{self, IdOr};
use crate::Vendor;
use crate::connectors::common::{from_millis, split_name};
use crate::model::*;

const V: Vendor = Vendor::Lever;

/// What a mapping needs besides the record: archive reason types (hired / non-hired) and stage
/// names, when known.
#[derive(Debug, Clone, Default)]
pub struct Ctx<'a> {
    pub account_id: &'a str,
    pub keep_remote: bool,
    pub archive_reasons: Option<&'a HashMap<String, wire::ArchiveReason>>,
    pub stage_names: Option<&'a HashMap<String, String>>,
}

pub fn stage_category(stage_id: &str) -> StageCategory {
    if stage_id.starts_with("lead-") {
        StageCategory::Lead
    } else if stage_id == "offer" {
        StageCategory::Offer
    } else {
        StageCategory::Active
    }
}

fn link_kind(url: &str) -> &'static str {
    let lower = url.to_ascii_lowercase();
    if lower.contains("linkedin.com") {
        "linkedin"
    } else if lower.contains("github.com") {
        "github"
    } else if lower.contains("twitter.com") || lower.contains("x.com/") {
        "twitter"
    } else {
        "other"
    }
}

pub fn application(ctx: &Ctx, o: &wire::Opportunity, raw: &Value) -> Application {
    let stage = o.stage.as_ref().map(|s| match s {
        IdOr::Id(id) => Ref::new(id.clone(), ctx.stage_names.and_then(|n| n.get(id).cloned())),
        IdOr::Expanded(st) => Ref::new(st.id.clone(), st.text.clone()),
    });
    let lever_application = o.applications.iter().find_map(|a| match a {
        IdOr::Expanded(app) => Some(app),
        IdOr::Id(_) => None,
    });
    let archived = o
        .archived
        .as_ref()
        .filter(|a| a.archived_at.is_some() || a.reason.is_some());
    let reason = archived
        .and_then(|a| a.reason.as_ref())
        .map(|id| (id, ctx.archive_reasons.and_then(|r| r.get(id))));
    let status = match (archived, &reason) {
        (None, _) => stage
            .as_ref()
            .map_or(StageCategory::Other, |s| stage_category(&s.id)),
        (Some(_), Some((_, Some(r)))) if r.kind.as_deref() == Some("hired") => StageCategory::Hired,
        (Some(_), Some((_, Some(_)))) => StageCategory::Rejected,
        // Archived for a reason we could not look up: closed, but we cannot say how.
        (Some(_), _) => StageCategory::Archived,
    };
    Application {
        id: o.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        candidate_id: o.contact.clone(),
        job: lever_application
            .and_then(|a| a.posting.clone())
            .map(|p| Ref::new(p, None)),
        current_stage: stage,
        status,
        applied_at: lever_application
            .and_then(|a| from_millis(a.created_at))
            .or_else(|| {
                (o.origin.as_deref() == Some("applied"))
                    .then(|| from_millis(o.created_at))
                    .flatten()
            }),
        rejected_at: (status == StageCategory::Rejected)
            .then(|| archived.and_then(|a| from_millis(a.archived_at)))
            .flatten(),
        reject_reason: (status == StageCategory::Rejected)
            .then(|| reason.map(|(id, r)| Ref::new(id.clone(), r.and_then(|r| r.text.clone()))))
            .flatten(),
        source: o.sources.first().cloned(),
        credited_to: o.sourced_by.as_ref().map(|s| match s {
            IdOr::Id(id) => Ref::new(id.clone(), None),
            IdOr::Expanded(u) => Ref::new(u.id.clone(), u.name.clone()),
        }),
        created_at: from_millis(o.created_at),
        updated_at: from_millis(o.updated_at),
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    }
}

/// One person from their opportunities (at least one), most recently updated first for fields
/// that differ.
pub fn candidate(ctx: &Ctx, opportunities: &[(&wire::Opportunity, &Value)]) -> Option<Candidate> {
    let mut sorted: Vec<_> = opportunities.to_vec();
    sorted.sort_by(|a, b| {
        b.0.updated_at
            .unwrap_or(0.0)
            .total_cmp(&a.0.updated_at.unwrap_or(0.0))
    });
    let (latest, _) = *sorted.first()?;
    let (first_name, last_name) = split_name(latest.name.as_deref());
    let mut emails: Vec<Email> = Vec::new();
    let mut phones: Vec<Phone> = Vec::new();
    let mut urls: Vec<Link> = Vec::new();
    let mut tags: Vec<Tag> = Vec::new();
    for (o, _) in &sorted {
        for e in &o.emails {
            if !emails.iter().any(|x| x.email.eq_ignore_ascii_case(e)) {
                emails.push(Email {
                    email: e.clone(),
                    kind: None,
                });
            }
        }
        for p in &o.phones {
            if let Some(number) = p.value.as_ref().filter(|v| !v.is_empty())
                && !phones.iter().any(|x| &x.number == number)
            {
                phones.push(Phone {
                    number: number.clone(),
                    kind: p.kind.clone(),
                    extension: None,
                });
            }
        }
        for l in &o.links {
            if !urls.iter().any(|x| &x.url == l) {
                urls.push(Link {
                    url: l.clone(),
                    kind: Some(link_kind(l).to_owned()),
                });
            }
        }
        for t in &o.tags {
            if !tags.iter().any(|x| &x.name == t) {
                tags.push(Tag {
                    id: None,
                    name: t.clone(),
                });
            }
        }
    }
    let mut applications: Vec<Application> = sorted
        .iter()
        .map(|(o, raw)| application(ctx, o, raw))
        .collect();
    applications.sort_by_key(|a| a.created_at);
    Some(Candidate {
        id: latest.contact.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        first_name,
        last_name,
        name: latest.name.clone().filter(|n| !n.trim().is_empty()),
        company: None,
        title: latest.headline.clone().filter(|h| !h.is_empty()),
        location: latest.location.clone().filter(|l| !l.is_empty()),
        emails,
        phones,
        urls,
        tags,
        source: sorted
            .iter()
            .rev()
            .find_map(|(o, _)| o.sources.first().cloned()),
        applications,
        attachments: Vec::new(),
        created_at: sorted
            .iter()
            .filter_map(|(o, _)| from_millis(o.created_at))
            .min(),
        updated_at: sorted
            .iter()
            .filter_map(|(o, _)| from_millis(o.updated_at))
            .max(),
        remote_data: ctx.keep_remote.then(|| {
            Value::Object(
                [(
                    "opportunities".to_owned(),
                    Value::Array(sorted.iter().map(|(_, r)| (*r).clone()).collect()),
                )]
                .into_iter()
                .collect(),
            )
        }),
    })
}

/// People from a page of opportunities, grouped by contact in first-seen order.
pub fn candidates(ctx: &Ctx, opportunities: &[(wire::Opportunity, Value)]) -> Vec<Candidate> {
    let mut order: Vec<&str> = Vec::new();
    let mut groups: HashMap<&str, Vec<(&wire::Opportunity, &Value)>> = HashMap::new();
    for (o, raw) in opportunities {
        groups
            .entry(o.contact.as_str())
            .or_insert_with(|| {
                order.push(o.contact.as_str());
                Vec::new()
            })
            .push((o, raw));
    }
    order
        .iter()
        .filter_map(|c| candidate(ctx, &groups[c]))
        .collect()
}

pub fn job_status(state: Option<&str>) -> JobStatus {
    match state.unwrap_or_default() {
        "published" | "internal" => JobStatus::Open,
        "draft" | "pending" => JobStatus::Draft,
        "closed" | "rejected" => JobStatus::Closed,
        _ => JobStatus::Other,
    }
}

pub fn job(ctx: &Ctx, p: &wire::Posting, raw: &Value) -> Job {
    let cats = p.categories.clone().unwrap_or_default();
    let locations = if cats.all_locations.is_empty() {
        cats.location.iter().cloned().collect()
    } else {
        cats.all_locations.clone()
    };
    let visibility = match (p.state.as_deref(), &p.distribution_channels) {
        (Some("internal"), _) => Some("internal".to_owned()),
        (_, Some(ch)) if ch.iter().any(|c| c == "public") => Some("public".to_owned()),
        (_, Some(ch)) if ch.iter().any(|c| c == "internal") => Some("internal".to_owned()),
        _ => None,
    };
    Job {
        id: p.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        name: p.text.clone().unwrap_or_default(),
        description: p
            .content
            .as_ref()
            .and_then(|c| c.description_html.clone().or_else(|| c.description.clone())),
        code: p.requisition_codes.first().cloned(),
        status: job_status(p.state.as_deref()),
        visibility,
        department: cats.department.clone().or(cats.team.clone()),
        locations,
        employment_type: cats.commitment.clone(),
        remote: p.workplace_type.as_deref().and_then(|w| match w {
            "remote" => Some(true),
            "onsite" | "on-site" => Some(false),
            _ => None,
        }),
        hiring_managers: p
            .hiring_manager
            .iter()
            .map(|id| Ref::new(id.clone(), None))
            .collect(),
        tags: p
            .tags
            .iter()
            .map(|t| Tag {
                id: None,
                name: t.clone(),
            })
            .collect(),
        url: p.urls.as_ref().and_then(|u| u.show.clone()),
        created_at: from_millis(p.created_at),
        updated_at: from_millis(p.updated_at),
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    }
}

pub fn user(ctx: &Ctx, u: &wire::User, raw: &Value) -> User {
    let (first_name, last_name) = split_name(u.name.as_deref());
    User {
        id: u.id.clone(),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        first_name,
        last_name,
        name: u.name.clone(),
        emails: u
            .email
            .iter()
            .map(|e| Email {
                email: e.clone(),
                kind: Some("work".into()),
            })
            .collect(),
        title: u.job_title.clone(),
        status: if u.deactivated_at.is_some() {
            UserStatus::Inactive
        } else {
            UserStatus::Active
        },
        roles: u
            .access_role
            .iter()
            .map(|r| Ref::new(r.clone(), Some(r.clone())))
            .collect(),
        groups: Vec::new(),
        created_at: from_millis(u.created_at),
        updated_at: None,
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    }
}

/// Lever's built-in access roles (ats-specs §2.4); it has no roles endpoint.
pub const ACCESS_ROLES: [&str; 5] = [
    "super admin",
    "admin",
    "team member",
    "limited team member",
    "interviewer",
];

pub fn roles(ctx: &Ctx) -> Vec<Role> {
    ACCESS_ROLES
        .iter()
        .map(|r| Role {
            id: (*r).to_owned(),
            account_id: ctx.account_id.to_owned(),
            vendor: V,
            name: (*r).to_owned(),
            description: None,
            remote_data: None,
        })
        .collect()
}

pub fn stage(s: &wire::Stage, index: usize, raw: &Value, keep: bool) -> JobStage {
    JobStage {
        id: s.id.clone(),
        name: s.text.clone().unwrap_or_else(|| s.id.clone()),
        job_id: None,
        category: stage_category(&s.id),
        index: Some(index as i32),
        remote_data: keep.then(|| raw.clone()),
    }
}

/// Kinds of Lever attachment, part of the unified id `<opportunity>:<kind>:<id>`.
pub const FILE: &str = "file";
pub const RESUME: &str = "resume";

pub fn file(
    ctx: &Ctx,
    contact: &str,
    opportunity: &str,
    f: &wire::File,
    raw: &Value,
) -> Option<Attachment> {
    let id = f.id.clone()?;
    Some(Attachment {
        id: format!("{opportunity}:{FILE}:{id}"),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        candidate_id: Some(contact.to_owned()),
        application_id: Some(opportunity.to_owned()),
        file_name: f.name.clone().unwrap_or(id),
        file_url: f.download_url.clone(),
        content_type: f
            .ext
            .as_deref()
            .and_then(|e| mime_guess::from_ext(e).first_raw())
            .map(str::to_owned),
        size: f.size,
        kind: AttachmentType::Other,
        created_at: from_millis(f.uploaded_at),
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    })
}

pub fn resume(
    ctx: &Ctx,
    contact: &str,
    opportunity: &str,
    r: &wire::Resume,
    raw: &Value,
) -> Attachment {
    let f = r.file.clone().unwrap_or_default();
    Attachment {
        id: format!("{opportunity}:{RESUME}:{}", r.id),
        account_id: ctx.account_id.to_owned(),
        vendor: V,
        candidate_id: Some(contact.to_owned()),
        application_id: Some(opportunity.to_owned()),
        file_name: f.name.clone().unwrap_or_else(|| r.id.clone()),
        file_url: f.download_url.clone(),
        content_type: f
            .ext
            .as_deref()
            .and_then(|e| mime_guess::from_ext(e).first_raw())
            .map(str::to_owned),
        size: f.size,
        kind: AttachmentType::Resume,
        created_at: from_millis(r.created_at.or(f.uploaded_at)),
        remote_data: ctx.keep_remote.then(|| raw.clone()),
    }
}

pub fn form_fields(form: &wire::ApplyForm) -> Vec<FormField> {
    form.custom_questions
        .iter()
        .flat_map(|q| {
            q.fields.iter().enumerate().map(move |(i, f)| FormField {
                question_id: q.id.clone(),
                field_id: f.id.clone().unwrap_or_else(|| i.to_string()),
                label: f
                    .text
                    .clone()
                    .or_else(|| q.text.clone())
                    .unwrap_or_default(),
                field_type: f.kind.clone().unwrap_or_else(|| "text".into()),
                required: f.required,
                options: f.options.iter().map(|o| o.text.clone()).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ats-specs §2.6, recorded sandbox opportunity (trimmed).
    const OPPORTUNITY: &str = r#"{"id":"90bb80d6-db1b-4ba8-9d4f-8bcb25b6c017","name":"Nango Test Candidate","contact":"1419004b-c860-4c8f-a46a-4a5a9cccdee6",
 "headline":"Test Headline","stage":"lead-new","confidentiality":"non-confidential","location":"",
 "phones":[{"type":"mobile","value":"(555) 123-4567"}],"emails":["test@nango.dev"],"links":[],"archived":null,
 "tags":["Test","Engineering","San Francisco, CA","Full-time"],"sources":["LinkedIn"],
 "stageChanges":[{"toStageId":"lead-new","toStageIndex":0,"updatedAt":1782975358767,"userId":"c4bc6266-375b-4d45-9b3b-ad527ba5f3ef"}],
 "origin":"sourced","sourcedBy":"c4bc6266-375b-4d45-9b3b-ad527ba5f3ef","owner":"c4bc6266-375b-4d45-9b3b-ad527ba5f3ef",
 "followers":["32bc4d3b-1aa6-4e2b-92d0-2e575047001e"],"applications":["75b839b7-4173-4473-89ec-abdd4c6f7194"],
 "createdAt":1782975358767,"updatedAt":1782975358805,"lastInteractionAt":1782975358769,"lastAdvancedAt":1782975358767,
 "snoozedUntil":null,"urls":{"list":"https://hire.lever.co/candidates","show":"https://hire.lever.co/candidates/90bb80d6-db1b-4ba8-9d4f-8bcb25b6c017"},
 "isAnonymized":false,"dataProtection":null,"opportunityLocation":"San Francisco, CA"}"#;

    fn ctx() -> Ctx<'static> {
        Ctx {
            account_id: "acc",
            keep_remote: true,
            archive_reasons: None,
            stage_names: None,
        }
    }

    fn parse(raw: &str) -> (wire::Opportunity, Value) {
        let v: Value = serde_json::from_str(raw).expect("json");
        (serde_json::from_value(v.clone()).expect("opportunity"), v)
    }

    #[test]
    fn maps_a_recorded_opportunity_into_a_person_and_an_application() {
        let (o, raw) = parse(OPPORTUNITY);
        let c = candidate(&ctx(), &[(&o, &raw)]).expect("one person");
        assert_eq!(c.id, "1419004b-c860-4c8f-a46a-4a5a9cccdee6");
        assert_eq!(c.first_name.as_deref(), Some("Nango"));
        assert_eq!(c.last_name.as_deref(), Some("Test Candidate"));
        assert_eq!(c.title.as_deref(), Some("Test Headline"));
        assert_eq!(c.location, None, "empty location is no location");
        assert_eq!(
            c.phones[0],
            Phone {
                number: "(555) 123-4567".into(),
                kind: Some("mobile".into()),
                extension: None
            }
        );
        assert_eq!(c.source.as_deref(), Some("LinkedIn"));
        let a = &c.applications[0];
        assert_eq!(a.id, "90bb80d6-db1b-4ba8-9d4f-8bcb25b6c017");
        assert_eq!(a.status, StageCategory::Lead);
        assert_eq!(a.current_stage, Some(Ref::new("lead-new", None)));
        assert_eq!(
            a.credited_to,
            Some(Ref::new("c4bc6266-375b-4d45-9b3b-ad527ba5f3ef", None))
        );
        assert_eq!(a.created_at.expect("ms").timestamp_millis(), 1782975358767);
        assert_eq!(a.applied_at, None, "sourced, not applied");
    }

    #[test]
    fn a_name_without_a_space_is_a_first_name_and_unicode_survives() {
        let (o, raw) =
            parse(r#"{"id":"o1","contact":"c1","name":"Björk","emails":["björk@exämple.is"]}"#);
        let c = candidate(&ctx(), &[(&o, &raw)]).expect("person");
        assert_eq!(c.first_name.as_deref(), Some("Björk"));
        assert_eq!(c.last_name, None);
        assert_eq!(c.emails[0].email, "björk@exämple.is");
        assert_eq!(
            c.applications[0].status,
            StageCategory::Other,
            "no stage at all"
        );
    }

    #[test]
    fn groups_opportunities_by_contact_and_reads_archive_reasons() {
        let reasons: HashMap<String, wire::ArchiveReason> = [
            ("r-hired", "hired", "Hired"),
            ("r-no", "non-hired", "Underqualified"),
        ]
        .into_iter()
        .map(|(id, kind, text)| {
            (
                id.to_owned(),
                wire::ArchiveReason {
                    id: id.into(),
                    text: Some(text.into()),
                    kind: Some(kind.into()),
                },
            )
        })
        .collect();
        let ctx = Ctx {
            archive_reasons: Some(&reasons),
            ..ctx()
        };
        let page = [
            parse(
                r#"{"id":"o1","contact":"c1","name":"A B","stage":{"id":"offer","text":"Offer"},"createdAt":1,"updatedAt":5,"archived":{"archivedAt":10,"reason":"r-hired"},"applications":[{"id":"ap","posting":"p1","createdAt":2}]}"#,
            ),
            parse(
                r#"{"id":"o2","contact":"c2","name":"C D","stage":"applicant-new","createdAt":1,"updatedAt":1}"#,
            ),
            parse(
                r#"{"id":"o3","contact":"c1","name":"A B","stage":"applicant-new","createdAt":3,"updatedAt":9,"archived":{"archivedAt":12,"reason":"r-no"}}"#,
            ),
            parse(
                r#"{"id":"o4","contact":"c3","name":"E","stage":"applicant-new","archived":{"archivedAt":12,"reason":"unknown"}}"#,
            ),
        ];
        let people = candidates(&ctx, &page);
        assert_eq!(
            people.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["c1", "c2", "c3"]
        );
        let apps = &people[0].applications;
        assert_eq!(apps.len(), 2);
        assert_eq!(apps[0].status, StageCategory::Hired);
        assert_eq!(apps[0].job, Some(Ref::new("p1", None)));
        assert_eq!(
            apps[0].current_stage,
            Some(Ref::new("offer", Some("Offer".into())))
        );
        assert_eq!(apps[1].status, StageCategory::Rejected);
        assert_eq!(
            apps[1].reject_reason,
            Some(Ref::new("r-no", Some("Underqualified".into())))
        );
        assert_eq!(apps[1].rejected_at.expect("at").timestamp_millis(), 12);
        assert_eq!(people[1].applications[0].status, StageCategory::Active);
        assert_eq!(people[2].applications[0].status, StageCategory::Archived);
    }

    #[test]
    fn maps_a_recorded_posting() {
        let raw: Value = serde_json::from_str(r#"{"id":"75ff237f-c221-4c26-8b23-faf395f5ea1c","text":"Nango Seed Posting 1","state":"internal","distributionChannels":null,
 "user":"32bc4d3b-1aa6-4e2b-92d0-2e575047001e","owner":"32bc4d3b-1aa6-4e2b-92d0-2e575047001e","hiringManager":null,
 "categories":{"commitment":"Full-time","department":"Research & Development","level":null,"location":"San Francisco, CA",
   "team":"Engineering","allLocations":["San Francisco, CA"]},
 "tags":[],"content":{"description":"Seed posting…\n","descriptionHtml":"<div>Seed posting…</div>","lists":[],"closing":"","closingHtml":""},
 "country":"US","followers":["32bc4d3b-1aa6-4e2b-92d0-2e575047001e"],"reqCode":null,"requisitionCodes":[],
 "urls":{"list":"https://jobs.lever.co/nango","show":"https://jobs.lever.co/nango/75ff237f","apply":"https://jobs.lever.co/nango/75ff237f/apply"},
 "confidentiality":"non-confidential","createdAt":1782972961725,"updatedAt":1782972961725,"workplaceType":"unspecified"}"#).expect("json");
        let p: wire::Posting = serde_json::from_value(raw.clone()).expect("posting");
        let j = job(&ctx(), &p, &raw);
        assert_eq!(j.name, "Nango Seed Posting 1");
        assert_eq!(j.status, JobStatus::Open);
        assert_eq!(j.visibility.as_deref(), Some("internal"));
        assert_eq!(j.department.as_deref(), Some("Research & Development"));
        assert_eq!(j.locations, ["San Francisco, CA"]);
        assert_eq!(j.employment_type.as_deref(), Some("Full-time"));
        assert_eq!(j.description.as_deref(), Some("<div>Seed posting…</div>"));
        assert_eq!(j.remote, None);
        assert_eq!(j.code, None);
    }

    #[test]
    fn maps_users_stages_files_resumes_and_forms() {
        let raw: Value = serde_json::from_str(r#"{"id":"u1","name":"Ünal","email":"u@x.io","createdAt":1,"deactivatedAt":2,"accessRole":"interviewer","jobTitle":"EM"}"#).expect("json");
        let u = user(
            &ctx(),
            &serde_json::from_value(raw.clone()).expect("user"),
            &raw,
        );
        assert_eq!(u.first_name.as_deref(), Some("Ünal"));
        assert_eq!(u.status, UserStatus::Inactive);
        assert_eq!(
            u.roles,
            vec![Ref::new("interviewer", Some("interviewer".into()))]
        );

        let stages: wire::ListEnvelope = serde_json::from_str(r#"{"data":[{"id":"lead-new","text":"New lead"},{"id":"2ca03d97-d4f2-4a97-89de-96c8b0d07924","text":"Recruiter screen"},{"id":"offer","text":"Offer"}],"hasNext":false}"#).expect("stages");
        assert_eq!(stages.next, None);
        let mapped: Vec<JobStage> = stages
            .data
            .iter()
            .enumerate()
            .map(|(i, r)| {
                stage(
                    &serde_json::from_value(r.clone()).expect("stage"),
                    i,
                    r,
                    false,
                )
            })
            .collect();
        assert_eq!(
            mapped.iter().map(|s| s.category).collect::<Vec<_>>(),
            [
                StageCategory::Lead,
                StageCategory::Active,
                StageCategory::Offer
            ]
        );

        let raw: Value = serde_json::from_str(r#"{"id":"f1","downloadUrl":"https://api.lever.co/v1/opportunities/o1/files/f1/download","ext":"pdf","name":"cv.pdf","uploadedAt":1700000000000,"status":"processed","size":2048}"#).expect("json");
        let a = file(
            &ctx(),
            "c1",
            "o1",
            &serde_json::from_value(raw.clone()).expect("file"),
            &raw,
        )
        .expect("has id");
        assert_eq!(a.id, "o1:file:f1");
        assert_eq!(a.content_type.as_deref(), Some("application/pdf"));
        assert_eq!(a.size, Some(2048.0));

        let raw: Value = serde_json::from_str(r#"{"id":"r1","createdAt":5,"file":{"name":"résumé.docx","ext":"docx","downloadUrl":"x","size":10}}"#).expect("json");
        let a = resume(
            &ctx(),
            "c1",
            "o1",
            &serde_json::from_value(raw.clone()).expect("resume"),
            &raw,
        );
        assert_eq!(
            (a.id.as_str(), a.kind, a.file_name.as_str()),
            ("o1:resume:r1", AttachmentType::Resume, "résumé.docx")
        );

        let form: wire::ApplyForm = serde_json::from_str(r#"{"id":"p","customQuestions":[{"id":"q1","text":"Card","fields":[{"type":"text","text":"Why us?","required":true},{"type":"dropdown","text":"Visa?","required":false,"options":[{"text":"Yes"},{"text":"No"}]}]}],"personalInformation":[{"name":"fullName","required":true}]}"#).expect("form");
        let fields = form_fields(&form);
        assert_eq!(fields.len(), 2);
        assert_eq!(
            (
                fields[0].question_id.as_str(),
                fields[0].field_id.as_str(),
                fields[0].required
            ),
            ("q1", "0", true)
        );
        assert_eq!(fields[1].options, ["Yes", "No"]);
    }
}
