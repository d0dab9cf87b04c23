//! The fake Lever data API (ats-specs §2): opportunities (candidacies of contacts), resumes, files,
//! postings with apply forms, uploads, users, stages, archive reasons, tags, sources, deleted records.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, RawQuery, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use rand::Rng;
use serde_json::{Value, json};

use crate::gate::{Gate, gate, vendor_error};
use crate::seeddata::{self, Person, pick, pick_str};
use crate::sr::Content;
use crate::util::{self, FormData, Params, read, write};
use crate::{AppState, Config, VendorId};

const V: VendorId = VendorId::Lever;
pub const MAX_UPLOAD_BYTES: usize = 30 * 1024 * 1024;

pub const SCOPES: &[&str] = &[
    "offline_access",
    "applications:read:admin",
    "archive_reasons:read:admin",
    "audit_events:read:admin",
    "confidential:access:admin",
    "contact:read:admin",
    "contact:write:admin",
    "feedback:read:admin",
    "feedback:write:admin",
    "files:read:admin",
    "files:write:admin",
    "interviews:read:admin",
    "interviews:write:admin",
    "notes:read:admin",
    "notes:write:admin",
    "offers:read:admin",
    "opportunities:read:admin",
    "opportunities:write:admin",
    "postings:read:admin",
    "postings:write:admin",
    "resumes:read:admin",
    "sources:read:admin",
    "stages:read:admin",
    "tags:read:admin",
    "uploads:write:admin",
    "users:read:admin",
    "users:write:admin",
    "webhooks:read:admin",
    "webhooks:write:admin",
];

const BUILTIN_STAGES: &[(&str, &str)] = &[
    ("lead-new", "New lead"),
    ("lead-reached-out", "Reached out"),
    ("lead-responded", "Responded"),
    ("applicant-new", "New applicant"),
];
const CUSTOM_STAGES: &[&str] = &[
    "Recruiter screen",
    "Phone interview",
    "On-site interview",
    "Reference check",
];
const ARCHIVE_REASONS: &[(&str, &str)] = &[
    ("Hired", "hired"),
    ("Underqualified", "non-hired"),
    ("Withdrew", "non-hired"),
    ("Position filled", "non-hired"),
    ("Timing", "non-hired"),
    ("No show", "non-hired"),
    ("Offer declined", "non-hired"),
];
const LEVER_SOURCES: &[&str] = &[
    "LinkedIn",
    "Indeed",
    "Referral",
    "Company website",
    "AngelList",
    "Agency",
    "GitHub",
    "Meetup",
];
const ORIGINS: &[&str] = &[
    "sourced",
    "applied",
    "referred",
    "agency",
    "university",
    "internal",
];
const TEAMS: &[(&str, &str)] = &[
    ("Engineering", "Research & Development"),
    ("Design", "Research & Development"),
    ("Sales", "Go To Market"),
    ("Marketing", "Go To Market"),
    ("Finance", "G&A"),
    ("People", "G&A"),
    ("Support", "Customer Experience"),
];
const COMMITMENTS: &[&str] = &["Full-time", "Part-time", "Contract", "Internship"];
const ACCESS_ROLES: &[&str] = &[
    "super admin",
    "admin",
    "team member",
    "limited team member",
    "interviewer",
];

#[derive(Debug, Clone)]
pub struct Stage {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct ArchiveReason {
    pub id: String,
    pub text: &'static str,
    pub kind: &'static str,
}

#[derive(Debug, Clone)]
pub struct LUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub created: i64,
    pub deactivated: Option<i64>,
    pub role: &'static str,
    pub job_title: String,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub id: String,
    pub person: Person,
    pub headline: String,
}

#[derive(Debug, Clone)]
pub struct StageChange {
    pub stage: usize,
    pub at: i64,
    pub user: usize,
}

#[derive(Debug, Clone)]
pub struct Application {
    pub id: String,
    pub created: i64,
    pub kind: &'static str,
    pub answers: Value,
}

