//! The shell's commands and deep-link delivery, through Tauri's mock runtime (no display needed).

mod common;

use hirebridge_app_lib::events::DeepLinkEvent;
use hirebridge_app_lib::state::AppState;
use hirebridge_app_lib::{builder, deep_links, mount_events};
use tauri::Manager;
use tauri::test::{mock_builder, mock_context, noop_assets};

fn app() -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
) {
    let app = builder(mock_builder(), AppState::new(true))
        .build(mock_context(noop_assets()))
        .expect("mock app builds");
    mount_events(&app);
    app.state::<AppState>()
        .set_data_dir(std::path::PathBuf::from("/tmp/hirebridge-ipc-test"));
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    (app, window)
}

fn invoke(
    window: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
) -> Result<serde_json::Value, serde_json::Value> {
    common::invoke(window, cmd, serde_json::json!({}))
}

#[test]
fn app_info_reports_version_data_dir_and_demo_mode() {
    let (_app, window) = app();
    let info = invoke(&window, "app_info").expect("app_info answers");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["data_dir"], "/tmp/hirebridge-ipc-test");
    assert_eq!(info["demo"], true);
}

#[test]
fn deep_links_before_the_ui_listens_wait_in_the_inbox_in_order() {
    let (app, window) = app();
    deep_links::handle_url(app.handle(), "hirebridge://link/lever?label=Acme");
    deep_links::handle_url(app.handle(), "hirebridge://%%");

    let pending = invoke(&window, "take_pending_deep_links").expect("answers");
    let pending: Vec<DeepLinkEvent> = serde_json::from_value(pending).expect("events");
    assert_eq!(pending.len(), 2);
    assert_eq!(
        pending[0],
        DeepLinkEvent::LinkAccount {
            vendor: hirebridge_core::Vendor::Lever,
            label: Some("Acme".into())
        }
    );
    assert!(matches!(&pending[1], DeepLinkEvent::Refused { message } if !message.is_empty()));

    // Drained: once the UI listens, nothing more queues up.
    deep_links::handle_url(app.handle(), "hirebridge://link/unberry");
    let again = invoke(&window, "take_pending_deep_links").expect("answers");
    assert_eq!(again, serde_json::json!([]));
}

#[test]
fn refused_links_carry_a_readable_reason() {
    for raw in [
        "hirebridge://%%",
        "hirebridge://link/greenhouse",
        "hirebridge://wipe/everything",
    ] {
        match deep_links::to_event(raw) {
            DeepLinkEvent::Refused { message } => assert!(message.len() > 10, "{raw}: {message}"),
            other => panic!("{raw} should be refused, got {other:?}"),
        }
    }
}
