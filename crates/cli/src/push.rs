//! `hirebridge push`: read the resume, prefill, let flags override, push once.

use std::sync::Arc;

use hirebridge_core::accounts::Account;
use hirebridge_core::cache::SqlitePool;
use hirebridge_core::connectors::Connector;
use hirebridge_core::model::*;
use hirebridge_core::push::{self, PushProgress, PushRequest, PushResponse, PushStep, validate};
use hirebridge_core::{Error, ErrorKind, Result};

use crate::args::PushArgs;

pub async fn push(
    pool: &SqlitePool,
    account: &Account,
    connector: &dyn Connector,
    a: PushArgs,
    answers: Vec<FormAnswer>,
) -> Result<()> {
    let vendor = connector.vendor().display_name();
    let mut input = CreateCandidate::default();
    if let Some(path) = &a.resume {
        let draft = push::read_resume(path).await?;
        eprintln!(
            "Read {} ({}, {}).",
            draft.file_name,
            draft.kind.label(),
            size(draft.size_bytes)
        );
        if let Some(note) = &draft.note {
            eprintln!("note: {note}");
        }
        let p = draft.prefill;
        input.first_name = p.first_name;
        input.last_name = p.last_name;
        input.emails = p.emails;
        input.phones = p.phones;
        input.urls = p.urls;
        // What the resume offered but the vendor does not take is left out, not an error.
        let dropped = validate::retain_supported(&connector.capabilities(), &mut input);
        if !dropped.is_empty() {
            let labels: Vec<&str> = dropped.iter().map(|f| validate::field_label(f)).collect();
            eprintln!(
                "note: {vendor} does not take {}; left out.",
                labels.join(", ")
            );
        }
    }
    apply_flags(&mut input, &a, answers);
    let push_id = a
        .push_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let request = PushRequest {
        push_id: push_id.clone(),
        account_id: connector.account_id().to_owned(),
        candidate: input,
        resume_path: a.resume.as_ref().map(|p| p.to_string_lossy().into_owned()),
        confirm_duplicates: a.yes,
    };
    eprintln!(
        "Pushing {} to {vendor}...",
        display_name(&request.candidate)
    );
    let progress: push::ProgressFn = Arc::new(move |p: PushProgress| {
        if let Some(line) = progress_line(vendor, &p) {
            eprintln!("  {line}");
        }
    });
    let result = push::push(pool, connector, &account.base_url, &request, progress).await;
    match result {
        Ok(PushResponse::Pushed { outcome }) => {
            if let Some(existing) = &outcome.duplicate_of {
                eprintln!(
                    "warning: {vendor} merged this person into an existing candidate ({existing}) with the same email."
                );
            }
            if outcome.recovered {
                eprintln!(
                    "An earlier attempt of this push had already created the candidate; nothing new was made."
                );
            }
            eprintln!(
                "Created {} in {vendor} (candidate {}){}",
                display_name(&request.candidate),
                outcome.candidate.id,
                outcome
                    .web_url
                    .as_deref()
                    .map(|u| format!(": {u}"))
                    .unwrap_or_default()
            );
            crate::run::print_json(&outcome)
        }
        Ok(PushResponse::NeedsConfirmation { duplicates }) => {
            eprintln!("Possible duplicates already in your accounts:");
            for d in &duplicates {
                let on: Vec<String> = d
                    .matched_on
                    .iter()
                    .filter_map(|k| serde_json::to_value(k).ok())
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                eprintln!(
                    "  {} <{}> in {} ({}), same {}",
                    d.candidate.name,
                    d.candidate.email.as_deref().unwrap_or("no email"),
                    d.candidate.vendor.display_name(),
                    d.candidate.remote_id,
                    on.join(", ")
                );
            }
            Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "Nothing was sent: {} possible duplicate(s). Re-run with --yes to push anyway.",
                    duplicates.len()
                ),
            ))
        }
        Err(e) => {
            let retry_safe = !matches!(e.kind, ErrorKind::Validation | ErrorKind::NotFound);
            if retry_safe {
                eprintln!("To retry without risking a second candidate, add --push-id {push_id}");
            }
            Err(e)
        }
    }
}

/// Flags win over what the resume said.
fn apply_flags(input: &mut CreateCandidate, a: &PushArgs, answers: Vec<FormAnswer>) {
    if let Some(f) = &a.first_name {
        input.first_name = f.clone();
    }
    if let Some(l) = &a.last_name {
        input.last_name = l.clone();
    }
    if !a.email.is_empty() {
        input.emails = a
            .email
            .iter()
            .map(|e| Email {
                email: e.clone(),
                kind: None,
            })
            .collect();
    }
    if !a.phone.is_empty() {
        input.phones = a
            .phone
            .iter()
            .map(|number| Phone {
                number: number.clone(),
                kind: None,
                extension: None,
            })
            .collect();
    }
    if !a.link.is_empty() {
        input.urls = a
            .link
            .iter()
            .map(|url| Link {
                url: url.clone(),
                kind: None,
            })
            .collect();
    }
    input.title = a.title.clone().or(input.title.take());
    input.company = a.company.clone().or(input.company.take());
    input.location = a.location.clone().or(input.location.take());
    input.tags.extend(a.tag.iter().cloned());
    input.job_id = a.job.clone();
    if a.lead {
        input.application_source = Some(ApplicationSource::Lead);
    }
    input.perform_as = a.perform_as.clone();
    input.job_form_field_answers = answers;
}

fn display_name(c: &CreateCandidate) -> String {
    let name = format!("{} {}", c.first_name.trim(), c.last_name.trim())
        .trim()
        .to_owned();
    match c.emails.first() {
        Some(e) if name.is_empty() => e.email.clone(),
        Some(e) => format!("{name} <{}>", e.email),
        None if name.is_empty() => "the candidate".to_owned(),
        None => name,
    }
}

fn progress_line(vendor: &str, p: &PushProgress) -> Option<String> {
    Some(match p.step {
        PushStep::Validating => "Checking the form...".to_owned(),
        PushStep::CheckingDuplicates => "Looking for duplicates in the cache...".to_owned(),
        PushStep::Connecting => format!("Connecting to {vendor}..."),
        PushStep::Sending => match (p.bytes_total, p.bytes_sent) {
            (Some(total), Some(sent)) if sent >= total => format!("Sent {}.", size(total)),
            (Some(total), _) => format!("Sending to {vendor} with the resume ({})...", size(total)),
            _ => format!("Sending to {vendor}..."),
        },
        PushStep::Reconciling => {
            format!("Checking {vendor} for what an earlier attempt of this push created...")
        }
        PushStep::Saving => "Saving to the local cache...".to_owned(),
        PushStep::Done => return None,
    })
}

fn size(bytes: f64) -> String {
    if bytes >= 1_000_000.0 {
        format!("{:.1} MB", bytes / 1_000_000.0)
    } else {
        format!("{:.0} KB", (bytes / 1000.0).max(1.0))
    }
}