#[derive(Debug, Clone)]
pub struct Opportunity {
    pub id: String,
    pub contact: usize,
    pub stage: usize,
    pub stage_changes: Vec<StageChange>,
    pub archived: Option<(i64, usize)>,
    pub tags: Vec<String>,
    pub links: Vec<String>,
    pub sources: Vec<String>,
    pub origin: &'static str,
    pub owner: usize,
    pub sourced_by: usize,
    pub followers: Vec<usize>,
    pub posting: Option<usize>,
    pub application: Option<Application>,
    pub created: i64,
    pub updated: i64,
    pub last_interaction: i64,
    pub last_advanced: i64,
    pub files: Vec<usize>,
    pub resumes: Vec<usize>,
    pub deleted: Option<(i64, usize)>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: String,
    pub kind: &'static str,
    pub text: String,
    pub required: bool,
    pub options: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Posting {
    pub id: String,
    pub text: String,
    pub state: &'static str,
    pub owner: usize,
    pub hiring_manager: Option<usize>,
    pub team: usize,
    pub place: seeddata::Place,
    pub commitment: &'static str,
    pub tags: Vec<String>,
    pub created: i64,
    pub updated: i64,
    pub workplace: &'static str,
    pub questions: Vec<Question>,
    pub resume_required: bool,
    pub salary: (u32, u32, &'static str),
}

#[derive(Debug, Clone)]
pub struct FileRec {
    pub id: String,
    pub opp: usize,
    pub name: String,
    pub uploaded: i64,
    pub content: Content,
    pub deleted: bool,
}

#[derive(Debug, Clone)]
pub struct Upload {
    pub id: String,
    pub filename: String,
    pub data: Arc<Vec<u8>>,
    pub expires: i64,
}

#[derive(Debug, Default)]
pub struct Store {
    pub stages: Vec<Stage>,
    pub reasons: Vec<ArchiveReason>,
    pub users: Vec<LUser>,
    pub contacts: Vec<Contact>,
    pub contact_by_email: util::FastMap<String, usize>,
    pub opps: Vec<Opportunity>,
    pub opp_by_id: util::FastMap<String, usize>,
    pub postings: Vec<Posting>,
    pub files: Vec<FileRec>,
    pub file_by_id: util::FastMap<String, usize>,
    pub uploads: util::FastMap<String, Upload>,
}

fn pipeline_offer() -> usize {
    BUILTIN_STAGES.len() + CUSTOM_STAGES.len()
}

impl Store {
    pub fn generate(cfg: &Config) -> Store {
        let mut rng = seeddata::rng_for(cfg.seed, 2);
        let mut s = Store::default();
        for (id, text) in BUILTIN_STAGES {
            s.stages.push(Stage {
                id: id.to_string(),
                text: text.to_string(),
            });
        }
        for text in CUSTOM_STAGES {
            s.stages.push(Stage {
                id: util::uuid_from(&mut rng),
                text: text.to_string(),
            });
        }
        s.stages.push(Stage {
            id: "offer".into(),
            text: "Offer".into(),
        });
        for (text, kind) in ARCHIVE_REASONS {
            s.reasons.push(ArchiveReason {
                id: util::uuid_from(&mut rng),
                text,
                kind,
            });
        }
        for i in 0..cfg.users.max(1) {
            let p = seeddata::person(&mut rng, i);
            s.users.push(LUser {
                id: util::uuid_from(&mut rng),
                name: p.full_name(),
                email: p.email.clone(),
                created: seeddata::past_ms(&mut rng),
                deactivated: (i > 0 && rng.random_bool(0.08)).then(|| seeddata::past_ms(&mut rng)),
                role: if i == 0 {
                    "super admin"
                } else {
                    pick_str(&mut rng, ACCESS_ROLES)
                },
                job_title: p.title.to_string(),
            });
        }
        let places = seeddata::all_places();
        for i in 0..cfg.jobs.max(1) {
            let team = rng.random_range(0..TEAMS.len());
            let created = seeddata::past_ms(&mut rng);
            let state = match i % 8 {
                5 => "internal",
                6 => "closed",
                7 => "draft",
                _ => "published",
            };
            s.postings.push(Posting {
                id: util::uuid_from(&mut rng),
                text: pick(&mut rng, seeddata::TITLES).to_string(),
                state,
                owner: rng.random_range(0..s.users.len()),
                hiring_manager: rng
                    .random_bool(0.8)
                    .then(|| rng.random_range(0..s.users.len())),
                team,
                place: *pick(&mut rng, &places),
                commitment: pick_str(&mut rng, COMMITMENTS),
                tags: vec![TEAMS[team].0.to_string()],
                created,
                updated: created + rng.random_range(0..30 * 86_400_000),
                workplace: pick_str(&mut rng, &["onsite", "remote", "hybrid", "unspecified"]),
                questions: gen_questions(&mut rng),
                resume_required: rng.random_bool(0.5),
                salary: (
                    rng.random_range(50..100) * 1000,
                    rng.random_range(100..200) * 1000,
                    "USD",
                ),
            });
        }
        s.opps.reserve(cfg.candidates);
        let mut n = 0;
        while s.opps.len() < cfg.candidates {
            let person = seeddata::person(&mut rng, n);
            let ci = s.contacts.len();
            s.contact_by_email.insert(person.email.to_lowercase(), ci);
            s.contacts.push(Contact {
                id: util::uuid_from(&mut rng),
                headline: format!("{}, {}", person.title, person.company),
                person,
            });
            n += 1;
            let count = if rng.random_bool(0.03) {
                3
            } else if rng.random_bool(0.12) {
                2
            } else {
                1
            };
            for _ in 0..count {
                if s.opps.len() >= cfg.candidates {
                    break;
                }
                let o = s.gen_opp(&mut rng, ci);
                let oi = s.opps.len();
                s.opp_by_id.insert(o.id.clone(), oi);
                s.opps.push(o);
                if rng.random_bool(0.75) {
                    let created = s.opps[oi].created;
                    let contact = &s.contacts[ci].person;
                    let name = format!(
                        "{}-resume.pdf",
                        contact.email.split('@').next().unwrap_or("resume")
                    );
                    let f = FileRec {
                        id: util::uuid_from(&mut rng),
                        opp: oi,
                        name,
                        uploaded: created,
                        content: Content::SeededResume,
                        deleted: false,
                    };
                    let fi = s.add_file(f);
                    s.opps[oi].resumes.push(fi);
                }
            }
        }
        s
    }

    fn gen_opp<R: Rng>(&self, rng: &mut R, contact: usize) -> Opportunity {
        let created = seeddata::past_ms(rng);
        let origin = *pick(rng, ORIGINS);
        let posting = (origin == "applied" || rng.random_bool(0.6))
            .then(|| rng.random_range(0..self.postings.len()));
        let start = if origin == "applied" { 3 } else { 0 };
        let offer = pipeline_offer();
        let end = rng.random_range(start..=offer);
        let users = self.users.len();
        let mut t = created;
        let mut changes = Vec::new();
        let mut stage = start;
        changes.push(StageChange {
            stage,
            at: t,
            user: rng.random_range(0..users),
        });
        while stage < end {
            stage = (stage + rng.random_range(1..=2)).min(end);
            t += rng.random_range(3_600_000..8 * 86_400_000);
            changes.push(StageChange {
                stage,
                at: t,
                user: rng.random_range(0..users),
            });
        }
        let outcome: f64 = rng.random();
        let archived = if stage == offer && outcome < 0.6 {
            t += rng.random_range(3_600_000..5 * 86_400_000);
            Some((t, 0))
        } else if outcome < 0.3 {
            t += rng.random_range(3_600_000..5 * 86_400_000);
            Some((t, rng.random_range(1..ARCHIVE_REASONS.len())))
        } else {
            None
        };
        let owner = rng.random_range(0..users);
        let nsources = rng.random_range(1..=2);
        let sources: Vec<String> = (0..nsources)
            .map(|_| pick(rng, LEVER_SOURCES).to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut tags = self.contacts[contact].person.tags.clone();
        if let Some(p) = posting {
            tags.push(TEAMS[self.postings[p].team].0.to_string());
        }
        Opportunity {
            id: util::uuid_from(rng),
            contact,
            stage,
            stage_changes: changes,
            archived,
            tags,
            links: vec![self.contacts[contact].person.linkedin()],
            sources,
            origin,
            owner,
            sourced_by: owner,
            followers: vec![owner, rng.random_range(0..users)]
                .into_iter()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect(),
            posting,
            application: posting.map(|_| Application {
                id: util::uuid_from(rng),
                created,
                kind: "posting",
                answers: json!([]),
            }),
            created,
            updated: t + rng.random_range(0..86_400_000),
            last_interaction: t,
            last_advanced: t,
            files: Vec::new(),
            resumes: Vec::new(),
            deleted: None,
        }
    }

    fn add_file(&mut self, f: FileRec) -> usize {
        let i = self.files.len();
        self.file_by_id.insert(f.id.clone(), i);
        self.files.push(f);
        i
    }

    pub fn opp(&self, id: &str) -> Option<usize> {
        self.opp_by_id
            .get(id)
            .copied()
            .filter(|&i| self.opps[i].deleted.is_none())
    }
    fn posting(&self, id: &str) -> Option<usize> {
        self.postings.iter().position(|p| p.id == id)
    }
    fn user(&self, id: &str) -> Option<usize> {
        self.users.iter().position(|u| u.id == id)
    }
    pub fn stage(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }
    fn file_size(&self, i: usize) -> usize {
        match &self.files[i].content {
            Content::Bytes(b) => b.len(),
            Content::SeededResume => self.file_bytes(i).len(),
        }
    }
    fn file_bytes(&self, i: usize) -> Vec<u8> {
        let f = &self.files[i];
        match &f.content {
            Content::SeededResume => {
                seeddata::resume_pdf(&self.contacts[self.opps[f.opp].contact].person)
            }
            Content::Bytes(b) => b.as_ref().clone(),
        }
    }

    /// Move an opportunity to a stage (records the change and bumps `updatedAt`).
    pub fn move_stage(&mut self, oi: usize, stage: usize, user: usize, now: i64) {
        let o = &mut self.opps[oi];
        o.stage = stage;
        o.stage_changes.push(StageChange {
            stage,
            at: now,
            user,
        });
        o.updated = now;
        o.last_advanced = now;
        o.last_interaction = now;
    }
    pub fn archive(&mut self, oi: usize, reason: Option<usize>, now: i64) {
        let o = &mut self.opps[oi];
        o.archived = reason.map(|r| (now, r));
        o.updated = now;
    }
    pub fn delete(&mut self, oi: usize, user: usize, now: i64) {
        self.opps[oi].deleted = Some((now, user));
    }
}

impl Store {
    /// Simulated recruiter activity: `n` random changes (see `admin::Change`).
    pub(crate) fn mutate<R: Rng>(
        &mut self,
        rng: &mut R,
        n: usize,
        clock: &util::Clock,
        out: &mut crate::admin::VendorChanges,
    ) {
        use crate::admin::Change;
        for _ in 0..n {
            let change = Change::pick(rng);
            let now = clock.now_ms();
            let live = self.opps.len();
            if change == Change::Create || live == 0 {
                // Half of the new opportunities belong to an existing contact (a person applying again).
                let contact = if rng.random_bool(0.5) && !self.contacts.is_empty() {
                    rng.random_range(0..self.contacts.len())
                } else {
                    let person = seeddata::person(rng, self.contacts.len());
                    let ci = self.contacts.len();
                    self.contact_by_email
                        .insert(person.email.to_lowercase(), ci);
                    self.contacts.push(Contact {
                        id: util::uuid_from(rng),
                        headline: format!("{}, {}", person.title, person.company),
                        person,
                    });
                    ci
                };
                let mut o = self.gen_opp(rng, contact);
                o.created = now;
                o.updated = now;
                o.last_interaction = now;
                o.last_advanced = now;
                o.archived = None;
                o.stage_changes = vec![StageChange {
                    stage: o.stage,
                    at: now,
                    user: o.owner,
                }];
                if let Some(a) = o.application.as_mut() {
                    a.created = now;
                }
                out.created.push(o.id.clone());
                self.opp_by_id.insert(o.id.clone(), self.opps.len());
                self.opps.push(o);
                continue;
            }
            let Some(i) = (0..8)
                .map(|_| rng.random_range(0..live))
                .find(|&i| self.opps[i].deleted.is_none())
            else {
                continue;
            };
            let user = rng.random_range(0..self.users.len());
            match change {
                Change::Move => {
                    let cur = self.opps[i].stage;
                    let next = (cur + rng.random_range(1..self.stages.len())) % self.stages.len();
                    self.move_stage(i, next, user, now);
                    // Some moves end the process: hired from Offer, or rejected.
                    if next == pipeline_offer() && rng.random_bool(0.5) {
                        self.archive(i, Some(0), now);
                    } else if rng.random_bool(0.15) {
                        let reason = rng.random_range(1..self.reasons.len());
                        self.archive(i, Some(reason), now);
                    }
                    out.moved.push(self.opps[i].id.clone());
                }
                Change::Delete => {
                    self.delete(i, user, now);
                    out.deleted.push(self.opps[i].id.clone());
                }
                _ => {
                    let o = &mut self.opps[i];
                    let tag = pick(rng, seeddata::SKILL_TAGS).to_string();
                    if !o.tags.contains(&tag) {
                        o.tags.push(tag);
                    }
                    o.updated = now;
                    o.last_interaction = now;
                    out.edited.push(o.id.clone());
                }
            }
        }
    }
}

/// The live opportunities' ids, in list order (for `AdminHandle::candidate_ids`).
pub(crate) fn live_ids(st: &AppState) -> Vec<String> {
    let s = read(&st.lever);
    s.opps
        .iter()
        .filter(|o| o.deleted.is_none())
        .map(|o| o.id.clone())
        .collect()
}

/// An opportunity as `GET /opportunities/{id}` returns it inside `data` (for `AdminHandle::record`).
pub(crate) fn record_json(st: &AppState, id: &str) -> Option<Value> {
    let s = read(&st.lever);
    let i = s.opp(id)?;
    Some(
        Render {
            base: &st.info.lever.base_url,
            s: &s,
        }
        .opportunity(&s.opps[i], &[]),
    )
}

/// (type, text, required, options) of one seeded apply-form field.
type FieldTemplate = (&'static str, &'static str, bool, &'static [&'static str]);

fn gen_questions<R: Rng>(rng: &mut R) -> Vec<Question> {
    let mut qs = Vec::new();
    let templates: &[(&str, &[FieldTemplate])] = &[
        (
            "Work authorization",
            &[
                (
                    "multiple-choice",
                    "Are you legally authorized to work in the country of this job?",
                    true,
                    &["Yes", "No"],
                ),
                (
                    "multiple-choice",
                    "Will you now or in the future require sponsorship?",
                    true,
                    &["Yes", "No"],
                ),
            ],
        ),
        (
            "About you",
            &[
                ("textarea", "Why do you want to join us?", true, &[]),
                ("text", "What are your salary expectations?", false, &[]),
                (
                    "dropdown",
                    "How did you hear about us?",
                    false,
                    &["LinkedIn", "A friend", "Conference", "Other"],
                ),
            ],
        ),
        (
            "Skills",
            &[
                (
                    "multiple-select",
                    "Which of these do you use daily?",
                    false,
                    &["Rust", "Python", "SQL", "Figma", "Excel"],
                ),
                ("text", "Link to a project you are proud of", false, &[]),
            ],
        ),
    ];
    let n = rng.random_range(1..=templates.len());
    for (text, fields) in templates.iter().take(n) {
        qs.push(Question {
            id: util::uuid_from(rng),
            text: text.to_string(),
            fields: fields
                .iter()
                .map(|(kind, t, req, opts)| Field {
                    id: util::uuid_from(rng),
                    kind,
                    text: t.to_string(),
                    required: *req,
                    options: opts.to_vec(),
                })
                .collect(),
        });
    }
    qs
}

// ---------------------------------------------------------------------------------------------- JSON

/// Borrowing wire shapes for the hot list path: serializing these directly avoids building a
/// `serde_json::Value` tree per record (most of a page's cost).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct OppWire<'a> {
    id: &'a str,
    name: String,
    headline: &'a str,
    contact: &'a str,
    emails: [&'a str; 1],
    phones: [PhoneWire<'a>; 1],
    confidentiality: &'static str,
    location: String,
    links: &'a [String],
    archived: Option<ArchivedWire<'a>>,
    created_at: i64,
    updated_at: i64,
    last_interaction_at: i64,
    last_advanced_at: i64,
    snoozed_until: Option<i64>,
    stage: &'a str,
    stage_changes: Vec<StageChangeWire<'a>>,
    owner: &'a str,
    sourced_by: &'a str,
    followers: Vec<&'a str>,
    tags: &'a [String],
    sources: &'a [String],
    origin: &'a str,
    applications: Vec<&'a str>,
    urls: UrlsWire,
    data_protection: Option<()>,
    is_anonymized: bool,
    opportunity_location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted_by: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct PhoneWire<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ArchivedWire<'a> {
    archived_at: i64,
    reason: &'a str,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct StageChangeWire<'a> {
    to_stage_id: &'a str,
    to_stage_index: usize,
    updated_at: i64,
    user_id: &'a str,
}

#[derive(serde::Serialize)]
struct UrlsWire {
    list: &'static str,
    show: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ListWire<T> {
    data: Vec<T>,
    has_next: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

struct Render<'a> {
    base: &'a str,
    s: &'a Store,
}

impl Render<'_> {
    fn user(&self, u: &LUser) -> Value {
        json!({"id": u.id, "name": u.name, "username": u.email.split('@').next().unwrap_or(""), "email": u.email,
               "createdAt": u.created, "deactivatedAt": u.deactivated, "accessRole": u.role,
               "photo": format!("https://gravatar.example/{}", u.id), "externalDirectoryId": null,
               "linkedContactIds": null, "jobTitle": u.job_title, "managerId": null})
    }
    fn contact(&self, c: &Contact) -> Value {
        json!({"id": c.id, "name": c.person.full_name(), "headline": c.headline, "isAnonymized": false,
               "location": {"name": format!("{}, {}", c.person.place.city, c.person.place.country)},
               "emails": [c.person.email], "phones": [{"type": "mobile", "value": c.person.phone}]})
    }
    fn stage(&self, i: usize) -> Value {
        json!({"id": self.s.stages[i].id, "text": self.s.stages[i].text})
    }
    fn application(&self, o: &Opportunity, a: &Application) -> Value {
        let c = &self.s.contacts[o.contact];
        let posting = o.posting.map(|p| &self.s.postings[p]);
        json!({
            "id": a.id, "opportunityId": o.id, "candidateId": o.id, "createdAt": a.created, "type": a.kind,
            "posting": posting.map(|p| p.id.clone()),
            "postingOwner": posting.map(|p| self.s.users[p.owner].id.clone()),
            "postingHiringManager": posting.and_then(|p| p.hiring_manager.map(|h| self.s.users[h].id.clone())),
            "user": null, "name": c.person.full_name(), "email": c.person.email,
            "phone": {"type": "mobile", "value": c.person.phone}, "company": c.person.company, "links": [],
            "comments": null, "customQuestions": a.answers,
            "archived": o.archived.map(|(at, r)| json!({"archivedAt": at, "reason": self.s.reasons[r].id})),
            "requisitionForHire": null,
        })
    }
    fn opp_wire<'b>(&'b self, o: &'b Opportunity) -> OppWire<'b> {
        let c = &self.s.contacts[o.contact];
        let p = &c.person;
        OppWire {
            id: &o.id,
            name: p.full_name(),
            headline: &c.headline,
            contact: &c.id,
            emails: [&p.email],
            phones: [PhoneWire {
                kind: "mobile",
                value: &p.phone,
            }],
            confidentiality: "non-confidential",
            location: format!("{}, {}", p.place.city, p.place.country),
            links: &o.links,
            archived: o.archived.map(|(at, r)| ArchivedWire {
                archived_at: at,
                reason: &self.s.reasons[r].id,
            }),
            created_at: o.created,
            updated_at: o.updated,
            last_interaction_at: o.last_interaction,
            last_advanced_at: o.last_advanced,
            snoozed_until: None,
            stage: &self.s.stages[o.stage].id,
            stage_changes: o
                .stage_changes
                .iter()
                .map(|sc| StageChangeWire {
                    to_stage_id: &self.s.stages[sc.stage].id,
                    to_stage_index: sc.stage,
                    updated_at: sc.at,
                    user_id: &self.s.users[sc.user].id,
                })
                .collect(),
            owner: &self.s.users[o.owner].id,
            sourced_by: &self.s.users[o.sourced_by].id,
            followers: o
                .followers
                .iter()
                .map(|&f| self.s.users[f].id.as_str())
                .collect(),
            tags: &o.tags,
            sources: &o.sources,
            origin: o.origin,
            applications: o.application.iter().map(|a| a.id.as_str()).collect(),
            urls: UrlsWire {
                list: "https://hire.lever.co/candidates",
                show: format!("https://hire.lever.co/candidates/{}", o.id),
            },
            data_protection: None,
            is_anonymized: false,
            opportunity_location: format!("{}, {}", p.place.city, p.place.region_code),
            deleted_at: o.deleted.map(|(at, _)| at),
            deleted_by: o.deleted.map(|(_, by)| self.s.users[by].id.as_str()),
        }
    }
    /// The opportunity with the requested `expand`ed fields inlined.
    fn opportunity(&self, o: &Opportunity, expand: &[&str]) -> Value {
        let mut v = serde_json::to_value(self.opp_wire(o)).unwrap_or(Value::Null);
        let c = &self.s.contacts[o.contact];
        if expand.contains(&"contact") {
            v["contact"] = self.contact(c);
        }
        if expand.contains(&"stage") {
            v["stage"] = self.stage(o.stage);
        }
        if expand.contains(&"owner") {
            v["owner"] = self.user(&self.s.users[o.owner]);
        }
        if expand.contains(&"sourcedBy") {
            v["sourcedBy"] = self.user(&self.s.users[o.sourced_by]);
        }
        if expand.contains(&"followers") {
            v["followers"] = o
                .followers
                .iter()
                .map(|&f| self.user(&self.s.users[f]))
                .collect();
        }
        if expand.contains(&"applications") {
            v["applications"] = o
                .application
                .iter()
                .map(|a| self.application(o, a))
                .collect();
        }
        v
    }
    fn file(&self, i: usize, kind: &str) -> Value {
        let f = &self.s.files[i];
        let o = &self.s.opps[f.opp];
        let ext = f
            .name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        json!({"id": f.id, "downloadUrl": format!("{}/opportunities/{}/{kind}/{}/download", self.base, o.id, f.id),
               "ext": ext, "name": f.name, "uploadedAt": f.uploaded, "status": "processed", "size": self.s.file_size(i)})
    }
    fn resume(&self, i: usize) -> Value {
        let f = &self.s.files[i];
        let p = &self.s.contacts[self.s.opps[f.opp].contact].person;
        let mut file = self.file(i, "resumes");
        if let Some(o) = file.as_object_mut() {
            o.remove("id");
        }
        json!({"id": f.id, "createdAt": f.uploaded, "file": file,
               "parsedData": {"positions": [{"org": p.company, "title": p.title, "summary": "",
                   "location": format!("{}, {}", p.place.city, p.place.country), "start": {"year": 2021, "month": 3}, "end": null}],
                   "schools": [{"org": p.school, "degree": p.degree, "field": p.major, "summary": "",
                   "start": {"year": 2014, "month": 9}, "end": {"year": 2018, "month": 6}}]}})
    }
    fn posting(&self, p: &Posting) -> Value {
        let (team, dept) = TEAMS[p.team];
        let loc = format!("{}, {}", p.place.city, p.place.region_code);
        let desc = format!("Join our {team} team as a {} in {}.", p.text, p.place.city);
        json!({
            "id": p.id, "text": p.text, "state": p.state,
            "distributionChannels": if p.state == "published" { json!(["public", "internal"]) } else if p.state == "internal" { json!(["internal"]) } else { Value::Null },
            "user": self.s.users[p.owner].id, "owner": self.s.users[p.owner].id,
            "hiringManager": p.hiring_manager.map(|h| self.s.users[h].id.clone()),
            "confidentiality": "non-confidential",
            "categories": {"team": team, "department": dept, "location": loc, "commitment": p.commitment, "level": null, "allLocations": [loc]},
            "content": {"description": desc, "descriptionHtml": format!("<div>{desc}</div>"),
                        "lists": [{"text": "What you'll do", "content": "<li>Ship things</li><li>Learn</li>"}],
                        "closing": "We value every background.", "closingHtml": "<div>We value every background.</div>"},
            "country": p.place.country_code.to_uppercase(), "followers": [self.s.users[p.owner].id],
            "tags": p.tags, "reqCode": null, "requisitionCodes": [],
            "salaryDescription": "", "salaryDescriptionHtml": "",
            "salaryRange": {"min": p.salary.0, "max": p.salary.1, "currency": p.salary.2, "interval": "per-year-salary"},
            "urls": {"list": "https://jobs.lever.co/hirebridge-fake", "show": format!("https://jobs.lever.co/hirebridge-fake/{}", p.id),
                     "apply": format!("https://jobs.lever.co/hirebridge-fake/{}/apply", p.id)},
            "createdAt": p.created, "updatedAt": p.updated, "workplaceType": p.workplace,
        })
    }
    fn apply_form(&self, p: &Posting) -> Value {
        let pi = |name: &str, text: &str, kind: &str, required: bool| json!({"name": name, "text": text, "type": kind, "required": required, "value": null});
        json!({
            "id": p.id, "text": p.text,
            "customQuestions": p.questions.iter().map(|q| json!({"id": q.id, "text": q.text,
                "fields": q.fields.iter().map(|f| json!({"id": f.id, "type": f.kind, "text": f.text, "description": "",
                    "required": f.required, "options": f.options.iter().map(|o| json!({"text": o})).collect::<Vec<_>>(), "value": null})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "eeoQuestions": {},
            "personalInformation": [
                pi("fullName", "Full name", "text", true), pi("email", "Email", "email", true),
                pi("currentCompany", "Current company", "text", false), pi("currentLocation", "Current location", "text", false),
                pi("phone", "Phone", "text", false), pi("resume", "Resume/CV", "file-upload", p.resume_required),
                pi("additionalInformation", "Additional information", "textarea", false),
            ],
            "urls": [{"name": "LinkedIn", "type": "url", "required": false, "value": null}, {"name": "GitHub", "type": "url", "required": false, "value": null}],
            "consentDisclosures": null,
        })
    }
}

// ------------------------------------------------------------------------------------------ handlers

fn err(status: StatusCode, code: &str, message: &str) -> Response {
    vendor_error(V, status, code, message)
}
fn not_found(kind: &str, id: &str) -> Response {
    err(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        &format!("{kind} {id} was not found"),
    )
}
fn bad(message: &str) -> Response {
    err(StatusCode::BAD_REQUEST, "BadRequestError", message)
}

/// Opaque `next` tokens shaped like Lever's real ones: a URL-encoded JSON array `[index, ms, "id"]`.
fn encode_next(idx: usize, ms: i64, id: &str) -> String {
    util::encode_query(&[("x".into(), format!("[{idx},{ms},\"{id}\"]"))])
        .trim_start_matches("x=")
        .to_string()
}
fn decode_next(raw: &str) -> Option<usize> {
    let s = util::percent_decode_fully(raw);
    let v: Value = serde_json::from_str(&s).ok()?;
    v.get(0)?.as_u64().map(|n| n as usize)
}

fn limit_and_start(p: &Params) -> Result<(usize, usize), Response> {
    let limit = match p.get("limit") {
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return Err(bad("limit must be between 1 and 100")),
        },
        None => 100,
    };
    let start = match p.get("offset").filter(|s| !s.is_empty()) {
        Some(o) => decode_next(o).ok_or_else(|| bad("Invalid offset token"))?,
        None => 0,
    };
    Ok((limit, start))
}

fn ms_param(p: &Params, k: &str) -> Result<Option<i64>, Response> {
    match p.get(k) {
        Some(v) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| bad(&format!("{k} must be a timestamp in milliseconds"))),
        None => Ok(None),
    }
}

fn list_body(data: Vec<Value>, next: Option<String>) -> Response {
    let mut body = json!({"data": data, "hasNext": next.is_some()});
    if let Some(n) = next {
        body["next"] = json!(n);
    }
    axum::Json(body).into_response()
}

fn in_range(v: i64, start: Option<i64>, end: Option<i64>) -> bool {
    start.is_none_or(|s| v >= s) && end.is_none_or(|e| v <= e)
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(x) => x,
            Err(resp) => return resp,
        }
    };
}

async fn list_opportunities(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let (limit, start) = tri!(limit_and_start(&p));
    let (us, ue) = (
        tri!(ms_param(&p, "updated_at_start")),
        tri!(ms_param(&p, "updated_at_end")),
    );
    let (cs, ce) = (
        tri!(ms_param(&p, "created_at_start")),
        tri!(ms_param(&p, "created_at_end")),
    );
    let (as_, ae) = (
        tri!(ms_param(&p, "archived_at_start")),
        tri!(ms_param(&p, "archived_at_end")),
    );
    let s = read(&st.lever);
    let stage_ids = p.all("stage_id");
    let stage_idx: Vec<usize> = stage_ids.iter().filter_map(|id| s.stage(id)).collect();
    let postings: Vec<usize> = p
        .all("posting_id")
        .iter()
        .filter_map(|id| s.posting(id))
        .collect();
    let tags = p.all("tag");
    let emails: Vec<String> = p.all("email").iter().map(|e| e.to_lowercase()).collect();
    let origins = p.all("origin");
    let sources = p.all("source");
    let contacts = p.all("contact_id");
    let archived = p.get("archived").map(|v| v == "true");
    let reasons: Vec<usize> = p
        .all("archive_reason_id")
        .iter()
        .filter_map(|id| s.reasons.iter().position(|r| r.id == *id))
        .collect();
    let expand = p.all("expand");
    let page = util::page_fast(s.opps.len(), start, limit, |i| {
        let o = &s.opps[i];
        o.deleted.is_none()
            && in_range(o.updated, us, ue)
            && in_range(o.created, cs, ce)
            && (as_.is_none() && ae.is_none()
                || o.archived.is_some_and(|(at, _)| in_range(at, as_, ae)))
            && (stage_ids.is_empty() || stage_idx.contains(&o.stage))
            && (p.all("posting_id").is_empty() || o.posting.is_some_and(|x| postings.contains(&x)))
            && (tags.is_empty() || o.tags.iter().any(|t| tags.contains(&t.as_str())))
            && (emails.is_empty()
                || emails.contains(&s.contacts[o.contact].person.email.to_lowercase()))
            && (origins.is_empty() || origins.contains(&o.origin))
            && (sources.is_empty() || o.sources.iter().any(|x| sources.contains(&x.as_str())))
            && (contacts.is_empty() || contacts.contains(&s.contacts[o.contact].id.as_str()))
            && archived.is_none_or(|a| a == o.archived.is_some())
            && (reasons.is_empty() || o.archived.is_some_and(|(_, r)| reasons.contains(&r)))
    });
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    let next = page
        .next
        .map(|n| encode_next(n, s.opps[n].updated, &s.opps[n].id));
    if expand.is_empty() {
        let data = page.items.iter().map(|&i| r.opp_wire(&s.opps[i])).collect();
        return axum::Json(ListWire {
            has_next: next.is_some(),
            data,
            next,
        })
        .into_response();
    }
    let data = page
        .items
        .iter()
        .map(|&i| r.opportunity(&s.opps[i], &expand))
        .collect();
    list_body(data, next)
}

async fn get_opportunity(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let p = Params::parse(q.as_deref());
    let s = read(&st.lever);
    let Some(i) = s.opp(&id) else {
        return not_found("opportunities", &id);
    };
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    axum::Json(json!({"data": r.opportunity(&s.opps[i], &p.all("expand"))})).into_response()
}

async fn list_deleted(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let (limit, start) = tri!(limit_and_start(&p));
    let (ds, de) = (
        tri!(ms_param(&p, "deleted_at_start")),
        tri!(ms_param(&p, "deleted_at_end")),
    );
    let s = read(&st.lever);
    let page = util::page_fast(s.opps.len(), start, limit, |i| {
        s.opps[i]
            .deleted
            .is_some_and(|(at, _)| in_range(at, ds, de))
    });
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    let data = page
        .items
        .iter()
        .map(|&i| r.opportunity(&s.opps[i], &[]))
        .collect();
    list_body(
        data,
        page.next
            .map(|n| encode_next(n, s.opps[n].updated, &s.opps[n].id)),
    )
}

async fn list_deleted_applications(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let (limit, start) = tri!(limit_and_start(&p));
    let (ds, de) = (
        tri!(ms_param(&p, "deleted_at_start")),
        tri!(ms_param(&p, "deleted_at_end")),
    );
    let s = read(&st.lever);
    let page = util::page_fast(s.opps.len(), start, limit, |i| {
        let o = &s.opps[i];
        o.application.is_some() && o.deleted.is_some_and(|(at, _)| in_range(at, ds, de))
    });
    let data = page
        .items
        .iter()
        .filter_map(|&i| {
            let o = &s.opps[i];
            let (at, by) = o.deleted?;
            let a = o.application.as_ref()?;
            Some(json!({"id": a.id, "opportunityId": o.id, "deletedAt": at, "deletedBy": s.users[by].id}))
        })
        .collect();
    list_body(
        data,
        page.next
            .map(|n| encode_next(n, s.opps[n].updated, &s.opps[n].id)),
    )
}

fn perform_as(st: &AppState, p: &Params) -> Result<usize, Response> {
    let Some(id) = p.get("perform_as") else {
        // [I] Lever requires perform_as on creates.
        return Err(bad("perform_as is required"));
    };
    read(&st.lever)
        .user(id)
        .ok_or_else(|| bad(&format!("perform_as user {id} was not found")))
}

/// A create request, from JSON or multipart.
#[derive(Default, Debug)]
struct NewOpp {
    name: Option<String>,
    headline: Option<String>,
    stage: Option<String>,
    emails: Vec<String>,
    phones: Vec<String>,
    links: Vec<String>,
    tags: Vec<String>,
    sources: Vec<String>,
    origin: Option<String>,
    postings: Vec<String>,
    archive_reason: Option<String>,
    contact: Option<String>,
    resume: Option<util::UploadedFile>,
    files: Vec<util::UploadedFile>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl NewOpp {
    fn from_json(v: &Value) -> Self {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        NewOpp {
            name: s("name"),
            headline: s("headline"),
            stage: s("stage"),
            emails: strings(v.get("emails")),
            phones: v
                .get("phones")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.get("value").and_then(Value::as_str).map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            links: strings(v.get("links")),
            tags: strings(v.get("tags")),
            sources: strings(v.get("sources")),
            origin: s("origin"),
            postings: strings(v.get("postings")),
            archive_reason: v
                .get("archived")
                .and_then(|a| a.get("reason"))
                .and_then(Value::as_str)
                .map(str::to_string),
            contact: s("contact"),
            resume: None,
            files: Vec::new(),
        }
    }
    fn from_form(f: FormData) -> Self {
        let one = |k: &str| f.field(k).map(str::to_string);
        let many = |k: &str| f.all(k).into_iter().map(str::to_string).collect::<Vec<_>>();
        let phones = f
            .fields
            .iter()
            .filter(|(k, _)| {
                k == "phones[]"
                    || k == "phones"
                    || (k.starts_with("phones[") && k.ends_with("[value]"))
            })
            .map(|(_, v)| v.clone())
            .collect();
        NewOpp {
            name: one("name"),
            headline: one("headline"),
            stage: one("stage"),
            emails: many("emails"),
            phones,
            links: many("links"),
            tags: many("tags"),
            sources: many("sources"),
            origin: one("origin"),
            postings: many("postings"),
            archive_reason: one("archived[reason]"),
            contact: one("contact"),
            resume: f.file("resumeFile").cloned(),
            files: f
                .files
                .iter()
                .filter(|x| x.field.trim_end_matches("[]") == "files")
                .cloned()
                .collect(),
        }
    }
}

async fn create_opportunity(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
    req: Request,
) -> Response {
    let p = Params::parse(q.as_deref());
    let actor = tri!(perform_as(&st, &p));
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let input = if ct.starts_with("multipart/form-data") {
        let mp = match Multipart::from_request(req, &st).await {
            Ok(m) => m,
            Err(e) => return bad(&e.body_text()),
        };
        match FormData::read(mp).await {
            Ok(f) => NewOpp::from_form(f),
            Err(e) => return bad(&format!("Invalid multipart body: {e}")),
        }
    } else {
        let bytes = match axum::body::to_bytes(req.into_body(), MAX_UPLOAD_BYTES).await {
            Ok(b) => b,
            Err(_) => return bad("Body too large"),
        };
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) if v.is_object() => NewOpp::from_json(&v),
            _ => return bad("Body must be a JSON object or multipart/form-data"),
        }
    };
    if input.postings.len() > 1 {
        return bad("An opportunity can be applied to at most one posting");
    }
    if let Some(f) = input
        .resume
        .iter()
        .chain(input.files.iter())
        .find(|f| f.data.len() > MAX_UPLOAD_BYTES)
    {
        return err(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PayloadTooLarge",
            &format!("{} exceeds 30 MB", f.file_name),
        );
    }
    let now = st.clock.now_ms();
    let mut s = write(&st.lever);
    let posting = match input.postings.first() {
        Some(id) => match s.posting(id) {
            Some(x) => Some(x),
            None => return not_found("postings", id),
        },
        None => None,
    };
    let stage = match &input.stage {
        Some(id) => match s.stage(id) {
            Some(x) => x,
            None => return not_found("stages", id),
        },
        None => 0,
    };
    let reason = match &input.archive_reason {
        Some(id) => match s.reasons.iter().position(|r| &r.id == id) {
            Some(x) => Some(x),
            None => return not_found("archive_reasons", id),
        },
        None => None,
    };
    let (oi, deduped) = insert_opportunity(&mut s, input, actor, posting, stage, reason, now);
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    (
        StatusCode::CREATED,
        axum::Json(json!({"deduped": deduped, "data": r.opportunity(&s.opps[oi], &[])})),
    )
        .into_response()
}

/// Create an opportunity, deduplicating by e-mail onto an existing contact. Returns (index, deduped).
fn insert_opportunity(
    s: &mut Store,
    input: NewOpp,
    actor: usize,
    posting: Option<usize>,
    stage: usize,
    reason: Option<usize>,
    now: i64,
) -> (usize, bool) {
    let by_contact_id = input
        .contact
        .as_ref()
        .and_then(|id| s.contacts.iter().position(|c| &c.id == id));
    let by_email = input
        .emails
        .iter()
        .find_map(|e| s.contact_by_email.get(&e.to_lowercase()).copied());
    let (contact, deduped) = match by_contact_id.or(by_email) {
        // Existing contact data wins.
        Some(c) => (c, true),
        None => {
            let mut rng = rand::rng();
            let mut person = seeddata::person(&mut rng, s.contacts.len());
            let name = input
                .name
                .clone()
                .unwrap_or_else(|| "Unnamed candidate".into());
            let (first, last) = name
                .split_once(' ')
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .unwrap_or((name.clone(), String::new()));
            person.first_name = first;
            person.last_name = last;
            person.email = input.emails.first().cloned().unwrap_or_default();
            person.phone = input.phones.first().cloned().unwrap_or_default();
            person.tags = Vec::new();
            let ci = s.contacts.len();
            for e in &input.emails {
                s.contact_by_email.insert(e.to_lowercase(), ci);
            }
            s.contacts.push(Contact {
                id: uuid::Uuid::new_v4().to_string(),
                headline: input.headline.clone().unwrap_or_default(),
                person,
            });
            (ci, false)
        }
    };
    let origin = input
        .origin
        .as_deref()
        .and_then(|o| ORIGINS.iter().find(|x| **x == o).copied())
        .unwrap_or(if posting.is_some() {
            "applied"
        } else {
            "sourced"
        });
    let oi = s.opps.len();
    let mut o = Opportunity {
        id: uuid::Uuid::new_v4().to_string(),
        contact,
        stage,
        stage_changes: vec![StageChange {
            stage,
            at: now,
            user: actor,
        }],
        archived: reason.map(|r| (now, r)),
        tags: input.tags,
        links: input.links,
        sources: input.sources,
        origin,
        owner: actor,
        sourced_by: actor,
        followers: vec![actor],
        posting,
        application: posting.map(|_| Application {
            id: uuid::Uuid::new_v4().to_string(),
            created: now,
            kind: "posting",
            answers: json!([]),
        }),
        created: now,
        updated: now,
        last_interaction: now,
        last_advanced: now,
        files: Vec::new(),
        resumes: Vec::new(),
        deleted: None,
    };
    if o.sources.is_empty() {
        o.sources.push("API".into());
    }
    s.opp_by_id.insert(o.id.clone(), oi);
    s.opps.push(o);
    if let Some(f) = input.resume {
        let fi = s.add_file(file_rec(oi, &f, now));
        s.opps[oi].resumes.push(fi);
    }
    for f in input.files {
        let fi = s.add_file(file_rec(oi, &f, now));
        s.opps[oi].files.push(fi);
    }
    (oi, deduped)
}

fn file_rec(opp: usize, f: &util::UploadedFile, now: i64) -> FileRec {
    FileRec {
        id: uuid::Uuid::new_v4().to_string(),
        opp,
        name: f.file_name.clone(),
        uploaded: now,
        content: Content::Bytes(Arc::new(f.data.to_vec())),
        deleted: false,
    }
}

async fn put_stage(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    body: Option<axum::Json<Value>>,
) -> Response {
    let p = Params::parse(q.as_deref());
    let Some(axum::Json(body)) = body else {
        return bad("Body must be JSON {\"stage\": \"<stageId>\"}");
    };
    let Some(stage_id) = body.get("stage").and_then(Value::as_str) else {
        return bad("stage is required");
    };
    let actor = match p.get("perform_as") {
        Some(_) => tri!(perform_as(&st, &p)),
        None => 0,
    };
    let now = st.clock.now_ms();
    let mut s = write(&st.lever);
    let Some(oi) = s.opp(&id) else {
        return not_found("opportunities", &id);
    };
    let Some(stage) = s.stage(stage_id) else {
        return not_found("stages", stage_id);
    };
    s.move_stage(oi, stage, actor, now);
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    axum::Json(json!({"data": r.opportunity(&s.opps[oi], &[])})).into_response()
}

async fn put_archived(
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Option<axum::Json<Value>>,
) -> Response {
    let Some(axum::Json(body)) = body else {
        return bad("Body must be JSON {\"reason\": \"<archiveReasonId>\"|null}");
    };
    let now = st.clock.now_ms();
    let mut s = write(&st.lever);
    let Some(oi) = s.opp(&id) else {
        return not_found("opportunities", &id);
    };
    let reason = match body.get("reason") {
        Some(Value::String(r)) => match s.reasons.iter().position(|x| &x.id == r) {
            Some(x) => Some(x),
            None => return not_found("archive_reasons", r),
        },
        Some(Value::Null) => None,
        _ => return bad("reason is required (an archive reason id, or null to unarchive)"),
    };
    s.archive(oi, reason, now);
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    axum::Json(json!({"data": r.opportunity(&s.opps[oi], &[])})).into_response()
}

fn file_list(st: &AppState, id: &str, resumes: bool, p: &Params) -> Response {
    let s = read(&st.lever);
    let Some(oi) = s.opp(id) else {
        return not_found("opportunities", id);
    };
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    let o = &s.opps[oi];
    let list = if resumes { &o.resumes } else { &o.files };
    let (us, ue) = (
        p.get("uploaded_at_start").and_then(|v| v.parse().ok()),
        p.get("uploaded_at_end").and_then(|v| v.parse().ok()),
    );
    let data = list
        .iter()
        .filter(|&&f| !s.files[f].deleted && in_range(s.files[f].uploaded, us, ue))
        .map(|&f| {
            if resumes {
                r.resume(f)
            } else {
                r.file(f, "files")
            }
        })
        .collect();
    list_body(data, None)
}

async fn list_resumes(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    file_list(&st, &id, true, &Params::parse(q.as_deref()))
}
async fn list_files(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    file_list(&st, &id, false, &Params::parse(q.as_deref()))
}

fn find_file(s: &Store, id: &str, fid: &str, resumes: bool) -> Result<usize, Response> {
    let oi = s.opp(id).ok_or_else(|| not_found("opportunities", id))?;
    let list = if resumes {
        &s.opps[oi].resumes
    } else {
        &s.opps[oi].files
    };
    s.file_by_id
        .get(fid)
        .copied()
        .filter(|f| list.contains(f) && !s.files[*f].deleted)
        .ok_or_else(|| not_found(if resumes { "resumes" } else { "files" }, fid))
}

async fn get_resume(
    State(st): State<AppState>,
    Path((id, fid)): Path<(String, String)>,
) -> Response {
    let s = read(&st.lever);
    let f = tri!(find_file(&s, &id, &fid, true));
    axum::Json(json!({"data": Render { base: &st.info.lever.base_url, s: &s }.resume(f)}))
        .into_response()
}
async fn get_file(State(st): State<AppState>, Path((id, fid)): Path<(String, String)>) -> Response {
    let s = read(&st.lever);
    let f = tri!(find_file(&s, &id, &fid, false));
    axum::Json(json!({"data": Render { base: &st.info.lever.base_url, s: &s }.file(f, "files")}))
        .into_response()
}

fn download(s: &Store, f: usize) -> Response {
    let rec = &s.files[f];
    let mut resp = Response::new(Body::from(s.file_bytes(f)));
    if let Ok(v) = HeaderValue::from_str(util::content_type_for(&rec.name)) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    let ascii: String = rec
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

async fn download_resume(
    State(st): State<AppState>,
    Path((id, fid)): Path<(String, String)>,
) -> Response {
    let s = read(&st.lever);
    let f = tri!(find_file(&s, &id, &fid, true));
    download(&s, f)
}
async fn download_file(
    State(st): State<AppState>,
    Path((id, fid)): Path<(String, String)>,
) -> Response {
    let s = read(&st.lever);
    let f = tri!(find_file(&s, &id, &fid, false));
    download(&s, f)
}

async fn upload_file(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    mp: Multipart,
) -> Response {
    let p = Params::parse(q.as_deref());
    tri!(perform_as(&st, &p));
    let form = match FormData::read(mp).await {
        Ok(f) => f,
        Err(e) => return bad(&format!("Invalid multipart body: {e}")),
    };
    let Some(file) = form.file("file") else {
        return bad("file is required");
    };
    if file.data.len() > MAX_UPLOAD_BYTES {
        return err(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PayloadTooLarge",
            "Files are limited to 30 MB",
        );
    }
    let now = st.clock.now_ms();
    let mut s = write(&st.lever);
    let Some(oi) = s.opp(&id) else {
        return not_found("opportunities", &id);
    };
    let fi = s.add_file(file_rec(oi, file, now));
    s.opps[oi].files.push(fi);
    s.opps[oi].updated = now;
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    (
        StatusCode::CREATED,
        axum::Json(json!({"data": r.file(fi, "files")})),
    )
        .into_response()
}

async fn delete_file(
    State(st): State<AppState>,
    Path((id, fid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    let p = Params::parse(q.as_deref());
    tri!(perform_as(&st, &p));
    let now = st.clock.now_ms();
    let mut s = write(&st.lever);
    let f = tri!(find_file(&s, &id, &fid, false));
    s.files[f].deleted = true;
    let oi = s.files[f].opp;
    s.opps[oi].updated = now;
    StatusCode::NO_CONTENT.into_response()
}

async fn list_postings(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let (limit, start) = tri!(limit_and_start(&p));
    let (us, ue) = (
        tri!(ms_param(&p, "updated_at_start")),
        tri!(ms_param(&p, "updated_at_end")),
    );
    let s = read(&st.lever);
    let states = p.all("state");
    let teams = p.all("team");
    let commitments = p.all("commitment");
    let page = util::page_fast(s.postings.len(), start, limit, |i| {
        let x = &s.postings[i];
        (states.is_empty() || states.contains(&x.state))
            && (teams.is_empty() || teams.contains(&TEAMS[x.team].0))
            && (commitments.is_empty() || commitments.contains(&x.commitment))
            && in_range(x.updated, us, ue)
    });
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    let data = page
        .items
        .iter()
        .map(|&i| r.posting(&s.postings[i]))
        .collect();
    list_body(
        data,
        page.next
            .map(|n| encode_next(n, s.postings[n].updated, &s.postings[n].id)),
    )
}

async fn get_posting(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.lever);
    let Some(i) = s.posting(&id) else {
        return not_found("postings", &id);
    };
    axum::Json(
        json!({"data": Render { base: &st.info.lever.base_url, s: &s }.posting(&s.postings[i])}),
    )
    .into_response()
}

async fn get_apply_form(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.lever);
    let Some(i) = s.posting(&id) else {
        return not_found("postings", &id);
    };
    axum::Json(
        json!({"data": Render { base: &st.info.lever.base_url, s: &s }.apply_form(&s.postings[i])}),
    )
    .into_response()
}

/// Check an apply body against the posting's form; returns the personal information map.
fn validate_apply(posting: &Posting, body: &Value) -> Result<HashMap<String, String>, String> {
    let mut info = HashMap::new();
    for item in body
        .get("personalInformation")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(n), Some(v)) = (
            item.get("name").and_then(Value::as_str),
            item.get("value").and_then(Value::as_str),
        ) {
            info.insert(n.to_string(), v.to_string());
        }
    }
    for k in ["fullName", "email"] {
        if info.get(k).is_none_or(|v| v.trim().is_empty()) {
            return Err(format!("personalInformation {k} is required"));
        }
    }
    if posting.resume_required && info.get("resume").is_none_or(|v| v.is_empty()) {
        return Err("personalInformation resume is required for this posting".into());
    }
    let answers = body
        .get("customQuestions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for q in &posting.questions {
        let answer = answers
            .iter()
            .find(|a| a.get("id").and_then(Value::as_str) == Some(q.id.as_str()));
        let values: Vec<Value> = answer
            .and_then(|a| a.get("fields"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (fi, field) in q.fields.iter().enumerate() {
            let v = values
                .get(fi)
                .and_then(|f| f.get("value"))
                .cloned()
                .unwrap_or(Value::Null);
            let empty = match &v {
                Value::Null => true,
                Value::String(s) => s.trim().is_empty(),
                Value::Array(a) => a.is_empty(),
                _ => false,
            };
            if field.required && empty {
                return Err(format!("Custom question \"{}\" is required", field.text));
            }
            if !empty && !field.options.is_empty() {
                let chosen: Vec<&str> = match &v {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                if let Some(bad) = chosen.iter().find(|c| !field.options.contains(c)) {
                    return Err(format!("\"{bad}\" is not an option of \"{}\"", field.text));
                }
            }
        }
    }
    Ok(info)
}

async fn apply(
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Option<axum::Json<Value>>,
) -> Response {
    let Some(axum::Json(body)) = body else {
        return bad("Body must be a JSON application");
    };
    let now = st.clock.now_ms();
    let mut s = write(&st.lever);
    let Some(pi) = s.posting(&id) else {
        return not_found("postings", &id);
    };
    if !matches!(s.postings[pi].state, "published" | "internal") {
        return bad("This posting is not accepting applications");
    }
    let info = match validate_apply(&s.postings[pi], &body) {
        Ok(i) => i,
        Err(m) => return bad(&m),
    };
    let resume = match info.get("resume") {
        Some(uri) => {
            let upload_id = uri.rsplit('/').next().unwrap_or("");
            match s.uploads.get(upload_id) {
                Some(u) if u.expires > now => Some(util::UploadedFile {
                    field: "resumeFile".into(),
                    file_name: u.filename.clone(),
                    content_type: util::content_type_for(&u.filename).into(),
                    data: bytes::Bytes::from(u.data.as_ref().clone()),
                }),
                _ => {
                    return bad(
                        "resume must be the uri of an upload from POST /uploads made in the last 24 hours",
                    );
                }
            }
        }
        None => None,
    };
    let input = NewOpp {
        name: info.get("fullName").cloned(),
        emails: info.get("email").cloned().into_iter().collect(),
        phones: info.get("phone").cloned().into_iter().collect(),
        origin: Some(
            body.get("origin")
                .and_then(Value::as_str)
                .unwrap_or("applied")
                .to_string(),
        ),
        sources: body
            .get("source")
            .and_then(Value::as_str)
            .map(|x| vec![x.to_string()])
            .unwrap_or_default(),
        resume,
        ..NewOpp::default()
    };
    let owner = s.postings[pi].owner;
    let (oi, _) = insert_opportunity(&mut s, input, owner, Some(pi), 3, None, now);
    if let Some(a) = s.opps[oi].application.as_mut() {
        a.answers = body.get("customQuestions").cloned().unwrap_or(json!([]));
    }
    let app_id = s.opps[oi]
        .application
        .as_ref()
        .map(|a| a.id.clone())
        .unwrap_or_default();
    (
        StatusCode::CREATED,
        axum::Json(json!({"data": {"applicationId": app_id}})),
    )
        .into_response()
}

async fn upload(State(st): State<AppState>, mp: Multipart) -> Response {
    let form = match FormData::read(mp).await {
        Ok(f) => f,
        Err(e) => return bad(&format!("Invalid multipart body: {e}")),
    };
    let Some(file) = form.file("file") else {
        return bad("file is required");
    };
    if file.data.len() > MAX_UPLOAD_BYTES {
        return err(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PayloadTooLarge",
            "Files are limited to 30 MB",
        );
    }
    let now = st.clock.now_ms();
    let id = uuid::Uuid::new_v4().to_string();
    let expires = now + 24 * 3_600_000;
    let size = file.data.len();
    let up = Upload {
        id: id.clone(),
        filename: file.file_name.clone(),
        data: Arc::new(file.data.to_vec()),
        expires,
    };
    write(&st.lever).uploads.insert(id.clone(), up);
    let uri = format!("{}/uploads/{id}", st.info.lever.base_url);
    axum::Json(json!({"data": {"expiresAt": expires, "filename": file.file_name, "id": id, "uri": uri, "size": size}})).into_response()
}

async fn list_users(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let (limit, start) = tri!(limit_and_start(&p));
    let s = read(&st.lever);
    let email = p.get("email").map(str::to_lowercase);
    let roles = p.all("accessRole");
    let include_deactivated = p.get("includeDeactivated") == Some("true");
    let page = util::page_fast(s.users.len(), start, limit, |i| {
        let u = &s.users[i];
        (include_deactivated || u.deactivated.is_none())
            && email.as_ref().is_none_or(|e| &u.email.to_lowercase() == e)
            && (roles.is_empty() || roles.contains(&u.role))
    });
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    let data = page.items.iter().map(|&i| r.user(&s.users[i])).collect();
    list_body(
        data,
        page.next
            .map(|n| encode_next(n, s.users[n].created, &s.users[n].id)),
    )
}

async fn get_user(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.lever);
    let Some(i) = s.user(&id) else {
        return not_found("users", &id);
    };
    axum::Json(json!({"data": Render { base: &st.info.lever.base_url, s: &s }.user(&s.users[i])}))
        .into_response()
}

async fn list_stages(State(st): State<AppState>) -> Response {
    let s = read(&st.lever);
    let r = Render {
        base: &st.info.lever.base_url,
        s: &s,
    };
    list_body((0..s.stages.len()).map(|i| r.stage(i)).collect(), None)
}

async fn get_stage(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.lever);
    let Some(i) = s.stage(&id) else {
        return not_found("stages", &id);
    };
    axum::Json(json!({"data": Render { base: &st.info.lever.base_url, s: &s }.stage(i)}))
        .into_response()
}

fn reason_json(r: &ArchiveReason) -> Value {
    json!({"id": r.id, "text": r.text, "status": "active", "type": r.kind})
}

async fn list_reasons(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let s = read(&st.lever);
    let kind = p.get("type");
    list_body(
        s.reasons
            .iter()
            .filter(|r| kind.is_none_or(|k| k == r.kind))
            .map(reason_json)
            .collect(),
        None,
    )
}

async fn get_reason(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.lever);
    match s.reasons.iter().find(|r| r.id == id) {
        Some(r) => axum::Json(json!({"data": reason_json(r)})).into_response(),
        None => not_found("archive_reasons", &id),
    }
}

fn counts(st: &AppState, p: &Params, f: impl Fn(&Opportunity) -> &Vec<String>) -> Response {
    let (limit, start) = match limit_and_start(p) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let s = read(&st.lever);
    let mut counts: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for o in s.opps.iter().filter(|o| o.deleted.is_none()) {
        for t in f(o) {
            *counts.entry(t.as_str()).or_default() += 1;
        }
    }
    let all: Vec<(&str, u64)> = counts.into_iter().collect();
    let page = util::page_fast(all.len(), start, limit, |_| true);
    let data = page
        .items
        .iter()
        .map(|&i| json!({"text": all[i].0, "count": all[i].1}))
        .collect();
    list_body(data, page.next.map(|n| encode_next(n, 0, all[n].0)))
}

async fn list_tags(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    counts(&st, &Params::parse(q.as_deref()), |o| &o.tags)
}
async fn list_sources(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    counts(&st, &Params::parse(q.as_deref()), |o| &o.sources)
}

/// Scope a Bearer token needs on this route (`…:write:admin` implies `…:read:admin`).
pub fn required_scope(method: &Method, route: &str) -> Option<&'static str> {
    let read = *method == Method::GET;
    Some(match route {
        r if r.starts_with("/opportunities/{id}/resumes") => "resumes:read:admin",
        r if r.starts_with("/opportunities/{id}/files") => {
            if read {
                "files:read:admin"
            } else {
                "files:write:admin"
            }
        }
        "/applications/deleted" => "applications:read:admin",
        r if r.starts_with("/opportunities") => {
            if read {
                "opportunities:read:admin"
            } else {
                "opportunities:write:admin"
            }
        }
        "/postings/{id}/apply" if !read => "opportunities:write:admin",
        r if r.starts_with("/postings") => "postings:read:admin",
        "/uploads" => "uploads:write:admin",
        r if r.starts_with("/users") => "users:read:admin",
        r if r.starts_with("/stages") => "stages:read:admin",
        r if r.starts_with("/archive_reasons") => "archive_reasons:read:admin",
        "/tags" => "tags:read:admin",
        "/sources" => "sources:read:admin",
        _ => return None,
    })
}

pub fn router(state: AppState) -> Router<AppState> {
    let api = Router::new()
        .route(
            "/opportunities",
            get(list_opportunities).post(create_opportunity),
        )
        .route("/opportunities/deleted", get(list_deleted))
        .route("/applications/deleted", get(list_deleted_applications))
        .route("/opportunities/{id}", get(get_opportunity))
        .route("/opportunities/{id}/stage", put(put_stage))
        .route("/opportunities/{id}/archived", put(put_archived))
        .route("/opportunities/{id}/resumes", get(list_resumes))
        .route("/opportunities/{id}/resumes/{file_id}", get(get_resume))
        .route(
            "/opportunities/{id}/resumes/{file_id}/download",
            get(download_resume),
        )
        .route(
            "/opportunities/{id}/files",
            get(list_files).post(upload_file),
        )
        .route(
            "/opportunities/{id}/files/{file_id}",
            get(get_file).delete(delete_file),
        )
        .route(
            "/opportunities/{id}/files/{file_id}/download",
            get(download_file),
        )
        .route("/postings", get(list_postings))
        .route("/postings/{id}", get(get_posting))
        .route("/postings/{id}/apply", get(get_apply_form).post(apply))
        .route("/uploads", post(upload))
        .route("/users", get(list_users))
        .route("/users/{id}", get(get_user))
        .route("/stages", get(list_stages))
        .route("/stages/{id}", get(get_stage))
        .route("/archive_reasons", get(list_reasons))
        .route("/archive_reasons/{id}", get(get_reason))
        .route("/tags", get(list_tags))
        .route("/sources", get(list_sources))
        .route_layer(from_fn_with_state(
            Gate {
                app: state.clone(),
                vendor: V,
            },
            gate,
        ));
    Router::new().nest("/v1", api).merge(crate::oauth::routes(
        V,
        state,
        "/authorize",
        "/oauth/token",
    ))
}
