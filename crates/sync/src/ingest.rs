//! The server's rules for an upload: a device sends a batch of its own chain; the server keeps
//! what links on to the head it holds, ignores what it already has, and refuses the rest.

use crate::error::{ErrorCode, Result, SyncError};
use crate::hash::Hash;
use crate::sealed::SealedEvent;
use meldcode_engine::DeviceId;
use serde::{Deserialize, Serialize};

/// At most this many events in one upload.
pub const MAX_BATCH: usize = 500;
/// At most this many bytes of sealed payload in one event (a body map with signatures fits).
pub const MAX_PAYLOAD: usize = 512 * 1024;
/// At most this many bytes in one request body.
pub const MAX_REQUEST: usize = 16 * 1024 * 1024;
/// Header fields that are free to the device are bounded too.
pub const MAX_KIND: usize = 64;
pub const MAX_AUDIENCE: usize = 1024;

/// Where a chain stands: its last sequence number and that event's hash.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainTip {
    pub seq: u64,
    pub hash: Hash,
}

impl ChainTip {
    pub const EMPTY: ChainTip = ChainTip {
        seq: 0,
        hash: Hash::GENESIS,
    };
}

/// What to store of an accepted batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Events the server already holds, byte for byte: a repeated upload changes nothing.
    pub duplicates: usize,
    /// Index in the batch of the first event to append; the rest of the batch follows it.
    pub append_from: usize,
    /// The chain's tip after appending.
    pub tip: ChainTip,
}

/// A refused batch; `evidence` points at an event that forks the chain, which the server keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub error: SyncError,
    pub evidence: Option<usize>,
}

impl From<SyncError> for Refusal {
    fn from(error: SyncError) -> Self {
        Self {
            error,
            evidence: None,
        }
    }
}

/// Checks a batch sent by `sender` against the chain tip the server holds. `stored(seq)` gives
/// the hash the server holds for an earlier event of that chain.
pub fn plan_upload(
    sender: DeviceId,
    tip: ChainTip,
    batch: &[SealedEvent],
    mut stored: impl FnMut(u64) -> Option<Hash>,
) -> std::result::Result<Plan, Refusal> {
    check_shape(sender, batch)?;
    let mut duplicates = 0;
    let mut append_from = batch.len();
    let mut new_tip = tip;
    for (i, event) in batch.iter().enumerate() {
        let seq = event.header.seq;
        if seq <= tip.seq {
            if stored(seq) == Some(event.hash) {
                duplicates += 1;
                continue;
            }
            return Err(Refusal {
                error: SyncError::new(
                    ErrorCode::Fork,
                    format!("seq {seq} differs from the event the server holds; kept as evidence"),
                ),
                evidence: Some(i),
            });
        }
        if append_from == batch.len() {
            append_from = i;
            if Some(seq) != tip.seq.checked_add(1) {
                return Err(SyncError::new(
                    ErrorCode::Gap,
                    format!(
                        "the server holds this chain up to seq {}; the batch starts at {seq}",
                        tip.seq
                    ),
                )
                .into());
            }
            if event.prev != tip.hash {
                return Err(SyncError::new(
                    ErrorCode::BrokenHash,
                    format!("seq {seq} does not link to the server's seq {}", tip.seq),
                )
                .into());
            }
        }
        new_tip = ChainTip {
            seq,
            hash: event.hash,
        };
    }
    Ok(Plan {
        duplicates,
        append_from,
        tip: new_tip,
    })
}

