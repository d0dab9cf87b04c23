//! `hirebridge://` deep links parsed into a typed, validated action.
//!
//! Any web page can fire these links at the app, so parsing is strict and an action never does
//! anything by itself: [`DeepLinkAction::Link`] only opens the linking step prefilled, for the user
//! to confirm, and [`DeepLinkAction::OAuthCallback`] only completes a flow the user started (its
//! `state` must match, see `auth::PendingFlow::complete_from_url`).

use serde::{Deserialize, Serialize};
use url::Url;

use crate::auth::callback::{CallbackError, CallbackParams, UnknownParams};
use crate::{Error, Vendor};

pub const SCHEME: &str = "hirebridge";
/// Longest deep link accepted, in bytes.
pub const MAX_URL_LEN: usize = 2048;
/// Longest account label accepted in a link, in characters.
pub const MAX_LABEL_CHARS: usize = 100;

/// What a deep link asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeepLinkAction {
    /// `hirebridge://link/<vendor>[?label=...]`: open the linking step, prefilled.
    Link(LinkPrefill),
    /// `hirebridge://oauth/callback?code=..&state=..` (or `error=..`): an OAuth redirect for a
    /// vendor that registered the custom-scheme redirect URI. Holds secrets: never send to the UI.
    OAuthCallback(CallbackParams),
}

/// What the linking step is prefilled with. Safe to send to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct LinkPrefill {
    pub vendor: Vendor,
    pub label: Option<String>,
}

/// Why a deep link was refused. Each message says what was wrong, for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeepLinkError {
    #[error("The link is longer than {MAX_URL_LEN} characters.")]
    TooLong,
    #[error("The link is not a valid address.")]
    Malformed,
    #[error("Only hirebridge:// links are accepted.")]
    WrongScheme,
    #[error("Unknown Hirebridge link \"{0}\".")]
    UnknownAction(String),
    #[error("The link names no ATS: expected hirebridge://link/<smartrecruiters|lever|unberry>.")]
    MissingVendor,
    #[error("The link names an unknown ATS: expected smartrecruiters, lever or unberry.")]
    UnknownVendor,
    #[error("The link carries an unexpected parameter \"{0}\".")]
    UnknownParam(String),
    #[error("The link repeats the parameter \"{0}\".")]
    DuplicateParam(String),
    #[error(
        "The label in the link is empty, longer than {MAX_LABEL_CHARS} characters, or has control characters."
    )]
    BadLabel,
    #[error("The sign-in link is invalid: {0}")]
    Callback(#[from] CallbackError),
}

impl From<DeepLinkError> for Error {
    fn from(err: DeepLinkError) -> Self {
        Error::validation(format!("Link refused. {err}"))
    }
}

impl TryFrom<&str> for DeepLinkAction {
    type Error = Error;

    fn try_from(raw: &str) -> Result<Self, Error> {
        if raw.len() > MAX_URL_LEN {
            return Err(DeepLinkError::TooLong.into());
        }
        let url = Url::parse(raw).map_err(|_| DeepLinkError::Malformed)?;
        DeepLinkAction::try_from(&url)
    }
}

impl TryFrom<&Url> for DeepLinkAction {
    type Error = Error;

    fn try_from(url: &Url) -> Result<Self, Error> {
        parse(url).map_err(Error::from)
    }
}

fn parse(url: &Url) -> Result<DeepLinkAction, DeepLinkError> {
    if url.as_str().len() > MAX_URL_LEN {
        return Err(DeepLinkError::TooLong);
    }
    if url.scheme() != SCHEME {
        return Err(DeepLinkError::WrongScheme);
    }
    if !url.username().is_empty()
        || url.password().is_some()
        || url.port().is_some()
        || url.fragment().is_some()
    {
        return Err(DeepLinkError::Malformed);
    }
    let host = url.host_str().unwrap_or_default();
    // Actions are plain words; anything else (`%%`, dots, IP literals) is not one of our links.
    if !host.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(DeepLinkError::Malformed);
    }
    match (host, url.path()) {
        ("link", path) => parse_link(path, url),
        ("oauth", "/callback") => {
            let params = CallbackParams::from_pairs(url.query_pairs(), UnknownParams::Refuse)?;
            Ok(DeepLinkAction::OAuthCallback(params))
        }
        (host, path) => Err(DeepLinkError::UnknownAction(shown(&format!(
            "{host}{path}"
        )))),
    }
}

fn parse_link(path: &str, url: &Url) -> Result<DeepLinkAction, DeepLinkError> {
    let vendor_id = path.strip_prefix('/').unwrap_or(path);
    if vendor_id.is_empty() {
        return Err(DeepLinkError::MissingVendor);
    }
    let vendor: Vendor = vendor_id
        .parse()
        .map_err(|_| DeepLinkError::UnknownVendor)?;
    let mut label = None;
    for (name, value) in url.query_pairs() {
        if name != "label" {
            return Err(DeepLinkError::UnknownParam(shown(&name)));
        }
        if label.is_some() {
            return Err(DeepLinkError::DuplicateParam("label".into()));
        }
        label = Some(valid_label(&value)?);
    }
    Ok(DeepLinkAction::Link(LinkPrefill { vendor, label }))
}

fn valid_label(raw: &str) -> Result<String, DeepLinkError> {
    let label = raw.trim();
    if label.is_empty()
        || label.chars().count() > MAX_LABEL_CHARS
        || label.chars().any(char::is_control)
    {
        return Err(DeepLinkError::BadLabel);
    }
    Ok(label.to_owned())
}

