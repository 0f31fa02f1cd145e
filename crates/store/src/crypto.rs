//! Key handling with well-kept crates only: Argon2id for deriving a key from a PIN and the device
//! secret, XChaCha20-Poly1305 for wrapping the database key, the OS generator for randomness.

use crate::error::{Result, StoreError};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;
pub type Key = Zeroizing<[u8; KEY_LEN]>;

pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| StoreError::Invalid {
        message: format!("Het besturingssysteem leverde geen willekeurige getallen ({e})."),
    })?;
    Ok(out)
}

pub fn random_key() -> Result<Key> {
    Ok(Zeroizing::new(random_bytes::<KEY_LEN>()?))
}

/// Argon2id cost, stored with each envelope so that it can be raised later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// OWASP's minimum configurations for Argon2id (Password Storage Cheat Sheet): memory in KiB and
/// passes, one lane. A parameter set is acceptable when it meets one of them on both counts.
pub const OWASP_MINIMUMS: [(u32, u32); 5] = [
    (47_104, 1),
    (19_456, 2),
    (12_288, 3),
    (9_216, 4),
    (7_168, 5),
];

impl KdfParams {
    /// Refuses parameters below OWASP's minimum: a vault (or an attacker editing one) must not
    /// make guessing a PIN cheaper.
    pub fn check_floor(self) -> Result<()> {
        let meets = OWASP_MINIMUMS
            .iter()
            .any(|&(m, t)| self.memory_kib >= m && self.iterations >= t);
        if meets && self.parallelism >= 1 {
            Ok(())
        } else {
            Err(StoreError::Damaged {
                detail: "de sleutelafleiding in het sleutelbestand is zwakker dan toegestaan"
                    .into(),
            })
        }
    }

    /// Above OWASP's minimum for Argon2id (19 MiB, 2 passes): 64 MiB, 3 passes. Measured by
    /// `make bench` on the target machines.
    pub const DEFAULT: Self = Self {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };
}

/// The key that wraps the database key for one user: Argon2id over the PIN, salted, with the
/// device secret as Argon2's secret input, so neither a stolen file nor a guessed PIN suffices.
pub fn derive_user_key(
    pin: &str,
    salt: &[u8],
    device_secret: &[u8],
    params: KdfParams,
) -> Result<Key> {
    let invalid = |e: argon2::Error| StoreError::Invalid {
        message: format!("Sleutelafleiding mislukt ({e})."),
    };
    let p = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        Some(KEY_LEN),
    )
    .map_err(invalid)?;
    let argon = Argon2::new_with_secret(device_secret, Algorithm::Argon2id, Version::V0x13, p)
        .map_err(invalid)?;
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(pin.as_bytes(), salt, out.as_mut_slice())
        .map_err(invalid)?;
    Ok(out)
}

/// A key for one purpose (`info`) from the device secret, so that the vault's MAC key and the
/// Argon2 secret input are never the same bytes.
pub fn derive_subkey(secret: &Key, info: &[u8]) -> Result<Key> {
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    Hkdf::<Sha256>::new(None, secret.as_slice())
        .expand(info, out.as_mut_slice())
        .map_err(|_| StoreError::Invalid {
            message: "Sleutelafleiding mislukt.".into(),
        })?;
    Ok(out)
}

/// HMAC-SHA-256 over `data`.
pub fn mac(key: &Key, data: &[u8]) -> Vec<u8> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_slice())
        .expect("HMAC takes a key of any length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

/// Constant-time comparison through the HMAC crate.
pub fn mac_matches(key: &Key, data: &[u8], tag: &[u8]) -> bool {
    let Ok(mut m) = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_slice()) else {
        return false;
    };
    m.update(data);
    m.verify_slice(tag).is_ok()
}

/// A wrapped key: nonce and ciphertext, bound to `aad` (the user id or "recovery").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    #[serde(with = "hex_bytes")]
    pub nonce: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub ciphertext: Vec<u8>,
}

pub fn seal(wrapping_key: &Key, aad: &[u8], secret: &[u8]) -> Result<Sealed> {
    let cipher = XChaCha20Poly1305::new_from_slice(wrapping_key.as_slice()).map_err(|_| {
        StoreError::Invalid {
            message: "Ongeldige sleutellengte.".into(),
        }
    })?;
    let nonce_bytes = random_bytes::<24>()?;
    let ciphertext = cipher
        .encrypt(&XNonce::from(nonce_bytes), Payload { msg: secret, aad })
        .map_err(|_| StoreError::Invalid {
            message: "Versleutelen mislukt.".into(),
        })?;
    Ok(Sealed {
        nonce: nonce_bytes.to_vec(),
        ciphertext,
    })
}

/// `None` when the key is wrong (or the envelope was changed): authenticated decryption fails.
pub fn open(wrapping_key: &Key, aad: &[u8], sealed: &Sealed) -> Option<Key> {
    let cipher = XChaCha20Poly1305::new_from_slice(wrapping_key.as_slice()).ok()?;
    let nonce: [u8; 24] = sealed.nonce.as_slice().try_into().ok()?;
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad,
                },
            )
            .ok()?,
    );
    let key: [u8; KEY_LEN] = plain.as_slice().try_into().ok()?;
    Some(Zeroizing::new(key))
}

/// An X25519 key pair for sealed boxes (libsodium's `crypto_box_seal`, via the `crypto_box`
/// crate): anyone may seal to the public key, only the secret key opens.
pub struct Keypair {
    pub public: [u8; KEY_LEN],
    pub secret: Key,
}

pub fn new_keypair() -> Keypair {
    let secret = crypto_box::SecretKey::generate(&mut crypto_box::aead::OsRng);
    Keypair {
        public: *secret.public_key().as_bytes(),
        secret: Zeroizing::new(secret.to_bytes()),
    }
}

