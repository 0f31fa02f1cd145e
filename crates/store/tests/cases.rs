//! Recording through the store: the case list, search, visibility, timeline, export, backup.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use common::*;
use meldcode_engine::testkit;
use meldcode_engine::{Command, Role};
use meldcode_store::{Proof, Store, StoreError};

#[test]
fn a_refused_command_writes_nothing_and_says_why_in_dutch() {
    let mut f = fresh();
    let case = case_with_signal(&mut f.store);
    let err = f.store.record(case, &testkit::report()).unwrap_err();
    assert_eq!(err.code(), "rule_violation");
    assert!(err.message().contains("R11"));
    assert_eq!(f.store.verify().unwrap().events, 2);
}

#[test]
fn the_case_list_shows_step_and_next_action_and_finds_by_name_or_group() {
    let mut f = fresh();
    let case = case_with_signal(&mut f.store);
    let list = f.store.list_cases(None).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].summary.case_id, case);
    assert_eq!(list[0].summary.pupil_name, "Sanne de Vries");
    assert!(list[0].summary.next_action.is_some());
    assert_eq!(f.store.list_cases(Some("sanne")).unwrap().len(), 1);
    assert_eq!(f.store.list_cases(Some("groep 5")).unwrap().len(), 1);
    assert!(f.store.list_cases(Some("Mohammed")).unwrap().is_empty());
}

#[test]
fn a_teacher_sees_only_their_own_cases() {
    let f = fresh();
    let data = f.data();
    let mut coordinator = f.store;
    let theirs = case_with_signal(&mut coordinator);
    let teacher = coordinator
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    coordinator.lock();
    let mut store = Store::unlock(&data, teacher.id, "730461").unwrap();
    assert!(store.list_cases(None).unwrap().is_empty());
    assert!(matches!(
        store.case_view(theirs),
        Err(StoreError::NotFound { .. })
    ));
    let mine = case_with_signal(&mut store);
    let list = store.list_cases(None).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].summary.case_id, mine);
}

