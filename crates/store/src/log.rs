//! The append-only event log with a hash chain per device, and its verification.

use crate::error::{Result, StoreError};
use meldcode_engine::envelope::Envelope;
use meldcode_engine::hlc::Hlc;
use meldcode_engine::{CaseId, DeviceId};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The chain starts from 32 zero bytes.
pub const GENESIS: [u8; 32] = [0; 32];

pub fn chain_hash(prev: &[u8], body: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(body);
    h.finalize().to_vec()
}

/// Where this device's chain stands: last sequence number, clock and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceHead {
    pub last_seq: u64,
    pub clock: Hlc,
    pub hash: Vec<u8>,
}

/// A chain's newest event: sequence number, body and hash.
fn newest(conn: &Connection, device: DeviceId) -> Result<Option<(i64, String, Vec<u8>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT device_seq, body, hash FROM events WHERE device_id = ?1
             ORDER BY device_seq DESC LIMIT 1",
        )?
        .query_row(params![device.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

pub fn device_head(conn: &Connection, device: DeviceId) -> Result<DeviceHead> {
    let received = received_clock(conn)?;
    match newest(conn, device)? {
        None => Ok(DeviceHead {
            last_seq: 0,
            clock: received,
            hash: GENESIS.to_vec(),
        }),
        Some((seq, body, hash)) => Ok(DeviceHead {
            last_seq: u64::try_from(seq).unwrap_or(0),
            clock: parse(&body)?.hlc.max(received),
            hash,
        }),
    }
}

/// The newest clock among events received from other devices: a record made after them
/// must sort after them, whatever this device's wall clock says.
fn received_clock(conn: &Connection) -> Result<Hlc> {
    let text: Option<String> = conn
        .prepare_cached("SELECT value FROM sync WHERE key = 'clock'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default())
}

/// Adds an event received from another device: its position in that device's chain and the
/// chain's hashes are the sealed form's (this device may hold only part of that chain: it
/// receives only the cases its users may see).
pub fn insert_received(
    conn: &Connection,
    event: &Envelope,
    sealed: &meldcode_sync::SealedEvent,
) -> Result<()> {
    let body = String::from_utf8(event.canonical_json().map_err(|_| unrecordable())?)
        .map_err(|_| unrecordable())?;
    insert_row(conn, event, &body, &sealed.prev.0, &sealed.hash.0)?;
    if event.hlc > received_clock(conn)? {
        let clock = serde_json::to_string(&event.hlc).unwrap_or_default();
        conn.prepare_cached(
            "INSERT INTO sync (key, value) VALUES ('clock', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![clock])?;
    }
    Ok(())
}

/// This installation's own device id.
fn own_device(conn: &Connection) -> Result<Option<DeviceId>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = 'device_id'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    Ok(text.and_then(|t| t.parse().ok()))
}

/// Checks an event received from another device against its sealed form: the sealed event
/// verifies, carries the same hash and link, describes this envelope, and (when the case key
/// is here) decrypts to exactly this body.
fn received_intact(
    conn: &Connection,
    device: DeviceId,
    seq: u64,
    body: &str,
    prev_hash: &[u8],
    hash: &[u8],
) -> Result<bool> {
    let sealed: Option<String> = conn
        .prepare_cached("SELECT body FROM sealed WHERE device_id = ?1 AND device_seq = ?2")?
        .query_row(
            params![device.to_string(), i64::try_from(seq).unwrap_or(i64::MAX)],
            |r| r.get(0),
        )
        .optional()?;
    let Some(sealed) =
        sealed.and_then(|s| serde_json::from_str::<meldcode_sync::SealedEvent>(&s).ok())
    else {
        return Ok(false);
    };
    let Ok(envelope) = serde_json::from_str::<Envelope>(body) else {
        return Ok(false);
    };
    if sealed.verify().is_err()
        || sealed.hash.0.as_slice() != hash
        || sealed.prev.0.as_slice() != prev_hash
        || !sealed.header.describes(&envelope)
    {
        return Ok(false);
    }
    match crate::sync::outbox::case_key(conn, envelope.case_id)? {
        Some(key) => Ok(sealed.open(&key).is_ok_and(|opened| opened == envelope)),
        None => Ok(true),
    }
}

fn unrecordable() -> StoreError {
    StoreError::Invalid {
        message: "Gebeurtenis kon niet worden vastgelegd.".into(),
    }
}

/// One row of the log, with the chain's hashes as given.
fn insert_row(
    conn: &Connection,
    event: &Envelope,
    body: &str,
    prev_hash: &[u8],
    hash: &[u8],
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO events (id, case_id, device_id, device_seq, body, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        event.id.to_string(),
        event.case_id.to_string(),
        event.device_id.to_string(),
        i64::try_from(event.device_seq).unwrap_or(i64::MAX),
        body,
        prev_hash,
        hash,
    ])?;
    Ok(())
}

/// Appends one event to this device's chain; returns its position in the log.
pub fn append(tx: &Transaction<'_>, head: &mut DeviceHead, event: &Envelope) -> Result<i64> {
    let body = event.canonical_json().map_err(|_| unrecordable())?;
    let hash = chain_hash(&head.hash, &body);
    let body = String::from_utf8(body).map_err(|_| unrecordable())?;
    insert_row(tx, event, &body, &head.hash, &hash)?;
    head.last_seq = event.device_seq;
    head.clock = event.hlc;
    head.hash = hash;
    Ok(tx.last_insert_rowid())
}

/// The last sequence number and hash of this device's chain, without reading the event: enough
/// to tell whether a remembered `DeviceHead` is still the head (another process may append).
pub fn device_tip(conn: &Connection, device: DeviceId) -> Result<Option<(u64, Vec<u8>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT device_seq, hash FROM events WHERE device_id = ?1
             ORDER BY device_seq DESC LIMIT 1",
        )?
        .query_row(params![device.to_string()], |r| {
            Ok((u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0), r.get(1)?))
        })
        .optional()?)
}

