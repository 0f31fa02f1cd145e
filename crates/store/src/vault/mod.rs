//! The key vault file: the database key wrapped once per user (PIN + device secret) and once with
//! the recovery key, each user's and the device's wrong-PIN count, and the chain heads the log
//! must still reach. It holds no pupil data; staff names are in it because the lock screen lists
//! them before anything is unlocked.
//!
//! The whole file is authenticated: an HMAC with a key derived from the device secret (which
//! lives in the OS keyring, not in the data folder) covers every byte of its body, and a counter
//! kept in the keyring entry too tells an older copy of the file from the current one.

pub mod anchor;
pub mod keys;
pub mod lockout;
pub mod school_pin;

use crate::crypto::{self, KdfParams, Key, Sealed};
use crate::error::{Result, StoreError};
use crate::keyring;
use anchor::{AnchoredHead, IntegrityAlarm};
use chrono::{DateTime, Utc};
use lockout::Lockout;
use meldcode_engine::{DeviceId, Role, UserId};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fs;
use std::path::Path;

pub const VAULT_VERSION: u32 = 2;
/// The HKDF label of the vault's MAC key.
pub const MAC_INFO: &[u8] = b"meldcode vault mac v2";

/// Where the key that wraps a user's copy of the database key comes from. Only one source today;
/// a hardware-bound secret (TPM, StrongBox, Secure Enclave) becomes a second variant with its own
/// fields, in this same file format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KekSource {
    /// Argon2id over the PIN, with the device secret from the OS keyring as Argon2's secret.
    #[default]
    Argon2idDeviceSecret,
    /// Argon2id over the PIN, with the school's PIN key as Argon2's secret: the same PIN on every
    /// device of the school (`school_pin`).
    Argon2idSchoolPin,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEnvelope {
    pub user_id: UserId,
    pub display_name: String,
    pub role: Role,
    #[serde(with = "crate::crypto::hex_bytes")]
    pub salt: Vec<u8>,
    pub kdf: KdfParams,
    #[serde(default)]
    pub kek: KekSource,
    /// Before the key pairs: the database key wrapped with the PIN's key directly. Kept until the
    /// user's next unlock replaces it with a key pair.
    pub sealed_key: Option<Sealed>,
    /// The user's X25519 key pair, its secret wrapped with the PIN's key.
    #[serde(default)]
    pub keypair: Option<keys::UserKeypair>,
    /// The database key sealed to the user's public key, per key generation (two only while a
    /// re-key is under way). No key pair and no `sealed_key`: the coordinator sets a new PIN.
    #[serde(default)]
    pub boxed_keys: Vec<keys::BoxedKey>,
    /// A PIN set by someone else is changed by its owner at first use.
    #[serde(default)]
    pub must_change_pin: bool,
    /// The school PIN package's version this envelope holds (0 for a PIN of this device only).
    #[serde(default)]
    pub pin_version: u32,
    #[serde(default)]
    pub lockout: Lockout,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vault {
    pub version: u32,
    pub device_id: DeviceId,
    /// Raised at every save; the keyring entry holds the same number.
    pub counter: u64,
    pub saved_at: DateTime<Utc>,
    /// Raised whenever the database key is replaced.
    pub key_generation: u32,
    pub users: Vec<UserEnvelope>,
    /// Before the key pairs: the database key wrapped with the recovery key directly.
    #[serde(default)]
    pub recovery: Option<Sealed>,
    /// The recovery key's public key (the recovery key is the secret key), and the database key
    /// sealed to it per key generation: a re-key wraps the new key for the safe's paper too.
    #[serde(default)]
    pub recovery_public: Option<keys::PublicKey>,
    #[serde(default)]
    pub recovery_boxes: Vec<keys::BoxedKey>,
    pub device_lockout: Lockout,
    /// Every chain this installation knows, with the head it last saw; a chain of any other
    /// device is refused.
    pub heads: Vec<AnchoredHead>,
    pub alarms: Vec<IntegrityAlarm>,
}

/// The file: the body's exact bytes and their MAC. The device id is outside the body as well,
/// to find the keyring entry whose secret checks the MAC.
#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    device_id: DeviceId,
    mac: String,
    body: &'a RawValue,
}

#[derive(Clone, Deserialize)]
struct FileIn {
    version: u32,
    device_id: DeviceId,
    #[serde(default)]
    mac: Option<String>,
    #[serde(default)]
    body: Option<Box<RawValue>>,
}

/// Version 1: no MAC, no counter, no heads; read once to upgrade it.
#[derive(Deserialize)]
struct V1Vault {
    device_id: DeviceId,
    users: Vec<V1User>,
    recovery: Sealed,
}

#[derive(Deserialize)]
struct V1User {
    user_id: UserId,
    display_name: String,
    role: Role,
    #[serde(with = "crate::crypto::hex_bytes")]
    salt: Vec<u8>,
    kdf: KdfParams,
    sealed_key: Option<Sealed>,
}

