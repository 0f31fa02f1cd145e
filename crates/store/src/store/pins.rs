//! Users on several devices: a PIN made or changed on one device holds on every device its user
//! is assigned to (`vault::school_pin`), and the coordinator assigns a colleague to a device.

use super::users::Proof;
use super::Store;
use crate::crypto::{KdfParams, Key};
use crate::error::{Result, StoreError};
use crate::sync::spool::Spool;
use crate::vault::keys::{self, PinSecrets};
use crate::vault::school_pin::{self, next_version, PinPackage};
use crate::vault::{KekSource, UserEnvelope, Vault};
use meldcode_engine::school_log::{admin_event, check_admin, AdminAction, Authority};
use meldcode_engine::{DeviceId, UserId};
use meldcode_sync::api::DeviceInfo;

/// The envelope to try a PIN on: the vault's, or the same key pair with a newer PIN from a
/// package the spool received (the user changed her PIN on another device; works while
/// locked). A package with another key pair (a reset elsewhere) needs the database key to be
/// sealed to it first, which the next unlocked moment does (`take_pins`).
pub(crate) fn freshest(
    envelope: &UserEnvelope,
    spool: Option<&Spool>,
    pin_key: Option<&Key>,
) -> Result<UserEnvelope> {
    let mut fresh = envelope.clone();
    if let (Some(spool), Some(key), KekSource::Argon2idSchoolPin) = (spool, pin_key, envelope.kek) {
        if let Some(package) = spool.pin_of(envelope.user_id, key)? {
            if package.version > envelope.pin_version && package.same_keypair(envelope) {
                package.apply_to(&mut fresh);
            }
        }
    }
    Ok(fresh)
}

/// Takes the PIN of `fresh` (from `freshest`) into the vault's envelope, keeping the vault's
/// sealed keys and wrong-PIN count.
pub(crate) fn take_fresh(into: &mut UserEnvelope, fresh: &UserEnvelope) {
    if fresh.pin_version > into.pin_version {
        into.kek = fresh.kek;
        into.salt = fresh.salt.clone();
        into.kdf = fresh.kdf;
        into.keypair = fresh.keypair.clone();
        into.pin_version = fresh.pin_version;
        into.must_change_pin = fresh.must_change_pin;
    }
}

/// After a PIN opened an envelope of this device only, on an enrolled device: the PIN becomes
/// the user's PIN for the school. When the school already has a package for her that this PIN
/// opens, this device takes it; otherwise this device's key pair is published with this PIN,
/// as the newest version (the PIN typed last wins everywhere).
pub(crate) fn make_school_pin(
    vault: &mut Vault,
    user: UserId,
    pin: &str,
    secrets: &PinSecrets<'_>,
    spool: &Spool,
    db_key: &Key,
) -> Result<()> {
    let Some(pin_key) = secrets.pin_key else {
        return Ok(());
    };
    let generation = vault.key_generation;
    let envelope = vault.user_mut(user)?;
    if envelope.kek != KekSource::Argon2idDeviceSecret {
        return Ok(());
    }
    let Some(secret) = keys::open_secret(envelope, pin, secrets)? else {
        return Ok(());
    };
    let known = spool.pin_of(user, pin_key)?;
    if let Some(package) = &known {
        if package.open_secret(pin, pin_key)?.is_some() {
            package.apply_to(envelope);
            package.rebox(envelope, db_key, generation)?;
            return Ok(());
        }
    }
    let known = known.map(|p| p.version).max(spool.known_pin_version(user)?);
    let package = PinPackage::new(
        user,
        next_version(known),
        pin,
        pin_key,
        &secret,
        envelope.kdf,
        envelope.must_change_pin,
    )?;
    package.apply_to(envelope);
    spool.queue_pin(&package.seal(pin_key)?)
}

impl Store {
    /// The school's PIN key, when this device is enrolled.
    pub(super) fn school_pin_key(&self) -> Result<Option<Key>> {
        match crate::sync::config::Membership::load(&self.conn)? {
            Some(m) => Ok(Some(school_pin::pin_key(&m.school_key)?)),
            None => Ok(None),
        }
    }

    /// The spool, when enrolled (`None` otherwise).
    pub(super) fn enrolled_spool(&mut self) -> Result<Option<&Spool>> {
        if !self.is_enrolled()? {
            return Ok(None);
        }
        Ok(Some(&*self.spool()?))
    }

