//! Attacks on the record with file access to a school tablet: each test performs one and sees it
//! refused or reported. Truncating the last events, putting back an older database (with or
//! without its vault), dropping the WAL after a kill, adding a forged device chain, editing the
//! vault's lockout counter, putting back an older vault to reset it, and weakening Argon2.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use common::*;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::testkit;
use meldcode_engine::{CaseId, DeviceId, Role, UserId};
use meldcode_store::vault::anchor::AlarmKind;
use meldcode_store::{crypto, keyring, log, vault, Proof, Store, StoreError};
use std::path::Path;

const NEW_PIN: &str = "730164";

fn kinds(store: &Store) -> Vec<AlarmKind> {
    store.alarms().iter().map(|a| a.kind).collect()
}

fn missing_text(store: &Store) -> String {
    store
        .alarms()
        .iter()
        .find(|a| a.kind == AlarmKind::Missing)
        .map(|a| a.what.clone())
        .unwrap_or_default()
}

/// Records `n` more signals in the case.
fn signals(store: &mut Store, case: CaseId, n: usize) {
    for _ in 0..n {
        store.record(case, &testkit::signal_own()).unwrap();
    }
}

fn copy_files(from: &Path, to: &Path, names: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for name in names {
        std::fs::copy(from.join(name), to.join(name)).unwrap();
    }
}

fn drop_wal(dir: &Path) {
    for side in ["meldcode.db-wal", "meldcode.db-shm"] {
        let _ = std::fs::remove_file(dir.join(side));
    }
}

/// A fresh store with a case of `1 + more` signals: the store, its folder, the coordinator and
/// the case.
fn store_with_signals(more: usize) -> (Fresh, std::path::PathBuf, UserId, CaseId) {
    let mut f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    let case = case_with_signal(&mut f.store);
    signals(&mut f.store, case, more);
    (f, data, me, case)
}

/// With the key, the append-only triggers can be dropped and events deleted.
fn delete_events(store: &Store, condition: &str) {
    store
        .connection()
        .execute_batch(&format!(
            "DROP TRIGGER events_are_never_deleted; DELETE FROM events WHERE {condition};"
        ))
        .unwrap();
}

#[test]
fn an_intact_store_unlocks_without_alarms() {
    let (f, data, me, _) = store_with_signals(2);
    f.store.lock();
    let store = Store::unlock(&data, me, PIN).unwrap();
    assert!(store.alarms().is_empty(), "{:?}", store.alarms());
}

#[test]
fn truncating_the_last_events_is_reported_at_unlock() {
    let (f, data, me, _) = store_with_signals(2);
    // The vault still knows seq 4.
    delete_events(&f.store, "device_seq > 2");
    f.store.lock();
    let store = Store::unlock(&data, me, PIN).unwrap();
    assert_eq!(kinds(&store), [AlarmKind::Missing]);
    let what = missing_text(&store);
    assert!(
        what.contains("2 vastlegging(en) van dit apparaat"),
        "{what}"
    );
    assert!(what.contains("volgnummer 3 tot en met 4"), "{what}");
    let alarm = &store.alarms()[0];
    assert!(alarm.since.is_some(), "since when");
    assert!(alarm.todo.contains("intern begeleider"), "what to do");
}

#[test]
fn the_alarm_stays_after_new_records_until_acknowledged() {
    let (f, data, me, case) = store_with_signals(1);
    delete_events(&f.store, "device_seq = 3");
    f.store.lock();
    let mut store = Store::unlock(&data, me, PIN).unwrap();
    assert_eq!(kinds(&store), [AlarmKind::Missing]);
    // Recording goes on (a child's safety comes first); the alarm is not overwritten by it.
    signals(&mut store, case, 2);
    store.lock();
    let mut store = Store::unlock(&data, me, PIN).unwrap();
    assert_eq!(kinds(&store), [AlarmKind::Missing]);
    store.acknowledge_alarms().unwrap();
    store.lock();
    let store = Store::unlock(&data, me, PIN).unwrap();
    assert!(store.alarms().is_empty());
}

