//! User administration as a rogue colleague would try it: a coordinator making herself a board
//! account, resetting the board's PIN or a suspected colleague's PIN. Each is refused, and what is
//! allowed is in the school log for the director and the board.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use common::*;
use meldcode_engine::records::StaffSuspicionInput;
use meldcode_engine::{Command, Role, UserId};
use meldcode_store::{Proof, Store, StoreError};

const TEACHER_PIN: &str = "730461";
const DIRECTOR_PIN: &str = "581302";

fn leadership_refusal<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    match result {
        Err(StoreError::Rule(v)) => assert_eq!(v.code, "admin_leadership_account"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_coordinator_cannot_create_a_board_or_director_account_on_her_pin() {
    let mut f = fresh();
    for role in [Role::Board, Role::Director] {
        leadership_refusal(
            f.store
                .add_user(Proof::Pin(PIN), "Henk Mulder", role, "906142"),
        );
    }
    assert_eq!(f.store.users().unwrap().len(), 1, "nobody was added");
    // With the recovery key from the school's safe she can; a wrong key is refused.
    assert!(matches!(
        f.store.add_user(
            Proof::RecoveryKey("AAAA-BBBB-CCCC"),
            "Henk Mulder",
            Role::Board,
            "906142"
        ),
        Err(StoreError::WrongRecoveryKey)
    ));
    f.store
        .add_user(
            Proof::RecoveryKey(&f.recovery_key),
            "Henk Mulder",
            Role::Board,
            "906142",
        )
        .unwrap();
}

/// A store with a director (made with the recovery key) and a board member made by her.
fn with_leadership() -> (Fresh, UserId, UserId) {
    let mut f = fresh();
    let director = f
        .store
        .add_user(
            Proof::RecoveryKey(&f.recovery_key),
            "Marieke van Dijk",
            Role::Director,
            DIRECTOR_PIN,
        )
        .unwrap()
        .id;
    let data = f.data();
    let mut as_director = Store::unlock(&data, director, DIRECTOR_PIN).unwrap();
    as_director.change_pin(DIRECTOR_PIN, "604918").unwrap();
    let board = as_director
        .add_user(Proof::Pin("604918"), "Henk Mulder", Role::Board, "906142")
        .unwrap()
        .id;
    as_director.lock();
    (f, director, board)
}

#[test]
fn a_coordinator_cannot_reset_the_boards_or_the_directors_pin() {
    let (mut f, director, board) = with_leadership();
    for who in [board, director] {
        leadership_refusal(f.store.reset_pin(Proof::Pin(PIN), who, "735142"));
        leadership_refusal(f.store.remove_user(Proof::Pin(PIN), who));
    }
    leadership_refusal(f.store.change_role(Proof::Pin(PIN), board, Role::Teacher));
    // The board's own PIN still opens, unchanged.
    let data = f.data();
    f.store.lock();
    Store::unlock(&data, board, "906142").unwrap();
}

#[test]
fn a_coordinator_cannot_promote_a_teacher_to_the_board() {
    let mut f = fresh();
    let teacher = f
        .store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, TEACHER_PIN)
        .unwrap();
    leadership_refusal(
        f.store
            .change_role(Proof::Pin(PIN), teacher.id, Role::Board),
    );
    f.store
        .change_role(Proof::Pin(PIN), teacher.id, Role::Coordinator)
        .unwrap();
    let listed = f.store.users().unwrap();
    assert!(listed
        .iter()
        .any(|u| u.id == teacher.id && u.role == Role::Coordinator));
}

#[test]
fn a_coordinator_cannot_reset_the_pin_of_a_suspected_colleague_and_learns_nothing() {
    let (mut f, director, _) = with_leadership();
    let data = f.data();
    let reporter = f
        .store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, TEACHER_PIN)
        .unwrap();
    let suspect = f
        .store
        .add_user(Proof::Pin(PIN), "Bram Visser", Role::Teacher, "610428")
        .unwrap();
    let bystander = f
        .store
        .add_user(Proof::Pin(PIN), "Petra Bakker", Role::Teacher, "735142")
        .unwrap();
    let coordinator = f.store.user().id;
    f.store.lock();
    let mut as_reporter = Store::unlock(&data, reporter.id, TEACHER_PIN).unwrap();
    let case = case_with_signal(&mut as_reporter);
    as_reporter
        .record(
            case,
            &Command::SuspectStaff(StaffSuspicionInput {
                staff_user: suspect.id,
                staff_name: suspect.full_name.clone(),
                note: "Sanne vertelt dat meester Bram haar hard vastpakte.".into(),
            }),
        )
        .unwrap();
    as_reporter.lock();
    let mut as_coordinator = Store::unlock(&data, coordinator, PIN).unwrap();
    let refused = as_coordinator
        .reset_pin(Proof::Pin(PIN), suspect.id, "906142")
        .unwrap_err();
    assert!(!refused.message().contains("verdacht"));
    assert!(!refused.message().contains("dossier"));
    // Another teacher's PIN is hers to reset.
    as_coordinator
        .reset_pin(Proof::Pin(PIN), bystander.id, "906142")
        .unwrap();
    as_coordinator.lock();
    let mut as_director = Store::unlock(&data, director, "604918").unwrap();
    as_director
        .reset_pin(Proof::Pin("604918"), suspect.id, "906142")
        .unwrap();
}

#[test]
fn administration_is_in_the_school_log_for_the_director_and_the_board() {
    let (mut f, director, board) = with_leadership();
    let data = f.data();
    let teacher = f
        .store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, TEACHER_PIN)
        .unwrap();
    f.store
        .reset_pin(Proof::Pin(PIN), teacher.id, "906142")
        .unwrap();
    f.store
        .change_role(Proof::Pin(PIN), teacher.id, Role::Coordinator)
        .unwrap();
    f.store.remove_user(Proof::Pin(PIN), teacher.id).unwrap();
    assert!(matches!(
        f.store.school_log(),
        Err(StoreError::NotAllowed { .. })
    ));
    assert_eq!(f.store.verify().unwrap().devices, 1, "one chain, verified");
    f.store.lock();
    for (who, pin) in [(director, "604918"), (board, "906142")] {
        let store = Store::unlock(&data, who, pin).unwrap();
        let log = store.school_log().unwrap();
        let kinds: Vec<&str> = log.entries.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "user_added",
                // The director chose her own PIN at first use.
                "pin_changed",
                "user_added",
                "user_added",
                "pin_reset",
                "role_changed",
                "user_removed"
            ]
        );
        assert!(
            log.entries[0].with_recovery_key,
            "the director was made with the key"
        );
        assert!(log.people.iter().any(|p| p.full_name == "Jeroen Smit"));
        // The school log is not a case.
        assert!(store.list_cases(None).unwrap().is_empty());
        store.lock();
    }
}
