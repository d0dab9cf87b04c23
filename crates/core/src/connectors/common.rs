//! Helpers every connector shares: opaque cursors, timestamps, names, body merging.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeZone, Utc};

use crate::http::{HttpError, Lane};
use crate::model::ListOptions;
use crate::{Error, Result, Vendor};

/// Background sync pages queue behind what the person at the keyboard asked for.
pub fn lane(opts: &ListOptions) -> Lane {
    if opts.background {
        Lane::Background
    } else {
        Lane::Interactive
    }
}

/// Date filters as SmartRecruiters (`yyyy-MM-ddTHH:mm:ss.SSSZ`) and Unberry take them.
pub fn iso_millis(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Reads one vendor record into its wire type, with the vendor named in the error. Reads the
/// tree in place: `from_value` would need a deep copy of every record first.
pub fn decode_json<T: serde::de::DeserializeOwned>(
    vendor: Vendor,
    raw: &serde_json::Value,
) -> Result<T> {
    T::deserialize(raw).map_err(|e| {
        HttpError::Decode {
            vendor,
            detail: e.to_string(),
        }
        .into()
    })
}

/// Decodes each raw list item into its wire type `W` and maps it, with the raw item beside it
/// for `remote_data`. One undecodable item fails the page: it says what the vendor changed.
pub fn map_each<W: serde::de::DeserializeOwned, T>(
    vendor: Vendor,
    raw: &[serde_json::Value],
    map: impl Fn(W, &serde_json::Value) -> T,
) -> Result<Vec<T>> {
    raw.iter()
        .map(|r| decode_json::<W>(vendor, r).map(|w| map(w, r)))
        .collect()
}

/// Wraps the vendor's own cursor so callers cannot depend on its shape.
pub fn encode_cursor(vendor: Vendor, raw: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{raw}", vendor.as_str()))
}

/// The vendor cursor inside a unified one; refuses a cursor made for another vendor.
pub fn decode_cursor(vendor: Vendor, cursor: &str) -> Result<String> {
    let bad = || {
        Error::validation(
            "The page cursor is damaged or belongs to another account's list; start from the first page.",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix(vendor.as_str())
        .and_then(|rest| rest.strip_prefix(':'))
        .filter(|raw| !raw.is_empty())
        .map(str::to_owned)
        .ok_or_else(bad)
}

/// The next unified cursor from the vendor's, treating missing, null and empty alike as "no more".
pub fn next_cursor(vendor: Vendor, raw: Option<&str>, page_was_empty: bool) -> Option<String> {
    match raw.map(str::trim) {
        Some(raw) if !raw.is_empty() && !page_was_empty => Some(encode_cursor(vendor, raw)),
        _ => None,
    }
}

/// Lever timestamps: integer milliseconds since the epoch.
pub fn from_millis(ms: Option<f64>) -> Option<DateTime<Utc>> {
    let ms = ms.filter(|m| m.is_finite())?;
    Utc.timestamp_millis_opt(ms as i64).single()
}

pub fn to_millis(at: DateTime<Utc>) -> String {
    at.timestamp_millis().to_string()
}

/// ISO-8601 timestamps as the vendors send them (with or without millis, `Z` or an offset).
pub fn parse_time(raw: Option<&str>) -> Option<DateTime<Utc>> {
    let raw = raw?.trim();
    if raw.is_empty() {
        return None;
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|d| d.to_utc())
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").map(|n| n.and_utc())
        })
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        })
        .ok()
}

/// Splits a one-field name: the first word is the first name, the rest the last name. A name
/// without a space is all first name.
pub fn split_name(full: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(full) = full.map(str::trim).filter(|n| !n.is_empty()) else {
        return (None, None);
    };
    match full.split_once(char::is_whitespace) {
        Some((first, last)) => (
            Some(first.to_owned()),
            Some(last.trim().to_owned()).filter(|l| !l.is_empty()),
        ),
        None => (Some(full.to_owned()), None),
    }
}

