//! The fake SmartRecruiters customer API (ats-specs §1): candidates, applications (candidate × job),
//! attachments, jobs, configuration lists, and the user API under `/user-api/v201804`.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use rand::Rng;
use serde_json::{Value, json};

use crate::gate::{Gate, gate, vendor_error};
use crate::seeddata::{self, Person, Place, pick, pick_str};
use crate::util::{self, FormData, Params, iso_ms, read, write};
use crate::{AppState, Config, VendorId};

const V: VendorId = VendorId::SmartRecruiters;

pub const STATUSES: &[&str] = &[
    "LEAD",
    "NEW",
    "IN_REVIEW",
    "INTERVIEW",
    "OFFERED",
    "HIRED",
    "REJECTED",
    "WITHDRAWN",
    "TRANSFERRED",
];
pub const JOB_STATUSES: &[&str] = &[
    "CREATED",
    "SOURCING",
    "FILLED",
    "INTERVIEW",
    "OFFER",
    "CANCELLED",
    "ON_HOLD",
];
pub const ATTACHMENT_TYPES: &[&str] = &["GENERIC_FILE", "RESUME", "COVER_LETTER"];

const REJECTION_REASONS: &[(&str, &str)] = &[
    ("rr-1", "Not qualified"),
    ("rr-2", "Position filled"),
    ("rr-3", "Salary expectations too high"),
    ("rr-4", "Failed assessment"),
    ("rr-5", "Not a culture add"),
];
const WITHDRAWAL_REASONS: &[(&str, &str)] = &[
    ("wr-1", "Accepted another offer"),
    ("wr-2", "Not interested anymore"),
    ("wr-3", "Relocation not possible"),
];
const DEPARTMENTS: &[(&str, &str)] = &[
    ("18554", "Engineering"),
    ("18555", "Product"),
    ("18556", "Sales"),
    ("18557", "Marketing"),
    ("18558", "Finance"),
    ("18559", "People"),
    ("18560", "Customer Success"),
    ("18561", "Data"),
];
const SOURCES: &[(&str, &str, &str)] = &[
    ("JOB_BOARDS", "linkedin", "LinkedIn"),
    ("JOB_BOARDS", "indeed", "Indeed"),
    ("REFERRAL", "employee", "Employee referral"),
    ("CAREER_SITE", "careers", "Career site"),
    ("AGENCY", "agency", "Agency"),
    ("SOCIAL_MEDIA", "twitter", "X / Twitter"),
    ("API", "api", "API"),
];
const SYSTEM_ROLES: &[(&str, &str)] = &[
    ("ADMINISTRATOR", "Administrator"),
    ("EXTENDED", "Extended"),
    ("STANDARD", "Standard"),
    ("RESTRICTED", "Restricted"),
    ("EMPLOYEE", "Employee"),
];
const ACCESS_GROUPS: &[&str] = &[
    "Global Recruiting",
    "EMEA Hiring",
    "APAC Hiring",
    "Americas Hiring",
    "Engineering Hiring Managers",
    "Executive Search",
];

fn sub_statuses(status: &str) -> &'static [&'static str] {
    match status {
        "IN_REVIEW" => &["Resume review", "Phone screen"],
        "INTERVIEW" => &["First interview", "Technical interview", "Final interview"],
        "OFFERED" => &["Offer drafted", "Offer sent"],
        _ => &[],
    }
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub title: String,
    pub ref_number: String,
    pub created: i64,
    pub updated: i64,
    pub last_activity: i64,
    pub department: usize,
    pub place: Place,
    pub remote: bool,
    pub status: &'static str,
    pub posting_status: &'static str,
    pub creator: usize,
    pub comp: (u32, u32, &'static str),
}

#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub at: i64,
    pub status: &'static str,
    pub sub_status: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Assignment {
    pub job: usize,
    pub status: &'static str,
    pub sub_status: Option<String>,
    pub starts_on: Option<i64>,
    pub source: usize,
    pub rejection: Option<usize>,
    pub withdrawal: Option<usize>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    pub internal: bool,
    pub person: Person,
    pub created: i64,
    pub updated: i64,
    pub rating: f64,
    pub assignments: Vec<Assignment>,
    pub deleted: bool,
}

#[derive(Debug, Clone)]
pub enum Content {
    /// The candidate's generated resume, rendered on download.
    SeededResume,
    Bytes(Arc<Vec<u8>>),
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub id: String,
    pub candidate: usize,
    pub job: Option<usize>,
    pub name: String,
    pub kind: String,
    pub content_type: String,
    pub content: Content,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role: usize,
    pub active: bool,
    pub updated: i64,
    pub language: &'static str,
    pub groups: Vec<usize>,
    pub place: Place,
    pub sso: bool,
}

#[derive(Debug, Default)]
pub struct Store {
    pub jobs: Vec<Job>,
    pub candidates: Vec<Candidate>,
    pub by_id: util::FastMap<String, usize>,
    pub attachments: Vec<Attachment>,
    pub attachments_by_id: util::FastMap<String, usize>,
    pub attachments_of: util::FastMap<usize, Vec<usize>>,
    pub users: Vec<User>,
    pub access_groups: Vec<(String, String)>,
    /// `listable[i]`: candidate i is live and has a job application (what `GET /candidates` lists);
    /// kept beside the records so an unfiltered page scans a compact vector.
    pub listable: Vec<bool>,
}

fn job_titles() -> &'static [(&'static str, usize)] {
    &[
        ("Backend Engineer", 0),
        ("Frontend Engineer", 0),
        ("Site Reliability Engineer", 0),
        ("Product Manager", 1),
        ("Product Designer", 1),
        ("Account Executive", 2),
        ("Sales Development Representative", 2),
        ("Growth Marketing Manager", 3),
        ("Financial Controller", 4),
        ("People Partner", 5),
        ("Customer Success Manager", 6),
        ("Data Scientist", 7),
        ("Data Engineer", 7),
        ("Engineering Manager", 0),
    ]
}