/// Part of a hostile URL echoed in a message: bounded and free of control characters.
fn shown(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(60).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::secrets::Secret;

    fn ok(raw: &str) -> DeepLinkAction {
        DeepLinkAction::try_from(raw).unwrap_or_else(|e| panic!("{raw} refused: {e}"))
    }

    fn refused(raw: &str) -> String {
        let err = DeepLinkAction::try_from(raw).expect_err(raw);
        assert_eq!(err.kind, ErrorKind::Validation, "{raw}");
        err.message
    }

    fn link(vendor: Vendor, label: Option<&str>) -> DeepLinkAction {
        DeepLinkAction::Link(LinkPrefill {
            vendor,
            label: label.map(str::to_owned),
        })
    }

    #[test]
    fn accepts_link_for_every_vendor() {
        for vendor in Vendor::ALL {
            assert_eq!(
                ok(&format!("hirebridge://link/{vendor}")),
                link(vendor, None)
            );
            let id = vendor.as_str();
            assert_eq!(ok(&format!("hirebridge://link/{id}")), link(vendor, None));
        }
    }

    #[test]
    fn accepts_link_with_a_decoded_label() {
        assert_eq!(
            ok("hirebridge://link/lever?label=Acme%20EU%20%C3%A9"),
            link(Vendor::Lever, Some("Acme EU é"))
        );
        assert_eq!(
            ok("hirebridge://link/unberry?label=Team+B"),
            link(Vendor::Unberry, Some("Team B"))
        );
        let max = "a".repeat(MAX_LABEL_CHARS);
        assert_eq!(
            ok(&format!("hirebridge://link/lever?label={max}")),
            link(Vendor::Lever, Some(&max))
        );
    }

    #[test]
    fn accepts_an_oauth_callback_with_code_and_state() {
        assert_eq!(
            ok("hirebridge://oauth/callback?code=c0de&state=st4te"),
            DeepLinkAction::OAuthCallback(CallbackParams::Code {
                code: Secret::new("c0de"),
                state: Some(Secret::new("st4te")),
            })
        );
    }

    #[test]
    fn accepts_an_oauth_callback_carrying_an_error() {
        assert_eq!(
            ok("hirebridge://oauth/callback?error=access_denied&error_description=No&state=s"),
            DeepLinkAction::OAuthCallback(CallbackParams::Error {
                error: "access_denied".into(),
                description: Some("No".into()),
                state: Some(Secret::new("s")),
            })
        );
    }

    #[test]
    fn refuses_a_wrong_scheme() {
        assert!(refused("https://link/lever").contains("hirebridge://"));
        assert!(refused("evil://link/lever").contains("hirebridge://"));
    }

    #[test]
    fn refuses_unknown_hosts_and_actions() {
        assert!(refused("hirebridge://delete/lever").contains("Unknown Hirebridge link"));
        assert!(refused("hirebridge://oauth/other?code=a&state=b").contains("Unknown"));
        assert!(refused("hirebridge://oauth?code=a&state=b").contains("Unknown"));
        assert!(refused("hirebridge:link/lever").contains("Unknown"));
    }

    #[test]
    fn refuses_missing_or_unknown_vendors() {
        assert!(refused("hirebridge://link").contains("names no ATS"));
        assert!(refused("hirebridge://link/").contains("names no ATS"));
        assert!(refused("hirebridge://link/greenhouse").contains("unknown ATS"));
        assert!(refused("hirebridge://link/lever/extra").contains("unknown ATS"));
    }

    #[test]
    fn refuses_unknown_query_parameters() {
        assert!(refused("hirebridge://link/lever?api_key=x").contains("\"api_key\""));
        assert!(refused("hirebridge://oauth/callback?code=a&state=b&x=1").contains("\"x\""));
    }

    #[test]
    fn refuses_duplicated_parameters() {
        assert!(refused("hirebridge://link/lever?label=a&label=b").contains("repeats"));
        assert!(refused("hirebridge://oauth/callback?code=a&code=b&state=s").contains("repeated"));
    }

    #[test]
    fn refuses_an_over_long_url() {
        let long = format!("hirebridge://link/lever?label={}", "a".repeat(MAX_URL_LEN));
        assert!(refused(&long).contains("longer than 2048"));
        let url = Url::parse(&long).expect("valid url");
        assert!(DeepLinkAction::try_from(&url).is_err());
    }

    #[test]
    fn refuses_bad_labels() {
        let long = "a".repeat(MAX_LABEL_CHARS + 1);
        assert!(refused(&format!("hirebridge://link/lever?label={long}")).contains("label"));
        assert!(refused("hirebridge://link/lever?label=a%0Ab").contains("control characters"));
        assert!(refused("hirebridge://link/lever?label=%07").contains("label"));
        assert!(refused("hirebridge://link/lever?label=").contains("label"));
    }

    #[test]
    fn refuses_malformed_urls() {
        assert!(refused("hirebridge://%%").contains("not a valid address"));
        assert!(refused("not a url").contains("not a valid address"));
        assert!(refused("").contains("not a valid address"));
        assert!(refused("hirebridge://user:pw@link/lever").contains("not a valid address"));
        assert!(refused("hirebridge://link:99/lever").contains("not a valid address"));
        assert!(refused("hirebridge://link/lever#frag").contains("not a valid address"));
    }

    #[test]
    fn refuses_callbacks_without_a_code() {
        assert!(refused("hirebridge://oauth/callback?state=s").contains("no authorization code"));
        assert!(refused("hirebridge://oauth/callback").contains("no authorization code"));
    }
}