/// A full name from parts, skipping empty ones.
pub fn join_name(first: &str, last: &str) -> String {
    [first.trim(), last.trim()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes take `remote_data`: its keys are merged into the vendor body (objects recursively),
/// winning over what the unified fields produced.
pub fn merge_remote_data(
    body: &mut serde_json::Value,
    remote: Option<&serde_json::Value>,
) -> Result<()> {
    let Some(remote) = remote else { return Ok(()) };
    if remote.is_null() {
        return Ok(());
    }
    if !remote.is_object() {
        return Err(Error::validation("remote_data must be a JSON object."));
    }
    merge(body, remote);
    Ok(())
}

fn merge(into: &mut serde_json::Value, from: &serde_json::Value) {
    match (into, from) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

/// Keeps the vendor record only when the caller wants it.
pub fn remote<T: serde::Serialize>(keep: bool, wire: &T) -> Option<serde_json::Value> {
    if keep {
        serde_json::to_value(wire).ok()
    } else {
        None
    }
}

/// An operation this vendor cannot do.
pub fn unsupported(vendor: Vendor, what: &str) -> Error {
    Error::validation(format!("{vendor} does not support {what}."))
}

/// Refuses list filters the vendor cannot apply, rather than silently ignoring them.
pub fn refuse_filters(vendor: Vendor, what: &str, filters: &[(&str, bool)]) -> Result<()> {
    let refused: Vec<&str> = filters
        .iter()
        .filter(|(_, set)| *set)
        .map(|(n, _)| *n)
        .collect();
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Error::validation(format!(
            "{vendor} cannot filter {what} by {}.",
            refused.join(", ")
        )))
    }
}

pub fn clamp_limit(limit: Option<u32>, default: u32, max: u32) -> u32 {
    limit.unwrap_or(default).clamp(1, max)
}

/// Splits a composite id `a:b` made by this crate (SR application = candidate:job).
pub fn split_pair<'a>(id: &'a str, what: &str) -> Result<(&'a str, &'a str)> {
    id.split_once(':')
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .ok_or_else(|| Error::validation(format!("\"{id}\" is not a valid {what} id.")))
}

/// A path segment from an id, so an id can never reach another endpoint.
pub fn seg(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_other_vendors() {
        let c = encode_cursor(Vendor::SmartRecruiters, "SKYfn51wTboVGco6%2FvIsIC%3D%3D");
        assert_eq!(
            decode_cursor(Vendor::SmartRecruiters, &c).expect("decodes"),
            "SKYfn51wTboVGco6%2FvIsIC%3D%3D"
        );
        assert!(decode_cursor(Vendor::Lever, &c).is_err());
        assert!(decode_cursor(Vendor::Lever, "%%%").is_err());
    }

    #[test]
    fn no_next_cursor_on_missing_null_empty_or_an_empty_page() {
        assert_eq!(next_cursor(Vendor::SmartRecruiters, None, false), None);
        assert_eq!(next_cursor(Vendor::SmartRecruiters, Some(""), false), None);
        assert_eq!(
            next_cursor(Vendor::SmartRecruiters, Some("  "), false),
            None
        );
        assert_eq!(
            next_cursor(Vendor::SmartRecruiters, Some("abc"), true),
            None
        );
        assert!(next_cursor(Vendor::SmartRecruiters, Some("abc"), false).is_some());
    }

    #[test]
    fn splits_names_including_single_words_and_unicode() {
        assert_eq!(
            split_name(Some("Ada Lovelace")),
            (Some("Ada".into()), Some("Lovelace".into()))
        );
        assert_eq!(split_name(Some("Cher")), (Some("Cher".into()), None));
        assert_eq!(
            split_name(Some(" José  María Núñez ")),
            (Some("José".into()), Some("María Núñez".into()))
        );
        assert_eq!(split_name(Some("   ")), (None, None));
        assert_eq!(join_name("Zoë", ""), "Zoë");
    }

    #[test]
    fn parses_vendor_timestamps() {
        let t = parse_time(Some("2014-02-19T19:36:42.346Z")).expect("parses");
        assert_eq!(t.timestamp_millis(), 1392838602346);
        assert_eq!(
            from_millis(Some(1407460071043.0))
                .expect("ms")
                .timestamp_millis(),
            1407460071043
        );
        assert!(parse_time(Some("")).is_none());
        assert!(parse_time(Some("2025-05-01")).is_some());
    }

    #[test]
    fn remote_data_wins_and_merges_objects() {
        let mut body = serde_json::json!({"firstName":"A","web":{"linkedin":"x"}});
        merge_remote_data(
            &mut body,
            Some(&serde_json::json!({"firstName":"B","web":{"website":"y"},"internal":true})),
        )
        .expect("merges");
        assert_eq!(
            body,
            serde_json::json!({"firstName":"B","web":{"linkedin":"x","website":"y"},"internal":true})
        );
        assert!(merge_remote_data(&mut body, Some(&serde_json::json!([1]))).is_err());
    }
}
