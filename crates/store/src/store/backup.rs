//! An encrypted copy of the store while it is in use.

use super::{create_private_dir, db_path, vault_path, Store};
use crate::db;
use crate::error::{Result, StoreError};
use meldcode_engine::Role;
use rusqlite::params;
use std::path::Path;

/// Beside the copy: what it is, so that whoever restores it knows which PINs open it.
pub const BACKUP_MANIFEST: &str = "backup.json";

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct BackupManifest {
    pub made_at: chrono::DateTime<chrono::Utc>,
    pub device_id: meldcode_engine::DeviceId,
    pub key_generation: u32,
    pub events: usize,
}

impl Store {
    /// A consistent encrypted copy while the store is in use: the database through
    /// `sqlcipher_export` inside one read transaction, plus the vault file. Restoring it on this
    /// device opens with the users' PINs; elsewhere it needs the recovery key.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        // A copy holds every dossier, also those this user may not see: only the coordinator
        // and the director make one.
        if !matches!(self.user.role, Role::Coordinator | Role::Director) {
            return Err(StoreError::NotAllowed {
                message: "Alleen de intern begeleider of de directie maakt een reservekopie."
                    .into(),
            });
        }
        if dest.exists() && std::fs::read_dir(dest)?.next().is_some() {
            return Err(StoreError::Invalid {
                message: "De map voor de reservekopie is niet leeg.".into(),
            });
        }
        create_private_dir(dest)?;
        let target = db_path(dest);
        let target_text = target.to_str().ok_or(StoreError::Invalid {
            message: "De map voor de reservekopie heeft een naam die niet kan worden gebruikt."
                .into(),
        })?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        self.conn.execute(
            &db::keyed_statement("ATTACH DATABASE ?1 AS backup KEY ", &self.key, ""),
            params![target_text],
        )?;
        let exported = self
            .conn
            .query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))
            .and_then(|()| {
                self.conn
                    .execute_batch(&format!("PRAGMA backup.user_version = {version};"))
            });
        let detached = self.conn.execute_batch("DETACH DATABASE backup");
        exported?;
        detached?;
        std::fs::copy(vault_path(&self.dir), vault_path(dest))?;
        // Which key generation the copy holds: after a re-key, the PINs of that time (and the
        // recovery key) open it, not necessarily today's.
        let vault = self.load_vault()?;
        let manifest = BackupManifest {
            made_at: chrono::Utc::now(),
            device_id: self.device_id,
            key_generation: vault.key_generation,
            events: self.verify()?.events,
        };
        let text = serde_json::to_vec_pretty(&manifest).map_err(|_| StoreError::Invalid {
            message: "De reservekopie kon niet worden beschreven.".into(),
        })?;
        crate::files::write_atomically(&dest.join(BACKUP_MANIFEST), &text)?;
        Ok(())
    }
}
