//! Users' PIN packages and the devices users are assigned to. The storage's part and the
//! rules of `meldcode_server::pins` run against both backends (SQLite in a temporary folder,
//! PostgreSQL in a temporary cluster, one database per test); the endpoint, `hello` and the
//! school log's `Assigned` and tombstones run over TLS on 127.0.0.1, against both backends too. Each check is
//! written once; `both!` runs it as `sqlite::<name>` and `postgresql::<name>`.

#[path = "support/backend.rs"]
mod backend;
#[path = "support/in_process.rs"]
mod in_process;
#[path = "support/postgres_cluster.rs"]
mod postgres_cluster;

use backend::Backend;
use in_process::{InProcess, RawDevice};
use meldcode_engine::access::Audience;
use meldcode_engine::school_log::SCHOOL_LOG;
use meldcode_engine::{Actor, CaseId, DeviceId, Role, UserId};
use meldcode_server::storage::{DeviceRecord, Storage, StorageError, Tx};
use meldcode_store::StoreError;
use meldcode_sync::api::{
    Hello, NewCode, PinReceipt, PinUpload, PullPage, SealedPin, Upload, MAX_PINS, MAX_PIN_BYTES,
};
use meldcode_sync::enroll::{verifier, EnrollmentCode, RANDOM_LEN};
use meldcode_sync::ingest::ChainTip;
use meldcode_sync::keys::WrappedCaseKey;
use meldcode_sync::receive::DirectoryChange;
use meldcode_sync::testing::{chain_of, device};
use meldcode_sync::{ErrorCode, Hash, SealedEvent, SyncError};

