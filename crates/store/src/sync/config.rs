//! What the dossier keeps of its enrollment, in the encrypted database's `sync` table: the school
//! key and the device's kind. The connection and the round's bookkeeping are the spool's.

use super::spool::Link;
use super::transport::ClientIdentity;
use crate::error::{Result, StoreError};
use meldcode_sync::keys::{SchoolKey, KEY_LEN};
use meldcode_sync::Hash;
use rusqlite::{params, Connection, OptionalExtension};
use zeroize::Zeroizing;

pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync WHERE key = ?1")?
        .query_row(params![key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}

pub(crate) fn get_u64(conn: &Connection, key: &str) -> Result<u64> {
    Ok(get(conn, key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn damaged() -> StoreError {
    StoreError::Damaged {
        detail: "de koppeling met de schoolserver".into(),
    }
}

/// What the dossier keeps of its school: the school key (which opens the case keys) and whether
/// this is a coordinator's device. Behind the PIN, unlike the spool.
pub(crate) struct Membership {
    pub school_key: SchoolKey,
    pub coordinator: bool,
}

impl Membership {
    pub fn load(conn: &Connection) -> Result<Option<Self>> {
        let Some(key_hex) = get(conn, "school_key")?.map(Zeroizing::new) else {
            return Ok(None);
        };
        let raw = Zeroizing::new(
            data_encoding::HEXLOWER
                .decode(key_hex.as_bytes())
                .map_err(|_| damaged())?,
        );
        let key: [u8; KEY_LEN] = raw.as_slice().try_into().map_err(|_| damaged())?;
        Ok(Some(Self {
            school_key: SchoolKey(Zeroizing::new(key)),
            coordinator: get(conn, "coordinator")?.as_deref() == Some("1"),
        }))
    }

    pub fn save(&self, conn: &Connection) -> Result<()> {
        set(
            conn,
            "school_key",
            &Zeroizing::new(data_encoding::HEXLOWER.encode(self.school_key.0.as_slice())),
        )?;
        set(
            conn,
            "coordinator",
            if self.coordinator { "1" } else { "0" },
        )
    }
}

/// A device enrolled before the spool existed kept its connection in the dossier: it moves to
/// the spool once, with how far it had sent and received.
pub(crate) fn legacy_link(conn: &Connection) -> Result<Option<(Link, u64, u64)>> {
    let Some(server) = get(conn, "server")? else {
        return Ok(None);
    };
    let text = |k: &str| get(conn, k)?.ok_or_else(damaged);
    let link = Link {
        server,
        fingerprint: Hash::parse_hex(&text("fingerprint")?).ok_or_else(damaged)?,
        identity: ClientIdentity {
            certificate_pem: text("certificate")?,
            key_pem: Zeroizing::new(text("client_key")?),
        },
    };
    Ok(Some((
        link,
        get_u64(conn, "cursor")?,
        get_u64(conn, "confirmed")?,
    )))
}

pub(crate) fn forget_legacy_link(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM sync WHERE key IN ('server', 'fingerprint', 'certificate', 'client_key', 'cursor', 'confirmed', 'heads', 'last_sync')",
        [],
    )?;
    Ok(())
}
