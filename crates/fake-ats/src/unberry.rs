//! The fake Unberry API. PROVISIONAL: Unberry publishes no API (ats-specs §3), so everything here is
//! [I] inferred — a plausible REST design kept in this one module so a real specification can replace it.
//! Conventions: `X-Api-Key` or `Authorization: Bearer`; snake_case; ISO-8601 UTC timestamps with millis;
//! single objects as `{"data": {...}}`; lists as `{"data": [...], "next_cursor": "..."|null}`;
//! errors as `{"error": {"code", "message"}}`; `updated_since` on every list for incremental sync.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use rand::Rng;
use serde_json::{Value, json};

use crate::gate::{Gate, gate, vendor_error};
use crate::seeddata::{self, Person, pick, pick_str};
use crate::sr::Content;
use crate::util::{self, FormData, Params, iso_ms, read, write};
use crate::{AppState, Config, VendorId};

const V: VendorId = VendorId::Unberry;
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// The stage template every job starts from: (name, type).
const STAGE_TEMPLATE: &[(&str, &str)] = &[
    ("Applied", "screening"),
    ("Game-based assessment", "assessment"),
    ("Recruiter screen", "screening"),
    ("Technical interview", "interview"),
    ("Hiring manager interview", "interview"),
    ("Offer", "offer"),
    ("Hired", "hired"),
    ("Rejected", "rejected"),
];
const SKILLS: &[&str] = &[
    "Problem solving",
    "Numerical reasoning",
    "Verbal reasoning",
    "Attention to detail",
    "Learning agility",
    "Coding",
];
const TRAITS: &[&str] = &[
    "Conscientiousness",
    "Openness",
    "Resilience",
    "Collaboration",
    "Risk appetite",
    "Grit",
];
const REJECTION_REASONS: &[&str] = &[
    "Assessment score below threshold",
    "Skills mismatch",
    "Candidate withdrew",
    "Position filled",
];
const SOURCES: &[&str] = &[
    "career_page",
    "linkedin",
    "naukri",
    "referral",
    "campus",
    "agency",
];
const DEPARTMENTS: &[&str] = &[
    "Engineering",
    "Sales",
    "Operations",
    "Finance",
    "Product",
    "Customer Support",
];

#[derive(Debug, Clone)]
pub struct UStage {
    pub id: String,
    pub name: &'static str,
    pub kind: &'static str,
}

#[derive(Debug, Clone)]
pub struct UJob {
    pub id: String,
    pub title: String,
    pub department: &'static str,
    pub place: seeddata::Place,
    pub employment_type: &'static str,
    pub status: &'static str,
    pub stages: Vec<UStage>,
    pub created: i64,
    pub updated: i64,
}

#[derive(Debug, Clone)]
pub struct UCandidate {
    pub id: String,
    pub person: Person,
    pub source: &'static str,
    pub created: i64,
    pub updated: i64,
    pub deleted: bool,
}

#[derive(Debug, Clone)]
pub struct Move {
    pub stage: usize,
    pub at: i64,
    pub by: usize,
}

#[derive(Debug, Clone)]
pub struct UApplication {
    pub id: String,
    pub candidate: usize,
    pub job: usize,
    pub stage: usize,
    pub history: Vec<Move>,
    pub rejection: Option<&'static str>,
    pub applied: i64,
    pub updated: i64,
}

