//! The one error shape that leaves the core: across IPC to the UI, and to the CLI.
//!
//! Modules keep their own typed `thiserror` enums and convert into [`Error`] at their edge, so
//! no caller ever matches on a message string: it matches on [`ErrorKind`].

use serde::{Deserialize, Serialize};

/// What went wrong, in terms a caller can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The vendor refused the credential (401). Re-link or fix the key.
    Auth,
    /// The credential is valid but lacks the right (403).
    Forbidden,
    NotFound,
    /// The request was refused as invalid (400/422), or local input failed validation.
    Validation,
    /// The write conflicts with existing data (409), e.g. a duplicate.
    Conflict,
    /// Still rate limited after every retry.
    RateLimited,
    /// The vendor failed (5xx) or answered something we cannot read.
    Vendor,
    /// No connection, reset, timeout.
    Network,
    /// The account's refresh token was revoked or expired: the user must link it again.
    NeedsRelink,
    /// The OS keychain is unavailable or refused the operation.
    Keychain,
    /// The local SQLite cache failed.
    Storage,
    /// A local file could not be read or written.
    Io,
    /// The OAuth flow failed: wrong state, access denied, timeout, reused code...
    #[serde(rename = "oauth")]
    OAuth,
    /// The action was cancelled by the user or superseded.
    Cancelled,
    /// The app is offline and the action needs the vendor.
    Offline,
    /// A bug: something that should not happen.
    Internal,
}

/// A failure with a kind, a message a recruiter can read as is, and the vendor's own details.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize, specta::Type)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// HTTP status from the vendor, when there was one.
    pub status: Option<u16>,
    /// The vendor's own error code (`ResourceNotFound`, `INVALID_INPUT`...), when it sent one.
    pub vendor_code: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            status: None,
            vendor_code: None,
        }
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub fn with_vendor_code(mut self, code: impl Into<String>) -> Self {
        self.vendor_code = Some(code.into());
        self
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => Error::not_found("The record is not in the local cache."),
            // The two storage failures a user can fix: say how (found by the chaos matrix).
            sqlx::Error::Database(db) if sqlite_code(db.code().as_deref()) == Some(SQLITE_FULL) => {
                Error::new(
                    ErrorKind::Storage,
                    "The disk holding the local cache is full. Free some disk space, then try again.",
                )
            }
            sqlx::Error::Database(db)
                if matches!(
                    sqlite_code(db.code().as_deref()),
                    Some(SQLITE_BUSY | SQLITE_LOCKED)
                ) =>
            {
                Error::new(
                    ErrorKind::Storage,
                    "The local cache is locked by another program (another Hirebridge, or a database tool). Close it, then try again.",
                )
            }
            other => Error::new(ErrorKind::Storage, format!("Local cache error: {other}")),
        }
    }
}

const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_FULL: i32 = 13;

/// The primary result code of an SQLite error code (extended codes keep it in the low byte).
fn sqlite_code(code: Option<&str>) -> Option<i32> {
    code?.parse::<i32>().ok().map(|c| c & 0xff)
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        Error::new(
            ErrorKind::Storage,
            format!("Could not upgrade the local cache: {err}"),
        )
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_with_snake_case_kind_for_the_ui() {
        let err = Error::new(ErrorKind::RateLimited, "Slow down").with_status(429);
        let json = serde_json::to_value(&err).expect("serializes");
        assert_eq!(json["kind"], "rate_limited");
        assert_eq!(json["message"], "Slow down");
        assert_eq!(json["status"], 429);
        assert!(json["vendor_code"].is_null());
    }

    #[test]
    fn oauth_kind_has_a_readable_name() {
        let json = serde_json::to_value(ErrorKind::OAuth).expect("serializes");
        assert_eq!(json, "oauth");
    }
}
