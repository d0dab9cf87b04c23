//! OAuth 2.0 authorization code with PKCE over a loopback redirect (or a deep link), and the
//! token manager that keeps an account's access token fresh.

pub mod account_link;
pub mod callback;
pub mod config;
pub mod error;
pub mod flow;
pub mod http_client;
pub mod loopback;
pub mod token_manager;
pub mod tokens;

pub use account_link::{
    DEFAULT_LINK_TIMEOUT, OAuthLinkRequest, credentials_for, link_oauth_account,
    relink_oauth_account, save_oauth_account,
};
pub use callback::CallbackParams;
pub use config::{OAuthClientConfig, OAuthOverrides};
pub use error::OAuthError;
pub use flow::{BrowserOpener, NoBrowser, OAuthFlow, PendingFlow, RedirectMode};
pub use token_manager::{AccountStatusSink, OAuthTokenManager, TokenEndpoint};
pub use tokens::TokenSet;
/// The URL type of the flow API, so callers need no `url` dependency of their own.
pub use url::Url;