/// The position of a case's newest event, to tell whether a remembered state is current.
pub fn case_tip(conn: &Connection, case: CaseId) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT max(seq) FROM events WHERE case_id = ?1")?
        .query_row(params![case.to_string()], |r| r.get(0))?)
}

/// A chain's newest event: where it stands and when it was recorded.
pub struct TipEvent {
    pub seq: u64,
    pub hash: Vec<u8>,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

pub fn tip_event(conn: &Connection, device: DeviceId) -> Result<Option<TipEvent>> {
    newest(conn, device)?
        .map(|(seq, body, hash)| {
            Ok(TipEvent {
                seq: u64::try_from(seq).unwrap_or(0),
                hash,
                recorded_at: parse(&body)?.recorded_at,
            })
        })
        .transpose()
}

/// Whether the event at `seq` of a chain is there, hashes to its own hash, links to the event
/// before it, and (when given) has the hash remembered for it.
pub fn link_intact(
    conn: &Connection,
    device: DeviceId,
    seq: u64,
    expected: Option<&[u8]>,
) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT body, prev_hash, hash FROM events WHERE device_id = ?1 AND device_seq = ?2",
    )?;
    let mut at = |s: u64| -> Result<Option<EventRow>> { Ok(stmt_row(&mut stmt, device, s)?) };
    let Some((body, prev_hash, hash)) = at(seq)? else {
        return Ok(false);
    };
    if own_device(conn)?.is_some_and(|own| own != device) {
        // Another device's chain, held in part: the link holds where the event before is here.
        let linked = match seq {
            0 | 1 => prev_hash == GENESIS,
            _ => at(seq - 1)?.is_none_or(|(_, _, h)| h == prev_hash),
        };
        return Ok(linked
            && received_intact(conn, device, seq, &body, &prev_hash, &hash)?
            && expected.is_none_or(|e| e == hash.as_slice()));
    }
    let before = match seq {
        0 | 1 => GENESIS.to_vec(),
        _ => match at(seq - 1)? {
            Some((_, _, h)) => h,
            None => return Ok(false),
        },
    };
    Ok(prev_hash == before
        && chain_hash(&prev_hash, body.as_bytes()) == hash
        && expected.is_none_or(|e| e == hash.as_slice()))
}

/// Body, previous hash and own hash of one event.
type EventRow = (String, Vec<u8>, Vec<u8>);

