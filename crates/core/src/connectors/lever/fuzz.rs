//! Fuzzing entry point: arbitrary bytes as Lever JSON through the wire types and the mapping,
//! the way the connector reads a page of opportunities or a single record. Used by `fuzz/`.

use std::collections::HashMap;

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
    let mut items = vec![raw.clone()];
    if let Some(env) = wire_of::<wire::ListEnvelope>(&raw) {
        items.extend(env.data);
    }
    if let Some(env) = wire_of::<wire::DataEnvelope>(&raw) {
        items.push(env.data);
    }
    // Archive reasons and stage names as the connector would have read them: from the input.
    let reasons: HashMap<String, wire::ArchiveReason> = items
        .iter()
        .filter_map(wire_of::<wire::ArchiveReason>)
        .map(|r| (r.id.clone(), r))
        .collect();
    let stage_names: HashMap<String, String> = items
        .iter()
        .filter_map(wire_of::<wire::Stage>)
        .filter_map(|s| Some((s.id.clone(), s.text.clone()?)))
        .collect();
    let ctx = map::Ctx {
        account_id: "acct",
        keep_remote: true,
        archive_reasons: Some(&reasons),
        stage_names: Some(&stage_names),
    };
    let opportunities: Vec<(wire::Opportunity, Value)> = items
        .iter()
        .filter_map(|r| Some((wire_of::<wire::Opportunity>(r)?, r.clone())))
        .collect();
    for (o, raw) in &opportunities {
        let _ = serde_json::to_string(&map::application(&ctx, o, raw));
    }
    let _ = serde_json::to_string(&map::candidates(&ctx, &opportunities));
    for (index, raw) in items.iter().enumerate() {
        if let Some(w) = wire_of::<wire::Posting>(raw) {
            let _ = serde_json::to_string(&map::job(&ctx, &w, raw));
        }
        if let Some(w) = wire_of::<wire::User>(raw) {
            let _ = serde_json::to_string(&map::user(&ctx, &w, raw));
        }
        if let Some(w) = wire_of::<wire::Stage>(raw) {
            let _ = serde_json::to_string(&map::stage(&w, index, raw, true));
        }
        if let Some(w) = wire_of::<wire::File>(raw) {
            let _ = serde_json::to_string(&map::file(&ctx, "contact", "opp", &w, raw));
        }
        if let Some(w) = wire_of::<wire::Resume>(raw) {
            let _ = serde_json::to_string(&map::resume(&ctx, "contact", "opp", &w, raw));
        }
        if let Some(w) = wire_of::<wire::ApplyForm>(raw) {
            let _ = serde_json::to_string(&map::form_fields(&w));
        }
    }
    let _ = serde_json::to_string(&map::roles(&ctx));
}
