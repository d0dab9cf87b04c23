//! Keeps one OAuth account's access token fresh for the HTTP client.
//!
//! Every caller goes through one async mutex per account, and a refresh happens while it is
//! held: any number of concurrent callers cause exactly one refresh, and the ones that waited
//! find the new token. A 401 on a token that was already replaced does not refresh again.
//! Rotation safety: the new pair is written to the keychain before the new access token is
//! handed out; if that write fails the call fails, the keychain keeps the old pair, and the
//! next call retries the write before handing anything out (it does not refresh again with a
//! refresh token the server has already retired).
//! A token endpoint that answers 429 or 5xx, or a connection lost on the way, is retried with
//! backoff (honouring `Retry-After`) under the same lock; a failed refresh never touches the
//! stored pair.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use oauth2::RefreshToken;
use subtle::ConstantTimeEq;
use url::Url;

use crate::auth::error::OAuthError;
use crate::auth::http_client::TokenHttpClient;
use crate::auth::tokens::{self, TokenSet};
use crate::http::{AuthHeader, CredentialProvider, RetryPolicy};
use crate::secrets::{Secret, SecretStore, StoredSecret};
use crate::{Error, ErrorKind, Result, Vendor};

/// Refresh this long before the server's expiry, so a request never leaves with a dying token.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Told when an account's refresh token is refused, so the account shows "needs re-link".
/// The accounts store implements it; the token manager calls it once per account.
#[async_trait]
pub trait AccountStatusSink: Send + Sync {
    async fn needs_relink(&self, account_id: &str);
}

/// The token endpoint an account refreshes against (from its stored OAuth configuration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenEndpoint {
    pub vendor: Vendor,
    pub token_url: Url,
    pub client_id: String,
}

pub struct OAuthTokenManager {
    account_id: String,
    endpoint: TokenEndpoint,
    store: Arc<dyn SecretStore>,
    sink: Arc<dyn AccountStatusSink>,
    http: TokenHttpClient,
    margin: Duration,
    retry: RetryPolicy,
    state: tokio::sync::Mutex<State>,
}

enum State {
    /// Not read from the keychain yet.
    Unloaded,
    Ready(Tokens),
    /// The server issued these but the keychain refused them, so it still holds the previous
    /// pair (whose refresh token a rotating server has now retired). They are not handed out
    /// until a later call manages to store them.
    Unsaved(Tokens),
    /// The refresh token was refused: every call fails until the account is linked again.
    NeedsRelink,
}

#[derive(Clone)]
struct Tokens {
    access: Secret,
    refresh: Option<Secret>,
    expires_at: Option<i64>,
    /// When to refresh ahead of expiry, Unix seconds.
    refresh_at: Option<i64>,
    client_secret: Option<Secret>,
}

