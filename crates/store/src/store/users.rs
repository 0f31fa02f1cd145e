//! User administration: PINs, adding and removing staff.

use super::user_rows::{insert_user, load_user, row_to_user};
use super::{new_uuid, vault_path, Store};
use crate::crypto::{self, KdfParams, Key};
use crate::error::{Result, StoreError};
use crate::vault::lockout::{wrong_pin_error, Lockout, Now, FREE_ATTEMPTS, FREE_DEVICE_ATTEMPTS};
use crate::vault::{check_pin_strength, lock_vault, KekSource, UserEnvelope, Vault, VaultGuard};
use meldcode_engine::people::{looks_like_full_name, User};
use meldcode_engine::{Role, UserId};
use rusqlite::params;

pub(super) fn seal_for_user(
    user: &User,
    pin: &str,
    device_secret: &Key,
    db_key: &Key,
    kdf: KdfParams,
) -> Result<UserEnvelope> {
    check_pin_strength(pin)?;
    let salt = crypto::random_bytes::<16>()?;
    let kek = crypto::derive_user_key(pin, &salt, device_secret.as_slice(), kdf)?;
    Ok(UserEnvelope {
        user_id: user.id,
        display_name: user.full_name.clone(),
        role: user.role,
        salt: salt.to_vec(),
        kdf,
        kek: KekSource::Argon2idDeviceSecret,
        sealed_key: Some(crypto::seal(&kek, user.id.0.as_bytes(), db_key.as_slice())?),
        must_change_pin: false,
        lockout: Lockout::default(),
    })
}

pub(super) fn check_full_name(name: &str) -> Result<()> {
    if looks_like_full_name(name) {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            message: "Vul een volledige naam in (voornaam en achternaam), geen initialen.".into(),
        })
    }
}

impl Store {
    fn require_coordinator(&self) -> Result<()> {
        if self.user.role == Role::Coordinator {
            Ok(())
        } else {
            Err(StoreError::NotAllowed {
                message: "Alleen de intern begeleider beheert gebruikers.".into(),
            })
        }
    }

    /// The vault, locked for changing, and the device secret to wrap keys with.
    fn device_secret_and_vault(&self) -> Result<(Key, Vault, VaultGuard)> {
        let guard = lock_vault(&vault_path(&self.dir))?;
        let vault = self.load_vault()?;
        Ok((self.entry.secret.clone(), vault, guard))
    }

    /// Checks the acting user's own PIN against the vault, counting a wrong one like a wrong PIN
    /// at unlock (for the user and for the device).
    fn check_own_pin(&self, vault: &mut Vault, pin: &str) -> Result<()> {
        let now = Now::read();
        let (device_wait, _) = vault.device_lockout.remaining(&now);
        let mine = vault.user_mut(self.user.id)?;
        let (user_wait, _) = mine.lockout.remaining(&now);
        if device_wait.max(user_wait) > 0 {
            return Err(StoreError::LockedOut {
                seconds: device_wait.max(user_wait),
            });
        }
        let kek = crypto::derive_user_key(pin, &mine.salt, self.entry.secret.as_slice(), mine.kdf)?;
        let ok = mine
            .sealed_key
            .as_ref()
            .and_then(|s| crypto::open(&kek, self.user.id.0.as_bytes(), s))
            .is_some();
        if ok {
            return Ok(());
        }
        let user_delay = mine.lockout.register_failure(&now, FREE_ATTEMPTS);
        let failures = mine.lockout.failures;
        let device_delay = vault
            .device_lockout
            .register_failure(&now, FREE_DEVICE_ATTEMPTS);
        Err(wrong_pin_error(user_delay, device_delay, failures))
    }

