//! Raw pass-through to any vendor endpoint.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use crate::http::{AccountClient, Lane, VendorRequest};
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
    send_in_lane(client, request, Lane::Interactive).await
}

/// The vendor call a proxy request stands for, queued in `lane`.
fn vendor_request(request: &ProxyRequest, lane: Lane) -> Result<VendorRequest> {
    let method = Method::from_bytes(request.method.trim().to_ascii_uppercase().as_bytes())
        .map_err(|_| Error::validation(format!("\"{}\" is not an HTTP method.", request.method)))?;
    let mut call = VendorRequest::new(method, request.path.clone())
        .queries(&request.query)
        .lane(lane);
    if let Some(body) = &request.body {
        call = call.json(body.clone());
    }
    Ok(call)
}

pub(crate) async fn send_in_lane(
    client: &AccountClient,
    request: &ProxyRequest,
    lane: Lane,
) -> Result<ProxyResponse> {
    let call = vendor_request(request, lane)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str) -> ProxyRequest {
        ProxyRequest {
            method: "get".into(),
            path: path.into(),
            query: vec![("limit".into(), "100".into())],
            body: None,
        }
    }

    #[test]
    fn the_call_is_queued_in_the_lane_asked_for() {
        let call = vendor_request(&get("/opportunities/deleted"), Lane::Background)
            .expect("a GET is a method");
        assert_eq!(call.lane, Lane::Background);
        assert_eq!(call.method, Method::GET);
        assert_eq!(call.query, vec![("limit".to_owned(), "100".to_owned())]);
        let call = vendor_request(&get("/x"), Lane::Interactive).expect("a GET is a method");
        assert_eq!(call.lane, Lane::Interactive);
    }

    #[test]
    fn an_unknown_method_is_refused() {
        let mut request = get("/x");
        request.method = "NOT A METHOD".into();
        assert!(vendor_request(&request, Lane::Interactive).is_err());
    }
}
