//! Events the shell sends to the UI. Their TypeScript types are generated with the commands'.

use hirebridge_core::Vendor;
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