#[test]
fn a_teacher_cannot_acknowledge_an_alarm() {
    let mut f = fresh();
    let data = f.data();
    f.store
        .add_user(Proof::Pin(PIN), "Bram de Vries", Role::Teacher, NEW_PIN)
        .unwrap();
    let teacher = f
        .store
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::Teacher)
        .unwrap();
    f.store.lock();
    let mut store = Store::unlock(&data, teacher.id, NEW_PIN).unwrap();
    assert!(matches!(
        store.acknowledge_alarms(),
        Err(StoreError::NotAllowed { .. })
    ));
}

#[test]
fn an_older_database_put_back_is_reported() {
    let (f, data, me, case) = store_with_signals(0);
    f.store.lock();
    let old = f.dir.path().join("old");
    copy_files(&data, &old, &["meldcode.db"]);
    let mut store = Store::unlock(&data, me, PIN).unwrap();
    signals(&mut store, case, 3);
    store.lock();
    std::fs::copy(old.join("meldcode.db"), data.join("meldcode.db")).unwrap();
    drop_wal(&data);
    let store = Store::unlock(&data, me, PIN).unwrap();
    assert_eq!(kinds(&store), [AlarmKind::Missing]);
    assert!(missing_text(&store).contains("volgnummer 3 tot en met 5"));
}

#[test]
fn an_older_database_and_vault_put_back_need_the_recovery_key_and_say_what_is_missing() {
    let (f, data, me, case) = store_with_signals(0);
    f.store.lock();
    let old = f.dir.path().join("old");
    copy_files(&data, &old, &["meldcode.db", "vault.json"]);
    let mut store = Store::unlock(&data, me, PIN).unwrap();
    signals(&mut store, case, 3);
    store.lock();
    copy_files(&old, &data, &["meldcode.db", "vault.json"]);
    drop_wal(&data);
    match Store::unlock(&data, me, PIN) {
        Err(e @ StoreError::RolledBack { .. }) => {
            assert_eq!(e.code(), "rolled_back");
            assert!(e.message().contains("herstelsleutel"));
        }
        other => panic!("expected a rolled-back vault, got {:?}", other.err()),
    }
    let store = Store::recover(&data, &f.recovery_key, me, NEW_PIN).unwrap();
    assert_eq!(kinds(&store), [AlarmKind::RolledBack, AlarmKind::Missing]);
    assert!(missing_text(&store).contains("volgnummer 3 tot en met 5"));
    store.lock();
    // After the recovery the store opens normally again, the alarms still shown.
    let store = Store::unlock(&data, me, NEW_PIN).unwrap();
    assert_eq!(kinds(&store).len(), 2);
}

#[test]
fn a_backup_restored_on_the_same_device_is_an_older_copy() {
    let mut f = fresh();
    let me = f.store.user().id;
    let case = case_with_signal(&mut f.store);
    let backup = f.dir.path().join("backup");
    f.store.backup(&backup).unwrap();
    signals(&mut f.store, case, 1);
    f.store.lock();
    assert!(matches!(
        Store::unlock(&backup, me, PIN),
        Err(StoreError::RolledBack { .. })
    ));
    let store = Store::recover(&backup, &f.recovery_key, me, NEW_PIN).unwrap();
    assert_eq!(store.verify().unwrap().events, 2);
    assert!(missing_text(&store).contains("1 vastlegging(en)"));
}

/// The WAL child: records, acknowledges, and then waits to be killed with its WAL unmerged.
#[test]
fn wal_writer_child() {
    let Ok(dir) = std::env::var("MELDCODE_WAL_CHILD") else {
        return;
    };
    let user: UserId = std::env::var("MELDCODE_WAL_USER").unwrap().parse().unwrap();
    let case: CaseId = std::env::var("MELDCODE_WAL_CASE").unwrap().parse().unwrap();
    let mut store = Store::unlock(Path::new(&dir), user, PIN).unwrap();
    signals(&mut store, case, 3);
    // The heads are anchored on the session's own thread, right after each commit.
    store.wait_for_anchor();
    println!("\nACK");
    std::thread::sleep(std::time::Duration::from_secs(60));
}

