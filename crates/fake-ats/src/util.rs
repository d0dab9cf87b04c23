//! Small helpers shared by the vendor modules: locks, clock, timestamps, query parsing, ids.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use base64::Engine;
use chrono::{DateTime, TimeZone, Utc};
use rand::Rng;

/// A fast, non-cryptographic hasher (FxHash's multiply-rotate) for the in-memory id indexes; the fake
/// serves loopback tests, so hash flooding is not a concern and SipHash dominated data generation.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.write(&(n as u64).to_le_bytes());
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// Lock a mutex, recovering the data if a panicking thread poisoned it (a fake must keep serving).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
pub fn read<T>(m: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|e| e.into_inner())
}
pub fn write<T>(m: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(|e| e.into_inner())
}

/// Generated records are dated between these instants; mutations always come later.
pub const DATA_START_MS: i64 = 1_672_531_200_000; // 2023-01-01T00:00:00Z
pub const DATA_END_MS: i64 = 1_759_276_800_000; // 2025-10-01T00:00:00Z

/// A strictly increasing millisecond clock, so every mutation gets a later timestamp than the last.
#[derive(Debug)]
pub struct Clock {
    last: AtomicI64,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            last: AtomicI64::new(DATA_END_MS),
        }
    }
}

impl Clock {
    pub fn now_ms(&self) -> i64 {
        let wall = Utc::now().timestamp_millis();
        let mut prev = self.last.load(Ordering::SeqCst);
        loop {
            let next = wall.max(prev + 1);
            match self
                .last
                .compare_exchange(prev, next, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return next,
                Err(p) => prev = p,
            }
        }
    }
}

pub fn datetime(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// SmartRecruiters / Unberry style: `2014-02-19T19:36:42.346Z`.
pub fn iso_ms(ms: i64) -> String {
    datetime(ms).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Date only, `2025-05-01`.
pub fn iso_date(ms: i64) -> String {
    datetime(ms).format("%Y-%m-%d").to_string()
}

/// Parse an ISO-8601 instant (with offset or `Z`, millis optional) into ms since epoch.
pub fn parse_iso(s: &str) -> Option<i64> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp_millis());
    }
    // `yyyy-MM-ddTHH:mm:ss.SSSZZ` with a `+0000` style offset.
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%z"] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d.timestamp_millis());
        }
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_millis())
}

/// Raw query pairs, keeping repeated keys (`?status=NEW&status=LEAD`) and `key[]` forms.
#[derive(Debug, Default, Clone)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(query: Option<&str>) -> Self {
        Self(
            url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.trim_end_matches("[]").to_string(), v.into_owned()))
                .collect(),
        )
    }
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    /// Query string of every pair except the listed keys, for building next-page links.
    pub fn without(&self, keys: &[&str]) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(k, _)| !keys.contains(&k.as_str()))
            .cloned()
            .collect()
    }
}

