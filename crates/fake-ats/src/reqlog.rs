//! The request log tests read back: what the client sent, with secret values masked.

use std::sync::Mutex;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::util::{lock, mask};

const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-smarttoken",
    "x-api-key",
    "cookie",
    "proxy-authorization",
];
const SECRET_PARAMS: &[&str] = &[
    "client_secret",
    "code",
    "code_verifier",
    "refresh_token",
    "access_token",
    "key",
    "api_key",
    "password",
];
/// Oldest entries are dropped past this many, so a long demo session cannot grow without bound.
const MAX_ENTRIES: usize = 50_000;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub seq: u64,
    pub at_ms: i64,
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub status: u16,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<(u64, Vec<LogEntry>)>,
}

impl RequestLog {
    pub fn entries(&self) -> Vec<LogEntry> {
        lock(&self.entries).1.clone()
    }
    pub fn clear(&self) {
        lock(&self.entries).1.clear();
    }
    fn push(&self, mut e: LogEntry) {
        let mut g = lock(&self.entries);
        g.0 += 1;
        e.seq = g.0;
        if g.1.len() >= MAX_ENTRIES {
            g.1.remove(0);
        }
        g.1.push(e);
    }
}

pub fn masked_query(query: &str) -> String {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| {
            let v = if SECRET_PARAMS.contains(&k.as_ref()) {
                mask(&v)
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    crate::util::encode_query(&pairs)
}

pub fn masked_header(name: &str, value: &str) -> String {
    if !SECRET_HEADERS.contains(&name) {
        return value.to_string();
    }
    // Keep the scheme ("Bearer", "Basic") so tests can see which auth kind was used.
    match value.split_once(' ') {
        Some((scheme, secret)) if name.ends_with("authorization") => {
            format!("{scheme} {}", mask(secret))
        }
        _ => mask(value),
    }
}

pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/admin") {
        return next.run(req).await;
    }
    let method = req.method().to_string();
    let query = masked_query(req.uri().query().unwrap_or(""));
    let headers = req
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                masked_header(k.as_str(), &String::from_utf8_lossy(v.as_bytes())),
            )
        })
        .collect();
    let at_ms = chrono::Utc::now().timestamp_millis();
    let resp = next.run(req).await;
    state.log.push(LogEntry {
        seq: 0,
        at_ms,
        method,
        path,
        query,
        headers,
        status: resp.status().as_u16(),
    });
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked() {
        assert_eq!(
            masked_header("authorization", "Bearer abcdefghijk"),
            "Bearer abcd***"
        );
        assert_eq!(masked_header("x-smarttoken", "DCRA1-0123456789"), "DCRA***");
        assert_eq!(
            masked_header("accept", "application/json"),
            "application/json"
        );
        let q = masked_query("code=SECRETCODE&state=xyz&client_secret=topsecret");
        assert!(!q.contains("SECRETCODE") && !q.contains("topsecret") && q.contains("state=xyz"));
    }
}
