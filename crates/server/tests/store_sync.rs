//! Sync between real stores (engine, SQLCipher, vault, OS keyring) through the server over TLS
//! on 127.0.0.1: what the school log changes on one device reaches the others, and decisions
//! made apart become one conflict on every device. Run under `scripts/with-keyring.sh`.

#[path = "support/in_process.rs"]
mod in_process;
#[path = "support/postgres_cluster.rs"]
mod postgres_cluster;

use in_process::InProcess;
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::records::{Answer, ConflictResolution};
use meldcode_engine::testkit::{
    advice, assessment_2019, consultation_internal, conversation, decision, parent, pupil,
    signal_own,
};
use meldcode_engine::{CaseId, Command, Role};
use meldcode_store::sync::spool::Spool;
use meldcode_store::sync::SyncLine;
use meldcode_store::vault::RawVault;
use meldcode_store::{KdfParams, Proof, Store, StoreError};
use std::path::Path;

const FAST: KdfParams = KdfParams {
    memory_kib: 7_168,
    iterations: 5,
    parallelism: 1,
};
const PIN: &str = "482913";
const OTHER_PIN: &str = "739164";

fn keyring_session() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "run under scripts/with-keyring.sh: the stores keep their device secret in the Secret Service"
    );
}

/// The coordinator's store, enrolled as the school's first device.
fn first_device(server: &InProcess, dir: &Path) -> Store {
    let mut store = Store::init(dir, SchoolProfile::mozaiek(), "Anouk Jansen", PIN, FAST)
        .expect("init")
        .store;
    store
        .enroll(&server.url, &server.first_code().text())
        .expect("enrolled");
    store
}

/// A new device for `name`, added on `coordinator` with `role`.
fn joined(
    server: &InProcess,
    coordinator: &mut Store,
    dir: &Path,
    name: &str,
    role: Role,
) -> (Store, meldcode_engine::UserId) {
    let user = coordinator
        .add_user(Proof::Pin(PIN), name, role, OTHER_PIN)
        .expect("added");
    let code = coordinator.new_enrollment_code(user.id).expect("code");
    (
        Store::join(dir, &server.url, &code.text, OTHER_PIN, FAST).expect("joined"),
        user.id,
    )
}

/// The coordinator's first device (A) and a second coordinator's device (C).
fn two_coordinators(server: &InProcess, dir: &Path) -> (Store, Store) {
    let mut a = first_device(server, &dir.join("a"));
    let (c, _) = joined(
        server,
        &mut a,
        &dir.join("c"),
        "Carla Smit",
        Role::Coordinator,
    );
    (a, c)
}

fn kinds(store: &Store, case: CaseId) -> Vec<String> {
    store
        .case_view(case)
        .expect("view")
        .next_actions
        .into_iter()
        .map(|a| a.code)
        .collect()
}

#[test]
fn a_colleague_removed_on_one_device_loses_the_others_too() {
    keyring_session();
    let server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let mut a = first_device(&server, &tmp.path().join("a"));
    let (b, bea) = joined(
        &server,
        &mut a,
        &tmp.path().join("b"),
        "Bea Bakker",
        Role::Teacher,
    );
    drop(b);
    a.remove_user(Proof::Pin(PIN), bea).expect("removed");
    a.sync().expect("A syncs");
    let mut b = Store::unlock(&tmp.path().join("b"), bea, OTHER_PIN).expect("not yet known on B");
    b.sync().expect("B syncs");
    drop(b);
    assert!(matches!(
        Store::unlock(&tmp.path().join("b"), bea, OTHER_PIN),
        Err(StoreError::UnknownUser)
    ));
}