/// The vault file as read, not yet checked.
#[derive(Clone)]
pub struct RawVault {
    text: String,
    file: FileIn,
}

fn damaged(detail: &str) -> StoreError {
    StoreError::Damaged {
        detail: detail.into(),
    }
}

/// Held while a process reads, changes and writes the vault, so that the app and the CLI on one
/// data folder never overwrite each other's changes (a new user, a PIN, a wrong-PIN count).
/// Released when dropped.
pub struct VaultGuard {
    _file: fs::File,
}

pub fn lock_vault(path: &Path) -> Result<VaultGuard> {
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.with_extension("lock"))?;
    file.lock()?;
    Ok(VaultGuard { _file: file })
}

impl RawVault {
    pub fn read(path: &Path) -> Result<Self> {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NotInitialised)
            }
            Err(e) => return Err(e.into()),
        };
        let file: FileIn = serde_json::from_str(&text).map_err(|_| damaged("sleutelbestand"))?;
        if file.version != 1 && file.version != VAULT_VERSION {
            return Err(damaged("onbekende versie van het sleutelbestand"));
        }
        Ok(Self { text, file })
    }

    pub fn device_id(&self) -> DeviceId {
        self.file.device_id
    }

    /// Checks the MAC with the device secret and the counter against the keyring's. A version 1
    /// file is accepted only while the keyring entry is of that age too: once a version 2 vault
    /// was written, putting back a version 1 file (which has no MAC) is refused.
    pub fn verify(self, entry: &keyring::DeviceEntry) -> Result<Vault> {
        let vault = if self.file.version == 1 {
            if entry.counter.is_some() {
                return Err(StoreError::VaultChanged);
            }
            self.unverified()?
        } else {
            let (Some(mac), Some(body)) = (&self.file.mac, &self.file.body) else {
                return Err(StoreError::VaultChanged);
            };
            let tag = data_encoding::HEXLOWER
                .decode(mac.as_bytes())
                .map_err(|_| StoreError::VaultChanged)?;
            let mac_key = crypto::derive_subkey(&entry.secret, MAC_INFO)?;
            if !crypto::mac_matches(&mac_key, body.get().as_bytes(), &tag) {
                return Err(StoreError::VaultChanged);
            }
            self.unverified()?
        };
        if let Some(counter) = entry.counter {
            if vault.counter < counter {
                return Err(StoreError::RolledBack {
                    saved_at: vault.saved_at,
                });
            }
        }
        for user in &vault.users {
            user.kdf.check_floor()?;
        }
        Ok(vault)
    }

    /// The vault without its check: for the lock screen's list and a recovery when the keyring
    /// entry is gone or the vault failed its check. Nothing in it is trusted except what the
    /// recovery key's own authenticated envelope proves.
    pub fn unverified(self) -> Result<Vault> {
        if self.file.version == 1 {
            let v1: V1Vault =
                serde_json::from_str(&self.text).map_err(|_| damaged("sleutelbestand"))?;
            return Ok(Vault {
                version: VAULT_VERSION,
                device_id: v1.device_id,
                counter: 0,
                saved_at: Utc::now(),
                key_generation: 1,
                users: v1
                    .users
                    .into_iter()
                    .map(|u| UserEnvelope {
                        user_id: u.user_id,
                        display_name: u.display_name,
                        role: u.role,
                        salt: u.salt,
                        kdf: u.kdf,
                        kek: KekSource::default(),
                        sealed_key: u.sealed_key,
                        keypair: None,
                        boxed_keys: Vec::new(),
                        must_change_pin: false,
                        pin_version: 0,
                        lockout: Lockout::default(),
                    })
                    .collect(),
                recovery: Some(v1.recovery),
                recovery_public: None,
                recovery_boxes: Vec::new(),
                device_lockout: Lockout::default(),
                heads: Vec::new(),
                alarms: Vec::new(),
            });
        }
        let body = self.file.body.ok_or_else(|| damaged("sleutelbestand"))?;
        let vault: Vault =
            serde_json::from_str(body.get()).map_err(|_| damaged("sleutelbestand"))?;
        if vault.device_id != self.file.device_id {
            return Err(StoreError::VaultChanged);
        }
        Ok(vault)
    }
}

impl Vault {
    /// Reads and checks the vault against this device's keyring entry.
    pub fn load(path: &Path) -> Result<(Self, keyring::DeviceEntry)> {
        let raw = RawVault::read(path)?;
        let entry = keyring::load_device_entry(raw.device_id())?;
        let vault = raw.verify(&entry)?;
        Ok((vault, entry))
    }

