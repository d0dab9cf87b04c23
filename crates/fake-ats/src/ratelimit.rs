//! Vendor rate limits: SmartRecruiters' per-credential, per-endpoint rate and concurrency caps, Lever's
//! token bucket, and Unberry's (provisional) fixed window.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::lock;

pub const SR_RATE: usize = 10;
pub const SR_CONCURRENCY: u32 = 8;
pub const SR_CANDIDATES_CONCURRENCY: u32 = 1;
pub const LEVER_RATE: f64 = 10.0;
pub const LEVER_BURST: f64 = 20.0;
pub const UNBERRY_RATE: usize = 20;

#[derive(Default, Debug)]
struct SrWindow {
    hits: VecDeque<Instant>,
    in_flight: u32,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

#[derive(Default, Debug)]
pub struct Limits {
    sr: Arc<Mutex<HashMap<(String, String), SrWindow>>>,
    lever: Mutex<HashMap<String, Bucket>>,
    unberry: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// The four SmartRecruiters headers, sent on every response.
#[derive(Debug, Clone, Copy)]
pub struct SrHeaders {
    pub limit: usize,
    pub remaining: usize,
    pub concurrent_limit: u32,
    pub concurrent_remaining: u32,
}

/// Holds one in-flight slot until dropped.
pub struct SrPermit {
    map: Arc<Mutex<HashMap<(String, String), SrWindow>>>,
    key: (String, String),
}

impl Drop for SrPermit {
    fn drop(&mut self) {
        if let Some(w) = lock(&self.map).get_mut(&self.key) {
            w.in_flight = w.in_flight.saturating_sub(1);
        }
    }
}

pub enum SrDecision {
    Allowed(SrPermit, SrHeaders),
    Limited(SrHeaders),
}

impl Limits {
    pub fn sr_acquire(
        &self,
        credential: &str,
        endpoint: &str,
        concurrency: u32,
        enforce: bool,
    ) -> SrDecision {
        let now = Instant::now();
        let key = (credential.to_string(), endpoint.to_string());
        let mut map = lock(&self.sr);
        let w = map.entry(key.clone()).or_default();
        while w
            .hits
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            w.hits.pop_front();
        }
        let over_rate = w.hits.len() >= SR_RATE;
        let over_concurrency = w.in_flight >= concurrency;
        if enforce && (over_rate || over_concurrency) {
            return SrDecision::Limited(SrHeaders {
                limit: SR_RATE,
                remaining: SR_RATE.saturating_sub(w.hits.len()),
                concurrent_limit: concurrency,
                concurrent_remaining: concurrency.saturating_sub(w.in_flight),
            });
        }
        w.hits.push_back(now);
        w.in_flight += 1;
        let headers = SrHeaders {
            limit: SR_RATE,
            remaining: SR_RATE.saturating_sub(w.hits.len()),
            concurrent_limit: concurrency,
            concurrent_remaining: concurrency.saturating_sub(w.in_flight),
        };
        drop(map);
        SrDecision::Allowed(
            SrPermit {
                map: self.sr.clone(),
                key,
            },
            headers,
        )
    }

    /// Lever: take one token from the credential's bucket (10/s refill, 20 capacity).
    pub fn lever_take(&self, credential: &str) -> bool {
        let now = Instant::now();
        let mut map = lock(&self.lever);
        let b = map.entry(credential.to_string()).or_insert(Bucket {
            tokens: LEVER_BURST,
            last: now,
        });
        let refill = now.duration_since(b.last).as_secs_f64() * LEVER_RATE;
        b.tokens = (b.tokens + refill).min(LEVER_BURST);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Unberry [I]: fixed one-second window; returns (allowed, remaining, seconds until a slot frees).
    pub fn unberry_take(&self, credential: &str) -> (bool, usize, u64) {
        let now = Instant::now();
        let mut map = lock(&self.unberry);
        let hits = map.entry(credential.to_string()).or_default();
        while hits
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            hits.pop_front();
        }
        if hits.len() >= UNBERRY_RATE {
            return (false, 0, 1);
        }
        hits.push_back(now);
        (true, UNBERRY_RATE - hits.len(), 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lever_bucket_allows_a_burst_of_twenty() {
        let l = Limits::default();
        let allowed = (0..25).filter(|_| l.lever_take("k")).count();
        assert!((20..=21).contains(&allowed), "allowed {allowed}");
    }

    #[test]
    fn sr_concurrency_slot_is_released_on_drop() {
        let l = Limits::default();
        let first = l.sr_acquire("k", "GET /candidates", 1, true);
        assert!(matches!(
            l.sr_acquire("k", "GET /candidates", 1, true),
            SrDecision::Limited(_)
        ));
        drop(first);
        assert!(matches!(
            l.sr_acquire("k", "GET /candidates", 1, true),
            SrDecision::Allowed(..)
        ));
    }
}
