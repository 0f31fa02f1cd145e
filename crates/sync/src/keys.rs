//! Case keys and the school key. Each case's events are encrypted under its own key, so that
//! destroying that key (retention) makes every copy of the case unreadable; case keys travel
//! wrapped by the school key, which only enrolled devices hold, sealed to each device's own
//! X25519 key. XChaCha20-Poly1305 and libsodium-style sealed boxes, from RustCrypto.

use crate::error::{ErrorCode, Result, SyncError};
use crate::hash::base64_bytes;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use meldcode_engine::CaseId;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;

/// A 256-bit secret that zeroes itself when dropped.
pub type Secret = Zeroizing<[u8; KEY_LEN]>;

/// The key of one case's payloads.
pub struct CaseKey(pub Secret);

/// The school's key: wraps every case key; only enrolled devices hold it.
pub struct SchoolKey(pub Secret);

/// Encrypts `plain` under `key`, bound to `aad`; the output is nonce ‖ ciphertext.
pub fn encrypt(key: &Secret, nonce: [u8; NONCE_LEN], aad: &[u8], plain: &[u8]) -> Result<Vec<u8>> {
    let cipher = XChaCha20Poly1305::new_from_slice(key.as_slice())
        .map_err(|_| SyncError::new(ErrorCode::Internal, "bad key length"))?;
    let ciphertext = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad })
        .map_err(|_| SyncError::new(ErrorCode::Internal, "encryption failed"))?;
    let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// `None` when the key is wrong or the bytes (or `aad`) were changed.
pub fn decrypt(key: &Secret, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let (nonce, ciphertext) = sealed.split_at_checked(NONCE_LEN)?;
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.as_slice()).ok()?;
    cipher
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

fn to_secret(bytes: &[u8]) -> Option<Secret> {
    let key: [u8; KEY_LEN] = bytes.try_into().ok()?;
    Some(Zeroizing::new(key))
}

/// A case key as it travels and as the server keeps it: useless without the school key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedCaseKey {
    pub case_id: CaseId,
    #[serde(with = "base64_bytes")]
    pub wrapped: Vec<u8>,
}

fn case_key_aad(case_id: CaseId) -> Vec<u8> {
    let mut aad = b"meldcode/case-key/v1\0".to_vec();
    aad.extend_from_slice(case_id.0.as_bytes());
    aad
}

impl SchoolKey {
    /// Bound to the case id, so a wrapped key cannot be passed off as another case's.
    pub fn wrap(
        &self,
        case_id: CaseId,
        key: &CaseKey,
        nonce: [u8; NONCE_LEN],
    ) -> Result<WrappedCaseKey> {
        Ok(WrappedCaseKey {
            case_id,
            wrapped: encrypt(&self.0, nonce, &case_key_aad(case_id), key.0.as_slice())?,
        })
    }

    pub fn unwrap_case_key(&self, wrapped: &WrappedCaseKey) -> Result<CaseKey> {
        decrypt(&self.0, &case_key_aad(wrapped.case_id), &wrapped.wrapped)
            .and_then(|plain| to_secret(&plain))
            .map(CaseKey)
            .ok_or_else(|| {
                SyncError::new(
                    ErrorCode::Malformed,
                    "case key does not open with the school key",
                )
            })
    }

    /// Sealed to one device's public key (an anonymous sealed box: only that device opens it).
    pub fn seal_to_device<R>(&self, device_public: &[u8; KEY_LEN], rng: &mut R) -> Result<Vec<u8>>
    where
        R: crypto_box::aead::rand_core::CryptoRngCore,
    {
        crypto_box::PublicKey::from(*device_public)
            .seal(rng, self.0.as_slice())
            .map_err(|_| SyncError::new(ErrorCode::Internal, "sealing failed"))
    }

    pub fn open_on_device(device_secret: &Secret, sealed: &[u8]) -> Option<Self> {
        let plain = Zeroizing::new(
            crypto_box::SecretKey::from(**device_secret)
                .unseal(sealed)
                .ok()?,
        );
        to_secret(&plain).map(Self)
    }
}

/// A device's key pair for receiving the school key.
pub fn device_keypair<R>(rng: &mut R) -> (Secret, [u8; KEY_LEN])
where
    R: crypto_box::aead::rand_core::CryptoRngCore,
{
    let secret = crypto_box::SecretKey::generate(rng);
    (
        Zeroizing::new(secret.to_bytes()),
        *secret.public_key().as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_box::aead::OsRng;

    fn key(byte: u8) -> Secret {
        Zeroizing::new([byte; KEY_LEN])
    }

    #[test]
    fn a_case_key_opens_only_with_its_school_key_and_its_case() {
        let school = SchoolKey(key(1));
        let case = CaseId::from_u128(7);
        let wrapped = school
            .wrap(case, &CaseKey(key(9)), [3; NONCE_LEN])
            .expect("wraps");
        assert_eq!(
            *school.unwrap_case_key(&wrapped).expect("opens").0,
            [9; KEY_LEN]
        );
        assert!(SchoolKey(key(2)).unwrap_case_key(&wrapped).is_err());
        let moved = WrappedCaseKey {
            case_id: CaseId::from_u128(8),
            ..wrapped
        };
        assert!(school.unwrap_case_key(&moved).is_err());
    }

    #[test]
    fn the_school_key_opens_only_on_the_device_it_was_sealed_to() {
        let (secret, public) = device_keypair(&mut OsRng);
        let (other, _) = device_keypair(&mut OsRng);
        let sealed = SchoolKey(key(5))
            .seal_to_device(&public, &mut OsRng)
            .expect("seals");
        assert_eq!(
            *SchoolKey::open_on_device(&secret, &sealed)
                .expect("opens")
                .0,
            [5; KEY_LEN]
        );
        assert!(SchoolKey::open_on_device(&other, &sealed).is_none());
    }
}
