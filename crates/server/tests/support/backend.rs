//! One test's database: a folder (SQLite's file lives there) and, for PostgreSQL, the URL of a
//! database of its own in one temporary cluster per test binary. `open` may be called again for
//! a second server on the same data. Needs `postgres_cluster` as a sibling module.

use super::postgres_cluster::TempCluster;
use meldcode_server::storage::Storage;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// One PostgreSQL cluster for the whole test binary (its watchdog stops it when we exit).
static CLUSTER: OnceLock<TempCluster> = OnceLock::new();

pub struct Backend {
    pub dir: tempfile::TempDir,
    pub url: Option<String>,
}

impl Backend {
    pub fn sqlite() -> Self {
        Self {
            dir: tempfile::tempdir().expect("creates a temporary folder"),
            url: None,
        }
    }

    /// A fresh database named after `prefix` and a counter.
    pub fn postgresql(prefix: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let cluster = CLUSTER.get_or_init(TempCluster::start);
        let name = format!("{prefix}_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        Self {
            dir: tempfile::tempdir().expect("creates a temporary folder"),
            url: Some(cluster.create_database(&name)),
        }
    }

    pub fn open(&self) -> Storage {
        Storage::open(self.dir.path(), self.url.as_deref()).expect("opens the storage")
    }
}
