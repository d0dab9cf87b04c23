//! Lever people, rebuilt from every cached opportunity of their contact.
//!
//! Lever has no person list: a unified candidate is built from the contact's opportunities
//! (ats-specs §4). A page of an incremental sync carries only the opportunities that changed, so
//! the person built from that page alone would lose the others' emails, links and tags. After
//! each page, the people it touched are rebuilt here from all their cached opportunities (the
//! raw Lever objects kept in `cached_applications.remote_data`), with the same rules as the
//! connector's mapping: fields from the most recently updated opportunity, lists merged.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use sqlx::SqliteConnection;

use super::records::candidate_row;
use crate::cache::rows::CandidateRow;
use crate::model::{Candidate, Email, Link, Phone, Tag};
use crate::{Result, Vendor};

fn time(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    v.get(key)
        .and_then(Value::as_f64)
        .and_then(|ms| Utc.timestamp_millis_opt(ms as i64).single())
}

fn strings<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    v.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The same rule as the Lever connector's mapping.
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

/// One person from their raw opportunities; `None` when they have none left.
pub fn person(account_id: &str, contact: &str, mut opportunities: Vec<Value>) -> Option<Candidate> {
    let updated = |o: &Value| o.get("updatedAt").and_then(Value::as_f64).unwrap_or(0.0);
    opportunities.sort_by(|a, b| updated(b).total_cmp(&updated(a)));
    let latest = opportunities.first()?;
    let name = text(latest, "name");
    let (first_name, last_name) = crate::connectors::common::split_name(name.as_deref());
    let mut emails: Vec<Email> = Vec::new();
    let mut phones: Vec<Phone> = Vec::new();
    let mut urls: Vec<Link> = Vec::new();
    let mut tags: Vec<Tag> = Vec::new();
    for o in &opportunities {
        for e in strings(o, "emails") {
            if !emails.iter().any(|x| x.email.eq_ignore_ascii_case(e)) {
                emails.push(Email {
                    email: e.to_owned(),
                    kind: None,
                });
            }
        }
        for p in o
            .get("phones")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(number) = text(p, "value")
                && !phones.iter().any(|x| x.number == number)
            {
                phones.push(Phone {
                    number,
                    kind: text(p, "type"),
                    extension: None,
                });
            }
        }
        for l in strings(o, "links") {
            if !urls.iter().any(|x| x.url == l) {
                urls.push(Link {
                    url: l.to_owned(),
                    kind: Some(link_kind(l).to_owned()),
                });
            }
        }
        for t in strings(o, "tags") {
            if !tags.iter().any(|x| x.name == t) {
                tags.push(Tag {
                    id: None,
                    name: t.to_owned(),
                });
            }
        }
    }
    Some(Candidate {
        id: contact.to_owned(),
        account_id: account_id.to_owned(),
        vendor: Vendor::Lever,
        first_name,
        last_name,
        name,
        company: None,
        title: text(latest, "headline"),
        location: text(latest, "location"),
        emails,
        phones,
        urls,
        tags,
        source: opportunities
            .iter()
            .rev()
            .find_map(|o| strings(o, "sources").next().map(str::to_owned)),
        applications: Vec::new(),
        attachments: Vec::new(),
        created_at: opportunities
            .iter()
            .filter_map(|o| time(o, "createdAt"))
            .min(),
        updated_at: opportunities
            .iter()
            .filter_map(|o| time(o, "updatedAt"))
            .max(),
        // The raw opportunities stay on the applications.
        remote_data: None,
    })
}

/// The people of `contacts` rebuilt from the cache, and the contacts left without any
/// opportunity (to delete). `fresh` holds raw opportunities (by id) the caller has in memory,
/// as just written: those are used instead of parsing the cached copy again.
pub async fn rebuild(
    conn: &mut SqliteConnection,
    account_id: &str,
    contacts: &[String],
    mut fresh: HashMap<String, Value>,
) -> Result<(Vec<CandidateRow>, Vec<String>)> {
    let mut by_contact: HashMap<String, Vec<Value>> = HashMap::new();
    for chunk in contacts.chunks(200) {
        let sql = format!(
            "SELECT remote_id, candidate_remote_id, remote_data FROM cached_applications \
             WHERE account_id = ? AND candidate_remote_id IN ({})",
            vec!["?"; chunk.len()].join(",")
        );
        let mut q = sqlx::query_as::<_, (String, String, Option<String>)>(&sql).bind(account_id);
        for c in chunk {
            q = q.bind(c);
        }
        for (id, contact, raw) in q.fetch_all(&mut *conn).await? {
            let raw = match fresh.remove(&id) {
                Some(v) => v,
                None => raw
                    .as_deref()
                    .and_then(|r| serde_json::from_str(r).ok())
                    .unwrap_or(Value::Null),
            };
            by_contact.entry(contact).or_default().push(raw);
        }
    }
    let mut rows = Vec::new();
    let mut gone = Vec::new();
    for contact in contacts {
        match by_contact
            .remove(contact)
            .and_then(|opps| person(account_id, contact, opps))
        {
            Some(p) => rows.push(candidate_row(p, false)),
            None => gone.push(contact.clone()),
        }
    }
    Ok((rows, gone))
}