#[derive(Debug, Clone)]
pub struct UAssessment {
    pub id: String,
    pub application: usize,
    pub name: String,
    pub completed: bool,
    pub invited: i64,
    pub finished: Option<i64>,
    pub skills: Vec<(&'static str, u8)>,
    pub traits: Vec<(&'static str, u8)>,
    pub updated: i64,
}

#[derive(Debug, Clone)]
pub struct UInterview {
    pub id: String,
    pub application: usize,
    pub start: i64,
    pub minutes: i64,
    pub mode: &'static str,
    pub interviewers: Vec<usize>,
    pub status: &'static str,
    pub updated: i64,
}

#[derive(Debug, Clone)]
pub struct UAttachment {
    pub id: String,
    pub candidate: usize,
    pub file_name: String,
    pub content_type: String,
    pub kind: String,
    pub uploaded: i64,
    pub content: Content,
}

#[derive(Debug, Clone)]
pub struct UUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: &'static str,
}

#[derive(Debug, Default)]
pub struct Store {
    pub users: Vec<UUser>,
    pub jobs: Vec<UJob>,
    pub candidates: Vec<UCandidate>,
    pub candidate_by_id: util::FastMap<String, usize>,
    pub email_index: util::FastMap<String, usize>,
    pub applications: Vec<UApplication>,
    pub application_by_id: util::FastMap<String, usize>,
    pub applications_of: util::FastMap<usize, Vec<usize>>,
    pub assessments: Vec<UAssessment>,
    pub interviews: Vec<UInterview>,
    pub attachments: Vec<UAttachment>,
    pub attachment_by_id: util::FastMap<String, usize>,
}

fn prefixed<R: Rng>(rng: &mut R, prefix: &str) -> String {
    format!("{prefix}_{}", util::hex_id(rng, 10))
}

impl Store {
    pub fn generate(cfg: &Config) -> Store {
        let mut rng = seeddata::rng_for(cfg.seed, 3);
        let mut s = Store::default();
        for i in 0..cfg.users.max(1) {
            let p = seeddata::person(&mut rng, i);
            s.users.push(UUser {
                id: prefixed(&mut rng, "usr"),
                name: p.full_name(),
                email: p.email,
                role: if i == 0 {
                    "admin"
                } else {
                    pick_str(&mut rng, &["recruiter", "hiring_manager", "interviewer"])
                },
            });
        }
        let places = seeddata::all_places();
        for _ in 0..cfg.jobs.max(1) {
            let created = seeddata::past_ms(&mut rng);
            let stages = STAGE_TEMPLATE
                .iter()
                .map(|(name, kind)| UStage {
                    id: prefixed(&mut rng, "stg"),
                    name,
                    kind,
                })
                .collect();
            s.jobs.push(UJob {
                id: prefixed(&mut rng, "job"),
                title: pick(&mut rng, seeddata::TITLES).to_string(),
                department: pick_str(&mut rng, DEPARTMENTS),
                place: *pick(&mut rng, &places),
                employment_type: pick_str(
                    &mut rng,
                    &["full_time", "full_time", "internship", "contract"],
                ),
                status: pick_str(&mut rng, &["open", "open", "open", "closed", "draft"]),
                stages,
                created,
                updated: created + rng.random_range(0..20 * 86_400_000),
            });
        }
        s.candidates.reserve(cfg.candidates);
        for i in 0..cfg.candidates {
            let person = seeddata::person(&mut rng, i);
            let created = seeddata::past_ms(&mut rng);
            let c = UCandidate {
                id: prefixed(&mut rng, "cand"),
                source: pick_str(&mut rng, SOURCES),
                created,
                updated: created + rng.random_range(0..86_400_000),
                person,
                deleted: false,
            };
            s.candidate_by_id.insert(c.id.clone(), i);
            s.email_index.insert(c.person.email.to_lowercase(), i);
            if rng.random_bool(0.75) {
                let att = UAttachment {
                    id: prefixed(&mut rng, "att"),
                    candidate: i,
                    file_name: format!(
                        "{}_resume.pdf",
                        c.person.email.split('@').next().unwrap_or("resume")
                    ),
                    content_type: "application/pdf".into(),
                    kind: "resume".into(),
                    uploaded: created,
                    content: Content::SeededResume,
                };
                s.add_attachment(att);
            }
            s.candidates.push(c);
            let napps = if rng.random_bool(0.05) {
                0
            } else if rng.random_bool(0.15) {
                2
            } else {
                1
            };
            for _ in 0..napps {
                s.gen_application(&mut rng, i, created);
            }
        }
        s
    }

    fn gen_application<R: Rng>(&mut self, rng: &mut R, cand: usize, created: i64) {
        let job = rng.random_range(0..self.jobs.len());
        let users = self.users.len();
        let mut t = created;
        let target = rng.random_range(0..7); // up to Hired
        let mut history = vec![Move {
            stage: 0,
            at: t,
            by: rng.random_range(0..users),
        }];
        let mut stage = 0;
        while stage < target {
            stage += 1;
            t += rng.random_range(3_600_000..6 * 86_400_000);
            history.push(Move {
                stage,
                at: t,
                by: rng.random_range(0..users),
            });
        }
        let mut rejection = None;
        if stage < 6 && rng.random_bool(0.3) {
            t += rng.random_range(3_600_000..3 * 86_400_000);
            stage = 7;
            history.push(Move {
                stage,
                at: t,
                by: rng.random_range(0..users),
            });
            rejection = Some(*pick(rng, REJECTION_REASONS));
        }
        let ai = self.applications.len();
        let id = prefixed(rng, "app");
        self.application_by_id.insert(id.clone(), ai);
        self.applications_of.entry(cand).or_default().push(ai);
        let assessed = target >= 1;
        let interviewed = target >= 3;
        self.applications.push(UApplication {
            id,
            candidate: cand,
            job,
            stage,
            history,
            rejection,
            applied: created,
            updated: t,
        });
        if assessed {
            let invited = created + rng.random_range(0..86_400_000);
            let completed = rng.random_bool(0.9);
            self.assessments.push(UAssessment {
                id: prefixed(rng, "asmt"),
                application: ai,
                name: "Unberry Gamified Assessment".into(),
                completed,
                invited,
                finished: completed.then(|| invited + rng.random_range(600_000..3 * 86_400_000)),
                skills: SKILLS
                    .iter()
                    .take(rng.random_range(3..=SKILLS.len()))
                    .map(|s| (*s, rng.random_range(20..=100)))
                    .collect(),
                traits: TRAITS
                    .iter()
                    .take(rng.random_range(3..=TRAITS.len()))
                    .map(|s| (*s, rng.random_range(10..=100)))
                    .collect(),
                updated: invited,
            });
        }
        if interviewed {
            let n = rng.random_range(1..=2);
            for k in 0..n {
                let start = created + (k + 1) * rng.random_range(86_400_000..10 * 86_400_000);
                self.interviews.push(UInterview {
                    id: prefixed(rng, "intv"),
                    application: ai,
                    start,
                    minutes: *pick(rng, &[30, 45, 60]),
                    mode: pick_str(rng, &["video", "video", "onsite", "phone"]),
                    interviewers: vec![rng.random_range(0..users)],
                    status: if start < util::DATA_END_MS - 30 * 86_400_000 {
                        "completed"
                    } else {
                        "scheduled"
                    },
                    updated: start,
                });
            }
        }
    }

