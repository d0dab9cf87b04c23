//! The Hirebridge desktop shell: plugins, windows, commands and events over `hirebridge-core`.
//! Commands are thin: parse, call one core function, map the error.

pub mod commands;
pub mod deep_links;
pub mod events;
pub mod launch;
pub mod state;

use tauri::Manager;
use tauri_specta::{collect_commands, collect_events};

use crate::state::AppState;

/// Every command and event the UI may use; the TypeScript bindings are generated from this.
pub fn specta_builder<R: tauri::Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        .commands(collect_commands![
            commands::app_info,
            commands::take_pending_deep_links,
        ])
        .events(collect_events![events::DeepLinkEvent])
        .error_handling(tauri_specta::ErrorHandlingMode::Throw)
}

/// Everything but the platform plugins, shared by the real app and the mock-runtime tests.
/// Call [`mount_events`] once the app is built (Tauri runs `setup` only when the app runs).
pub fn builder<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    state: AppState,
) -> tauri::Builder<R> {
    builder
        .invoke_handler(specta_builder::<R>().invoke_handler())
        .manage(state)
}

/// Registers the typed events so they can be emitted.
pub fn mount_events<R: tauri::Runtime>(app: &impl Manager<R>) {
    specta_builder::<R>().mount_events(app);
}

/// Starts the desktop app.
pub fn run() {
    let options = launch::LaunchOptions::from_args(std::env::args().skip(1));
    let app = tauri::Builder::default()
        // Registered first, as its docs require: a second launch hands its argv to this
        // process (over D-Bus on Linux) and exits.
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            deep_links::handle_args(app, argv.iter().skip(1).map(String::as_str));
            focus_main_window(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(
            tauri_plugin_log::Builder::new()
                .level(log::LevelFilter::Info)
                .build(),
        )
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init());

    let app = builder(app, AppState::new(options.demo))
        .setup(move |app| {
            mount_events(app);
            let handle = app.handle().clone();
            let data_dir = state::resolve_data_dir(&handle)?;
            app.state::<AppState>().set_data_dir(data_dir);
            deep_links::install(&handle, &options.deep_links);
            Ok(())
        })
        .build(tauri::generate_context!());

    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            eprintln!("Hirebridge could not start: {err}");
            std::process::exit(1);
        }
    }
}

fn focus_main_window<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