impl Store {
    pub fn generate(cfg: &Config) -> Store {
        let mut rng = seeddata::rng_for(cfg.seed, 1);
        let places = seeddata::all_places();
        let mut s = Store::default();
        for (i, name) in ACCESS_GROUPS.iter().enumerate() {
            s.access_groups
                .push((format!("{:024x}", 0xA00 + i), name.to_string()));
        }
        for i in 0..cfg.users.max(1) {
            let p = seeddata::person(&mut rng, i);
            let ngroups = rng.random_range(0..3);
            s.users.push(User {
                id: util::hex_id(&mut rng, 12),
                first_name: p.first_name,
                last_name: p.last_name,
                email: p
                    .email
                    .replace(&format!(".{i}@"), "@")
                    .replace("@", &format!(".{i}@")),
                role: if i == 0 {
                    0
                } else {
                    rng.random_range(0..SYSTEM_ROLES.len())
                },
                active: i == 0 || rng.random_bool(0.9),
                updated: seeddata::past_ms(&mut rng),
                language: pick_str(&mut rng, &["en", "en", "fr", "de", "es", "pl"]),
                groups: (0..ngroups)
                    .map(|_| rng.random_range(0..ACCESS_GROUPS.len()))
                    .collect(),
                place: p.place,
                sso: rng.random_bool(0.3),
            });
        }
        for i in 0..cfg.jobs.max(1) {
            let (title, dept) = *pick(&mut rng, job_titles());
            let created = seeddata::past_ms(&mut rng);
            let place = *pick(&mut rng, &places);
            s.jobs.push(Job {
                id: util::uuid_from(&mut rng),
                title: title.to_string(),
                ref_number: format!("REF-{}", 1000 + i),
                created,
                updated: created + rng.random_range(0..20 * 86_400_000),
                last_activity: created + rng.random_range(0..60 * 86_400_000),
                department: dept,
                place,
                remote: rng.random_bool(0.25),
                status: if rng.random_bool(0.7) {
                    "SOURCING"
                } else {
                    pick_str(&mut rng, JOB_STATUSES)
                },
                posting_status: pick_str(
                    &mut rng,
                    &[
                        "PUBLIC",
                        "PUBLIC",
                        "PUBLIC",
                        "INTERNAL",
                        "NOT_PUBLISHED",
                        "PRIVATE",
                    ],
                ),
                creator: rng.random_range(0..s.users.len()),
                comp: (
                    rng.random_range(40..90) * 1000,
                    rng.random_range(90..180) * 1000,
                    *pick(&mut rng, &["USD", "EUR", "INR", "GBP"]),
                ),
            });
        }
        s.candidates.reserve(cfg.candidates);
        for i in 0..cfg.candidates {
            let c = gen_candidate(&mut rng, i, s.jobs.len());
            s.by_id.insert(c.id.clone(), i);
            if rng.random_bool(0.7) {
                let att = Attachment {
                    id: util::uuid_from(&mut rng),
                    candidate: i,
                    job: c.assignments.first().map(|a| a.job),
                    name: format!(
                        "{}_{}_CV.pdf",
                        ascii_part(&c.person.email, 0),
                        ascii_part(&c.person.email, 1)
                    ),
                    kind: "RESUME".into(),
                    content_type: "application/pdf".into(),
                    content: Content::SeededResume,
                };
                s.add_attachment(att);
            }
            s.listable.push(!c.assignments.is_empty());
            s.candidates.push(c);
        }
        s
    }

    pub fn add_attachment(&mut self, att: Attachment) -> usize {
        let idx = self.attachments.len();
        self.attachments_by_id.insert(att.id.clone(), idx);
        self.attachments_of
            .entry(att.candidate)
            .or_default()
            .push(idx);
        self.attachments.push(att);
        idx
    }