pub fn encode_query(pairs: &[(String, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

pub fn uuid_from<R: Rng>(rng: &mut R) -> String {
    uuid::Builder::from_random_bytes(rng.random())
        .into_uuid()
        .to_string()
}

pub fn hex_id<R: Rng>(rng: &mut R, bytes: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes * 2);
    for _ in 0..bytes {
        let b: u8 = rng.random();
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

pub fn random_token(len: usize) -> String {
    let mut rng = rand::rng();
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub fn b64url(data: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
}
pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .ok()
}

/// Percent-decode until the value stops changing (clients sometimes double-encode cursors).
pub fn percent_decode_fully(s: &str) -> String {
    let mut cur = s.to_string();
    for _ in 0..3 {
        if !cur.contains('%') {
            break;
        }
        let next: String =
            url::form_urlencoded::parse(format!("x={}", cur.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
        if next == cur {
            break;
        }
        cur = next;
    }
    cur
}

/// Mask a secret for logs: keep a short prefix so tests can tell which credential was used.
pub fn mask(secret: &str) -> String {
    let keep: String = secret.chars().take(4).collect();
    format!("{keep}***")
}

/// One page of a filtered scan over records kept in insertion order.
#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<usize>,
    /// Index of the first matching record after this page (the next page starts there).
    pub next: Option<usize>,
    pub total: usize,
    /// Matching records before `start` (SmartRecruiters' `offset`).
    pub before: usize,
}

/// Scan `0..len` once: skip `skip` matches at or after `start`, collect up to `limit`, count all matches.
pub fn page(
    len: usize,
    start: usize,
    skip: usize,
    limit: usize,
    mut matches: impl FnMut(usize) -> bool,
) -> Page {
    let mut p = Page::default();
    let mut skipped = 0;
    for i in 0..len {
        if !matches(i) {
            continue;
        }
        p.total += 1;
        if i < start {
            p.before += 1;
        } else if skipped < skip {
            skipped += 1;
            p.before += 1;
        } else if p.items.len() < limit {
            p.items.push(i);
        } else if p.next.is_none() {
            p.next = Some(i);
        }
    }
    p
}

/// Like `page` but stops as soon as the page and the next cursor are known (no total).
pub fn page_fast(
    len: usize,
    start: usize,
    limit: usize,
    mut matches: impl FnMut(usize) -> bool,
) -> Page {
    let mut p = Page::default();
    for i in start..len {
        if !matches(i) {
            continue;
        }
        if p.items.len() < limit {
            p.items.push(i);
        } else {
            p.next = Some(i);
            break;
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_counts_before_and_finds_the_next_match() {
        let even = |i: usize| i.is_multiple_of(2);
        let p = page(20, 4, 0, 3, even);
        assert_eq!(
            (p.items.clone(), p.next, p.total, p.before),
            (vec![4, 6, 8], Some(10), 10, 2)
        );
        let q = page(20, 0, 2, 3, even);
        assert_eq!((q.items, q.next, q.before), (vec![4, 6, 8], Some(10), 2));
        let last = page(20, 16, 0, 3, even);
        assert_eq!((last.items, last.next), (vec![16, 18], None));
        let fast = page_fast(20, 16, 1, even);
        assert_eq!((fast.items, fast.next), (vec![16], Some(18)));
    }

    #[test]
    fn iso_timestamps_round_trip_with_millis() {
        let ms = 1_392_838_602_346;
        assert_eq!(iso_ms(ms), "2014-02-19T19:36:42.346Z");
        assert_eq!(parse_iso("2014-02-19T19:36:42.346Z"), Some(ms));
        assert_eq!(parse_iso("2014-02-19T19:36:42.346+0000"), Some(ms));
        assert_eq!(percent_decode_fully("%255B1%252C2%255D"), "[1,2]");
    }

    #[test]
    fn clock_is_strictly_increasing() {
        let c = Clock::default();
        let a = c.now_ms();
        let b = c.now_ms();
        assert!(b > a && a > DATA_END_MS);
    }
}

/// A tiny multipart reader result: text fields and at most a few files.
#[derive(Debug, Default)]
pub struct FormData {
    pub fields: Vec<(String, String)>,
    pub files: Vec<UploadedFile>,
}

#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub field: String,
    pub file_name: String,
    pub content_type: String,
    pub data: bytes::Bytes,
}

impl FormData {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name || k.trim_end_matches("[]") == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k.trim_end_matches("[]") == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    pub fn file(&self, name: &str) -> Option<&UploadedFile> {
        self.files.iter().find(|f| f.field == name)
    }

    pub async fn read(mut mp: axum::extract::Multipart) -> Result<Self, String> {
        let mut out = FormData::default();
        while let Some(field) = mp.next_field().await.map_err(|e| e.body_text())? {
            let name = field.name().unwrap_or("").to_string();
            if let Some(file_name) = field.file_name().map(str::to_string) {
                let content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_string();
                let data = field.bytes().await.map_err(|e| e.body_text())?;
                out.files.push(UploadedFile {
                    field: name,
                    file_name,
                    content_type,
                    data,
                });
            } else {
                let text = field.text().await.map_err(|e| e.body_text())?;
                out.fields.push((name, text));
            }
        }
        Ok(out)
    }
}

pub fn content_type_for(file_name: &str) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    match lower.rsplit('.').next() {
        Some("pdf") => "application/pdf",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("txt") => "text/plain",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        _ => "application/octet-stream",
    }
}
