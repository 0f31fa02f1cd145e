//! One round: seal, say hello (the server's rollback check), upload what the server lacks,
//! pull what is new. Free functions over the database, so that a device joining the school
//! (which has no session yet) pulls the same way as an unlocked store.

use super::config::{self, Enrollment};
use super::inbox::{self, Applied};
use super::outbox;
use super::transport::Transport;
use crate::error::{Result, StoreError};
use meldcode_engine::policy::CasePolicy;
use meldcode_engine::{CaseId, DeviceId};
use meldcode_sync::api::{Hello, Upload, Welcome};
use meldcode_sync::ingest::{ChainTip, MAX_BATCH};
use rusqlite::{Connection, TransactionBehavior};
use std::collections::BTreeSet;

const PAGE: u64 = 500;

pub(crate) fn hello(conn: &Connection, own: DeviceId, transport: &Transport) -> Result<Welcome> {
    let (seq, hash) = outbox::sealed_tip(conn, own)?;
    let welcome = transport.hello(&Hello {
        tip: ChainTip { seq, hash },
    })?;
    config::set(
        conn,
        "heads",
        &serde_json::to_string(&welcome.heads).unwrap_or_default(),
    )?;
    Ok(welcome)
}

/// Seals and sends every own event the server lacks. Returns how many were sent.
pub(crate) fn push(
    conn: &mut Connection,
    own: DeviceId,
    enrollment: &Enrollment,
    transport: &Transport,
) -> Result<u64> {
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        outbox::seal_pending(&tx, own)?;
        tx.commit()?;
    }
    let welcome = hello(conn, own, transport)?;
    let mut confirmed = welcome.tip.seq;
    let mut sent = 0;
    loop {
        let events = outbox::unsent(conn, own, confirmed, MAX_BATCH)?;
        if events.is_empty() {
            break;
        }
        let cases: Vec<CaseId> = events
            .iter()
            .map(|e| e.header.case_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let case_keys = outbox::wrapped_keys(conn, &enrollment.school_key, &cases)?;
        let receipt = transport.upload(&Upload { events, case_keys })?;
        sent += receipt.appended;
        if receipt.tip.seq <= confirmed {
            break;
        }
        confirmed = receipt.tip.seq;
    }
    config::set(conn, "confirmed", &confirmed.to_string())?;
    Ok(sent)
}

/// Pulls every page after the cursor; each page is applied in one transaction with the cursor,
/// so a round cut off halfway resumes where it stopped.
pub(crate) fn pull(
    conn: &mut Connection,
    own: DeviceId,
    enrollment: &Enrollment,
    transport: &Transport,
    known: &mut Vec<DeviceId>,
    policy: CasePolicy,
) -> Result<Applied> {
    let mut total = Applied::default();
    loop {
        let cursor = config::get_u64(conn, "cursor")?;
        let page = transport.pull(cursor, PAGE)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let applied = inbox::apply(&tx, own, &enrollment.school_key, &page)?;
        for device in applied.heads.keys() {
            if !known.contains(device) {
                known.push(*device);
            }
        }
        inbox::refresh_cases(&tx, &applied.cases, known, policy)?;
        if page.cursor < cursor {
            return Err(StoreError::Server(meldcode_sync::SyncError::new(
                meldcode_sync::ErrorCode::Malformed,
                "the server's cursor went back",
            )));
        }
        config::set(&tx, "cursor", &page.cursor.to_string())?;
        tx.commit()?;
        total.events += applied.events;
        total.cases.extend(applied.cases);
        total.removed.extend(applied.removed);
        total.roles.extend(applied.roles);
        for (device, head) in applied.heads {
            let entry = total.heads.entry(device).or_insert(head);
            if head.0 > entry.0 {
                *entry = head;
            }
        }
        if !page.more {
            return Ok(total);
        }
    }
}