    fn add_attachment(&mut self, a: UAttachment) -> usize {
        let i = self.attachments.len();
        self.attachment_by_id.insert(a.id.clone(), i);
        self.attachments.push(a);
        i
    }

    pub fn candidate(&self, id: &str) -> Option<usize> {
        self.candidate_by_id
            .get(id)
            .copied()
            .filter(|&i| !self.candidates[i].deleted)
    }
    pub fn application(&self, id: &str) -> Option<usize> {
        self.application_by_id
            .get(id)
            .copied()
            .filter(|&i| !self.candidates[self.applications[i].candidate].deleted)
    }
    fn job(&self, id: &str) -> Option<usize> {
        self.jobs.iter().position(|j| j.id == id)
    }
    fn attachment_bytes(&self, a: &UAttachment) -> Vec<u8> {
        match &a.content {
            Content::SeededResume => seeddata::resume_pdf(&self.candidates[a.candidate].person),
            Content::Bytes(b) => b.as_ref().clone(),
        }
    }

    /// Move an application to a stage of its job; `hired`/`rejected` stages set the status.
    pub fn move_stage(
        &mut self,
        ai: usize,
        stage: usize,
        by: usize,
        reason: Option<&'static str>,
        now: i64,
    ) {
        let a = &mut self.applications[ai];
        a.stage = stage;
        a.history.push(Move { stage, at: now, by });
        a.rejection = if STAGE_TEMPLATE[stage].1 == "rejected" {
            Some(reason.unwrap_or(REJECTION_REASONS[1]))
        } else {
            None
        };
        a.updated = now;
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
            let live = self.candidates.len();
            if change == Change::Create || live == 0 {
                let i = self.candidates.len();
                let person = seeddata::person(rng, i + 1_000_000);
                let c = UCandidate {
                    id: prefixed(rng, "cand"),
                    source: pick_str(rng, SOURCES),
                    created: now,
                    updated: now,
                    person,
                    deleted: false,
                };
                self.candidate_by_id.insert(c.id.clone(), i);
                self.email_index.insert(c.person.email.to_lowercase(), i);
                out.created.push(c.id.clone());
                self.candidates.push(c);
                let before = self.applications.len();
                self.gen_application(rng, i, now);
                for a in &mut self.applications[before..] {
                    a.stage = 0;
                    a.history = vec![Move {
                        stage: 0,
                        at: now,
                        by: 0,
                    }];
                    a.rejection = None;
                    a.updated = now;
                }
                continue;
            }
            let Some(i) = (0..8)
                .map(|_| rng.random_range(0..live))
                .find(|&i| !self.candidates[i].deleted)
            else {
                continue;
            };
            match change {
                Change::Move => {
                    let Some(apps) = self
                        .applications_of
                        .get(&i)
                        .cloned()
                        .filter(|a| !a.is_empty())
                    else {
                        continue;
                    };
                    let ai = *pick(rng, &apps);
                    let cur = self.applications[ai].stage;
                    let next = if cur >= 6 {
                        rng.random_range(1..6)
                    } else if rng.random_bool(0.2) {
                        7
                    } else {
                        cur + 1
                    };
                    let by = rng.random_range(0..self.users.len());
                    self.move_stage(ai, next, by, None, now);
                    out.moved.push(self.applications[ai].id.clone());
                }
                Change::Delete => {
                    self.candidates[i].deleted = true;
                    out.deleted.push(self.candidates[i].id.clone());
                }
                _ => {
                    let c = &mut self.candidates[i];
                    let tag = pick(rng, seeddata::SKILL_TAGS).to_string();
                    if !c.person.tags.contains(&tag) {
                        c.person.tags.push(tag);
                    }
                    c.updated = now;
                    out.edited.push(c.id.clone());
                }
            }
        }
    }
}

/// The live candidates' ids, in list order (for `AdminHandle::candidate_ids`).
pub(crate) fn live_ids(st: &AppState) -> Vec<String> {
    let s = read(&st.unberry);
    s.candidates
        .iter()
        .filter(|c| !c.deleted)
        .map(|c| c.id.clone())
        .collect()
}