impl OAuthTokenManager {
    pub fn new(
        account_id: impl Into<String>,
        endpoint: TokenEndpoint,
        store: Arc<dyn SecretStore>,
        sink: Arc<dyn AccountStatusSink>,
    ) -> Result<Self> {
        let http = TokenHttpClient::new()
            .map_err(|e| Error::internal(format!("Could not build the token client: {e}")))?;
        Ok(Self {
            account_id: account_id.into(),
            endpoint,
            store,
            sink,
            http,
            margin: DEFAULT_REFRESH_MARGIN,
            retry: RetryPolicy::default(),
            state: tokio::sync::Mutex::new(State::Unloaded),
        })
    }

    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// How a refresh the token endpoint answered with 429, 5xx or a lost connection is retried.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    fn relink_error(&self) -> Error {
        Error::new(
            ErrorKind::NeedsRelink,
            format!(
                "{} no longer accepts this account's sign-in (it was revoked or has expired). \
                 Link the account again.",
                self.endpoint.vendor
            ),
        )
    }

    /// The account's tokens, read from the keychain on first use.
    async fn loaded<'a>(&self, state: &'a mut State) -> Result<&'a Tokens> {
        if matches!(state, State::Unloaded) {
            let store = Arc::clone(&self.store);
            let id = self.account_id.clone();
            let stored = tokio::task::spawn_blocking(move || store.get(&id))
                .await
                .map_err(|e| Error::internal(format!("The keychain task failed: {e}")))??;
            *state = match stored {
                Some(StoredSecret::OAuth {
                    access_token,
                    refresh_token,
                    expires_at,
                    client_secret,
                }) => State::Ready(Tokens {
                    access: access_token,
                    refresh: refresh_token,
                    expires_at,
                    refresh_at: expires_at.map(|at| at.saturating_sub(self.margin_secs())),
                    client_secret,
                }),
                Some(StoredSecret::ApiKey { .. }) => {
                    return Err(Error::internal(
                        "This account holds an API key, not OAuth tokens.",
                    ));
                }
                // The entry is gone (e.g. the kernel keyring was cleared at logout).
                None => return Err(self.mark_needs_relink(state).await),
            };
        }
        if let State::Unsaved(pending) = state {
            self.save(pending).await?;
            *state = State::Ready(pending.clone());
        }
        match state {
            State::Ready(tokens) => Ok(tokens),
            _ => Err(self.relink_error()),
        }
    }

    async fn save(&self, tokens: &Tokens) -> Result<()> {
        let stored = StoredSecret::OAuth {
            access_token: tokens.access.clone(),
            refresh_token: tokens.refresh.clone(),
            expires_at: tokens.expires_at,
            client_secret: tokens.client_secret.clone(),
        };
        let store = Arc::clone(&self.store);
        let id = self.account_id.clone();
        tokio::task::spawn_blocking(move || store.set(&id, &stored))
            .await
            .map_err(|e| Error::internal(format!("The keychain task failed: {e}")))?
    }

    async fn mark_needs_relink(&self, state: &mut State) -> Error {
        if !matches!(state, State::NeedsRelink) {
            *state = State::NeedsRelink;
            self.sink.needs_relink(&self.account_id).await;
        }
        self.relink_error()
    }

    fn margin_secs(&self) -> i64 {
        i64::try_from(self.margin.as_secs()).unwrap_or(i64::MAX)
    }

    fn expiring(&self, tokens: &Tokens) -> bool {
        tokens
            .refresh_at
            .is_some_and(|at| at <= chrono::Utc::now().timestamp())
    }

    /// Refresh ahead by the margin, but never by more than half the token's lifetime: a server
    /// issuing 60-second tokens must not make every call refresh.
    fn refresh_at(&self, expires_at: Option<i64>) -> Option<i64> {
        let now = chrono::Utc::now().timestamp();
        expires_at.map(|at| {
            let lifetime = at.saturating_sub(now).max(0);
            at.saturating_sub(self.margin_secs().min(lifetime / 2))
        })
    }

    /// Refreshes while the caller holds the account's lock.
    async fn refresh(&self, state: &mut State) -> Result<Secret> {
        let current = self.loaded(state).await?.clone();
        let Some(refresh) = current.refresh.clone() else {
            return Err(self.mark_needs_relink(state).await);
        };
        let client = tokens::refresh_client(
            &self.endpoint.token_url,
            &self.endpoint.client_id,
            current.client_secret.as_ref(),
        );
        let token = RefreshToken::new(refresh.expose().to_owned());
        let mut attempt = 0u32;
        let mut first_busy: Option<tokio::time::Instant> = None;
        let response = loop {
            attempt += 1;
            let err = match client
                .exchange_refresh_token(&token)
                .request_async(&self.http)
                .await
            {
                Ok(response) => break response,
                Err(err) => tokens::classify(self.endpoint.vendor, err),
            };
            // A busy or failing token endpoint, or a connection lost on the way, is tried again
            // while the lock is held, so the callers waiting behind it share this one refresh.
            // Sending the same refresh token again is safe: if the lost answer had rotated it,
            // the server refuses it (`invalid_grant`) exactly as the next call would have.
            let wait = match &err {
                OAuthError::InvalidGrant { .. } => return Err(self.mark_needs_relink(state).await),
                OAuthError::Unavailable {
                    status: 429,
                    retry_after,
                    ..
                } => {
                    let since = *first_busy.get_or_insert_with(tokio::time::Instant::now);
                    let wait = retry_after
                        .map(|d| d.min(self.retry.max_retry_after))
                        .unwrap_or_else(|| self.retry.backoff(attempt));
                    (since.elapsed() + wait <= self.retry.rate_limit_budget).then_some(wait)
                }
                OAuthError::Unavailable { retry_after, .. } => (attempt < self.retry.max_attempts)
                    .then(|| {
                        retry_after
                            .map(|d| d.min(self.retry.max_retry_after))
                            .unwrap_or_else(|| self.retry.backoff(attempt))
                    }),
                OAuthError::Network { .. } => {
                    (attempt < self.retry.max_attempts).then(|| self.retry.backoff(attempt))
                }
                _ => None,
            };
            match wait {
                Some(wait) => {
                    tracing::warn!(
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "token refresh failed ({err}), retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                None => return Err(err.into()),
            }
        };
        let fresh = TokenSet::from_response(&response);
        let next = Tokens {
            access: fresh.access_token,
            // A server that does not rotate keeps the old refresh token valid.
            refresh: fresh.refresh_token.or(current.refresh),
            expires_at: fresh.expires_at,
            refresh_at: self.refresh_at(fresh.expires_at),
            client_secret: current.client_secret,
        };
        if let Err(e) = self.save(&next).await {
            *state = State::Unsaved(next);
            return Err(e);
        }
        let access = next.access.clone();
        *state = State::Ready(next);
        Ok(access)
    }
}

#[async_trait]
impl CredentialProvider for OAuthTokenManager {
    async fn current(&self) -> Result<AuthHeader> {
        let mut state = self.state.lock().await;
        let tokens = self.loaded(&mut state).await?;
        if !self.expiring(tokens) {
            return Ok(AuthHeader::Bearer(tokens.access.clone()));
        }
        self.refresh(&mut state).await.map(AuthHeader::Bearer)
    }

    async fn after_unauthorized(&self, rejected: &AuthHeader) -> Result<Option<AuthHeader>> {
        let AuthHeader::Bearer(rejected) = rejected else {
            return Ok(None);
        };
        let mut state = self.state.lock().await;
        let tokens = self.loaded(&mut state).await?;
        let same = bool::from(
            tokens
                .access
                .expose()
                .as_bytes()
                .ct_eq(rejected.expose().as_bytes()),
        );
        if !same {
            // Another caller already replaced it: retry with the current one.
            return Ok(Some(AuthHeader::Bearer(tokens.access.clone())));
        }
        self.refresh(&mut state)
            .await
            .map(|t| Some(AuthHeader::Bearer(t)))
    }
}
