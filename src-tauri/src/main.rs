// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The sync path allocates a lot of short-lived JSON; with glibc's allocator malloc/free were
// about 30 % of a sync's CPU in profiles, and mimalloc raised ingest by 30-70 % in the bench.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    hirebridge_app_lib::run();
}
