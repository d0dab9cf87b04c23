//! Where and how to run an OAuth flow for one vendor: the vendor's production settings, each
//! overridable so any standards-compliant server (fake-ats, a sandbox, oidc-provider) stands in.

use url::Url;

use crate::Vendor;
use crate::auth::error::OAuthError;
use crate::secrets::Secret;

/// Client id used when none is configured. [I] Hirebridge has no registered production app yet:
/// a deployment sets its own with `OAuthOverrides::client_id`.
pub const DEFAULT_CLIENT_ID: &str = "hirebridge-desktop";

/// Everything needed to run the authorization code flow against one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClientConfig {
    pub vendor: Vendor,
    pub authorize_url: Url,
    pub token_url: Url,
    pub client_id: String,
    /// Sent in the token request body (SmartRecruiters and Lever register confidential clients).
    pub client_secret: Option<Secret>,
    /// Sent space-separated in `scope`.
    pub scopes: Vec<String>,
    /// Extra authorization request parameters, e.g. Lever's `audience`.
    pub extra_authorize_params: Vec<(String, String)>,
}

/// What a user or a test may change about a vendor's OAuth settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuthOverrides {
    /// The vendor's API base URL, when not production; Lever's `audience` derives from it.
    pub base_url: Option<String>,
    pub authorize_url: Option<String>,
    pub token_url: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub scopes: Option<Vec<String>>,
    pub extra_authorize_params: Vec<(String, String)>,
}

/// The scopes Hirebridge asks for by default: reading and updating candidates, jobs and users.
pub fn default_scopes(vendor: Vendor) -> Vec<String> {
    let scopes: &[&str] = match vendor {
        // ats-specs §1.2.
        Vendor::SmartRecruiters => &[
            "candidates_read",
            "candidates_create",
            "candidates_manage",
            "jobs_read",
            "users_read",
        ],
        // ats-specs §2.2: `offline_access` is what yields a refresh token.
        Vendor::Lever => &[
            "offline_access",
            "opportunities:read:admin",
            "opportunities:write:admin",
            "stages:read:admin",
            "postings:read:admin",
            "users:read:admin",
            // Archive reason names, attachments and resume uploads: without these an OAuth-linked
            // account caches less than an API-key one (found by the chaos matrix).
            "archive_reasons:read:admin",
            "files:read:admin",
            "files:write:admin",
            "resumes:read:admin",
            "uploads:write:admin",
        ],
        // [I] Unberry publishes no API; these mirror fake-ats's provisional scope names.
        Vendor::Unberry => &[
            "offline_access",
            "candidates:read",
            "candidates:write",
            "jobs:read",
            // Sync reads applications; stage moves and pushes write them (found by the chaos matrix).
            "applications:read",
            "applications:write",
            "attachments:read",
            "attachments:write",
            "assessments:read",
            "interviews:read",
        ],
    };
    scopes.iter().map(|s| (*s).to_owned()).collect()
}

/// Lever's `audience`: the data API root with a trailing slash (ats-specs §2.2, sandbox §2.1).
pub fn lever_audience(base_url: Option<&str>) -> String {
    let base = base_url.unwrap_or(Vendor::Lever.default_base_url());
    format!("{}/", base.trim_end_matches('/'))
}

impl OAuthClientConfig {
    /// The vendor's settings with `overrides` applied.
    pub fn for_vendor(vendor: Vendor, overrides: OAuthOverrides) -> Result<Self, OAuthError> {
        let (default_authorize, default_token) = vendor.default_oauth_endpoints();
        let authorize_url = parse_url(
            "authorization URL",
            overrides
                .authorize_url
                .as_deref()
                .unwrap_or(default_authorize),
        )?;
        let token_url = parse_url(
            "token URL",
            overrides.token_url.as_deref().unwrap_or(default_token),
        )?;
        let client_id = overrides
            .client_id
            .unwrap_or_else(|| DEFAULT_CLIENT_ID.to_owned());
        if client_id.trim().is_empty() {
            return Err(OAuthError::Config("the client id is empty".into()));
        }
        let mut extra = Vec::new();
        if vendor == Vendor::Lever {
            extra.push((
                "audience".to_owned(),
                lever_audience(overrides.base_url.as_deref()),
            ));
        }
        extra.extend(overrides.extra_authorize_params);
        Ok(Self {
            vendor,
            authorize_url,
            token_url,
            client_id,
            client_secret: overrides.client_secret,
            scopes: overrides.scopes.unwrap_or_else(|| default_scopes(vendor)),
            extra_authorize_params: extra,
        })
    }
}

fn parse_url(what: &str, raw: &str) -> Result<Url, OAuthError> {
    let url = Url::parse(raw)
        .map_err(|e| OAuthError::Config(format!("the {what} \"{raw}\" is invalid: {e}")))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    // Tokens and codes travel over these: plain HTTP only to this machine.
    if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
        return Err(OAuthError::Config(format!(
            "the {what} must use https (http only on 127.0.0.1): \"{raw}\""
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lever_gets_its_production_audience_and_offline_access() {
        let config = OAuthClientConfig::for_vendor(Vendor::Lever, OAuthOverrides::default())
            .expect("defaults are valid");
        assert_eq!(
            config.authorize_url.as_str(),
            "https://auth.lever.co/authorize"
        );
        assert_eq!(
            config.extra_authorize_params,
            vec![("audience".to_owned(), "https://api.lever.co/v1/".to_owned())]
        );
        assert!(config.scopes.iter().any(|s| s == "offline_access"));
    }

    #[test]
    fn a_configured_lever_base_url_sets_the_audience() {
        let overrides = OAuthOverrides {
            base_url: Some("http://127.0.0.1:4000/lever/v1/".into()),
            ..Default::default()
        };
        let config = OAuthClientConfig::for_vendor(Vendor::Lever, overrides).expect("valid");
        assert_eq!(
            config.extra_authorize_params[0].1,
            "http://127.0.0.1:4000/lever/v1/"
        );
    }

    #[test]
    fn smartrecruiters_consents_at_identity_oauth_allow() {
        let config =
            OAuthClientConfig::for_vendor(Vendor::SmartRecruiters, OAuthOverrides::default())
                .expect("valid");
        assert_eq!(config.authorize_url.path(), "/identity/oauth/allow");
        assert!(config.extra_authorize_params.is_empty());
    }

    #[test]
    fn endpoints_and_client_are_overridable_but_must_be_safe() {
        let overrides = OAuthOverrides {
            authorize_url: Some("http://127.0.0.1:9/auth".into()),
            token_url: Some("http://127.0.0.1:9/token".into()),
            client_id: Some("other".into()),
            ..Default::default()
        };
        let config = OAuthClientConfig::for_vendor(Vendor::Unberry, overrides).expect("valid");
        assert_eq!(config.token_url.as_str(), "http://127.0.0.1:9/token");
        assert_eq!(config.client_id, "other");
        let plain_http = OAuthOverrides {
            token_url: Some("http://evil.example/token".into()),
            ..Default::default()
        };
        assert!(matches!(
            OAuthClientConfig::for_vendor(Vendor::Lever, plain_http),
            Err(OAuthError::Config(_))
        ));
    }
}
