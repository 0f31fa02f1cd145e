//! Opening the SQLCipher database: raw 256-bit key (no passphrase derivation on open), WAL with
//! synchronous=FULL so that a returned append survives a crash or power loss, foreign keys on,
//! and the schema brought up to date by rusqlite_migration.

use crate::crypto::{hex, Key};
use crate::error::{Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use std::path::Path;
use std::sync::LazyLock;

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(vec![M::up(include_str!("../migrations/001_initial.sql"))]));

/// The SQL for `PRAGMA key` / `ATTACH … KEY` with a raw key: hex digits only, so formatting it
/// into the statement cannot inject anything.
pub(crate) fn raw_key_literal(key: &Key) -> zeroize::Zeroizing<String> {
    zeroize::Zeroizing::new(format!("\"x'{}'\"", hex(key.as_slice())))
}

pub fn open(path: &Path, key: &Key, create: bool) -> Result<Connection> {
    if !create && !path.exists() {
        return Err(StoreError::NotInitialised);
    }
    // CREATE also when opening an existing file: ATTACH (used by backups) inherits the flags.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    conn.execute_batch(&format!("PRAGMA key = {};", raw_key_literal(key).as_str()))?;
    // The first read proves the key and the file: a wrong key or a damaged page fails here.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(|e| match StoreError::from(e) {
        StoreError::Database(_) => StoreError::Damaged {
            detail: "database".into(),
        },
        other => other,
    })?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    MIGRATIONS.to_latest(&mut conn)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::MIGRATIONS.validate().is_ok());
    }
}
