//! Events the shell sends to the UI. Their TypeScript types are generated with the commands'.

use hirebridge_core::accounts::Account;
use hirebridge_core::{Error, Vendor};
use serde::{Deserialize, Serialize};

/// A `hirebridge://` link reached the app: either a screen to open, prefilled for the user to
/// confirm, or a refusal to show. A deep link never links or changes anything by itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DeepLinkEvent {
    /// Open the linking step for `vendor`, with the label prefilled.
    LinkAccount {
        vendor: Vendor,
        label: Option<String>,
    },
    /// An OAuth redirect through the custom scheme; the linking flow in progress consumes it.
    #[serde(rename = "oauth_callback")]
    OAuthCallback { received: bool },
    /// The link was refused; `message` says why, in words a recruiter understands.
    Refused { message: String },
}

/// How an OAuth linking attempt is going. Never carries the authorization URL's `state` or a
/// code: only the host the browser was sent to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LinkEvent {
    /// The consent page was opened in the browser; the app waits for the user there.
    Started {
        flow_id: String,
        vendor: Vendor,
        authorize_url_host: String,
    },
    /// The account is linked (or re-linked) and its tokens are in the keychain.
    Completed { flow_id: String, account: Account },
    /// The attempt ended without linking: refused, timed out, cancelled...
    Failed { flow_id: String, error: Error },
}

/// How a sync is going: progress per resource, a stage change, the end of a run or its
/// failure (the core's `SyncEvent`, as is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct SyncUpdateEvent(pub hirebridge_core::sync::SyncEvent);

/// The vendors became reachable again, or stopped being reachable. The cache stays browsable
/// either way; writes wait for `online`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ConnectivityEvent {
    pub online: bool,
}

/// What the shell tells the window, from code that does not know the runtime type.
#[derive(Debug, Clone)]
pub enum AppEvent {
    Sync(Box<hirebridge_core::sync::SyncEvent>),
    Connectivity(ConnectivityEvent),
}