#[test]
fn decisions_made_apart_show_one_conflict_on_every_device_until_the_lead_resolves_it() {
    keyring_session();
    let server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut c) = two_coordinators(&server, tmp.path());
    let case = Store::new_case_id();
    a.record_all(
        case,
        &[
            Command::OpenCase {
                pupil: pupil(),
                parents: vec![parent()],
            },
            signal_own(),
            consultation_internal(),
            advice(),
            conversation(),
            assessment_2019(Answer::No, Some(true), Some(true)),
        ],
    )
    .expect("recorded on A");
    a.sync().expect("A syncs");
    c.sync().expect("C syncs");
    assert_eq!(c.case_view(case).expect("C has the case").events.len(), 6);

    // Both apart: A decides to report, C to organise help.
    let report = a.record(case, &decision(true, false)).expect("A decides")[0].id;
    c.record(case, &decision(false, true)).expect("C decides");
    a.sync().expect("A syncs");
    c.sync().expect("C syncs");
    a.sync().expect("A syncs again");

    let on_a = a.case_view(case).expect("view");
    let on_c = c.case_view(case).expect("view");
    let ids = |v: &meldcode_store::CaseView| {
        let mut ids: Vec<_> = v.events.iter().map(|e| e.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&on_a), ids(&on_c), "both devices hold the same records");
    assert_eq!(
        on_a.events
            .iter()
            .filter(|e| e.payload.kind() == "decision_recorded")
            .count(),
        2
    );
    assert!(kinds(&a, case).contains(&"resolve_conflict".to_owned()));
    assert!(kinds(&c, case).contains(&"resolve_conflict".to_owned()));
    assert!(matches!(
        a.record(case, &decision(true, false)),
        Err(StoreError::Rule(v)) if v.code == "conflict_open"
    ));

    let records: Vec<_> = on_a
        .events
        .iter()
        .filter(|e| e.payload.kind() == "decision_recorded")
        .map(|e| e.id)
        .collect();
    a.record(
        case,
        &Command::ResolveConflict(ConflictResolution {
            records,
            kept: report,
            reasoning: "Na overleg met de directie: melden bij Veilig Thuis.".into(),
        }),
    )
    .expect("resolved on A");
    a.sync().expect("A syncs");
    c.sync().expect("C syncs");
    assert!(!kinds(&c, case).contains(&"resolve_conflict".to_owned()));
    assert!(!kinds(&a, case).contains(&"resolve_conflict".to_owned()));
    assert!(c.verify().is_ok() && a.verify().is_ok());
}

fn open_case(store: &mut Store) -> CaseId {
    let case = Store::new_case_id();
    store
        .record_all(
            case,
            &[
                Command::OpenCase {
                    pupil: pupil(),
                    parents: vec![parent()],
                },
                signal_own(),
            ],
        )
        .expect("recorded");
    case
}

#[test]
fn records_made_without_the_server_wait_and_go_out_when_it_is_back() {
    keyring_session();
    let mut server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let mut a = first_device(&server, &tmp.path().join("a"));
    let (mut c, _) = joined(
        &server,
        &mut a,
        &tmp.path().join("c"),
        "Carla Smit",
        Role::Coordinator,
    );
    server.go_offline();
    let case = open_case(&mut a);
    assert!(matches!(
        a.sync(),
        Err(StoreError::ServerUnreachable { .. })
    ));
    let status = a.sync_status().expect("status");
    assert!(
        matches!(status.line, SyncLine::Offline { waiting: 2, .. }),
        "{:?}",
        status.line
    );
    assert!(status.offline_since.is_some());
    assert_eq!(a.case_view(case).expect("saved").events.len(), 2);

    server.come_back();
    let report = a.sync().expect("back");
    assert_eq!(report.sent, 2);
    let status = a.sync_status().expect("status");
    assert!(
        matches!(status.line, SyncLine::Current { .. }),
        "{:?}",
        status.line
    );
    assert_eq!((status.waiting, status.offline_since), (0, None));
    c.sync().expect("C syncs");
    assert_eq!(c.case_view(case).expect("on C").events.len(), 2);
}

