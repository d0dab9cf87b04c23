//! The one HTTP client, and the per-account view of it that every connector calls through.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use tokio::io::AsyncWriteExt;
use tracing::Instrument;
use url::Url;

use super::credentials::{AuthHeader, CredentialProvider};
use super::error::{HttpError, parse_vendor_error};
use super::limiter::{Lane, LimiterRegistry, RateLimiter};
use super::retry::{RetryPolicy, exhausted_budget_pause, retry_after, retryable_status};
use super::upload::MultipartSpec;
use crate::Vendor;

/// Timeouts, size limits and retries for every vendor call.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    /// Longest silence while reading a response (uploads and downloads have no total limit).
    pub read_timeout: Duration,
    /// Total time for one JSON call. SmartRecruiters advises clients to allow at least 128 s.
    pub request_timeout: Duration,
    /// Largest JSON response read into memory.
    pub max_body_bytes: u64,
    /// Largest file downloaded to disk.
    pub max_download_bytes: u64,
    pub retry: RetryPolicy,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(130),
            max_body_bytes: 32 * 1024 * 1024,
            max_download_bytes: 200 * 1024 * 1024,
            retry: RetryPolicy::default(),
        }
    }
}

/// The shared client: one connection pool and one rate limiter per account.
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    config: Arc<HttpConfig>,
    limiters: Arc<LimiterRegistry>,
}

impl HttpClient {
    pub fn new(config: HttpConfig) -> crate::Result<Self> {
        let inner = reqwest::Client::builder()
            .user_agent(concat!("Hirebridge/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .redirect(same_host_redirects())
            .build()
            .map_err(|e| crate::Error::internal(format!("Could not build the HTTP client: {e}")))?;
        Ok(Self {
            inner,
            config: Arc::new(config),
            limiters: Arc::new(LimiterRegistry::default()),
        })
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// The client of one account: its base URL, credential and rate limiter.
    pub fn for_account(
        &self,
        account_id: &str,
        vendor: Vendor,
        base_url: &str,
        credentials: Arc<dyn CredentialProvider>,
    ) -> crate::Result<AccountClient> {
        let base = Url::parse(base_url.trim_end_matches('/')).map_err(|e| {
            crate::Error::validation(format!("The account's base URL {base_url} is invalid: {e}"))
        })?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(crate::Error::validation(format!(
                "The account's base URL {base_url} must be an http(s) URL."
            )));
        }
        Ok(AccountClient {
            http: self.clone(),
            account_id: account_id.to_owned(),
            vendor,
            base,
            credentials,
            limiter: self.limiters.for_account(account_id, vendor),
        })
    }
}

/// Follows redirects only within the host the request was sent to.
fn same_host_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(origin);
        if attempt.previous().len() >= 5 {
            attempt.error("too many redirects")
        } else if first.as_ref() == Some(&origin(attempt.url())) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn origin(url: &Url) -> (String, Option<String>, Option<u16>) {
    (
        url.scheme().to_owned(),
        url.host_str().map(str::to_owned),
        url.port_or_known_default(),
    )
}

/// Where a request goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A path under the account's base URL, e.g. `/candidates/42`.
    Path(String),
    /// A full URL the vendor gave us (a HATEOAS link, a download URL): must be on the same host.
    Absolute(String),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum RequestBody {
    #[default]
    Empty,
    Json(serde_json::Value),
    Multipart(MultipartSpec),
}

/// Connection attempts for a call a person is waiting on (about 0.3 s of backoff in all).
const INTERACTIVE_CONNECT_ATTEMPTS: u32 = 3;

/// Attempts in all after a network error. A host that refuses connections is most likely
/// unreachable: a person waiting on a click hears so within a second, where background work
/// rides it out with the policy's full count.
fn network_attempts(policy: &RetryPolicy, lane: Lane, refused: bool) -> u32 {
    if refused && lane == Lane::Interactive {
        policy.max_attempts.min(INTERACTIVE_CONNECT_ATTEMPTS)
    } else {
        policy.max_attempts
    }
}

/// One vendor call, described as data so it can be sent again on a retry.
#[derive(Debug, Clone, PartialEq)]
pub struct VendorRequest {
    pub method: Method,
    pub target: Target,
    pub query: Vec<(String, String)>,
    pub body: RequestBody,
    pub lane: Lane,
    /// Route class of which only one request may be in flight (SR `GET /candidates`).
    pub single_flight: Option<&'static str>,
}

impl VendorRequest {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            target: Target::Path(path.into()),
            query: Vec::new(),
            body: RequestBody::Empty,
            lane: Lane::Interactive,
            single_flight: None,
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn absolute(method: Method, url: impl Into<String>) -> Self {
        Self {
            target: Target::Absolute(url.into()),
            ..Self::new(method, "")
        }
    }

    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    pub fn query_opt(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    pub fn queries(mut self, extra: &[(String, String)]) -> Self {
        self.query.extend(extra.iter().cloned());
        self
    }

    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = RequestBody::Json(body);
        self
    }

    pub fn multipart(mut self, spec: MultipartSpec) -> Self {
        self.body = RequestBody::Multipart(spec);
        self
    }

    pub fn lane(mut self, lane: Lane) -> Self {
        self.lane = lane;
        self
    }

    pub fn single_flight(mut self, key: &'static str) -> Self {
        self.single_flight = Some(key);
        self
    }

    fn idempotent(&self) -> bool {
        matches!(
            self.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        )
    }
}

/// A successful vendor answer, read in full.
#[derive(Debug, Clone)]
pub struct VendorResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
    vendor: Vendor,
}

impl VendorResponse {
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, HttpError> {
        serde_json::from_slice(&self.body).map_err(|e| HttpError::Decode {
            vendor: self.vendor,
            detail: e.to_string(),
        })
    }
}

enum Sink<'a> {
    Memory,
    File(&'a Path),
}

enum Received {
    Memory(Bytes),
    File(u64),
}

/// One account's way to its vendor: auth, rate limit, retries, errors.
#[derive(Clone)]
pub struct AccountClient {
    http: HttpClient,
    account_id: String,
    vendor: Vendor,
    base: Url,
    credentials: Arc<dyn CredentialProvider>,
    limiter: Arc<RateLimiter>,
}

impl AccountClient {
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    pub fn limiter(&self) -> &RateLimiter {
        &self.limiter
    }

