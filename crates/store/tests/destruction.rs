//! Destruction at the end of the retention period (R15, AVG): the case lead destroys a closed
//! case once the period is over, with her PIN; nothing of its text is left in the database file,
//! its WAL, a backup made afterwards, or a decrypted copy of everything the database holds; the
//! other cases and every chain still verify, and the tombstone is in the school log.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use chrono::{Months, Utc};
use common::*;
use meldcode_engine::records::*;
use meldcode_engine::school_log::SCHOOL_LOG;
use meldcode_engine::signal::{Indication, SignalContext, SignalInput, SignalSource};
use meldcode_engine::{testkit, CaseId, Command, EventPayload, Role};
use meldcode_store::{Proof, Store};
use std::path::Path;

const SECRET: &str = "Zwaluwstaart-blauwe-plek-7731";
const NAME: &str = "Ilse Verbrugge";

fn destroyable(store: &mut Store) -> CaseId {
    let case = Store::new_case_id();
    let mut pupil = testkit::pupil();
    pupil.full_name = NAME.into();
    store
        .record(
            case,
            &Command::OpenCase {
                pupil,
                parents: vec![],
            },
        )
        .unwrap();
    store
        .record(
            case,
            &Command::RecordSignal(SignalInput {
                observed_at: Utc::now(),
                context: SignalContext::Classroom,
                context_detail: None,
                facts: format!("{SECRET}: op de linker onderarm."),
                child_words: Some(format!("{SECRET}, zei ze.")),
                source: SignalSource::Own,
                catalogue_codes: vec![],
                body_marks: vec![],
                indication: Indication::Concern,
            }),
        )
        .unwrap();
    store
        .record(case, &testkit::close(CaseOutcome::Unfounded))
        .unwrap();
    // She left three years ago: the default two years are over.
    let left_on = Utc::now()
        .date_naive()
        .checked_sub_months(Months::new(36))
        .unwrap();
    store
        .record(
            case,
            &Command::RecordPupilLeft(PupilLeftInput {
                left_on,
                note: Some(format!("{SECRET} verhuisd")),
            }),
        )
        .unwrap();
    case
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// A decrypted copy of everything the database holds, every table, read back as bytes.
fn decrypted(store: &Store, dir: &Path) -> Vec<u8> {
    let plain = dir.join("plain.db");
    let _ = std::fs::remove_file(&plain);
    let conn = store.connection();
    conn.execute(
        "ATTACH DATABASE ?1 AS plaintext KEY ''",
        [plain.to_str().unwrap()],
    )
    .unwrap();
    conn.query_row("SELECT sqlcipher_export('plaintext')", [], |_| Ok(()))
        .unwrap();
    conn.execute("DETACH DATABASE plaintext", []).unwrap();
    std::fs::read(&plain).unwrap()
}

#[test]
fn a_destroyed_case_leaves_no_text_and_the_rest_still_verifies() {
    let f = fresh();
    let data = f.data();
    let mut store = f.store;
    let kept = case_with_signal(&mut store);
    let gone = destroyable(&mut store);
    let scratch = f.dir.path().join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    // The test can see the text before: the check below can fail.
    assert!(holds(&decrypted(&store, &scratch), SECRET));

    let due = store.due_for_destruction().unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].summary.case_id, gone);

    // A wrong PIN destroys nothing.
    let wrong = store.destroy_case(Proof::Pin("111111"), gone, "Bewaartermijn verstreken.");
    assert_eq!(wrong.unwrap_err().code(), "wrong_pin");
    assert!(store.case_view(gone).is_ok());
    // The case that is not due cannot be destroyed.
    let early = store.destroy_case(Proof::Pin(PIN), kept, "Bewaartermijn verstreken.");
    assert_eq!(early.unwrap_err().code(), "rule_violation");

    store
        .destroy_case(Proof::Pin(PIN), gone, "Bewaartermijn verstreken.")
        .unwrap();
    assert_eq!(store.case_view(gone).unwrap_err().code(), "not_found");
    assert!(store
        .list_cases(None)
        .unwrap()
        .iter()
        .all(|c| c.summary.case_id != gone));
    assert!(store.due_for_destruction().unwrap().is_empty());

    // The other case and every chain still verify; the destroyed records' places are counted.
    let report = store.verify().unwrap();
    assert_eq!(report.destroyed, 4);
    assert!(store.case_view(kept).is_ok());
    // The tombstone: which case, until when, how many records, why; by whom, in the log.
    let log =
        meldcode_store::log::case_events(store.connection(), SCHOOL_LOG, &[store.device_id()])
            .unwrap();
    let tomb = log
        .iter()
        .find_map(|e| match &e.payload {
            EventPayload::CaseDestroyed(t) => Some((e.author, t.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        (tomb.0, tomb.1.case, tomb.1.records),
        (store.user().id, gone, 4)
    );
    assert!(!format!("{:?}", tomb.1).contains(NAME));

    // No text left: not decrypted, not in the files, not in a backup made afterwards.
    let plain = decrypted(&store, &scratch);
    for needle in [SECRET, NAME] {
        assert!(!holds(&plain, needle), "the database still holds {needle}");
    }
    assert!(
        holds(&plain, "Sanne de Vries"),
        "the kept case is still there"
    );
    let free: i64 = store
        .connection()
        .query_row("PRAGMA freelist_count", [], |r| r.get(0))
        .unwrap();
    assert_eq!(free, 0, "no free page could keep an old copy");
    let backup = f.dir.path().join("backup");
    store.backup(&backup).unwrap();
    store.lock();
    for file in files_below(&data).into_iter().chain(files_below(&backup)) {
        let bytes = std::fs::read(&file).unwrap();
        for needle in [SECRET, NAME] {
            assert!(!holds(&bytes, needle), "{} holds {needle}", file.display());
        }
    }
    let wal = data.join("meldcode.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "the WAL is emptied"
    );

    // After unlocking again, everything still verifies.
    let store = Store::unlock(&data, tomb.0, PIN).unwrap();
    assert_eq!(store.verify().unwrap().destroyed, 4);
}

#[test]
fn only_the_case_lead_destroys() {
    let f = fresh();
    let data = f.data();
    let mut store = f.store;
    let lead_id = store.user().id;
    let gone = destroyable(&mut store);
    let director = store
        .add_user(
            Proof::RecoveryKey(&f.recovery_key),
            "Marieke van Dijk",
            Role::Director,
            "906142",
        )
        .unwrap();
    store.lock();
    let director_id = director.id;
    let mut director = Store::unlock(&data, director_id, "906142").unwrap();
    assert!(director.due_for_destruction().unwrap().is_empty());
    let refused = director.destroy_case(Proof::Pin("906142"), gone, "Bewaartermijn verstreken.");
    assert_eq!(refused.unwrap_err().code(), "rule_violation");
    assert!(director.case_view(gone).is_ok());

    // The lead destroys it; the director reads the tombstone in the school log.
    director.lock();
    let mut lead = Store::unlock(&data, lead_id, PIN).unwrap();
    lead.destroy_case(Proof::Pin(PIN), gone, "Bewaartermijn verstreken.")
        .unwrap();
    lead.lock();
    let director = Store::unlock(&data, director_id, "906142").unwrap();
    let log = director.school_log().unwrap();
    let entry = log.entries.last().unwrap();
    assert_eq!(
        (entry.kind.as_str(), entry.author, entry.subject),
        ("case_destroyed", lead_id, None)
    );
    let tomb = entry.destroyed.as_ref().unwrap();
    assert_eq!(
        (tomb.case, tomb.records, tomb.reason.as_str()),
        (gone, 4, "Bewaartermijn verstreken.")
    );
}