fn stmt_row(
    stmt: &mut rusqlite::CachedStatement<'_>,
    device: DeviceId,
    seq: u64,
) -> rusqlite::Result<Option<EventRow>> {
    stmt.query_row(
        params![device.to_string(), i64::try_from(seq).unwrap_or(i64::MAX)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}

/// Every device with a chain in the log and the length of its chain. One index probe per
/// device (a loose index scan), not a pass over the log.
pub fn chains(conn: &Connection) -> Result<Vec<(DeviceId, u64)>> {
    let mut next = conn.prepare_cached(
        "SELECT device_id FROM events WHERE device_id > ?1 ORDER BY device_id LIMIT 1",
    )?;
    let mut out = Vec::new();
    let mut after = String::new();
    while let Some(device) = next
        .query_row(params![after], |r| r.get::<_, String>(0))
        .optional()?
    {
        let id: DeviceId = device.parse().map_err(|_| StoreError::Damaged {
            detail: "apparaat-id in het logboek".into(),
        })?;
        let len = device_tip(conn, id)?.map_or(0, |(seq, _)| seq);
        out.push((id, len));
        after = device;
    }
    Ok(out)
}

pub(crate) fn parse(body: &str) -> Result<Envelope> {
    serde_json::from_str(body).map_err(|_| StoreError::Damaged {
        detail: "een gebeurtenis kan niet worden gelezen".into(),
    })
}

/// A case's events from the chains of `known` devices; a chain of any other device was not
/// made by this installation (or one it enrolled) and is left out.
pub fn case_events(conn: &Connection, case: CaseId, known: &[DeviceId]) -> Result<Vec<Envelope>> {
    let known: Vec<String> = known.iter().map(ToString::to_string).collect();
    let mut stmt =
        conn.prepare_cached("SELECT device_id, body FROM events WHERE case_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map(params![case.to_string()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (device, body) = row?;
        if known.contains(&device) {
            out.push(parse(&body)?);
        }
    }
    // Events from several devices fold in one order on every device.
    meldcode_sync::order::sort_for_fold(&mut out);
    Ok(out)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub devices: usize,
    pub events: usize,
    pub cases: usize,
    /// Records of destroyed cases (retention): gone, their places in the chains verified.
    pub destroyed: usize,
}

/// Walks every device chain and checks every hash, sequence number and body. Any mismatch is
/// `Damaged`: the file was damaged or changed outside the app.
pub fn verify(conn: &Connection, known: &[DeviceId]) -> Result<VerifyReport> {
    let damaged = |detail: String| StoreError::Damaged { detail };
    // Every page's HMAC, including pages the chains below never read.
    let mut check = conn.prepare("PRAGMA cipher_integrity_check")?;
    let problems = check.query_map([], |r| r.get::<_, String>(0))?.count();
    if problems > 0 {
        return Err(damaged(format!("{problems} beschadigde pagina('s)")));
    }
    let quick: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if quick != "ok" {
        return Err(damaged("databasestructuur".into()));
    }
    let own = own_device(conn)?.map(|d| d.to_string());
    // A destroyed case's records keep their place in the chain (hashes, no body).
    let mut stmt = conn.prepare(
        "SELECT id, case_id, device_id, device_seq, body, prev_hash, hash FROM events
         UNION ALL
         SELECT NULL, case_id, device_id, device_seq, NULL, prev_hash, hash
         FROM destroyed_events
         ORDER BY device_id, device_seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut report = VerifyReport::default();
    let mut current: Option<String> = None;
    let mut expected_seq = 0i64;
    let mut prev: Vec<u8> = GENESIS.to_vec();
    let mut cases = std::collections::BTreeSet::new();
    while let Some(row) = rows.next()? {
        // Id and body are absent for a destroyed case's record.
        let (id, body): (Option<String>, Option<String>) = (row.get(0)?, row.get(4)?);
        let (case_id, device, seq): (String, String, i64) = (row.get(1)?, row.get(2)?, row.get(3)?);
        let (prev_hash, hash): (Vec<u8>, Vec<u8>) = (row.get(5)?, row.get(6)?);
        let foreign = own.as_deref().is_some_and(|o| o != device);
        if current.as_deref() != Some(device.as_str()) {
            if !known.iter().any(|k| k.to_string() == device) {
                return Err(damaged(format!(
                    "een keten van een onbekend apparaat ({})",
                    short(&device)
                )));
            }
            current = Some(device.clone());
            report.devices += 1;
            expected_seq = 1;
            prev = GENESIS.to_vec();
        }
        let at = format!("apparaat {}, volgnummer {seq}", short(&device));
        let (Some(id), Some(body)) = (id, body) else {
            // Destroyed: its body is gone, so its hash is taken as kept; the link to the one
            // before still holds, and the next record links to it.
            let linked = match (foreign, seq == expected_seq) {
                (_, true) => prev_hash == prev,
                // Another device's chain is held in part.
                (true, false) => seq > expected_seq,
                (false, false) => false,
            };
            if !linked {
                return Err(damaged(format!("hash klopt niet bij {at}")));
            }
            prev = hash;
            expected_seq = seq + 1;
            report.destroyed += 1;
            continue;
        };
        let e = parse(&body)?;
        if e.id.to_string() != id
            || e.case_id.to_string() != case_id
            || e.device_id.to_string() != device
            || i64::try_from(e.device_seq).ok() != Some(seq)
        {
            return Err(damaged(format!(
                "kolommen wijken af van de inhoud bij {at}"
            )));
        }
        if foreign {
            // Another device's chain, held in part (only the cases this device's users may
            // see): linked where the event before is here, and true to its sealed form.
            let linked = if seq == expected_seq {
                prev_hash == prev
            } else {
                seq > expected_seq
            };
            if !linked
                || !received_intact(conn, e.device_id, e.device_seq, &body, &prev_hash, &hash)?
            {
                return Err(damaged(format!("hash klopt niet bij {at}")));
            }
        } else {
            if seq != expected_seq {
                return Err(damaged(format!("ontbrekende gebeurtenis vóór {at}")));
            }
            if prev_hash != prev || chain_hash(&prev, body.as_bytes()) != hash {
                return Err(damaged(format!("hash klopt niet bij {at}")));
            }
        }
        cases.insert(case_id);
        prev = hash;
        expected_seq = seq + 1;
        report.events += 1;
    }
    report.cases = cases.len();
    Ok(report)
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
