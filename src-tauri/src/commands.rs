//! The commands the UI calls. Each one is thin: read state, call the core, map the error.

use hirebridge_core::accounts::{self, Account, AuthKind};
use hirebridge_core::auth::{OAuthClientConfig, OAuthOverrides};
use hirebridge_core::secrets::{Secret, StoredSecret};
use hirebridge_core::{Error, ErrorKind, Vendor};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::demo::{DemoAccount, LinkMethod};
use crate::events::DeepLinkEvent;
use crate::flows::{self, FlowTarget};
use crate::state::AppState;

/// What the status bar shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub demo: bool,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, Error> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.data_dir()?.display().to_string(),
        demo: state.demo,
    })
}

/// Deep links that arrived before the UI listened. The UI starts listening for
/// `DeepLinkEvent` first, then calls this once; from then on links arrive only as events.
#[tauri::command]
#[specta::specta]
pub fn take_pending_deep_links(state: State<'_, AppState>) -> Vec<DeepLinkEvent> {
    let mut inbox = state.deep_links();
    inbox.ui_listening = true;
    std::mem::take(&mut inbox.pending)
}

/// The Accounts screen: every linked account and where their secrets are kept.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct AccountsOverview {
    pub accounts: Vec<Account>,
    /// The keychain holding the credentials, e.g. "Secret Service (GNOME Keyring)".
    pub keychain_backend: Option<String>,
    /// Why the keychain cannot be used (kind `keychain`); linking is impossible until fixed.
    pub keychain_error: Option<Error>,
}

#[tauri::command]
#[specta::specta]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<AccountsOverview, Error> {
    let services = state.services()?;
    let accounts = services.accounts.list().await?;
    let (keychain_backend, keychain_error) = match services.keychain_backend() {
        Ok(name) => (Some(name), None),
        Err(e) => (None, Some(e)),
    };
    Ok(AccountsOverview {
        accounts,
        keychain_backend,
        keychain_error,
    })
}

/// The keychain in use, or the `keychain` error.
#[tauri::command]
#[specta::specta]
pub fn keychain_backend(state: State<'_, AppState>) -> Result<String, Error> {
    state.services()?.keychain_backend()
}

/// Links an account with an API key, checked with one vendor call before it is saved. The key
/// crosses IPC this once, from the form to Rust; it is never sent back.
#[tauri::command]
#[specta::specta]
pub async fn link_api_key(
    state: State<'_, AppState>,
    vendor: Vendor,
    label: String,
    base_url: Option<String>,
    api_key: String,
) -> Result<Account, Error> {
    let services = state.services()?;
    let secrets = services.secrets()?;
    // In demo mode an empty API address means the demo server.
    let base_url =
        non_empty(base_url).or_else(|| services.demo.as_ref().map(|d| d.base_url(vendor)));
    accounts::link_api_key(
        &services.accounts,
        secrets.as_ref(),
        &services.http,
        vendor,
        &label,
        base_url.as_deref(),
        Secret::new(api_key),
    )
    .await
}

/// Where to sign in, when not the vendor's production servers. No client secret comes from
/// the UI.
#[derive(Debug, Clone, Default, Serialize, Deserialize, specta::Type)]
pub struct OAuthSettings {
    pub base_url: Option<String>,
    pub authorize_url: Option<String>,
    pub token_url: Option<String>,
    pub client_id: Option<String>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Starts linking through the vendor's consent page in the browser and returns the flow id at
/// once; `LinkEvent`s tell how it goes. In demo mode, the demo server's settings apply unless
/// `overrides` names an authorization URL.
#[tauri::command]
#[specta::specta]
pub async fn start_oauth_link(
    state: State<'_, AppState>,
    vendor: Vendor,
    label: String,
    overrides: Option<OAuthSettings>,
) -> Result<String, Error> {
    let settings = overrides.unwrap_or_default();
    let custom_server = settings
        .authorize_url
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty());
    let services = state.services()?;
    // In demo mode the vendors are the demo servers, unless the user named another server.
    let oauth = match services.demo.as_ref() {
        Some(demo) if !custom_server => demo.oauth_overrides(vendor),
        _ => OAuthOverrides {
            base_url: non_empty(settings.base_url),
            authorize_url: non_empty(settings.authorize_url),
            token_url: non_empty(settings.token_url),
            client_id: non_empty(settings.client_id),
            ..Default::default()
        },
    };
    let base_url = oauth.base_url.clone();
    let config = OAuthClientConfig::for_vendor(vendor, oauth).map_err(Error::from)?;
    let label = checked_label(&label)?;
    flows::start(&state, config, FlowTarget::NewAccount { label, base_url }).await
}

