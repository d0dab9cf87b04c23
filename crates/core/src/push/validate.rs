//! A push checked against what the vendor takes (its [`Capabilities`]) before anything is sent.

use crate::model::{Capabilities, CreateCandidate, Operation, OperationSupport};
use crate::{Error, Result};

use super::extract;

/// The unified create fields that carry a value in `input`.
pub fn fields_set(input: &CreateCandidate) -> Vec<&'static str> {
    let has = |s: &str| !s.trim().is_empty();
    [
        ("first_name", has(&input.first_name)),
        ("last_name", has(&input.last_name)),
        ("emails", input.emails.iter().any(|e| has(&e.email))),
        ("phones", input.phones.iter().any(|p| has(&p.number))),
        ("urls", input.urls.iter().any(|u| has(&u.url))),
        ("company", input.company.as_deref().is_some_and(has)),
        ("title", input.title.as_deref().is_some_and(has)),
        ("location", input.location.as_deref().is_some_and(has)),
        ("tags", input.tags.iter().any(|t| has(t))),
        ("job_id", input.job_id.as_deref().is_some_and(has)),
        ("application_source", input.application_source.is_some()),
        (
            "job_form_field_answers",
            !input.job_form_field_answers.is_empty(),
        ),
        ("resume_path", input.resume_path.is_some()),
        ("perform_as", input.perform_as.as_deref().is_some_and(has)),
        ("remote_data", input.remote_data.is_some()),
    ]
    .into_iter()
    .filter_map(|(f, set)| set.then_some(f))
    .collect()
}

/// A person's word for a unified field, for messages.
pub fn field_label(field: &str) -> &str {
    match field {
        "first_name" => "first name",
        "last_name" => "last name",
        "emails" => "email",
        "phones" => "phone",
        "urls" => "links",
        "job_id" => "job",
        "application_source" => "applicant or lead",
        "job_form_field_answers" => "application form answers",
        "resume_path" => "resume",
        "perform_as" => "acting user",
        "remote_data" => "raw vendor fields",
        other => other,
    }
}

fn create_support(caps: &Capabilities) -> Result<&OperationSupport> {
    caps.get(Operation::CreateCandidate)
        .filter(|o| o.supported)
        .ok_or_else(|| {
            Error::validation(format!(
                "{} does not let Hirebridge create candidates.",
                caps.vendor.display_name()
            ))
        })
}

/// Clears the fields the vendor does not take; returns their names. For prefilled values a
/// person did not choose (the CLI's resume prefill), not for what they typed.
pub fn retain_supported(caps: &Capabilities, input: &mut CreateCandidate) -> Vec<&'static str> {
    let Ok(support) = create_support(caps) else {
        return Vec::new();
    };
    let dropped: Vec<&'static str> = fields_set(input)
        .into_iter()
        .filter(|f| !support.supported_fields.iter().any(|s| s == f))
        .collect();
    for f in &dropped {
        match *f {
            "phones" => input.phones.clear(),
            "urls" => input.urls.clear(),
            "company" => input.company = None,
            "title" => input.title = None,
            "location" => input.location = None,
            "tags" => input.tags.clear(),
            "application_source" => input.application_source = None,
            "job_form_field_answers" => input.job_form_field_answers.clear(),
            "perform_as" => input.perform_as = None,
            _ => {}
        }
    }
    dropped
}

