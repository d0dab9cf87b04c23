//! Unified records → the cache's rows.

use serde_json::Value;

use crate::cache::rows::{ApplicationRow, AttachmentRow, CandidateRow, JobRow, SimpleRow};
use crate::model::{
    Application, Assessment, Attachment, Candidate, Group, Interview, Job, Role, StageCategory,
    User,
};

fn ms(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_millis())
}

/// The record as JSON (its `remote_data` already taken out), and `remote_data` as JSON.
/// Serializes the typed record directly: no `serde_json::Value` tree is built for it.
fn record_json<T: serde::Serialize>(record: &T, remote: Option<Value>) -> (String, Option<String>) {
    let (json, remote) = record_json_keeping(record, remote.as_ref());
    (json, remote)
}

fn record_json_keeping<T: serde::Serialize>(
    record: &T,
    remote: Option<&Value>,
) -> (String, Option<String>) {
    let json = serde_json::to_string(record).unwrap_or_else(|_| "null".into());
    (json, remote.filter(|r| !r.is_null()).map(Value::to_string))
}

pub fn stage_category_str(c: StageCategory) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "other".into())
}

/// A candidate's row; its applications and attachments go to their own tables (take them out
/// first: the record keeps whatever is left in them).
/// `complete` says whether this is the vendor's full object (a detail call) or a list item.
pub fn candidate_row(mut c: Candidate, complete: bool) -> CandidateRow {
    let remote = c.remote_data.take();
    c.applications = Vec::new();
    c.attachments = Vec::new();
    let (record, remote_data) = record_json(&c, remote);
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

pub fn application_row(a: Application) -> ApplicationRow {
    application_row_keeping_raw(a).0
}

/// The row, and the vendor's raw object given back (Lever people are rebuilt from it).
pub fn application_row_keeping_raw(mut a: Application) -> (ApplicationRow, Option<Value>) {
    let remote = a.remote_data.take();
    let (record, remote_data) = record_json_keeping(&a, remote.as_ref());
    (application_row_from(&a, record, remote_data), remote)
}

fn application_row_from(
    a: &Application,
    record: String,
    remote_data: Option<String>,
) -> ApplicationRow {
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

pub fn job_row(mut j: Job) -> JobRow {
    let remote = j.remote_data.take();
    let (record, remote_data) = record_json(&j, remote);
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

pub fn attachment_row(mut a: Attachment) -> AttachmentRow {
    let remote = a.remote_data.take();
    let (record, remote_data) = record_json(&a, remote);
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

pub fn user_row(mut u: User) -> SimpleRow {
    let remote = u.remote_data.take();
    let (record, remote_data) = record_json(&u, remote);
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
        candidate_remote_id: None,
        updated_at: ms(u.updated_at),
        record,
        remote_data,
    }
}

pub fn role_row(mut r: Role) -> SimpleRow {
    let remote = r.remote_data.take();
    let (record, remote_data) = record_json(&r, remote);
    SimpleRow {
        remote_id: r.id,
        name: r.name,
        parent_remote_id: None,
        candidate_remote_id: None,
        updated_at: None,
        record,
        remote_data,
    }
}

/// A group; its members stay in the record (`member_ids`).
pub fn group_row(mut g: Group) -> SimpleRow {
    let remote = g.remote_data.take();
    let (record, remote_data) = record_json(&g, remote);
    SimpleRow {
        remote_id: g.id,
        name: g.name,
        parent_remote_id: None,
        candidate_remote_id: None,
        updated_at: None,
        record,
        remote_data,
    }
}

/// An assessment (Unberry): scores live in the record.
pub fn assessment_row(mut a: Assessment) -> SimpleRow {
    let remote = a.remote_data.take();
    let (record, remote_data) = record_json(&a, remote);
    SimpleRow {
        remote_id: a.id,
        name: a.name.unwrap_or_default(),
        parent_remote_id: a.application_id,
        candidate_remote_id: Some(a.candidate_id),
        updated_at: ms(a.updated_at.or(a.completed_at).or(a.invited_at)),
        record,
        remote_data,
    }
}

pub fn interview_row(mut i: Interview) -> SimpleRow {
    let remote = i.remote_data.take();
    let (record, remote_data) = record_json(&i, remote);
    SimpleRow {
        remote_id: i.id,
        name: i.title.unwrap_or_default(),
        parent_remote_id: i.application_id,
        candidate_remote_id: Some(i.candidate_id),
        updated_at: ms(i.updated_at.or(i.start_at)),
        record,
        remote_data,
    }
}
