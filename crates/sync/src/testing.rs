//! Sealed chains for tests: real envelopes from the engine's kit, sealed under a fixed key.

use crate::hash::Hash;
use crate::header::EventHeader;
use crate::keys::{CaseKey, KEY_LEN};
use crate::sealed::SealedEvent;
use meldcode_engine::access::Audience;
use meldcode_engine::envelope::{Envelope, Recorder};
use meldcode_engine::testkit::{signal_own, Kit, TEACHER};
use meldcode_engine::DeviceId;

pub fn key(byte: u8) -> CaseKey {
    CaseKey(zeroize::Zeroizing::new([byte; KEY_LEN]))
}

pub fn device(byte: u8) -> DeviceId {
    DeviceId::from_u128(0xde70 + u128::from(byte))
}

/// `n` events of one case recorded on `device(device_byte)`, sealed under `key(1)`.
pub fn chain_of(n: usize, device_byte: u8) -> (Vec<Envelope>, Vec<SealedEvent>) {
    let mut kit = Kit::new();
    kit.recorder = Recorder::new(device(device_byte), 0, Default::default());
    kit.ok(
        TEACHER,
        meldcode_engine::command::Command::OpenCase {
            pupil: meldcode_engine::testkit::pupil(),
            parents: vec![meldcode_engine::testkit::parent()],
        },
    );
    while kit.events.len() < n {
        kit.ok(TEACHER, signal_own());
    }
    let envelopes: Vec<Envelope> = kit.events.into_iter().take(n).collect();
    let mut prev = Hash::GENESIS;
    let mut sealed = Vec::new();
    for (i, e) in envelopes.iter().enumerate() {
        let header = EventHeader::of(e, Audience::default(), None);
        let nonce = [u8::try_from(i % 256).unwrap_or(0); 24];
        let s = SealedEvent::seal(header, e, prev, &key(1), nonce).expect("seals");
        prev = s.hash;
        sealed.push(s);
    }
    (envelopes, sealed)
}