#[test]
fn dropping_the_wal_after_a_kill_is_reported() {
    use std::io::{BufRead, BufReader};
    let mut f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    let case = case_with_signal(&mut f.store);
    f.store.lock();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "wal_writer_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("MELDCODE_WAL_CHILD", &data)
        .env("MELDCODE_WAL_USER", me.to_string())
        .env("MELDCODE_WAL_CASE", case.to_string())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    assert!(
        out.lines().any(|l| l.unwrap().contains("ACK")),
        "the child recorded"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        data.join("meldcode.db-wal").exists(),
        "the records are in the WAL"
    );
    drop_wal(&data);
    let store = Store::unlock(&data, me, PIN).unwrap();
    assert_eq!(kinds(&store), [AlarmKind::Missing]);
    assert!(missing_text(&store).contains("3 vastlegging(en)"));
}

/// Appends a copy of `event` to a new, well-formed chain under a made-up device id.
fn forge_chain(store: &Store, event: &Envelope) -> DeviceId {
    let forger = DeviceId(uuid::Uuid::now_v7());
    let mut forged = event.clone();
    forged.id = meldcode_engine::EventId(uuid::Uuid::now_v7());
    forged.device_id = forger;
    forged.device_seq = 1;
    let conn = store.connection();
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let mut head = log::device_head(&tx, forger).unwrap();
    log::append(&tx, &mut head, &forged).unwrap();
    tx.commit().unwrap();
    forger
}

#[test]
fn a_forged_device_chain_is_refused_and_reported() {
    let mut f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    let case = case_with_signal(&mut f.store);
    let signal = f.store.case_view(case).unwrap().events[1].clone();
    forge_chain(&f.store, &signal);
    f.store.lock();
    let store = Store::unlock(&data, me, PIN).unwrap();
    assert_eq!(kinds(&store), [AlarmKind::UnknownDevice]);
    assert_eq!(
        store.case_view(case).unwrap().events.len(),
        2,
        "forged event left out"
    );
    match store.verify() {
        Err(StoreError::Damaged { detail }) => assert!(detail.contains("onbekend apparaat")),
        other => panic!("verify must refuse the chain, got {other:?}"),
    }
}

/// Rewrites the vault's body through `edit` and, when `remac` is set, signs it again with the
/// device secret from the keyring (an attacker who holds the unlocked OS session).
fn edit_vault(data: &Path, remac: bool, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = data.join("vault.json");
    let mut file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut body = file["body"].take();
    edit(&mut body);
    let body_text = serde_json::to_string_pretty(&body).unwrap();
    let mac = if remac {
        let device: DeviceId = file["device_id"].as_str().unwrap().parse().unwrap();
        let entry = keyring::load_device_entry(device).unwrap();
        let key = crypto::derive_subkey(&entry.secret, vault::MAC_INFO).unwrap();
        crypto::hex(&crypto::mac(&key, body_text.as_bytes()))
    } else {
        file["mac"].as_str().unwrap().to_owned()
    };
    let text = format!(
        "{{\"version\": 2, \"device_id\": {}, \"mac\": \"{mac}\", \"body\": {body_text}}}",
        file["device_id"]
    );
    std::fs::write(&path, text).unwrap();
}

fn lock_out(data: &Path, user: UserId) {
    for _ in 0..5 {
        let _ = Store::unlock(data, user, "000001");
    }
    assert!(matches!(
        Store::unlock(data, user, PIN),
        Err(StoreError::LockedOut { .. })
    ));
}

#[test]
fn editing_the_vaults_lockout_counter_is_refused() {
    let f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    f.store.lock();
    lock_out(&data, me);
    edit_vault(&data, false, |body| {
        body["users"][0]["lockout"] = serde_json::json!({"failures": 0, "until": null});
        body["device_lockout"] = serde_json::json!({"failures": 0, "until": null});
    });
    match Store::unlock(&data, me, PIN) {
        Err(e @ StoreError::VaultChanged) => assert_eq!(e.code(), "vault_changed"),
        other => panic!("expected a changed vault, got {:?}", other.err()),
    }
    let screen = Store::lock_screen(&data);
    assert_eq!(
        screen.problem.map(|p| p.code),
        Some("vault_changed".to_owned())
    );
    // The recovery key rebuilds it; the alarm says so.
    let store = Store::recover(&data, &f.recovery_key, me, NEW_PIN).unwrap();
    assert_eq!(kinds(&store), [AlarmKind::VaultRebuilt]);
}

