//! The event envelope for an append-only, hash-chained, later-synced log (DESIGN.md §6).
//! The store adds the per-device hash chain over `canonical_json`.

use crate::event::{EventPayload, EVENT_SCHEMA_VERSION};
use crate::hlc::Hlc;
use crate::ids::{CaseId, DeviceId, EventId, UserId};
use crate::people::{Actor, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the recording device had of the case when it recorded: per device, the highest
/// sequence number of that device's events in this case. Kept on the records that can
/// conflict when made offline on two devices (a weighing, a decision), so that every device
/// tells "made without knowing the other" from "made after it" (R11, conflicts).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen(pub BTreeMap<DeviceId, u64>);

impl Seen {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the event at `seq` of `device` was known.
    pub fn includes(&self, device: DeviceId, seq: u64) -> bool {
        self.0.get(&device).is_some_and(|s| *s >= seq)
    }

    pub fn note(&mut self, device: DeviceId, seq: u64) {
        let s = self.0.entry(device).or_insert(0);
        *s = (*s).max(seq);
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Schema version of the payload shape.
    pub v: u16,
    pub id: EventId,
    pub case_id: CaseId,
    pub author: UserId,
    /// The author's role when recording: accountability outlives role changes.
    pub author_role: Role,
    pub device_id: DeviceId,
    /// 1, 2, 3 … per device, without gaps; uploads are idempotent on (device, seq).
    pub device_seq: u64,
    pub hlc: Hlc,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub payload: EventPayload,
    /// Absent (and not serialised) on records that cannot conflict, and on every record made
    /// before sync existed: their bytes, and so their hashes, stay as they were.
    #[serde(default, skip_serializing_if = "Seen::is_empty")]
    pub seen: Seen,
}

impl Envelope {
    /// The bytes the store hashes. Struct fields serialise in declaration order and the
    /// payloads hold no maps, so the encoding is deterministic.
    pub fn canonical_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }
}

/// Supplies the random part of UUIDv7 ids; the store uses the OS generator, tests a counter.
pub trait RandomSource {
    fn random_10(&mut self) -> [u8; 10];
}

/// Stamps payloads from one device into envelopes: ids, sequence numbers and the clock.
#[derive(Clone, Debug)]
pub struct Recorder {
    device_id: DeviceId,
    last_seq: u64,
    clock: Hlc,
}

impl Recorder {
    /// Resumes a device after its last stored event (`last_seq` 0 and a default clock when new).
    pub fn new(device_id: DeviceId, last_seq: u64, last_clock: Hlc) -> Self {
        Self {
            device_id,
            last_seq,
            clock: last_clock,
        }
    }

    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    pub fn clock(&self) -> Hlc {
        self.clock
    }

    pub fn stamp(
        &mut self,
        case_id: CaseId,
        actor: Actor,
        now: DateTime<Utc>,
        payloads: Vec<EventPayload>,
        random: &mut dyn RandomSource,
    ) -> Vec<Envelope> {
        let now_ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
        payloads
            .into_iter()
            .map(|payload| {
                self.last_seq += 1;
                self.clock = self.clock.tick(now_ms);
                Envelope {
                    v: EVENT_SCHEMA_VERSION,
                    id: EventId::new_v7(self.clock.wall_ms, random.random_10()),
                    case_id,
                    author: actor.user_id,
                    author_role: actor.role,
                    device_id: self.device_id,
                    device_seq: self.last_seq,
                    hlc: self.clock,
                    occurred_at: payload.occurred_at().unwrap_or(now),
                    recorded_at: now,
                    payload,
                    seen: Seen::default(),
                }
            })
            .collect()
    }
}

/// A deterministic source for tests, demos and replays.
#[derive(Clone, Debug, Default)]
pub struct CountingRandom(pub u64);

impl RandomSource for CountingRandom {
    fn random_10(&mut self) -> [u8; 10] {
        self.0 += 1;
        let mut out = [0u8; 10];
        out[2..].copy_from_slice(&self.0.to_be_bytes());
        out
    }
}
