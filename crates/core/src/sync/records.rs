//! Unified records → the cache's rows.

use serde_json::Value;

use crate::cache::rows::{ApplicationRow, AttachmentRow, CandidateRow, JobRow, SimpleRow};
use crate::model::{Application, Attachment, Candidate, Job, StageCategory, User};

fn ms(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_millis())
}

/// The record JSON without `remote_data` (stored in its own column) and without the fields
/// the cache keeps in their own tables.
fn record_without(mut value: Value, fields: &[&str]) -> (String, Option<String>) {
    let remote = value
        .as_object_mut()
        .and_then(|o| {
            for f in fields {
                o.remove(*f);
            }
            o.remove("remote_data")
        })
        .filter(|r| !r.is_null())
        .map(|r| r.to_string());
    (value.to_string(), remote)
}

pub fn stage_category_str(c: StageCategory) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "other".into())
}

/// A candidate's row; its applications and attachments go to their own tables.
/// `complete` says whether this is the vendor's full object (a detail call) or a list item.
pub fn candidate_row(c: &Candidate, complete: bool) -> CandidateRow {
    let (record, remote_data) = record_without(
        serde_json::to_value(c).unwrap_or(Value::Null),
        &["applications", "attachments"],
    );
    let (first, last) = match (&c.first_name, &c.last_name, &c.name) {
        (None, None, Some(full)) => {
            let (f, l) = crate::connectors::common::split_name(Some(full));
            (f.unwrap_or_default(), l.unwrap_or_default())
        }
        (f, l, _) => (f.clone().unwrap_or_default(), l.clone().unwrap_or_default()),
    };
    CandidateRow {
        remote_id: c.id.clone(),
        first_name: first,
        last_name: last,
        emails: c.emails.iter().map(|e| e.email.clone()).collect(),
        phones: c.phones.iter().map(|p| p.number.clone()).collect(),
        company: c.company.clone(),
        title: c.title.clone(),
        tags: c.tags.iter().map(|t| t.name.clone()).collect(),
        urls: c.urls.iter().map(|u| u.url.clone()).collect(),
        resume_text: None,
        created_at: ms(c.created_at),
        updated_at: ms(c.updated_at),
        complete,
        record,
        remote_data,
    }
}

pub fn application_row(a: &Application) -> ApplicationRow {
    let (record, remote_data) = record_without(serde_json::to_value(a).unwrap_or(Value::Null), &[]);
    ApplicationRow {
        remote_id: a.id.clone(),
        candidate_remote_id: Some(a.candidate_id.clone()),
        job_remote_id: a.job.as_ref().map(|j| j.id.clone()),
        stage_id: a.current_stage.as_ref().map(|s| s.id.clone()),
        stage_name: a
            .current_stage
            .as_ref()
            .map(|s| s.name.clone().unwrap_or_else(|| s.id.clone())),
        stage_category: Some(stage_category_str(a.status)),
        applied_at: ms(a.applied_at),
        rejected_at: ms(a.rejected_at),
        created_at: ms(a.created_at),
        updated_at: ms(a.updated_at),
        record,
        remote_data,
    }
}

pub fn job_row(j: &Job) -> JobRow {
    let (record, remote_data) = record_without(serde_json::to_value(j).unwrap_or(Value::Null), &[]);
    JobRow {
        remote_id: j.id.clone(),
        name: j.name.clone(),
        status: serde_json::to_value(j.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned)),
        created_at: ms(j.created_at),
        updated_at: ms(j.updated_at),
        record,
        remote_data,
    }
}

pub fn attachment_row(a: &Attachment) -> AttachmentRow {
    let (record, remote_data) = record_without(serde_json::to_value(a).unwrap_or(Value::Null), &[]);
    AttachmentRow {
        remote_id: a.id.clone(),
        candidate_remote_id: a.candidate_id.clone(),
        application_remote_id: a.application_id.clone(),
        file_name: a.file_name.clone(),
        file_url: a.file_url.clone(),
        attachment_type: serde_json::to_value(a.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned)),
        created_at: ms(a.created_at),
        record,
        remote_data,
    }
}

pub fn user_row(u: &User) -> SimpleRow {
    let (record, remote_data) = record_without(serde_json::to_value(u).unwrap_or(Value::Null), &[]);
    let name = u.name.clone().unwrap_or_else(|| {
        crate::connectors::common::join_name(
            u.first_name.as_deref().unwrap_or_default(),
            u.last_name.as_deref().unwrap_or_default(),
        )
    });
    SimpleRow {
        remote_id: u.id.clone(),
        name,
        parent_remote_id: None,
        updated_at: ms(u.updated_at),
        record,
        remote_data,
    }
}
