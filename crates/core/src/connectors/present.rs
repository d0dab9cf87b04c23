//! Unified records rendered as JSON per `response_format` and `exclude_fields`.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{ListOptions, Page, ResponseFormat};
use crate::{Error, Result};

/// One record as JSON: `raw` gives the vendor record, `normalized` drops `remote_data`,
/// `exclude_fields` drops top-level unified fields.
pub fn render<T: Serialize>(record: &T, opts: &ListOptions) -> Result<serde_json::Value> {
    let mut value = serde_json::to_value(record)
        .map_err(|e| Error::internal(format!("Could not encode a record: {e}")))?;
    if opts.response_format == ResponseFormat::Raw {
        return Ok(value
            .get_mut("remote_data")
            .map(serde_json::Value::take)
            .unwrap_or(serde_json::Value::Null));
    }
    if let Some(obj) = value.as_object_mut() {
        if !opts.keep_remote_data() {
            obj.remove("remote_data");
        }
        for field in &opts.exclude_fields {
            obj.remove(field.as_str());
        }
    }
    Ok(value)
}

pub fn render_page<T: Serialize>(
    page: Page<T>,
    opts: &ListOptions,
) -> Result<Page<serde_json::Value>> {
    Ok(Page {
        result: page
            .result
            .iter()
            .map(|r| render(r, opts))
            .collect::<Result<_>>()?,
        next_cursor: page.next_cursor,
        total: page.total,
    })
}

/// Adds `record` to `out`, merging it into an earlier record with the same `id`: arrays of
/// objects are unioned by their `id`, other fields keep the earlier value.
pub fn merge_into(
    out: &mut Vec<serde_json::Value>,
    index: &mut HashMap<String, usize>,
    record: serde_json::Value,
) {
    let id = record.get("id").and_then(|v| v.as_str()).map(str::to_owned);
    let Some(id) = id else {
        out.push(record);
        return;
    };
    match index.get(&id) {
        None => {
            index.insert(id, out.len());
            out.push(record);
        }
        Some(&at) => {
            if let (Some(existing), serde_json::Value::Object(new)) =
                (out[at].as_object_mut(), record)
            {
                for (key, value) in new {
                    match (existing.get_mut(&key), value) {
                        (Some(serde_json::Value::Array(have)), serde_json::Value::Array(more)) => {
                            for item in more {
                                let item_id = item.get("id").cloned();
                                if item_id.is_none()
                                    || !have.iter().any(|h| h.get("id") == item_id.as_ref())
                                {
                                    have.push(item);
                                }
                            }
                        }
                        (Some(_), _) => {}
                        (None, v) => {
                            existing.insert(key, v);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_and_exclusions() {
        let rec = json!({"id":"1","first_name":"A","emails":[],"remote_data":{"x":1}});
        let mut opts = ListOptions::default();
        assert_eq!(render(&rec, &opts).expect("ok")["remote_data"]["x"], 1);
        opts.response_format = ResponseFormat::Raw;
        assert_eq!(render(&rec, &opts).expect("ok"), json!({"x":1}));
        opts.response_format = ResponseFormat::Normalized;
        opts.exclude_fields = vec!["emails".into()];
        assert_eq!(
            render(&rec, &opts).expect("ok"),
            json!({"id":"1","first_name":"A"})
        );
    }

    #[test]
    fn merges_records_with_the_same_id() {
        let mut out = Vec::new();
        let mut index = HashMap::new();
        merge_into(
            &mut out,
            &mut index,
            json!({"id":"c","applications":[{"id":"o1"}]}),
        );
        merge_into(&mut out, &mut index, json!({"id":"d","applications":[]}));
        merge_into(
            &mut out,
            &mut index,
            json!({"id":"c","applications":[{"id":"o1"},{"id":"o2"}]}),
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0]["applications"], json!([{"id":"o1"},{"id":"o2"}]));
    }
}
