//! An event as it leaves the device: the readable header, the chain link, and the envelope
//! encrypted under its case's key with the header as associated data.

use crate::chain;
use crate::error::{ErrorCode, Result, SyncError};
use crate::hash::{base64_bytes, Hash};
use crate::header::EventHeader;
use crate::keys::{self, CaseKey, NONCE_LEN};
use meldcode_engine::envelope::Envelope;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedEvent {
    pub header: EventHeader,
    /// The hash of this device's event before (`Hash::GENESIS` for the first).
    pub prev: Hash,
    pub hash: Hash,
    /// SHA-256 of `payload`: the chain covers this, so the payload may go when its key does.
    pub payload_digest: Hash,
    /// nonce ‖ ciphertext of the envelope's canonical JSON; absent once the case was destroyed.
    #[serde(
        default,
        with = "option_base64",
        skip_serializing_if = "Option::is_none"
    )]
    pub payload: Option<Vec<u8>>,
}

impl SealedEvent {
    pub fn seal(
        header: EventHeader,
        envelope: &Envelope,
        prev: Hash,
        key: &CaseKey,
        nonce: [u8; NONCE_LEN],
    ) -> Result<Self> {
        if !header.describes(envelope) {
            return Err(SyncError::new(
                ErrorCode::Malformed,
                "header does not describe the event",
            ));
        }
        let plain = zeroize::Zeroizing::new(
            envelope
                .canonical_json()
                .map_err(|_| SyncError::new(ErrorCode::Malformed, "event does not serialise"))?,
        );
        let header_bytes = header.canonical();
        let payload = keys::encrypt(&key.0, nonce, &header_bytes, &plain)?;
        let payload_digest = Hash::of(&payload);
        Ok(Self {
            hash: chain::link(&prev, &header_bytes, &payload_digest),
            header,
            prev,
            payload_digest,
            payload: Some(payload),
        })
    }

    /// The checks anyone can make without a key: the digest matches the payload, and the hash
    /// matches the link of previous hash, header and digest.
    pub fn verify(&self) -> Result<()> {
        if let Some(payload) = &self.payload {
            if Hash::of(payload) != self.payload_digest {
                return Err(self.broken("payload does not match its digest"));
            }
        }
        if chain::link(&self.prev, &self.header.canonical(), &self.payload_digest) != self.hash {
            return Err(self.broken("hash does not match the event"));
        }
        Ok(())
    }

    fn broken(&self, what: &str) -> SyncError {
        SyncError::new(
            ErrorCode::BrokenHash,
            format!(
                "{what} (device {}, seq {})",
                self.header.device_id, self.header.seq
            ),
        )
    }

    /// Decrypts the envelope and checks that it is the one the header describes.
    pub fn open(&self, key: &CaseKey) -> Result<Envelope> {
        self.verify()?;
        let payload = self.payload.as_ref().ok_or_else(|| {
            SyncError::new(ErrorCode::NotAllowed, "this event's case was destroyed")
        })?;
        let plain = keys::decrypt(&key.0, &self.header.canonical(), payload).ok_or_else(|| {
            SyncError::new(
                ErrorCode::Malformed,
                "payload does not open with the case key",
            )
        })?;
        let envelope: Envelope = serde_json::from_slice(&plain)
            .map_err(|_| SyncError::new(ErrorCode::Malformed, "payload is not an event"))?;
        if !self.header.describes(&envelope) {
            return Err(SyncError::new(
                ErrorCode::Malformed,
                "header does not describe the payload",
            ));
        }
        Ok(envelope)
    }

    /// What remains when the case's key is destroyed: the chain still verifies.
    pub fn shredded(mut self) -> Self {
        self.payload = None;
        self
    }
}

pub(crate) mod option_base64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => super::base64_bytes::serialize(b, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        let text = Option::<std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.map(|t| {
            data_encoding::BASE64
                .decode(t.as_bytes())
                .map_err(|_| serde::de::Error::custom("not base64"))
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{chain_of, key};

    #[test]
    fn a_sealed_event_opens_to_the_same_envelope_and_survives_the_wire() {
        let (envelopes, sealed) = chain_of(3, 1);
        for (e, s) in envelopes.iter().zip(&sealed) {
            let wire = serde_json::to_vec(s).expect("serialises");
            let back: SealedEvent = serde_json::from_slice(&wire).expect("parses");
            assert_eq!(&back.open(&key(1)).expect("opens"), e);
        }
    }

    #[test]
    fn another_case_key_opens_nothing() {
        let (_, sealed) = chain_of(1, 1);
        assert_eq!(
            sealed[0].open(&key(2)).map_err(|e| e.code),
            Err(ErrorCode::Malformed)
        );
    }

    #[test]
    fn a_changed_header_or_payload_breaks_the_hash() {
        let (_, sealed) = chain_of(1, 1);
        let mut forged = sealed[0].clone();
        forged.header.kind = "decided".into();
        assert_eq!(
            forged.verify().map_err(|e| e.code),
            Err(ErrorCode::BrokenHash)
        );
        let mut forged = sealed[0].clone();
        if let Some(p) = forged.payload.as_mut() {
            p[30] ^= 1;
        }
        assert_eq!(
            forged.verify().map_err(|e| e.code),
            Err(ErrorCode::BrokenHash)
        );
    }

    #[test]
    fn a_shredded_event_still_verifies_but_opens_nothing() {
        let (_, sealed) = chain_of(2, 1);
        let gone = sealed[0].clone().shredded();
        assert!(gone.verify().is_ok());
        assert_eq!(
            gone.open(&key(1)).map_err(|e| e.code),
            Err(ErrorCode::NotAllowed)
        );
        assert!(!serde_json::to_string(&gone)
            .expect("serialises")
            .contains("payload\""));
        assert_eq!(sealed[1].prev, gone.hash);
    }
}
