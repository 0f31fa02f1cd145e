//! Events from the school's other devices: checked (hash, link to what this device holds of
//! that chain, header against the decrypted envelope), then added to the log beside this
//! device's own, with the case list and the users brought up to date.

use super::outbox::{case_key, insert_sealed, keep_case_key};
use crate::error::{Result, StoreError};
use crate::projection;
use crate::store::user_rows;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::policy::CasePolicy;
use meldcode_engine::school_log::SCHOOL_LOG;
use meldcode_engine::{CaseId, CaseState, DeviceId, EventPayload};
use meldcode_sync::api::PullPage;
use meldcode_sync::keys::SchoolKey;
use meldcode_sync::{Hash, SealedEvent};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, BTreeSet};

fn refused(what: String) -> StoreError {
    StoreError::Damaged {
        detail: format!("de schoolserver stuurde {what}"),
    }
}

/// What a page changed: the cases to fold again, and each other device's newest event here.
#[derive(Default)]
pub(crate) struct Applied {
    pub events: u64,
    pub cases: BTreeSet<CaseId>,
    pub heads: BTreeMap<DeviceId, (u64, Hash, chrono::DateTime<chrono::Utc>)>,
    /// Users removed, and roles changed, in the school log: the vault follows.
    pub removed: BTreeSet<meldcode_engine::UserId>,
    pub roles: BTreeMap<meldcode_engine::UserId, meldcode_engine::Role>,
    /// Users taken off this device: their envelopes here go too.
    pub unassigned: BTreeSet<meldcode_engine::UserId>,
    /// Cases destroyed on another device (R15 retention) and erased here too (`destroy::sweep`).
    pub destroyed: BTreeSet<CaseId>,
}

fn sealed_hash(conn: &Connection, device: DeviceId, seq: u64) -> Result<Option<Hash>> {
    let h: Option<Vec<u8>> = conn
        .prepare_cached("SELECT hash FROM sealed WHERE device_id = ?1 AND device_seq = ?2")?
        .query_row(
            params![device.to_string(), i64::try_from(seq).unwrap_or(i64::MAX)],
            |r| r.get(0),
        )
        .optional()?;
    Ok(h.and_then(|h| Hash::from_slice(&h)))
}

pub(crate) fn apply(
    conn: &Connection,
    own: DeviceId,
    school: &SchoolKey,
    page: &PullPage,
) -> Result<Applied> {
    for wrapped in &page.case_keys {
        if crate::destroy::is_destroyed(conn, wrapped.case_id)? {
            continue;
        }
        let key = school.unwrap_case_key(wrapped).map_err(|_| {
            refused("een dossiersleutel die niet met de schoolsleutel opent".into())
        })?;
        keep_case_key(conn, wrapped.case_id, &key)?;
    }
    let mut events: Vec<&SealedEvent> = page
        .events
        .iter()
        .filter(|e| e.header.device_id != own)
        .collect();
    events.sort_by_key(|e| (e.header.device_id, e.header.seq));
    let mut applied = Applied::default();
    for sealed in events {
        let (device, seq) = (sealed.header.device_id, sealed.header.seq);
        match sealed_hash(conn, device, seq)? {
            Some(h) if h == sealed.hash => continue,
            Some(_) => {
                return Err(refused(format!(
                    "een andere versie van gebeurtenis {seq} van een apparaat"
                )))
            }
            None => {}
        }
        sealed.verify().map_err(|e| refused(e.message))?;
        // A late record of a case destroyed since: not taken in, only its place in the chain.
        if crate::destroy::is_destroyed(conn, sealed.header.case_id)? {
            crate::destroy::keep_place(conn, sealed)?;
            continue;
        }
        // The server took the payload out after a tombstone this device has not read yet (it
        // comes later in the log): like an event of a case it may not see, a gap in that chain.
        if sealed.payload.is_none() {
            continue;
        }
        // A device receives only the cases its users may see, so another device's chain arrives
        // with gaps; where the event before is here, the link must hold.
        if let Some(before) = seq.checked_sub(1).filter(|s| *s > 0) {
            if let Some(h) = sealed_hash(conn, device, before)? {
                if h != sealed.prev {
                    return Err(refused(format!(
                        "gebeurtenis {seq} die niet aansluit op de vorige"
                    )));
                }
            }
        }
        let key = case_key(conn, sealed.header.case_id)?
            .ok_or_else(|| refused("een gebeurtenis zonder dossiersleutel".into()))?;
        let envelope = sealed.open(&key).map_err(|e| refused(e.message))?;
        insert_sealed(conn, sealed)?;
        crate::log::insert_received(conn, &envelope, sealed)?;
        if envelope.case_id == SCHOOL_LOG {
            apply_admin(conn, &envelope)?;
            match &envelope.payload {
                EventPayload::UserRemoved { user } => {
                    applied.removed.insert(*user);
                }
                EventPayload::RoleChanged { user, role, .. } => {
                    applied.roles.insert(*user, *role);
                }
                EventPayload::UserUnassigned { user, device, .. } if *device == own => {
                    applied.unassigned.insert(*user);
                }
                _ => {}
            }
        }
        applied.events += 1;
        applied.cases.insert(envelope.case_id);
        let head = applied
            .heads
            .entry(device)
            .or_insert((0, Hash::GENESIS, envelope.recorded_at));
        if seq > head.0 {
            *head = (seq, sealed.hash, envelope.recorded_at);
        }
    }
    Ok(applied)
}

/// The users table follows the school log, from whichever device an administration came.
fn apply_admin(conn: &Connection, e: &Envelope) -> Result<()> {
    match &e.payload {
        EventPayload::UserAdded { user, .. } if user_rows::query_user(conn, user.id)?.is_none() => {
            user_rows::insert_user(conn, user)?;
        }
        EventPayload::RoleChanged { user, role, .. } => {
            conn.execute(
                "UPDATE users SET role = ?2 WHERE id = ?1",
                params![user.to_string(), user_rows::role_text(*role)],
            )?;
        }
        EventPayload::UserRemoved { user } => {
            conn.execute(
                "UPDATE users SET active = 0 WHERE id = ?1",
                params![user.to_string()],
            )?;
        }
        _ => {}
    }
    Ok(())
}

/// Folds the changed cases again, in the one order every device uses, and rewrites their rows
/// in the case list.
pub(crate) fn refresh_cases(
    conn: &Connection,
    cases: &BTreeSet<CaseId>,
    known: &[DeviceId],
    policy: CasePolicy,
) -> Result<()> {
    let now = chrono::Utc::now();
    for case in cases.iter().filter(|c| **c != SCHOOL_LOG) {
        let state = CaseState::replay(&crate::log::case_events(conn, *case, known)?);
        if state.case_id.is_some() {
            projection::upsert(conn, &state, policy, now)?;
        }
    }
    Ok(())
}