    pub fn candidate(&self, id: &str) -> Option<usize> {
        self.by_id
            .get(id)
            .copied()
            .filter(|&i| !self.candidates[i].deleted)
    }
    pub fn job(&self, id: &str) -> Option<usize> {
        self.jobs.iter().position(|j| j.id == id)
    }
    pub fn attachment_bytes(&self, idx: usize) -> Vec<u8> {
        let a = &self.attachments[idx];
        match &a.content {
            Content::SeededResume => seeddata::resume_pdf(&self.candidates[a.candidate].person),
            Content::Bytes(b) => b.as_ref().clone(),
        }
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
            let live: usize = self.candidates.len();
            let change = Change::pick(rng);
            let now = clock.now_ms();
            if change == Change::Create || live == 0 {
                let i = self.candidates.len();
                let mut c = gen_candidate(rng, i, self.jobs.len());
                if c.assignments.is_empty() {
                    let mut t = now;
                    let job = rng.random_range(0..self.jobs.len());
                    c.assignments.push(gen_assignment(rng, job, &mut t));
                }
                c.created = now;
                c.updated = now;
                for a in &mut c.assignments {
                    for h in &mut a.history {
                        h.at = now;
                    }
                    a.starts_on = None;
                }
                out.created.push(c.id.clone());
                self.by_id.insert(c.id.clone(), i);
                self.listable.push(true);
                self.candidates.push(c);
                continue;
            }
            // Pick a live candidate (retry a few times past deleted ones).
            let Some(i) = (0..8)
                .map(|_| rng.random_range(0..live))
                .find(|&i| !self.candidates[i].deleted)
            else {
                continue;
            };
            let c = &mut self.candidates[i];
            match change {
                Change::Move if !c.assignments.is_empty() => {
                    let a = rng.random_range(0..c.assignments.len());
                    let asg = &mut c.assignments[a];
                    let next = loop {
                        let s = *pick(rng, &STATUSES[1..8]);
                        if s != asg.status {
                            break s;
                        }
                    };
                    let subs = sub_statuses(next);
                    asg.sub_status = (!subs.is_empty()).then(|| pick(rng, subs).to_string());
                    asg.status = next;
                    asg.rejection =
                        (next == "REJECTED").then(|| rng.random_range(0..REJECTION_REASONS.len()));
                    asg.withdrawal = (next == "WITHDRAWN")
                        .then(|| rng.random_range(0..WITHDRAWAL_REASONS.len()));
                    asg.history.push(HistoryEntry {
                        at: now,
                        status: next,
                        sub_status: asg.sub_status.clone(),
                    });
                    c.updated = now;
                    out.moved.push(c.id.clone());
                }
                Change::Delete => {
                    c.deleted = true;
                    self.listable[i] = false;
                    out.deleted.push(c.id.clone());
                }
                _ => {
                    c.person.phone = format!(
                        "{} {} {:04}",
                        c.person.place.dial,
                        rng.random_range(20..99),
                        rng.random_range(0..10000)
                    );
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
    let store = read(&st.sr);
    store
        .candidates
        .iter()
        .filter(|c| !c.deleted)
        .map(|c| c.id.clone())
        .collect()
}

/// A candidate as `GET /candidates/{id}` returns it (for `AdminHandle::record`).
pub(crate) fn record_json(st: &AppState, id: &str) -> Option<Value> {
    let store = read(&st.sr);
    let i = store.candidate(id)?;
    let base = st.info.smartrecruiters.base_url.clone();
    Some(
        Render {
            base: &base,
            store: &store,
        }
        .details(&store.candidates[i]),
    )
}

fn ascii_part(email: &str, n: usize) -> String {
    email
        .split('@')
        .next()
        .unwrap_or("")
        .split('.')
        .nth(n)
        .unwrap_or("candidate")
        .to_string()
}

fn gen_candidate<R: Rng>(rng: &mut R, i: usize, jobs: usize) -> Candidate {
    let person = seeddata::person(rng, i);
    let created = seeddata::past_ms(rng);
    let napps = if rng.random_bool(0.04) {
        0
    } else if rng.random_bool(0.15) {
        2
    } else {
        1
    };
    let mut assignments = Vec::with_capacity(napps);
    let mut t = created;
    for _ in 0..napps {
        let job = rng.random_range(0..jobs);
        if assignments.iter().any(|a: &Assignment| a.job == job) {
            continue;
        }
        assignments.push(gen_assignment(rng, job, &mut t));
    }
    Candidate {
        id: util::uuid_from(rng),
        internal: rng.random_bool(0.05),
        person,
        created,
        updated: t.max(created) + rng.random_range(0..86_400_000),
        rating: (rng.random_range(0..=10) as f64) / 2.0,
        assignments,
        deleted: false,
    }
}

fn gen_assignment<R: Rng>(rng: &mut R, job: usize, t: &mut i64) -> Assignment {
    // Walk the pipeline, stopping at a weighted outcome.
    let path = ["NEW", "IN_REVIEW", "INTERVIEW", "OFFERED", "HIRED"];
    let outcome: f64 = rng.random();
    let (steps, end): (usize, Option<&str>) = if outcome < 0.05 {
        (0, Some("LEAD"))
    } else if outcome < 0.30 {
        (rng.random_range(1..=4), Some("REJECTED"))
    } else if outcome < 0.36 {
        (rng.random_range(1..=4), Some("WITHDRAWN"))
    } else if outcome < 0.46 {
        (5, None)
    } else {
        (rng.random_range(1..=4), None)
    };
    let mut history = Vec::new();
    for s in path.iter().take(steps) {
        *t += rng.random_range(3_600_000..10 * 86_400_000);
        let subs = sub_statuses(s);
        let sub = (!subs.is_empty()).then(|| pick(rng, subs).to_string());
        history.push(HistoryEntry {
            at: *t,
            status: s,
            sub_status: sub,
        });
    }
    if let Some(e) = end {
        *t += rng.random_range(3_600_000..5 * 86_400_000);
        history.push(HistoryEntry {
            at: *t,
            status: e,
            sub_status: None,
        });
    }
    let last = history.last().cloned().unwrap_or(HistoryEntry {
        at: *t,
        status: "LEAD",
        sub_status: None,
    });
    Assignment {
        job,
        starts_on: (last.status == "HIRED").then(|| last.at + 30 * 86_400_000),
        rejection: (last.status == "REJECTED")
            .then(|| rng.random_range(0..REJECTION_REASONS.len())),
        withdrawal: (last.status == "WITHDRAWN")
            .then(|| rng.random_range(0..WITHDRAWAL_REASONS.len())),
        status: last.status,
        sub_status: last.sub_status,
        source: rng.random_range(0..SOURCES.len() - 1),
        history,
    }
}

// ---------------------------------------------------------------------------------------------- JSON

fn action(url: String) -> Value {
    json!({"url": url, "method": "GET"})
}

/// Borrowing wire shapes for the candidate list (the hot path): serialized directly, without building a
/// `serde_json::Value` tree per record.
#[derive(serde::Serialize)]
struct ActionWire {
    url: String,
    method: &'static str,
}

#[derive(serde::Serialize)]
struct DetailsActions {
    details: ActionWire,
}

#[derive(serde::Serialize)]
struct JobRefWire<'a> {
    id: &'a str,
    title: &'a str,
    actions: DetailsActions,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PrimaryWire<'a> {
    job: JobRefWire<'a>,
    status: &'a str,
    sub_status: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct SecondaryWire<'a> {
    job: JobRefWire<'a>,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PlaceWire<'a> {
    country: &'a str,
    country_code: &'a str,
    region_code: &'a str,
    region: &'a str,
    city: &'a str,
    lat: f64,
    lng: f64,
}

#[derive(serde::Serialize)]
#[serde(untagged)]
enum LocationWire<'a> {
    Place(PlaceWire<'a>),
    Custom(&'a Value),
}

#[derive(serde::Serialize)]
struct ItemActions {
    details: ActionWire,
    properties: ActionWire,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CandidateItemWire<'a> {
    id: &'a str,
    internal: bool,
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    created_on: String,
    updated_on: String,
    location: LocationWire<'a>,
    average_rating: f64,
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_assignment: Option<PrimaryWire<'a>>,
    secondary_assignments: Vec<SecondaryWire<'a>>,
    actions: ItemActions,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CandidatesPageWire<'a> {
    limit: usize,
    offset: usize,
    total_found: usize,
    next_page_id: String,
    content: Vec<CandidateItemWire<'a>>,
}

struct Render<'a> {
    base: &'a str,
    store: &'a Store,
}

impl Render<'_> {
    fn person_location(p: &Person) -> Value {
        p.custom_location
            .clone()
            .unwrap_or_else(|| Self::location(&p.place))
    }
    fn location(p: &Place) -> Value {
        json!({"country": p.country, "countryCode": p.country_code, "regionCode": p.region_code, "region": p.region,
               "city": p.city, "lat": p.lat, "lng": p.lng})
    }
    fn job_ref(&self, j: usize) -> Value {
        let job = &self.store.jobs[j];
        json!({"id": job.id, "title": job.title, "actions": {"details": action(format!("{}/jobs/{}", self.base, job.id))}})
    }
    fn assignment(&self, c: &Candidate, a: &Assignment) -> Value {
        let (st, sub, sid) = SOURCES[a.source];
        let job_id = &self.store.jobs[a.job].id;
        json!({
            "job": self.job_ref(a.job),
            "status": a.status,
            "subStatus": a.sub_status,
            "startsOn": a.starts_on.map(iso_ms),
            "source": {"sourceTypeId": st, "sourceSubTypeId": sub, "sourceId": sid},
            "reasonOfRejection": a.rejection.map(|r| json!({"id": REJECTION_REASONS[r].0, "label": REJECTION_REASONS[r].1})),
            "reasonOfWithdrawal": a.withdrawal.map(|r| json!({"id": WITHDRAWAL_REASONS[r].0, "label": WITHDRAWAL_REASONS[r].1})),
            "actions": {
                "details": action(format!("{}/candidates/{}/jobs/{}", self.base, c.id, job_id)),
                "status": action(format!("{}/candidates/{}/jobs/{}/status", self.base, c.id, job_id)),
            },
        })
    }
    fn get_action(url: String) -> ActionWire {
        ActionWire { url, method: "GET" }
    }
    fn job_ref_wire(&self, j: usize) -> JobRefWire<'_> {
        let job = &self.store.jobs[j];
        JobRefWire {
            id: &job.id,
            title: &job.title,
            actions: DetailsActions {
                details: Self::get_action(format!("{}/jobs/{}", self.base, job.id)),
            },
        }
    }
    fn list_item<'b>(&'b self, c: &'b Candidate) -> CandidateItemWire<'b> {
        let p = &c.person;
        let location = match &p.custom_location {
            Some(v) => LocationWire::Custom(v),
            None => LocationWire::Place(PlaceWire {
                country: p.place.country,
                country_code: p.place.country_code,
                region_code: p.place.region_code,
                region: p.place.region,
                city: p.place.city,
                lat: p.place.lat,
                lng: p.place.lng,
            }),
        };
        CandidateItemWire {
            id: &c.id,
            internal: c.internal,
            first_name: &p.first_name,
            last_name: &p.last_name,
            email: &p.email,
            created_on: iso_ms(c.created),
            updated_on: iso_ms(c.updated),
            location,
            average_rating: c.rating,
            tags: &p.tags,
            primary_assignment: c.assignments.first().map(|a| PrimaryWire {
                job: self.job_ref_wire(a.job),
                status: a.status,
                sub_status: a.sub_status.as_deref(),
            }),
            secondary_assignments: c
                .assignments
                .iter()
                .skip(1)
                .map(|a| SecondaryWire {
                    job: self.job_ref_wire(a.job),
                })
                .collect(),
            actions: ItemActions {
                details: Self::get_action(format!("{}/candidates/{}", self.base, c.id)),
                properties: Self::get_action(format!(
                    "{}/candidates/{}/properties",
                    self.base, c.id
                )),
            },
        }
    }
    fn details(&self, c: &Candidate) -> Value {
        let p = &c.person;
        let start = c.created - 5 * 365 * 86_400_000;
        json!({
            "id": c.id, "internal": c.internal, "firstName": p.first_name, "lastName": p.last_name, "email": p.email,
            "phoneNumber": p.phone, "location": Self::person_location(p),
            "web": {"linkedin": p.linkedin(), "skype": null, "facebook": null, "twitter": null, "website": null},
            "createdOn": iso_ms(c.created), "updatedOn": iso_ms(c.updated), "tags": p.tags, "averageRating": c.rating,
            "education": [{"institution": p.school, "degree": p.degree, "major": p.major, "current": false,
                           "startDate": util::iso_date(start - 4 * 365 * 86_400_000), "endDate": util::iso_date(start)}],
            "experience": [{"title": p.title, "company": p.company, "current": true, "startDate": util::iso_date(start),
                            "location": format!("{}, {}", p.place.city, p.place.country)}],
            "primaryAssignment": c.assignments.first().map(|a| self.assignment(c, a)),
            "secondaryAssignments": c.assignments.iter().skip(1).map(|a| self.assignment(c, a)).collect::<Vec<_>>(),
            "actions": {
                "attachments": action(format!("{}/candidates/{}/attachments", self.base, c.id)),
                "properties": action(format!("{}/candidates/{}/properties", self.base, c.id)),
            },
        })
    }
    fn attachment(&self, a: &Attachment) -> Value {
        let c = &self.store.candidates[a.candidate];
        let download = format!("{}/candidates/{}/attachments/{}", self.base, c.id, a.id);
        json!({"id": a.id, "name": a.name, "type": a.kind, "contentType": a.content_type,
               "actions": {"download": {"url": download, "method": "GET"},
                           "remove": {"url": format!("{}/candidates/attachments/{}", self.base, a.id), "method": "DELETE"}}})
    }
    fn job_summary(&self, j: &Job) -> Value {
        let (did, dlabel) = DEPARTMENTS[j.department];
        json!({
            "id": j.id, "title": j.title, "refNumber": j.ref_number, "createdOn": iso_ms(j.created),
            "updatedOn": iso_ms(j.updated), "lastActivityOn": iso_ms(j.last_activity),
            "department": {"id": did, "label": dlabel},
            "location": {"country": j.place.country, "countryCode": j.place.country_code, "regionCode": j.place.region_code,
                         "region": j.place.region, "city": j.place.city, "remote": j.remote},
            "status": j.status, "postingStatus": j.posting_status,
            "language": {"code": "en", "label": "English", "labelNative": "English (US)"},
            "actions": {"details": action(format!("{}/jobs/{}", self.base, j.id))},
        })
    }
    fn job_details(&self, j: &Job) -> Value {
        let mut v = self.job_summary(j);
        let creator = &self.store.users[j.creator];
        let extra = json!({
            "targetHiringDate": iso_ms(j.created + 90 * 86_400_000),
            "industry": {"id": "internet", "label": "Internet"},
            "function": {"id": "engineering", "label": DEPARTMENTS[j.department].1},
            "typeOfEmployment": {"id": "permanent", "label": "Full-time"},
            "experienceLevel": {"id": "mid_senior_level", "label": "Mid-Senior Level"},
            "eeoCategory": {"id": "professionals", "label": "Professionals"},
            "creator": {"id": creator.id, "firstName": creator.first_name, "lastName": creator.last_name},
            "compensation": {"min": j.comp.0, "max": j.comp.1, "currency": j.comp.2},
            "jobAd": {"language": {"code": "en", "label": "English", "labelNative": "English (US)"},
                      "sections": {
                          "companyDescription": {"title": "Company Description", "text": "<p>We build hiring tools people enjoy.</p>"},
                          "jobDescription": {"title": "Job Description", "text": format!("<p>Join us as a {} in {}.</p>", j.title, j.place.city)},
                          "qualifications": {"title": "Qualifications", "text": "<ul><li>Curiosity</li><li>Clear writing</li></ul>"},
                          "additionalInformation": {"title": "Additional Information", "text": "<p>Hybrid work possible.</p>"}}},
            "properties": [],
            "actions": {
                "details": action(format!("{}/jobs/{}", self.base, j.id)),
                "hiringTeam": action(format!("{}/jobs/{}/hiring-team", self.base, j.id)),
                "publications": action(format!("{}/jobs/{}/publication", self.base, j.id)),
                "positions": action(format!("{}/jobs/{}/positions", self.base, j.id)),
            },
        });
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            for (k, val) in e {
                o.insert(k.clone(), val.clone());
            }
        }
        v
    }
    fn user(&self, u: &User, entity: bool) -> Value {
        let mut v = json!({
            "id": u.id, "email": u.email, "firstName": u.first_name, "lastName": u.last_name,
            "systemRole": {"id": SYSTEM_ROLES[u.role].0}, "externalData": null,
            "ssoIdentifier": u.sso.then(|| u.email.clone()), "ssoLoginMode": if u.sso { "SSO" } else { "PASSWORD" },
            "language": {"code": u.language}, "active": u.active, "updatedOn": iso_ms(u.updated),
            "accessGroups": u.groups.iter().map(|&g| if entity {
                json!({"id": self.store.access_groups[g].0, "name": self.store.access_groups[g].1})
            } else { json!({"id": self.store.access_groups[g].0}) }).collect::<Vec<_>>(),
        });
        if entity {
            v["location"] = json!({"country": u.place.country, "countryCode": u.place.country_code, "city": u.place.city});
        }
        v
    }
}

