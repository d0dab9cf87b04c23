//! Fault injection: a grammar for `--faults`, and counters consumed by the next N vendor API requests.
//!
//! Grammar (comma-separated `key=value`, any order, all optional):
//! `latency=200ms` (or `1s`; added to every API request until cleared), `429burst=N` (the next N API
//! requests get 429), `retry-after=S` (those 429s carry `Retry-After: S`; without it they carry none),
//! `5xx=N` (the next N get 503), `reset=N` (the next N have their connection dropped without a response),
//! `truncate=N` (the next N send the head and 16 body bytes, then close), `expire=N` / `revoke=N` (the next
//! N Bearer requests first expire all access tokens / revoke all grants of their vendor),
//! `vendor=smartrecruiters|lever|unberry` (restrict the counted faults to one vendor). Counted faults are consumed in this order: 429 burst, 5xx,
//! reset, truncate; each request consumes at most one.
//!
//! The OAuth token endpoints have their own faults, which data-API requests never consume (and
//! the data-API faults above never touch a token request): `token-429=N` (with
//! `token-retry-after=S`, or none), `token-5xx=N`, `token-reset=N`, `token-truncate=N` (the token
//! logic runs, so a refresh token may have been rotated, then the answer is cut) and
//! `token-latency=2s`. They hit every grant type and honour `vendor=`.
//!
//! `drop-answer=N`: the next N data-API POSTs that succeed are carried out, then their connection
//! is dropped without a response byte (the "created at the vendor, never acknowledged" case);
//! `drop-answer-path=TEXT` counts only POSTs whose path below the vendor's API root contains TEXT
//! (e.g. `/attachments`). They honour `vendor=`.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::VendorId;
use crate::util::lock;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSpec {
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub too_many: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    #[serde(default)]
    pub server_errors: u32,
    #[serde(default)]
    pub resets: u32,
    #[serde(default)]
    pub truncates: u32,
    /// The next N Bearer requests first expire every live access token of their vendor.
    #[serde(default)]
    pub expire_tokens: u32,
    /// The next N Bearer requests first revoke every OAuth grant of their vendor.
    #[serde(default)]
    pub revoke_tokens: u32,
    /// `smartrecruiters`, `lever` or `unberry`; `None` = every vendor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// Latency added to every token-endpoint request.
    #[serde(default, skip_serializing_if = "is_zero_u64")]
    pub token_latency_ms: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub token_too_many: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_retry_after_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub token_server_errors: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub token_resets: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub token_truncates: u32,
    /// The next N successful data-API POSTs are carried out, then answered with a dropped connection.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub answer_drops: u32,
    /// Only POSTs whose route below the API root contains this count for `answer_drops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer_drop_path: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_zero_u64(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid fault spec: {0}")]
pub struct FaultSpecError(String);

fn parse_duration_ms(v: &str) -> Result<u64, FaultSpecError> {
    let bad = || FaultSpecError(format!("bad duration `{v}` (use e.g. 200ms or 2s)"));
    if let Some(n) = v.strip_suffix("ms") {
        n.trim().parse().map_err(|_| bad())
    } else if let Some(n) = v.strip_suffix('s') {
        n.trim().parse::<u64>().map(|s| s * 1000).map_err(|_| bad())
    } else {
        v.trim().parse().map_err(|_| bad())
    }
}

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut spec = FaultSpec::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| FaultSpecError(format!("`{part}` is not key=value")))?;
            let count = || {
                v.trim()
                    .parse::<u32>()
                    .map_err(|_| FaultSpecError(format!("`{k}` needs a count, got `{v}`")))
            };
            match k.trim() {
                "latency" => spec.latency_ms = parse_duration_ms(v)?,
                "429burst" | "429" => spec.too_many = count()?,
                "retry-after" => {
                    spec.retry_after_secs = Some(
                        v.trim()
                            .trim_end_matches('s')
                            .parse()
                            .map_err(|_| FaultSpecError(format!("bad retry-after `{v}`")))?,
                    )
                }
                "5xx" => spec.server_errors = count()?,
                "reset" => spec.resets = count()?,
                "truncate" => spec.truncates = count()?,
                "expire" => spec.expire_tokens = count()?,
                "token-latency" => spec.token_latency_ms = parse_duration_ms(v)?,
                "token-429" => spec.token_too_many = count()?,
                "token-retry-after" => {
                    spec.token_retry_after_secs = Some(
                        v.trim()
                            .trim_end_matches('s')
                            .parse()
                            .map_err(|_| FaultSpecError(format!("bad token-retry-after `{v}`")))?,
                    )
                }
                "token-5xx" => spec.token_server_errors = count()?,
                "token-reset" => spec.token_resets = count()?,
                "token-truncate" => spec.token_truncates = count()?,
                "drop-answer" => spec.answer_drops = count()?,
                "drop-answer-path" => {
                    let path = v.trim();
                    if path.is_empty() {
                        return Err(FaultSpecError("`drop-answer-path` needs a path".into()));
                    }
                    spec.answer_drop_path = Some(path.to_owned());
                }
                "revoke" => spec.revoke_tokens = count()?,
                "vendor" => {
                    let v = v.trim().to_ascii_lowercase();
                    if VendorId::from_name(&v).is_none() {
                        return Err(FaultSpecError(format!("unknown vendor `{v}`")));
                    }
                    spec.vendor = Some(v);
                }
                other => return Err(FaultSpecError(format!("unknown fault `{other}`"))),
            }
        }
        Ok(spec)
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.latency_ms > 0 {
            parts.push(format!("latency={}ms", self.latency_ms));
        }
        if self.too_many > 0 {
            parts.push(format!("429burst={}", self.too_many));
        }
        if let Some(s) = self.retry_after_secs {
            parts.push(format!("retry-after={s}"));
        }
        if self.server_errors > 0 {
            parts.push(format!("5xx={}", self.server_errors));
        }
        if self.resets > 0 {
            parts.push(format!("reset={}", self.resets));
        }
        if self.truncates > 0 {
            parts.push(format!("truncate={}", self.truncates));
        }
        if self.expire_tokens > 0 {
            parts.push(format!("expire={}", self.expire_tokens));
        }
        if self.revoke_tokens > 0 {
            parts.push(format!("revoke={}", self.revoke_tokens));
        }
        if self.token_latency_ms > 0 {
            parts.push(format!("token-latency={}ms", self.token_latency_ms));
        }
        if self.token_too_many > 0 {
            parts.push(format!("token-429={}", self.token_too_many));
        }
        if let Some(s) = self.token_retry_after_secs {
            parts.push(format!("token-retry-after={s}"));
        }
        if self.token_server_errors > 0 {
            parts.push(format!("token-5xx={}", self.token_server_errors));
        }
        if self.token_resets > 0 {
            parts.push(format!("token-reset={}", self.token_resets));
        }
        if self.token_truncates > 0 {
            parts.push(format!("token-truncate={}", self.token_truncates));
        }
        if self.answer_drops > 0 {
            parts.push(format!("drop-answer={}", self.answer_drops));
        }
        if let Some(p) = &self.answer_drop_path {
            parts.push(format!("drop-answer-path={p}"));
        }
        if let Some(v) = &self.vendor {
            parts.push(format!("vendor={v}"));
        }
        f.write_str(&parts.join(","))
    }
}

