//! The UI's commands: each is a thin adapter over a store function the CLI uses too. They run
//! off the main thread (`async`), because unlocking spends ~0.1 s in Argon2 and a save waits for
//! the disk.

use crate::background_sync::{self, BackgroundSync};
use crate::contacts::{open_failed, url_for, Channel};
use crate::shell::Shell;
use meldcode_engine::catalogue::SignalCatalogue;
use meldcode_engine::people::User;
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::{CaseId, Command, DeviceId, Role, UserId};
use meldcode_store::projection::CaseListItem;
use meldcode_store::sync::{DeviceView, EnrollmentCodeView, SyncStatus};
use meldcode_store::{
    provisioning, CaptureRequest, CaptureResult, CaseView, DeviceSettings, ErrorBody,
    FirstRunProfile, KdfParams, LockScreen, Proof, SchoolLog, Session, Setup, Store, StoreError,
};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;

type Reply<T> = Result<T, ErrorBody>;

/// A PIN, passphrase or key from the UI: wiped from memory when the command is done.
type Secret = zeroize::Zeroizing<String>;

#[tauri::command(async, rename_all = "snake_case")]
pub fn lock_screen(shell: State<'_, Shell>) -> LockScreen {
    Store::lock_screen(&shell.dir)
}

/// The profile a first run starts from: the school's provisioning file when the IT person put
/// one on this machine, else the built-in one. A provisioning file that is not in order is an
/// error with every problem listed, never a quiet fall-back.
#[tauri::command(async, rename_all = "snake_case")]
pub fn default_profile() -> Reply<FirstRunProfile> {
    Ok(provisioning::first_run_profile()?)
}