// ------------------------------------------------------------------------------------------ handlers

fn err(status: StatusCode, code: &str, message: &str) -> Response {
    vendor_error(V, status, code, message)
}
fn not_found(what: &str, id: &str) -> Response {
    err(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &format!("{what} with id {id} not found"),
    )
}
fn bad(message: &str) -> Response {
    err(StatusCode::BAD_REQUEST, "INVALID_REQUEST", message)
}

/// `pageId` cursors: URL-safe base64 of `<kind>:<index>` [I — real ones are opaque base64-ish strings].
fn encode_page_id(kind: &str, idx: usize) -> String {
    util::b64url(format!("{kind}:{idx}").as_bytes())
}
fn decode_page_id(kind: &str, raw: &str) -> Option<usize> {
    let s = util::percent_decode_fully(raw);
    let bytes = util::b64url_decode(&s)?;
    let text = String::from_utf8(bytes).ok()?;
    let (k, idx) = text.split_once(':')?;
    (k == kind).then(|| idx.parse().ok()).flatten()
}

struct Paging {
    limit: usize,
    start: usize,
    /// Deprecated `offset` paging: matching records to skip.
    skip: usize,
}

fn paging(p: &Params, kind: &str, default_limit: usize) -> Result<Paging, Response> {
    let limit = match p.get("limit") {
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return Err(bad("limit must be between 1 and 100")),
        },
        None => default_limit,
    };
    let (start, skip) = match p.get("pageId").filter(|s| !s.is_empty()) {
        Some(id) => (
            decode_page_id(kind, id).ok_or_else(|| bad("Invalid pageId"))?,
            0,
        ),
        None => match p.get("offset") {
            // The deprecated offset paging is still honoured: skip that many matching records.
            Some(o) => (0, o.parse().map_err(|_| bad("offset must be a number"))?),
            None => (0, 0),
        },
    };
    Ok(Paging { limit, start, skip })
}

