//! A case destroyed at the end of its retention period (R15, AVG). The case lead's tombstone
//! arrives in the school log with the case's id in its readable header; the server then erases
//! what it holds of the case: the payload of each of its events, also of a fork kept as
//! evidence (the event's place in its device's chain stays: header and hashes, so every chain
//! still verifies), and its wrapped key. A record of the case that arrives later, made on a
//! device that had not heard of the destruction yet, loses its payload in the same upload.

use crate::storage::{CaseRow, Result, StorageError, Tx};
use meldcode_engine::rules::r15_retention::tombstone_authorised;
use meldcode_engine::{CaseId, DeviceId, UserId};
use meldcode_sync::receive::Directory;
use meldcode_sync::SealedEvent;
use std::collections::BTreeSet;

/// Whether the tombstone's author is one of the sending device's users (a device cannot name
/// the coordinator as author) and holds the case's lead role.
fn may_destroy(dir: &Directory, sender: DeviceId, author: UserId, case: Option<&CaseRow>) -> bool {
    dir.users_on(sender)
        .iter()
        .find(|a| a.user_id == author)
        .is_some_and(|a| tombstone_authorised(a.role, case.map(|c| c.audience.staff_case)))
}

/// Applies an upload's tombstones (case, author, cursor) whose authors may destroy the case
/// (`dir`, the directory, is given when there are any), then takes the payloads out of the cases
/// destroyed now and of those destroyed before that the upload brought late records of
/// (`touched`). Returns whether anything was erased.
pub(crate) fn apply(
    tx: &mut dyn Tx,
    dir: Option<&Directory>,
    sender: DeviceId,
    tombstones: &[(CaseId, UserId, u64)],
    touched: impl Iterator<Item = CaseId>,
) -> Result<bool> {
    let mut destroyed = BTreeSet::new();
    for &(case, author, at) in tombstones {
        let row = tx.case(case)?;
        if dir.is_some_and(|d| may_destroy(d, sender, author, row.as_ref())) {
            tx.mark_destroyed(case, at)?;
            destroyed.insert(case);
        } else {
            tracing::warn!(device = %sender, "a tombstone by someone who may not destroy the case: nothing erased");
        }
    }
    let mut erased = !destroyed.is_empty();
    for case in touched.filter(|c| !destroyed.contains(c)) {
        if tx.is_destroyed(case)? {
            erased |= shred(tx, case)? > 0;
        }
    }
    for case in destroyed {
        shred(tx, case)?;
    }
    Ok(erased)
}

/// Takes the payload out of every stored event and fork of `case`; returns how many it erased.
fn shred(tx: &mut dyn Tx, case: CaseId) -> Result<usize> {
    let mut erased = 0;
    for stored in tx.events_of_case(case, u64::MAX)? {
        if let Some(json) = shredded(&stored.sealed)? {
            tx.replace_sealed(stored.cursor, &json)?;
            erased += 1;
        }
    }
    for (id, sealed) in tx.forks()? {
        let of_case =
            serde_json::from_str::<SealedEvent>(&sealed).is_ok_and(|e| e.header.case_id == case);
        if let (true, Some(json)) = (of_case, shredded(&sealed)?) {
            tx.replace_fork(id, &json)?;
            erased += 1;
        }
    }
    Ok(erased)
}

/// The event without its payload, or `None` when it has none any more.
fn shredded(sealed: &str) -> Result<Option<String>> {
    let event: SealedEvent = serde_json::from_str(sealed)
        .map_err(|_| StorageError("a stored event does not parse".into()))?;
    if event.payload.is_none() {
        return Ok(None);
    }
    serde_json::to_string(&event.shredded())
        .map(Some)
        .map_err(|_| StorageError("a shredded event does not serialise".into()))
}
