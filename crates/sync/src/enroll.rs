//! Enrollment codes. A code carries three things: a lookup id, so the server finds the pending
//! enrollment; a secret the server never sees, from which the new device derives both a proof
//! (the server keeps only its hash) and the key that opens the school key left for it; and the
//! server certificate's fingerprint, which the device pins.

use crate::error::{ErrorCode, Result, SyncError};
use crate::hash::Hash;
use crate::keys::{self, Secret, KEY_LEN, NONCE_LEN};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

/// A code is valid this long after it was made.
pub const CODE_TTL_MS: u64 = 15 * 60 * 1000;

const LOOKUP_LEN: usize = 5;
const SECRET_LEN: usize = 16;
const PIN_LEN: usize = 16;
const CODE_LEN: usize = LOOKUP_LEN + SECRET_LEN + PIN_LEN;
/// How many random bytes a new code takes.
pub const RANDOM_LEN: usize = LOOKUP_LEN + SECRET_LEN;

pub struct EnrollmentCode {
    lookup: [u8; LOOKUP_LEN],
    secret: Zeroizing<[u8; SECRET_LEN]>,
    /// The first 128 bits of the SHA-256 of the server's certificate.
    pin: [u8; PIN_LEN],
}

impl EnrollmentCode {
    pub fn new(random: Zeroizing<[u8; RANDOM_LEN]>, certificate_fingerprint: &Hash) -> Self {
        let mut lookup = [0; LOOKUP_LEN];
        lookup.copy_from_slice(&random[..LOOKUP_LEN]);
        let mut secret = Zeroizing::new([0; SECRET_LEN]);
        secret.copy_from_slice(&random[LOOKUP_LEN..]);
        let mut pin = [0; PIN_LEN];
        pin.copy_from_slice(&certificate_fingerprint.0[..PIN_LEN]);
        Self {
            lookup,
            secret,
            pin,
        }
    }

    /// Base32 in groups of five, 60 letters and digits: typed, pasted or scanned.
    pub fn text(&self) -> Zeroizing<String> {
        let mut raw = Zeroizing::new(Vec::with_capacity(CODE_LEN));
        raw.extend_from_slice(&self.lookup);
        raw.extend_from_slice(self.secret.as_slice());
        raw.extend_from_slice(&self.pin);
        let plain = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&raw));
        let mut grouped = Zeroizing::new(String::with_capacity(plain.len() + plain.len() / 5));
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 5 == 0 {
                grouped.push('-');
            }
            grouped.push(c);
        }
        grouped
    }

    /// Accepts any case, dashes and spaces.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || SyncError::new(ErrorCode::BadCode, "this is not an enrollment code");
        let cleaned: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        let raw = Zeroizing::new(
            data_encoding::BASE32_NOPAD
                .decode(cleaned.as_bytes())
                .map_err(|_| bad())?,
        );
        if raw.len() != CODE_LEN {
            return Err(bad());
        }
        let mut random = Zeroizing::new([0; RANDOM_LEN]);
        random.copy_from_slice(&raw[..RANDOM_LEN]);
        let mut code = Self::new(random, &Hash::GENESIS);
        code.pin.copy_from_slice(&raw[RANDOM_LEN..]);
        Ok(code)
    }

    /// What the server looks the code up by.
    pub fn lookup(&self) -> String {
        data_encoding::HEXLOWER.encode(&self.lookup)
    }

    /// The part of the server certificate's fingerprint the code carries.
    pub fn pin_prefix(&self) -> [u8; PIN_LEN] {
        self.pin
    }

    /// Whether a certificate is the one the code was made for.
    pub fn pins(&self, certificate_fingerprint: &Hash) -> bool {
        certificate_fingerprint.0[..PIN_LEN] == self.pin
    }

    fn derive(&self, info: &[u8]) -> Secret {
        let mut out = Zeroizing::new([0; KEY_LEN]);
        // HKDF-SHA256 can always give 32 bytes; a failure would mean a broken build.
        let _ = Hkdf::<Sha256>::new(None, self.secret.as_slice()).expand(info, out.as_mut_slice());
        out
    }

    /// What the device shows the server to prove it holds the code.
    pub fn proof(&self) -> String {
        data_encoding::HEXLOWER.encode(self.derive(b"meldcode/enroll/proof/v1").as_slice())
    }

    /// What the new device needs from the school (the school key first of all), encrypted for
    /// whoever holds the code; the server keeps it until the code is used.
    pub fn deposit(&self, plain: &[u8], nonce: [u8; NONCE_LEN]) -> Result<Vec<u8>> {
        keys::encrypt(
            &self.derive(b"meldcode/enroll/deposit/v1"),
            nonce,
            &self.lookup,
            plain,
        )
    }

    pub fn open_deposit(&self, deposit: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        keys::decrypt(
            &self.derive(b"meldcode/enroll/deposit/v1"),
            &self.lookup,
            deposit,
        )
    }
}

/// What the server keeps of a proof: a wrong code is refused without the server holding
/// anything that would let it enroll a device itself.
pub fn verifier(proof: &str) -> Hash {
    Hash::of(proof.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> EnrollmentCode {
        EnrollmentCode::new(Zeroizing::new([7; RANDOM_LEN]), &Hash::of(b"cert"))
    }

    #[test]
    fn a_code_survives_typing_with_other_case_and_spacing() {
        let text = code().text();
        assert_eq!(text.len(), 60 + 11);
        let typed = text.to_lowercase().replace('-', " ");
        let back = EnrollmentCode::parse(&typed).expect("parses");
        assert_eq!(back.lookup(), code().lookup());
        assert_eq!(back.proof(), code().proof());
        assert!(back.pins(&Hash::of(b"cert")));
        assert!(!back.pins(&Hash::of(b"another cert")));
        assert!(EnrollmentCode::parse("ABCDE").is_err());
        assert!(EnrollmentCode::parse(&text[..40]).is_err());
    }

    #[test]
    fn the_deposit_opens_only_with_the_code() {
        let deposit = code()
            .deposit(&[4; KEY_LEN], [1; NONCE_LEN])
            .expect("deposits");
        assert_eq!(
            code().open_deposit(&deposit).expect("opens").as_slice(),
            &[4; KEY_LEN]
        );
        let other = EnrollmentCode::new(Zeroizing::new([8; RANDOM_LEN]), &Hash::of(b"cert"));
        assert!(other.open_deposit(&deposit).is_none());
    }

    #[test]
    fn the_proof_is_not_the_deposit_key_and_the_server_keeps_only_its_hash() {
        let c = code();
        assert_ne!(
            c.proof(),
            data_encoding::HEXLOWER.encode(c.derive(b"meldcode/enroll/deposit/v1").as_slice())
        );
        assert_eq!(verifier(&c.proof()), verifier(&code().proof()));
    }
}
