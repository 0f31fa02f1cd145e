//! Setting up a store, the lock screen's list, unlocking with a PIN and recovering with the
//! recovery key.

use super::user_rows::insert_user;
use super::users::{check_full_name, seal_for_user};
use super::{create_private_dir, db_path, new_uuid, vault_path, Store};
use crate::crypto::{self, KdfParams};
use crate::db;
use crate::error::{Result, StoreError};
use crate::keyring;
use crate::vault::{check_pin_strength, lock_vault, Vault, VAULT_VERSION};
use chrono::Utc;
use meldcode_engine::people::User;
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::{DeviceId, Role, UserId};
use rusqlite::params;
use serde::Serialize;
use std::path::Path;

/// What the lock screen lists before anything is unlocked.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockScreenUser {
    pub id: UserId,
    pub display_name: String,
    pub role: Role,
    /// After a recovery replaced the device secret, the coordinator sets a new PIN first.
    pub needs_new_pin: bool,
}

pub struct Initialised {
    pub store: Store,
    /// Shown once, for the school's safe; never stored in plaintext.
    pub recovery_key: String,
}

impl Store {
    /// Sets up a new store: device secret in the keyring, database key, first coordinator,
    /// school profile. Returns the recovery key, to be shown once.
    pub fn init(
        dir: &Path,
        profile: SchoolProfile,
        coordinator_name: &str,
        pin: &str,
        kdf: KdfParams,
    ) -> Result<Initialised> {
        check_full_name(coordinator_name)?;
        check_pin_strength(pin)?;
        create_private_dir(dir)?;
        let _guard = lock_vault(&vault_path(dir))?;
        if vault_path(dir).exists() || db_path(dir).exists() {
            return Err(StoreError::AlreadyInitialised);
        }
        let device_id = DeviceId(new_uuid());
        let user = User {
            id: UserId(new_uuid()),
            full_name: coordinator_name.trim().to_owned(),
            role: Role::Coordinator,
        };
        let device_secret = keyring::create_device_secret(device_id)?;
        let db_key = crypto::random_key()?;
        let recovery_key = crypto::random_key()?;
        let envelope = seal_for_user(&user, pin, &device_secret, &db_key, kdf)?;
        let vault = Vault {
            version: VAULT_VERSION,
            device_id,
            users: vec![envelope],
            recovery: crypto::seal(&recovery_key, b"recovery", db_key.as_slice())?,
        };
        let conn = db::open(&db_path(dir), &db_key, true)?;
        let profile_json = serde_json::to_string(&profile).map_err(|_| StoreError::Invalid {
            message: "Schoolprofiel kon niet worden opgeslagen.".into(),
        })?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('device_id', ?1), ('school_profile', ?2)",
            params![device_id.to_string(), profile_json],
        )?;
        insert_user(&conn, &user)?;
        crate::boundary::save_emergency_numbers(dir, &profile)?;
        vault.save(&vault_path(dir))?;
        Ok(Initialised {
            store: Self::from_parts(dir, conn, db_key, user.id)?,
            recovery_key: crypto::format_recovery_key(&recovery_key),
        })
    }

    pub fn lock_screen_users(dir: &Path) -> Result<Vec<LockScreenUser>> {
        let vault = Vault::load(&vault_path(dir))?;
        Ok(vault
            .users
            .iter()
            .map(|u| LockScreenUser {
                id: u.user_id,
                display_name: u.display_name.clone(),
                role: u.role,
                needs_new_pin: u.sealed_key.is_none(),
            })
            .collect())
    }

    /// Opens the store for `user` with their PIN. Wrong PINs count towards a growing delay that
    /// survives restarts (it is kept in the vault file).
    pub fn unlock(dir: &Path, user: UserId, pin: &str) -> Result<Self> {
        let path = vault_path(dir);
        let _guard = lock_vault(&path)?;
        let mut vault = Vault::load(&path)?;
        let now = Utc::now();
        let envelope = vault.user(user)?;
        envelope.check_not_locked(now)?;
        let Some(sealed) = envelope.sealed_key.clone() else {
            return Err(StoreError::NotAllowed {
                message: "Uw pincode moet opnieuw worden ingesteld door de intern begeleider."
                    .into(),
            });
        };
        let device_secret = keyring::load_device_secret(vault.device_id)?;
        let kek =
            crypto::derive_user_key(pin, &envelope.salt, device_secret.as_slice(), envelope.kdf)?;
        let Some(db_key) = crypto::open(&kek, user.0.as_bytes(), &sealed) else {
            let err = vault.user_mut(user)?.register_failure(now);
            vault.save(&path)?;
            return Err(err);
        };
        let envelope = vault.user_mut(user)?;
        if envelope.failed_attempts > 0 {
            envelope.register_success();
            vault.save(&path)?;
        }
        let conn = db::open(&db_path(dir), &db_key, false)?;
        Self::from_parts(dir, conn, db_key, user)
    }

    /// Opens the store with the recovery key from the school's safe and sets a new PIN for the
    /// coordinator doing it. If the keyring entry is gone, a new device secret replaces it and the
    /// other users' PINs must be set again by the coordinator.
    pub fn recover(dir: &Path, recovery_text: &str, user: UserId, new_pin: &str) -> Result<Self> {
        let path = vault_path(dir);
        let _guard = lock_vault(&path)?;
        let mut vault = Vault::load(&path)?;
        let recovery_key = crypto::parse_recovery_key(recovery_text)?;
        let db_key = crypto::open(&recovery_key, b"recovery", &vault.recovery)
            .ok_or(StoreError::WrongRecoveryKey)?;
        let envelope = vault.user(user)?;
        if envelope.role != Role::Coordinator {
            return Err(StoreError::NotAllowed {
                message:
                    "Alleen een intern begeleider kan het dossier herstellen met de herstelsleutel."
                        .into(),
            });
        }
        let kdf = envelope.kdf;
        let identity = User {
            id: user,
            full_name: envelope.display_name.clone(),
            role: envelope.role,
        };
        check_pin_strength(new_pin)?;
        let device_secret = match keyring::load_device_secret(vault.device_id) {
            Ok(secret) => secret,
            Err(StoreError::Keyring {
                missing_entry: true,
                ..
            }) => {
                for other in &mut vault.users {
                    other.sealed_key = None;
                }
                keyring::create_device_secret(vault.device_id)?
            }
            Err(other) => return Err(other),
        };
        let conn = db::open(&db_path(dir), &db_key, false)?;
        *vault.user_mut(user)? = seal_for_user(&identity, new_pin, &device_secret, &db_key, kdf)?;
        vault.save(&path)?;
        Self::from_parts(dir, conn, db_key, user)
    }
}