/// A candidate as `GET /candidates/{id}` returns it inside `data` (for `AdminHandle::record`).
pub(crate) fn record_json(st: &AppState, id: &str) -> Option<Value> {
    let s = read(&st.unberry);
    let i = s.candidate(id)?;
    Some(
        Render {
            base: &st.info.unberry.base_url,
            s: &s,
        }
        .candidate(i),
    )
}

fn status_of(a: &UApplication) -> &'static str {
    match STAGE_TEMPLATE[a.stage].1 {
        "hired" => "hired",
        "rejected" if a.rejection == Some("Candidate withdrew") => "withdrawn",
        "rejected" => "rejected",
        _ => "active",
    }
}

fn band(score: u8) -> &'static str {
    match score {
        0..=39 => "low",
        40..=69 => "medium",
        _ => "high",
    }
}

// ---------------------------------------------------------------------------------------------- JSON

struct Render<'a> {
    base: &'a str,
    s: &'a Store,
}

impl Render<'_> {
    fn candidate(&self, i: usize) -> Value {
        let c = &self.s.candidates[i];
        let p = &c.person;
        let location = p.custom_location.clone().unwrap_or_else(|| {
            json!({"city": p.place.city, "region": p.place.region, "country": p.place.country, "country_code": p.place.country_code.to_uppercase()})
        });
        json!({
            "id": c.id, "first_name": p.first_name, "last_name": p.last_name, "email": p.email, "phone": p.phone,
            "location": location, "tags": p.tags, "source": c.source,
            "current_title": p.title, "current_company": p.company, "linkedin_url": p.linkedin(),
            "application_ids": self.s.applications_of.get(&i).map(|v| v.iter().map(|&a| self.s.applications[a].id.clone()).collect::<Vec<_>>()).unwrap_or_default(),
            "created_at": iso_ms(c.created), "updated_at": iso_ms(c.updated),
        })
    }
    fn stage(&self, job: usize, k: usize) -> Value {
        let st = &self.s.jobs[job].stages[k];
        json!({"id": st.id, "name": st.name, "type": st.kind, "order": k})
    }
    fn job(&self, j: &UJob, ji: usize) -> Value {
        json!({
            "id": j.id, "title": j.title, "department": j.department, "employment_type": j.employment_type, "status": j.status,
            "location": {"city": j.place.city, "country": j.place.country, "country_code": j.place.country_code.to_uppercase()},
            "stages": (0..j.stages.len()).map(|k| self.stage(ji, k)).collect::<Vec<_>>(),
            "created_at": iso_ms(j.created), "updated_at": iso_ms(j.updated),
        })
    }
    fn application(&self, ai: usize) -> Value {
        let a = &self.s.applications[ai];
        let job = &self.s.jobs[a.job];
        let history: Vec<Value> = a
            .history
            .iter()
            .enumerate()
            .map(|(k, m)| {
                json!({"stage_id": job.stages[m.stage].id, "stage_name": job.stages[m.stage].name,
                       "entered_at": iso_ms(m.at), "exited_at": a.history.get(k + 1).map(|n| iso_ms(n.at)),
                       "moved_by": self.s.users[m.by].id})
            })
            .collect();
        json!({
            "id": a.id, "candidate_id": self.s.candidates[a.candidate].id, "job_id": job.id,
            "stage": self.stage(a.job, a.stage), "status": status_of(a), "stage_history": history,
            "rejection_reason": a.rejection, "applied_at": iso_ms(a.applied), "updated_at": iso_ms(a.updated),
        })
    }
    fn assessment(&self, x: &UAssessment) -> Value {
        let a = &self.s.applications[x.application];
        let overall = if x.completed {
            Some(x.skills.iter().map(|s| s.1 as u32).sum::<u32>() / x.skills.len().max(1) as u32)
        } else {
            None
        };
        json!({
            "id": x.id, "candidate_id": self.s.candidates[a.candidate].id, "application_id": a.id, "assessment_name": x.name,
            "status": if x.completed { "completed" } else { "invited" },
            "invited_at": iso_ms(x.invited), "completed_at": x.finished.map(iso_ms),
            "overall_score": overall, "percentile": overall.map(|o| (o * 97 / 100).min(99)),
            "skills": if x.completed { x.skills.iter().map(|(n, s)| json!({"name": n, "score": s, "max_score": 100})).collect::<Vec<_>>() } else { vec![] },
            "traits": if x.completed { x.traits.iter().map(|(n, s)| json!({"name": n, "score": s, "band": band(*s)})).collect::<Vec<_>>() } else { vec![] },
            "updated_at": iso_ms(x.updated),
        })
    }
    fn interview(&self, x: &UInterview) -> Value {
        let a = &self.s.applications[x.application];
        json!({
            "id": x.id, "application_id": a.id, "candidate_id": self.s.candidates[a.candidate].id,
            "scheduled_start": iso_ms(x.start), "scheduled_end": iso_ms(x.start + x.minutes * 60_000), "timezone": "UTC",
            "mode": x.mode, "location": if x.mode == "onsite" { json!(format!("{} office", self.s.jobs[a.job].place.city)) } else { Value::Null },
            "meeting_url": if x.mode == "video" { json!(format!("https://meet.example/{}", x.id)) } else { Value::Null },
            "interviewers": x.interviewers.iter().map(|&u| json!({"id": self.s.users[u].id, "name": self.s.users[u].name, "email": self.s.users[u].email})).collect::<Vec<_>>(),
            "status": x.status, "updated_at": iso_ms(x.updated),
        })
    }
    fn attachment(&self, x: &UAttachment) -> Value {
        json!({"id": x.id, "candidate_id": self.s.candidates[x.candidate].id, "file_name": x.file_name,
               "content_type": x.content_type, "kind": x.kind, "size": match &x.content { Content::Bytes(b) => b.len(), Content::SeededResume => self.s.attachment_bytes(x).len() }, "uploaded_at": iso_ms(x.uploaded),
               "download_url": format!("{}/attachments/{}/download", self.base, x.id)})
    }
}

