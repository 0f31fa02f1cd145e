//! A user's PIN for the whole school: one X25519 key pair per user, its secret wrapped with
//! Argon2id over the PIN with the school's PIN key as Argon2's secret input. The package (the
//! public key, the salt and cost, the wrapped secret, whether the PIN must be changed) travels
//! between the school's devices encrypted under that same PIN key, so the server stores only
//! ciphertext: whoever holds its database has nothing to try PINs against.
//!
//! Each device seals its own database key to the user's public key (the envelope's
//! `boxed_keys`, as for a PIN of one device), so a PIN changed on one device opens every other
//! as soon as that device has the new package: the key pair stays, only its wrapping changes.
//!
//! The PIN key is derived from the school key and kept in the sync spool (encrypted under the
//! device secret from the OS keyring), so that a locked device reads new packages, and a copy
//! of the data folder without the keyring gives nothing to guess against either.

use super::keys::{BoxedKey, PublicKey, UserKeypair};
use super::{KekSource, UserEnvelope};
use crate::crypto::{self, KdfParams, Key, Sealed};
use crate::error::{Result, StoreError};
use meldcode_engine::people::User;
use meldcode_engine::UserId;
use meldcode_sync::api::SealedPin;
use meldcode_sync::keys::SchoolKey;
use serde::{Deserialize, Serialize};

const PIN_KEY_INFO: &[u8] = b"meldcode pin packages v1";