#[test]
fn a_locked_device_sends_and_receives_through_its_spool_and_takes_in_at_unlock() {
    keyring_session();
    let server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let a_dir = tmp.path().join("a");
    let mut a = first_device(&server, &a_dir);
    let (mut c, _) = joined(
        &server,
        &mut a,
        &tmp.path().join("c"),
        "Carla Smit",
        Role::Coordinator,
    );
    let anouk = a.user().id;
    let case = open_case(&mut a);
    assert_eq!(a.hand_over().expect("handed over"), 2);
    drop(a); // locked: no key of the dossier in memory from here

    let mut spool = Spool::open_locked(&a_dir)
        .expect("spool")
        .expect("enrolled");
    assert_eq!(spool.round().expect("round while locked").sent, 2);
    c.sync().expect("C syncs");
    c.record(case, &consultation_internal()).expect("C records");
    c.sync().expect("C syncs");
    assert_eq!(spool.round().expect("round while locked").received, 1);

    let mut a = Store::unlock(&a_dir, anouk, PIN).expect("unlocked");
    assert_eq!(a.case_view(case).expect("view").events.len(), 2);
    assert_eq!(a.take_received().expect("taken in"), 1);
    assert_eq!(a.case_view(case).expect("view").events.len(), 3);
    assert_eq!(a.take_received().expect("nothing twice"), 0);
    assert!(a.verify().is_ok());
}

#[test]
fn a_revoked_device_hears_it_at_its_next_contact_and_wipes_itself() {
    keyring_session();
    let server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let b_dir = tmp.path().join("b");
    let mut a = first_device(&server, &tmp.path().join("a"));
    let (mut b, bea) = joined(&server, &mut a, &b_dir, "Bea Bakker", Role::Teacher);
    let b_id = b.device_id();
    open_case(&mut b);
    b.sync().expect("B syncs");
    assert!(matches!(b.devices(), Err(StoreError::NotAllowed { .. })));

    let devices = a.devices().expect("listed");
    assert_eq!(devices.len(), 2);
    let on_b = devices.iter().find(|d| d.device_id == b_id).expect("B");
    assert!(!on_b.this_device && on_b.last_seen.is_some() && on_b.revoked_at.is_none());
    assert_eq!(on_b.users.len(), 1);
    assert_eq!(on_b.users[0].user_id, bea);
    assert_eq!(on_b.users[0].full_name.as_deref(), Some("Bea Bakker"));
    assert!(devices.iter().any(|d| d.this_device && d.coordinator));

    assert!(
        a.revoke_device("000000", b_id).is_err(),
        "the own PIN again"
    );
    assert!(a.revoke_device(PIN, a.device_id()).is_err(), "not itself");
    a.revoke_device(PIN, b_id).expect("revoked");
    let devices = a.devices().expect("listed");
    assert!(devices
        .iter()
        .any(|d| d.device_id == b_id && d.revoked_at.is_some()));

    assert!(
        matches!(b.sync(), Err(StoreError::Server(e)) if e.code == meldcode_sync::ErrorCode::Revoked)
    );
    assert!(b.sync_status().expect("status").revoked);
    drop(b);
    Store::wipe(&b_dir).expect("wiped");
    assert!(!b_dir.exists(), "nothing of Meldcode left in the folder");
    assert!(!Store::exists(&b_dir));
    assert!(Store::unlock(&b_dir, bea, OTHER_PIN).is_err());
    // A goes on.
    a.sync().expect("A syncs");
}