    /// A new envelope for `user` on this device with a first or new PIN, set by the
    /// administrator or chosen by the user: on an enrolled device a school PIN, published for
    /// the user's other devices (a new key pair: the old PIN stops opening any of them once they
    /// take it); else a PIN of this device.
    pub(super) fn new_pin_envelope(
        &mut self,
        vault: &Vault,
        user: &meldcode_engine::people::User,
        pin: &str,
        kdf: KdfParams,
        must_change: bool,
    ) -> Result<UserEnvelope> {
        let generation = vault.key_generation;
        let Some(pin_key) = self.school_pin_key()? else {
            let mut envelope =
                keys::new_envelope(user, pin, &self.entry.secret, &self.key, generation, kdf)?;
            envelope.must_change_pin = must_change;
            return Ok(envelope);
        };
        let known = self.spool()?.known_pin_version(user.id)?;
        let known = known.max(vault.user(user.id).ok().map(|e| e.pin_version));
        let pair = crate::crypto::new_keypair();
        let package = PinPackage::new(
            user.id,
            next_version(known),
            pin,
            &pin_key,
            &pair.secret,
            kdf,
            must_change,
        )?;
        let envelope = package.envelope(user, &self.key, generation)?;
        self.spool()?.queue_pin(&package.seal(&pin_key)?)?;
        Ok(envelope)
    }

    /// The user's own new PIN. A school PIN keeps its key pair, so every device the user is on
    /// opens with the new PIN as soon as it has the package, also while locked.
    pub(super) fn changed_pin_envelope(
        &mut self,
        vault: &Vault,
        current_pin: &str,
        new_pin: &str,
    ) -> Result<UserEnvelope> {
        let mine = vault.user(self.user.id)?.clone();
        let kdf = mine.kdf;
        let pin_key = self.school_pin_key()?;
        let Some(pin_key) = pin_key else {
            return keys::new_envelope(
                &self.user,
                new_pin,
                &self.entry.secret,
                &self.key,
                vault.key_generation,
                kdf,
            );
        };
        let spool = self.enrolled_spool()?;
        let fresh = freshest(&mine, spool, Some(&pin_key))?;
        let secrets = PinSecrets {
            device_secret: &self.entry.secret,
            pin_key: Some(&pin_key),
        };
        let secret = keys::open_secret(&fresh, current_pin, &secrets)?;
        let Some(secret) = secret.filter(|_| fresh.keypair.is_some()) else {
            let user = self.user.clone();
            return self.new_pin_envelope(vault, &user, new_pin, kdf, false);
        };
        let me = self.user.id;
        let known = self.spool()?.known_pin_version(me)?;
        let package = PinPackage::new(
            self.user.id,
            next_version(known.max(Some(fresh.pin_version))),
            new_pin,
            &pin_key,
            &secret,
            kdf,
            false,
        )?;
        let mut envelope = fresh;
        package.apply_to(&mut envelope);
        if envelope.boxed_keys.is_empty() {
            package.rebox(&mut envelope, &self.key, vault.key_generation)?;
        }
        self.spool()?.queue_pin(&package.seal(&pin_key)?)?;
        Ok(envelope)
    }

    /// Takes in the PIN packages of this device's users (a PIN changed or reset elsewhere) and
    /// gives a colleague newly assigned to this device her envelope here, so that she appears
    /// on the lock screen. Needs the database key, so only an unlocked store does it.
    pub(super) fn take_pins(&mut self) -> Result<()> {
        let Some(pin_key) = self.school_pin_key()? else {
            return Ok(());
        };
        let seen = self.spool()?.pins_fingerprint()?;
        if self.pins_seen.as_deref() == Some(seen.as_str()) {
            return Ok(());
        }
        let spool = self.spool()?;
        let mut packages = Vec::new();
        for user in spool.assigned_users()? {
            if let Some(package) = spool.pin_of(user, &pin_key)? {
                packages.push(package);
            }
        }
        let (mut vault, _guard) = self.vault_for_change()?;
        let generation = vault.key_generation;
        let mut changed = false;
        for package in packages {
            match vault
                .users
                .iter_mut()
                .find(|u| u.user_id == package.user_id)
            {
                Some(envelope) => {
                    let newer = package.version > envelope.pin_version;
                    let device_only = envelope.kek == KekSource::Argon2idDeviceSecret;
                    // After a recovery forgot the PINs here, the school PIN comes back.
                    let forgotten = envelope.keypair.is_none() && envelope.sealed_key.is_none();
                    if !newer && !device_only && !forgotten {
                        continue;
                    }
                    if !package.same_keypair(envelope) {
                        package.rebox(envelope, &self.key, generation)?;
                    }
                    package.apply_to(envelope);
                    changed = true;
                }
                None => {
                    let Some(user) = super::user_rows::load_user(&self.conn, package.user_id)?
                    else {
                        continue;
                    };
                    vault
                        .users
                        .push(package.envelope(&user, &self.key, generation)?);
                    changed = true;
                }
            }
        }
        if changed {
            self.save_vault(&mut vault)?;
        }
        self.pins_seen = Some(seen);
        Ok(())
    }

