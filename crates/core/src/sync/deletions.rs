//! Lever's deletion feed: `GET /opportunities/deleted?deleted_at_start=<ms>` (ats-specs §2.4).
//!
//! The connector has no unified "deleted records" list, so this reads the feed through the
//! connector's proxy (same auth, rate limiter and error mapping) in the limiter's background
//! lane like every other sync request, following `next` to the end.

use serde_json::Value;

use crate::connectors::{Connector, ProxyBody, ProxyRequest};
use crate::{Error, ErrorKind, Result};

/// Ids of opportunities deleted at or after `since_ms`, and how many requests that took.
pub async fn lever_deleted_opportunities(
    connector: &dyn Connector,
    since_ms: i64,
) -> Result<(Vec<String>, i64)> {
    let mut ids = Vec::new();
    let mut offset: Option<String> = None;
    let mut requests = 0;
    loop {
        let mut query = vec![
            ("deleted_at_start".to_owned(), since_ms.to_string()),
            ("limit".to_owned(), "100".to_owned()),
        ];
        if let Some(o) = &offset {
            query.push(("offset".to_owned(), o.clone()));
        }
        let response = connector
            .proxy_background(&ProxyRequest {
                method: "GET".into(),
                path: "/opportunities/deleted".into(),
                query,
                body: None,
            })
            .await?;
        requests += 1;
        let ProxyBody::Json(body) = response.body else {
            return Err(Error::new(
                ErrorKind::Vendor,
                "Lever's deleted-opportunities list did not answer JSON.",
            ));
        };
        let data = body.get("data").and_then(Value::as_array);
        for item in data.into_iter().flatten() {
            if let Some(id) = item.get("id").and_then(Value::as_str) {
                ids.push(id.to_owned());
            }
        }
        let has_next = body
            .get("hasNext")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let next = body.get("next").and_then(Value::as_str).map(str::to_owned);
        match next {
            Some(n)
                if has_next
                    && data.is_some_and(|d| !d.is_empty())
                    && offset.as_ref() != Some(&n) =>
            {
                offset = Some(n)
            }
            _ => return Ok((ids, requests)),
        }
    }
}
