//! Who is acting and with which PIN: resolving `--user`, reading PINs, unlocking.

use crate::failure::Failure;
use meldcode_engine::UserId;
use meldcode_store::{LockScreenUser, Store};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The folder the app uses too: `<data dir>/nl.meldcode.app` (on Linux `~/.local/share/…`).
pub fn data_dir(given: Option<PathBuf>) -> Result<PathBuf, Failure> {
    given
        .or_else(|| dirs::data_dir().map(|d| d.join("nl.meldcode.app")))
        .ok_or_else(|| Failure::usage("no data folder: pass --data-dir"))
}

/// A user by id or by full name (case-insensitive), from the lock-screen list.
pub fn resolve_user(dir: &Path, given: Option<&str>) -> Result<LockScreenUser, Failure> {
    let given =
        given.ok_or_else(|| Failure::usage("who is acting? pass --user or set MELDCODE_USER"))?;
    let users = Store::lock_screen_users(dir)?;
    let wanted = given.trim();
    let by_id = wanted.parse::<UserId>().ok();
    let matches: Vec<LockScreenUser> = users
        .into_iter()
        .filter(|u| Some(u.id) == by_id || u.display_name.eq_ignore_ascii_case(wanted))
        .collect();
    match matches.len() {
        1 => Ok(matches
            .into_iter()
            .next()
            .ok_or_else(|| Failure::usage("unknown user"))?),
        0 => Err(Failure::usage(
            "unknown user: use the id or the full name from `meldcode user list`",
        )),
        _ => Err(Failure::usage(
            "more than one user has that name: use the id",
        )),
    }
}

/// A PIN from the environment variable, or asked for without echo; wiped from memory on drop.
pub fn read_pin(env: &str, prompt: &str) -> Result<Zeroizing<String>, Failure> {
    if let Ok(pin) = std::env::var(env) {
        return Ok(Zeroizing::new(pin));
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|_| Failure::usage(&format!("no PIN: set {env} or run in a terminal")))
}

pub fn unlock(dir: &Path, user: Option<&str>) -> Result<Store, Failure> {
    Ok(unlock_keeping_pin(dir, user)?.0)
}

/// Unlocks and keeps the PIN for administration, which asks for it again.
pub fn unlock_keeping_pin(
    dir: &Path,
    user: Option<&str>,
) -> Result<(Store, Zeroizing<String>), Failure> {
    let who = resolve_user(dir, user)?;
    let pin = read_pin("MELDCODE_PIN", &format!("PIN for {}: ", who.display_name))?;
    let store = Store::unlock(dir, who.id, &pin)?;
    warn_of_alarms(&store);
    if store.must_change_pin() {
        eprintln!(
            "Your PIN was set by the coordinator: choose your own with `meldcode user change-pin`."
        );
    }
    Ok((store, pin))
}

/// The record's alarms go to stderr on every command, as the app shows them on every screen.
fn warn_of_alarms(store: &Store) {
    for alarm in store.alarms() {
        eprintln!("ALARM ({:?}): {}", alarm.kind, alarm.what);
        if let Some(since) = alarm.since {
            eprintln!("  since {}", since.to_rfc3339());
        }
        eprintln!("  {}", alarm.todo);
    }
}

/// A user of the school (also one who has no PIN on this device), by id or full name.
pub fn resolve_user_in_store(store: &Store, given: &str) -> Result<UserId, Failure> {
    let wanted = given.trim();
    let by_id = wanted.parse::<UserId>().ok();
    let matches: Vec<UserId> = store
        .users()?
        .into_iter()
        .filter(|u| Some(u.id) == by_id || u.full_name.eq_ignore_ascii_case(wanted))
        .map(|u| u.id)
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(Failure::usage(
            "unknown user: use the id or the full name from `meldcode user list`",
        )),
        _ => Err(Failure::usage(
            "more than one user has that name: use the id",
        )),
    }
}