/// Body and `Link` header of a cursor page.
fn paged_response(
    mut body: Value,
    next: Option<String>,
    link_base: String,
    p: &Params,
    limit: usize,
) -> Response {
    body["nextPageId"] = json!(next.clone().unwrap_or_default());
    link_response(body, next, link_base, p, limit)
}

/// A page body (which must carry `nextPageId`) plus the `Link` header when there is a next page.
fn link_response<T: serde::Serialize>(
    body: T,
    next: Option<String>,
    link_base: String,
    p: &Params,
    limit: usize,
) -> Response {
    let mut resp = axum::Json(body).into_response();
    if let Some(n) = next {
        let mut q = p.without(&["pageId", "limit", "offset"]);
        q.push(("limit".into(), limit.to_string()));
        q.push(("pageId".into(), n));
        let link = format!("<{link_base}?{}>; rel=\"next\"", util::encode_query(&q));
        if let Ok(v) = HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    resp
}

fn parse_updated_after(p: &Params) -> Result<Option<i64>, Response> {
    match p.get("updatedAfter") {
        Some(s) => util::parse_iso(s)
            .map(Some)
            .ok_or_else(|| bad("updatedAfter must be an ISO-8601 date-time")),
        None => Ok(None),
    }
}

async fn list_candidates(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let pg = match paging(&p, "c", 10) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let after = match parse_updated_after(&p) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let store = read(&st.sr);
    let qtext = p.get("q").map(str::to_lowercase).filter(|s| !s.is_empty());
    let job_idx: Vec<usize> = p
        .all("jobId")
        .iter()
        .filter_map(|id| store.job(id))
        .collect();
    if !p.all("jobId").is_empty() && job_idx.is_empty() {
        return err(StatusCode::NOT_FOUND, "NOT_FOUND", "Job not found");
    }
    let statuses = p.all("status");
    let tags = p.all("tag");
    let unfiltered = after.is_none()
        && job_idx.is_empty()
        && statuses.is_empty()
        && tags.is_empty()
        && qtext.is_none();
    let page = util::page(store.candidates.len(), pg.start, pg.skip, pg.limit, |i| {
        // Only candidates with at least one job application are listed [V].
        if !store.listable[i] {
            return false;
        }
        if unfiltered {
            return true;
        }
        let c = &store.candidates[i];
        if after.is_some_and(|t| c.updated <= t) {
            return false;
        }
        if !job_idx.is_empty() || !statuses.is_empty() {
            let hit = c.assignments.iter().any(|a| {
                (job_idx.is_empty() || job_idx.contains(&a.job))
                    && (statuses.is_empty() || statuses.contains(&a.status))
            });
            if !hit {
                return false;
            }
        }
        if !tags.is_empty() && !c.person.tags.iter().any(|t| tags.contains(&t.as_str())) {
            return false;
        }
        if let Some(qt) = &qtext {
            let p = &c.person;
            return p.first_name.to_lowercase().contains(qt.as_str())
                || p.last_name.to_lowercase().contains(qt.as_str())
                || p.email.contains(qt.as_str());
        }
        true
    });
    let base = st.info.smartrecruiters.base_url.clone();
    let r = Render {
        base: &base,
        store: &store,
    };
    let next = page.next.map(|n| encode_page_id("c", n));
    let body = CandidatesPageWire {
        limit: pg.limit,
        offset: page.before,
        total_found: page.total,
        next_page_id: next.clone().unwrap_or_default(),
        content: page
            .items
            .iter()
            .map(|&i| r.list_item(&store.candidates[i]))
            .collect(),
    };
    link_response(body, next, format!("{base}/candidates"), &p, pg.limit)
}

async fn get_candidate(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let store = read(&st.sr);
    let Some(i) = store.candidate(&id) else {
        return not_found("Candidate", &id);
    };
    let base = st.info.smartrecruiters.base_url.clone();
    axum::Json(
        Render {
            base: &base,
            store: &store,
        }
        .details(&store.candidates[i]),
    )
    .into_response()
}

fn person_from_input(body: &Value, n: usize) -> Result<(Person, bool), Response> {
    let s = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let mut missing = Vec::new();
    for k in ["firstName", "lastName", "email"] {
        if s(k).is_none() {
            missing.push(k);
        }
    }
    if !missing.is_empty() {
        let errors: Vec<Value> = missing
            .iter()
            .map(|k| json!({"code": "REQUIRED", "message": format!("{k} is required")}))
            .collect();
        return Err((
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"message": "Invalid candidate", "errors": errors})),
        )
            .into_response());
    }
    let email = s("email").unwrap_or_default();
    if !email.contains('@') {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "INVALID_EMAIL",
            "email is not a valid e-mail address",
        ));
    }
    let mut rng = rand::rng();
    let mut p = seeddata::person(&mut rng, n);
    p.first_name = s("firstName").unwrap_or_default();
    p.last_name = s("lastName").unwrap_or_default();
    p.email = email;
    p.phone = s("phoneNumber").unwrap_or_default();
    if let Some(loc) = body.get("location").filter(|l| l.is_object()) {
        p.custom_location = Some(loc.clone());
    }
    p.tags = body
        .get("tags")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let internal = body
        .get("internal")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok((p, internal))
}