/// What holds of any batch, whatever the server holds: the sender's own events, consecutive,
/// each hashing to its hash and linking to the one before, within the limits.
fn check_shape(sender: DeviceId, batch: &[SealedEvent]) -> Result<()> {
    if batch.is_empty() {
        return Err(SyncError::new(
            ErrorCode::Malformed,
            "an upload holds at least one event",
        ));
    }
    if batch.len() > MAX_BATCH {
        return Err(SyncError::new(
            ErrorCode::TooLarge,
            format!("an upload holds at most {MAX_BATCH} events"),
        ));
    }
    for (i, event) in batch.iter().enumerate() {
        let h = &event.header;
        if h.device_id != sender {
            return Err(SyncError::new(
                ErrorCode::WrongDevice,
                "an upload holds only the sending device's own events",
            ));
        }
        if h.format != crate::header::FORMAT {
            return Err(SyncError::new(
                ErrorCode::UpdateRequired,
                "unknown sealed-event format",
            ));
        }
        if h.seq == 0 {
            return Err(SyncError::new(
                ErrorCode::Malformed,
                "sequence numbers start at 1",
            ));
        }
        if event
            .payload
            .as_ref()
            .is_some_and(|p| p.len() > MAX_PAYLOAD)
        {
            return Err(SyncError::new(
                ErrorCode::TooLarge,
                format!("an event's payload holds at most {MAX_PAYLOAD} bytes"),
            ));
        }
        if event.payload.is_none() {
            return Err(SyncError::new(
                ErrorCode::Malformed,
                "an uploaded event carries its payload",
            ));
        }
        if h.kind.is_empty() || h.kind.len() > MAX_KIND || h.audience.involved.len() > MAX_AUDIENCE
        {
            return Err(SyncError::new(ErrorCode::Malformed, "header out of bounds"));
        }
        if let Some(before) = i.checked_sub(1).and_then(|j| batch.get(j)) {
            // Checked: a device may send any number, also the largest.
            if Some(h.seq) != before.header.seq.checked_add(1) {
                return Err(SyncError::new(
                    ErrorCode::Gap,
                    "an upload's events are consecutive",
                ));
            }
            if event.prev != before.hash {
                return Err(SyncError::new(
                    ErrorCode::BrokenHash,
                    format!("seq {} does not link to seq {}", h.seq, before.header.seq),
                ));
            }
        }
        event.verify()?;
    }
    Ok(())
}

