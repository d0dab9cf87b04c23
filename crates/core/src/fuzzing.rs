//! Entry points for the cargo-fuzz targets in `fuzz/`: each takes arbitrary bytes and runs them
//! through the real parser, the way the app receives them. None of them may panic.

use crate::auth::callback::{CallbackParams, UnknownParams};
use crate::auth::loopback::{CALLBACK_PATH, request_target};
use crate::deeplink::DeepLinkAction;

pub use crate::connectors::fuzz::{map_lever, map_smartrecruiters, map_unberry};

/// Bytes as a resume file's content, through the extractor with its limits and isolation.
/// A parser panic is caught there (the product's guarantee), so the target silences the panic
/// hook libFuzzer installs and reports only what escapes: crashes, hangs, memory blow-ups.
pub fn resume_extract(data: &[u8]) {
    crate::push::extract::fuzz::extract_bytes(data);
}

/// A `hirebridge://` link as the OS hands it to the app.
pub fn deep_link(data: &[u8]) {
    if let Ok(raw) = std::str::from_utf8(data) {
        let _ = DeepLinkAction::try_from(raw);
    }
}

/// Bytes a browser (or anything else on the machine) sends to the loopback redirect listener:
/// the request head, then the callback query as the flow parses it.
pub fn oauth_callback(data: &[u8]) {
    let Ok(Some(target)) = request_target(data) else {
        return;
    };
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    if path == CALLBACK_PATH {
        let _ = CallbackParams::from_pairs(
            url::form_urlencoded::parse(query.as_bytes()),
            UnknownParams::Ignore,
        );
    }
    // The same query as a `hirebridge://oauth/callback` link would carry it.
    let _ = CallbackParams::from_pairs(
        url::form_urlencoded::parse(query.as_bytes()),
        UnknownParams::Refuse,
    );
}
