//! This device's events on their way out: each sealed once, in chain order, under its case's
//! key, with the header the server may read.

use crate::crypto;
use crate::error::{Result, StoreError};
use meldcode_engine::access::Audience;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::school_log::SCHOOL_LOG;
use meldcode_engine::{CaseId, DeviceId, EventPayload};
use meldcode_sync::keys::{CaseKey, SchoolKey, WrappedCaseKey, KEY_LEN};
use meldcode_sync::receive::DirectoryChange;
use meldcode_sync::{EventHeader, Hash, SealedEvent};
use rusqlite::{params, Connection, OptionalExtension};
use zeroize::Zeroizing;

fn damaged(what: &str) -> StoreError {
    StoreError::Damaged {
        detail: what.into(),
    }
}

pub(crate) fn case_key(conn: &Connection, case: CaseId) -> Result<Option<CaseKey>> {
    let raw: Option<Vec<u8>> = conn
        .prepare_cached("SELECT key FROM case_keys WHERE case_id = ?1")?
        .query_row(params![case.to_string()], |r| r.get(0))
        .optional()?;
    raw.map(|k| {
        let k = Zeroizing::new(k);
        let key: [u8; KEY_LEN] = k
            .as_slice()
            .try_into()
            .map_err(|_| damaged("een dossiersleutel"))?;
        Ok(CaseKey(Zeroizing::new(key)))
    })
    .transpose()
}

/// Keeps a case key (the first one known for a case wins: it is the one its events use).
pub(crate) fn keep_case_key(conn: &Connection, case: CaseId, key: &CaseKey) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO case_keys (case_id, key) VALUES (?1, ?2)")?
        .execute(params![case.to_string(), key.0.as_slice()])?;
    Ok(())
}

fn case_key_or_new(conn: &Connection, case: CaseId) -> Result<CaseKey> {
    if let Some(k) = case_key(conn, case)? {
        return Ok(k);
    }
    let key = CaseKey(crypto::random_key()?);
    keep_case_key(conn, case, &key)?;
    Ok(key)
}

fn audience_of(conn: &Connection, case: CaseId) -> Result<Audience> {
    let text: Option<String> = conn
        .prepare_cached("SELECT audience FROM cases WHERE case_id = ?1")?
        .query_row(params![case.to_string()], |r| r.get(0))
        .optional()?;
    text.map_or(Ok(Audience::default()), |t| {
        serde_json::from_str(&t).map_err(|_| damaged("de lijst met dossiers"))
    })
}

/// What the server must know of an administration to decide who receives what.
pub(crate) fn directory_change(payload: &EventPayload) -> Option<DirectoryChange> {
    match payload {
        EventPayload::UserAdded { user, .. } => Some(DirectoryChange::Role {
            user: user.id,
            role: user.role,
        }),
        EventPayload::RoleChanged { user, role, .. } => Some(DirectoryChange::Role {
            user: *user,
            role: *role,
        }),
        EventPayload::UserRemoved { user } => Some(DirectoryChange::Removed { user: *user }),
        EventPayload::UserAssigned { user, device, .. } => Some(DirectoryChange::Assigned {
            user: *user,
            device: *device,
        }),
        EventPayload::UserUnassigned { user, device, .. } => Some(DirectoryChange::Unassigned {
            user: *user,
            device: *device,
        }),
        _ => None,
    }
}

/// The newest sealed event of a chain: (seq, hash).
pub(crate) fn sealed_tip(conn: &Connection, device: DeviceId) -> Result<(u64, Hash)> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT device_seq, hash FROM sealed WHERE device_id = ?1 ORDER BY device_seq DESC LIMIT 1")?
        .query_row(params![device.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => Ok((0, Hash::GENESIS)),
        Some((seq, hash)) => Ok((
            u64::try_from(seq).unwrap_or(0),
            Hash::from_slice(&hash).ok_or_else(|| damaged("een verzegelde gebeurtenis"))?,
        )),
    }
}

