//! `hirebridge://` links: from the first launch's argv, from a second launch (forwarded by the
//! single-instance plugin), and on macOS from the OS's open-URL event. Every link goes through the
//! core's strict parser; the UI gets a typed event either way.

use hirebridge_core::deeplink::DeepLinkAction;
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

use crate::events::DeepLinkEvent;
use crate::launch::looks_like_deep_link;
use crate::state::AppState;

/// Handles the links the app was started with, and listens for later ones where the OS sends
/// them as events rather than as a new process's argv.
pub fn install<R: Runtime>(app: &AppHandle<R>, launch_links: &[String]) {
    let mut seen: Vec<String> = Vec::new();
    for raw in launch_links {
        if !seen.contains(raw) {
            seen.push(raw.clone());
            handle_url(app, raw);
        }
    }

    #[cfg(target_os = "macos")]
    {
        use tauri_plugin_deep_link::DeepLinkExt;
        if let Ok(Some(urls)) = app.deep_link().get_current() {
            for url in urls {
                if !seen.iter().any(|s| s == url.as_str()) {
                    handle_url(app, url.as_str());
                }
            }
        }
        let handle = app.clone();
        app.deep_link().on_open_url(move |event| {
            for url in event.urls() {
                handle_url(&handle, url.as_str());
            }
        });
    }
}

/// A second launch's arguments, forwarded to this instance (Linux and Windows).
pub fn handle_args<'a, R: Runtime>(app: &AppHandle<R>, args: impl Iterator<Item = &'a str>) {
    for arg in args.filter(|a| looks_like_deep_link(a)) {
        handle_url(app, arg);
    }
}

/// Parses one raw link and delivers the result to the UI. An OAuth callback completes the
/// sign-in in progress whose `state` it carries, or is refused.
pub fn handle_url<R: Runtime>(app: &AppHandle<R>, raw: &str) {
    let event = to_event(raw);
    if let DeepLinkEvent::OAuthCallback { .. } = event {
        let app = app.clone();
        let raw = raw.to_owned();
        tauri::async_runtime::spawn(async move {
            let state = app.state::<AppState>();
            let event = match crate::flows::complete_from_link(&state, &raw).await {
                Ok(()) => DeepLinkEvent::OAuthCallback { received: true },
                Err(message) => DeepLinkEvent::Refused { message },
            };
            log_event(&event);
            deliver(&app, event);
        });
        return;
    }
    log_event(&event);
    deliver(app, event);
}

fn log_event(event: &DeepLinkEvent) {
    match &event {
        DeepLinkEvent::Refused { message } => log::warn!("deep link refused: {message}"),
        // The link's query may hold an OAuth code or state: never log it.
        _ => log::info!("deep link accepted"),
    }
}

/// What the UI is told about one raw link.
pub fn to_event(raw: &str) -> DeepLinkEvent {
    match DeepLinkAction::try_from(raw) {
        Ok(DeepLinkAction::Link(prefill)) => DeepLinkEvent::LinkAccount {
            vendor: prefill.vendor,
            label: prefill.label,
        },
        Ok(DeepLinkAction::OAuthCallback(_)) => DeepLinkEvent::OAuthCallback { received: true },
        Err(err) => DeepLinkEvent::Refused {
            message: err.message,
        },
    }
}

fn deliver<R: Runtime>(app: &AppHandle<R>, event: DeepLinkEvent) {
    let state = app.state::<AppState>();
    let mut inbox = state.deep_links();
    if inbox.ui_listening {
        drop(inbox);
        if let Err(err) = event.emit(app) {
            log::error!("could not send a deep link to the window: {err}");
        }
    } else {
        inbox.pending.push(event);
    }
}
