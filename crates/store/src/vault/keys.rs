//! How the database key is wrapped. Each user has an X25519 key pair whose secret is wrapped
//! with the key from their PIN (Argon2id with the device secret); the database key is sealed to
//! every user's public key and to the recovery key's. So a new database key can be wrapped for
//! everyone without knowing their PINs: that is what lets a removed user's or a reset PIN's old
//! copy of the vault stop working (a re-key, `Store::rekey`).
//!
//! During a re-key the vault holds the sealed keys of two generations, so that a crash between
//! the vault's save and SQLCipher's `PRAGMA rekey` leaves a store that opens with one of them.

use super::{UserEnvelope, Vault};
use crate::crypto::{self, KdfParams, Key, Sealed};
use crate::error::Result;
use meldcode_engine::people::User;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey(#[serde(with = "crate::crypto::hex_bytes")] pub Vec<u8>);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserKeypair {
    pub public: PublicKey,
    /// The X25519 secret key, wrapped with the PIN's key.
    pub sealed_secret: Sealed,
}

/// The database key of one generation, sealed to a public key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoxedKey {
    pub generation: u32,
    #[serde(with = "crate::crypto::hex_bytes")]
    pub sealed: Vec<u8>,
}

fn keypair_aad(user: &User) -> Vec<u8> {
    super::school_pin::keypair_aad(user.id)
}

/// A fresh envelope for `user`: a new key pair, its secret wrapped with the key from `pin`, and
/// the database key of `generation` sealed to it.
pub fn new_envelope(
    user: &User,
    pin: &str,
    device_secret: &Key,
    db_key: &Key,
    generation: u32,
    kdf: KdfParams,
) -> Result<UserEnvelope> {
    let salt = crypto::random_bytes::<16>()?;
    let kek = crypto::derive_user_key(pin, &salt, device_secret.as_slice(), kdf)?;
    let pair = crypto::new_keypair();
    Ok(UserEnvelope {
        user_id: user.id,
        display_name: user.full_name.clone(),
        role: user.role,
        salt: salt.to_vec(),
        kdf,
        kek: super::KekSource::Argon2idDeviceSecret,
        sealed_key: None,
        keypair: Some(UserKeypair {
            public: PublicKey(pair.public.to_vec()),
            sealed_secret: crypto::seal(&kek, &keypair_aad(user), pair.secret.as_slice())?,
        }),
        boxed_keys: vec![BoxedKey {
            generation,
            sealed: crypto::seal_to(&pair.public, db_key.as_slice())?,
        }],
        must_change_pin: false,
        pin_version: 0,
        lockout: super::lockout::Lockout::default(),
    })
}

/// Which secrets a PIN is combined with: the device's own, and the school's PIN key for a PIN
/// that holds on every device of the school (kept in the spool; `None` when not enrolled).
pub struct PinSecrets<'a> {
    pub device_secret: &'a Key,
    pub pin_key: Option<&'a Key>,
}

/// The key that wraps the envelope's secret, from `pin`.
fn envelope_kek(envelope: &UserEnvelope, pin: &str, secrets: &PinSecrets<'_>) -> Result<Key> {
    let secret = match envelope.kek {
        super::KekSource::Argon2idDeviceSecret => secrets.device_secret,
        super::KekSource::Argon2idSchoolPin => {
            secrets
                .pin_key
                .ok_or_else(|| crate::error::StoreError::Damaged {
                    detail: "de pincodesleutel van de school ontbreekt in de wachtrij".into(),
                })?
        }
    };
    crypto::derive_user_key(pin, &envelope.salt, secret.as_slice(), envelope.kdf)
}

/// The user's X25519 secret key when `pin` opens the envelope; `None` for a wrong PIN or an
/// envelope of the older form (no key pair).
pub fn open_secret(
    envelope: &UserEnvelope,
    pin: &str,
    secrets: &PinSecrets<'_>,
) -> Result<Option<Key>> {
    let Some(pair) = &envelope.keypair else {
        return Ok(None);
    };
    let kek = envelope_kek(envelope, pin, secrets)?;
    Ok(crypto::open(
        &kek,
        &super::school_pin::keypair_aad(envelope.user_id),
        &pair.sealed_secret,
    ))
}

