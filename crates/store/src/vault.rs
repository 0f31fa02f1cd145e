//! The key vault file: the database key wrapped once per user (PIN + device secret) and once with
//! the recovery key, plus each user's wrong-PIN count. It holds no pupil data; staff names are in
//! it because the lock screen lists them before anything is unlocked.

use crate::crypto::{KdfParams, Sealed};
use crate::error::{Result, StoreError};
use chrono::{DateTime, Duration, Utc};
use meldcode_engine::{DeviceId, Role, UserId};
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::Path;

pub const VAULT_VERSION: u32 = 1;
/// Wrong PINs allowed before delays start.
pub const FREE_ATTEMPTS: u32 = 4;
const FIRST_DELAY_SECONDS: i64 = 30;
const MAX_DELAY_SECONDS: i64 = 60 * 60;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEnvelope {
    pub user_id: UserId,
    pub display_name: String,
    pub role: Role,
    #[serde(with = "crate::crypto::hex_bytes")]
    pub salt: Vec<u8>,
    pub kdf: KdfParams,
    /// `None` after a recovery replaced the device secret: the coordinator sets a new PIN.
    pub sealed_key: Option<Sealed>,
    pub failed_attempts: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vault {
    pub version: u32,
    pub device_id: DeviceId,
    pub users: Vec<UserEnvelope>,
    pub recovery: Sealed,
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

impl Vault {
    pub fn load(path: &Path) -> Result<Self> {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NotInitialised)
            }
            Err(e) => return Err(e.into()),
        };
        let vault: Self = serde_json::from_str(&text).map_err(|_| StoreError::Damaged {
            detail: "sleutelbestand".into(),
        })?;
        if vault.version != VAULT_VERSION {
            return Err(StoreError::Damaged {
                detail: "onbekende versie van het sleutelbestand".into(),
            });
        }
        Ok(vault)
    }

    /// Replaces the file atomically: a crash leaves the old or the new vault, never half of one.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_vec_pretty(self).map_err(|_| StoreError::Invalid {
            message: "Sleutelbestand kon niet worden opgeslagen.".into(),
        })?;
        crate::files::write_atomically(path, &text)
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

impl UserEnvelope {
    /// Refuses while the delay after too many wrong PINs runs.
    pub fn check_not_locked(&self, now: DateTime<Utc>) -> Result<()> {
        match self.locked_until {
            Some(until) if until > now => Err(StoreError::LockedOut {
                seconds: u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1),
            }),
            _ => Ok(()),
        }
    }

    /// Counts a wrong PIN; from the fifth on, each doubles the wait (30 s, 1 min, 2 min … 1 h).
    pub fn register_failure(&mut self, now: DateTime<Utc>) -> StoreError {
        self.failed_attempts = self.failed_attempts.saturating_add(1);
        if self.failed_attempts <= FREE_ATTEMPTS {
            return StoreError::WrongPin {
                attempts_left_before_delay: FREE_ATTEMPTS - self.failed_attempts,
            };
        }
        let doublings = (self.failed_attempts - FREE_ATTEMPTS - 1).min(16);
        let seconds = (FIRST_DELAY_SECONDS << doublings).min(MAX_DELAY_SECONDS);
        self.locked_until = Some(now + Duration::seconds(seconds));
        StoreError::LockedOut {
            seconds: u64::try_from(seconds).unwrap_or(0),
        }
    }

    pub fn register_success(&mut self) {
        self.failed_attempts = 0;
        self.locked_until = None;
    }
}

/// A PIN of at least six digits that is not all one digit or a plain run (123456, 654321).
pub fn check_pin_strength(pin: &str) -> Result<()> {
    let digits: Vec<u32> = pin.chars().filter_map(|c| c.to_digit(10)).collect();
    let all_digits = digits.len() == pin.chars().count();
    let same = digits.windows(2).all(|w| w[0] == w[1]);
    let up = digits.windows(2).all(|w| w[1] == w[0] + 1);
    let down = digits.windows(2).all(|w| w[0] == w[1] + 1);
    if !all_digits || digits.len() < 6 || same || up || down {
        return Err(StoreError::WeakPin);
    }
    Ok(())
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

    #[test]
    fn delays_grow_after_the_free_attempts_and_are_capped() {
        let now = Utc::now();
        let mut u = UserEnvelope {
            user_id: UserId::from_u128(1),
            display_name: "Anouk Jansen".into(),
            role: Role::Coordinator,
            salt: vec![0; 16],
            kdf: KdfParams::DEFAULT,
            sealed_key: None,
            failed_attempts: 0,
            locked_until: None,
        };
        for left in (0..FREE_ATTEMPTS).rev() {
            assert!(matches!(
                u.register_failure(now),
                StoreError::WrongPin { attempts_left_before_delay } if attempts_left_before_delay == left
            ));
        }
        let delays: Vec<u64> = (0..12)
            .map(|_| match u.register_failure(now) {
                StoreError::LockedOut { seconds } => seconds,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(&delays[..4], &[30, 60, 120, 240]);
        assert_eq!(*delays.last().unwrap(), 3600);
        assert!(u.check_not_locked(now).is_err());
        u.register_success();
        assert!(u.check_not_locked(now).is_ok());
    }
}
