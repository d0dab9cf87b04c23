//! One authorization code flow with PKCE S256 and a random `state`, completed through the
//! loopback listener or a `hirebridge://oauth/callback` deep link.

use std::sync::Mutex;
use std::time::Duration;

use oauth2::{
    AuthorizationCode, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use subtle::ConstantTimeEq;
use url::Url;

use crate::auth::callback::{CallbackParams, UnknownParams};
use crate::auth::config::OAuthClientConfig;
use crate::auth::error::OAuthError;
use crate::auth::http_client::TokenHttpClient;
use crate::auth::loopback::LoopbackListener;
use crate::auth::tokens::{self, TokenSet};
use crate::deeplink::DeepLinkAction;
use crate::secrets::Secret;

/// The redirect URI for vendors that registered Hirebridge's custom scheme.
pub const DEEP_LINK_REDIRECT_URI: &str = "hirebridge://oauth/callback";

/// Opens the authorization URL for the user. The app passes tauri-plugin-opener; the CLI tries
/// the system browser and always prints the URL; tests play the browser themselves.
pub trait BrowserOpener: Send + Sync {
    /// Failing to open is not fatal: the caller still shows the URL.
    fn open(&self, url: &Url) -> Result<(), String>;
}

/// Opens nothing: the caller shows or follows the URL itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBrowser;

impl BrowserOpener for NoBrowser {
    fn open(&self, _url: &Url) -> Result<(), String> {
        Ok(())
    }
}

/// Where the authorization server sends the browser back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectMode {
    /// `http://127.0.0.1:<ephemeral port>/callback` (RFC 8252), the default.
    Loopback,
    /// `hirebridge://oauth/callback`, for vendors that registered the custom scheme.
    DeepLink,
}

pub struct OAuthFlow;

impl OAuthFlow {
    /// Prepares a flow (listener bound first, so the redirect URI holds the real port), hands
    /// the authorization URL to `opener`, and returns it with the flow to complete.
    pub async fn start(
        config: OAuthClientConfig,
        redirect: RedirectMode,
        opener: &dyn BrowserOpener,
    ) -> Result<(Url, PendingFlow), OAuthError> {
        let http = TokenHttpClient::new().map_err(|e| OAuthError::Config(e.to_string()))?;
        let (listener, redirect_uri) = match redirect {
            RedirectMode::Loopback => {
                let listener = LoopbackListener::bind()
                    .await
                    .map_err(|e| OAuthError::Listener(e.to_string()))?;
                let uri = listener.redirect_uri();
                (Some(listener), uri)
            }
            RedirectMode::DeepLink => (None, DEEP_LINK_REDIRECT_URI.to_owned()),
        };
        let redirect_uri =
            RedirectUrl::new(redirect_uri).map_err(|e| OAuthError::Config(e.to_string()))?;
        let client = tokens::client(
            &config.authorize_url,
            &config.token_url,
            &config.client_id,
            config.client_secret.as_ref(),
        )
        .set_redirect_uri(redirect_uri.clone());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(config.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge);
        for (name, value) in &config.extra_authorize_params {
            request = request.add_extra_param(name.as_str(), value.as_str());
        }
        let (url, state) = request.url();
        if let Err(reason) = opener.open(&url) {
            tracing::warn!("could not open the browser ({reason}); the user opens the URL");
        }
        let pending = PendingFlow {
            config,
            redirect_uri,
            state: Secret::new(state.secret().as_str()),
            verifier: Mutex::new(Some(verifier)),
            listener: Mutex::new(listener),
            http,
        };
        Ok((url, pending))
    }
}

/// A started flow, waiting for the server's redirect.
pub struct PendingFlow {
    config: OAuthClientConfig,
    redirect_uri: RedirectUrl,
    state: Secret,
    /// Taken by the one completion that exchanges a code; `None` afterwards.
    verifier: Mutex<Option<PkceCodeVerifier>>,
    listener: Mutex<Option<LoopbackListener>>,
    http: TokenHttpClient,
}

impl std::fmt::Debug for PendingFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingFlow")
            .field("vendor", &self.config.vendor)
            .field("redirect_uri", &self.redirect_uri.as_str())
            .finish_non_exhaustive()
    }
}

impl PendingFlow {
    pub fn redirect_uri(&self) -> &str {
        self.redirect_uri.as_str()
    }

    /// Waits up to `timeout` for the browser on the loopback listener, answers it with a page
    /// saying how linking ended, and returns the tokens. The listener is closed on return.
    pub async fn wait(&self, timeout: Duration) -> Result<TokenSet, OAuthError> {
        let listener =
            lock(&self.listener)
                .take()
                .ok_or_else(|| match self.redirect_uri.as_str() {
                    DEEP_LINK_REDIRECT_URI => OAuthError::NotLoopback,
                    _ => OAuthError::AlreadyCompleted,
                })?;
        let (query, reply) = tokio::time::timeout(timeout, listener.accept_callback())
            .await
            .map_err(|_| OAuthError::Timeout(timeout))?
            .map_err(|e| OAuthError::Listener(e.to_string()))?;
        let parsed = CallbackParams::from_pairs(
            url::form_urlencoded::parse(query.as_bytes()),
            UnknownParams::Ignore,
        )
        .map_err(OAuthError::from);
        let outcome = match parsed {
            Ok(params) => self.complete(params).await,
            Err(e) => Err(e),
        };
        match &outcome {
            Ok(_) => reply.send(Ok(())).await,
            Err(e) => reply.send(Err(&e.to_string())).await,
        }
        outcome
    }

    /// Completes the flow from a `hirebridge://oauth/callback?...` deep link. A link whose
    /// `state` does not match is refused and leaves the flow waiting for the real one.
    pub async fn complete_from_url(&self, url: &Url) -> Result<TokenSet, crate::Error> {
        match DeepLinkAction::try_from(url)? {
            DeepLinkAction::OAuthCallback(params) => Ok(self.complete(params).await?),
            DeepLinkAction::Link(_) => Err(crate::Error::validation(
                "This link does not complete a sign-in.",
            )),
        }
    }

    /// Checks `state` (constant time), then exchanges the code with the PKCE verifier, once.
    pub async fn complete(&self, params: CallbackParams) -> Result<TokenSet, OAuthError> {
        let expected = self.state.expose().as_bytes();
        let matches = params
            .state()
            .is_some_and(|got| bool::from(got.expose().as_bytes().ct_eq(expected)));
        if !matches {
            return Err(OAuthError::WrongState);
        }
        let verifier = lock(&self.verifier)
            .take()
            .ok_or(OAuthError::AlreadyCompleted)?;
        let vendor = self.config.vendor.display_name().to_owned();
        let code = match params {
            CallbackParams::Code { code, .. } => code,
            CallbackParams::Error {
                error, description, ..
            } if error == "access_denied" => {
                return Err(OAuthError::AccessDenied {
                    vendor,
                    description,
                });
            }
            CallbackParams::Error {
                error, description, ..
            } => {
                return Err(OAuthError::AuthorizationError {
                    vendor,
                    error,
                    description,
                });
            }
        };
        let client = tokens::client(
            &self.config.authorize_url,
            &self.config.token_url,
            &self.config.client_id,
            self.config.client_secret.as_ref(),
        )
        .set_redirect_uri(self.redirect_uri.clone());
        let response = client
            .exchange_code(AuthorizationCode::new(code.expose().to_owned()))
            .set_pkce_verifier(verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| tokens::classify(self.config.vendor, e))?;
        Ok(TokenSet::from_response(&response))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The guarded values are plain data with no invariant a panic could break.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
