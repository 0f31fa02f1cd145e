//! Re-keying: a new database key when a user is removed or a PIN is reset, so that an old copy
//! of the vault and the old PIN no longer open the database.

use super::Store;
use crate::crypto;
use crate::db;
use crate::error::Result;
use crate::vault::{keys, Vault};

impl Store {
    /// Replaces the database key, wrapped for every remaining user and the recovery key. The
    /// caller holds the vault's lock and saves it afterwards. In order, so that a crash at any
    /// point leaves a store that opens:
    /// 1. the vault gets the new key's envelopes beside the old ones, and is saved;
    /// 2. SQLCipher re-encrypts the database (`PRAGMA rekey`, in rollback-journal mode: it is not
    ///    safe in WAL mode);
    /// 3. the old envelopes are dropped (saved by the caller).
    ///
    /// Returns whether the key was replaced. A vault whose recovery key is still of the older
    /// form cannot be re-keyed without locking out the safe's key; another process holding the
    /// database open (the CLI beside the app) blocks the journal switch. Either way the old key
    /// stays, and nothing is lost.
    pub(super) fn rekey(&mut self, vault: &mut Vault) -> Result<bool> {
        if !keys::can_rekey(vault) {
            return Ok(false);
        }
        let old_generation = vault.key_generation;
        let generation = old_generation + 1;
        let new_key = crypto::random_key()?;
        keys::add_generation(vault, &new_key, generation)?;
        self.save_vault(vault)?;
        let rekeyed = self.rekey_database(&new_key);
        match rekeyed {
            Ok(true) => {
                self.key = new_key;
                keys::keep_generation(vault, generation);
                Ok(true)
            }
            Ok(false) => {
                keys::keep_generation(vault, old_generation);
                Ok(false)
            }
            Err(e) => {
                keys::keep_generation(vault, old_generation);
                eprintln!("meldcode: the database key was not replaced ({})", e.code());
                Ok(false)
            }
        }
    }

    fn rekey_database(&mut self, new_key: &crypto::Key) -> Result<bool> {
        let mode = |conn: &rusqlite::Connection, to: &str| -> Result<String> {
            Ok(conn.query_row(&format!("PRAGMA journal_mode = {to}"), [], |r| r.get(0))?)
        };
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        if mode(&self.conn, "DELETE")? != "delete" {
            mode(&self.conn, "WAL")?;
            return Ok(false);
        }
        let result = self
            .conn
            .execute_batch(&db::keyed_statement("PRAGMA rekey = ", new_key, ";"));
        mode(&self.conn, "WAL")?;
        result?;
        // The new key must open the file before the old one is forgotten.
        drop(db::open(&super::db_path(&self.dir), new_key, false)?);
        Ok(true)
    }
}