/// `storage:` checks take the storage; `server:` checks take the database URL (`None`:
/// SQLite) of a server started in this process.
macro_rules! both {
    (storage: $($s:ident),* $(,)?; server: $($h:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $s() { super::$s(&super::Backend::sqlite().open()); })*
            $(#[test] fn $h() { super::$h(None); })*
        }
        mod postgresql {
            $(#[test] fn $s() { let b = super::Backend::postgresql("pins"); super::$s(&b.open()); })*
            $(#[test] fn $h() { let b = super::Backend::postgresql("pins"); super::$h(b.url.as_deref()); })*
        }
    };
}

both! {
    storage:
        a_pin_is_kept_only_when_its_version_is_newer,
        removing_a_user_drops_their_pin,
        a_device_stores_pins_of_its_own_users_and_a_coordinators_device_of_anyone,
        an_upload_with_one_refused_pin_stores_none,
        uploads_over_the_limits_are_refused;
    server:
        the_endpoint_answers_a_receipt_and_refuses_with_codes,
        hello_hands_a_device_the_pins_of_its_own_users_only,
        an_assignment_by_a_coordinators_device_opens_the_users_cases_to_the_device,
        an_assignment_from_a_teachers_device_is_not_applied,
        only_the_case_leads_tombstone_erases_the_cases_payloads_and_key,
}

// ---------------------------------------------------------------------------------------
// Helpers

const COORDINATOR: UserId = UserId::from_u128(1);
const TEACHER: UserId = UserId::from_u128(2);
const OTHER_TEACHER: UserId = UserId::from_u128(3);
/// A user the school does not have.
const STRANGER: UserId = UserId::from_u128(9);
const CASE: CaseId = CaseId::from_u128(0xca5e);

fn pin(user: UserId, version: u32, byte: u8) -> SealedPin {
    SealedPin {
        user_id: user,
        version,
        sealed: vec![byte; 48],
    }
}

fn pins(list: &[SealedPin]) -> PinUpload {
    PinUpload {
        pins: list.to_vec(),
    }
}

fn write<R>(s: &Storage, f: impl FnOnce(&mut dyn Tx) -> Result<R, StorageError>) -> R {
    s.write(f).expect("writes")
}

fn read<R>(s: &Storage, f: impl FnOnce(&mut dyn Tx) -> Result<R, StorageError>) -> R {
    s.read(f).expect("reads")
}

fn held(s: &Storage, users: &[UserId]) -> Vec<SealedPin> {
    read(s, |tx| tx.pins_of(users))
}

fn device_record(n: u128, coordinator: bool) -> DeviceRecord {
    DeviceRecord {
        device_id: DeviceId::from_u128(n),
        certificate: Hash::of(format!("certificate {n}").as_bytes()),
        public_key: vec![7; 32],
        coordinator,
        enrolled_at: 1,
        last_seen: None,
        revoked_at: None,
    }
}

/// The school of these tests: a coordinator and two teachers; the first teacher works on the
/// device `teachers_device`.
fn school(s: &Storage, teachers_device: DeviceId) {
    write(s, |tx| {
        tx.set_role(COORDINATOR, Role::Coordinator)?;
        tx.set_role(TEACHER, Role::Teacher)?;
        tx.set_role(OTHER_TEACHER, Role::Teacher)?;
        tx.assign(teachers_device, TEACHER)
    });
}

fn refusal<T: std::fmt::Debug>(result: Result<T, SyncError>) -> ErrorCode {
    match result {
        Err(e) => {
            assert!(!e.message.is_empty(), "a refusal says why");
            e.code
        }
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

fn code_of<T: std::fmt::Debug>(result: Result<T, StoreError>) -> ErrorCode {
    match result {
        Err(StoreError::Server(e)) => refusal::<T>(Err(e)),
        other => panic!("expected a refusal from the server, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Storage and rules

fn a_pin_is_kept_only_when_its_version_is_newer(s: &Storage) {
    assert!(held(s, &[TEACHER]).is_empty());
    assert!(write(s, |tx| tx.put_pin(&pin(TEACHER, 2, 2))));
    // An older version, and the same version with other bytes, change nothing.
    assert!(!write(s, |tx| tx.put_pin(&pin(TEACHER, 1, 1))));
    assert!(!write(s, |tx| tx.put_pin(&pin(TEACHER, 2, 9))));
    assert_eq!(held(s, &[TEACHER]), vec![pin(TEACHER, 2, 2)]);
    assert!(write(s, |tx| tx.put_pin(&pin(TEACHER, 3, 3))));
    assert!(write(s, |tx| tx.put_pin(&pin(COORDINATOR, 1, 1))));
    // The largest version there is.
    assert!(write(s, |tx| tx.put_pin(&pin(OTHER_TEACHER, u32::MAX, 4))));
    // In the order asked, without users who have none.
    assert_eq!(
        held(s, &[TEACHER, STRANGER, COORDINATOR, OTHER_TEACHER]),
        vec![
            pin(TEACHER, 3, 3),
            pin(COORDINATOR, 1, 1),
            pin(OTHER_TEACHER, u32::MAX, 4)
        ]
    );
    assert_eq!(held(s, &[]), Vec::new());
}

fn removing_a_user_drops_their_pin(s: &Storage) {
    let tablet = DeviceId::from_u128(5);
    school(s, tablet);
    write(s, |tx| {
        tx.put_pin(&pin(TEACHER, 1, 1))?;
        tx.put_pin(&pin(OTHER_TEACHER, 1, 2))
    });
    write(s, |tx| tx.remove_user(TEACHER));
    assert_eq!(
        held(s, &[TEACHER, OTHER_TEACHER]),
        vec![pin(OTHER_TEACHER, 1, 2)]
    );
    let dir = read(s, |tx| tx.directory());
    assert!(dir.users_on(tablet).is_empty());
    // Back at the school later: a new package starts again from any version.
    write(s, |tx| tx.set_role(TEACHER, Role::Teacher));
    assert!(write(s, |tx| tx.put_pin(&pin(TEACHER, 1, 5))));
    assert_eq!(held(s, &[TEACHER]), vec![pin(TEACHER, 1, 5)]);
}

fn a_device_stores_pins_of_its_own_users_and_a_coordinators_device_of_anyone(s: &Storage) {
    let teachers = device_record(5, false);
    let coordinators = device_record(6, true);
    school(s, teachers.device_id);
    let upload =
        |by: &DeviceRecord, list: &[SealedPin]| meldcode_server::pins::upload(s, by, &pins(list));

    assert_eq!(
        upload(&teachers, &[pin(TEACHER, 1, 1)])
            .expect("her own")
            .stored,
        1
    );
    // Again, and older: taken, not stored; the receipt names the version held instead.
    let again = upload(&teachers, &[pin(TEACHER, 1, 1)]).expect("again");
    assert_eq!(again.stored, 0);
    assert_eq!(
        again.held,
        [meldcode_sync::api::PinVersion {
            user_id: TEACHER,
            version: 1
        }]
    );
    // Another teacher's, the coordinator's, a stranger's: refused from a teacher's device.
    for user in [OTHER_TEACHER, COORDINATOR, STRANGER] {
        assert_eq!(
            refusal(upload(&teachers, &[pin(user, 1, 2)])),
            ErrorCode::NotAllowed
        );
    }
    // A coordinator's device sets up anyone the school has (also users not on it)...
    assert_eq!(
        upload(
            &coordinators,
            &[pin(OTHER_TEACHER, 1, 3), pin(TEACHER, 2, 3)]
        )
        .expect("anyone's")
        .stored,
        2
    );
    // ...but not a user the server does not know.
    assert_eq!(
        refusal(upload(&coordinators, &[pin(STRANGER, 1, 4)])),
        ErrorCode::NotAllowed
    );
    assert_eq!(
        held(s, &[COORDINATOR, TEACHER, OTHER_TEACHER, STRANGER]),
        vec![pin(TEACHER, 2, 3), pin(OTHER_TEACHER, 1, 3)]
    );
    // A removed user's package goes, and cannot come back while she is gone.
    write(s, |tx| tx.remove_user(TEACHER));
    assert_eq!(
        refusal(upload(&teachers, &[pin(TEACHER, 3, 5)])),
        ErrorCode::NotAllowed
    );
    assert_eq!(
        refusal(upload(&coordinators, &[pin(TEACHER, 3, 5)])),
        ErrorCode::NotAllowed
    );
    assert!(held(s, &[TEACHER]).is_empty());
}

fn an_upload_with_one_refused_pin_stores_none(s: &Storage) {
    let teachers = device_record(5, false);
    school(s, teachers.device_id);
    let before = held(s, &[TEACHER, OTHER_TEACHER]);
    for last in [pin(OTHER_TEACHER, 1, 2), pin(STRANGER, 1, 2)] {
        let code = refusal(meldcode_server::pins::upload(
            s,
            &teachers,
            &pins(&[pin(TEACHER, 1, 1), last]),
        ));
        assert_eq!(code, ErrorCode::NotAllowed);
        assert_eq!(held(s, &[TEACHER, OTHER_TEACHER]), before);
    }
    let coordinators = device_record(6, true);
    let code = refusal(meldcode_server::pins::upload(
        s,
        &coordinators,
        &pins(&[pin(TEACHER, 1, 1), pin(OTHER_TEACHER, 0, 1)]),
    ));
    assert_eq!(code, ErrorCode::Malformed);
    assert_eq!(held(s, &[TEACHER, OTHER_TEACHER]), before);
}

fn uploads_over_the_limits_are_refused(s: &Storage) {
    let coordinators = device_record(6, true);
    school(s, device_record(5, false).device_id);
    let upload = |list: &[SealedPin]| meldcode_server::pins::upload(s, &coordinators, &pins(list));
    let sized = |len: usize| SealedPin {
        sealed: vec![1; len],
        ..pin(TEACHER, 1, 1)
    };
    assert_eq!(
        refusal(upload(&vec![pin(TEACHER, 1, 1); MAX_PINS + 1])),
        ErrorCode::TooLarge
    );
    assert_eq!(
        refusal(upload(&[sized(MAX_PIN_BYTES + 1)])),
        ErrorCode::TooLarge
    );
    assert_eq!(refusal(upload(&[sized(0)])), ErrorCode::Malformed);
    assert_eq!(refusal(upload(&[pin(TEACHER, 0, 1)])), ErrorCode::Malformed);
    assert!(held(s, &[TEACHER]).is_empty());
    // At the limits: taken.
    assert_eq!(
        upload(&[sized(MAX_PIN_BYTES)])
            .expect("the largest package")
            .stored,
        1
    );
    assert_eq!(
        upload(&vec![pin(TEACHER, 2, 2); MAX_PINS])
            .expect("the most packages")
            .stored,
        1
    );
    assert_eq!(held(s, &[TEACHER]), vec![pin(TEACHER, 2, 2)]);
    assert_eq!(upload(&[]).expect("nothing").stored, 0);
}

// ---------------------------------------------------------------------------------------
// Over TLS

fn actor(user_id: UserId, role: Role) -> Actor {
    Actor { user_id, role }
}

/// The coordinator's device (`device(1)`, the school's first: coordinator and both teachers
/// on it) and a teacher's tablet (`device(2)`, for `OTHER_TEACHER` only).
fn school_over_tls(url: Option<&str>) -> (InProcess, RawDevice, RawDevice) {
    let server = InProcess::start(url);
    let coordinators = RawDevice::enroll(
        &server,
        &server.first_code(),
        device(1),
        vec![
            actor(COORDINATOR, Role::Coordinator),
            actor(TEACHER, Role::Teacher),
            actor(OTHER_TEACHER, Role::Teacher),
        ],
    );
    let code = EnrollmentCode::new(
        zeroize::Zeroizing::new([5; RANDOM_LEN]),
        &server.fingerprint,
    );
    coordinators
        .transport
        .new_code(&NewCode {
            lookup: code.lookup(),
            verifier: verifier(&code.proof()),
            deposit: vec![1],
            users: vec![OTHER_TEACHER],
            coordinator: false,
        })
        .expect("code");
    let tablet = RawDevice::enroll(&server, &code, device(2), vec![]);
    (server, coordinators, tablet)
}

fn post_pins(d: &RawDevice, list: &[SealedPin]) -> Result<PinReceipt, StoreError> {
    post_json(d, &pins(list))
}

fn post_json<T: serde::Serialize>(d: &RawDevice, body: &T) -> Result<PinReceipt, StoreError> {
    let body = serde_json::to_vec(body).expect("serialises");
    let answer = d.transport.post_raw("/v1/pins", body)?;
    Ok(serde_json::from_value(answer).expect("a receipt"))
}

fn pins_held(server: &InProcess, users: &[UserId]) -> Vec<SealedPin> {
    held(&server.state.storage, users)
}

fn welcome_pins(d: &RawDevice) -> Vec<SealedPin> {
    d.transport
        .hello(&Hello {
            tip: ChainTip::EMPTY,
        })
        .expect("hello")
        .pins
}

fn the_endpoint_answers_a_receipt_and_refuses_with_codes(url: Option<&str>) {
    let (server, coordinators, tablet) = school_over_tls(url);
    assert_eq!(
        post_pins(&tablet, &[pin(OTHER_TEACHER, 2, 1)])
            .expect("her own")
            .stored,
        1
    );
    assert_eq!(
        post_pins(&tablet, &[pin(OTHER_TEACHER, 1, 2)])
            .expect("an older one")
            .stored,
        0
    );
    // The tablet is not the coordinator's nor the first teacher's.
    for user in [TEACHER, COORDINATOR, STRANGER] {
        assert_eq!(
            code_of(post_pins(&tablet, &[pin(user, 1, 3)])),
            ErrorCode::NotAllowed
        );
    }
    // All or nothing: her own package does not go in with another's.
    assert_eq!(
        code_of(post_pins(
            &tablet,
            &[pin(OTHER_TEACHER, 5, 4), pin(TEACHER, 1, 4)]
        )),
        ErrorCode::NotAllowed
    );
    assert_eq!(
        code_of(post_pins(&coordinators, &[pin(STRANGER, 1, 3)])),
        ErrorCode::NotAllowed
    );
    let sized = |len: usize| SealedPin {
        sealed: vec![1; len],
        ..pin(OTHER_TEACHER, 9, 1)
    };
    assert_eq!(
        code_of(post_pins(
            &coordinators,
            &vec![pin(TEACHER, 1, 1); MAX_PINS + 1]
        )),
        ErrorCode::TooLarge
    );
    assert_eq!(
        code_of(post_pins(&tablet, &[sized(MAX_PIN_BYTES + 1)])),
        ErrorCode::TooLarge
    );
    assert_eq!(
        code_of(post_pins(&tablet, &[sized(0)])),
        ErrorCode::Malformed
    );
    assert_eq!(
        code_of(post_pins(&tablet, &[pin(OTHER_TEACHER, 0, 1)])),
        ErrorCode::Malformed
    );
    for body in [
        serde_json::json!({}),
        serde_json::json!({"pins": 5}),
        serde_json::json!({"pins": [{"user_id": OTHER_TEACHER, "version": -1, "sealed": "AQ=="}]}),
        serde_json::json!({"pins": [{"user_id": OTHER_TEACHER, "version": 3, "sealed": "not base64!"}]}),
    ] {
        assert_eq!(code_of(post_json(&tablet, &body)), ErrorCode::Malformed);
    }
    assert_eq!(
        pins_held(&server, &[COORDINATOR, TEACHER, OTHER_TEACHER]),
        vec![pin(OTHER_TEACHER, 2, 1)]
    );
    // The coordinator's device sets up anyone's, in one request.
    assert_eq!(
        post_pins(
            &coordinators,
            &[pin(TEACHER, 1, 5), pin(OTHER_TEACHER, 3, 5)]
        )
        .expect("anyone's")
        .stored,
        2
    );
    assert_eq!(
        pins_held(&server, &[COORDINATOR, TEACHER, OTHER_TEACHER]),
        vec![pin(TEACHER, 1, 5), pin(OTHER_TEACHER, 3, 5)]
    );
    // A revoked device is refused before anything is read.
    meldcode_server::enrollment::revoke(&server.state.storage, tablet.id, in_process::now_ms())
        .expect("revoked");
    assert_eq!(
        code_of(post_pins(&tablet, &[pin(OTHER_TEACHER, 4, 6)])),
        ErrorCode::Revoked
    );
    assert_eq!(
        pins_held(&server, &[OTHER_TEACHER]),
        vec![pin(OTHER_TEACHER, 3, 5)]
    );
}

fn hello_hands_a_device_the_pins_of_its_own_users_only(url: Option<&str>) {
    let (_server, coordinators, tablet) = school_over_tls(url);
    assert_eq!(welcome_pins(&tablet), Vec::new());
    post_pins(
        &coordinators,
        &[
            pin(COORDINATOR, 4, 1),
            pin(TEACHER, 1, 2),
            pin(OTHER_TEACHER, 2, 3),
        ],
    )
    .expect("stored");
    assert_eq!(welcome_pins(&tablet), vec![pin(OTHER_TEACHER, 2, 3)]);
    let mut all = welcome_pins(&coordinators);
    all.sort_by_key(|p| p.user_id);
    assert_eq!(
        all,
        vec![
            pin(COORDINATOR, 4, 1),
            pin(TEACHER, 1, 2),
            pin(OTHER_TEACHER, 2, 3)
        ]
    );
    // A PIN changed on the tablet reaches the coordinator's device at its next hello.
    post_pins(&tablet, &[pin(OTHER_TEACHER, 3, 4)]).expect("changed");
    assert!(welcome_pins(&coordinators).contains(&pin(OTHER_TEACHER, 3, 4)));
}

/// `device(byte)`'s chain of `n` events, rewritten by `edit` (which gets each event's index)
/// and linked again: the server checks the links and reads the headers, never the payload.
fn chain(byte: u8, n: usize, edit: impl Fn(usize, &mut SealedEvent)) -> Vec<SealedEvent> {
    let (_, mut events) = chain_of(n, byte);
    let mut prev = Hash::GENESIS;
    for (i, e) in events.iter_mut().enumerate() {
        edit(i, e);
        e.prev = prev;
        e.hash = meldcode_sync::chain::link(&prev, &e.header.canonical(), &e.payload_digest);
        prev = e.hash;
    }
    events
}

fn about_the_teacher(e: &mut SealedEvent) {
    e.header.case_id = CASE;
    e.header.author = COORDINATOR;
    e.header.audience = Audience {
        involved: [TEACHER].into(),
        ..Audience::default()
    };
}

fn assigning(e: &mut SealedEvent, author: UserId, user: UserId, to: DeviceId) {
    e.header.case_id = SCHOOL_LOG;
    e.header.author = author;
    e.header.audience = Audience::default();
    e.header.directory = Some(DirectoryChange::Assigned { user, device: to });
}

fn upload(d: &RawDevice, events: &[SealedEvent], keyed: bool) {
    let case_keys = if keyed {
        vec![WrappedCaseKey {
            case_id: CASE,
            wrapped: vec![0xcc; 40],
        }]
    } else {
        Vec::new()
    };
    d.transport
        .upload(&Upload {
            events: events.to_vec(),
            case_keys,
        })
        .expect("uploaded");
}

/// Everything after `after`, page by page: the events of `CASE` by seq, its key, the cursor.
fn pull_all(d: &RawDevice, after: u64) -> (Vec<u64>, bool, u64) {
    let mut cursor = after;
    let mut seqs = Vec::new();
    let mut keyed = false;
    loop {
        let page: PullPage = d.transport.pull(cursor, 2).expect("pulled");
        seqs.extend(
            page.events
                .iter()
                .filter(|e| e.header.case_id == CASE)
                .map(|e| e.header.seq),
        );
        keyed |= page.case_keys.iter().any(|k| k.case_id == CASE);
        cursor = page.cursor;
        if !page.more {
            return (seqs, keyed, cursor);
        }
    }
}

fn users_on(server: &InProcess, d: &RawDevice) -> Vec<UserId> {
    let dir = server
        .state
        .storage
        .read(|tx| tx.directory())
        .expect("directory");
    dir.users_on(d.id).into_iter().map(|a| a.user_id).collect()
}

fn an_assignment_by_a_coordinators_device_opens_the_users_cases_to_the_device(url: Option<&str>) {
    let (server, coordinators, tablet) = school_over_tls(url);
    let events = chain(1, 4, |i, e| {
        if i < 3 {
            about_the_teacher(e);
        } else {
            assigning(e, COORDINATOR, TEACHER, tablet.id);
        }
    });
    // A case about the first teacher, in two uploads: not for the other teacher's tablet.
    upload(&coordinators, &events[..2], true);
    upload(&coordinators, &events[2..3], false);
    post_pins(&coordinators, &[pin(TEACHER, 1, 1)]).expect("stored");
    let (seqs, keyed, cursor) = pull_all(&tablet, 0);
    assert_eq!((seqs, keyed), (Vec::new(), false));
    assert_eq!(welcome_pins(&tablet), Vec::new());
    // Nothing more to pull: the tablet's cursor is the newest.
    let latest = server
        .state
        .storage
        .read(|tx| tx.latest_cursor())
        .expect("cursor");
    assert_eq!(cursor, latest);

    // The coordinator gives the first teacher the tablet too.
    upload(&coordinators, &events[3..], false);
    assert_eq!(users_on(&server, &tablet), vec![TEACHER, OTHER_TEACHER]);
    // From where it stood: the case's whole history, and its key.
    let (seqs, keyed, cursor) = pull_all(&tablet, cursor);
    assert_eq!((seqs, keyed), (vec![1, 2, 3], true));
    // And her PIN opens the tablet.
    assert_eq!(welcome_pins(&tablet), vec![pin(TEACHER, 1, 1)]);
    // The tablet may now upload her PIN package itself.
    assert_eq!(
        post_pins(&tablet, &[pin(TEACHER, 2, 2)])
            .expect("now hers")
            .stored,
        1
    );
    // Once sent, the history is not sent again.
    assert_eq!(pull_all(&tablet, cursor), (Vec::new(), false, cursor));
}

fn an_assignment_from_a_teachers_device_is_not_applied(url: Option<&str>) {
    let (server, coordinators, tablet) = school_over_tls(url);
    upload(
        &coordinators,
        &chain(1, 1, |_, e| about_the_teacher(e)),
        true,
    );
    // The other teacher, on her tablet, assigns the first teacher to it, and herself to the
    // coordinator's device; then the tablet names the coordinator as the author. Stored as
    // the tablet's own events, applied never.
    let forged = chain(2, 3, |i, e| match i {
        0 => assigning(e, OTHER_TEACHER, TEACHER, tablet.id),
        1 => assigning(e, OTHER_TEACHER, OTHER_TEACHER, coordinators.id),
        _ => assigning(e, COORDINATOR, TEACHER, tablet.id),
    });
    upload(&tablet, &forged[..2], false);
    upload(&tablet, &forged[2..], false);
    assert_eq!(users_on(&server, &tablet), vec![OTHER_TEACHER]);
    assert_eq!(
        users_on(&server, &coordinators),
        vec![COORDINATOR, TEACHER, OTHER_TEACHER]
    );
    let latest = server
        .state
        .storage
        .read(|tx| tx.latest_cursor())
        .expect("cursor");
    assert_eq!(pull_all(&tablet, 0), (Vec::new(), false, latest));
    assert_eq!(
        code_of(post_pins(&tablet, &[pin(TEACHER, 1, 1)])),
        ErrorCode::NotAllowed
    );
}

fn destroying(e: &mut SealedEvent, author: UserId) {
    e.header.case_id = SCHOOL_LOG;
    e.header.author = author;
    e.header.kind = "case_destroyed".into();
    e.header.audience = Audience::default();
    e.header.destroys = Some(CASE);
}

/// The payloads the server holds of `CASE`, and whether it holds its key.
fn held_of_case(server: &InProcess) -> (usize, usize, bool) {
    server
        .state
        .storage
        .read(|tx| {
            let events = tx.events_of_case(CASE, u64::MAX)?;
            let with_payload = events
                .iter()
                .filter(|e| e.sealed.contains("\"payload\""))
                .count();
            let keyed = tx.case(CASE)?.is_some_and(|r| r.wrapped_key.is_some());
            Ok((events.len(), with_payload, keyed))
        })
        .expect("reads")
}

fn only_the_case_leads_tombstone_erases_the_cases_payloads_and_key(url: Option<&str>) {
    let (server, coordinators, tablet) = school_over_tls(url);
    let events = chain(1, 7, |i, e| match i {
        0..=2 | 5 => about_the_teacher(e),
        // A teacher on the coordinator's device names herself as the author: not the lead.
        3 => destroying(e, TEACHER),
        4 => destroying(e, COORDINATOR),
        _ => assigning(e, COORDINATOR, TEACHER, tablet.id),
    });
    upload(&coordinators, &events[..3], true);
    assert_eq!(held_of_case(&server), (3, 3, true));
    // From the teacher's tablet, and by the teacher on the coordinator's device: stored as
    // their chains' events, applied never.
    upload(
        &tablet,
        &chain(2, 1, |_, e| destroying(e, OTHER_TEACHER)),
        false,
    );
    upload(&coordinators, &events[3..4], false);
    assert_eq!(held_of_case(&server), (3, 3, true));

    // The coordinator's: every payload goes, and the key; the events keep their places.
    upload(&coordinators, &events[4..5], false);
    assert_eq!(held_of_case(&server), (3, 0, false));
    // A late record (made before its device heard of the destruction) is stored without its
    // payload, and its key is not kept.
    upload(&coordinators, &events[5..6], true);
    assert_eq!(held_of_case(&server), (4, 0, false));
    let counts = server.state.storage.read(|tx| tx.counts()).expect("counts");
    assert_eq!(counts.destroyed, 1);
    // A device newly given the case's teacher receives its history: the places, without
    // payload or key, each still verifying.
    upload(&coordinators, &events[6..], false);
    let page: PullPage = tablet.transport.pull(0, 100).expect("pulled");
    assert!(page.case_keys.is_empty());
    let of_case: Vec<&SealedEvent> = page
        .events
        .iter()
        .filter(|e| e.header.case_id == CASE)
        .collect();
    assert_eq!(of_case.len(), 4);
    for e in of_case {
        assert!(e.payload.is_none());
        e.verify().expect("verifies");
    }
}