/// The database keys `pin` opens from this envelope, newest generation first; `None` when the
/// PIN is wrong.
pub fn open_envelope(
    envelope: &UserEnvelope,
    pin: &str,
    secrets: &PinSecrets<'_>,
    current_generation: u32,
) -> Result<Option<Vec<(u32, Key)>>> {
    if envelope.keypair.is_some() {
        return Ok(
            open_secret(envelope, pin, secrets)?.map(|secret| unbox(&secret, &envelope.boxed_keys))
        );
    }
    let kek = envelope_kek(envelope, pin, secrets)?;
    let user = User {
        id: envelope.user_id,
        full_name: String::new(),
        role: envelope.role,
    };
    match &envelope.sealed_key {
        Some(sealed) => Ok(crypto::open(&kek, user.id.0.as_bytes(), sealed)
            .map(|key| vec![(current_generation, key)])),
        None => Ok(None),
    }
}

fn unbox(secret: &Key, boxes: &[BoxedKey]) -> Vec<(u32, Key)> {
    let mut keys: Vec<(u32, Key)> = boxes
        .iter()
        .filter_map(|b| crypto::unseal_with(secret, &b.sealed).map(|k| (b.generation, k)))
        .collect();
    keys.sort_by_key(|(g, _)| std::cmp::Reverse(*g));
    keys
}

/// The database keys the recovery key opens, newest generation first.
pub fn recovery_keys(vault: &Vault, recovery_key: &Key) -> Vec<(u32, Key)> {
    let mut keys = unbox(recovery_key, &vault.recovery_boxes);
    if let Some(sealed) = &vault.recovery {
        if let Some(key) = crypto::open(recovery_key, b"recovery", sealed) {
            keys.push((vault.key_generation, key));
        }
    }
    keys
}

/// Seals the database key of `generation` to the recovery key (made into the key-pair form, if
/// the vault still had the older one).
pub fn seal_for_recovery(
    vault: &mut Vault,
    recovery_key: &Key,
    db_key: &Key,
    generation: u32,
) -> Result<()> {
    let public = crypto::public_of(recovery_key);
    vault.recovery_public = Some(PublicKey(public.to_vec()));
    vault.recovery = None;
    vault.recovery_boxes.retain(|b| b.generation != generation);
    vault.recovery_boxes.push(BoxedKey {
        generation,
        sealed: crypto::seal_to(&public, db_key.as_slice())?,
    });
    Ok(())
}

/// Whether everything the vault wraps can be wrapped again without PINs: a re-key would
/// otherwise lock out the safe's recovery key.
pub fn can_rekey(vault: &Vault) -> bool {
    vault.recovery_public.is_some()
}

/// Seals `new_key` as generation `generation` to every user with a key pair and to the
/// recovery key. A user still on the older form cannot receive it and gets a new PIN from the
/// coordinator.
pub fn add_generation(vault: &mut Vault, new_key: &Key, generation: u32) -> Result<()> {
    for user in &mut vault.users {
        match &user.keypair {
            Some(pair) => user.boxed_keys.push(BoxedKey {
                generation,
                sealed: crypto::seal_to(&pair.public.0, new_key.as_slice())?,
            }),
            None => user.sealed_key = None,
        }
    }
    if let Some(public) = &vault.recovery_public {
        let sealed = crypto::seal_to(&public.0, new_key.as_slice())?;
        vault.recovery_boxes.push(BoxedKey { generation, sealed });
    }
    Ok(())
}

/// Keeps only `generation`'s sealed keys: the one the database opens with.
pub fn keep_generation(vault: &mut Vault, generation: u32) {
    for user in &mut vault.users {
        user.boxed_keys.retain(|b| b.generation == generation);
    }
    vault.recovery_boxes.retain(|b| b.generation == generation);
    vault.key_generation = generation;
}