#[test]
fn putting_back_an_older_vault_does_not_reset_the_lockout() {
    let f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    f.store.lock();
    let old = f.dir.path().join("old");
    copy_files(&data, &old, &["vault.json"]);
    lock_out(&data, me);
    copy_files(&old, &data, &["vault.json"]);
    assert!(matches!(
        Store::unlock(&data, me, PIN),
        Err(StoreError::RolledBack { .. })
    ));
}

#[test]
fn weakened_argon2_parameters_are_refused() {
    let f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    f.store.lock();
    // Without the device secret the edit breaks the MAC ...
    edit_vault(&data, false, |body| {
        body["users"][0]["kdf"]["memory_kib"] = 1024.into()
    });
    assert!(matches!(
        Store::unlock(&data, me, PIN),
        Err(StoreError::VaultChanged)
    ));
    // ... and with it the floor still refuses parameters below OWASP's minimum.
    edit_vault(&data, true, |body| {
        body["users"][0]["kdf"]["memory_kib"] = 1024.into()
    });
    match Store::unlock(&data, me, PIN) {
        Err(StoreError::Damaged { detail }) => assert!(detail.contains("sleutelafleiding")),
        other => panic!("expected weak parameters refused, got {:?}", other.err()),
    }
    let weak = meldcode_store::KdfParams {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };
    let dir = tempfile::tempdir().unwrap();
    assert!(Store::init(
        &dir.path().join("data"),
        meldcode_engine::profile::SchoolProfile::mozaiek(),
        COORDINATOR,
        PIN,
        weak
    )
    .is_err());
}

#[test]
fn wrong_pins_across_colleagues_lock_the_device() {
    let mut f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    let mut others = Vec::new();
    for name in ["Bram de Vries", "Fatima El Amrani"] {
        others.push(
            f.store
                .add_user(Proof::Pin(PIN), name, Role::Teacher, NEW_PIN)
                .unwrap()
                .id,
        );
    }
    f.store.lock();
    // Four wrong PINs each for two users, and two for the third: none is locked on their own.
    for user in [others[0], others[1]] {
        for _ in 0..4 {
            assert!(matches!(
                Store::unlock(&data, user, "000001"),
                Err(StoreError::WrongPin { .. })
            ));
        }
    }
    for _ in 0..2 {
        assert!(matches!(
            Store::unlock(&data, me, "000001"),
            Err(StoreError::WrongPin { .. })
        ));
    }
    // The eleventh wrong PIN on this device starts a delay for everyone.
    assert!(matches!(
        Store::unlock(&data, me, "000001"),
        Err(StoreError::LockedOut { .. })
    ));
    assert!(matches!(
        Store::unlock(&data, me, PIN),
        Err(StoreError::LockedOut { .. })
    ));
}

#[test]
fn the_full_check_after_unlock_finds_an_edited_event_and_keeps_the_alarm() {
    let (f, data, me, _) = store_with_signals(3);
    // An event in the middle of the chain: the heads still match, only the full check sees it.
    f.store
        .connection()
        .execute_batch(
            "DROP TRIGGER events_are_never_updated;
             UPDATE events SET body = replace(body, 'Sanne', 'Sara') WHERE device_seq = 2;",
        )
        .unwrap();
    f.store.lock();
    let mut store = Store::unlock(&data, me, PIN).unwrap();
    assert!(
        store.alarms().is_empty(),
        "the quick check looks at the heads only"
    );
    let found = store.background_check().unwrap().run().unwrap();
    let alarm = found.expect("the full check finds the edit");
    assert_eq!(alarm.kind, AlarmKind::Changed);
    store.note_alarm(alarm);
    assert_eq!(kinds(&store), [AlarmKind::Changed]);
    store.lock();
    let store = Store::unlock(&data, me, PIN).unwrap();
    assert_eq!(kinds(&store), [AlarmKind::Changed], "kept in the vault");
}
