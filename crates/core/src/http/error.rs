//! Failures of a vendor call, and how they become the one [`crate::Error`] shape.

use crate::{Error, ErrorKind, Vendor};

/// What went wrong talking to a vendor.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The vendor answered with an error status.
    #[error("{vendor} answered {status}: {message}")]
    Status {
        vendor: Vendor,
        status: u16,
        vendor_code: Option<String>,
        message: String,
    },
    /// No usable answer: connection refused or reset, DNS, timeout, truncated body.
    #[error("Could not reach {vendor}: {detail}")]
    Network { vendor: Vendor, detail: String },
    /// The answer was larger than we accept.
    #[error("{vendor} sent a response larger than {limit} bytes; it was not read.")]
    BodyTooLarge { vendor: Vendor, limit: u64 },
    /// The answer could not be decoded as the JSON we expect.
    #[error("{vendor} sent a response Hirebridge cannot read: {detail}")]
    Decode { vendor: Vendor, detail: String },
    /// A URL that is not on the account's host (a vendor link or a proxy path).
    #[error("Refused to call {url}: it is not on this account's host.")]
    OffHost { url: String },
    /// A file to upload was refused before anything was sent.
    #[error("{0}")]
    Upload(String),
    /// A local input problem (bad path, bad query).
    #[error("{0}")]
    Invalid(String),
    /// The credential provider failed (keychain, refresh refused...): passed through as is.
    #[error("{0}")]
    Credential(Error),
    /// Writing a download to disk failed.
    #[error("Could not write {path}: {detail}")]
    Io { path: String, detail: String },
}

impl HttpError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            HttpError::Status { status, .. } => kind_for_status(*status),
            HttpError::Network { .. } => ErrorKind::Network,
            HttpError::BodyTooLarge { .. } | HttpError::Decode { .. } => ErrorKind::Vendor,
            HttpError::OffHost { .. } | HttpError::Upload(_) | HttpError::Invalid(_) => {
                ErrorKind::Validation
            }
            HttpError::Credential(e) => e.kind,
            HttpError::Io { .. } => ErrorKind::Io,
        }
    }
}

/// The unified kind of an HTTP error status.
pub fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        401 => ErrorKind::Auth,
        403 => ErrorKind::Forbidden,
        404 | 410 => ErrorKind::NotFound,
        400 | 413 | 415 | 422 => ErrorKind::Validation,
        409 => ErrorKind::Conflict,
        429 => ErrorKind::RateLimited,
        _ => ErrorKind::Vendor,
    }
}

impl From<HttpError> for Error {
    fn from(err: HttpError) -> Self {
        let kind = err.kind();
        match err {
            HttpError::Credential(e) => e,
            HttpError::Status {
                vendor,
                status,
                vendor_code,
                message,
            } => {
                let mut e = Error::new(kind, human_status_message(vendor, status, &message))
                    .with_status(status);
                e.vendor_code = vendor_code;
                e
            }
            other => Error::new(kind, other.to_string()),
        }
    }
}

fn human_status_message(vendor: Vendor, status: u16, vendor_message: &str) -> String {
    let what = match kind_for_status(status) {
        ErrorKind::Auth => {
            format!("{vendor} refused the account's credential; re-link the account")
        }
        ErrorKind::Forbidden => format!("{vendor} says this account is not allowed to do that"),
        ErrorKind::NotFound => format!("{vendor} could not find it"),
        ErrorKind::Validation => format!("{vendor} refused the request as invalid"),
        ErrorKind::Conflict => format!("{vendor} refused the change as a conflict"),
        ErrorKind::RateLimited => {
            format!("{vendor} is still rate limiting this account after several retries")
        }
        _ => format!("{vendor} failed (HTTP {status})"),
    };
    let detail = vendor_message.trim();
    if detail.is_empty() {
        format!("{what}.")
    } else {
        format!("{what}: {detail}")
    }
}

/// The vendor's own code and message from an error body, whatever its envelope:
/// SR `{"message","errors":[{"code","message"}]}`, SR apply `{"id","code","message"}`,
/// Lever `{"code","message"}`, Unberry `{"error":{"code","message"}}` ([I] provisional).
pub fn parse_vendor_error(body: &[u8]) -> (Option<String>, String) {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        let text = String::from_utf8_lossy(body);
        return (None, truncate(text.trim(), 300));
    };
    let obj = json.get("error").filter(|e| e.is_object()).unwrap_or(&json);
    let first = obj
        .get("errors")
        .and_then(|e| e.as_array())
        .and_then(|a| a.first());
    let code = obj
        .get("code")
        .or_else(|| first.and_then(|f| f.get("code")))
        .and_then(value_as_string);
    let mut message = obj
        .get("message")
        .and_then(|m| m.as_str())
        .map(str::to_owned)
        .or_else(|| {
            json.get("error")
                .and_then(|e| e.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_default();
    if let Some(detail) = first
        .and_then(|f| f.get("message"))
        .and_then(|m| m.as_str())
        && detail != message
    {
        message = if message.is_empty() {
            detail.to_owned()
        } else {
            format!("{message} ({detail})")
        };
    }
    (code, truncate(&message, 500))
}

fn value_as_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max_chars).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_every_status_to_its_kind() {
        for (status, kind) in [
            (400, ErrorKind::Validation),
            (401, ErrorKind::Auth),
            (403, ErrorKind::Forbidden),
            (404, ErrorKind::NotFound),
            (409, ErrorKind::Conflict),
            (422, ErrorKind::Validation),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Vendor),
            (503, ErrorKind::Vendor),
        ] {
            assert_eq!(kind_for_status(status), kind, "{status}");
        }
    }

    #[test]
    fn reads_each_vendor_error_envelope() {
        let sr = br#"{"message":"Candidate not found","errors":[{"code":"NOT_FOUND","message":"Candidate with id x not found"}]}"#;
        assert_eq!(
            parse_vendor_error(sr),
            (
                Some("NOT_FOUND".into()),
                "Candidate not found (Candidate with id x not found)".into()
            )
        );
        let lever = br#"{"code":"ResourceNotFound","message":"stages a80b was not found"}"#;
        assert_eq!(
            parse_vendor_error(lever),
            (
                Some("ResourceNotFound".into()),
                "stages a80b was not found".into()
            )
        );
        let unberry = br#"{"error":{"code":"not_found","message":"No such candidate"}}"#;
        assert_eq!(
            parse_vendor_error(unberry),
            (Some("not_found".into()), "No such candidate".into())
        );
        assert_eq!(
            parse_vendor_error(b"Bad Gateway"),
            (None, "Bad Gateway".into())
        );
    }

    #[test]
    fn status_errors_become_ui_errors_with_code_and_status() {
        let e: Error = HttpError::Status {
            vendor: Vendor::Lever,
            status: 409,
            vendor_code: Some("Conflict".into()),
            message: "already archived".into(),
        }
        .into();
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert_eq!(e.status, Some(409));
        assert_eq!(e.vendor_code.as_deref(), Some("Conflict"));
        assert!(e.message.contains("already archived"), "{}", e.message);
    }
}
