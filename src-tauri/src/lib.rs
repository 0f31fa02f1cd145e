//! Meldcode's Tauri shell: the store behind a lock, and thin commands over it.

mod away;
mod background_sync;
mod commands;
mod contacts;
mod export;
mod figures;
mod idle_clock;
mod integrity;
mod reminders;
mod retention;
mod save;
mod shell;

use shell::Shell;
use std::path::PathBuf;
use tauri::Manager;

/// The data folder: `MELDCODE_DATA_DIR` when set (tests, a school's own layout), else the
/// platform's app data folder, which the `meldcode` CLI uses too.
fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    if let Some(dir) = std::env::var_os("MELDCODE_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    Ok(app.path().app_data_dir()?)
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    meldcode_store::db::initialise();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let dir = data_dir(app)?;
            let enrolled = meldcode_store::sync::spool::spool_path(&dir).exists();
            app.manage(Shell::new(dir));
            app.manage(background_sync::BackgroundSync::new(enrolled));
            background_sync::start(app.handle().clone());
            app.manage(reminders::Reminders::default());
            reminders::start(app.handle().clone());
            away::watch(app.handle().clone());
            away::watch_suspend(app.handle().clone());
            Ok(())
        })
        .on_window_event(away::on_window_event)
        .invoke_handler(tauri::generate_handler![
            commands::lock_screen,
            commands::default_profile,
            commands::check_profile,
            commands::set_up,
            commands::unlock,
            commands::release_with_recovery_key,
            commands::session,
            commands::lock,
            commands::touch,
            commands::list_cases,
            commands::catalogue,
            commands::profile,
            commands::capture,
            commands::case_view,
            commands::record,
            commands::users,
            commands::add_user,
            commands::remove_user,
            commands::reset_pin,
            commands::change_pin,
            commands::acknowledge_alarms,
            commands::change_role,
            commands::school_log,
            figures::evaluation_figures,
            figures::save_figures_csv,
            figures::save_figures_pdf,
            export::inzage_mask_points,
            export::export_dossier,
            retention::due_for_destruction,
            retention::destroy_case,
            reminders::daily_digest,
            commands::save_settings,
            commands::open_contact,
            commands::sync_status,
            commands::sync_now,
            commands::enroll_device,
            commands::join_school,
            commands::new_enrollment_code,
            commands::devices,
            commands::revoke_device,
            commands::assign_user_to_device,
            commands::unassign_user_from_device,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Meldcode could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    /// Every command the UI can call is granted by name in the capability, and nothing else is.
    /// The webview may load nothing from elsewhere, and a page can neither change its base URL
    /// nor post a form anywhere, nor embed plugins.
    #[test]
    fn content_security_policy_closes_base_forms_and_objects() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).expect("tauri.conf.json");
        let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP");
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(directive), "{directive} in {csp}");
        }
    }

    #[test]
    fn capability_grants_exactly_the_registered_commands() {
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let lib = std::fs::read_to_string(here.join("src/lib.rs")).expect("lib.rs");
        // Every `module::command,` line inside `generate_handler![…]`.
        let mut registered: Vec<String> = lib
            .lines()
            .skip_while(|l| !l.contains("generate_handler!["))
            .skip(1)
            .take_while(|l| !l.trim().starts_with(']'))
            .filter_map(|l| l.trim().trim_end_matches(',').rsplit_once("::"))
            .map(|(_, c)| format!("allow-{}", c.replace('_', "-")))
            .collect();
        registered.sort();
        let capability: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(here.join("capabilities/default.json")).expect("capability"),
        )
        .expect("capability JSON");
        let mut granted: Vec<String> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str())
            .filter(|p| p.starts_with("allow-"))
            .map(str::to_owned)
            .collect();
        granted.sort();
        assert_eq!(granted, registered);
        for plugin in ["opener:", "dialog:", "notification:"] {
            assert!(
                !capability.to_string().contains(plugin),
                "the UI gets no {plugin} permission: the core uses these plugins itself"
            );
        }
    }
}