/// The public key belonging to a secret key (also to the recovery key, used as one).
pub fn public_of(secret: &Key) -> [u8; KEY_LEN] {
    *crypto_box::SecretKey::from(**secret)
        .public_key()
        .as_bytes()
}

pub fn seal_to(public: &[u8], secret: &[u8]) -> Result<Vec<u8>> {
    let public: [u8; KEY_LEN] = public.try_into().map_err(|_| StoreError::Invalid {
        message: "Ongeldige openbare sleutel.".into(),
    })?;
    crypto_box::PublicKey::from(public)
        .seal(&mut crypto_box::aead::OsRng, secret)
        .map_err(|_| StoreError::Invalid {
            message: "Versleutelen mislukt.".into(),
        })
}

/// `None` when the box was not sealed to this key, or was changed.
pub fn unseal_with(secret: &Key, sealed: &[u8]) -> Option<Key> {
    let plain = Zeroizing::new(crypto_box::SecretKey::from(**secret).unseal(sealed).ok()?);
    let key: [u8; KEY_LEN] = plain.as_slice().try_into().ok()?;
    Some(Zeroizing::new(key))
}

/// The recovery key as printed for the school's safe: base32 in groups of four.
/// Built in zeroising buffers of the right size: the text is the key.
pub fn format_recovery_key(key: &Key) -> Zeroizing<String> {
    let encoding = &data_encoding::BASE32_NOPAD;
    let len = encoding.encode_len(key.len());
    let mut plain = Zeroizing::new(String::with_capacity(len));
    encoding.encode_append(key.as_slice(), &mut plain);
    let mut grouped = Zeroizing::new(String::with_capacity(len + len / 4));
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            grouped.push('-');
        }
        grouped.push(c);
    }
    grouped
}

pub fn parse_recovery_key(text: &str) -> Result<Key> {
    let cleaned: Zeroizing<String> = Zeroizing::new(
        text.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect(),
    );
    let bytes = Zeroizing::new(
        data_encoding::BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .map_err(|_| StoreError::WrongRecoveryKey)?,
    );
    let key: [u8; KEY_LEN] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| StoreError::WrongRecoveryKey)?;
    Ok(Zeroizing::new(key))
}

pub fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

/// Byte strings as lowercase hex in the vault file.
pub(crate) mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&data_encoding::HEXLOWER.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        data_encoding::HEXLOWER
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheapest of OWASP's minimum configurations.
    const FLOOR: KdfParams = KdfParams {
        memory_kib: 7_168,
        iterations: 5,
        parallelism: 1,
    };

    #[test]
    fn a_wrapped_key_opens_only_with_the_same_pin_secret_and_aad() {
        let db_key = random_key().unwrap();
        let salt = random_bytes::<16>().unwrap();
        let k = derive_user_key("482913", &salt, b"device", FLOOR).unwrap();
        let sealed = seal(&k, b"user-1", db_key.as_slice()).unwrap();
        assert_eq!(open(&k, b"user-1", &sealed).unwrap(), db_key);
        assert!(open(&k, b"user-2", &sealed).is_none());
        let wrong_pin = derive_user_key("482914", &salt, b"device", FLOOR).unwrap();
        assert!(open(&wrong_pin, b"user-1", &sealed).is_none());
        let other_device = derive_user_key("482913", &salt, b"other", FLOOR).unwrap();
        assert!(open(&other_device, b"user-1", &sealed).is_none());
    }

    #[test]
    fn kdf_parameters_below_owasp_are_refused() {
        assert!(KdfParams::DEFAULT.check_floor().is_ok());
        assert!(FLOOR.check_floor().is_ok());
        for weak in [
            KdfParams {
                memory_kib: 1024,
                iterations: 1,
                parallelism: 1,
            },
            KdfParams {
                memory_kib: 19_456,
                iterations: 1,
                parallelism: 1,
            },
            KdfParams {
                memory_kib: 7_168,
                iterations: 4,
                parallelism: 1,
            },
            KdfParams {
                memory_kib: 65_536,
                iterations: 3,
                parallelism: 0,
            },
        ] {
            assert!(weak.check_floor().is_err(), "{weak:?}");
        }
    }

    #[test]
    fn a_mac_fails_on_any_changed_byte_or_other_key() {
        let key = derive_subkey(&random_key().unwrap(), b"test").unwrap();
        let tag = mac(&key, b"vault body");
        assert!(mac_matches(&key, b"vault body", &tag));
        assert!(!mac_matches(&key, b"vault bodY", &tag));
        let other = derive_subkey(&random_key().unwrap(), b"test").unwrap();
        assert!(!mac_matches(&other, b"vault body", &tag));
    }

    #[test]
    fn a_sealed_box_opens_only_with_its_secret_key() {
        let pair = new_keypair();
        assert_eq!(public_of(&pair.secret), pair.public);
        let db_key = random_key().unwrap();
        let sealed = seal_to(&pair.public, db_key.as_slice()).unwrap();
        assert_eq!(unseal_with(&pair.secret, &sealed).unwrap(), db_key);
        assert!(unseal_with(&new_keypair().secret, &sealed).is_none());
    }

    #[test]
    fn recovery_key_text_round_trips_and_tolerates_case_and_spacing() {
        let key = random_key().unwrap();
        let text = format_recovery_key(&key);
        assert_eq!(parse_recovery_key(&text).unwrap(), key);
        let sloppy = text.to_lowercase().replace('-', " ");
        assert_eq!(parse_recovery_key(&sloppy).unwrap(), key);
        assert!(parse_recovery_key("ABCD-EFGH").is_err());
    }
}