    /// Raises the counter and replaces the file atomically (a crash leaves the old or the new
    /// vault, never half of one), then the keyring's counter. In that order: a crash between the
    /// two leaves the file ahead of the keyring, which is accepted, never behind it.
    pub fn save(&mut self, path: &Path, secret: &Key) -> Result<()> {
        self.counter += 1;
        self.saved_at = Utc::now();
        let unsaveable = || StoreError::Invalid {
            message: "Sleutelbestand kon niet worden opgeslagen.".into(),
        };
        let body = serde_json::to_string_pretty(self).map_err(|_| unsaveable())?;
        let mac_key = crypto::derive_subkey(secret, MAC_INFO)?;
        let raw = RawValue::from_string(body).map_err(|_| unsaveable())?;
        let file = FileOut {
            version: VAULT_VERSION,
            device_id: self.device_id,
            mac: crypto::hex(&crypto::mac(&mac_key, raw.get().as_bytes())),
            body: &raw,
        };
        let text = serde_json::to_vec_pretty(&file).map_err(|_| unsaveable())?;
        crate::files::write_atomically(path, &text)?;
        keyring::store_device_entry(self.device_id, secret, self.counter, self.own_seq())
    }

    /// This device's last anchored chain position.
    /// A new device's vault: one user, no recovery yet, the chains it starts out knowing.
    pub fn fresh(
        device_id: DeviceId,
        user: UserEnvelope,
        heads: Vec<anchor::AnchoredHead>,
    ) -> Self {
        Self {
            version: VAULT_VERSION,
            device_id,
            counter: 0,
            saved_at: Utc::now(),
            key_generation: 1,
            users: vec![user],
            recovery: None,
            recovery_public: None,
            recovery_boxes: Vec::new(),
            device_lockout: lockout::Lockout::default(),
            heads,
            alarms: Vec::new(),
        }
    }

    pub fn own_seq(&self) -> u64 {
        self.heads
            .iter()
            .find(|h| h.device_id == self.device_id)
            .map_or(0, |h| h.seq)
    }

    pub fn known_devices(&self) -> Vec<DeviceId> {
        let mut known: Vec<DeviceId> = self.heads.iter().map(|h| h.device_id).collect();
        if !known.contains(&self.device_id) {
            known.push(self.device_id);
        }
        known
    }

    /// Moves a chain's anchored head forward (never back).
    pub fn set_head(&mut self, head: AnchoredHead) {
        match self
            .heads
            .iter_mut()
            .find(|h| h.device_id == head.device_id)
        {
            Some(h) if h.seq >= head.seq => {}
            Some(h) => *h = head,
            None => self.heads.push(head),
        }
    }

    /// Seconds `user` must still wait before a PIN is tried: the longer of their own and the
    /// device's delay. `true` in the second place when a delay was re-based after a reboot and
    /// the vault should be saved.
    pub fn pin_wait(&mut self, user: UserId, now: &lockout::Now) -> Result<(u64, bool)> {
        let (device_wait, device_rebased) = self.device_lockout.remaining(now);
        let (user_wait, user_rebased) = self.user_mut(user)?.lockout.remaining(now);
        Ok((device_wait.max(user_wait), device_rebased || user_rebased))
    }

    /// Counts a wrong PIN for `user` and for the device; returns the error to show.
    pub fn count_wrong_pin(&mut self, user: UserId, now: &lockout::Now) -> Result<StoreError> {
        let mine = &mut self.user_mut(user)?.lockout;
        let user_delay = mine.register_failure(now, lockout::FREE_ATTEMPTS);
        let failures = mine.failures;
        let device_delay = self
            .device_lockout
            .register_failure(now, lockout::FREE_DEVICE_ATTEMPTS);
        Ok(lockout::wrong_pin_error(user_delay, device_delay, failures))
    }

    /// Keeps an alarm once: the same kind about the same thing is not repeated at each unlock.
    pub fn raise(&mut self, alarm: IntegrityAlarm) {
        if !self
            .alarms
            .iter()
            .any(|a| a.kind == alarm.kind && a.what == alarm.what)
        {
            self.alarms.push(alarm);
        }
    }

    pub fn user(&self, id: UserId) -> Result<&UserEnvelope> {
        self.users
            .iter()
            .find(|u| u.user_id == id)
            .ok_or(StoreError::UnknownUser)
    }

    pub fn user_mut(&mut self, id: UserId) -> Result<&mut UserEnvelope> {
        self.users
            .iter_mut()
            .find(|u| u.user_id == id)
            .ok_or(StoreError::UnknownUser)
    }
}

/// The PIN policy (`pin_policy`): at least six digits and nothing obvious, or a passphrase.
pub fn check_pin_strength(pin: &str) -> Result<()> {
    crate::pin_policy::check_secret(pin).map_err(StoreError::WeakPin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_must_be_six_digits_and_not_trivial() {
        for weak in ["12345", "111111", "123456", "987654", "abcdef", "12 3456"] {
            assert!(check_pin_strength(weak).is_err(), "{weak}");
        }
        assert!(check_pin_strength("482913").is_ok());
    }
}
