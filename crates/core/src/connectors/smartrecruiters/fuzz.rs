//! Fuzzing entry point: arbitrary bytes as SmartRecruiters JSON through the wire types and the
//! mapping, the way the connector reads a list page or a single record. Used by `fuzz/`.

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
        items.extend(env.content);
    }
    for raw in &items {
        if let Some(w) = wire_of::<wire::Candidate>(raw) {
            let c = map::candidate(&ctx, &w, raw);
            for a in w.primary_assignment.iter().chain(&w.secondary_assignments) {
                let _ = map::assignment(&ctx, &w.id, a);
            }
            let _ = serde_json::to_string(&c);
        }
        if let Some(w) = wire_of::<wire::JobApplication>(raw) {
            let a = map::application(&ctx, "cand", "job", None, &w, Some(raw.clone()));
            let _ = serde_json::to_string(&a);
        }
        if let Some(w) = wire_of::<wire::Job>(raw) {
            let _ = serde_json::to_string(&map::job(&ctx, &w, raw));
        }
        if let Some(w) = wire_of::<wire::User>(raw) {
            let _ = serde_json::to_string(&map::user(&ctx, &w, raw));
        }
        if let Some(w) = wire_of::<wire::IdName>(raw) {
            let _ = serde_json::to_string(&map::role(&ctx, &w, raw));
            let _ = serde_json::to_string(&map::group(&ctx, &w, raw));
        }
        if let Some(w) = wire_of::<wire::Attachment>(raw) {
            let a = map::attachment(&ctx, "cand", Some("job"), &w, raw);
            let _ = serde_json::to_string(&a);
        }
    }
}
