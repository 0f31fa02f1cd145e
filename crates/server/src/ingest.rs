//! An upload, in one transaction: check the batch against the chain the server holds (the
//! rules are `meldcode_sync::ingest`'s), then append, join the cases' audiences, apply the
//! school log's directory changes and tombstones, and move the chain's head. A refused fork is
//! kept as evidence; any other refusal stores nothing.

use crate::storage::{CaseRow, Storage, Tx};
use meldcode_engine::access::Audience;
use meldcode_engine::school_log::SCHOOL_LOG;
use meldcode_engine::{CaseId, DeviceId, UserId};
use meldcode_sync::api::{Upload, UploadReceipt};
use meldcode_sync::ingest::plan_upload;
use meldcode_sync::receive::{join, DirectoryChange};
use meldcode_sync::{ErrorCode, Hash, SyncError};
use std::collections::BTreeMap;

/// What an accepted upload did; `cursor` is the newest cursor when anything was appended.
pub struct Ingested {
    pub receipt: UploadReceipt,
    pub cursor: Option<u64>,
}

pub fn upload(
    storage: &Storage,
    sender: DeviceId,
    upload: &Upload,
    now: u64,
) -> Result<Ingested, SyncError> {
    if upload.case_keys.len() > meldcode_sync::ingest::MAX_BATCH {
        return Err(SyncError::new(
            ErrorCode::TooLarge,
            "too many case keys in one upload",
        ));
    }
    let (ingested, erased) = storage.write(|tx| upload_in(tx, sender, upload, now))??;
    if erased {
        // The upload is stored either way; a WAL not yet emptied is at the next checkpoint.
        if let Err(e) = storage.erase_freed() {
            tracing::error!(error = %e, "rewriting the database after a destruction");
        }
    }
    Ok(ingested)
}

fn upload_in(
    tx: &mut dyn Tx,
    sender: DeviceId,
    upload: &Upload,
    now: u64,
) -> crate::storage::Result<Result<(Ingested, bool), SyncError>> {
    let tip = tx.tip(sender)?;
    let mut held: BTreeMap<u64, Hash> = BTreeMap::new();
    for e in upload.events.iter().filter(|e| e.header.seq <= tip.seq) {
        if let Some(h) = tx.stored_hash(sender, e.header.seq)? {
            held.insert(e.header.seq, h);
        }
    }
    let plan = match plan_upload(sender, tip, &upload.events, |seq| held.get(&seq).copied()) {
        Ok(plan) => plan,
        Err(refusal) => {
            if let Some(e) = refusal.evidence.and_then(|i| upload.events.get(i)) {
                tx.keep_fork(
                    sender,
                    e.header.seq,
                    now,
                    &serde_json::to_string(e).unwrap_or_default(),
                )?;
                tracing::warn!(device = %sender, seq = e.header.seq, "fork refused and kept as evidence");
            }
            return Ok(Err(refusal.error));
        }
    };
    let keys: BTreeMap<CaseId, &Vec<u8>> = upload
        .case_keys
        .iter()
        .map(|k| (k.case_id, &k.wrapped))
        .collect();
    let mut cursor = None;
    let mut directory = None;
    let mut roles_changed = false;
    let mut tombstones: Vec<(CaseId, UserId, u64)> = Vec::new();
    // Per case: the join of this batch's audiences and the cursor of its last event here; the
    // case rows are read and written once per batch, not once per event.
    let mut touched: BTreeMap<CaseId, (Audience, u64)> = BTreeMap::new();
    for event in upload.events.get(plan.append_from..).unwrap_or_default() {
        let h = &event.header;
        let sealed = serde_json::to_string(event)
            .map_err(|_| crate::storage::StorageError("sealed event does not serialise".into()))?;
        let at = tx.insert_event(sender, h.seq, h.case_id, &event.hash, &sealed)?;
        cursor = Some(at);
        let entry = touched
            .entry(h.case_id)
            .or_insert_with(|| (Audience::default(), at));
        join(&mut entry.0, &h.audience);
        entry.1 = at;
        if let (true, Some(case)) = (h.case_id == SCHOOL_LOG, h.destroys) {
            tombstones.push((case, h.author, at));
        }
        if let (true, Some(change)) = (h.case_id == SCHOOL_LOG, &h.directory) {
            let dir = match directory.as_mut() {
                Some(d) => d,
                None => directory.insert(tx.directory()?),
            };
            // The author must be one of the sending device's own users: a device cannot name
            // the coordinator as author to give anyone a role.
            let on_device = dir.users_on(sender).iter().any(|a| a.user_id == h.author);
            if on_device && dir.apply(h.author, change) {
                match change {
                    DirectoryChange::Role { user, role } => {
                        tx.set_role(*user, *role)?;
                        roles_changed = true;
                    }
                    DirectoryChange::Removed { user } => tx.remove_user(*user)?,
                    // The device may now receive cases it could not before: their whole
                    // history, as after a new role.
                    DirectoryChange::Assigned { user, device } => {
                        tx.assign(*device, *user)?;
                        roles_changed = true;
                    }
                    // From now on the device receives nothing of hers (what it has, it keeps:
                    // it takes her envelope out and re-keys when it hears of this).
                    DirectoryChange::Unassigned { user, device } => tx.unassign(*device, *user)?,
                }
            } else {
                tracing::warn!(device = %sender, seq = h.seq, "directory change by a non-administrator not applied");
            }
        }
    }
    for (case, (audience, last)) in &touched {
        let mut row = tx.case(*case)?.unwrap_or(CaseRow {
            audience: Audience::default(),
            wrapped_key: None,
            widened_at: 0,
        });
        let before = row.audience.clone();
        join(&mut row.audience, audience);
        // The batch commits as one: no device's cursor can fall between its events, so the
        // batch's last cursor marks the widening for every device.
        if row.audience != before || row.widened_at == 0 {
            row.widened_at = *last;
        }
        if row.wrapped_key.is_none() && !tx.is_destroyed(*case)? {
            row.wrapped_key = keys.get(case).map(|k| (*k).clone());
        }
        tx.put_case(*case, &row)?;
    }
    let dir = match (tombstones.is_empty(), directory.take()) {
        (true, _) => None,
        (false, Some(d)) => Some(d),
        (false, None) => Some(tx.directory()?),
    };
    let erased = crate::destruction::apply(
        tx,
        dir.as_ref(),
        sender,
        &tombstones,
        touched.keys().copied(),
    )?;
    // A new or changed role, or a user newly assigned to a device, may open cases from before
    // to a device: it receives them whole. The batch's last cursor is past every cursor a
    // device can hold now, so its next pull sends the history of every case it now may see.
    if let (true, Some(at)) = (roles_changed, cursor) {
        tx.widen_all(at)?;
    }
    // Keys for cases whose events came in an earlier upload.
    for (case, key) in keys.iter().filter(|(c, _)| !touched.contains_key(c)) {
        if let Some(mut row) = tx.case(*case)? {
            if row.wrapped_key.is_none() && !tx.is_destroyed(*case)? {
                row.wrapped_key = Some((*key).clone());
                tx.put_case(*case, &row)?;
            }
        }
    }
    if cursor.is_some() {
        tx.set_tip(sender, &plan.tip)?;
    }
    let appended = upload.events.len() - plan.append_from;
    Ok(Ok((
        Ingested {
            receipt: UploadReceipt {
                appended: appended as u64,
                duplicates: plan.duplicates as u64,
                tip: plan.tip,
            },
            cursor,
        },
        erased,
    )))
}
