//! The parameters of an OAuth authorization response (RFC 6749 §4.1.2), parsed the same way
//! whether they arrive on the loopback listener or through a `hirebridge://oauth/callback` link.

use std::collections::HashSet;

use crate::secrets::Secret;

/// What the authorization server sent back to the redirect URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackParams {
    /// The user consented: exchange `code`, once `state` matches the flow's.
    Code { code: Secret, state: Option<Secret> },
    /// The server refused (`access_denied`, `invalid_scope`...), with its own description.
    Error {
        error: String,
        description: Option<String>,
        state: Option<Secret>,
    },
}

impl CallbackParams {
    /// The `state` the server echoed, when it sent one.
    pub fn state(&self) -> Option<&Secret> {
        match self {
            CallbackParams::Code { state, .. } | CallbackParams::Error { state, .. } => {
                state.as_ref()
            }
        }
    }
}

/// How to treat parameters this module does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownParams {
    /// Refuse them: for deep links, which anyone can forge.
    Refuse,
    /// Ignore them: for the loopback redirect, where a server may add its own (RFC 6749 §4.1.2
    /// lets it), and the state check already ties the request to our flow.
    Ignore,
}

/// Why a callback was refused. Messages are for a recruiter, and never contain the values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("The sign-in response repeated the parameter \"{0}\".")]
    Duplicate(String),
    #[error("The sign-in response carried an unexpected parameter \"{0}\".")]
    Unknown(String),
    #[error("The sign-in response carried no authorization code.")]
    MissingCode,
    #[error("The sign-in response carried both a code and an error.")]
    CodeAndError,
    #[error("The sign-in response had an empty \"{0}\".")]
    Empty(String),
    #[error("The sign-in response had an over-long \"{0}\".")]
    TooLong(String),
}

/// Parameters an authorization response may carry. `iss` is RFC 9207 (oidc-provider sends it);
/// `scope` is sent by some servers on success.
const KNOWN: [&str; 6] = [
    "code",
    "state",
    "error",
    "error_description",
    "error_uri",
    "iss",
];
const TOLERATED_EXTRA: [&str; 1] = ["scope"];

/// Longest value we accept for any parameter: codes and states are far shorter.
const MAX_VALUE_LEN: usize = 2048;

impl CallbackParams {
    /// Parses decoded query pairs, refusing duplicates and (per `unknown`) unknown names.
    pub fn from_pairs<'a, I>(pairs: I, unknown: UnknownParams) -> Result<Self, CallbackError>
    where
        I: IntoIterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)>,
    {
        let mut seen = HashSet::new();
        let (mut code, mut state, mut error, mut description) = (None, None, None, None);
        for (name, value) in pairs {
            let name = name.into_owned();
            let known = KNOWN.contains(&name.as_str()) || TOLERATED_EXTRA.contains(&name.as_str());
            if !known {
                match unknown {
                    UnknownParams::Refuse => return Err(CallbackError::Unknown(printable(&name))),
                    UnknownParams::Ignore => continue,
                }
            }
            if !seen.insert(name.clone()) {
                return Err(CallbackError::Duplicate(name));
            }
            if value.len() > MAX_VALUE_LEN {
                return Err(CallbackError::TooLong(name));
            }
            let value = value.into_owned();
            match name.as_str() {
                "code" => code = Some(value),
                "state" => state = Some(value),
                "error" => error = Some(value),
                "error_description" => description = Some(value),
                _ => {}
            }
        }
        for (name, value) in [("code", &code), ("state", &state), ("error", &error)] {
            if value.as_deref().is_some_and(str::is_empty) {
                return Err(CallbackError::Empty(name.to_owned()));
            }
        }
        let state = state.map(Secret::new);
        match (code, error) {
            (Some(_), Some(_)) => Err(CallbackError::CodeAndError),
            (Some(code), None) => Ok(CallbackParams::Code {
                code: Secret::new(code),
                state,
            }),
            (None, Some(error)) => Ok(CallbackParams::Error {
                error: printable(&error),
                description: description.map(|d| printable(&d)),
                state,
            }),
            (None, None) => Err(CallbackError::MissingCode),
        }
    }
}

/// A server- or attacker-supplied string made safe to show: no control characters, bounded.
fn printable(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str, unknown: UnknownParams) -> Result<CallbackParams, CallbackError> {
        CallbackParams::from_pairs(url::form_urlencoded::parse(query.as_bytes()), unknown)
    }

    #[test]
    fn accepts_code_and_state() {
        let parsed = parse(
            "code=abc&state=xyz&iss=http%3A%2F%2Fx",
            UnknownParams::Refuse,
        )
        .expect("valid");
        assert_eq!(
            parsed,
            CallbackParams::Code {
                code: Secret::new("abc"),
                state: Some(Secret::new("xyz"))
            }
        );
    }

    #[test]
    fn accepts_an_error_with_its_description() {
        let parsed = parse(
            "error=access_denied&error_description=User+said+no&state=s",
            UnknownParams::Refuse,
        )
        .expect("valid");
        assert_eq!(
            parsed,
            CallbackParams::Error {
                error: "access_denied".into(),
                description: Some("User said no".into()),
                state: Some(Secret::new("s"))
            }
        );
    }

    #[test]
    fn refuses_duplicates_missing_code_and_empty_values() {
        assert_eq!(
            parse("code=a&code=b&state=s", UnknownParams::Ignore),
            Err(CallbackError::Duplicate("code".into()))
        );
        assert_eq!(
            parse("state=s", UnknownParams::Ignore),
            Err(CallbackError::MissingCode)
        );
        assert_eq!(
            parse("code=&state=s", UnknownParams::Ignore),
            Err(CallbackError::Empty("code".into()))
        );
        assert_eq!(
            parse("code=a&error=x", UnknownParams::Ignore),
            Err(CallbackError::CodeAndError)
        );
    }

    #[test]
    fn unknown_parameters_are_refused_or_ignored_as_asked() {
        assert_eq!(
            parse("code=a&state=s&evil=1", UnknownParams::Refuse),
            Err(CallbackError::Unknown("evil".into()))
        );
        assert!(parse("code=a&state=s&evil=1&evil=2", UnknownParams::Ignore).is_ok());
    }
}
