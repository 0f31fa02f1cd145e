//! The dossier's two moves in a round, each a short local transaction and never over the
//! network: hand own events over to the spool (sealed), and take received pages from it. Free
//! functions over the database, so that a device joining the school (which has no session yet)
//! takes its first pages the same way as an unlocked store.

use super::config::Membership;
use super::inbox::{self, Applied};
use super::outbox;
use super::spool::Spool;
use crate::error::Result;
use meldcode_engine::policy::CasePolicy;
use meldcode_engine::{CaseId, DeviceId};
use meldcode_sync::ingest::MAX_BATCH;
use rusqlite::{Connection, TransactionBehavior};
use std::collections::BTreeSet;

/// Seals every own event not sealed yet and queues what the spool lacks. Returns how many
/// were queued.
pub(crate) fn hand_over(
    conn: &mut Connection,
    own: DeviceId,
    membership: &Membership,
    spool: &mut Spool,
) -> Result<u64> {
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        outbox::seal_pending(&tx, own)?;
        tx.commit()?;
    }
    let mut queued = 0;
    loop {
        let (tip, _) = spool.queued_tip()?;
        let events = outbox::unsent(conn, own, tip, MAX_BATCH)?;
        if events.is_empty() {
            return Ok(queued);
        }
        let cases: Vec<CaseId> = events
            .iter()
            .map(|e| e.header.case_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let keys = outbox::wrapped_keys(conn, &membership.school_key, &cases)?;
        spool.queue(&events, &keys)?;
        queued += events.len() as u64;
    }
}

/// Own events not handed over yet (the status line counts them as waiting).
pub(crate) fn not_handed_over(conn: &Connection, own: DeviceId, spool: &Spool) -> Result<u64> {
    let (tip, _) = spool.queued_tip()?;
    outbox::waiting(conn, own, tip)
}

/// Takes every received page into the dossier, each in one transaction; a page goes from the
/// spool after its transaction committed, and taking one twice changes nothing (received
/// events are matched by their hash), so a crash in between loses and doubles nothing.
pub(crate) fn take(
    conn: &mut Connection,
    own: DeviceId,
    membership: &Membership,
    spool: &Spool,
    known: &mut Vec<DeviceId>,
    policy: CasePolicy,
) -> Result<Applied> {
    let mut total = Applied::default();
    for (id, page) in spool.pages()? {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let applied = inbox::apply(&tx, own, &membership.school_key, &page)?;
        for device in applied.heads.keys() {
            if !known.contains(device) {
                known.push(*device);
            }
        }
        inbox::refresh_cases(&tx, &applied.cases, known, policy)?;
        tx.commit()?;
        spool.taken(id)?;
        total.events += applied.events;
        total.cases.extend(applied.cases);
        total.removed.extend(applied.removed);
        total.roles.extend(applied.roles);
        total.unassigned.extend(applied.unassigned);
        for (device, head) in applied.heads {
            let entry = total.heads.entry(device).or_insert(head);
            if head.0 > entry.0 {
                *entry = head;
            }
        }
    }
    // Tombstones from other devices, those that came now and those that waited for their day.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let swept = crate::destroy::sweep(&tx, known, policy, chrono::Utc::now().date_naive())?;
    tx.commit()?;
    if !swept.is_empty() {
        crate::destroy::compact(conn)?;
        for case in &swept {
            spool.forget_case(*case)?;
        }
    }
    total.destroyed.extend(swept);
    Ok(total)
}
