//! Setting up a store, the lock screen's list, unlocking with a PIN and recovering with the
//! recovery key.

use super::user_rows::insert_user;
use super::users::check_full_name;
use super::{create_private_dir, db_path, new_uuid, vault_path, Store};
use crate::crypto::{self, KdfParams};
use crate::db;
use crate::error::{Result, StoreError};
use crate::keyring;
use crate::sync::spool::Spool;
use crate::vault::anchor::{AlarmKind, AnchoredHead, IntegrityAlarm, TODO_NL};
use crate::vault::lockout::{Lockout, Now};
use crate::vault::{check_pin_strength, keys, lock_vault, RawVault, Vault};
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
    pub recovery_key: zeroize::Zeroizing<String>,
}

impl Store {
    /// Whether a store is set up in `dir` (or half set up: then init and join refuse too).
    pub fn exists(dir: &Path) -> bool {
        vault_path(dir).exists() || db_path(dir).exists()
    }

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
        kdf.check_floor()?;
        create_private_dir(dir)?;
        let path = vault_path(dir);
        let _guard = lock_vault(&path)?;
        if path.exists() || db_path(dir).exists() {
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
        let envelope = keys::new_envelope(&user, pin, &device_secret, &db_key, 1, kdf)?;
        let mut vault = Vault::fresh(
            device_id,
            envelope,
            vec![AnchoredHead {
                device_id,
                seq: 0,
                hash: crate::log::GENESIS.to_vec(),
                recorded_at: None,
            }],
        );
        keys::seal_for_recovery(&mut vault, &recovery_key, &db_key, 1)?;
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
        vault.save(&path, &device_secret)?;
        let entry = keyring::DeviceEntry {
            secret: device_secret,
            counter: Some(vault.counter),
            own_seq: 0,
        };
        Ok(Initialised {
            store: Self::from_parts(dir, conn, db_key, user.id, entry, &vault)?,
            recovery_key: crypto::format_recovery_key(&recovery_key),
        })
    }

    /// The lock screen's list. The vault is checked when the keyring entry is there; without it
    /// the list is shown all the same, because a recovery starts from it.
    pub fn lock_screen_users(dir: &Path) -> Result<Vec<LockScreenUser>> {
        let raw = RawVault::read(&vault_path(dir))?;
        let vault = match keyring::load_device_entry(raw.device_id()) {
            Ok(entry) => raw.verify(&entry)?,
            Err(StoreError::Keyring {
                missing_entry: true,
                ..
            }) => raw.unverified()?,
            Err(other) => return Err(other),
        };
        Ok(vault
            .users
            .iter()
            .map(|u| LockScreenUser {
                id: u.user_id,
                display_name: u.display_name.clone(),
                role: u.role,
                needs_new_pin: u.sealed_key.is_none() && u.keypair.is_none(),
            })
            .collect())
    }

    /// Opens the store for `user` with their PIN. Wrong PINs count towards growing delays, for
    /// the user and for the device, that survive restarts and a wall clock moved forward.
    pub fn unlock(dir: &Path, user: UserId, pin: &str) -> Result<Self> {
        let path = vault_path(dir);
        let _guard = lock_vault(&path)?;
        let (mut vault, entry) = Vault::load(&path)?;
        let spool = Spool::open(dir, &entry.secret)?;
        refuse_when_out_of_contact(spool.as_ref())?;
        let pin_key = match &spool {
            Some(spool) => spool.pin_key()?,
            None => None,
        };
        let now = Now::read();
        let (wait, rebased) = vault.pin_wait(user, &now)?;
        if wait > 0 {
            if rebased {
                vault.save(&path, &entry.secret)?;
            }
            return Err(StoreError::LockedOut { seconds: wait });
        }
        let envelope = super::pins::freshest(vault.user(user)?, spool.as_ref(), pin_key.as_ref())?;
        if envelope.sealed_key.is_none() && envelope.keypair.is_none() {
            return Err(StoreError::NotAllowed {
                message: "Uw pincode moet opnieuw worden ingesteld door de intern begeleider."
                    .into(),
            });
        }
        let secrets = keys::PinSecrets {
            device_secret: &entry.secret,
            pin_key: pin_key.as_ref(),
        };
        let opened = keys::open_envelope(&envelope, pin, &secrets, vault.key_generation)?;
        let Some(candidates) = opened else {
            let wrong = vault.count_wrong_pin(user, &now)?;
            vault.save(&path, &entry.secret)?;
            return Err(wrong);
        };
        let (conn, db_key, generation) = open_newest(dir, candidates)?;
        keys::keep_generation(&mut vault, generation);
        // A PIN changed on another device is this device's PIN from now on.
        super::pins::take_fresh(vault.user_mut(user)?, &envelope);
        // An envelope of the older form becomes a key pair now that the PIN is at hand.
        let envelope = vault.user(user)?;
        if envelope.keypair.is_none() {
            let identity = User {
                id: user,
                full_name: envelope.display_name.clone(),
                role: envelope.role,
            };
            let must_change = envelope.must_change_pin;
            // The PIN the user has, whatever rules it was chosen under: no strength check here.
            let mut renewed = keys::new_envelope(
                &identity,
                pin,
                &entry.secret,
                &db_key,
                generation,
                envelope.kdf,
            )?;
            renewed.must_change_pin = must_change;
            *vault.user_mut(user)? = renewed;
        }
        if let Some(spool) = &spool {
            super::pins::make_school_pin(&mut vault, user, pin, &secrets, spool, &db_key)?;
        }
        vault.user_mut(user)?.lockout.clear();
        vault.device_lockout.clear();
        Self::open_checked(dir, conn, db_key, user, entry, vault)
    }

