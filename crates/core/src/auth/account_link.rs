//! A completed OAuth flow saved as a linked account, and an account's refreshing credentials.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::accounts::{self, Account, AccountStatus, AccountStore, AuthKind, OAuthConfig};
use crate::auth::config::OAuthClientConfig;
use crate::auth::flow::{BrowserOpener, OAuthFlow, RedirectMode};
use crate::auth::token_manager::{AccountStatusSink, OAuthTokenManager, TokenEndpoint};
use crate::auth::tokens::TokenSet;
use crate::http::CredentialProvider;
use crate::secrets::SecretStore;
use crate::{Error, ErrorKind, Result};

/// How long a user gets to finish signing in before a linking attempt gives up.
pub const DEFAULT_LINK_TIMEOUT: Duration = Duration::from_secs(300);

/// One OAuth linking attempt, as the CLI and the app ask for it.
#[derive(Debug, Clone)]
pub struct OAuthLinkRequest {
    pub config: OAuthClientConfig,
    pub label: String,
    /// The vendor's API base URL, when not production.
    pub base_url: Option<String>,
    pub timeout: Duration,
}

/// Links an account end to end over the loopback redirect: refuses a taken label before the
/// user signs in, hands the authorization URL to `opener`, waits for the redirect, exchanges
/// the code, and saves the account.
pub async fn link_oauth_account(
    store: &AccountStore,
    secrets: &dyn SecretStore,
    request: OAuthLinkRequest,
    opener: &dyn BrowserOpener,
) -> Result<Account> {
    ensure_label_free(store, &request.label).await?;
    let (_url, pending) =
        OAuthFlow::start(request.config.clone(), RedirectMode::Loopback, opener).await?;
    let tokens = pending.wait(request.timeout).await?;
    save_oauth_account(
        store,
        secrets,
        &request.config,
        &request.label,
        request.base_url.as_deref(),
        tokens,
    )
    .await
}

async fn ensure_label_free(store: &AccountStore, label: &str) -> Result<()> {
    if store.get_by_id_or_label(label).await.is_ok() {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!("An account labelled \"{}\" already exists.", label.trim()),
        ));
    }
    Ok(())
}

/// Saves a new OAuth account: the tokens (and client secret) in the keychain first, then the
/// account row, which holds the endpoints and client id but no secret. Nothing is kept if
/// either step fails.
pub async fn save_oauth_account(
    store: &AccountStore,
    secrets: &dyn SecretStore,
    config: &OAuthClientConfig,
    label: &str,
    base_url: Option<&str>,
    tokens: TokenSet,
) -> Result<Account> {
    let mut account = Account::new_api_key(config.vendor, label, base_url)?;
    account.auth_kind = AuthKind::OAuth;
    account.scopes = tokens
        .scopes
        .clone()
        .unwrap_or_else(|| config.scopes.clone());
    account.oauth_config = Some(OAuthConfig {
        authorize_url: config.authorize_url.to_string(),
        token_url: config.token_url.to_string(),
        client_id: config.client_id.clone(),
    });
    ensure_label_free(store, &account.label).await?;
    secrets.set(
        &account.id,
        &tokens.into_stored(config.client_secret.clone()),
    )?;
    if let Err(e) = store.insert(&account).await {
        let _ = secrets.delete(&account.id);
        return Err(e);
    }
    Ok(account)
}

/// Stores fresh tokens for an account that needed re-linking and marks it active again.
pub async fn relink_oauth_account(
    store: &AccountStore,
    secrets: &dyn SecretStore,
    account_id: &str,
    config: &OAuthClientConfig,
    tokens: TokenSet,
) -> Result<Account> {
    let account = store
        .get(account_id)
        .await?
        .ok_or_else(|| Error::not_found("That account is no longer linked."))?;
    if account.vendor != config.vendor {
        return Err(Error::validation(format!(
            "The account is a {} account, not {}.",
            account.vendor, config.vendor
        )));
    }
    secrets.set(
        &account.id,
        &tokens.into_stored(config.client_secret.clone()),
    )?;
    store.set_status(&account.id, AccountStatus::Active).await?;
    store
        .get(&account.id)
        .await?
        .ok_or_else(|| Error::not_found("That account is no longer linked."))
}

/// The credentials an account's requests use: its API key as is, or a token manager that
/// refreshes its OAuth tokens and marks it "needs re-link" through `sink` when refused.
pub fn credentials_for(
    account: &Account,
    secrets: Arc<dyn SecretStore>,
    sink: Arc<dyn AccountStatusSink>,
) -> Result<Arc<dyn CredentialProvider>> {
    match account.auth_kind {
        AuthKind::ApiKey => accounts::stored_credentials(account, secrets.as_ref()),
        AuthKind::OAuth => {
            let config = account.oauth_config.as_ref().ok_or_else(|| {
                Error::internal("This OAuth account has no OAuth settings; link it again.")
            })?;
            let token_url = url::Url::parse(&config.token_url)
                .map_err(|e| Error::internal(format!("The account's token URL is invalid: {e}")))?;
            let endpoint = TokenEndpoint {
                vendor: account.vendor,
                token_url,
                client_id: config.client_id.clone(),
            };
            let manager = OAuthTokenManager::new(account.id.clone(), endpoint, secrets, sink)?;
            Ok(Arc::new(manager))
        }
    }
}

#[async_trait]
impl AccountStatusSink for AccountStore {
    async fn needs_relink(&self, account_id: &str) {
        if let Err(e) = self
            .set_status(account_id, AccountStatus::NeedsRelink)
            .await
        {
            tracing::warn!(
                account_id,
                "could not mark the account as needing re-link: {e}"
            );
        }
    }
}
