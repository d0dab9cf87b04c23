//! Raw pass-through to any vendor endpoint.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::http::{AccountClient, VendorRequest};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyRequest {
    pub method: String,
    /// Path under the account's base URL, e.g. `/candidates/42` or `/user-api/v201804/users`.
    pub path: String,
    #[serde(default)]
    pub query: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum ProxyBody {
    Empty,
    Json(serde_json::Value),
    /// Non-JSON answers (files, text), as received.
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ProxyBody,
}

/// Headers worth passing back (never cookies or anything auth-related).
const PASSED_HEADERS: &[&str] = &[
    "content-type",
    "link",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-concurrent-limit",
    "x-ratelimit-concurrent-remaining",
    "retry-after",
];

pub(crate) async fn send(client: &AccountClient, request: &ProxyRequest) -> Result<ProxyResponse> {
    let method = Method::from_bytes(request.method.trim().to_ascii_uppercase().as_bytes())
        .map_err(|_| Error::validation(format!("\"{}\" is not an HTTP method.", request.method)))?;
    let mut call = VendorRequest::new(method, request.path.clone()).queries(&request.query);
    if let Some(body) = &request.body {
        call = call.json(body.clone());
    }
    let response = client.send(&call).await?;
    let headers = PASSED_HEADERS
        .iter()
        .filter_map(|name| {
            response
                .headers
                .get(*name)
                .and_then(|v| v.to_str().ok())
                .map(|v| ((*name).to_owned(), v.to_owned()))
        })
        .collect();
    let is_json = response
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("json"));
    let body = if response.body.is_empty() {
        ProxyBody::Empty
    } else if is_json {
        match serde_json::from_slice(&response.body) {
            Ok(v) => ProxyBody::Json(v),
            Err(_) => ProxyBody::Bytes(response.body.to_vec()),
        }
    } else {
        ProxyBody::Bytes(response.body.to_vec())
    };
    Ok(ProxyResponse {
        status: response.status,
        headers,
        body,
    })
}