#[test]
fn a_device_out_of_contact_past_the_schools_limit_opens_after_the_recovery_key_only() {
    keyring_session();
    let server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let mut profile = SchoolProfile::mozaiek();
    profile.contact_limit_days = 14;
    let made =
        Store::init(&tmp.path().join("a"), profile, "Anouk Jansen", PIN, FAST).expect("init");
    let recovery_key = made.recovery_key.clone();
    let mut a = made.store;
    a.enroll(&server.url, &server.first_code().text())
        .expect("enrolled");
    let b_dir = tmp.path().join("b");
    let (b, bea) = joined(&server, &mut a, &b_dir, "Bea Bakker", Role::Teacher);
    drop(b);
    let spool = || {
        Spool::open_locked(&b_dir)
            .expect("spool")
            .expect("enrolled")
    };

    // Within the school's limit (14 days, from the profile the code carried): the PIN opens.
    spool().backdate_contact(13).expect("backdated");
    assert!(!spool().status(0).expect("status").contact_overdue);
    drop(Store::unlock(&b_dir, bea, OTHER_PIN).expect("13 days: the PIN opens"));

    // Past it: the right PIN is refused, and not counted as a wrong one.
    spool().backdate_contact(15).expect("backdated");
    assert!(spool().status(0).expect("status").contact_overdue);
    for _ in 0..6 {
        assert!(matches!(
            Store::unlock(&b_dir, bea, OTHER_PIN),
            Err(StoreError::ContactOverdue { limit_days: 14, .. })
        ));
    }
    // A clock set back before the last contact does not hide the days away.
    spool().backdate_contact(-3).expect("in the future");
    assert!(matches!(
        Store::unlock(&b_dir, bea, OTHER_PIN),
        Err(StoreError::ContactOverdue { .. })
    ));
    spool().backdate_contact(15).expect("backdated");

    // The recovery key from the school's safe releases the device; a wrong one does not.
    let other = Store::init(
        &tmp.path().join("elsewhere"),
        SchoolProfile::mozaiek(),
        "Anouk Jansen",
        PIN,
        FAST,
    )
    .expect("another school")
    .recovery_key;
    assert!(matches!(
        Store::release_with_recovery_key(&b_dir, &other),
        Err(StoreError::WrongRecoveryKey)
    ));
    assert!(Store::release_with_recovery_key(&b_dir, "not a key").is_err());
    assert!(Store::unlock(&b_dir, bea, OTHER_PIN).is_err());
    Store::release_with_recovery_key(&b_dir, &recovery_key).expect("released");
    assert!(!spool().status(0).expect("status").contact_overdue);
    let mut b = Store::unlock(&b_dir, bea, OTHER_PIN).expect("the PIN opens again");
    b.sync().expect("contact again");
    let status = b.sync_status().expect("status");
    assert!(!status.contact_overdue);
    assert!(status
        .last_contact
        .is_some_and(|at| chrono::Utc::now() - at < chrono::Duration::minutes(5)));
}

const NEW_PIN: &str = "615283";

