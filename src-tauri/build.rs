// The app's own commands get permissions (`allow-<command>`) so that the capability file lists
// exactly what the UI may call; a command that is not listed there is refused at the IPC layer.
const COMMANDS: &[&str] = &[
    "lock_screen",
    "default_profile",
    "check_profile",
    "set_up",
    "unlock",
    "release_with_recovery_key",
    "session",
    "lock",
    "touch",
    "list_cases",
    "catalogue",
    "profile",
    "capture",
    "case_view",
    "record",
    "users",
    "add_user",
    "remove_user",
    "reset_pin",
    "change_pin",
    "acknowledge_alarms",
    "change_role",
    "school_log",
    "evaluation_figures",
    "save_figures_csv",
    "save_figures_pdf",
    "inzage_mask_points",
    "export_dossier",
    "due_for_destruction",
    "destroy_case",
    "daily_digest",
    "save_settings",
    "open_contact",
    "sync_status",
    "sync_now",
    "enroll_device",
    "join_school",
    "new_enrollment_code",
    "devices",
    "revoke_device",
    "assign_user_to_device",
    "unassign_user_from_device",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