// ------------------------------------------------------------------------------------------ handlers

fn err(status: StatusCode, code: &str, message: &str) -> Response {
    vendor_error(V, status, code, message)
}
fn not_found(what: &str, id: &str) -> Response {
    err(
        StatusCode::NOT_FOUND,
        "not_found",
        &format!("{what} {id} not found"),
    )
}
fn bad(message: &str) -> Response {
    err(StatusCode::BAD_REQUEST, "invalid_request", message)
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(x) => x,
            Err(resp) => return resp,
        }
    };
}

struct ListArgs {
    limit: usize,
    start: usize,
    since: Option<i64>,
}

fn list_args(p: &Params, kind: &str) -> Result<ListArgs, Response> {
    let limit = match p.get("limit") {
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return Err(bad("limit must be between 1 and 100")),
        },
        None => 50,
    };
    let start = match p.get("cursor").filter(|c| !c.is_empty()) {
        Some(c) => {
            let decoded = util::b64url_decode(&util::percent_decode_fully(c))
                .and_then(|b| String::from_utf8(b).ok());
            match decoded
                .as_deref()
                .and_then(|d| d.strip_prefix(kind))
                .and_then(|n| n.parse().ok())
            {
                Some(n) => n,
                None => return Err(bad("cursor is invalid")),
            }
        }
        None => 0,
    };
    let since = match p.get("updated_since") {
        Some(s) => Some(
            util::parse_iso(s).ok_or_else(|| bad("updated_since must be an ISO-8601 timestamp"))?,
        ),
        None => None,
    };
    Ok(ListArgs {
        limit,
        start,
        since,
    })
}

fn list_body(data: Vec<Value>, kind: &str, next: Option<usize>) -> Response {
    let cursor = next.map(|n| util::b64url(format!("{kind}{n}").as_bytes()));
    axum::Json(json!({"data": data, "next_cursor": cursor})).into_response()
}

async fn list_candidates(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let a = tri!(list_args(&p, "c:"));
    let s = read(&st.unberry);
    let qt = p.get("q").map(str::to_lowercase);
    let email = p.get("email").map(str::to_lowercase);
    let page = util::page_fast(s.candidates.len(), a.start, a.limit, |i| {
        let c = &s.candidates[i];
        !c.deleted
            && a.since.is_none_or(|t| c.updated > t)
            && email
                .as_ref()
                .is_none_or(|e| &c.person.email.to_lowercase() == e)
            && qt.as_ref().is_none_or(|q| {
                c.person.full_name().to_lowercase().contains(q.as_str())
                    || c.person.email.contains(q.as_str())
            })
    });
    let r = Render {
        base: &st.info.unberry.base_url,
        s: &s,
    };
    list_body(
        page.items.iter().map(|&i| r.candidate(i)).collect(),
        "c:",
        page.next,
    )
}

async fn get_candidate(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.unberry);
    let Some(i) = s.candidate(&id) else {
        return not_found("candidate", &id);
    };
    axum::Json(json!({"data": Render { base: &st.info.unberry.base_url, s: &s }.candidate(i)}))
        .into_response()
}

fn apply_person_fields(p: &mut Person, body: &Value) {
    let s = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    if let Some(v) = s("first_name") {
        p.first_name = v;
    }
    if let Some(v) = s("last_name") {
        p.last_name = v;
    }
    if let Some(v) = s("email") {
        p.email = v;
    }
    if let Some(v) = s("phone") {
        p.phone = v;
    }
    if let Some(l) = body.get("location").filter(|l| l.is_object()) {
        p.custom_location = Some(l.clone());
    }
    if let Some(t) = body.get("tags").and_then(Value::as_array) {
        p.tags = t
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    }
}

