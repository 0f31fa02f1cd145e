//! Without the key the files say nothing: `sqlite3` cannot read the database, and no file the
//! store writes contains a pupil's name in plaintext.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

fn assert_no_plaintext(dir: &Path) {
    let files = files_below(dir);
    assert!(files.iter().any(|f| f.ends_with("meldcode.db")));
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for needle in ["Sanne de Vries", "de Vries", "Blauwe plek", "Marieke"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{} contains '{needle}' in plaintext",
                file.display()
            );
        }
    }
}

#[test]
fn database_is_unreadable_to_sqlite3() {
    let mut f = fresh();
    case_with_signal(&mut f.store);
    let db = f.data().join("meldcode.db");
    let out = Command::new("sqlite3")
        .arg(&db)
        .arg(".tables")
        .output()
        .expect("sqlite3 is installed by scripts/setup.sh");
    assert!(!out.status.success(), "sqlite3 read the encrypted file");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a database"), "{stderr}");
}

#[test]
fn no_file_holds_a_pupils_name_in_plaintext_while_open_or_after_locking() {
    let mut f = fresh();
    for _ in 0..20 {
        case_with_signal(&mut f.store);
    }
    // While open: the WAL and shared-memory files are there too. The vault is rewritten (through
    // a temporary file) by the session's anchoring thread; wait for it so the listing holds.
    f.store.wait_for_anchor();
    assert_no_plaintext(&f.data());
    let data = f.data();
    f.store.lock();
    assert_no_plaintext(&data);
}

#[test]
fn backup_is_encrypted_too() {
    let mut f = fresh();
    case_with_signal(&mut f.store);
    let dest = f.dir.path().join("backup");
    f.store.backup(&dest).unwrap();
    assert_no_plaintext(&dest);
}
