//! Debug builds only: with `HIREBRIDGE_IPC_TRANSCRIPT=1` the page records every IPC call it
//! sends and every answer, event and channel message it receives in
//! `window.__HIREBRIDGE_IPC_TRANSCRIPT__`, so the end-to-end secrets audit
//! (`tests/e2e/secrets-audit.test.mjs`) can scan the IPC traffic of a real session. A plugin,
//! because a plugin's init script runs in the page after Tauri's own and before the app's.

use tauri::Runtime;
use tauri::plugin::{Builder, TauriPlugin};

pub const ENV: &str = "HIREBRIDGE_IPC_TRANSCRIPT";

const RECORDER: &str = include_str!("ipc_transcript.js");

/// True when the environment asks for the transcript.
pub fn requested() -> bool {
    std::env::var(ENV).is_ok_and(|v| v == "1")
}

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("ipc-transcript")
        .js_init_script(RECORDER)
        .build()
}