fn create(st: &AppState, body: Value, job: Option<String>) -> Response {
    let now = st.clock.now_ms();
    let mut store = write(&st.sr);
    let job_idx = match &job {
        Some(id) => match store.job(id) {
            Some(j) => Some(j),
            None => return not_found("Job", id),
        },
        None => None,
    };
    let (person, internal) = match person_from_input(&body, store.candidates.len()) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let source = body
        .get("sourceDetails")
        .and_then(|s| s.get("sourceId"))
        .and_then(Value::as_str)
        .and_then(|sid| SOURCES.iter().position(|x| x.2 == sid || x.1 == sid))
        .unwrap_or(SOURCES.len() - 1);
    let assignments = job_idx
        .map(|j| {
            vec![Assignment {
                job: j,
                status: "NEW",
                sub_status: None,
                starts_on: None,
                source,
                rejection: None,
                withdrawal: None,
                history: vec![HistoryEntry {
                    at: now,
                    status: "NEW",
                    sub_status: None,
                }],
            }]
        })
        .unwrap_or_default();
    let c = Candidate {
        id: uuid::Uuid::new_v4().to_string(),
        internal,
        person,
        created: now,
        updated: now,
        rating: 0.0,
        assignments,
        deleted: false,
    };
    let idx = store.candidates.len();
    store.by_id.insert(c.id.clone(), idx);
    store.listable.push(!c.assignments.is_empty());
    store.candidates.push(c);
    let base = st.info.smartrecruiters.base_url.clone();
    let body = Render {
        base: &base,
        store: &store,
    }
    .details(&store.candidates[idx]);
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

async fn create_candidate(State(st): State<AppState>, body: Option<axum::Json<Value>>) -> Response {
    match body {
        Some(axum::Json(b)) => create(&st, b, None),
        None => bad("Request body must be a JSON CandidateInput"),
    }
}

async fn create_candidate_in_job(
    State(st): State<AppState>,
    Path(job): Path<String>,
    body: Option<axum::Json<Value>>,
) -> Response {
    match body {
        Some(axum::Json(b)) => create(&st, b, Some(job)),
        None => bad("Request body must be a JSON CandidateInput"),
    }
}

async fn patch_candidate(
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Option<axum::Json<Value>>,
) -> Response {
    let Some(axum::Json(body)) = body else {
        return bad("Request body must be JSON PersonalDetails");
    };
    let now = st.clock.now_ms();
    let mut store = write(&st.sr);
    let Some(i) = store.candidate(&id) else {
        return not_found("Candidate", &id);
    };
    {
        let c = &mut store.candidates[i];
        let s = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
        if let Some(v) = s("firstName") {
            c.person.first_name = v;
        }
        if let Some(v) = s("lastName") {
            c.person.last_name = v;
        }
        if let Some(v) = s("email") {
            c.person.email = v;
        }
        if let Some(v) = s("phoneNumber") {
            c.person.phone = v;
        }
        c.updated = now;
    }
    let base = st.info.smartrecruiters.base_url.clone();
    axum::Json(
        Render {
            base: &base,
            store: &store,
        }
        .details(&store.candidates[i]),
    )
    .into_response()
}

async fn delete_candidate(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let mut store = write(&st.sr);
    let Some(i) = store.candidate(&id) else {
        return not_found("Candidate", &id);
    };
    store.candidates[i].deleted = true;
    store.listable[i] = false;
    StatusCode::NO_CONTENT.into_response()
}

fn find_assignment(store: &Store, id: &str, job_id: &str) -> Result<(usize, usize), Response> {
    let i = store
        .candidate(id)
        .ok_or_else(|| not_found("Candidate", id))?;
    let j = store.job(job_id).ok_or_else(|| not_found("Job", job_id))?;
    let a = store.candidates[i]
        .assignments
        .iter()
        .position(|a| a.job == j)
        .ok_or_else(|| {
            err(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "Candidate is not assigned to this job",
            )
        })?;
    Ok((i, a))
}

async fn get_application(
    State(st): State<AppState>,
    Path((id, job_id)): Path<(String, String)>,
) -> Response {
    let store = read(&st.sr);
    let (i, a) = match find_assignment(&store, &id, &job_id) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let base = st.info.smartrecruiters.base_url.clone();
    let r = Render {
        base: &base,
        store: &store,
    };
    let c = &store.candidates[i];
    let mut v = r.assignment(c, &c.assignments[a]);
    if let Some(o) = v.as_object_mut() {
        o.remove("job");
    }
    v["url"] = json!(format!(
        "https://www.smartrecruiters.com/app/people/applications/{}",
        c.id
    ));
    axum::Json(v).into_response()
}

async fn put_primary_status(
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Option<axum::Json<Value>>,
) -> Response {
    let job_id = {
        let store = read(&st.sr);
        let Some(i) = store.candidate(&id) else {
            return not_found("Candidate", &id);
        };
        match store.candidates[i].assignments.first() {
            Some(a) => store.jobs[a.job].id.clone(),
            None => {
                return err(
                    StatusCode::NOT_FOUND,
                    "NOT_FOUND",
                    "Candidate has no primary assignment",
                );
            }
        }
    };
    put_status(State(st), Path((id, job_id)), body).await
}

async fn put_status(
    State(st): State<AppState>,
    Path((id, job_id)): Path<(String, String)>,
    body: Option<axum::Json<Value>>,
) -> Response {
    let Some(axum::Json(body)) = body else {
        return bad("Request body must be JSON CandidateStatus");
    };
    let Some(status) = body.get("status").and_then(Value::as_str) else {
        return err(StatusCode::BAD_REQUEST, "REQUIRED", "status is required");
    };
    let Some(status) = STATUSES.iter().copied().find(|s| *s == status) else {
        return err(
            StatusCode::BAD_REQUEST,
            "INVALID_STATUS",
            &format!("Unknown status {status}"),
        );
    };
    let now = st.clock.now_ms();
    let mut store = write(&st.sr);
    let (i, a) = match find_assignment(&store, &id, &job_id) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let sub = body
        .get("subStatus")
        .and_then(Value::as_str)
        .map(str::to_string);
    let reason = body.get("reason").and_then(Value::as_str);
    let c = &mut store.candidates[i];
    let asg = &mut c.assignments[a];
    asg.status = status;
    asg.sub_status = sub.clone();
    asg.rejection = if status == "REJECTED" {
        Some(
            reason
                .and_then(|r| REJECTION_REASONS.iter().position(|x| x.0 == r))
                .unwrap_or(0),
        )
    } else {
        None
    };
    asg.withdrawal = if status == "WITHDRAWN" {
        Some(
            reason
                .and_then(|r| WITHDRAWAL_REASONS.iter().position(|x| x.0 == r))
                .unwrap_or(0),
        )
    } else {
        None
    };
    asg.starts_on = body
        .get("startsOn")
        .and_then(Value::as_str)
        .and_then(util::parse_iso)
        .or(asg.starts_on);
    asg.history.push(HistoryEntry {
        at: now,
        status,
        sub_status: sub,
    });
    c.updated = now;
    // [I] 204 without a body on success.
    StatusCode::NO_CONTENT.into_response()
}

async fn status_history(
    State(st): State<AppState>,
    Path((id, job_id)): Path<(String, String)>,
) -> Response {
    let store = read(&st.sr);
    let (i, a) = match find_assignment(&store, &id, &job_id) {
        Ok(x) => x,
        Err(e) => return e,
    };
    history_body(&st, &store, i, a)
}

async fn primary_status_history(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let store = read(&st.sr);
    let Some(i) = store.candidate(&id) else {
        return not_found("Candidate", &id);
    };
    if store.candidates[i].assignments.is_empty() {
        return axum::Json(json!({"totalFound": 0, "content": []})).into_response();
    }
    history_body(&st, &store, i, 0)
}

fn history_body(st: &AppState, store: &Store, i: usize, a: usize) -> Response {
    let base = &st.info.smartrecruiters.base_url;
    let c = &store.candidates[i];
    let asg = &c.assignments[a];
    let job_id = &store.jobs[asg.job].id;
    let content: Vec<Value> = asg
        .history
        .iter()
        .map(|h| {
            json!({"changedOn": iso_ms(h.at), "status": h.status, "subStatus": h.sub_status,
                   "actions": {"job": action(format!("{base}/jobs/{job_id}"))}})
        })
        .collect();
    axum::Json(json!({"totalFound": content.len(), "content": content})).into_response()
}

async fn list_attachments(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    attachments_body(&st, &id, None)
}

async fn list_job_attachments(
    State(st): State<AppState>,
    Path((id, job_id)): Path<(String, String)>,
) -> Response {
    attachments_body(&st, &id, Some(job_id))
}

fn attachments_body(st: &AppState, id: &str, job_id: Option<String>) -> Response {
    let store = read(&st.sr);
    let Some(i) = store.candidate(id) else {
        return not_found("Candidate", id);
    };
    let job = match &job_id {
        Some(j) => match store.job(j) {
            Some(x) => Some(x),
            None => return not_found("Job", j),
        },
        None => None,
    };
    let base = st.info.smartrecruiters.base_url.clone();
    let r = Render {
        base: &base,
        store: &store,
    };
    let content: Vec<Value> = store
        .attachments_of
        .get(&i)
        .map(|v| v.as_slice())
        .unwrap_or(&[])
        .iter()
        .filter(|&&a| job.is_none() || store.attachments[a].job == job)
        .map(|&a| r.attachment(&store.attachments[a]))
        .collect();
    axum::Json(json!({"totalFound": content.len(), "content": content})).into_response()
}

async fn upload_attachment(
    State(st): State<AppState>,
    Path(id): Path<String>,
    mp: Multipart,
) -> Response {
    upload(&st, id, None, mp).await
}

async fn upload_job_attachment(
    State(st): State<AppState>,
    Path((id, job_id)): Path<(String, String)>,
    mp: Multipart,
) -> Response {
    upload(&st, id, Some(job_id), mp).await
}

async fn upload(st: &AppState, id: String, job_id: Option<String>, mp: Multipart) -> Response {
    let form = match FormData::read(mp).await {
        Ok(f) => f,
        Err(e) => return bad(&format!("Invalid multipart body: {e}")),
    };
    let Some(kind) = form.field("attachmentType") else {
        return err(
            StatusCode::BAD_REQUEST,
            "REQUIRED",
            "attachmentType is required",
        );
    };
    if !ATTACHMENT_TYPES.contains(&kind) {
        return err(
            StatusCode::BAD_REQUEST,
            "INVALID_ATTACHMENT_TYPE",
            "attachmentType must be GENERIC_FILE, RESUME or COVER_LETTER",
        );
    }
    let Some(file) = form.file("file") else {
        return err(StatusCode::BAD_REQUEST, "REQUIRED", "file is required");
    };
    let now = st.clock.now_ms();
    let mut store = write(&st.sr);
    let Some(i) = store.candidate(&id) else {
        return not_found("Candidate", &id);
    };
    let job = match &job_id {
        Some(j) => match store.job(j) {
            Some(x) => Some(x),
            None => return not_found("Job", j),
        },
        None => None,
    };
    let content_type = if file.content_type == "application/octet-stream" {
        util::content_type_for(&file.file_name).to_string()
    } else {
        file.content_type.clone()
    };
    let att = Attachment {
        id: uuid::Uuid::new_v4().to_string(),
        candidate: i,
        job,
        name: file.file_name.clone(),
        kind: kind.to_string(),
        content_type,
        content: Content::Bytes(Arc::new(file.data.to_vec())),
    };
    let idx = store.add_attachment(att);
    store.candidates[i].updated = now;
    let base = st.info.smartrecruiters.base_url.clone();
    let body = Render {
        base: &base,
        store: &store,
    }
    .attachment(&store.attachments[idx]);
    (StatusCode::CREATED, axum::Json(body)).into_response()
}

fn download(store: &Store, idx: usize) -> Response {
    let a = &store.attachments[idx];
    let bytes = store.attachment_bytes(idx);
    let mut resp = Response::new(Body::from(bytes));
    if let Ok(v) = HeaderValue::from_str(&a.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    let ascii: String = a
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

async fn download_attachment(
    State(st): State<AppState>,
    Path((id, att)): Path<(String, String)>,
) -> Response {
    let store = read(&st.sr);
    let Some(i) = store.candidate(&id) else {
        return not_found("Candidate", &id);
    };
    match store.attachments_by_id.get(&att) {
        Some(&a) if store.attachments[a].candidate == i => download(&store, a),
        _ => not_found("Attachment", &att),
    }
}

async fn download_attachment_by_id(
    State(st): State<AppState>,
    Path(att): Path<String>,
) -> Response {
    let store = read(&st.sr);
    match store.attachments_by_id.get(&att) {
        Some(&a) if !store.candidates[store.attachments[a].candidate].deleted => {
            download(&store, a)
        }
        _ => not_found("Attachment", &att),
    }
}

async fn list_jobs(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let pg = match paging(&p, "j", 10) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let after = match parse_updated_after(&p) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let store = read(&st.sr);
    let qt = p.get("q").map(str::to_lowercase);
    let statuses = p.all("status");
    let posting = p.all("postingStatus");
    let cities = p.all("city");
    let depts = p.all("department");
    let page = util::page(store.jobs.len(), pg.start, pg.skip, pg.limit, |i| {
        let j = &store.jobs[i];
        after.is_none_or(|t| j.updated > t)
            && qt
                .as_ref()
                .is_none_or(|q| j.title.to_lowercase().contains(q.as_str()))
            && (statuses.is_empty() || statuses.contains(&j.status))
            && (posting.is_empty() || posting.contains(&j.posting_status))
            && (cities.is_empty() || cities.contains(&j.place.city))
            && (depts.is_empty() || depts.contains(&DEPARTMENTS[j.department].1))
    });
    let base = st.info.smartrecruiters.base_url.clone();
    let r = Render {
        base: &base,
        store: &store,
    };
    let content: Vec<Value> = page
        .items
        .iter()
        .map(|&i| r.job_summary(&store.jobs[i]))
        .collect();
    let body = json!({"limit": pg.limit, "offset": page.before, "totalFound": page.total, "content": content});
    paged_response(
        body,
        page.next.map(|n| encode_page_id("j", n)),
        format!("{base}/jobs"),
        &p,
        pg.limit,
    )
}

async fn get_job(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let store = read(&st.sr);
    let Some(j) = store.job(&id) else {
        return not_found("Job", &id);
    };
    let base = st.info.smartrecruiters.base_url.clone();
    axum::Json(
        Render {
            base: &base,
            store: &store,
        }
        .job_details(&store.jobs[j]),
    )
    .into_response()
}

async fn list_users(State(st): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let p = Params::parse(q.as_deref());
    let pg = match paging(&p, "u", 100) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let after = match parse_updated_after(&p) {
        Ok(x) => x,
        Err(e) => return e,
    };
    let store = read(&st.sr);
    let qt = p.get("q").map(str::to_lowercase);
    let page = util::page(store.users.len(), pg.start, pg.skip, pg.limit, |i| {
        let u = &store.users[i];
        after.is_none_or(|t| u.updated > t)
            && qt.as_ref().is_none_or(|q| {
                u.first_name.to_lowercase().contains(q.as_str())
                    || u.last_name.to_lowercase().contains(q.as_str())
                    || u.email.contains(q.as_str())
            })
    });
    let base = st.info.smartrecruiters.base_url.clone();
    let r = Render {
        base: &base,
        store: &store,
    };
    let content: Vec<Value> = page
        .items
        .iter()
        .map(|&i| r.user(&store.users[i], false))
        .collect();
    let users_base = st
        .info
        .smartrecruiters
        .users_base_url
        .clone()
        .unwrap_or_default();
    paged_response(
        json!({"limit": pg.limit, "content": content}),
        page.next.map(|n| encode_page_id("u", n)),
        format!("{users_base}/users"),
        &p,
        pg.limit,
    )
}

async fn get_user(State(st): State<AppState>, Path(id): Path<String>) -> Response {
    let store = read(&st.sr);
    let idx = if id == "me" {
        Some(0)
    } else {
        store.users.iter().position(|u| u.id == id)
    };
    let Some(i) = idx else {
        return not_found("User", &id);
    };
    let base = st.info.smartrecruiters.base_url.clone();
    axum::Json(
        Render {
            base: &base,
            store: &store,
        }
        .user(&store.users[i], true),
    )
    .into_response()
}

async fn system_roles() -> Response {
    // [I] shape: the small-list envelope with `{id, name}` items.
    let content: Vec<Value> = SYSTEM_ROLES
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    axum::Json(json!({"totalFound": content.len(), "content": content})).into_response()
}

async fn access_groups(State(st): State<AppState>) -> Response {
    let store = read(&st.sr);
    let content: Vec<Value> = store
        .access_groups
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name, "description": format!("{name} access group")}))
        .collect();
    axum::Json(json!({"totalFound": content.len(), "content": content})).into_response()
}