/// The school's PIN key: only devices holding the school key can make or read packages.
pub fn pin_key(school_key: &SchoolKey) -> Result<Key> {
    crypto::derive_subkey(&school_key.0, PIN_KEY_INFO)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinPackage {
    pub user_id: UserId,
    /// Seconds since the Unix epoch when made, or one more than the version it replaces: a
    /// newer package replaces an older one on every device and on the server.
    pub version: u32,
    pub public: PublicKey,
    #[serde(with = "crate::crypto::hex_bytes")]
    pub salt: Vec<u8>,
    pub kdf: KdfParams,
    pub sealed_secret: Sealed,
    /// A PIN set by someone else: its owner changes it at first use, on whichever device, once.
    pub must_change: bool,
}

/// The version for a package replacing `known` (if any): later than both it and the clock.
pub fn next_version(known: Option<u32>) -> u32 {
    let now = u32::try_from(chrono::Utc::now().timestamp()).unwrap_or(u32::MAX - 1);
    now.max(known.map_or(0, |v| v.saturating_add(1)))
}

/// The associated data of a wrapped secret key: the user's, so that it cannot be passed off as
/// another's (the same binding as for a device's own PIN).
pub fn keypair_aad(user: UserId) -> Vec<u8> {
    let mut aad = user.0.as_bytes().to_vec();
    aad.extend_from_slice(b"/x25519");
    aad
}

fn transport_aad(user: UserId, version: u32) -> Vec<u8> {
    let mut aad = b"meldcode/pin-package/v1\0".to_vec();
    aad.extend_from_slice(user.0.as_bytes());
    aad.extend_from_slice(&version.to_be_bytes());
    aad
}

impl PinPackage {
    /// Wraps `secret` (the user's X25519 secret key) with the key from `pin`.
    pub fn new(
        user_id: UserId,
        version: u32,
        pin: &str,
        pin_key: &Key,
        secret: &Key,
        kdf: KdfParams,
        must_change: bool,
    ) -> Result<Self> {
        kdf.check_floor()?;
        let salt = crypto::random_bytes::<16>()?;
        let kek = crypto::derive_user_key(pin, &salt, pin_key.as_slice(), kdf)?;
        Ok(Self {
            user_id,
            version,
            public: PublicKey(crypto::public_of(secret).to_vec()),
            salt: salt.to_vec(),
            kdf,
            sealed_secret: crypto::seal(&kek, &keypair_aad(user_id), secret.as_slice())?,
            must_change,
        })
    }

    /// The user's secret key when `pin` is theirs; `None` for a wrong PIN.
    pub fn open_secret(&self, pin: &str, pin_key: &Key) -> Result<Option<Key>> {
        let kek = crypto::derive_user_key(pin, &self.salt, pin_key.as_slice(), self.kdf)?;
        Ok(
            crypto::open(&kek, &keypair_aad(self.user_id), &self.sealed_secret)
                .filter(|secret| crypto::public_of(secret).as_slice() == self.public.0),
        )
    }

    /// Encrypted for the server and the school's other devices.
    pub fn seal(&self, pin_key: &Key) -> Result<SealedPin> {
        let plain =
            zeroize::Zeroizing::new(serde_json::to_vec(self).map_err(|_| StoreError::Invalid {
                message: "Het pincodepakket kon niet worden gemaakt.".into(),
            })?);
        let sealed = meldcode_sync::keys::encrypt(
            pin_key,
            crypto::random_bytes::<24>()?,
            &transport_aad(self.user_id, self.version),
            &plain,
        )
        .map_err(StoreError::Server)?;
        Ok(SealedPin {
            user_id: self.user_id,
            version: self.version,
            sealed,
        })
    }

    /// `None` when it was not made with this school's PIN key, was changed on the way, names
    /// another user or version than its label, or asks for a weaker key derivation than allowed.
    pub fn unseal(sealed: &SealedPin, pin_key: &Key) -> Option<Self> {
        let plain = meldcode_sync::keys::decrypt(
            pin_key,
            &transport_aad(sealed.user_id, sealed.version),
            &sealed.sealed,
        )?;
        let package: Self = serde_json::from_slice(&plain).ok()?;
        let labelled = package.user_id == sealed.user_id && package.version == sealed.version;
        (labelled && package.kdf.check_floor().is_ok()).then_some(package)
    }

    /// Puts this package's PIN into a device's envelope for the same key pair.
    pub fn apply_to(&self, envelope: &mut UserEnvelope) {
        envelope.kek = KekSource::Argon2idSchoolPin;
        envelope.salt = self.salt.clone();
        envelope.kdf = self.kdf;
        envelope.sealed_key = None;
        envelope.keypair = Some(UserKeypair {
            public: self.public.clone(),
            sealed_secret: self.sealed_secret.clone(),
        });
        envelope.pin_version = self.version;
        envelope.must_change_pin = self.must_change;
    }

    /// Whether `envelope` holds this package's key pair (so its sealed keys open with it).
    pub fn same_keypair(&self, envelope: &UserEnvelope) -> bool {
        envelope
            .keypair
            .as_ref()
            .is_some_and(|k| k.public == self.public)
    }

    /// A device's envelope for this user: the package, and the database key of `generation`
    /// sealed to the package's public key.
    pub fn envelope(&self, user: &User, db_key: &Key, generation: u32) -> Result<UserEnvelope> {
        let mut envelope = UserEnvelope {
            user_id: user.id,
            display_name: user.full_name.clone(),
            role: user.role,
            salt: Vec::new(),
            kdf: self.kdf,
            kek: KekSource::Argon2idSchoolPin,
            sealed_key: None,
            keypair: None,
            boxed_keys: Vec::new(),
            must_change_pin: self.must_change,
            pin_version: self.version,
            lockout: super::lockout::Lockout::default(),
        };
        self.apply_to(&mut envelope);
        self.rebox(&mut envelope, db_key, generation)?;
        Ok(envelope)
    }

    /// Seals the database key to this package's public key, replacing what the envelope held
    /// for an older key pair (after a PIN reset elsewhere the old PIN stops opening this device).
    pub fn rebox(&self, envelope: &mut UserEnvelope, db_key: &Key, generation: u32) -> Result<()> {
        envelope.boxed_keys = vec![BoxedKey {
            generation,
            sealed: crypto::seal_to(&self.public.0, db_key.as_slice())?,
        }];
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLOOR: KdfParams = KdfParams {
        memory_kib: 7_168,
        iterations: 5,
        parallelism: 1,
    };

    fn school() -> SchoolKey {
        SchoolKey(crypto::random_key().unwrap())
    }

    #[test]
    fn a_package_opens_with_its_pin_and_the_schools_pin_key_only() {
        let school = school();
        let key = pin_key(&school).unwrap();
        let user = UserId::from_u128(5);
        let secret = crypto::new_keypair().secret;
        let package = PinPackage::new(user, 7, "482913", &key, &secret, FLOOR, false).unwrap();
        assert_eq!(package.open_secret("482913", &key).unwrap(), Some(secret));
        assert!(package.open_secret("482914", &key).unwrap().is_none());
        let other_school = pin_key(&self::school()).unwrap();
        assert!(package
            .open_secret("482913", &other_school)
            .unwrap()
            .is_none());
    }

    #[test]
    fn what_the_server_stores_opens_only_with_the_pin_key_and_its_own_label() {
        let key = pin_key(&school()).unwrap();
        let user = UserId::from_u128(5);
        let secret = crypto::new_keypair().secret;
        let package = PinPackage::new(user, 7, "482913", &key, &secret, FLOOR, true).unwrap();
        let sealed = package.seal(&key).unwrap();
        assert_eq!(PinPackage::unseal(&sealed, &key), Some(package.clone()));
        // Nothing of the package is readable without the key: no salt, no wrapped secret.
        let text = String::from_utf8_lossy(&sealed.sealed);
        assert!(!text.contains(&crypto::hex(&package.salt)));
        assert!(PinPackage::unseal(&sealed, &pin_key(&school()).unwrap()).is_none());
        for relabelled in [
            SealedPin {
                version: 8,
                ..sealed.clone()
            },
            SealedPin {
                user_id: UserId::from_u128(6),
                ..sealed.clone()
            },
        ] {
            assert!(PinPackage::unseal(&relabelled, &key).is_none());
        }
    }

    #[test]
    fn a_newer_version_is_later_than_the_known_one_and_the_clock() {
        let now = next_version(None);
        assert!(now > 1_700_000_000);
        assert_eq!(next_version(Some(u32::MAX - 5)), u32::MAX - 4);
        assert!(next_version(Some(now)) > now);
    }
}
