//! What this device keeps of its enrollment, in the encrypted database's `sync` table: the
//! server, its pinned certificate, the device's client certificate and key, the school key, the
//! cursor and the last contact.

use super::transport::{ClientIdentity, Pin, Transport};
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

/// An enrolled device's connection settings and school key.
pub(crate) struct Enrollment {
    pub server: String,
    pub fingerprint: Hash,
    pub identity: ClientIdentity,
    pub school_key: SchoolKey,
    pub coordinator: bool,
}

impl Enrollment {
    pub fn load(conn: &Connection) -> Result<Option<Self>> {
        let Some(server) = get(conn, "server")? else {
            return Ok(None);
        };
        let text = |k: &str| get(conn, k)?.ok_or_else(damaged);
        let fingerprint = Hash::parse_hex(&text("fingerprint")?).ok_or_else(damaged)?;
        let key_hex = Zeroizing::new(text("school_key")?);
        let raw = Zeroizing::new(
            data_encoding::HEXLOWER
                .decode(key_hex.as_bytes())
                .map_err(|_| damaged())?,
        );
        let key: [u8; KEY_LEN] = raw.as_slice().try_into().map_err(|_| damaged())?;
        Ok(Some(Self {
            server,
            fingerprint,
            identity: ClientIdentity {
                certificate_pem: text("certificate")?,
                key_pem: Zeroizing::new(text("client_key")?),
            },
            school_key: SchoolKey(Zeroizing::new(key)),
            coordinator: text("coordinator")? == "1",
        }))
    }

    pub fn save(&self, conn: &Connection) -> Result<()> {
        set(conn, "server", &self.server)?;
        set(conn, "fingerprint", &self.fingerprint.hex())?;
        set(conn, "certificate", &self.identity.certificate_pem)?;
        set(conn, "client_key", &self.identity.key_pem)?;
        set(
            conn,
            "school_key",
            &Zeroizing::new(data_encoding::HEXLOWER.encode(self.school_key.0.as_slice())),
        )?;
        set(
            conn,
            "coordinator",
            if self.coordinator { "1" } else { "0" },
        )?;
        Ok(())
    }

    pub fn transport(&self) -> Result<Transport> {
        Transport::new(&self.server, Pin::Full(self.fingerprint), &self.identity)
    }
}