fn id_label_list(items: &[(&str, &str)]) -> Response {
    let content: Vec<Value> = items
        .iter()
        .map(|(id, label)| json!({"id": id, "label": label}))
        .collect();
    axum::Json(json!({"totalFound": content.len(), "content": content})).into_response()
}

async fn rejection_reasons() -> Response {
    id_label_list(REJECTION_REASONS)
}
async fn withdrawal_reasons() -> Response {
    id_label_list(WITHDRAWAL_REASONS)
}
async fn departments() -> Response {
    let content: Vec<Value> =
        DEPARTMENTS.iter().map(|(id, label)| json!({"id": id, "label": label, "description": format!("{label} department")})).collect();
    axum::Json(json!({"totalFound": content.len(), "content": content})).into_response()
}

/// Scope needed for a Bearer token on this route (API keys have all scopes).
pub fn required_scope(method: &Method, route: &str) -> Option<&'static str> {
    if route.starts_with("/user-api/") {
        return Some("users_read");
    }
    if route.starts_with("/configuration/") {
        return Some("configuration_read");
    }
    if route.starts_with("/jobs") && !route.ends_with("/candidates") {
        return Some(if method == Method::GET {
            "jobs_read"
        } else {
            "jobs_manage"
        });
    }
    if method == Method::GET {
        return Some("candidates_read");
    }
    if route.ends_with("/status") || method == Method::PATCH || method == Method::DELETE {
        return Some("candidates_manage");
    }
    Some("candidates_create")
}

