//! Unlock, lock, wrong PIN, lockout, recovery, change PIN, users, and a missing keyring entry.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use common::*;
use meldcode_engine::Role;
use meldcode_store::{keyring, Proof, Store, StoreError};

#[test]
fn unlock_with_the_right_pin_and_lock_again() {
    let f = fresh();
    let me = f.store.user().id;
    let case = {
        let mut s = f.store;
        let case = case_with_signal(&mut s);
        s.lock();
        case
    };
    let users = Store::lock_screen_users(&f.dir.path().join("data")).unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].display_name, COORDINATOR);
    let store = Store::unlock(&f.dir.path().join("data"), me, PIN).unwrap();
    assert_eq!(store.case_view(case).unwrap().events.len(), 2);
}

#[test]
fn wrong_pin_is_refused_and_delays_grow_across_restarts() {
    let f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    f.store.lock();
    for left in (0..4).rev() {
        match Store::unlock(&data, me, "000001") {
            Err(StoreError::WrongPin {
                attempts_left_before_delay,
            }) => assert_eq!(attempts_left_before_delay, left),
            other => panic!("expected a wrong PIN, got {:?}", other.err()),
        }
    }
    assert!(matches!(
        Store::unlock(&data, me, "000001"),
        Err(StoreError::LockedOut { seconds: 30 })
    ));
    // The lockout is in the vault file: even the right PIN waits, after a "restart" too.
    match Store::unlock(&data, me, PIN) {
        Err(StoreError::LockedOut { seconds }) => assert!(seconds > 0 && seconds <= 30),
        other => panic!(
            "expected the lockout, got {:?}",
            other.err().map(|e| e.code())
        ),
    }
}

#[test]
fn change_pin_then_only_the_new_pin_opens() {
    let f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    let mut store = f.store;
    assert!(matches!(
        store.change_pin("999999", "581302"),
        Err(StoreError::WrongPin { .. })
    ));
    assert!(matches!(
        store.change_pin(PIN, "123456"),
        Err(StoreError::WeakPin(_))
    ));
    store.change_pin(PIN, "581302").unwrap();
    store.lock();
    assert!(Store::unlock(&data, me, PIN).is_err());
    Store::unlock(&data, me, "581302").unwrap();
}

#[test]
fn coordinator_adds_and_removes_users_and_a_teacher_cannot() {
    let f = fresh();
    let data = f.data();
    let mut store = f.store;
    let teacher = store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    assert!(matches!(
        store.add_user(Proof::Pin(PIN), "J. S.", Role::Teacher, "730461"),
        Err(StoreError::Invalid { .. })
    ));
    store.lock();
    let mut as_teacher = Store::unlock(&data, teacher.id, "730461").unwrap();
    assert!(matches!(
        as_teacher.add_user(Proof::Pin("730461"), "Petra Bakker", Role::Teacher, "610428"),
        Err(StoreError::Rule(v)) if v.code == "admin_not_allowed"
    ));
    as_teacher.lock();
    let coordinator = Store::lock_screen_users(&data)
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::Coordinator)
        .unwrap();
    let mut store = Store::unlock(&data, coordinator.id, PIN).unwrap();
    store.remove_user(Proof::Pin(PIN), teacher.id).unwrap();
    assert!(matches!(
        Store::unlock(&data, teacher.id, "730461"),
        Err(StoreError::UnknownUser)
    ));
    assert_eq!(store.users().unwrap().len(), 1);
}