/// Refuses a push the vendor would refuse or silently lose; returns the resume's size.
pub async fn validate(caps: &Capabilities, input: &CreateCandidate) -> Result<Option<u64>> {
    let vendor = caps.vendor.display_name();
    let support = create_support(caps)?;
    let set = fields_set(input);
    let missing: Vec<&str> = support
        .required_fields
        .iter()
        .filter(|f| !set.contains(&f.as_str()))
        .map(|f| field_label(f))
        .collect();
    if !missing.is_empty() {
        return Err(Error::validation(format!(
            "{vendor} needs {} to create a candidate.",
            missing.join(", ")
        )));
    }
    let unsupported: Vec<&str> = set
        .iter()
        .filter(|f| !support.supported_fields.iter().any(|s| s == *f))
        .map(|f| field_label(f))
        .collect();
    if !unsupported.is_empty() {
        return Err(Error::validation(format!(
            "{vendor} does not take {}; clear it before pushing.",
            unsupported.join(", ")
        )));
    }
    if let Some(bad) = input
        .emails
        .iter()
        .map(|e| e.email.trim())
        .find(|e| !e.is_empty() && !looks_like_email(e))
    {
        return Err(Error::validation(format!("{bad} is not an email address.")));
    }
    let Some(path) = input.resume_path.clone() else {
        return Ok(None);
    };
    let (kind, len) = tokio::task::spawn_blocking(move || extract::inspect(&path))
        .await
        .map_err(|e| Error::internal(format!("Checking the resume stopped: {e}")))??;
    if len as f64 > caps.max_upload_bytes {
        return Err(Error::validation(format!(
            "The resume is {:.1} MB; {vendor} accepts files up to {:.1} MB.",
            len as f64 / 1_000_000.0,
            caps.max_upload_bytes / 1_000_000.0
        )));
    }
    tracing::debug!(kind = kind.label(), len, "resume accepted for upload");
    Ok(Some(len))
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Vendor;
    use crate::model::{Email, Link, OperationSupport};

    fn caps(supported: &[&str], required: &[&str], max: f64) -> Capabilities {
        Capabilities {
            vendor: Vendor::Unberry,
            max_upload_bytes: max,
            operations: vec![OperationSupport {
                operation: Operation::CreateCandidate,
                supported: true,
                supported_fields: supported.iter().map(|s| s.to_string()).collect(),
                required_fields: required.iter().map(|s| s.to_string()).collect(),
                notes: None,
            }],
        }
    }

    fn person() -> CreateCandidate {
        CreateCandidate {
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            emails: vec![Email {
                email: "ada@example.org".into(),
                kind: None,
            }],
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn names_missing_required_and_unsupported_fields() {
        let c = caps(
            &["first_name", "last_name", "emails"],
            &["first_name", "emails"],
            1e6,
        );
        assert_eq!(validate(&c, &person()).await.expect("valid"), None);

        let err = validate(
            &c,
            &CreateCandidate {
                emails: vec![],
                ..person()
            },
        )
        .await
        .expect_err("no email");
        assert_eq!(err.message, "Unberry needs email to create a candidate.");

        let with_link = CreateCandidate {
            urls: vec![Link {
                url: "https://x.dev".into(),
                kind: None,
            }],
            ..person()
        };
        let err = validate(&c, &with_link).await.expect_err("links");
        assert!(
            err.message.contains("does not take links"),
            "{}",
            err.message
        );

        let mut dropped = with_link.clone();
        assert_eq!(retain_supported(&c, &mut dropped), ["urls"]);
        assert!(dropped.urls.is_empty());

        let bad = CreateCandidate {
            emails: vec![Email {
                email: "ada at example".into(),
                kind: None,
            }],
            ..person()
        };
        assert!(
            validate(&c, &bad)
                .await
                .expect_err("bad email")
                .message
                .contains("not an email")
        );
    }

    #[tokio::test]
    async fn the_resume_must_be_a_pdf_or_docx_within_the_vendor_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = caps(
            &["first_name", "last_name", "emails", "resume_path"],
            &[],
            2000.0,
        );
        let pdf = fake_ats::pdf::one_page(&["Ada".into()]);
        let small = dir.path().join("cv.pdf");
        std::fs::write(&small, &pdf).expect("write");
        let ok = CreateCandidate {
            resume_path: Some(small),
            ..person()
        };
        assert_eq!(
            validate(&c, &ok).await.expect("fits"),
            Some(pdf.len() as u64)
        );

        let big = dir.path().join("big.pdf");
        let mut bytes = pdf.clone();
        bytes.resize(5000, b' ');
        std::fs::write(&big, bytes).expect("write");
        let err = validate(
            &c,
            &CreateCandidate {
                resume_path: Some(big),
                ..person()
            },
        )
        .await
        .expect_err("too big");
        assert!(
            err.message.contains("accepts files up to"),
            "{}",
            err.message
        );

        let txt = dir.path().join("cv.txt");
        std::fs::write(&txt, "plain text").expect("write");
        let err = validate(
            &c,
            &CreateCandidate {
                resume_path: Some(txt),
                ..person()
            },
        )
        .await
        .expect_err("not a resume type");
        assert!(err.message.contains("not a PDF or DOCX"), "{}", err.message);
        assert!(
            err.message.starts_with("“cv.txt” is not")
                && !err.message.contains(&*dir.path().to_string_lossy()),
            "the message names the file, not the directory it sits in: {}",
            err.message
        );
    }
}