/// A token fault to apply before authenticating a Bearer request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFault {
    Expire,
    Revoke,
}

/// What the gate must do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    None,
    TooMany { retry_after_secs: Option<u64> },
    ServerError,
    Reset,
    Truncate,
}

#[derive(Debug, Default)]
pub struct Faults {
    state: Mutex<FaultSpec>,
}

impl Faults {
    pub fn new(spec: FaultSpec) -> Self {
        Self {
            state: Mutex::new(spec),
        }
    }
    pub fn set(&self, spec: FaultSpec) {
        *lock(&self.state) = spec;
    }
    pub fn current(&self) -> FaultSpec {
        lock(&self.state).clone()
    }
    pub fn latency(&self) -> Option<Duration> {
        let ms = lock(&self.state).latency_ms;
        (ms > 0).then(|| Duration::from_millis(ms))
    }
    /// Consume one token fault for a Bearer request to `vendor`, if any applies.
    pub fn next_token_fault(&self, vendor: VendorId) -> Option<TokenFault> {
        let mut s = lock(&self.state);
        if s.vendor.as_deref().is_some_and(|v| v != vendor.name()) {
            return None;
        }
        if s.revoke_tokens > 0 {
            s.revoke_tokens -= 1;
            return Some(TokenFault::Revoke);
        }
        if s.expire_tokens > 0 {
            s.expire_tokens -= 1;
            return Some(TokenFault::Expire);
        }
        None
    }