    /// Opens the store with the recovery key from the school's safe and sets a new PIN for the
    /// coordinator doing it. It is also the way in when the vault cannot be trusted:
    /// - the keyring entry is gone: a new device secret replaces it;
    /// - the vault fails its MAC: it is rebuilt, and everyone else gets a new PIN;
    /// - the vault is an older copy: it is taken as the start, and the alarm says what may be
    ///   missing.
    ///
    /// In the first two cases the other users' PINs must be set again by the coordinator.
    pub fn recover(dir: &Path, recovery_text: &str, user: UserId, new_pin: &str) -> Result<Self> {
        let path = vault_path(dir);
        let _guard = lock_vault(&path)?;
        let raw = RawVault::read(&path)?;
        let recovery_key = crypto::parse_recovery_key(recovery_text)?;
        check_pin_strength(new_pin)?;
        let now = Utc::now();
        let (mut vault, entry, alarm) = match keyring::load_device_entry(raw.device_id()) {
            Ok(entry) => match raw.clone().verify(&entry) {
                Ok(vault) => (vault, entry, None),
                Err(StoreError::RolledBack { saved_at }) => {
                    let vault = raw.unverified()?;
                    let alarm = IntegrityAlarm {
                        kind: AlarmKind::RolledBack,
                        detected_at: now,
                        since: Some(saved_at),
                        what: "Het sleutelbestand van dit apparaat was vervangen door een oudere versie; het dossier is geopend met de herstelsleutel.".into(),
                        todo: TODO_NL.into(),
                    };
                    (vault, entry, Some(alarm))
                }
                Err(StoreError::VaultChanged) => {
                    let mut vault = raw.unverified()?;
                    forget_pins(&mut vault);
                    let alarm = IntegrityAlarm {
                        kind: AlarmKind::VaultRebuilt,
                        detected_at: now,
                        since: None,
                        what: "Het sleutelbestand van dit apparaat was buiten de app gewijzigd; het is opnieuw opgebouwd met de herstelsleutel en alle andere pincodes zijn gewist.".into(),
                        todo: TODO_NL.into(),
                    };
                    (vault, entry, Some(alarm))
                }
                Err(other) => return Err(other),
            },
            Err(StoreError::Keyring {
                missing_entry: true,
                ..
            }) => {
                let mut vault = raw.unverified()?;
                forget_pins(&mut vault);
                let secret = keyring::create_device_secret(vault.device_id)?;
                let entry = keyring::DeviceEntry {
                    secret,
                    counter: None,
                    own_seq: vault.own_seq(),
                };
                (vault, entry, None)
            }
            Err(other) => return Err(other),
        };
        let (conn, db_key, generation) = open_with_recovery_key(dir, &vault, &recovery_key)?;
        keys::keep_generation(&mut vault, generation);
        keys::seal_for_recovery(&mut vault, &recovery_key, &db_key, generation)?;
        // The database says who is a coordinator: the vault may be the thing that was changed.
        let identity = super::user_rows::load_user(&conn, user)?.ok_or(StoreError::UnknownUser)?;
        if identity.role != Role::Coordinator {
            return Err(StoreError::NotAllowed {
                message:
                    "Alleen een intern begeleider kan het dossier herstellen met de herstelsleutel."
                        .into(),
            });
        }
        let kdf = vault
            .user(user)
            .map(|u| u.kdf)
            .ok()
            .filter(|k| k.check_floor().is_ok())
            .unwrap_or(KdfParams::DEFAULT);
        let envelope =
            keys::new_envelope(&identity, new_pin, &entry.secret, &db_key, generation, kdf)?;
        match vault.user_mut(user) {
            Ok(existing) => *existing = envelope,
            Err(_) => vault.users.push(envelope),
        }
        vault.device_lockout.clear();
        // The saved counter must not fall behind the keyring's, or the next unlock would take
        // this vault for an older copy.
        vault.counter = vault.counter.max(entry.counter.unwrap_or(0));
        if let Some(alarm) = alarm {
            vault.raise(alarm);
        }
        Self::open_checked(dir, conn, db_key, user, entry, vault)
    }

