//! Shared set-up for the store's tests: a fresh store in a temporary folder, against the real
//! Secret Service started by `scripts/with-keyring.sh`.
#![allow(dead_code)]

use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::testkit;
use meldcode_engine::{CaseId, Command};
use meldcode_store::{KdfParams, Store};
use tempfile::TempDir;

/// The cheapest Argon2 the store accepts (OWASP's 7 MiB, 5 passes); the real parameters are
/// measured by `make bench`.
pub const FAST: KdfParams = KdfParams {
    memory_kib: 7_168,
    iterations: 5,
    parallelism: 1,
};

pub const PIN: &str = "482913";
pub const COORDINATOR: &str = "Anouk Jansen";

pub struct Fresh {
    pub dir: TempDir,
    pub store: Store,
    pub recovery_key: String,
}

pub fn fresh() -> Fresh {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let init = Store::init(&data, SchoolProfile::mozaiek(), COORDINATOR, PIN, FAST)
        .expect("init against the Secret Service (run through scripts/with-keyring.sh)");
    Fresh {
        dir,
        store: init.store,
        recovery_key: init.recovery_key.to_string(),
    }
}

impl Fresh {
    pub fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }
}

/// Opens a case about the test pupil and records one signal; returns the case id.
pub fn case_with_signal(store: &mut Store) -> CaseId {
    let case = Store::new_case_id();
    store
        .record(
            case,
            &Command::OpenCase {
                pupil: testkit::pupil(),
                parents: vec![testkit::parent()],
            },
        )
        .expect("open case");
    store.record(case, &testkit::signal_own()).expect("signal");
    case
}

/// Every file below `dir`, in its subfolders too.
pub fn files_below(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else {
            out.push(path);
        }
    }
    out
}