    /// Sends `request` and reads the whole (size-limited) answer. Error statuses become errors.
    pub async fn send(&self, request: &VendorRequest) -> Result<VendorResponse, HttpError> {
        let (status, headers, received) = self.execute(request, Sink::Memory).await?;
        let body = match received {
            Received::Memory(b) => b,
            Received::File(_) => Bytes::new(),
        };
        Ok(VendorResponse {
            status,
            headers,
            body,
            vendor: self.vendor,
        })
    }

    /// Sends `request` and decodes the JSON answer.
    pub async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        request: &VendorRequest,
    ) -> Result<T, HttpError> {
        self.send(request).await?.json()
    }

    /// Streams the answer to `dest` (through a `.part` file renamed at the end); returns its size.
    pub async fn download(&self, request: &VendorRequest, dest: &Path) -> Result<u64, HttpError> {
        match self.execute(request, Sink::File(dest)).await? {
            (_, _, Received::File(n)) => Ok(n),
            (_, _, Received::Memory(_)) => {
                Err(HttpError::Invalid("download went to memory".into()))
            }
        }
    }

    fn resolve(&self, request: &VendorRequest) -> Result<Url, HttpError> {
        let mut url = match &request.target {
            Target::Path(path) => {
                if !path.starts_with('/')
                    || path.starts_with("//")
                    || path.contains('\\')
                    || path.split('/').any(|seg| seg == ".." || seg == ".")
                    || path.contains(['?', '#'])
                {
                    return Err(HttpError::Invalid(format!(
                        "\"{path}\" is not a valid API path: it must start with / and contain no .., ? or #."
                    )));
                }
                let joined = format!("{}{}", self.base.as_str().trim_end_matches('/'), path);
                Url::parse(&joined)
                    .map_err(|e| HttpError::Invalid(format!("Bad path {path}: {e}")))?
            }
            Target::Absolute(raw) => {
                let url = Url::parse(raw).map_err(|_| HttpError::OffHost {
                    url: raw.chars().take(200).collect(),
                })?;
                if origin(&url) != origin(&self.base) {
                    return Err(HttpError::OffHost {
                        url: format!("{}://{}", url.scheme(), url.host_str().unwrap_or("?")),
                    });
                }
                url
            }
        };
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(request.query.iter());
        }
        Ok(url)
    }

    async fn build(
        &self,
        request: &VendorRequest,
        url: &Url,
        auth: &AuthHeader,
        sink: &Sink<'_>,
    ) -> Result<reqwest::Request, HttpError> {
        let mut builder = self
            .http
            .inner
            .request(request.method.clone(), url.clone())
            .header(reqwest::header::ACCEPT, "application/json");
        if matches!(sink, Sink::Memory) {
            builder = builder.timeout(self.http.config.request_timeout);
        }
        builder = match &request.body {
            RequestBody::Empty => builder,
            RequestBody::Json(v) => builder.json(v),
            RequestBody::Multipart(spec) => builder.multipart(spec.build().await?),
        };
        let mut built = auth.apply(builder).build().map_err(|e| {
            HttpError::Invalid(format!("Could not build the request: {}", e.without_url()))
        })?;
        // Keeps the key out of any Debug output of the request (hyper, reqwest, ours).
        for name in ["x-smarttoken", "x-api-key", "authorization"] {
            if let Some(v) = built.headers_mut().get_mut(name) {
                v.set_sensitive(true);
            }
        }
        Ok(built)
    }

    async fn execute(
        &self,
        request: &VendorRequest,
        sink: Sink<'_>,
    ) -> Result<(u16, HeaderMap, Received), HttpError> {
        let url = self.resolve(request)?;
        let request_id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
        // Path only: query strings may carry cursors and filters nobody needs in a log.
        let span = tracing::info_span!(
            "vendor_call",
            request_id = %request_id,
            vendor = self.vendor.as_str(),
            account = %self.account_id,
            method = %request.method,
            path = url.path(),
        );
        self.execute_inner(request, &url, sink)
            .instrument(span)
            .await
    }

    async fn execute_inner(
        &self,
        request: &VendorRequest,
        url: &Url,
        sink: Sink<'_>,
    ) -> Result<(u16, HeaderMap, Received), HttpError> {
        let retry = &self.http.config.retry;
        let idempotent = request.idempotent();
        let mut auth = self
            .credentials
            .current()
            .await
            .map_err(HttpError::Credential)?;
        let mut reauthenticated = false;
        let mut attempt = 0u32;
        let mut rate_limited_for = 0u32;
        let mut first_429: Option<tokio::time::Instant> = None;
        loop {
            attempt += 1;
            let permit = self
                .limiter
                .acquire(request.lane, request.single_flight)
                .await;
            let built = self.build(request, url, &auth, &sink).await?;
            let started = tokio::time::Instant::now();
            let outcome = self.http.inner.execute(built).await;
            let response = match outcome {
                Ok(r) => r,
                Err(e) => {
                    let refused = e.is_connect();
                    let retriable = refused
                        || (idempotent && (e.is_timeout() || e.is_request() || e.is_body()));
                    let detail = network_detail(e);
                    drop(permit);
                    if retriable && attempt < network_attempts(retry, request.lane, refused) {
                        let wait = retry.backoff(attempt);
                        tracing::warn!(attempt, wait_ms = wait.as_millis() as u64, error = %detail, "network error, retrying");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    tracing::warn!(attempt, error = %detail, "network error");
                    return Err(HttpError::Network {
                        vendor: self.vendor,
                        detail,
                    });
                }
            };
            let status = response.status();
            let headers = response.headers().clone();
            tracing::debug!(
                status = status.as_u16(),
                attempt,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "vendor answered"
            );
            if let Some(pause) = exhausted_budget_pause(&headers) {
                self.limiter.pause(pause);
            }
            if status == StatusCode::UNAUTHORIZED && !reauthenticated {
                reauthenticated = true;
                drop(permit);
                match self.credentials.after_unauthorized(&auth).await {
                    Ok(Some(fresh)) => {
                        tracing::info!("credential refused, retrying once with a fresh one");
                        auth = fresh;
                        attempt -= 1;
                        continue;
                    }
                    Ok(None) => {}
                    Err(e) => return Err(HttpError::Credential(e)),
                }
                return Err(self.status_error(status, response).await);
            }
            let rate_limited = status == StatusCode::TOO_MANY_REQUESTS;
            if rate_limited {
                rate_limited_for += 1;
            }
            let wait = retry_after(&headers)
                .map(|d| d.min(retry.max_retry_after))
                .unwrap_or_else(|| {
                    retry.backoff(if rate_limited {
                        rate_limited_for
                    } else {
                        attempt
                    })
                });
            let retry_now = if rate_limited {
                let since = *first_429.get_or_insert_with(tokio::time::Instant::now);
                since.elapsed() + wait <= retry.rate_limit_budget
            } else {
                retryable_status(status.as_u16(), idempotent) && attempt < retry.max_attempts
            };
            if retry_now {
                if rate_limited {
                    // A 429 is not a failed attempt: it did nothing.
                    attempt -= 1;
                    self.limiter.pause(wait);
                }
                drop(response);
                drop(permit);
                tracing::warn!(
                    status = status.as_u16(),
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            if !status.is_success() {
                let err = self.status_error(status, response).await;
                tracing::warn!(status = status.as_u16(), attempt, "vendor refused the call");
                return Err(err);
            }
            match self.receive(response, &sink).await {
                Ok(received) => return Ok((status.as_u16(), headers, received)),
                Err(HttpError::Network { detail, .. })
                    if idempotent && attempt < retry.max_attempts =>
                {
                    drop(permit);
                    let wait = retry.backoff(attempt);
                    tracing::warn!(attempt, error = %detail, "body cut off, retrying");
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn receive(
        &self,
        response: reqwest::Response,
        sink: &Sink<'_>,
    ) -> Result<Received, HttpError> {
        match sink {
            Sink::Memory => {
                let limit = self.http.config.max_body_bytes;
                read_limited(response, limit, self.vendor)
                    .await
                    .map(Received::Memory)
            }
            Sink::File(dest) => self
                .stream_to_file(response, dest)
                .await
                .map(Received::File),
        }
    }

    async fn stream_to_file(
        &self,
        response: reqwest::Response,
        dest: &Path,
    ) -> Result<u64, HttpError> {
        let limit = self.http.config.max_download_bytes;
        if response.content_length().is_some_and(|n| n > limit) {
            return Err(HttpError::BodyTooLarge {
                vendor: self.vendor,
                limit,
            });
        }
        let part = dest.with_extension(match dest.extension() {
            Some(ext) => format!("{}.part", ext.to_string_lossy()),
            None => "part".to_owned(),
        });
        let io_err = |e: std::io::Error| HttpError::Io {
            path: dest.display().to_string(),
            detail: e.to_string(),
        };
        let mut file = tokio::fs::File::create(&part).await.map_err(io_err)?;
        let mut written = 0u64;
        let mut stream = response.bytes_stream();
        let result: Result<(), HttpError> = async {
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| HttpError::Network {
                    vendor: self.vendor,
                    detail: network_detail(e),
                })?;
                written += chunk.len() as u64;
                if written > limit {
                    return Err(HttpError::BodyTooLarge {
                        vendor: self.vendor,
                        limit,
                    });
                }
                file.write_all(&chunk).await.map_err(io_err)?;
            }
            file.flush().await.map_err(io_err)?;
            file.sync_all().await.map_err(io_err)?;
            Ok(())
        }
        .await;
        drop(file);
        if let Err(e) = result {
            let _ = tokio::fs::remove_file(&part).await;
            return Err(e);
        }
        tokio::fs::rename(&part, dest).await.map_err(io_err)?;
        Ok(written)
    }

    async fn status_error(&self, status: StatusCode, response: reqwest::Response) -> HttpError {
        let body = read_limited(response, 64 * 1024, self.vendor)
            .await
            .unwrap_or_default();
        let (vendor_code, message) = parse_vendor_error(&body);
        HttpError::Status {
            vendor: self.vendor,
            status: status.as_u16(),
            vendor_code,
            message,
        }
    }
}

async fn read_limited(
    response: reqwest::Response,
    limit: u64,
    vendor: Vendor,
) -> Result<Bytes, HttpError> {
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(HttpError::BodyTooLarge { vendor, limit });
    }
    let mut buf = BytesMut::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| HttpError::Network {
            vendor,
            detail: network_detail(e),
        })?;
        if (buf.len() + chunk.len()) as u64 > limit {
            return Err(HttpError::BodyTooLarge { vendor, limit });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// A network error without the URL (whose query could carry anything) and with its cause.
fn network_detail(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "the response was cut off"
    } else {
        "request failed"
    };
    let mut detail = kind.to_owned();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        detail = format!("{detail}: {s}");
        source = s.source();
    }
    detail
}

/// For tests and callers that need a header value they can show.
pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
}

#[cfg(test)]
mod network_attempts_tests {
    use super::*;

    #[test]
    fn a_refused_connection_gives_up_sooner_only_where_a_person_waits() {
        let policy = RetryPolicy::default();
        assert_eq!(network_attempts(&policy, Lane::Interactive, true), 3);
        assert_eq!(
            network_attempts(&policy, Lane::Background, true),
            policy.max_attempts
        );
        // A connection cut mid-request (a reset, a truncated body) keeps the full count.
        assert_eq!(
            network_attempts(&policy, Lane::Interactive, false),
            policy.max_attempts
        );
    }
}
