//! The one HTTP client: auth injection, rate limits, retries with backoff, vendor errors.

mod client;
pub mod credentials;
mod error;
mod limiter;
mod retry;
mod upload;

pub use client::{
    AccountClient, HttpClient, HttpConfig, RequestBody, Target, VendorRequest, VendorResponse,
    header_str,
};
pub use credentials::{AuthHeader, CredentialProvider, StaticCredentials};
pub use error::{HttpError, kind_for_status, parse_vendor_error};
pub use limiter::{Lane, RateLimiter, RatePolicy};
pub use retry::{RetryPolicy, retry_after};
pub use upload::{CheckedFile, MultipartSpec, check_upload};

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod test_server;