    /// Latency for a token-endpoint request.
    pub fn token_latency(&self) -> Option<Duration> {
        let ms = lock(&self.state).token_latency_ms;
        (ms > 0).then(|| Duration::from_millis(ms))
    }

    /// Consume one counted token-endpoint fault for a token request to `vendor`, if any applies.
    pub fn next_token(&self, vendor: VendorId) -> FaultAction {
        let mut s = lock(&self.state);
        if s.vendor.as_deref().is_some_and(|v| v != vendor.name()) {
            return FaultAction::None;
        }
        if s.token_too_many > 0 {
            s.token_too_many -= 1;
            return FaultAction::TooMany {
                retry_after_secs: s.token_retry_after_secs,
            };
        }
        if s.token_server_errors > 0 {
            s.token_server_errors -= 1;
            return FaultAction::ServerError;
        }
        if s.token_resets > 0 {
            s.token_resets -= 1;
            return FaultAction::Reset;
        }
        if s.token_truncates > 0 {
            s.token_truncates -= 1;
            return FaultAction::Truncate;
        }
        FaultAction::None
    }

    /// Whether the answer to a POST to `route` (below the API root) that succeeded must be
    /// dropped; consumes one `drop-answer` when it must.
    pub fn take_answer_drop(&self, vendor: VendorId, route: &str) -> bool {
        let mut s = lock(&self.state);
        if s.answer_drops == 0
            || s.vendor.as_deref().is_some_and(|v| v != vendor.name())
            || s.answer_drop_path
                .as_deref()
                .is_some_and(|p| !route.contains(p))
        {
            return false;
        }
        s.answer_drops -= 1;
        true
    }