    /// Administration asks for the acting user's PIN again: an unlocked tablet left on a desk
    /// must not be enough to add a colleague or reset a PIN. A wrong PIN counts and is saved.
    fn confirm_acting_pin(&mut self, vault: &mut Vault, pin: &str) -> Result<()> {
        match self.check_own_pin(vault, pin) {
            Ok(()) => Ok(()),
            Err(wrong) => {
                self.save_vault(vault)?;
                Err(wrong)
            }
        }
    }

    pub fn change_pin(&mut self, current_pin: &str, new_pin: &str) -> Result<()> {
        let (secret, mut vault, _guard) = self.device_secret_and_vault()?;
        if let Err(wrong) = self.check_own_pin(&mut vault, current_pin) {
            self.save_vault(&mut vault)?;
            return Err(wrong);
        }
        let kdf = vault.user(self.user.id)?.kdf;
        *vault.user_mut(self.user.id)? =
            seal_for_user(&self.user, new_pin, &secret, &self.key, kdf)?;
        self.save_vault(&mut vault)?;
        self.must_change_pin = false;
        Ok(())
    }

    /// A new user with a first PIN from the coordinator, which they change at first use.
    pub fn add_user(
        &mut self,
        acting_pin: &str,
        full_name: &str,
        role: Role,
        pin: &str,
    ) -> Result<User> {
        self.require_coordinator()?;
        check_full_name(full_name)?;
        check_pin_strength(pin)?;
        let (secret, mut vault, _guard) = self.device_secret_and_vault()?;
        self.confirm_acting_pin(&mut vault, acting_pin)?;
        let kdf = vault.user(self.user.id)?.kdf;
        let user = User {
            id: UserId(new_uuid()),
            full_name: full_name.trim().to_owned(),
            role,
        };
        let mut envelope = seal_for_user(&user, pin, &secret, &self.key, kdf)?;
        envelope.must_change_pin = true;
        insert_user(&self.conn, &user)?;
        vault.users.push(envelope);
        self.save_vault(&mut vault)?;
        Ok(user)
    }

    /// Sets a new PIN for another user (after a forgotten PIN or a recovery); they change it at
    /// first use.
    pub fn reset_pin(&mut self, acting_pin: &str, user: UserId, new_pin: &str) -> Result<()> {
        self.require_coordinator()?;
        check_pin_strength(new_pin)?;
        let (secret, mut vault, _guard) = self.device_secret_and_vault()?;
        self.confirm_acting_pin(&mut vault, acting_pin)?;
        let who = load_user(&self.conn, user)?.ok_or(StoreError::UnknownUser)?;
        let kdf = vault.user(user)?.kdf;
        let mut envelope = seal_for_user(&who, new_pin, &secret, &self.key, kdf)?;
        envelope.must_change_pin = true;
        *vault.user_mut(user)? = envelope;
        self.save_vault(&mut vault)
    }

    /// Removes a user's access. Their records stay, with their name, for accountability.
    pub fn remove_user(&mut self, acting_pin: &str, user: UserId) -> Result<()> {
        self.require_coordinator()?;
        if user == self.user.id {
            return Err(StoreError::NotAllowed {
                message: "U kunt uzelf niet verwijderen.".into(),
            });
        }
        let (_, mut vault, _guard) = self.device_secret_and_vault()?;
        self.confirm_acting_pin(&mut vault, acting_pin)?;
        let before = vault.users.len();
        vault.users.retain(|u| u.user_id != user);
        if vault.users.len() == before {
            return Err(StoreError::UnknownUser);
        }
        self.conn.execute(
            "UPDATE users SET active = 0 WHERE id = ?1",
            params![user.to_string()],
        )?;
        self.save_vault(&mut vault)
    }

    pub fn users(&self) -> Result<Vec<User>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, full_name, role FROM users WHERE active = 1 ORDER BY full_name")?;
        let rows = stmt.query_map([], row_to_user)?;
        rows.map(|r| {
            r?.ok_or(StoreError::Damaged {
                detail: "gebruikers".into(),
            })
        })
        .collect()
    }
}
