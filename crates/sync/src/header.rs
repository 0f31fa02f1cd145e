//! What the server may read of an event: pseudonymous ids, kind, clock and the facts that decide
//! who receives the case. Everything else travels inside the sealed payload.

use crate::receive::DirectoryChange;
use meldcode_engine::access::Audience;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::hlc::Hlc;
use meldcode_engine::{CaseId, DeviceId, EventId, EventPayload, UserId};
use serde::{Deserialize, Serialize};

/// The sealed-event format; a device and the server must agree on it (see `version`).
pub const FORMAT: u16 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventHeader {
    pub format: u16,
    pub id: EventId,
    pub case_id: CaseId,
    pub device_id: DeviceId,
    /// 1, 2, 3 … per device, without gaps.
    pub seq: u64,
    pub author: UserId,
    /// The payload's type (`signal_recorded`, `decided` …): lets the server count and filter
    /// without reading.
    pub kind: String,
    pub hlc: Hlc,
    /// Who may receive the case, as the author's device knew it after this event.
    pub audience: Audience,
    /// For the school log's events: the change to who works here, which the server needs to
    /// decide who receives what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<DirectoryChange>,
    /// For the school log's tombstone (R15): the case destroyed, whose stored payloads and key
    /// the server erases too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destroys: Option<CaseId>,
}

/// The case a tombstone destroys; `None` for every other event.
fn destroyed_case(envelope: &Envelope) -> Option<CaseId> {
    match &envelope.payload {
        EventPayload::CaseDestroyed(t) => Some(t.case),
        _ => None,
    }
}

impl EventHeader {
    pub fn of(envelope: &Envelope, audience: Audience, directory: Option<DirectoryChange>) -> Self {
        Self {
            format: FORMAT,
            id: envelope.id,
            case_id: envelope.case_id,
            device_id: envelope.device_id,
            seq: envelope.device_seq,
            author: envelope.author,
            kind: envelope.payload.kind().to_owned(),
            hlc: envelope.hlc,
            audience,
            directory,
            destroys: destroyed_case(envelope),
        }
    }

    /// The bytes hashed into the chain and bound to the ciphertext. Fields serialise in
    /// declaration order and sets are sorted, so equal headers give equal bytes on every side.
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Whether this header describes `envelope` (after decrypting, the two must agree).
    pub fn describes(&self, envelope: &Envelope) -> bool {
        self.id == envelope.id
            && self.case_id == envelope.case_id
            && self.device_id == envelope.device_id
            && self.seq == envelope.device_seq
            && self.author == envelope.author
            && self.hlc == envelope.hlc
            && self.kind == envelope.payload.kind()
            && self.destroys == destroyed_case(envelope)
    }
}
