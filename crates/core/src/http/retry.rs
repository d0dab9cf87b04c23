//! When and how long to wait before trying a vendor call again.

use std::time::Duration;

use rand::Rng;
use reqwest::header::HeaderMap;

#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is cut down to it.
    pub max_retry_after: Duration,
    /// 429s are retried until this long after the first one, however many there are: a refused
    /// request had no effect, and a burst should be ridden out.
    pub rate_limit_budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            rate_limit_budget: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with "equal jitter": half fixed, half random, so a burst of clients
    /// spreads out but none retries immediately.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(16)))
            .min(self.max_delay);
        let half = exp / 2;
        let jitter = rand::rng().random_range(0..=half.as_millis().max(1) as u64);
        half + Duration::from_millis(jitter)
    }
}

/// Whether a status is worth retrying. Writes that may have been applied are not retried on a
/// 5xx: only when the vendor clearly refused them (429) or was down for maintenance (503).
pub fn retryable_status(status: u16, idempotent: bool) -> bool {
    match status {
        429 | 503 => true,
        500 | 502 | 504 => idempotent,
        _ => false,
    }
}

/// `Retry-After` in seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = at.to_utc() - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// When the vendor says the budget is spent (`X-RateLimit-Remaining: 0`), how long to hold off:
/// until `X-RateLimit-Reset` (delta seconds, or epoch seconds) when sent, else one request
/// interval of `X-RateLimit-Limit` per second.
pub fn exhausted_budget_pause(headers: &HeaderMap) -> Option<Duration> {
    let number = |name: &str| -> Option<f64> {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|n| n.is_finite())
    };
    let remaining = number("x-ratelimit-remaining")?;
    if remaining > 0.0 {
        return None;
    }
    if let Some(reset) = number("x-ratelimit-reset").or_else(|| number("ratelimit-reset")) {
        let now = chrono::Utc::now().timestamp() as f64;
        let secs = if reset > 1_000_000_000.0 {
            reset - now
        } else {
            reset
        };
        return Some(Duration::from_secs_f64(secs.clamp(0.0, 60.0)));
    }
    let limit = number("x-ratelimit-limit")
        .filter(|l| *l > 0.0)
        .unwrap_or(1.0);
    Some(Duration::from_secs_f64((1.0 / limit).min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let p = RetryPolicy::default();
        for attempt in 1..=12 {
            let d = p.backoff(attempt);
            let exp = (p.base_delay * 2u32.pow(attempt - 1)).min(p.max_delay);
            assert!(
                d >= exp / 2 && d <= exp + Duration::from_millis(1),
                "{attempt}: {d:?}"
            );
        }
    }

    #[test]
    fn reads_retry_after_in_seconds_and_as_a_date() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        let later = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        h.insert(
            "retry-after",
            HeaderValue::from_str(&later).expect("header"),
        );
        let d = retry_after(&h).expect("date parses");
        assert!(
            d > Duration::from_secs(25) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn pauses_only_when_the_budget_is_spent() {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from_static("10"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("4"));
        assert_eq!(exhausted_budget_pause(&h), None);
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        assert_eq!(exhausted_budget_pause(&h), Some(Duration::from_millis(100)));
        h.insert("x-ratelimit-reset", HeaderValue::from_static("2"));
        assert_eq!(exhausted_budget_pause(&h), Some(Duration::from_secs(2)));
    }

    #[test]
    fn writes_are_not_retried_on_ambiguous_failures() {
        assert!(retryable_status(429, false));
        assert!(retryable_status(503, false));
        assert!(!retryable_status(500, false));
        assert!(retryable_status(500, true));
        assert!(!retryable_status(404, true));
    }
}
