//! What a device receives: events after its cursor that any of its users may see, plus the
//! whole history of any case that became visible to it since (a teacher newly involved, say).
//! Decided here, from the directory and the cases' audiences, never by the device.

use crate::storage::{Storage, StoredEvent, Tx};
use meldcode_engine::{CaseId, DeviceId};
use meldcode_sync::api::PullPage;
use meldcode_sync::keys::WrappedCaseKey;
use meldcode_sync::receive::may_receive;
use meldcode_sync::{SealedEvent, SyncError};
use std::collections::BTreeMap;

pub const MAX_PAGE: u64 = 1000;

pub fn pull(
    storage: &Storage,
    device: DeviceId,
    after: u64,
    limit: u64,
) -> Result<PullPage, SyncError> {
    Ok(storage.read(|tx| pull_in(tx, device, after, limit.clamp(1, MAX_PAGE)))?)
}

fn pull_in(
    tx: &mut dyn Tx,
    device: DeviceId,
    after: u64,
    limit: u64,
) -> crate::storage::Result<PullPage> {
    let users = tx.directory()?.users_on(device);
    let mut page = tx.events_after(after, limit.saturating_add(1))?;
    let more = page.len() as u64 > limit;
    page.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let upto = page.last().map_or(after, |e| e.cursor);

    let mut admitted: BTreeMap<CaseId, bool> = BTreeMap::new();
    let mut keys: BTreeMap<CaseId, Option<Vec<u8>>> = BTreeMap::new();
    let mut admits = |tx: &mut dyn Tx, case: CaseId| -> crate::storage::Result<bool> {
        if let Some(a) = admitted.get(&case) {
            return Ok(*a);
        }
        let row = tx.case(case)?;
        let a = row
            .as_ref()
            .is_some_and(|r| may_receive(&users, case, &r.audience));
        if a {
            keys.insert(case, row.and_then(|r| r.wrapped_key));
        }
        admitted.insert(case, a);
        Ok(a)
    };

    let mut chosen: Vec<StoredEvent> = Vec::new();
    // Cases that became visible within this page's range: their earlier events first.
    for case in tx.cases_widened_after(after)? {
        if let Some(row) = tx.case(case)? {
            if row.widened_at <= upto && admits(tx, case)? {
                chosen.extend(tx.events_of_case(case, after)?);
            }
        }
    }
    for e in page {
        if admits(tx, e.case_id)? {
            chosen.push(e);
        }
    }
    let mut events = Vec::with_capacity(chosen.len());
    for e in chosen {
        let sealed: SealedEvent = serde_json::from_str(&e.sealed)
            .map_err(|_| crate::storage::StorageError("a stored event does not parse".into()))?;
        if sealed.header.device_id != device {
            events.push(sealed);
        }
    }
    let case_keys = keys
        .into_iter()
        .filter_map(|(case_id, k)| k.map(|wrapped| WrappedCaseKey { case_id, wrapped }))
        .filter(|k| events.iter().any(|e| e.header.case_id == k.case_id))
        .collect();
    Ok(PullPage {
        events,
        case_keys,
        cursor: upto,
        more,
    })
}
