//! The token endpoint's HTTP client: reqwest 0.13 behind `oauth2`'s `AsyncHttpClient`, with
//! redirects off (a token request must never be replayed to another host) and a size cap.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};

/// Token responses are a few hundred bytes; anything past this is refused.
const MAX_BODY_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone)]
pub struct TokenHttpClient {
    inner: reqwest::Client,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenHttpError {
    #[error("{0}")]
    Request(#[from] reqwest::Error),
    #[error("the response was larger than {MAX_BODY_BYTES} bytes")]
    TooLarge,
    #[error("invalid response: {0}")]
    Http(#[from] oauth2::http::Error),
    /// 429 or 5xx: the server is busy or failing, whatever its body says; worth trying again.
    #[error("the server answered HTTP {status}")]
    Unavailable {
        status: u16,
        retry_after: Option<Duration>,
    },
}

impl TokenHttpClient {
    pub fn new() -> Result<Self, TokenHttpError> {
        let inner = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("Hirebridge/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { inner })
    }
}

impl<'c> AsyncHttpClient<'c> for TokenHttpClient {
    type Error = TokenHttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let request = reqwest::Request::try_from(request)?;
            let mut response = self.inner.execute(request).await?;
            let status = response.status();
            if status.as_u16() == 429 || status.is_server_error() {
                return Err(TokenHttpError::Unavailable {
                    status: status.as_u16(),
                    retry_after: crate::http::retry_after(response.headers()),
                });
            }
            let mut builder = oauth2::http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(TokenHttpError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(builder.body(body)?)
        })
    }
}