    /// Lets `user` work on `device` too (the coordinator's *Apparaten* screen): recorded in the
    /// school log, after which the server sends that device her cases and her PIN package.
    pub fn assign_user(&mut self, proof: Proof<'_>, user: UserId, device: DeviceId) -> Result<()> {
        self.administer_device(proof, user, AdminAction::Assign { device }, |on| {
            if on.users.contains(&user) {
                return Err(invalid("Deze collega werkt al op dit apparaat."));
            }
            Ok(())
        })
    }

    /// Takes `user` off `device`: the server sends it nothing of hers from now on, and the
    /// device takes her envelope out (with a new database key) when it hears of it, at once when
    /// it is this one. What the device received before stays on it, encrypted.
    pub fn unassign_user(
        &mut self,
        proof: Proof<'_>,
        user: UserId,
        device: DeviceId,
    ) -> Result<()> {
        let me = (self.user.id, self.device_id);
        self.administer_device(proof, user, AdminAction::Unassign { device }, |on| {
            if !on.users.contains(&user) {
                return Err(invalid("Deze collega werkt niet op dit apparaat."));
            }
            if on.users.len() == 1 {
                return Err(invalid("Dit is de laatste gebruiker van dit apparaat. Trek het apparaat in als het niet meer wordt gebruikt."));
            }
            if (user, device) == me {
                return Err(invalid("U kunt uzelf niet van het apparaat halen waarop u werkt."));
            }
            Ok(())
        })?;
        if device == self.device_id {
            self.spool()?.forget_pin(user)?;
            let (mut vault, _guard) = self.vault_for_change()?;
            if vault.users.iter().any(|u| u.user_id == user) {
                vault.users.retain(|u| u.user_id != user);
                self.rekey(&mut vault)?;
                self.save_vault(&mut vault)?;
            }
        }
        Ok(())
    }

    /// An assignment: the engine's rule, the device as the server lists it (asked before
    /// anything is recorded, and not under the vault's lock: nothing is recorded while the
    /// server cannot be reached, and the screen offering this lists its devices anyway), the
    /// acting user's PIN, then the record in the school log.
    fn administer_device(
        &mut self,
        proof: Proof<'_>,
        user: UserId,
        action: AdminAction,
        check: impl FnOnce(&DeviceInfo) -> Result<()>,
    ) -> Result<()> {
        if !self.is_enrolled()? {
            return Err(StoreError::NotEnrolled);
        }
        let (who, target) = self.target(user)?;
        let authority = match proof {
            Proof::Pin(_) => Authority::OwnPin,
            Proof::RecoveryKey(_) => Authority::RecoveryKey,
        };
        check_admin(self.user.actor(), action, target, authority)?;
        let device = match action {
            AdminAction::Assign { device } | AdminAction::Unassign { device } => device,
            _ => return Err(invalid("Geen toewijzing aan een apparaat.")),
        };
        let listed = self.spool()?.transport()?.devices()?;
        let on = listed
            .devices
            .iter()
            .find(|d| d.device_id == device)
            .ok_or_else(|| invalid("Dit apparaat is niet bekend bij de schoolserver."))?;
        if on.revoked_at_ms.is_some() {
            return Err(invalid("Dit apparaat is ingetrokken."));
        }
        check(on)?;
        let (mut vault, _guard) = self.vault_for_change()?;
        let authority = self.authorise(&mut vault, proof, action, target)?;
        let payload = admin_event(action, &who, authority);
        self.record_admin(&mut vault, payload, |_| Ok(()))?;
        self.save_vault(&mut vault)
    }
}

fn invalid(message: &str) -> StoreError {
    StoreError::Invalid {
        message: message.into(),
    }
}