#[test]
fn a_teachers_pin_is_one_for_all_her_devices_and_a_change_reaches_a_locked_one() {
    keyring_session();
    let server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let (a_dir, b_dir, c_dir) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let mut a = first_device(&server, &a_dir);
    // Added on the coordinator's device with a first PIN she must change; enrolled on B with it.
    let (mut b, bea) = joined(&server, &mut a, &b_dir, "Bea Bakker", Role::Teacher);
    assert!(b.must_change_pin(), "the first PIN is the coordinator's");
    // Not on A's lock screen: she works on the devices she is assigned to.
    assert!(!Store::lock_screen_users(&a_dir)
        .expect("list")
        .iter()
        .any(|u| u.id == bea));

    // The coordinator's shared tablet C, enrolled for another colleague; Bea assigned to it.
    let (mut c, _) = joined(&server, &mut a, &c_dir, "Carla Smit", Role::Teacher);
    let c_id = c.device_id();
    assert!(
        a.assign_user(Proof::Pin("000000"), bea, c_id).is_err(),
        "the own PIN again"
    );
    assert!(matches!(
        b.assign_user(Proof::Pin(OTHER_PIN), bea, c_id),
        Err(StoreError::Rule(_))
    ));
    a.assign_user(Proof::Pin(PIN), bea, c_id).expect("assigned");
    a.sync().expect("A syncs");
    let on_c = a.devices().expect("listed");
    let on_c = on_c.iter().find(|d| d.device_id == c_id).expect("C");
    assert!(on_c.users.iter().any(|u| u.user_id == bea));
    // C takes her in at its next unlocked round: then she is on its lock screen.
    c.sync().expect("C syncs");
    drop(c);
    let listed = Store::lock_screen_users(&c_dir).expect("list");
    assert!(listed
        .iter()
        .any(|u| u.id == bea && u.display_name == "Bea Bakker"));
    let on_c = Store::unlock(&c_dir, bea, OTHER_PIN).expect("her first PIN opens C");
    assert!(on_c.must_change_pin());
    drop(on_c);

    // She changes it on B, once for all; C hears it while locked.
    b.change_pin(OTHER_PIN, NEW_PIN).expect("changed");
    assert!(!b.must_change_pin());
    b.sync().expect("B syncs");
    // What the server holds of her PIN is ciphertext under a key it never had: neither the
    // salt nor the wrapped secret key that a PIN guess would be tried against is in it.
    let held = server
        .state
        .storage
        .read(|tx| tx.pins_of(&[bea]))
        .expect("read");
    let vault = RawVault::read(&b_dir.join("vault.json"))
        .expect("vault")
        .unverified()
        .expect("parsed");
    let mine = vault.user(bea).expect("on B");
    let wrapped = &mine.keypair.as_ref().expect("key pair").sealed_secret;
    let holds = |needle: &[u8]| held[0].sealed.windows(needle.len()).any(|w| w == needle);
    assert!(!holds(&mine.salt) && !holds(&wrapped.ciphertext) && !holds(&wrapped.nonce));
    let mut spool = Spool::open_locked(&c_dir)
        .expect("spool")
        .expect("enrolled");
    spool.round().expect("a round while locked");
    drop(spool);
    assert!(matches!(
        Store::unlock(&c_dir, bea, OTHER_PIN),
        Err(StoreError::WrongPin { .. })
    ));
    let on_c = Store::unlock(&c_dir, bea, NEW_PIN).expect("the new PIN opens C");
    assert!(!on_c.must_change_pin(), "changed once, for every device");
    drop(on_c);
    // And B still opens with it after a restart.
    drop(b);
    let b = Store::unlock(&b_dir, bea, NEW_PIN).expect("B");
    drop(b);

    // A new PIN set by the coordinator (a forgotten PIN) reaches her devices too: B takes the
    // new key pair at its next unlocked round; she changes the PIN at first use.
    a.reset_pin(Proof::Pin(PIN), bea, OTHER_PIN).expect("reset");
    a.sync().expect("A syncs");
    let mut b = Store::unlock(&b_dir, bea, NEW_PIN).expect("the old PIN until B hears it");
    b.sync().expect("B syncs");
    drop(b);
    assert!(Store::unlock(&b_dir, bea, NEW_PIN).is_err());
    let b = Store::unlock(&b_dir, bea, OTHER_PIN).expect("the reset PIN");
    assert!(b.must_change_pin());
}

