//! Taking a destroyed case out of the store (R15 retention, AVG): its records leave the events
//! table and its key goes (crypto-shredding: the sealed copies the sync keeps, which the device
//! chains at the server are built on, stay as ciphertext that nothing here opens any more); each
//! record's place in its device's chain stays behind (`destroyed_events`: hashes, no content),
//! so that every chain still verifies. Used for a destruction made here and for one heard of
//! from another device.

use crate::error::Result;
use chrono::NaiveDate;
use meldcode_engine::access::Audience;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::policy::CasePolicy;
use meldcode_engine::rules::r15_retention;
use meldcode_engine::school_log::SCHOOL_LOG;
use meldcode_engine::{CaseId, CaseState, DeviceId, EventPayload, UserId};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeSet;

/// Erases `case` in the caller's transaction; returns how many records went. Idempotent.
pub(crate) fn erase(conn: &Connection, case: CaseId) -> Result<usize> {
    let id = case.to_string();
    conn.execute(
        "INSERT OR IGNORE INTO destroyed_cases (case_id, destroyed_at) VALUES (?1, ?2)",
        params![id, chrono::Utc::now().to_rfc3339()],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO destroyed_events (device_id, device_seq, case_id, prev_hash, hash)
         SELECT device_id, device_seq, case_id, prev_hash, hash FROM events WHERE case_id = ?1",
        params![id],
    )?;
    let gone = conn.execute("DELETE FROM events WHERE case_id = ?1", params![id])?;
    conn.execute("DELETE FROM case_keys WHERE case_id = ?1", params![id])?;
    conn.execute("DELETE FROM cases WHERE case_id = ?1", params![id])?;
    Ok(gone)
}

/// Applies the school log's tombstones made on other devices: a case not destroyed here yet is
/// erased when the tombstone's author may destroy it and its retention period is over by this
/// device's own clock and its own copy of the case (where it has none, the tombstone's last day
/// to keep it counts). A tombstone made on a device whose clock ran ahead waits in the log until
/// the day has come here too. Returns the cases erased.
pub(crate) fn sweep(
    conn: &Connection,
    known: &[DeviceId],
    policy: CasePolicy,
    today: NaiveDate,
) -> Result<BTreeSet<CaseId>> {
    let mut erased = BTreeSet::new();
    for e in pending_tombstones(conn, known)? {
        let EventPayload::CaseDestroyed(t) = &e.payload else {
            continue;
        };
        if erased.contains(&t.case) || !tombstone_authorised(conn, e.author, t.case)? {
            continue;
        }
        let held = crate::log::case_events(conn, t.case, known)?;
        let last_day = if held.is_empty() {
            Some(t.retain_until)
        } else {
            r15_retention::retain_until(&CaseState::replay(&held), policy)
        };
        if last_day.is_some_and(|last| last < today) {
            erase(conn, t.case)?;
            erased.insert(t.case);
        }
    }
    Ok(erased)
}

/// The school log's tombstones of cases not destroyed here, from `known` devices' chains. Run
/// after every sync round: SQLite picks them out, so the rest of the log is not parsed.
fn pending_tombstones(conn: &Connection, known: &[DeviceId]) -> Result<Vec<Envelope>> {
    let mut stmt = conn.prepare_cached(
        "SELECT device_id, body FROM events
         WHERE case_id = ?1
           AND json_extract(body, '$.payload.type') = 'case_destroyed'
           AND json_extract(body, '$.payload.case') NOT IN (SELECT case_id FROM destroyed_cases)
         ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![SCHOOL_LOG.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (device, body) = row?;
        if known.iter().any(|k| k.to_string() == device) {
            out.push(crate::log::parse(&body)?);
        }
    }
    Ok(out)
}

/// Whether a tombstone from another device was made by someone who may destroy the case (its
/// lead role, as the case's audience here and the author's role here say).
fn tombstone_authorised(conn: &Connection, author: UserId, case: CaseId) -> Result<bool> {
    let Some(author) = crate::store::user_rows::load_any_user(conn, author)? else {
        return Ok(false);
    };
    let audience: Option<String> = conn
        .prepare_cached("SELECT audience FROM cases WHERE case_id = ?1")?
        .query_row(params![case.to_string()], |r| r.get(0))
        .optional()?;
    let staff_case = audience
        .and_then(|a| serde_json::from_str::<Audience>(&a).ok())
        .map(|a| a.staff_case);
    Ok(r15_retention::tombstone_authorised(author.role, staff_case))
}

pub(crate) fn is_destroyed(conn: &Connection, case: CaseId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM destroyed_cases WHERE case_id = ?1")?
        .query_row(params![case.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A record of a destroyed case that arrives late (made on a device that had not heard of the
/// destruction yet) is not taken in; its place in that device's chain is kept like the others'.
pub(crate) fn keep_place(conn: &Connection, sealed: &meldcode_sync::SealedEvent) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO destroyed_events (device_id, device_seq, case_id, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            sealed.header.device_id.to_string(),
            i64::try_from(sealed.header.seq).unwrap_or(i64::MAX),
            sealed.header.case_id.to_string(),
            sealed.prev.0.as_slice(),
            sealed.hash.0.as_slice(),
        ],
    )?;
    Ok(())
}

/// After the transaction: the file is rebuilt without free pages and the WAL emptied, so that no
/// old page holding the case's text is left in the database file or beside it.
pub(crate) fn compact(conn: &Connection) -> Result<()> {
    conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(())
}