#[test]
fn export_holds_every_record_in_order() {
    let mut f = fresh();
    let case = case_with_signal(&mut f.store);
    f.store
        .record(case, &testkit::consultation_internal())
        .unwrap();
    f.store.record(case, &testkit::advice()).unwrap();
    let export = f.store.export_case(case).unwrap();
    let kinds: Vec<&str> = export.events.iter().map(|e| e.payload.kind()).collect();
    assert_eq!(
        kinds,
        [
            "case_opened",
            "signal_recorded",
            "consultation_recorded",
            "advice_requested"
        ]
    );
    let seqs: Vec<u64> = export.events.iter().map(|e| e.device_seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
}

#[test]
fn backup_opens_with_the_recovery_key_and_verifies() {
    let f = fresh();
    let me = f.store.user().id;
    let data = f.data();
    f.store.lock();
    // A store opened by unlocking (not the one fresh from init) makes the copy.
    let mut f = Fresh {
        store: Store::unlock(&data, me, PIN).unwrap(),
        ..f
    };
    let case = case_with_signal(&mut f.store);
    let dest = f.dir.path().join("backup");
    f.store.backup(&dest).unwrap();
    // The original keeps working after the backup.
    f.store.record(case, &testkit::advice()).unwrap();
    f.store.wait_for_anchor();
    // On this device the copy is older than what the keyring remembers: only the recovery key
    // opens it, and it then says what is missing (tests/rollback.rs).
    assert!(matches!(
        Store::unlock(&dest, me, PIN),
        Err(StoreError::RolledBack { .. })
    ));
    let copy = Store::recover(&dest, &f.recovery_key, me, "730164").unwrap();
    assert_eq!(copy.verify().unwrap().events, 2);
    assert_eq!(copy.list_cases(None).unwrap().len(), 1);
    assert!(matches!(
        f.store.backup(&dest),
        Err(StoreError::Invalid { .. })
    ));
}

#[test]
fn open_case_with_initials_is_refused_by_the_engine() {
    let mut f = fresh();
    let mut pupil = testkit::pupil();
    pupil.full_name = "S. d. V.".into();
    let err = f
        .store
        .record(
            Store::new_case_id(),
            &Command::OpenCase {
                pupil,
                parents: vec![],
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "rule_violation");
    assert!(f.store.list_cases(None).unwrap().is_empty());
}

#[test]
fn two_sessions_on_one_folder_stay_consistent() {
    // The app and the CLI may have the same store open; each remembers case states and its
    // chain head, and must notice what the other appended.
    let f = fresh();
    let me = f.store.user().id;
    let data = f.data();
    let mut first = f.store;
    let mut second = Store::unlock(&data, me, PIN).unwrap();
    let case = case_with_signal(&mut first);
    second
        .record(case, &testkit::consultation_internal())
        .unwrap();
    first.record(case, &testkit::advice()).unwrap();
    second.record(case, &testkit::conversation()).unwrap();
    first.record(case, &testkit::signal_own()).unwrap();
    let kinds: Vec<&str> = first
        .case_view(case)
        .unwrap()
        .events
        .iter()
        .map(|e| e.payload.kind())
        .collect();
    assert_eq!(
        kinds,
        [
            "case_opened",
            "signal_recorded",
            "consultation_recorded",
            "advice_requested",
            "parent_conversation_recorded",
            "signal_recorded"
        ]
    );
    let report = second.verify().unwrap();
    assert_eq!((report.devices, report.events), (1, 6));
    // The step comes from the whole case, including what the other session wrote.
    let list = first.list_cases(None).unwrap();
    assert_eq!(list[0].summary.step.number(), 3);
}

#[test]
fn a_teacher_cannot_take_a_coordinators_step_nor_see_a_case_about_themselves() {
    use meldcode_engine::records::StaffSuspicionInput;
    let f = fresh();
    let data = f.data();
    let mut coordinator = f.store;
    let teacher = coordinator
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    coordinator.lock();

    let mut store = Store::unlock(&data, teacher.id, "730461").unwrap();
    let case = case_with_signal(&mut store);
    let view = store.case_view(case).unwrap();
    assert!(view.permitted.iter().any(|k| k == "record_consultation"));
    assert!(!view.permitted.iter().any(|k| k == "record_decision"));
    let refused = store
        .record(case, &testkit::decision(true, false))
        .unwrap_err();
    assert_eq!(refused.code(), "rule_violation");
    assert!(refused.message().contains("intern begeleider"));
    store.lock();

    let mut coordinator = Store::unlock(&data, first_user(&data), PIN).unwrap();
    coordinator
        .record(
            case,
            &Command::SuspectStaff(StaffSuspicionInput {
                staff_user: teacher.id,
                staff_name: "Jeroen Smit".into(),
                note: "De leerling noemt de leerkracht bij naam.".into(),
            }),
        )
        .unwrap();
    coordinator.lock();

    let mut store = Store::unlock(&data, teacher.id, "730461").unwrap();
    assert!(store.list_cases(None).unwrap().is_empty());
    assert!(matches!(
        store.case_view(case),
        Err(StoreError::NotFound { .. })
    ));
    // Recording on it answers exactly as on a case that does not exist: the suspect learns
    // nothing, not even from the engine's refusal.
    let on_theirs = store.record(case, &testkit::signal_own()).unwrap_err();
    let on_none = store
        .record(Store::new_case_id(), &testkit::signal_own())
        .unwrap_err();
    assert_eq!(on_theirs.code(), "not_found");
    assert_eq!(
        (on_theirs.code(), on_theirs.message()),
        (on_none.code(), on_none.message())
    );
}

fn first_user(data: &std::path::Path) -> meldcode_engine::UserId {
    Store::lock_screen_users(data)
        .unwrap()
        .into_iter()
        .find(|u| u.display_name == COORDINATOR)
        .unwrap()
        .id
}

#[test]
fn only_the_coordinator_or_the_director_makes_a_backup() {
    let f = fresh();
    let data = f.data();
    let mut coordinator = f.store;
    let teacher = coordinator
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    coordinator.lock();
    let store = Store::unlock(&data, teacher.id, "730461").unwrap();
    let dest = f.dir.path().join("backup-by-teacher");
    assert!(matches!(
        store.backup(&dest),
        Err(StoreError::NotAllowed { .. })
    ));
    assert!(!dest.exists(), "nothing was copied");
}