async fn create_candidate(State(st): State<AppState>, body: Option<axum::Json<Value>>) -> Response {
    let Some(axum::Json(body)) = body else {
        return bad("body must be a JSON object");
    };
    for k in ["first_name", "last_name", "email"] {
        if body
            .get(k)
            .and_then(Value::as_str)
            .is_none_or(|v| v.trim().is_empty())
        {
            return err(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                &format!("{k} is required"),
            );
        }
    }
    let email = body
        .get("email")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_lowercase();
    let now = st.clock.now_ms();
    let mut s = write(&st.unberry);
    if let Some(&existing) = s.email_index.get(&email)
        && !s.candidates[existing].deleted
    {
        let id = s.candidates[existing].id.clone();
        return (StatusCode::CONFLICT, axum::Json(json!({"error": {"code": "duplicate_candidate",
            "message": format!("a candidate with email {email} already exists"), "existing_id": id}}))).into_response();
    }
    let mut person = seeddata::person(&mut rand::rng(), s.candidates.len());
    person.tags = Vec::new();
    person.phone = String::new();
    apply_person_fields(&mut person, &body);
    let source = body
        .get("source")
        .and_then(Value::as_str)
        .and_then(|x| SOURCES.iter().find(|s| **s == x).copied())
        .unwrap_or("api");
    let i = s.candidates.len();
    let c = UCandidate {
        id: format!("cand_{}", util::random_token(20).to_lowercase()),
        person,
        source,
        created: now,
        updated: now,
        deleted: false,
    };
    s.candidate_by_id.insert(c.id.clone(), i);
    s.email_index.insert(email, i);
    s.candidates.push(c);
    let r = Render {
        base: &st.info.unberry.base_url,
        s: &s,
    };
    (
        StatusCode::CREATED,
        axum::Json(json!({"data": r.candidate(i)})),
    )
        .into_response()
}

async fn patch_candidate(
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Option<axum::Json<Value>>,
) -> Response {
    let Some(axum::Json(body)) = body else {
        return bad("body must be a JSON object");
    };
    let now = st.clock.now_ms();
    let mut s = write(&st.unberry);
    let Some(i) = s.candidate(&id) else {
        return not_found("candidate", &id);
    };
    apply_person_fields(&mut s.candidates[i].person, &body);
    s.candidates[i].updated = now;
    axum::Json(json!({"data": Render { base: &st.info.unberry.base_url, s: &s }.candidate(i)}))
        .into_response()
}

async fn list_jobs(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let a = tri!(list_args(&p, "j:"));
    let s = read(&st.unberry);
    let status = p.get("status");
    let page = util::page_fast(s.jobs.len(), a.start, a.limit, |i| {
        a.since.is_none_or(|t| s.jobs[i].updated > t)
            && status.is_none_or(|x| x == s.jobs[i].status)
    });
    let r = Render {
        base: &st.info.unberry.base_url,
        s: &s,
    };
    list_body(
        page.items.iter().map(|&i| r.job(&s.jobs[i], i)).collect(),
        "j:",
        page.next,
    )
}

async fn get_job(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.unberry);
    let Some(i) = s.job(&id) else {
        return not_found("job", &id);
    };
    axum::Json(
        json!({"data": Render { base: &st.info.unberry.base_url, s: &s }.job(&s.jobs[i], i)}),
    )
    .into_response()
}

async fn list_applications(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let a = tri!(list_args(&p, "a:"));
    let s = read(&st.unberry);
    let cand = p.get("candidate_id");
    let job = p.get("job_id");
    let status = p.get("status");
    let page = util::page_fast(s.applications.len(), a.start, a.limit, |i| {
        let x = &s.applications[i];
        !s.candidates[x.candidate].deleted
            && a.since.is_none_or(|t| x.updated > t)
            && cand.is_none_or(|c| s.candidates[x.candidate].id == c)
            && job.is_none_or(|j| s.jobs[x.job].id == j)
            && status.is_none_or(|st| status_of(x) == st)
    });
    let r = Render {
        base: &st.info.unberry.base_url,
        s: &s,
    };
    list_body(
        page.items.iter().map(|&i| r.application(i)).collect(),
        "a:",
        page.next,
    )
}

async fn get_application(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.unberry);
    let Some(i) = s.application(&id) else {
        return not_found("application", &id);
    };
    axum::Json(json!({"data": Render { base: &st.info.unberry.base_url, s: &s }.application(i)}))
        .into_response()
}

