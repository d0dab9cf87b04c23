//! OAuth 2.0 authorization code with PKCE over a loopback redirect, and the token manager.

pub mod callback;