#[test]
fn the_first_devices_own_pins_become_school_pins_at_unlock_and_a_second_device_takes_them() {
    keyring_session();
    let server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let (a_dir, d_dir) = (tmp.path().join("a"), tmp.path().join("d"));
    let a = first_device(&server, &a_dir);
    let anouk = a.user().id;
    drop(a);
    // Her PIN was of this device only; at the first unlock after enrolling it becomes hers
    // for the school.
    let mut a = Store::unlock(&a_dir, anouk, PIN).expect("unlocked");
    a.sync().expect("A syncs");
    let code = a.new_enrollment_code(anouk).expect("code");
    // Her laptop: the PIN typed at joining is not hers, so it is set up and she unlocks it
    // with the one she has.
    assert!(matches!(
        Store::join(&d_dir, &server.url, &code.text, NEW_PIN, FAST),
        Err(StoreError::JoinedUseOtherPin)
    ));
    assert!(Store::unlock(&d_dir, anouk, NEW_PIN).is_err());
    let mut d = Store::unlock(&d_dir, anouk, PIN).expect("her PIN opens the laptop");
    assert!(!d.must_change_pin());
    d.change_pin(PIN, NEW_PIN).expect("changed");
    d.sync().expect("D syncs");
    drop(d);
    a.sync().expect("A syncs");
    drop(a);
    assert!(Store::unlock(&a_dir, anouk, PIN).is_err());
    let a = Store::unlock(&a_dir, anouk, NEW_PIN).expect("the new PIN on A");
    assert!(a.verify().is_ok());
}

#[test]
fn a_colleague_taken_off_a_device_no_longer_opens_it_nor_receives_her_new_cases_there() {
    // Whether the device holds the case at all, whoever may read it there.
    let holds = |store: &Store, case: CaseId| {
        let n: i64 = store
            .connection()
            .query_row(
                "SELECT count(*) FROM events WHERE case_id = ?1",
                [case.to_string()],
                |r| r.get(0),
            )
            .expect("count");
        n > 0
    };
    keyring_session();
    let server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let (b_dir, c_dir) = (tmp.path().join("b"), tmp.path().join("c"));
    let mut a = first_device(&server, &tmp.path().join("a"));
    let (mut b, bea) = joined(&server, &mut a, &b_dir, "Bea Bakker", Role::Teacher);
    let (mut c, carla) = joined(&server, &mut a, &c_dir, "Carla Smit", Role::Teacher);
    let (b_id, c_id) = (b.device_id(), c.device_id());
    a.assign_user(Proof::Pin(PIN), bea, c_id).expect("assigned");
    a.sync().expect("A syncs");
    c.sync().expect("C takes her in");
    let on_c = |dir: &Path| {
        Store::lock_screen_users(dir)
            .expect("list")
            .iter()
            .any(|u| u.id == bea)
    };
    assert!(on_c(&c_dir));
    let case = open_case(&mut b);
    b.sync().expect("B syncs");
    c.sync().expect("C syncs");
    assert!(
        holds(&c, case),
        "received for Bea, though Carla's list does not show it"
    );

    assert!(
        matches!(
            a.unassign_user(Proof::Pin(PIN), bea, b_id),
            Err(StoreError::Invalid { .. })
        ),
        "B's last user: the device is revoked instead"
    );
    assert!(
        a.unassign_user(Proof::Pin(PIN), carla, b_id).is_err(),
        "not on B"
    );
    a.unassign_user(Proof::Pin(PIN), bea, c_id)
        .expect("taken off C");
    a.sync().expect("A syncs");
    let listed = a.devices().expect("listed");
    let c_users = &listed
        .iter()
        .find(|d| d.device_id == c_id)
        .expect("C")
        .users;
    assert!(c_users.iter().all(|u| u.user_id != bea));

    // C hears it at its next round: her envelope goes, with a new database key.
    c.sync().expect("C syncs");
    let second = open_case(&mut b);
    b.sync().expect("B syncs");
    c.sync().expect("C syncs");
    assert!(holds(&c, case), "what it had, it keeps");
    assert!(!holds(&c, second), "nothing new of hers");
    drop(c);
    assert!(!on_c(&c_dir));
    assert!(matches!(
        Store::unlock(&c_dir, bea, OTHER_PIN),
        Err(StoreError::UnknownUser)
    ));
    assert!(Store::unlock(&c_dir, carla, OTHER_PIN).is_ok());
}