async fn create_application(
    State(st): State<AppState>,
    body: Option<axum::Json<Value>>,
) -> Response {
    let Some(axum::Json(body)) = body else {
        return bad("body must be a JSON object");
    };
    let (Some(cid), Some(jid)) = (
        body.get("candidate_id").and_then(Value::as_str),
        body.get("job_id").and_then(Value::as_str),
    ) else {
        return err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "candidate_id and job_id are required",
        );
    };
    let now = st.clock.now_ms();
    let mut s = write(&st.unberry);
    let Some(ci) = s.candidate(cid) else {
        return not_found("candidate", cid);
    };
    let Some(ji) = s.job(jid) else {
        return not_found("job", jid);
    };
    if s.jobs[ji].status != "open" {
        return err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "job_not_open",
            "the job is not open for applications",
        );
    }
    if s.applications_of
        .get(&ci)
        .is_some_and(|v| v.iter().any(|&a| s.applications[a].job == ji))
    {
        return err(
            StatusCode::CONFLICT,
            "duplicate_application",
            "the candidate already applied to this job",
        );
    }
    let ai = s.applications.len();
    let id = format!("app_{}", util::random_token(20).to_lowercase());
    s.application_by_id.insert(id.clone(), ai);
    s.applications_of.entry(ci).or_default().push(ai);
    s.applications.push(UApplication {
        id,
        candidate: ci,
        job: ji,
        stage: 0,
        history: vec![Move {
            stage: 0,
            at: now,
            by: 0,
        }],
        rejection: None,
        applied: now,
        updated: now,
    });
    s.candidates[ci].updated = now;
    (
        StatusCode::CREATED,
        axum::Json(
            json!({"data": Render { base: &st.info.unberry.base_url, s: &s }.application(ai)}),
        ),
    )
        .into_response()
}

async fn move_stage(
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Option<axum::Json<Value>>,
) -> Response {
    let Some(axum::Json(body)) = body else {
        return bad("body must be JSON {\"stage_id\": \"...\"}");
    };
    let Some(stage_id) = body.get("stage_id").and_then(Value::as_str) else {
        return err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "stage_id is required",
        );
    };
    let reason = body
        .get("rejection_reason")
        .and_then(Value::as_str)
        .and_then(|r| REJECTION_REASONS.iter().find(|x| **x == r).copied());
    let now = st.clock.now_ms();
    let mut s = write(&st.unberry);
    let Some(ai) = s.application(&id) else {
        return not_found("application", &id);
    };
    let job = s.applications[ai].job;
    let Some(k) = s.jobs[job].stages.iter().position(|x| x.id == stage_id) else {
        return err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_stage",
            &format!("stage {stage_id} is not a stage of this application's job"),
        );
    };
    s.move_stage(ai, k, 0, reason, now);
    axum::Json(json!({"data": Render { base: &st.info.unberry.base_url, s: &s }.application(ai)}))
        .into_response()
}

fn filter_by_app(s: &Store, ai: usize, p: &Params) -> bool {
    let a = &s.applications[ai];
    !s.candidates[a.candidate].deleted
        && p.get("application_id").is_none_or(|x| a.id == x)
        && p.get("candidate_id")
            .is_none_or(|x| s.candidates[a.candidate].id == x)
}

async fn list_assessments(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let a = tri!(list_args(&p, "s:"));
    let s = read(&st.unberry);
    let page = util::page_fast(s.assessments.len(), a.start, a.limit, |i| {
        let x = &s.assessments[i];
        a.since.is_none_or(|t| x.updated > t) && filter_by_app(&s, x.application, &p)
    });
    let r = Render {
        base: &st.info.unberry.base_url,
        s: &s,
    };
    list_body(
        page.items
            .iter()
            .map(|&i| r.assessment(&s.assessments[i]))
            .collect(),
        "s:",
        page.next,
    )
}

async fn get_assessment(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.unberry);
    match s
        .assessments
        .iter()
        .find(|x| x.id == id && !s.candidates[s.applications[x.application].candidate].deleted)
    {
        Some(x) => axum::Json(
            json!({"data": Render { base: &st.info.unberry.base_url, s: &s }.assessment(x)}),
        )
        .into_response(),
        None => not_found("assessment", &id),
    }
}

async fn list_interviews(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let a = tri!(list_args(&p, "i:"));
    let from = p.get("from").and_then(util::parse_iso);
    let to = p.get("to").and_then(util::parse_iso);
    let s = read(&st.unberry);
    let page = util::page_fast(s.interviews.len(), a.start, a.limit, |i| {
        let x = &s.interviews[i];
        a.since.is_none_or(|t| x.updated > t)
            && from.is_none_or(|f| x.start >= f)
            && to.is_none_or(|t| x.start <= t)
            && filter_by_app(&s, x.application, &p)
    });
    let r = Render {
        base: &st.info.unberry.base_url,
        s: &s,
    };
    list_body(
        page.items
            .iter()
            .map(|&i| r.interview(&s.interviews[i]))
            .collect(),
        "i:",
        page.next,
    )
}

async fn get_interview(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.unberry);
    match s
        .interviews
        .iter()
        .find(|x| x.id == id && !s.candidates[s.applications[x.application].candidate].deleted)
    {
        Some(x) => axum::Json(
            json!({"data": Render { base: &st.info.unberry.base_url, s: &s }.interview(x)}),
        )
        .into_response(),
        None => not_found("interview", &id),
    }
}

async fn list_attachments(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.unberry);
    let Some(ci) = s.candidate(&id) else {
        return not_found("candidate", &id);
    };
    let r = Render {
        base: &st.info.unberry.base_url,
        s: &s,
    };
    let data: Vec<Value> = s
        .attachments
        .iter()
        .filter(|a| a.candidate == ci)
        .map(|a| r.attachment(a))
        .collect();
    axum::Json(json!({"data": data, "next_cursor": null})).into_response()
}