    /// Releases a device that was out of contact with the school server for longer than the
    /// school allows: whoever holds the recovery key from the school's safe (the coordinator)
    /// has the device in hand, so it gets the school's limit again from now and its users' PINs
    /// open it. Nothing else changes. The key must open this device's database.
    pub fn release_with_recovery_key(dir: &Path, recovery_text: &str) -> Result<()> {
        let path = vault_path(dir);
        let _guard = lock_vault(&path)?;
        let (vault, entry) = Vault::load(&path)?;
        let recovery_key = crypto::parse_recovery_key(recovery_text)?;
        open_with_recovery_key(dir, &vault, &recovery_key)?;
        match Spool::open(dir, &entry.secret)? {
            Some(spool) => spool.release(),
            None => Ok(()),
        }
    }

    /// After the key opened the database: compares the log with the heads the vault and the
    /// keyring remember, raises what is missing, anchors the heads as they are now and saves.
    fn open_checked(
        dir: &Path,
        conn: rusqlite::Connection,
        db_key: crypto::Key,
        user: UserId,
        entry: keyring::DeviceEntry,
        mut vault: Vault,
    ) -> Result<Self> {
        let checked = super::integrity::check_heads(&conn, &vault, entry.own_seq, Utc::now())?;
        for alarm in checked.alarms {
            vault.raise(alarm);
        }
        vault.heads = checked.heads;
        let mut entry = entry;
        vault.save(&vault_path(dir), &entry.secret)?;
        entry.counter = Some(vault.counter);
        entry.own_seq = vault.own_seq();
        Self::from_parts(dir, conn, db_key, user, entry, &vault)
    }
}

/// A device kept away from the school server never hears that it was revoked: past the
/// school's limit, a PIN no longer opens it.
fn refuse_when_out_of_contact(spool: Option<&Spool>) -> Result<()> {
    if let Some(spool) = spool {
        if let Some((last_contact, limit_days)) = spool.contact_overdue()? {
            return Err(StoreError::ContactOverdue {
                last_contact,
                limit_days,
            });
        }
    }
    Ok(())
}

/// Opens the database with a key the recovery key unseals from the vault.
fn open_with_recovery_key(
    dir: &Path,
    vault: &Vault,
    recovery_key: &crypto::Key,
) -> Result<(rusqlite::Connection, crypto::Key, u32)> {
    let candidates = keys::recovery_keys(vault, recovery_key);
    if candidates.is_empty() {
        return Err(StoreError::WrongRecoveryKey);
    }
    open_newest(dir, candidates)
}

/// Opens the database with the newest key that fits: during a re-key the vault holds two, and a
/// crash may have left the database on either.
fn open_newest(
    dir: &Path,
    candidates: Vec<(u32, crypto::Key)>,
) -> Result<(rusqlite::Connection, crypto::Key, u32)> {
    let mut last = StoreError::Damaged {
        detail: "geen sleutel past op de database".into(),
    };
    for (generation, key) in candidates {
        match db::open(&db_path(dir), &key, false) {
            Ok(conn) => return Ok((conn, key, generation)),
            Err(e @ StoreError::Damaged { .. }) => last = e,
            Err(other) => return Err(other),
        }
    }
    Err(last)
}

/// Every PIN but the recovering coordinator's is set again: the old envelopes cannot be trusted
/// (a changed vault) or opened (a new device secret).
fn forget_pins(vault: &mut Vault) {
    for other in &mut vault.users {
        other.sealed_key = None;
        other.keypair = None;
        other.boxed_keys.clear();
        other.lockout = Lockout::default();
    }
}