#[test]
fn a_destroyed_case_is_erased_on_every_device_and_the_sqlite_server() {
    let server = InProcess::start(None);
    let files = || {
        ["meldcode-server.sqlite", "meldcode-server.sqlite-wal"]
            .iter()
            .map(|f| server.data_dir().join(f))
            .filter(|p| p.exists())
            .collect()
    };
    destroyed_everywhere(&server, &files);
}

#[test]
fn a_destroyed_case_is_erased_on_every_device_and_the_postgresql_server() {
    let cluster = postgres_cluster::TempCluster::start();
    let server = InProcess::start(Some(&cluster.create_database("destruction")));
    // Written to the table files first, so that what is there can be looked for.
    let files = || {
        cluster.checkpoint();
        cluster.table_files()
    };
    destroyed_everywhere(&server, &files);
}

/// A case on `store`, closed, whose pupil left three years ago: due for destruction (kept two
/// years by default). Four records.
fn past_retention(store: &mut Store) -> CaseId {
    let case = open_case(store);
    let left_on = chrono::Utc::now()
        .date_naive()
        .checked_sub_months(chrono::Months::new(36))
        .expect("a day");
    store
        .record_all(
            case,
            &[
                meldcode_engine::testkit::close(meldcode_engine::records::CaseOutcome::Unfounded),
                Command::RecordPupilLeft(meldcode_engine::records::PupilLeftInput {
                    left_on,
                    note: None,
                }),
            ],
        )
        .expect("closed, the pupil left");
    case
}

/// Sets the retention period in `store`'s own copy of the school profile and opens it again.
fn with_retention(store: Store, dir: &Path, years: u32) -> Store {
    let user = store.user().id;
    let conn = store.connection();
    let json: String = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'school_profile'",
            [],
            |r| r.get(0),
        )
        .expect("profile");
    let mut profile: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    profile["retention_years"] = years.into();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'school_profile'",
        [profile.to_string()],
    )
    .expect("profile changed");
    drop(store);
    Store::unlock(dir, user, OTHER_PIN).expect("opens again")
}

#[test]
fn a_tombstone_waits_where_the_case_is_not_yet_due_and_applies_once_it_is() {
    keyring_session();
    let server = InProcess::start(None);
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, c) = two_coordinators(&server, tmp.path());
    let case = past_retention(&mut a);
    a.sync().expect("A syncs");
    // On C the case is kept five years after leaving (as if its clock were two years behind A's).
    let c_dir = tmp.path().join("c");
    let mut c = with_retention(c, &c_dir, 5);
    c.sync().expect("C syncs");
    a.destroy_case(Proof::Pin(PIN), case, "Bewaartermijn verstreken.")
        .expect("destroyed on A");
    a.sync().expect("A sends the tombstone");
    c.sync().expect("C receives it");
    assert!(c.case_view(case).is_ok(), "not due on C: kept");
    assert_eq!(c.verify().expect("verifies").destroyed, 0);
    c.sync().expect("C syncs again");
    assert!(c.case_view(case).is_ok(), "still kept");
    // Once due on C too, the tombstone in C's log applies at the next round.
    let mut c = with_retention(c, &c_dir, 2);
    c.sync().expect("C syncs");
    assert_eq!(
        c.case_view(case).map(|_| ()).expect_err("gone").code(),
        "not_found"
    );
    assert!(c.list_cases(None).expect("list").is_empty());
    assert_eq!(c.verify().expect("verifies").destroyed, 4);
}

/// What the server holds of `case` that is its text, sealed: each event's payload as stored
/// (base64 in the event's JSON), and its wrapped key.
fn sealed_text_of(server: &InProcess, case: CaseId) -> Vec<Vec<u8>> {
    server
        .state
        .storage
        .read(|tx| {
            let mut found = Vec::new();
            for e in tx.events_of_case(case, u64::MAX)? {
                let json: serde_json::Value = serde_json::from_str(&e.sealed).expect("JSON");
                if let Some(payload) = json["payload"].as_str() {
                    found.push(payload.as_bytes().to_vec());
                }
            }
            found.extend(tx.case(case)?.and_then(|row| row.wrapped_key));
            Ok(found)
        })
        .expect("reads the server")
}