async fn upload_attachment(
    State(st): State<AppState>,
    Path(id): Path<String>,
    mp: Multipart,
) -> Response {
    let form = match FormData::read(mp).await {
        Ok(f) => f,
        Err(e) => return bad(&format!("invalid multipart body: {e}")),
    };
    let Some(file) = form.file("file") else {
        return err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "file is required",
        );
    };
    if file.data.len() > MAX_ATTACHMENT_BYTES {
        return err(
            StatusCode::PAYLOAD_TOO_LARGE,
            "file_too_large",
            "attachments are limited to 20 MB",
        );
    }
    let kind = form.field("kind").unwrap_or("resume");
    if !["resume", "cover_letter", "other"].contains(&kind) {
        return err(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "kind must be resume, cover_letter or other",
        );
    }
    let now = st.clock.now_ms();
    let mut s = write(&st.unberry);
    let Some(ci) = s.candidate(&id) else {
        return not_found("candidate", &id);
    };
    let ct = if file.content_type == "application/octet-stream" {
        util::content_type_for(&file.file_name).to_string()
    } else {
        file.content_type.clone()
    };
    let ai = s.add_attachment(UAttachment {
        id: format!("att_{}", util::random_token(20).to_lowercase()),
        candidate: ci,
        file_name: file.file_name.clone(),
        content_type: ct,
        kind: kind.to_string(),
        uploaded: now,
        content: Content::Bytes(Arc::new(file.data.to_vec())),
    });
    s.candidates[ci].updated = now;
    let r = Render {
        base: &st.info.unberry.base_url,
        s: &s,
    };
    (
        StatusCode::CREATED,
        axum::Json(json!({"data": r.attachment(&s.attachments[ai])})),
    )
        .into_response()
}

fn find_attachment(s: &Store, id: &str) -> Option<usize> {
    s.attachment_by_id
        .get(id)
        .copied()
        .filter(|&a| !s.candidates[s.attachments[a].candidate].deleted)
}

async fn get_attachment(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.unberry);
    let Some(a) = find_attachment(&s, &id) else {
        return not_found("attachment", &id);
    };
    axum::Json(json!({"data": Render { base: &st.info.unberry.base_url, s: &s }.attachment(&s.attachments[a])})).into_response()
}

async fn download_attachment(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let s = read(&st.unberry);
    let Some(a) = find_attachment(&s, &id) else {
        return not_found("attachment", &id);
    };
    let att = &s.attachments[a];
    let bytes = s.attachment_bytes(att);
    let mut resp = Response::new(Body::from(bytes));
    if let Ok(v) = HeaderValue::from_str(&att.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    let ascii: String = att
        .file_name
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

async fn list_users(State(st): State<AppState>) -> Response {
    let s = read(&st.unberry);
    let data: Vec<Value> = s
        .users
        .iter()
        .map(|u| json!({"id": u.id, "name": u.name, "email": u.email, "role": u.role}))
        .collect();
    axum::Json(json!({"data": data, "next_cursor": null})).into_response()
}

/// Scope a Bearer token needs on this route (`x:write` implies `x:read`).
pub fn required_scope(method: &Method, route: &str) -> Option<&'static str> {
    let read = *method == Method::GET;
    Some(match route {
        r if r.contains("/attachments") => {
            if read {
                "attachments:read"
            } else {
                "attachments:write"
            }
        }
        r if r.starts_with("/candidates") => {
            if read {
                "candidates:read"
            } else {
                "candidates:write"
            }
        }
        r if r.starts_with("/applications") => {
            if read {
                "applications:read"
            } else {
                "applications:write"
            }
        }
        r if r.starts_with("/jobs") => "jobs:read",
        r if r.starts_with("/assessments") => "assessments:read",
        r if r.starts_with("/interviews") => "interviews:read",
        r if r.starts_with("/users") => "candidates:read",
        _ => return None,
    })
}

pub fn router(state: AppState) -> Router<AppState> {
    let api = Router::new()
        .route("/candidates", get(list_candidates).post(create_candidate))
        .route(
            "/candidates/{id}",
            get(get_candidate).patch(patch_candidate),
        )
        .route(
            "/candidates/{id}/attachments",
            get(list_attachments).post(upload_attachment),
        )
        .route("/attachments/{id}", get(get_attachment))
        .route("/attachments/{id}/download", get(download_attachment))
        .route("/jobs", get(list_jobs))
        .route("/jobs/{id}", get(get_job))
        .route(
            "/applications",
            get(list_applications).post(create_application),
        )
        .route("/applications/{id}", get(get_application))
        .route("/applications/{id}/stage", put(move_stage))
        .route("/assessments", get(list_assessments))
        .route("/assessments/{id}", get(get_assessment))
        .route("/interviews", get(list_interviews))
        .route("/interviews/{id}", get(get_interview))
        .route("/users", get(list_users))
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
        "/oauth/authorize",
        "/oauth/token",
    ))
}
