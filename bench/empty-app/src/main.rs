//! The empty Tauri 2 app that `make bench` measures Meldcode against: one window of Meldcode's
//! size showing a page with a single heading, nothing else (no plugins, no commands, no state).

// No console window on Windows in release builds, as in Meldcode.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("the empty app could not start: {e}");
        std::process::exit(1);
    }
}
