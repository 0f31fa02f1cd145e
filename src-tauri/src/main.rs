// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKit paints a forms app's layers on the CPU (Skia) instead of compiling GPU shaders at
    // every start: `make bench` measured PSS 1.10× and start-up 1.23× of an empty Tauri app with
    // it, against 1.17× and about 1.5× without. Set before any thread starts; an IT person can
    // still set it to 0. (Turning compositing off altogether saves more, but then WebDriver's
    // screenshots hang.)
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_SKIA_ENABLE_CPU_RENDERING").is_none() {
        std::env::set_var("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1");
    }
    meldcode_app_lib::run();
}
