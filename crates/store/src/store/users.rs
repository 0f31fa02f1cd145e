//! User administration: PINs, adding and removing staff.

use super::user_rows::{insert_user, load_user, row_to_user};
use super::{new_uuid, vault_path, Store};
use crate::crypto::{self, KdfParams, Key};
use crate::error::{Result, StoreError};
use crate::keyring;
use crate::vault::{check_pin_strength, lock_vault, UserEnvelope, Vault, VaultGuard};
use chrono::Utc;
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
        sealed_key: Some(crypto::seal(&kek, user.id.0.as_bytes(), db_key.as_slice())?),
        failed_attempts: 0,
        locked_until: None,
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
        let vault = Vault::load(&vault_path(&self.dir))?;
        Ok((keyring::load_device_secret(vault.device_id)?, vault, guard))
    }

    pub fn change_pin(&mut self, current_pin: &str, new_pin: &str) -> Result<()> {
        let (secret, mut vault, _guard) = self.device_secret_and_vault()?;
        let mine = vault.user(self.user.id)?;
        let kek = crypto::derive_user_key(current_pin, &mine.salt, secret.as_slice(), mine.kdf)?;
        let current_ok = mine
            .sealed_key
            .as_ref()
            .and_then(|s| crypto::open(&kek, self.user.id.0.as_bytes(), s))
            .is_some();
        if !current_ok {
            let err = vault.user_mut(self.user.id)?.register_failure(Utc::now());
            vault.save(&vault_path(&self.dir))?;
            return Err(err);
        }
        let kdf = mine.kdf;
        *vault.user_mut(self.user.id)? =
            seal_for_user(&self.user, new_pin, &secret, &self.key, kdf)?;
        vault.save(&vault_path(&self.dir))
    }

    pub fn add_user(&mut self, full_name: &str, role: Role, pin: &str) -> Result<User> {
        self.require_coordinator()?;
        check_full_name(full_name)?;
        let (secret, mut vault, _guard) = self.device_secret_and_vault()?;
        let kdf = vault.user(self.user.id)?.kdf;
        let user = User {
            id: UserId(new_uuid()),
            full_name: full_name.trim().to_owned(),
            role,
        };
        let envelope = seal_for_user(&user, pin, &secret, &self.key, kdf)?;
        insert_user(&self.conn, &user)?;
        vault.users.push(envelope);
        vault.save(&vault_path(&self.dir))?;
        Ok(user)
    }

    /// Sets a new PIN for another user (after a forgotten PIN or a recovery).
    pub fn reset_pin(&mut self, user: UserId, new_pin: &str) -> Result<()> {
        self.require_coordinator()?;
        let (secret, mut vault, _guard) = self.device_secret_and_vault()?;
        let who = load_user(&self.conn, user)?.ok_or(StoreError::UnknownUser)?;
        let kdf = vault.user(user)?.kdf;
        *vault.user_mut(user)? = seal_for_user(&who, new_pin, &secret, &self.key, kdf)?;
        vault.save(&vault_path(&self.dir))
    }

    /// Removes a user's access. Their records stay, with their name, for accountability.
    pub fn remove_user(&mut self, user: UserId) -> Result<()> {
        self.require_coordinator()?;
        if user == self.user.id {
            return Err(StoreError::NotAllowed {
                message: "U kunt uzelf niet verwijderen.".into(),
            });
        }
        let _guard = lock_vault(&vault_path(&self.dir))?;
        let mut vault = Vault::load(&vault_path(&self.dir))?;
        let before = vault.users.len();
        vault.users.retain(|u| u.user_id != user);
        if vault.users.len() == before {
            return Err(StoreError::UnknownUser);
        }
        self.conn.execute(
            "UPDATE users SET active = 0 WHERE id = ?1",
            params![user.to_string()],
        )?;
        vault.save(&vault_path(&self.dir))
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