    /// Consume one counted fault for a request to `vendor`, if any applies.
    pub fn next(&self, vendor: VendorId) -> FaultAction {
        let mut s = lock(&self.state);
        if let Some(v) = &s.vendor
            && v != vendor.name()
        {
            return FaultAction::None;
        }
        if s.too_many > 0 {
            s.too_many -= 1;
            return FaultAction::TooMany {
                retry_after_secs: s.retry_after_secs,
            };
        }
        if s.server_errors > 0 {
            s.server_errors -= 1;
            return FaultAction::ServerError;
        }
        if s.resets > 0 {
            s.resets -= 1;
            return FaultAction::Reset;
        }
        if s.truncates > 0 {
            s.truncates -= 1;
            return FaultAction::Truncate;
        }
        FaultAction::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_the_documented_grammar() {
        let spec: FaultSpec =
            "latency=200ms,429burst=5,retry-after=1,5xx=3,reset=2,truncate=1,expire=1,revoke=2"
                .parse()
                .expect("valid");
        assert_eq!((spec.expire_tokens, spec.revoke_tokens), (1, 2));
        assert_eq!(spec.latency_ms, 200);
        assert_eq!(spec.too_many, 5);
        assert_eq!(spec.retry_after_secs, Some(1));
        assert_eq!((spec.server_errors, spec.resets, spec.truncates), (3, 2, 1));
        assert_eq!(
            spec.to_string().parse::<FaultSpec>().expect("round trip"),
            spec
        );
        assert!("latency=fast".parse::<FaultSpec>().is_err());
        assert!("explode=1".parse::<FaultSpec>().is_err());
        assert!("vendor=workday".parse::<FaultSpec>().is_err());

        let token: FaultSpec = "token-latency=2s,token-429=2,token-retry-after=3,token-5xx=1,token-reset=1,token-truncate=4,drop-answer=2,drop-answer-path=/attachments"
            .parse()
            .expect("valid");
        assert_eq!(token.token_latency_ms, 2000);
        assert_eq!(
            (token.token_too_many, token.token_retry_after_secs),
            (2, Some(3))
        );
        assert_eq!(
            (
                token.token_server_errors,
                token.token_resets,
                token.token_truncates
            ),
            (1, 1, 4)
        );
        assert_eq!(
            (token.answer_drops, token.answer_drop_path.as_deref()),
            (2, Some("/attachments"))
        );
        assert_eq!(
            token.to_string().parse::<FaultSpec>().expect("round trip"),
            token
        );
        assert!("drop-answer-path=".parse::<FaultSpec>().is_err());
    }

    #[test]
    fn an_old_fault_object_still_reads() {
        // The admin API's JSON shape from before the token and answer-drop faults.
        let old: FaultSpec =
            serde_json::from_str(r#"{"latency_ms":0,"too_many":2,"server_errors":0,"resets":1,"truncates":0,"expire_tokens":0,"revoke_tokens":0}"#)
                .expect("old shape");
        assert_eq!((old.too_many, old.resets, old.token_too_many), (2, 1, 0));
        let printed = serde_json::to_value(&old).expect("json");
        assert!(printed.get("token_too_many").is_none(), "{printed}");
    }

    #[test]
    fn token_faults_are_separate_from_data_faults() {
        let f = Faults::new(
            "429burst=1,token-5xx=1,token-truncate=1,vendor=unberry"
                .parse()
                .expect("valid"),
        );
        assert_eq!(f.next_token(VendorId::Lever), FaultAction::None);
        assert_eq!(f.next_token(VendorId::Unberry), FaultAction::ServerError);
        assert_eq!(f.next_token(VendorId::Unberry), FaultAction::Truncate);
        assert_eq!(f.next_token(VendorId::Unberry), FaultAction::None);
        // The data-API burst is still there for a data request.
        assert_eq!(
            f.next(VendorId::Unberry),
            FaultAction::TooMany {
                retry_after_secs: None
            }
        );
    }

    #[test]
    fn answer_drops_match_their_path_and_vendor() {
        let f = Faults::new(
            "drop-answer=1,drop-answer-path=/attachments,vendor=smartrecruiters"
                .parse()
                .expect("valid"),
        );
        assert!(!f.take_answer_drop(VendorId::SmartRecruiters, "/candidates"));
        assert!(!f.take_answer_drop(VendorId::Lever, "/opportunities/1/files"));
        assert!(f.take_answer_drop(VendorId::SmartRecruiters, "/candidates/{id}/attachments"));
        assert!(!f.take_answer_drop(VendorId::SmartRecruiters, "/candidates/{id}/attachments"));
    }

    #[test]
    fn counted_faults_are_consumed_in_order_and_by_vendor() {
        let f = Faults::new(
            "429burst=1,5xx=1,reset=1,truncate=1,vendor=lever"
                .parse()
                .expect("valid"),
        );
        assert_eq!(f.next(VendorId::SmartRecruiters), FaultAction::None);
        assert_eq!(
            f.next(VendorId::Lever),
            FaultAction::TooMany {
                retry_after_secs: None
            }
        );
        assert_eq!(f.next(VendorId::Lever), FaultAction::ServerError);
        assert_eq!(f.next(VendorId::Lever), FaultAction::Reset);
        assert_eq!(f.next(VendorId::Lever), FaultAction::Truncate);
        assert_eq!(f.next(VendorId::Lever), FaultAction::None);
    }
}
