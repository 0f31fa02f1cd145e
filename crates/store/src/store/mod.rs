//! The unlocked store: one user's session over the encrypted database. Every write goes
//! command → engine → events → log + projection, in one durable transaction. One concern per
//! file: opening and set-up, user administration, recording, case views, integrity, backup.

mod anchorer;
pub mod backup;
pub mod export;
pub mod figures;
pub mod integrity;
mod open;
mod pins;
mod record;
mod rekey;
mod reminders;
mod retention;
mod school;
mod sync;
pub(crate) mod user_rows;
mod users;
mod views;
mod wipe;

pub use integrity::BackgroundCheck;
pub use open::{Initialised, LockScreenUser};
pub use school::SchoolLog;
pub use users::Proof;
pub use views::{CaseExport, CaseView, RuleText};

use crate::crypto::Key;
use crate::error::{Result, StoreError};
use crate::log;
use crate::vault::anchor::IntegrityAlarm;
use crate::vault::Vault;
use meldcode_engine::catalogue::SignalCatalogue;
use meldcode_engine::people::User;
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::{Actor, CaseId, CaseState, DeviceId, UserId};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use user_rows::load_user;

pub const DB_FILE: &str = "meldcode.db";
pub const VAULT_FILE: &str = "vault.json";

pub(crate) fn db_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

pub(crate) fn vault_path(dir: &Path) -> PathBuf {
    dir.join(VAULT_FILE)
}

pub(super) fn new_uuid() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// Case states kept between records: replaying a case on every record would make recording
/// cost grow with the case. Bounded, because a session may touch many cases.
pub(super) const CACHED_CASES: usize = 256;

pub struct Store {
    dir: PathBuf,
    conn: Connection,
    key: Key,
    user: User,
    device_id: DeviceId,
    profile: SchoolProfile,
    catalogue: SignalCatalogue,
    /// Per case: the log position of its newest event and the state folded up to it.
    cases: HashMap<CaseId, (i64, CaseState)>,
    /// This device's chain head after our last append.
    head: Option<log::DeviceHead>,
    /// The keyring entry as this session last wrote or read it: the device secret (for the
    /// vault's MAC and for wrapping keys) and the counter a vault must not fall behind.
    entry: crate::keyring::DeviceEntry,
    /// Anchors this device's chain head in the vault after each commit, off the recording path.
    anchorer: anchorer::Anchorer,
    /// The devices whose chains count; any other chain in the log is ignored and reported.
    known_devices: Vec<DeviceId>,
    alarms: Vec<IntegrityAlarm>,
    must_change_pin: bool,
    /// The sync spool, opened at the first sync of the session.
    spool: Option<crate::sync::spool::Spool>,
    /// The spool's PIN packages and assigned users as last taken in (`take_pins` skips a round
    /// in which neither changed).
    pins_seen: Option<String>,
}

impl Store {
    pub(super) fn from_parts(
        dir: &Path,
        conn: Connection,
        key: Key,
        user_id: UserId,
        entry: crate::keyring::DeviceEntry,
        vault: &Vault,
    ) -> Result<Self> {
        let user = load_user(&conn, user_id)?.ok_or(StoreError::UnknownUser)?;
        let meta = |k: &str| -> Result<String> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", params![k], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StoreError::Damaged {
                detail: "instellingen ontbreken".into(),
            })
        };
        let device_id = meta("device_id")?
            .parse()
            .map_err(|_| StoreError::Damaged {
                detail: "apparaat-id".into(),
            })?;
        if device_id != vault.device_id {
            return Err(StoreError::VaultChanged);
        }
        let profile =
            serde_json::from_str(&meta("school_profile")?).map_err(|_| StoreError::Damaged {
                detail: "schoolprofiel".into(),
            })?;
        Ok(Self {
            dir: dir.to_owned(),
            conn,
            key,
            user,
            device_id,
            profile,
            catalogue: SignalCatalogue::default_catalogue(),
            cases: HashMap::new(),
            head: None,
            anchorer: anchorer::Anchorer::start(dir.to_owned(), entry.clone()),
            entry,
            known_devices: vault.known_devices(),
            alarms: vault.alarms.clone(),
            must_change_pin: vault.user(user_id)?.must_change_pin,
            spool: None,
            pins_seen: None,
        })
    }

    pub fn actor(&self) -> Actor {
        self.user.actor()
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn profile(&self) -> &SchoolProfile {
        &self.profile
    }

    pub fn catalogue(&self) -> &SignalCatalogue {
        &self.catalogue
    }

    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    pub fn known_devices(&self) -> &[DeviceId] {
        &self.known_devices
    }

    /// A PIN set by the coordinator: the app asks for a new one before anything else.
    pub fn must_change_pin(&self) -> bool {
        self.must_change_pin
    }

    /// Drops the key (zeroised) and closes the database.
    pub fn lock(self) {}

    /// For tests and the bench: the raw connection.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// The data folder is private to the user who runs the app.
pub(super) fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}
