// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // First, before any thread or key exists: a crash must not write pupil data or the database
    // key to disk. A failure only warns, because a school must still be able to record a signal;
    // a dump also needs a crash and a machine that keeps them.
    if let Err(e) = meldcode_harden::disable_core_dumps() {
        eprintln!("Meldcode: warning: could not disable core dumps ({e}); going on");
    }
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

#[cfg(test)]
mod tests {
    /// Before WebKit's threads, and long before a PIN or key is in memory: a later call would
    /// leave a window in which a crash still dumps.
    #[test]
    fn the_app_disables_core_dumps_before_anything_else() {
        let (_, body) = include_str!("main.rs")
            .split_once("fn main() {")
            .expect("fn main");
        let first = body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("//"))
            .expect("a first statement");
        assert_eq!(
            first,
            "if let Err(e) = meldcode_harden::disable_core_dumps() {"
        );
    }
}
