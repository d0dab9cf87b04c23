#![allow(dead_code)]
//! Shared helpers for the fake-ats integration tests (plain reqwest against a fake on loopback).

use fake_ats::{Config, RunningFake};
use serde_json::Value;

pub async fn start(cfg: Config) -> RunningFake {
    fake_ats::spawn(cfg).await.expect("fake-ats starts")
}

pub async fn start_small() -> RunningFake {
    start(Config {
        candidates: 300,
        rate_limits: false,
        auto_consent: true,
        ..Config::default()
    })
    .await
}

/// A client that does not follow redirects (OAuth tests read `Location`).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client builds")
}

pub fn is_iso_millis(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z'
        && chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

pub fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

pub fn assert_has(v: &Value, fields: &[&str]) {
    for f in fields {
        assert!(v.get(*f).is_some(), "missing field `{f}` in {v}");
    }
}

pub fn query_param(url: &str, key: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    u.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub fn pkce_pair() -> (String, String) {
    use base64::Engine;
    use sha2::Digest;
    let verifier = format!("{}-{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// Random bytes that are not valid UTF-8, to prove uploads are byte-exact.
pub fn binary_blob(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| ((i * 7919 + 13) % 251) as u8 ^ 0x80)
        .collect()
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
