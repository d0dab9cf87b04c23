//! What every mock-runtime test needs: calling a command the way the webview does.

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response};
use tauri::webview::InvokeRequest;

/// Invokes `cmd` with `args` (camelCase keys, as the generated bindings send them) and returns
/// the JSON answer or the JSON error.
pub fn invoke(
    window: &tauri::WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("json body"))
}

/// The app on the mock runtime over the in-process demo servers, with an in-memory keychain and
/// its data in `dir` (created afresh).
#[allow(dead_code)] // not every test file uses every helper
pub fn demo_app(
    dir: &std::path::Path,
) -> (tauri::App<MockRuntime>, tauri::WebviewWindow<MockRuntime>) {
    use hirebridge_app_lib::{builder, demo::Demo, services::Services, state::AppState};
    use hirebridge_core::secrets::{MemorySecretStore, SecretStore};
    use std::sync::Arc;

    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("data dir");
    let keychain: Result<Arc<dyn SecretStore>, hirebridge_core::Error> =
        Ok(Arc::new(MemorySecretStore::new()));
    let services = tauri::async_runtime::block_on(async {
        let demo = Demo::start(true).await.expect("demo servers start");
        Services::open(dir, keychain, Some(demo)).await
    })
    .expect("services open");
    let state = AppState::new(true);
    state.set_data_dir(dir.to_path_buf());
    state.set_services(Ok(services));
    let app = builder(tauri::test::mock_builder(), state)
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .expect("mock app builds");
    hirebridge_app_lib::mount_events(&app);
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    (app, window)
}