#[test]
fn missing_keyring_entry_says_so_and_the_recovery_key_opens() {
    let f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    let mut store = f.store;
    let teacher = store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    let case = case_with_signal(&mut store);
    let device = store.device_id();
    store.lock();

    keyring::delete_device_secret(device).unwrap();
    let err = Store::unlock(&data, me, PIN)
        .err()
        .expect("no unlock without the keyring");
    assert_eq!(err.code(), "keyring_entry_missing");
    assert!(err.message().contains("herstelsleutel"));

    assert!(matches!(
        Store::recover(&data, "AAAA-BBBB", me, "581302"),
        Err(StoreError::WrongRecoveryKey)
    ));
    let recovered = Store::recover(&data, &f.recovery_key, me, "581302").unwrap();
    assert_eq!(recovered.case_view(case).unwrap().events.len(), 2);
    recovered.lock();

    // A new device secret was made: the coordinator's new PIN works, the teacher needs a new one.
    Store::unlock(&data, me, "581302").unwrap().lock();
    let teacher_row = Store::lock_screen_users(&data)
        .unwrap()
        .into_iter()
        .find(|u| u.id == teacher.id)
        .unwrap();
    assert!(teacher_row.needs_new_pin);
    assert!(Store::unlock(&data, teacher.id, "730461").is_err());
    let mut store = Store::unlock(&data, me, "581302").unwrap();
    store
        .reset_pin(Proof::Pin("581302"), teacher.id, "906142")
        .unwrap();
    store.lock();
    // A PIN the coordinator set is changed by its owner at first use.
    let mut teacher_store = Store::unlock(&data, teacher.id, "906142").unwrap();
    assert!(teacher_store.must_change_pin());
    teacher_store.change_pin("906142", "730518").unwrap();
    assert!(!teacher_store.must_change_pin());
    teacher_store.lock();
    assert!(!Store::unlock(&data, teacher.id, "730518")
        .unwrap()
        .must_change_pin());
}

#[test]
fn administration_asks_for_the_acting_users_pin_again() {
    let mut f = fresh();
    let wrong = f
        .store
        .add_user(Proof::Pin("000001"), "Jeroen Smit", Role::Teacher, "730461")
        .expect_err("a wrong acting PIN is refused");
    assert_eq!(wrong.code(), "wrong_pin");
    assert!(f.store.users().unwrap().len() == 1, "nobody was added");
    let teacher = f
        .store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    assert!(matches!(
        f.store
            .reset_pin(Proof::Pin("000001"), teacher.id, "906142"),
        Err(StoreError::WrongPin { .. })
    ));
    assert!(matches!(
        f.store.remove_user(Proof::Pin("000001"), teacher.id),
        Err(StoreError::WrongPin { .. })
    ));
    // The wrong PINs counted: two more and the delay starts.
    assert!(matches!(
        f.store.remove_user(Proof::Pin("000001"), teacher.id),
        Err(StoreError::WrongPin {
            attempts_left_before_delay: 0
        })
    ));
    assert!(matches!(
        f.store.remove_user(Proof::Pin("000001"), teacher.id),
        Err(StoreError::LockedOut { .. })
    ));
}

#[test]
fn recovery_with_the_keyring_intact_keeps_the_other_pins() {
    let f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    let mut store = f.store;
    let teacher = store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    store.lock();
    Store::recover(&data, &f.recovery_key, me, "581302")
        .unwrap()
        .lock();
    Store::unlock(&data, teacher.id, "730461").unwrap();
}

#[test]
fn recovery_is_for_a_coordinator() {
    let f = fresh();
    let data = f.data();
    let mut store = f.store;
    let teacher = store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    store.lock();
    assert!(matches!(
        Store::recover(&data, &f.recovery_key, teacher.id, "581302"),
        Err(StoreError::NotAllowed { .. })
    ));
}

#[test]
fn init_twice_is_refused() {
    let f = fresh();
    let again = Store::init(
        &f.data(),
        meldcode_engine::profile::SchoolProfile::mozaiek(),
        COORDINATOR,
        PIN,
        FAST,
    );
    assert!(matches!(again, Err(StoreError::AlreadyInitialised)));
}

#[test]
fn two_processes_adding_users_at_once_keep_both() {
    // The app and the CLI share a data folder: changes to the vault must not overwrite each other.
    let f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    f.store.lock();
    let names = [
        "Jeroen Smit",
        "Petra Bakker",
        "Sara El Idrissi",
        "Tom de Boer",
    ];
    let threads: Vec<_> = names
        .iter()
        .map(|name| {
            let data = data.clone();
            let name = name.to_string();
            std::thread::spawn(move || {
                let mut store = Store::unlock(&data, me, PIN).unwrap();
                store
                    .add_user(Proof::Pin(PIN), &name, Role::Teacher, "730461")
                    .unwrap();
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let on_lock_screen = Store::lock_screen_users(&data).unwrap();
    assert_eq!(on_lock_screen.len(), 1 + names.len());
    for u in on_lock_screen {
        if u.role == Role::Teacher {
            Store::unlock(&data, u.id, "730461").unwrap();
        }
    }
}