/// The server's half of the rollback check: a device says where its own chain stands; if that
/// is behind what it uploaded before, its local store was rolled back (or restored).
pub fn check_device_tip(server: ChainTip, device: ChainTip) -> Result<()> {
    if device.seq < server.seq {
        return Err(SyncError::new(
            ErrorCode::RolledBack,
            format!(
                "this device's chain ends at seq {}, but it uploaded up to seq {} before: the device was rolled back",
                device.seq, server.seq
            ),
        ));
    }
    if device.seq == server.seq && device.hash != server.hash {
        return Err(SyncError::new(
            ErrorCode::Fork,
            format!(
                "this device's seq {} differs from the one it uploaded",
                device.seq
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{chain_of, device};
    use std::collections::BTreeMap;

    fn held(chain: &[SealedEvent]) -> (ChainTip, BTreeMap<u64, Hash>) {
        let map: BTreeMap<u64, Hash> = chain.iter().map(|e| (e.header.seq, e.hash)).collect();
        let tip = chain.last().map_or(ChainTip::EMPTY, |e| ChainTip {
            seq: e.header.seq,
            hash: e.hash,
        });
        (tip, map)
    }

    fn plan(
        tip: ChainTip,
        map: &BTreeMap<u64, Hash>,
        batch: &[SealedEvent],
    ) -> std::result::Result<Plan, Refusal> {
        plan_upload(device(1), tip, batch, |s| map.get(&s).copied())
    }

    fn code(r: std::result::Result<Plan, Refusal>) -> ErrorCode {
        r.map(|_| ()).expect_err("refused").error.code
    }

    #[test]
    fn a_first_upload_appends_everything() {
        let (_, chain) = chain_of(4, 1);
        let p = plan(ChainTip::EMPTY, &BTreeMap::new(), &chain).expect("accepted");
        assert_eq!((p.duplicates, p.append_from, p.tip.seq), (0, 0, 4));
    }

    #[test]
    fn a_repeated_upload_changes_nothing() {
        let (_, chain) = chain_of(4, 1);
        let (tip, map) = held(&chain);
        let p = plan(tip, &map, &chain).expect("accepted");
        assert_eq!((p.duplicates, p.append_from, p.tip), (4, 4, tip));
    }

    #[test]
    fn an_overlapping_upload_appends_only_the_new_part() {
        let (_, chain) = chain_of(5, 1);
        let (tip, map) = held(&chain[..3]);
        let p = plan(tip, &map, &chain[1..]).expect("accepted");
        assert_eq!((p.duplicates, p.append_from, p.tip.seq), (2, 2, 5));
    }

    #[test]
    fn a_gap_is_refused() {
        let (_, chain) = chain_of(5, 1);
        let (tip, map) = held(&chain[..2]);
        assert_eq!(code(plan(tip, &map, &chain[3..])), ErrorCode::Gap);
        let skipping = vec![chain[2].clone(), chain[4].clone()];
        assert_eq!(code(plan(tip, &map, &skipping)), ErrorCode::Gap);
    }

    #[test]
    fn the_same_seq_with_other_content_is_a_fork_with_evidence() {
        let (_, chain) = chain_of(3, 1);
        let (_, other) = chain_of(4, 1);
        let mut forged = other[3].clone();
        forged.header.seq = 3;
        forged.prev = chain[1].hash;
        forged.hash = crate::chain::link(
            &forged.prev,
            &forged.header.canonical(),
            &forged.payload_digest,
        );
        let (tip, map) = held(&chain);
        let refusal = plan(tip, &map, &[forged]).expect_err("refused");
        assert_eq!(
            (refusal.error.code, refusal.evidence),
            (ErrorCode::Fork, Some(0))
        );
    }

    #[test]
    fn a_broken_hash_or_link_is_refused() {
        let (_, chain) = chain_of(3, 1);
        let mut broken = chain.clone();
        broken[1].header.kind = "closed".into();
        assert_eq!(
            code(plan(ChainTip::EMPTY, &BTreeMap::new(), &broken)),
            ErrorCode::BrokenHash
        );
        let (tip, map) = held(&chain[..1]);
        let (_, elsewhere) = chain_of(3, 1);
        let mut unlinked = elsewhere[1].clone();
        unlinked.prev = crate::Hash::of(b"not the tip");
        unlinked.hash = crate::chain::link(
            &unlinked.prev,
            &unlinked.header.canonical(),
            &unlinked.payload_digest,
        );
        assert_eq!(code(plan(tip, &map, &[unlinked])), ErrorCode::BrokenHash);
    }

    #[test]
    fn a_seq_at_the_largest_number_is_a_gap_not_an_overflow() {
        let (_, chain) = chain_of(2, 1);
        let mut last = chain[0].clone();
        last.header.seq = u64::MAX;
        last.hash = crate::chain::link(&last.prev, &last.header.canonical(), &last.payload_digest);
        let mut next = chain[1].clone();
        next.prev = last.hash;
        next.hash = crate::chain::link(&next.prev, &next.header.canonical(), &next.payload_digest);
        assert_eq!(
            code(plan(
                ChainTip::EMPTY,
                &BTreeMap::new(),
                &[last.clone(), next]
            )),
            ErrorCode::Gap
        );
        let tip = ChainTip {
            seq: u64::MAX,
            hash: last.hash,
        };
        assert_eq!(
            code(plan(tip, &BTreeMap::new(), &chain[1..])),
            ErrorCode::Fork
        );
    }

    #[test]
    fn another_devices_events_are_refused() {
        let (_, chain) = chain_of(2, 2);
        assert_eq!(
            code(plan(ChainTip::EMPTY, &BTreeMap::new(), &chain)),
            ErrorCode::WrongDevice
        );
    }

    #[test]
    fn empty_oversized_and_payloadless_batches_are_refused() {
        assert_eq!(
            code(plan(ChainTip::EMPTY, &BTreeMap::new(), &[])),
            ErrorCode::Malformed
        );
        let (_, chain) = chain_of(1, 1);
        let too_many = vec![chain[0].clone(); MAX_BATCH + 1];
        assert_eq!(
            code(plan(ChainTip::EMPTY, &BTreeMap::new(), &too_many)),
            ErrorCode::TooLarge
        );
        let shredded = vec![chain[0].clone().shredded()];
        assert_eq!(
            code(plan(ChainTip::EMPTY, &BTreeMap::new(), &shredded)),
            ErrorCode::Malformed
        );
    }

    #[test]
    fn a_device_behind_its_own_uploads_was_rolled_back() {
        let server = ChainTip {
            seq: 5,
            hash: Hash::of(b"5"),
        };
        assert!(check_device_tip(server, server).is_ok());
        assert!(check_device_tip(
            server,
            ChainTip {
                seq: 7,
                hash: Hash::of(b"7")
            }
        )
        .is_ok());
        assert_eq!(
            check_device_tip(
                server,
                ChainTip {
                    seq: 3,
                    hash: Hash::of(b"3")
                }
            )
            .map_err(|e| e.code),
            Err(ErrorCode::RolledBack)
        );
        assert_eq!(
            check_device_tip(
                server,
                ChainTip {
                    seq: 5,
                    hash: Hash::of(b"x")
                }
            )
            .map_err(|e| e.code),
            Err(ErrorCode::Fork)
        );
    }
}
