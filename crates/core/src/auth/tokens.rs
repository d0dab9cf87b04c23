//! Token requests through `oauth2`, and what comes back.

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{
    AuthType, AuthUrl, ClientId, ClientSecret, EndpointNotSet, EndpointSet, RequestTokenError,
    TokenResponse, TokenUrl,
};

use crate::Vendor;
use crate::auth::error::OAuthError;
use crate::auth::http_client::TokenHttpError;
use crate::secrets::{Secret, StoredSecret};

pub(crate) type Client =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;
pub(crate) type RefreshClient =
    BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;
pub(crate) type TokenError = RequestTokenError<TokenHttpError, BasicErrorResponse>;

/// The tokens a flow or a refresh produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// Unix seconds, when the server gave a lifetime.
    pub expires_at: Option<i64>,
    /// The scopes granted, when the server said (it may grant fewer than asked).
    pub scopes: Option<Vec<String>>,
}

impl TokenSet {
    pub(crate) fn from_response(response: &BasicTokenResponse) -> Self {
        let now = chrono::Utc::now().timestamp();
        Self {
            access_token: Secret::new(response.access_token().secret().as_str()),
            refresh_token: response
                .refresh_token()
                .map(|t| Secret::new(t.secret().as_str())),
            expires_at: response
                .expires_in()
                .map(|d| now.saturating_add(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))),
            scopes: response
                .scopes()
                .map(|s| s.iter().map(|s| s.to_string()).collect()),
        }
    }

    /// The keychain entry for this account. The client secret is kept beside the tokens
    /// because refreshing needs it and the accounts table must never hold it.
    pub fn into_stored(self, client_secret: Option<Secret>) -> StoredSecret {
        StoredSecret::OAuth {
            access_token: self.access_token,
            refresh_token: self.refresh_token,
            expires_at: self.expires_at,
            client_secret,
        }
    }
}

/// An `oauth2` client for a token endpoint; client id and secret go in the request body, as
/// SmartRecruiters and Lever document (ats-specs §1.2, §2.2).
pub(crate) fn client(
    authorize_url: &url::Url,
    token_url: &url::Url,
    client_id: &str,
    client_secret: Option<&Secret>,
) -> Client {
    let client = BasicClient::new(ClientId::new(client_id.to_owned()))
        .set_auth_uri(AuthUrl::from_url(authorize_url.clone()))
        .set_token_uri(TokenUrl::from_url(token_url.clone()))
        .set_auth_type(AuthType::RequestBody);
    match client_secret {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.expose().to_owned())),
        None => client,
    }
}

/// A client for the refresh grant alone, which needs no authorization endpoint.
pub(crate) fn refresh_client(
    token_url: &url::Url,
    client_id: &str,
    client_secret: Option<&Secret>,
) -> RefreshClient {
    let client = BasicClient::new(ClientId::new(client_id.to_owned()))
        .set_token_uri(TokenUrl::from_url(token_url.clone()))
        .set_auth_type(AuthType::RequestBody);
    match client_secret {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.expose().to_owned())),
        None => client,
    }
}

/// Never formats the response body: it may hold tokens.
pub(crate) fn classify(vendor: Vendor, err: TokenError) -> OAuthError {
    let vendor_name = vendor.display_name().to_owned();
    match err {
        RequestTokenError::ServerResponse(response) => match response.error() {
            BasicErrorResponseType::InvalidGrant => OAuthError::InvalidGrant {
                vendor: vendor_name,
            },
            other => OAuthError::TokenEndpoint {
                vendor: vendor_name,
                error: other.as_ref().to_owned(),
                description: response
                    .error_description()
                    .map(|d| d.chars().filter(|c| !c.is_control()).take(300).collect()),
            },
        },
        RequestTokenError::Request(TokenHttpError::Request(e)) => OAuthError::Network {
            vendor: vendor_name,
            detail: e.without_url().to_string(),
        },
        RequestTokenError::Request(TokenHttpError::Unavailable {
            status,
            retry_after,
        }) => OAuthError::Unavailable {
            vendor: vendor_name,
            status,
            retry_after,
        },
        RequestTokenError::Request(other) => OAuthError::UnreadableResponse {
            vendor: vendor_name,
            detail: other.to_string(),
        },
        RequestTokenError::Parse(..) => OAuthError::UnreadableResponse {
            vendor: vendor_name,
            detail: "not a valid token response".to_owned(),
        },
        RequestTokenError::Other(detail) => OAuthError::UnreadableResponse {
            vendor: vendor_name,
            detail,
        },
    }
}
