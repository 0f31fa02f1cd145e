//! A removed user, or the old PIN after a reset, with an old copy of the vault: the database key
//! has changed, so what they kept opens nothing. Everyone else, and the recovery key, still open it.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use common::*;
use meldcode_engine::{Role, UserId};
use meldcode_store::store::backup::{BackupManifest, BACKUP_MANIFEST};
use meldcode_store::vault::{keys, RawVault};
use meldcode_store::{db, keyring, Proof, Store, StoreError};
use std::path::Path;

const TEACHER_PIN: &str = "730461";

/// What someone with an old copy of the vault, the device secret and a PIN gets: the database
/// keys that PIN unwraps from that copy.
fn keys_from_old_vault(
    vault_copy: &Path,
    user: UserId,
    pin: &str,
) -> Vec<meldcode_store::crypto::Key> {
    let raw = RawVault::read(vault_copy).unwrap();
    let entry = keyring::load_device_entry(raw.device_id()).unwrap();
    let vault = raw.unverified().unwrap();
    let envelope = vault.user(user).unwrap();
    let secrets = keys::PinSecrets {
        device_secret: &entry.secret,
        pin_key: None,
    };
    keys::open_envelope(envelope, pin, &secrets, vault.key_generation)
        .unwrap()
        .expect("the old PIN opens the old copy")
        .into_iter()
        .map(|(_, k)| k)
        .collect()
}

fn opens(data: &Path, keys: &[meldcode_store::crypto::Key]) -> bool {
    keys.iter()
        .any(|k| db::open(&data.join("meldcode.db"), k, false).is_ok())
}

#[test]
fn a_removed_users_pin_and_an_old_vault_no_longer_open_the_database() {
    let mut f = fresh();
    let data = f.data();
    let teacher = f
        .store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, TEACHER_PIN)
        .unwrap();
    case_with_signal(&mut f.store);
    let old_vault = f.dir.path().join("old-vault.json");
    std::fs::copy(data.join("vault.json"), &old_vault).unwrap();
    let stolen = keys_from_old_vault(&old_vault, teacher.id, TEACHER_PIN);
    assert!(
        opens(&data, &stolen),
        "before the removal the old copy works"
    );
    f.store.remove_user(Proof::Pin(PIN), teacher.id).unwrap();
    assert!(!opens(&data, &stolen), "after the removal it does not");
    // The coordinator and the recovery key still open the store, with everything in it.
    let me = f.store.user().id;
    f.store.lock();
    let store = Store::unlock(&data, me, PIN).unwrap();
    // Added, the case and its signal, removed.
    assert_eq!(store.verify().unwrap().events, 4);
    store.lock();
    let recovered = Store::recover(&data, &f.recovery_key, me, "604918").unwrap();
    assert_eq!(recovered.list_cases(None).unwrap().len(), 1);
}

#[test]
fn a_reset_pin_changes_the_key_and_the_new_pin_opens() {
    let mut f = fresh();
    let data = f.data();
    let teacher = f
        .store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, TEACHER_PIN)
        .unwrap();
    let old_vault = f.dir.path().join("old-vault.json");
    std::fs::copy(data.join("vault.json"), &old_vault).unwrap();
    f.store
        .reset_pin(Proof::Pin(PIN), teacher.id, "906142")
        .unwrap();
    let stolen = keys_from_old_vault(&old_vault, teacher.id, TEACHER_PIN);
    assert!(!opens(&data, &stolen));
    f.store.lock();
    let mut store = Store::unlock(&data, teacher.id, "906142").unwrap();
    assert!(store.must_change_pin());
    store.change_pin("906142", "735142").unwrap();
    store.lock();
    assert!(matches!(
        Store::unlock(&data, teacher.id, TEACHER_PIN),
        Err(StoreError::WrongPin { .. })
    ));
}

#[test]
fn a_backup_says_which_key_generation_it_holds() {
    let mut f = fresh();
    let teacher = f
        .store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, TEACHER_PIN)
        .unwrap();
    let before = f.dir.path().join("before");
    f.store.backup(&before).unwrap();
    f.store.remove_user(Proof::Pin(PIN), teacher.id).unwrap();
    let after = f.dir.path().join("after");
    f.store.backup(&after).unwrap();
    let generation = |dir: &Path| -> u32 {
        let text = std::fs::read_to_string(dir.join(BACKUP_MANIFEST)).unwrap();
        serde_json::from_str::<BackupManifest>(&text)
            .unwrap()
            .key_generation
    };
    assert_eq!(generation(&before), 1);
    assert_eq!(generation(&after), 2);
}