pub fn router(state: AppState) -> Router<AppState> {
    let api = Router::new()
        .route("/candidates", get(list_candidates).post(create_candidate))
        .route(
            "/candidates/{id}",
            get(get_candidate)
                .patch(patch_candidate)
                .delete(delete_candidate),
        )
        .route("/candidates/{id}/jobs/{job_id}", get(get_application))
        .route("/candidates/{id}/jobs/{job_id}/status", put(put_status))
        .route(
            "/candidates/{id}/jobs/{job_id}/status/history",
            get(status_history),
        )
        .route("/candidates/{id}/status", put(put_primary_status))
        .route(
            "/candidates/{id}/status/history",
            get(primary_status_history),
        )
        .route(
            "/candidates/{id}/attachments",
            get(list_attachments).post(upload_attachment),
        )
        .route(
            "/candidates/{id}/attachments/{attachment_id}",
            get(download_attachment),
        )
        .route(
            "/candidates/attachments/{attachment_id}",
            get(download_attachment_by_id),
        )
        .route(
            "/candidates/{id}/jobs/{job_id}/attachments",
            get(list_job_attachments).post(upload_job_attachment),
        )
        .route("/jobs", get(list_jobs))
        .route("/jobs/{id}", get(get_job))
        .route("/jobs/{id}/candidates", post(create_candidate_in_job))
        .route("/configuration/rejection-reasons", get(rejection_reasons))
        .route("/configuration/withdrawal-reasons", get(withdrawal_reasons))
        .route("/configuration/departments", get(departments))
        .route("/user-api/v201804/users", get(list_users))
        .route("/user-api/v201804/users/{id}", get(get_user))
        .route("/user-api/v201804/system-roles", get(system_roles))
        .route("/user-api/v201804/access-groups", get(access_groups))
        .route_layer(from_fn_with_state(
            Gate {
                app: state.clone(),
                vendor: V,
            },
            gate,
        ));
    api.merge(crate::oauth::routes(
        V,
        state,
        "/identity/oauth/allow",
        "/identity/oauth/token",
    ))
}
