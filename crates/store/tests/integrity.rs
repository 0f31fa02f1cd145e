//! A damaged or tampered file is detected with a clear "beschadigd of gewijzigd" error, never a
//! panic, and the log refuses edits.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use common::*;
use meldcode_store::{Store, StoreError};
use std::io::{Read, Seek, SeekFrom, Write};

fn assert_damaged<T>(result: Result<T, StoreError>) {
    match result {
        Err(e @ StoreError::Damaged { .. }) => {
            assert_eq!(e.code(), "damaged");
            assert!(e.message().contains("beschadigd of gewijzigd"));
        }
        Err(other) => panic!(
            "expected 'damaged', got {}: {}",
            other.code(),
            other.message()
        ),
        Ok(_) => panic!("the damage went unnoticed"),
    }
}

#[test]
fn verify_passes_on_an_intact_store() {
    let mut f = fresh();
    for _ in 0..5 {
        case_with_signal(&mut f.store);
    }
    let report = f.store.verify().unwrap();
    assert_eq!((report.devices, report.events, report.cases), (1, 10, 5));
}

#[test]
fn events_cannot_be_updated_or_deleted() {
    let mut f = fresh();
    case_with_signal(&mut f.store);
    let conn = f.store.connection();
    assert!(conn
        .execute("UPDATE events SET body = body || ' '", [])
        .is_err());
    assert!(conn.execute("DELETE FROM events", []).is_err());
}

#[test]
fn an_edited_event_is_detected() {
    let mut f = fresh();
    case_with_signal(&mut f.store);
    case_with_signal(&mut f.store);
    f.store
        .connection()
        .execute_batch(
            "DROP TRIGGER events_are_never_updated;
             UPDATE events SET body = replace(body, 'Blauwe plek', 'Rode plek') WHERE seq = 2;",
        )
        .unwrap();
    assert_damaged(f.store.verify());
}

#[test]
fn a_removed_event_is_detected() {
    let mut f = fresh();
    case_with_signal(&mut f.store);
    case_with_signal(&mut f.store);
    f.store
        .connection()
        .execute_batch("DROP TRIGGER events_are_never_deleted; DELETE FROM events WHERE seq = 2;")
        .unwrap();
    assert_damaged(f.store.verify());
}

#[test]
fn a_flipped_byte_anywhere_in_the_file_is_detected() {
    let mut f = fresh();
    for _ in 0..30 {
        case_with_signal(&mut f.store);
    }
    let data = f.data();
    let me = f.store.user().id;
    f.store.lock();
    let db = data.join("meldcode.db");
    let len = std::fs::metadata(&db).unwrap().len();
    let pristine = std::fs::read(&db).unwrap();
    // The header page, the middle and the last page.
    for offset in [100, len / 2, len - 100] {
        std::fs::write(&db, &pristine).unwrap();
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&db)
            .unwrap();
        let mut byte = [0u8; 1];
        file.seek(SeekFrom::Start(offset)).unwrap();
        file.read_exact(&mut byte).unwrap();
        file.seek(SeekFrom::Start(offset)).unwrap();
        file.write_all(&[byte[0] ^ 0x01]).unwrap();
        drop(file);
        match Store::unlock(&data, me, PIN) {
            Err(e) => assert_damaged::<()>(Err(e)),
            Ok(store) => assert_damaged(store.verify()),
        }
    }
    std::fs::write(&db, &pristine).unwrap();
    Store::unlock(&data, me, PIN).unwrap().verify().unwrap();
}

#[test]
fn a_damaged_vault_file_is_reported_not_a_panic() {
    let f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    f.store.lock();
    std::fs::write(data.join("vault.json"), b"{ not json").unwrap();
    assert_damaged(Store::unlock(&data, me, PIN));
}