/// Checks a profile file a school imports; every problem is listed at once.
#[tauri::command(async, rename_all = "snake_case")]
pub fn check_profile(text: String) -> Reply<SchoolProfile> {
    Ok(SchoolProfile::from_json(&text)?)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn set_up(
    shell: State<'_, Shell>,
    profile_text: Option<String>,
    coordinator_name: String,
    pin: Secret,
) -> Reply<Setup> {
    let profile = match profile_text {
        Some(text) => SchoolProfile::from_json(&text)?,
        None => provisioning::first_run_profile()?.profile,
    };
    let done = Store::init(
        &shell.dir,
        profile,
        &coordinator_name,
        &pin,
        KdfParams::DEFAULT,
    )?;
    let session = done.store.session();
    shell.open(done.store);
    Ok(Setup {
        session,
        recovery_key: done.recovery_key,
    })
}

/// Unlocking checks the chain heads at once; the full check of every hash runs after it on its
/// own connection and thread, and a finding reaches the UI as the `integrity` event.
#[tauri::command(async, rename_all = "snake_case")]
pub fn unlock(
    app: AppHandle,
    shell: State<'_, Shell>,
    sync: State<'_, BackgroundSync>,
    user_id: UserId,
    pin: Secret,
) -> Reply<Session> {
    let store = Store::unlock(&shell.dir, user_id, &pin)?;
    let session = store.session();
    let check = store.background_check();
    shell.open(store);
    // What arrived while locked is taken in now.
    sync.kick();
    crate::reminders::soon(&app);
    match check {
        Ok(check) => crate::integrity::check_in_background(app, check),
        Err(e) => eprintln!("Meldcode: no full check after unlock ({})", e.code()),
    }
    Ok(session)
}

/// A device out of contact with the school server for too long opens with PINs again after the
/// coordinator typed the recovery key on it; the next round may then reach the server.
#[tauri::command(async, rename_all = "snake_case")]
pub fn release_with_recovery_key(
    shell: State<'_, Shell>,
    sync: State<'_, BackgroundSync>,
    recovery_key: Secret,
) -> Reply<()> {
    Store::release_with_recovery_key(&shell.dir, &recovery_key)?;
    sync.kick();
    Ok(())
}

/// The session as it stands (after the full check raised an alarm, say).
#[tauri::command(async, rename_all = "snake_case")]
pub fn session(shell: State<'_, Shell>) -> Reply<Session> {
    shell.with_store(|s| Ok(s.session()))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn lock(shell: State<'_, Shell>) {
    shell.lock();
}

/// Activity in the UI (throttled there), so that the idle lock counts from the last touch.
#[tauri::command(async, rename_all = "snake_case")]
pub fn touch(shell: State<'_, Shell>) -> Reply<()> {
    shell.with_store(|_| Ok(()))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn list_cases(shell: State<'_, Shell>, search: Option<String>) -> Reply<Vec<CaseListItem>> {
    shell.with_store(|s| Ok(s.list_cases(search.as_deref())?))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn catalogue(shell: State<'_, Shell>) -> Reply<SignalCatalogue> {
    shell.with_store(|s| Ok(s.catalogue().clone()))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn profile(shell: State<'_, Shell>) -> Reply<SchoolProfile> {
    shell.with_store(|s| Ok(s.profile().clone()))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn capture(
    shell: State<'_, Shell>,
    sync: State<'_, BackgroundSync>,
    request: CaptureRequest,
) -> Reply<CaptureResult> {
    let saved = shell.with_store(|s| Ok(s.capture(&request)?))?;
    sync.kick();
    Ok(saved)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn case_view(shell: State<'_, Shell>, case_id: CaseId) -> Reply<CaseView> {
    shell.with_store(|s| Ok(s.case_view(case_id)?))
}

/// One guided form's command; the engine decides, and the case is returned as it now stands.
#[tauri::command(async, rename_all = "snake_case")]
pub fn record(
    shell: State<'_, Shell>,
    sync: State<'_, BackgroundSync>,
    case_id: CaseId,
    command: Command,
) -> Reply<CaseView> {
    shell.with_store(|s| Ok(s.record(case_id, &command)?))?;
    sync.kick();
    shell.with_store(|s| Ok(s.case_view(case_id)?))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn users(shell: State<'_, Shell>) -> Reply<Vec<User>> {
    shell.with_store(|s| Ok(s.users()?))
}

/// Administration takes the acting user's own PIN again (`acting_pin`).
#[tauri::command(async, rename_all = "snake_case")]
pub fn add_user(
    shell: State<'_, Shell>,
    sync: State<'_, BackgroundSync>,
    acting_pin: Secret,
    full_name: String,
    role: Role,
    pin: Secret,
) -> Reply<User> {
    let user =
        shell.with_store(|s| Ok(s.add_user(Proof::Pin(&acting_pin), &full_name, role, &pin)?))?;
    sync.kick();
    Ok(user)
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn remove_user(
    shell: State<'_, Shell>,
    sync: State<'_, BackgroundSync>,
    acting_pin: Secret,
    user_id: UserId,
) -> Reply<()> {
    shell.with_store(|s| Ok(s.remove_user(Proof::Pin(&acting_pin), user_id)?))?;
    sync.kick();
    Ok(())
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn reset_pin(
    shell: State<'_, Shell>,
    sync: State<'_, BackgroundSync>,
    acting_pin: Secret,
    user_id: UserId,
    pin: Secret,
) -> Reply<()> {
    shell.with_store(|s| Ok(s.reset_pin(Proof::Pin(&acting_pin), user_id, &pin)?))?;
    sync.kick();
    Ok(())
}

/// Also after unlocking with a PIN the coordinator set: the session then says so no more.
#[tauri::command(async, rename_all = "snake_case")]
pub fn change_pin(shell: State<'_, Shell>, current_pin: Secret, new_pin: Secret) -> Reply<Session> {
    shell.with_store(|s| {
        s.change_pin(&current_pin, &new_pin)?;
        Ok(s.session())
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn change_role(
    shell: State<'_, Shell>,
    sync: State<'_, BackgroundSync>,
    acting_pin: Secret,
    user_id: UserId,
    role: Role,
) -> Reply<()> {
    shell.with_store(|s| Ok(s.change_role(Proof::Pin(&acting_pin), user_id, role)?))?;
    sync.kick();
    Ok(())
}

/// Who administered which account, for the director and the board.
#[tauri::command(async, rename_all = "snake_case")]
pub fn school_log(shell: State<'_, Shell>) -> Reply<SchoolLog> {
    shell.with_store(|s| Ok(s.school_log()?))
}

/// The coordinator or the director has dealt with the record's alarms.
#[tauri::command(async, rename_all = "snake_case")]
pub fn acknowledge_alarms(shell: State<'_, Shell>) -> Reply<Session> {
    shell.with_store(|s| {
        s.acknowledge_alarms()?;
        Ok(s.session())
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn save_settings(shell: State<'_, Shell>, settings: DeviceSettings) -> Reply<DeviceSettings> {
    shell.with_store(|_| Ok(settings.save(&shell.dir)?))?;
    shell.set_settings(settings);
    Ok(settings)
}

/// Works while locked for the emergency numbers; once unlocked, for every contact of the school.
#[tauri::command(async, rename_all = "snake_case")]
pub fn open_contact(
    app: AppHandle,
    shell: State<'_, Shell>,
    contact_id: String,
    channel: Channel,
) -> Reply<()> {
    let from_profile = shell
        .with_store(|s| Ok(s.profile().contact(&contact_id).cloned()))
        .ok()
        .flatten();
    let contact = match from_profile {
        Some(c) => c,
        None => meldcode_store::boundary::emergency_numbers(&shell.dir)
            .into_iter()
            .find(|c| c.id == contact_id)
            .ok_or_else(|| ErrorBody {
                code: "not_found".into(),
                message: "Dit contact staat niet in de sociale kaart.".into(),
            })?,
    };
    let url = url_for(&contact, channel)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|_| open_failed(&contact, channel))
}

/// The status line; also while locked (from the spool, which needs no PIN).
#[tauri::command(async, rename_all = "snake_case")]
pub fn sync_status(shell: State<'_, Shell>) -> SyncStatus {
    background_sync::status(&shell)
}

/// Work that waits on the school's server runs on tokio's blocking pool: the HTTP client is a
/// blocking one, which must not run on the async runtime's own threads.
async fn off_the_runtime<T: Send + 'static>(
    app: AppHandle,
    f: impl FnOnce(&AppHandle) -> Reply<T> + Send + 'static,
) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(move || f(&app))
        .await
        .map_err(|_| ErrorBody {
            code: "interrupted".into(),
            message: "De opdracht werd afgebroken. Probeer het opnieuw.".into(),
        })?
}

/// *Nu synchroniseren*: one round now; the dossier is not held while it talks to the server.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(app: AppHandle) -> Reply<SyncStatus> {
    off_the_runtime(app, background_sync::run_round).await
}

/// A coordinator links this device, with its dossier, to the school's server.
#[tauri::command(rename_all = "snake_case")]
pub async fn enroll_device(app: AppHandle, server: String, code: Secret) -> Reply<SyncStatus> {
    off_the_runtime(app, move |app| {
        let shell = app.state::<Shell>();
        shell.with_store(|s| Ok(s.enroll(&server, &code)?))?;
        app.state::<BackgroundSync>().enrolled();
        Ok(background_sync::status(&shell))
    })
    .await
}

/// A new device joins the school with a code made for one user, who chooses a PIN here.
#[tauri::command(rename_all = "snake_case")]
pub async fn join_school(
    app: AppHandle,
    server: String,
    code: Secret,
    pin: Secret,
) -> Reply<Session> {
    off_the_runtime(app, move |app| {
        let shell = app.state::<Shell>();
        let joined = Store::join(&shell.dir, &server, &code, &pin, KdfParams::DEFAULT);
        if matches!(joined, Err(StoreError::JoinedUseOtherPin)) {
            // Set up and enrolled, but locked: the UI goes to the lock screen with the reason.
            app.state::<BackgroundSync>().enrolled();
        }
        let store = joined?;
        let session = store.session();
        shell.open(store);
        app.state::<BackgroundSync>().enrolled();
        Ok(session)
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn new_enrollment_code(app: AppHandle, user_id: UserId) -> Reply<EnrollmentCodeView> {
    off_the_runtime(app, move |app| {
        app.state::<Shell>()
            .with_store(|s| Ok(s.enrollment_code_view(user_id)?))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn devices(app: AppHandle) -> Reply<Vec<DeviceView>> {
    off_the_runtime(app, |app| {
        app.state::<Shell>().with_store(|s| Ok(s.devices()?))
    })
    .await
}

/// Lets a colleague work on another enrolled device too, with the coordinator's own PIN:
/// recorded in the school log and sent at once, so that the list shows her there.
#[tauri::command(rename_all = "snake_case")]
pub async fn assign_user_to_device(
    app: AppHandle,
    acting_pin: Secret,
    user_id: UserId,
    device_id: DeviceId,
) -> Reply<Vec<DeviceView>> {
    on_devices(app, move |s| {
        s.assign_user(Proof::Pin(&acting_pin), user_id, device_id)
    })
    .await
}

/// Takes a colleague off a device, with the coordinator's own PIN: recorded in the school log and
/// sent at once; the device takes her envelope out when it hears of it.
#[tauri::command(rename_all = "snake_case")]
pub async fn unassign_user_from_device(
    app: AppHandle,
    acting_pin: Secret,
    user_id: UserId,
    device_id: DeviceId,
) -> Reply<Vec<DeviceView>> {
    on_devices(app, move |s| {
        s.unassign_user(Proof::Pin(&acting_pin), user_id, device_id)
    })
    .await
}

/// A change to who works on which device, sent at once (recorded either way: should the network
/// go just now, it goes with the next round); answers with the devices as they now stand.
async fn on_devices(
    app: AppHandle,
    change: impl FnOnce(&mut Store) -> meldcode_store::Result<()> + Send + 'static,
) -> Reply<Vec<DeviceView>> {
    off_the_runtime(app, move |app| {
        app.state::<Shell>().with_store(|s| {
            change(s)?;
            if let Err(e) = s.sync() {
                eprintln!(
                    "Meldcode: the change waits for the next round ({})",
                    e.code()
                );
            }
            Ok(s.devices()?)
        })
    })
    .await
}

/// Revokes a lost or stolen device with the coordinator's own PIN; it wipes itself at its next
/// contact.
#[tauri::command(rename_all = "snake_case")]
pub async fn revoke_device(
    app: AppHandle,
    acting_pin: Secret,
    device_id: DeviceId,
) -> Reply<Vec<DeviceView>> {
    off_the_runtime(app, move |app| {
        app.state::<Shell>().with_store(|s| {
            s.revoke_device(&acting_pin, device_id)?;
            Ok(s.devices()?)
        })
    })
    .await
}
