//! User administration: PINs, adding and removing staff, roles. Every change is an event in
//! the school log first (`school.rs`), then a change to the vault; who may do what is the
//! engine's `school_log::check_admin`.

use super::user_rows::{insert_user, load_user, row_to_user};
use super::{new_uuid, vault_path, Store};
use crate::crypto;
use crate::error::{Result, StoreError};
use crate::vault::lockout::Now;
use crate::vault::{check_pin_strength, keys, lock_vault, Vault, VaultGuard};
use meldcode_engine::people::{looks_like_full_name, User};
use meldcode_engine::school_log::{admin_event, check_admin, AdminAction, Authority, Target};
use meldcode_engine::{EventPayload, Role, UserId};
use rusqlite::params;

/// How the acting administrator proves it is them: their own PIN again, or the recovery key
/// from the school's safe (needed by a coordinator for director and board accounts).
#[derive(Clone, Copy, Debug)]
pub enum Proof<'a> {
    Pin(&'a str),
    RecoveryKey(&'a str),
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
    /// The vault, locked for changing until the guard is dropped.
    pub(super) fn vault_for_change(&self) -> Result<(Vault, VaultGuard)> {
        let guard = lock_vault(&vault_path(&self.dir))?;
        let vault = self.load_vault()?;
        Ok((vault, guard))
    }

    /// Checks the acting user's own PIN against the vault, counting a wrong one like a wrong PIN
    /// at unlock (for the user and for the device).
    /// The acting user types their own PIN again before something that cannot be undone; a
    /// wrong one counts toward the lockout like at the lock screen.
    pub(super) fn confirm_own_pin(&mut self, pin: &str) -> Result<()> {
        let (mut vault, _guard) = self.vault_for_change()?;
        if let Err(wrong) = self.check_own_pin(&mut vault, pin) {
            self.save_vault(&mut vault)?;
            return Err(wrong);
        }
        Ok(())
    }

    pub(super) fn check_own_pin(&mut self, vault: &mut Vault, pin: &str) -> Result<()> {
        let now = Now::read();
        let (wait, _) = vault.pin_wait(self.user.id, &now)?;
        if wait > 0 {
            return Err(StoreError::LockedOut { seconds: wait });
        }
        let pin_key = self.school_pin_key()?;
        let me = self.user.id;
        let spool = self.enrolled_spool()?;
        let mine = super::pins::freshest(vault.user(me)?, spool, pin_key.as_ref())?;
        let secrets = keys::PinSecrets {
            device_secret: &self.entry.secret,
            pin_key: pin_key.as_ref(),
        };
        if keys::open_envelope(&mine, pin, &secrets, vault.key_generation)?.is_some() {
            return Ok(());
        }
        Err(vault.count_wrong_pin(self.user.id, &now)?)
    }

    /// The engine's decision on an administration, then the proof: the acting user's PIN (a
    /// wrong one counts and is saved: an unlocked tablet left on a desk must not be enough) or
    /// the recovery key, which must open this database's key.
    pub(super) fn authorise(
        &mut self,
        vault: &mut Vault,
        proof: Proof<'_>,
        action: AdminAction,
        target: Target,
    ) -> Result<Authority> {
        let authority = match proof {
            Proof::Pin(_) => Authority::OwnPin,
            Proof::RecoveryKey(_) => Authority::RecoveryKey,
        };
        check_admin(self.user.actor(), action, target, authority)?;
        self.prove(vault, proof)?;
        Ok(authority)
    }

    /// The acting user proves who she is once more: her own PIN (a wrong one counts like a
    /// wrong PIN at the lock screen) or the recovery key from the school's safe.
    pub(super) fn prove(&mut self, vault: &mut Vault, proof: Proof<'_>) -> Result<()> {
        match proof {
            Proof::Pin(pin) => {
                if let Err(wrong) = self.check_own_pin(vault, pin) {
                    self.save_vault(vault)?;
                    return Err(wrong);
                }
            }
            Proof::RecoveryKey(text) => {
                let key = crypto::parse_recovery_key(text)?;
                let opened = keys::recovery_keys(vault, &key);
                if !opened.iter().any(|(_, k)| *k == self.key) {
                    return Err(StoreError::WrongRecoveryKey);
                }
            }
        }
        Ok(())
    }

    /// The account an administration is about, as the engine's rules need to know it.
    pub(super) fn target(&self, user: UserId) -> Result<(User, Target)> {
        let who = load_user(&self.conn, user)?.ok_or(StoreError::UnknownUser)?;
        let target = Target {
            role: who.role,
            suspect_in_staff_case: crate::projection::suspected_in_staff_case(&self.conn, user)?,
            is_self: user == self.user.id,
        };
        Ok((who, target))
    }

    pub fn change_pin(&mut self, current_pin: &str, new_pin: &str) -> Result<()> {
        check_pin_strength(new_pin)?;
        let (mut vault, _guard) = self.vault_for_change()?;
        if let Err(wrong) = self.check_own_pin(&mut vault, current_pin) {
            self.save_vault(&mut vault)?;
            return Err(wrong);
        }
        let lockout = vault.user(self.user.id)?.lockout.clone();
        let mut renewed = self.changed_pin_envelope(&vault, current_pin, new_pin)?;
        renewed.lockout = lockout;
        // Accounted for like any change to an account; with a server, it is also the news that
        // makes her other devices fetch the new PIN.
        let payload = EventPayload::PinChanged { user: self.user.id };
        self.record_admin(&mut vault, payload, |_| Ok(()))?;
        *vault.user_mut(self.user.id)? = renewed;
        self.save_vault(&mut vault)?;
        self.must_change_pin = false;
        Ok(())
    }

    /// A new user with a first PIN from the administrator, which they change at first use.
    pub fn add_user(
        &mut self,
        proof: Proof<'_>,
        full_name: &str,
        role: Role,
        pin: &str,
    ) -> Result<User> {
        check_full_name(full_name)?;
        check_pin_strength(pin)?;
        let (mut vault, _guard) = self.vault_for_change()?;
        let target = Target {
            role,
            suspect_in_staff_case: false,
            is_self: false,
        };
        let authority = self.authorise(&mut vault, proof, AdminAction::Add, target)?;
        let kdf = vault.user(self.user.id)?.kdf;
        let user = User {
            id: UserId(new_uuid()),
            full_name: full_name.trim().to_owned(),
            role,
        };
        let payload = admin_event(AdminAction::Add, &user, authority);
        self.record_admin(&mut vault, payload, |tx| insert_user(tx, &user))?;
        let envelope = self.new_pin_envelope(&vault, &user, pin, kdf, true)?;
        // In a school with a server she works on the devices she is assigned to (a device
        // enrolled for her, or one the coordinator assigns her to, this one too), which then
        // receive her cases; an envelope here without that would open this device's dossier to
        // her while the server does not know she uses it (R2 keeps staff cases from a suspect's
        // devices).
        if !self.is_enrolled()? {
            vault.users.push(envelope);
        }
        self.save_vault(&mut vault)?;
        Ok(user)
    }

    /// Sets a new PIN for another user (after a forgotten PIN or a recovery); they change it at
    /// first use.
    pub fn reset_pin(&mut self, proof: Proof<'_>, user: UserId, new_pin: &str) -> Result<()> {
        check_pin_strength(new_pin)?;
        let (mut vault, _guard) = self.vault_for_change()?;
        let (who, target) = self.target(user)?;
        let authority = self.authorise(&mut vault, proof, AdminAction::ResetPin, target)?;
        // In a school with a server, a colleague need not work on this device to get a new PIN:
        // it reaches her devices as her PIN package.
        let here = vault.user(user).ok().map(|u| u.kdf);
        if here.is_none() && !self.is_enrolled()? {
            return Err(StoreError::UnknownUser);
        }
        let kdf = match here {
            Some(kdf) => kdf,
            None => vault.user(self.user.id)?.kdf,
        };
        let payload = admin_event(AdminAction::ResetPin, &who, authority);
        self.record_admin(&mut vault, payload, |_| Ok(()))?;
        let envelope = self.new_pin_envelope(&vault, &who, new_pin, kdf, true)?;
        if let Ok(existing) = vault.user_mut(user) {
            *existing = envelope;
            // The old PIN with an old copy of the vault must not open the database any more.
            self.rekey(&mut vault)?;
        }
        self.save_vault(&mut vault)
    }

    /// Removes a user's access. Their records stay, with their name, for accountability.
    pub fn remove_user(&mut self, proof: Proof<'_>, user: UserId) -> Result<()> {
        let (mut vault, _guard) = self.vault_for_change()?;
        let (who, target) = self.target(user)?;
        let authority = self.authorise(&mut vault, proof, AdminAction::Remove, target)?;
        let here = vault.users.iter().any(|u| u.user_id == user);
        if !here && !self.is_enrolled()? {
            return Err(StoreError::UnknownUser);
        }
        let payload = admin_event(AdminAction::Remove, &who, authority);
        self.record_admin(&mut vault, payload, |tx| {
            tx.execute(
                "UPDATE users SET active = 0 WHERE id = ?1",
                params![user.to_string()],
            )?;
            Ok(())
        })?;
        vault.users.retain(|u| u.user_id != user);
        if here {
            // Their PIN with an old copy of the vault must not open the database any more.
            self.rekey(&mut vault)?;
        }
        self.save_vault(&mut vault)
    }

    /// Gives a colleague another role; their records keep the role they had when recording.
    pub fn change_role(&mut self, proof: Proof<'_>, user: UserId, role: Role) -> Result<()> {
        let (mut vault, _guard) = self.vault_for_change()?;
        let (who, target) = self.target(user)?;
        let action = AdminAction::ChangeRole { to: role };
        let authority = self.authorise(&mut vault, proof, action, target)?;
        let payload = admin_event(action, &who, authority);
        self.record_admin(&mut vault, payload, |tx| {
            tx.execute(
                "UPDATE users SET role = ?1 WHERE id = ?2",
                params![super::user_rows::role_text(role), user.to_string()],
            )?;
            Ok(())
        })?;
        if let Ok(here) = vault.user_mut(user) {
            here.role = role;
        }
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
