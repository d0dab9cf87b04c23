//! Fuzzing entry point: arbitrary bytes as Unberry JSON through the wire types and the mapping,
//! the way the connector reads a list page or a single record. Used by `fuzz/`.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{map, wire};

fn wire_of<T: DeserializeOwned>(raw: &Value) -> Option<T> {
    serde_json::from_value(raw.clone()).ok()
}

/// Maps `data` as every record kind the connector reads; never panics on any input.
pub fn map_json(data: &[u8]) {
    let Ok(raw) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let ctx = map::Ctx {
        account_id: "acct",
        keep_remote: true,
    };
    let mut items = vec![raw.clone()];
    if let Some(env) = wire_of::<wire::ListEnvelope>(&raw) {
        items.extend(env.data);
    }
    if let Some(env) = wire_of::<wire::DataEnvelope>(&raw) {
        items.push(env.data);
    }
    for raw in &items {
        let application =
            wire_of::<wire::Application>(raw).map(|w| map::application(&ctx, &w, raw));
        if let Some(a) = &application {
            let _ = serde_json::to_string(a);
        }
        if let Some(w) = wire_of::<wire::Candidate>(raw) {
            let c = map::candidate(&ctx, &w, raw, application.into_iter().collect());
            let _ = serde_json::to_string(&c);
        }
        if let Some(w) = wire_of::<wire::Job>(raw) {
            let _ = serde_json::to_string(&map::job(&ctx, &w, raw));
            let _ = serde_json::to_string(&map::stages(&w, true));
        }
        if let Some(w) = wire_of::<wire::Person>(raw) {
            let _ = serde_json::to_string(&map::user(&ctx, &w, raw));
        }
        if let Some(w) = wire_of::<wire::Assessment>(raw) {
            let a = map::assessment(&ctx, &w, raw, Some("job".into()));
            let _ = serde_json::to_string(&a);
        }
        if let Some(w) = wire_of::<wire::Interview>(raw) {
            let _ = serde_json::to_string(&map::interview(&ctx, &w, raw));
        }
        if let Some(w) = wire_of::<wire::Attachment>(raw) {
            let _ = serde_json::to_string(&map::attachment(&ctx, &w, raw));
        }
    }
}
