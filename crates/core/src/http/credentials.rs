//! How a request gets its credential. The HTTP client asks a [`CredentialProvider`] before every
//! request and tells it about every 401; API keys use [`StaticCredentials`], OAuth accounts the
//! token manager in `auth`, which refreshes (once, even under concurrent calls) as needed.

use async_trait::async_trait;

use crate::Result;
use crate::secrets::Secret;

/// One credential, ready to put on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthHeader {
    /// SmartRecruiters API key: `X-SmartToken: <key>`.
    SmartToken(Secret),
    /// OAuth access token: `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// Lever API key: HTTP Basic with the key as user name and an empty password.
    BasicUser(Secret),
    /// Unberry API key: `X-Api-Key: <key>` ([I] provisional wire format).
    ApiKey(Secret),
}

impl AuthHeader {
    /// Puts this credential on `request`.
    pub fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            AuthHeader::SmartToken(key) => request.header("X-SmartToken", key.expose()),
            AuthHeader::Bearer(token) => request.bearer_auth(token.expose()),
            AuthHeader::BasicUser(key) => request.basic_auth(key.expose(), Some("")),
            AuthHeader::ApiKey(key) => request.header("X-Api-Key", key.expose()),
        }
    }
}

#[async_trait]
pub trait CredentialProvider: Send + Sync {
    /// The credential for the next request; an OAuth provider refreshes a token that is about
    /// to expire before answering.
    async fn current(&self) -> Result<AuthHeader>;

    /// The vendor answered 401 to a request sent with `rejected`. Returns a new credential to
    /// retry once with, `None` when retrying cannot help (an API key), or an error such as
    /// `ErrorKind::NeedsRelink` when the refresh token itself was refused.
    async fn after_unauthorized(&self, rejected: &AuthHeader) -> Result<Option<AuthHeader>>;
}

/// A credential that never changes: an API key.
#[derive(Debug, Clone)]
pub struct StaticCredentials(pub AuthHeader);

#[async_trait]
impl CredentialProvider for StaticCredentials {
    async fn current(&self) -> Result<AuthHeader> {
        Ok(self.0.clone())
    }

    async fn after_unauthorized(&self, _rejected: &AuthHeader) -> Result<Option<AuthHeader>> {
        Ok(None)
    }
}
