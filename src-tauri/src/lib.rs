//! The Hirebridge desktop shell: plugins, windows, commands and events over `hirebridge-core`.
//! Commands are thin: parse, call one core function, map the error.

pub mod background_sync;
pub mod browser;
pub mod commands;
pub mod connectivity;
pub mod data_commands;
pub mod deep_links;
pub mod demo;
pub mod events;
pub mod flows;
#[cfg(debug_assertions)]
pub mod ipc_transcript;
pub mod launch;
pub mod notifications;
pub mod push_commands;
pub mod services;
pub mod state;
pub mod ui_commands;

use std::sync::Arc;

use tauri::Manager;
use tauri_specta::{collect_commands, collect_events};

use crate::state::AppState;

/// Every command and event the UI may use; the TypeScript bindings are generated from this.
pub fn specta_builder<R: tauri::Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        .commands(collect_commands![
            commands::app_info,
            commands::take_pending_deep_links,
            commands::list_accounts,
            commands::keychain_backend,
            commands::link_api_key,
            commands::start_oauth_link,
            commands::cancel_oauth_link,
            commands::relink_account,
            commands::unlink_account,
            commands::demo_accounts,
            commands::link_demo_account,
            data_commands::list_candidates,
            data_commands::search_candidates,
            data_commands::candidate_detail,
            data_commands::list_jobs,
            data_commands::list_job_choices,
            data_commands::find_duplicates,
            data_commands::activity_feed,
            data_commands::unread_activity_count,
            data_commands::mark_activity_read,
            data_commands::follow_candidate,
            data_commands::unfollow_candidate,
            data_commands::notify_scope,
            data_commands::set_notify_scope,
            data_commands::sync_now,
            data_commands::sync_overview,
            data_commands::sync_history,
            data_commands::job_stages,
            data_commands::move_stage,
            data_commands::reject_application,
            data_commands::open_attachment,
            data_commands::save_attachment,
            data_commands::candidate_web_page,
            data_commands::open_candidate_in_ats,
            push_commands::read_resume,
            push_commands::open_resume,
            push_commands::push_capabilities,
            push_commands::job_form_fields,
            push_commands::push_users,
            push_commands::push_candidate,
            ui_commands::candidate_stages,
        ])
        .events(collect_events![
            events::DeepLinkEvent,
            events::LinkEvent,
            events::SyncUpdateEvent,
            events::ConnectivityEvent,
            push_commands::PushProgressEvent,
            push_commands::ResumeDroppedEvent,
            push_commands::ResumeDragEvent
        ])
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
        .on_window_event(push_commands::on_window_event::<R>)
        .manage(state)
}

/// Registers the typed events so they can be emitted.
pub fn mount_events<R: tauri::Runtime>(app: &impl Manager<R>) {
    specta_builder::<R>().mount_events(app);
    push_commands::mount(app);
    let handle = app.app_handle().clone();
    app.state::<AppState>()
        .set_link_events(Arc::new(move |event: events::LinkEvent| {
            use tauri_specta::Event;
            if let Err(err) = event.emit(&handle) {
                log::error!("could not send a linking event to the window: {err}");
            }
        }));
    let handle = app.app_handle().clone();
    app.state::<AppState>()
        .set_app_events(Arc::new(move |event: events::AppEvent| {
            use tauri_specta::Event;
            let sent = match event {
                events::AppEvent::Sync(sync) => {
                    notifications::on_sync_event(&handle, &sync);
                    events::SyncUpdateEvent(*sync).emit(&handle)
                }
                events::AppEvent::Connectivity(c) => c.emit(&handle),
            };
            if let Err(err) = sent {
                log::error!("could not send an event to the window: {err}");
            }
        }));
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
        .plugin(log_plugin())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init());
    #[cfg(debug_assertions)]
    let app = if ipc_transcript::requested() {
        app.plugin(ipc_transcript::plugin())
    } else {
        app
    };

    let app = builder(app, AppState::new(options.demo))
        .setup(move |app| {
            mount_events(app);
            let handle = app.handle().clone();
            let data_dir = state::resolve_data_dir(&handle)?;
            let state = app.state::<AppState>();
            state.set_browser(Arc::new(browser::SystemBrowser::new(handle.clone())));
            state.set_file_opener(Arc::new(browser::SystemBrowser::new(handle.clone())));
            let demo = options.demo;
            let services = tauri::async_runtime::block_on(async {
                let demo = if demo {
                    Some(demo::Demo::start(demo::Demo::auto_consent_from_env()).await?)
                } else {
                    None
                };
                let keychain = hirebridge_core::secrets::system_store_for(&data_dir);
                if let Err(e) = &keychain {
                    log::error!("the OS keychain cannot be used: {}", e.message);
                }
                let services = services::Services::open(&data_dir, keychain, demo).await?;
                if let Some(demo) = services.demo.as_ref() {
                    let secrets = services.secrets().ok();
                    match demo
                        .forget_earlier_demo_accounts(&services.accounts, secrets.as_deref())
                        .await
                    {
                        Ok(0) => {}
                        Ok(n) => log::info!("unlinked {n} demo accounts of an earlier run"),
                        Err(e) => log::warn!("earlier demo accounts stay: {}", e.message),
                    }
                }
                Ok::<_, hirebridge_core::Error>(services)
            });
            if let Err(e) = &services {
                log::error!("Hirebridge could not open its data: {}", e.message);
            }
            let opened = services.is_ok();
            state.set_services(services);
            state.set_data_dir(data_dir);
            if opened {
                start_background_sync(&state);
            }
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

/// Keeps every account synced on a schedule and watches for the network coming back.
fn start_background_sync(state: &AppState) {
    match state.background() {
        Ok(background) => {
            background.start_schedule(background_sync::SCHEDULE_EVERY);
            background.watch_connectivity(std::time::Duration::from_secs(15));
        }
        Err(e) => log::error!("background sync could not start: {}", e.message),
    }
}

/// Logs to stdout and a file: under `$HIREBRIDGE_DATA_DIR/logs` when that is set (tests read
/// it), else the platform's log directory.
fn log_plugin<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use tauri_plugin_log::{Target, TargetKind};
    let file =
        match std::env::var_os(hirebridge_core::paths::DATA_DIR_ENV).filter(|v| !v.is_empty()) {
            Some(dir) => TargetKind::Folder {
                path: std::path::PathBuf::from(dir).join("logs"),
                file_name: None,
            },
            None => TargetKind::LogDir { file_name: None },
        };
    tauri_plugin_log::Builder::new()
        .level(log::LevelFilter::Info)
        // zbus (single-instance forwarding on Linux) logs every D-Bus call it serves at info,
        // as a full message dump: noise in the recruiter's log.
        .level_for("zbus", log::LevelFilter::Warn)
        .clear_targets()
        .targets([Target::new(TargetKind::Stdout), Target::new(file)])
        .build()
}

fn focus_main_window<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