fn checked_label(label: &str) -> Result<String, Error> {
    let label = label.trim();
    if label.is_empty() {
        return Err(Error::validation("Give the account a label."));
    }
    Ok(label.to_owned())
}

/// Stops waiting for the browser.
#[tauri::command]
#[specta::specta]
pub fn cancel_oauth_link(state: State<'_, AppState>, flow_id: String) -> Result<(), Error> {
    flows::cancel(&state, &flow_id)
}

/// Signs in again to an OAuth account marked "needs re-link", with the settings it was linked
/// with; returns the flow id.
#[tauri::command]
#[specta::specta]
pub async fn relink_account(state: State<'_, AppState>, id: String) -> Result<String, Error> {
    let services = state.services()?;
    let account = services
        .accounts
        .get(&id)
        .await?
        .ok_or_else(|| Error::not_found("That account is no longer linked."))?;
    let (AuthKind::OAuth, Some(oauth)) = (account.auth_kind, account.oauth_config.as_ref()) else {
        return Err(Error::validation(
            "This account uses an API key: unlink it and link it again with a new key.",
        ));
    };
    let client_secret = match services.secrets()?.get(&account.id)? {
        Some(StoredSecret::OAuth { client_secret, .. }) => client_secret,
        _ => None,
    };
    let config = OAuthClientConfig::for_vendor(
        account.vendor,
        OAuthOverrides {
            base_url: Some(account.base_url.clone()),
            authorize_url: Some(oauth.authorize_url.clone()),
            token_url: Some(oauth.token_url.clone()),
            client_id: Some(oauth.client_id.clone()),
            client_secret,
            scopes: (!account.scopes.is_empty()).then(|| account.scopes.clone()),
            ..Default::default()
        },
    )
    .map_err(Error::from)?;
    flows::start(
        &state,
        config,
        FlowTarget::Relink {
            account_id: account.id,
        },
    )
    .await
}

/// Removes the account, its keychain entry and (by cascade) its cached data.
#[tauri::command]
#[specta::specta]
pub async fn unlink_account(state: State<'_, AppState>, id: String) -> Result<(), Error> {
    let services = state.services()?;
    let secrets = services.secrets()?;
    let account = services.accounts.remove(&id, secrets.as_ref()).await?;
    services.forget_credentials(&account.id);
    log::info!("unlinked a {} account", account.vendor);
    Ok(())
}

/// The demo accounts on offer (none outside demo mode).
#[tauri::command]
#[specta::specta]
pub fn demo_accounts(state: State<'_, AppState>) -> Result<Vec<DemoAccount>, Error> {
    Ok(state
        .services()?
        .demo
        .as_ref()
        .map(|d| d.accounts())
        .unwrap_or_default())
}

/// How linking a demo account began.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DemoLinkStart {
    /// An OAuth flow: the demo consent page is open in the browser.
    Started { flow_id: String },
    /// An API-key account, linked already.
    Linked { account: Account },
}

/// Links a demo account through the same flows as a real one, with the demo server's
/// settings; its key and client secret stay in Rust.
#[tauri::command]
#[specta::specta]
pub async fn link_demo_account(
    state: State<'_, AppState>,
    vendor: Vendor,
    label: String,
) -> Result<DemoLinkStart, Error> {
    let services = state.services()?;
    let Some(demo) = services.demo.as_ref() else {
        return Err(Error::new(
            ErrorKind::Validation,
            "Demo accounts exist only in demo mode (start Hirebridge with --demo).",
        ));
    };
    let label = checked_label(&label)?;
    match crate::demo::Demo::method(vendor) {
        LinkMethod::OAuth => {
            let config = OAuthClientConfig::for_vendor(vendor, demo.oauth_overrides(vendor))
                .map_err(Error::from)?;
            let target = FlowTarget::NewAccount {
                label,
                base_url: Some(demo.base_url(vendor)),
            };
            let flow_id = flows::start(&state, config, target).await?;
            Ok(DemoLinkStart::Started { flow_id })
        }
        LinkMethod::ApiKey => {
            let secrets = services.secrets()?;
            let account = accounts::link_api_key(
                &services.accounts,
                secrets.as_ref(),
                &services.http,
                vendor,
                &label,
                Some(&demo.base_url(vendor)),
                demo.api_key(vendor),
            )
            .await?;
            Ok(DemoLinkStart::Linked { account })
        }
    }
}
