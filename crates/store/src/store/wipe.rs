//! A revoked device erases what Meldcode keeps on it: the device secret in the OS keyring first
//! (without it neither the vault's envelopes nor the spool open, whatever a disk still holds),
//! then the dossier, the vault, the spool and the small files beside them.

use super::{db_path, vault_path, Store};
use crate::error::Result;
use crate::sync::spool::spool_path;
use std::path::{Path, PathBuf};

fn with_suffixes(path: PathBuf) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal", ".tmp"]
        .iter()
        .map(|suffix| {
            let mut p = path.clone().into_os_string();
            p.push(suffix);
            PathBuf::from(p)
        })
        .collect()
}

impl Store {
    /// Erases this device's Meldcode data in `dir`. Files of other programs in the folder stay.
    pub fn wipe(dir: &Path) -> Result<()> {
        if let Ok(vault) = crate::vault::RawVault::read(&vault_path(dir)) {
            crate::keyring::delete_device_secret(vault.device_id())?;
        }
        let mut files = Vec::new();
        for base in [db_path(dir), vault_path(dir), spool_path(dir)] {
            files.extend(with_suffixes(base));
        }
        files.push(vault_path(dir).with_extension("lock"));
        files.push(dir.join(crate::boundary::EMERGENCY_FILE));
        files.push(dir.join(crate::settings::SETTINGS_FILE));
        for file in files {
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        // Empty now unless someone keeps other files there.
        let _ = std::fs::remove_dir(dir);
        Ok(())
    }
}
