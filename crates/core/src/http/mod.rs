//! The one HTTP client: auth injection, rate limits, retries with backoff, vendor errors.

pub mod credentials;

pub use credentials::{AuthHeader, CredentialProvider, StaticCredentials};