/// Seals every own event not sealed yet. Returns how many.
pub(crate) fn seal_pending(conn: &Connection, own: DeviceId) -> Result<u64> {
    let (mut seq, mut prev) = sealed_tip(conn, own)?;
    let bodies: Vec<String> = {
        let mut stmt = conn.prepare_cached(
            "SELECT body FROM events WHERE device_id = ?1 AND device_seq > ?2 ORDER BY device_seq",
        )?;
        let rows = stmt.query_map(
            params![own.to_string(), i64::try_from(seq).unwrap_or(i64::MAX)],
            |r| r.get(0),
        )?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut count = 0;
    for body in bodies {
        let envelope: Envelope =
            serde_json::from_str(&body).map_err(|_| damaged("een gebeurtenis"))?;
        if envelope.device_seq != seq + 1 {
            return Err(damaged("de volgorde van de eigen gebeurtenissen"));
        }
        let key = case_key_or_new(conn, envelope.case_id)?;
        let audience = if envelope.case_id == SCHOOL_LOG {
            Audience::default()
        } else {
            audience_of(conn, envelope.case_id)?
        };
        let header = EventHeader::of(&envelope, audience, directory_change(&envelope.payload));
        let sealed =
            SealedEvent::seal(header, &envelope, prev, &key, crypto::random_bytes::<24>()?)
                .map_err(StoreError::Server)?;
        insert_sealed(conn, &sealed)?;
        seq = envelope.device_seq;
        prev = sealed.hash;
        count += 1;
    }
    Ok(count)
}

pub(crate) fn insert_sealed(conn: &Connection, sealed: &SealedEvent) -> Result<()> {
    let body = serde_json::to_string(sealed).map_err(|_| damaged("een verzegelde gebeurtenis"))?;
    conn.prepare_cached(
        "INSERT INTO sealed (device_id, device_seq, hash, body) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        sealed.header.device_id.to_string(),
        i64::try_from(sealed.header.seq).unwrap_or(i64::MAX),
        sealed.hash.0.as_slice(),
        body
    ])?;
    Ok(())
}

/// Own sealed events after `after`, at most `limit`.
pub(crate) fn unsent(
    conn: &Connection,
    own: DeviceId,
    after: u64,
    limit: usize,
) -> Result<Vec<SealedEvent>> {
    let mut stmt = conn.prepare_cached("SELECT body FROM sealed WHERE device_id = ?1 AND device_seq > ?2 ORDER BY device_seq LIMIT ?3")?;
    let rows = stmt.query_map(
        params![
            own.to_string(),
            i64::try_from(after).unwrap_or(i64::MAX),
            i64::try_from(limit).unwrap_or(i64::MAX)
        ],
        |r| r.get::<_, String>(0),
    )?;
    rows.map(|r| serde_json::from_str(&r?).map_err(|_| damaged("een verzegelde gebeurtenis")))
        .collect()
}

/// The keys of `cases`, wrapped by the school key, for the server to pass on.
pub(crate) fn wrapped_keys(
    conn: &Connection,
    school: &SchoolKey,
    cases: &[CaseId],
) -> Result<Vec<WrappedCaseKey>> {
    let mut out = Vec::new();
    for case in cases {
        if let Some(key) = case_key(conn, *case)? {
            out.push(
                school
                    .wrap(*case, &key, crypto::random_bytes::<24>()?)
                    .map_err(StoreError::Server)?,
            );
        }
    }
    Ok(out)
}

/// How many own events the server has not confirmed.
pub(crate) fn waiting(conn: &Connection, own: DeviceId, confirmed: u64) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM events WHERE device_id = ?1 AND device_seq > ?2")?
        .query_row(
            params![
                own.to_string(),
                i64::try_from(confirmed).unwrap_or(i64::MAX)
            ],
            |r| r.get(0),
        )?;
    Ok(u64::try_from(n).unwrap_or(0))
}