fn found_in(files: &[std::path::PathBuf], needle: &[u8]) -> Option<String> {
    files.iter().find_map(|f| {
        let bytes = std::fs::read(f).unwrap_or_default();
        bytes
            .windows(needle.len())
            .any(|w| w == needle)
            .then(|| f.display().to_string())
    })
}

/// A destroys a case; A, C and the server keep nothing of it but the tombstone and each
/// record's place in its chain, and a device that joins later gets nothing of it.
fn destroyed_everywhere(server: &InProcess, files: &dyn Fn() -> Vec<std::path::PathBuf>) {
    keyring_session();
    let tmp = tempfile::tempdir().expect("tmp");
    let (mut a, mut c) = two_coordinators(server, tmp.path());
    let case = past_retention(&mut a);
    a.sync().expect("A syncs");
    c.sync().expect("C syncs");
    assert_eq!(c.case_view(case).expect("C has the case").events.len(), 4);
    let sealed = sealed_text_of(server, case);
    assert_eq!(sealed.len(), 5, "four payloads and the wrapped key");
    let before = files();
    for text in &sealed {
        assert!(
            found_in(&before, text).is_some(),
            "the server's files hold the case before"
        );
    }

    a.destroy_case(Proof::Pin(PIN), case, "Bewaartermijn verstreken.")
        .expect("destroyed on A");
    a.sync().expect("A sends the tombstone");
    c.sync().expect("C receives it");
    for (name, store) in [("A", &a), ("C", &c)] {
        assert_eq!(
            store.case_view(case).map(|_| ()).expect_err("gone").code(),
            "not_found",
            "{name} still has the case"
        );
        let report = store.verify().expect("every chain verifies");
        assert_eq!(report.destroyed, 4, "{name}");
    }
    assert!(c.list_cases(None).expect("list").is_empty());
    // Nothing of its text is left in what C's database holds, decrypted (its sealed copies are
    // ciphertext whose key is gone).
    let plain = tmp.path().join("c-plain.db");
    let conn = c.connection();
    conn.execute(
        "ATTACH DATABASE ?1 AS plaintext KEY ''",
        [plain.to_str().expect("utf-8 path")],
    )
    .expect("attach");
    conn.query_row("SELECT sqlcipher_export('plaintext')", [], |_| Ok(()))
        .expect("export");
    conn.execute("DETACH DATABASE plaintext", [])
        .expect("detach");
    let bytes = std::fs::read(&plain).expect("plaintext copy");
    for needle in [pupil().full_name.as_str(), "Blauwe plek"] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "C still holds {needle}"
        );
    }
    // Another round brings nothing of it back.
    c.sync().expect("C syncs again");
    assert!(c.case_view(case).is_err());

    // The server holds the records' places (header and hashes) and the tombstone, no payload
    // and no key, in no file of its database.
    assert!(sealed_text_of(server, case).is_empty());
    let (stored, counts) = server
        .state
        .storage
        .read(|tx| Ok((tx.events_of_case(case, u64::MAX)?.len(), tx.counts()?)))
        .expect("reads the server");
    assert_eq!((stored, counts.destroyed), (4, 1));
    let after = files();
    for text in &sealed {
        assert_eq!(
            found_in(&after, text),
            None,
            "the server's files still hold it"
        );
    }

    // A device that joins afterwards receives the places without payload, and the tombstone.
    let (d, _) = joined(
        server,
        &mut a,
        &tmp.path().join("d"),
        "Daan de Vries",
        Role::Coordinator,
    );
    let mut d = d;
    d.sync().expect("D syncs");
    assert!(d.case_view(case).is_err());
    assert!(d.list_cases(None).expect("list").is_empty());
    d.verify().expect("D's chains verify");
}
