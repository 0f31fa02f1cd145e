//! Opening the SQLCipher database: raw 256-bit key (no passphrase derivation on open), WAL with
//! synchronous=FULL so that a returned append survives a crash or power loss, foreign keys on,
//! and the schema brought up to date by rusqlite_migration.

use crate::crypto::Key;
use crate::error::{Result, StoreError};
use data_encoding::HEXLOWER;
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use std::path::Path;
use std::sync::LazyLock;
use zeroize::Zeroizing;

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../migrations/001_initial.sql")),
        M::up(include_str!("../migrations/002_sync.sql")),
        M::up(include_str!("../migrations/003_destruction.sql")),
    ])
});

/// A statement with a raw key in it (`PRAGMA key = "x'…'"`, `ATTACH … KEY "x'…'"`), built in one
/// zeroising buffer of the right size, so that no copy of the key's text outlives the call: no
/// intermediate `String`, no reallocation that leaves the old buffer behind. Hex digits only, so
/// the key cannot inject anything.
pub(crate) fn keyed_statement(before: &str, key: &Key, after: &str) -> Zeroizing<String> {
    let hex_len = HEXLOWER.encode_len(key.len());
    let mut sql = Zeroizing::new(String::with_capacity(
        before.len() + hex_len + 5 + after.len(),
    ));
    sql.push_str(before);
    sql.push_str("\"x'");
    HEXLOWER.encode_append(key.as_slice(), &mut sql);
    sql.push_str("'\"");
    sql.push_str(after);
    sql
}

pub fn open(path: &Path, key: &Key, create: bool) -> Result<Connection> {
    if !create && !path.exists() {
        return Err(StoreError::NotInitialised);
    }
    let mut conn = open_keyed(path, key)?;
    MIGRATIONS.to_latest(&mut conn)?;
    Ok(conn)
}

/// Finishes SQLite's and SQLCipher's set-up in this thread, once per process. SQLCipher sets up
/// its crypto provider and registers `sqlcipher_export` (which backups use) after SQLite has
/// marked itself initialised, outside SQLite's lock: a connection that another thread opens in
/// that moment misses them ("no such function: sqlcipher_export", seen in a test run). Opening
/// a connection runs the set-up to its end before it returns, and the `Once` holds every other
/// caller until it has. The app calls this before its webview starts, since WebKit opens SQLite
/// databases in the same process.
pub fn initialise() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // An in-memory database cannot fail to open but for lack of memory; then the next
        // real open reports it.
        let _ = Connection::open_in_memory();
    });
}

/// Opens (or creates) a SQLCipher file with a raw key and this store's durability settings; the
/// caller brings its own schema.
pub(crate) fn open_keyed(path: &Path, key: &Key) -> Result<Connection> {
    initialise();
    // CREATE also when opening an existing file: ATTACH (used by backups) inherits the flags.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // SQLCipher locks and wipes the memory it allocates (page cache, key material).
    conn.execute_batch("PRAGMA cipher_memory_security = ON;")?;
    conn.execute_batch(&keyed_statement("PRAGMA key = ", key, ";"))?;
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
    // Freed space is overwritten, so a destroyed case (retention) leaves no text in free pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_statement_is_exact_and_never_reallocated() {
        let key: Key = Zeroizing::new([0xab; 32]);
        let sql = keyed_statement("PRAGMA key = ", &key, ";");
        assert_eq!(
            sql.as_str(),
            format!("PRAGMA key = \"x'{}'\";", "ab".repeat(32))
        );
        assert_eq!(sql.capacity(), sql.len(), "one allocation, exactly sized");
    }

    #[test]
    fn sqlcipher_wipes_its_memory() {
        let dir = tempfile::tempdir().expect("temp dir");
        let key: Key = Zeroizing::new([7; 32]);
        let conn = open(&dir.path().join("t.db"), &key, true).expect("open");
        let on: String = conn
            .query_row("PRAGMA cipher_memory_security", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(on, "1");
    }

    #[test]
    fn migrations_are_valid() {
        assert!(super::MIGRATIONS.validate().is_ok());
    }
}
