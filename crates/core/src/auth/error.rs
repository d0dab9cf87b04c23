//! Why an OAuth flow or a token refresh failed, each case worded for a recruiter.

use std::time::Duration;

use crate::auth::callback::CallbackError;
use crate::{Error, ErrorKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OAuthError {
    #[error(
        "The sign-in response did not come from the sign-in Hirebridge started (its state did not \
         match). Nothing was linked; start linking again."
    )]
    WrongState,
    #[error("The sign-in response was not usable: {0} Start linking again.")]
    BadCallback(#[from] CallbackError),
    #[error("{vendor} refused access{}. Nothing was linked.", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    AccessDenied {
        vendor: String,
        description: Option<String>,
    },
    #[error("{vendor} reported an error during sign-in ({error}{}). Start linking again.", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    AuthorizationError {
        vendor: String,
        error: String,
        description: Option<String>,
    },
    #[error(
        "{vendor} refused the sign-in code: it was already used, has expired, or does not belong \
         to this sign-in. Start linking again."
    )]
    InvalidGrant { vendor: String },
    #[error("{vendor}'s sign-in server refused the request ({error}{}). Check the OAuth settings for this account.", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    TokenEndpoint {
        vendor: String,
        error: String,
        description: Option<String>,
    },
    #[error("{vendor}'s sign-in server sent a response Hirebridge cannot read ({0}).", .detail)]
    UnreadableResponse { vendor: String, detail: String },
    #[error("Could not reach {vendor}'s sign-in server: {detail}")]
    Network { vendor: String, detail: String },
    #[error(
        "{vendor}'s sign-in server is busy or failing (HTTP {status}). Nothing was lost: try again in a few minutes."
    )]
    Unavailable {
        vendor: String,
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error(
        "No sign-in response arrived within {} seconds. Start linking again and finish in the browser.",
        .0.as_secs()
    )]
    Timeout(Duration),
    #[error("This sign-in is already finished; start linking again.")]
    AlreadyCompleted,
    #[error("This sign-in completes through the hirebridge:// link, not the local listener.")]
    NotLoopback,
    #[error("Could not listen for the sign-in response on 127.0.0.1: {0}")]
    Listener(String),
    #[error("The OAuth settings are invalid: {0}")]
    Config(String),
}

impl From<OAuthError> for Error {
    fn from(err: OAuthError) -> Self {
        let kind = match &err {
            OAuthError::Network { .. } => ErrorKind::Network,
            OAuthError::Unavailable { status: 429, .. } => ErrorKind::RateLimited,
            OAuthError::Unavailable { .. } => ErrorKind::Vendor,
            OAuthError::Config(_) => ErrorKind::Validation,
            _ => ErrorKind::OAuth,
        };
        let code = match &err {
            OAuthError::AccessDenied { .. } => Some("access_denied".to_owned()),
            OAuthError::InvalidGrant { .. } => Some("invalid_grant".to_owned()),
            OAuthError::AuthorizationError { error, .. }
            | OAuthError::TokenEndpoint { error, .. } => Some(error.clone()),
            _ => None,
        };
        let status = match &err {
            OAuthError::Unavailable { status, .. } => Some(*status),
            _ => None,
        };
        let mut out = Error::new(kind, err.to_string());
        if let Some(status) = status {
            out = out.with_status(status);
        }
        match code {
            Some(code) => out.with_vendor_code(code),
            None => out,
        }
    }
}
