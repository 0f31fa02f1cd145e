//! What the server refuses, over TLS on 127.0.0.1: malformed, oversized, gapped and forged
//! uploads (another device's events, a broken hash, a fork), unknown and revoked devices,
//! guessed enrollment codes. Each is refused with `{code, message}`, nothing stored changes (a fork is
//! kept as evidence, apart), and the server keeps serving.

#[path = "support/in_process.rs"]
mod in_process;

use in_process::{InProcess, RawDevice};
use meldcode_engine::{Actor, Role, UserId};
use meldcode_store::StoreError;
use meldcode_sync::api::Upload;
use meldcode_sync::testing::{chain_of, device};
use meldcode_sync::{ErrorCode, SealedEvent};

fn coordinator() -> Actor {
    Actor {
        user_id: UserId::from_u128(1),
        role: Role::Coordinator,
    }
}

fn code_of<T: std::fmt::Debug>(result: Result<T, StoreError>) -> ErrorCode {
    match result {
        Err(StoreError::Server(e)) => {
            assert!(!e.message.is_empty(), "a refusal says why");
            e.code
        }
        other => panic!("expected a refusal from the server, got {other:?}"),
    }
}

fn upload(events: &[SealedEvent]) -> Upload {
    Upload {
        events: events.to_vec(),
        case_keys: Vec::new(),
    }
}

/// A server with device(1) enrolled and the first 3 events of its chain stored.
fn server_with_a_chain() -> (InProcess, RawDevice, Vec<SealedEvent>) {
    let server = InProcess::start(None);
    let a = RawDevice::enroll(
        &server,
        &server.first_code(),
        device(1),
        vec![coordinator()],
    );
    let (_, chain) = chain_of(6, 1);
    a.transport
        .upload(&upload(&chain[..3]))
        .expect("first upload");
    (server, a, chain)
}

#[test]
fn malformed_and_oversized_uploads_are_refused_and_change_nothing() {
    let (server, a, chain) = server_with_a_chain();
    let before = server.snapshot();
    for body in [&b"not json"[..], b"{}", b"{\"events\": 5}", b"[]"] {
        assert_eq!(
            code_of(a.transport.post_raw("/v1/events", body.to_vec())),
            ErrorCode::Malformed
        );
    }
    let too_many = vec![chain[3].clone(); meldcode_sync::ingest::MAX_BATCH + 1];
    assert_eq!(
        code_of(a.transport.upload(&upload(&too_many))),
        ErrorCode::TooLarge
    );
    let huge = vec![b' '; meldcode_sync::ingest::MAX_REQUEST + 1];
    assert_eq!(
        code_of(a.transport.post_raw("/v1/events", huge)),
        ErrorCode::TooLarge
    );
    assert_eq!(server.snapshot(), before);
}

#[test]
fn a_replayed_upload_changes_nothing() {
    let (server, a, chain) = server_with_a_chain();
    let before = server.snapshot();
    let receipt = a
        .transport
        .upload(&upload(&chain[..3]))
        .expect("idempotent");
    assert_eq!(
        (receipt.appended, receipt.duplicates, receipt.tip.seq),
        (0, 3, 3)
    );
    assert_eq!(server.snapshot(), before);
}

#[test]
fn a_gapped_upload_is_refused() {
    let (server, a, chain) = server_with_a_chain();
    let before = server.snapshot();
    assert_eq!(
        code_of(a.transport.upload(&upload(&chain[4..]))),
        ErrorCode::Gap
    );
    assert_eq!(server.snapshot(), before);
}

#[test]
fn another_devices_events_a_broken_hash_and_a_fork_are_refused() {
    let (server, a, chain) = server_with_a_chain();
    let before = server.snapshot();
    let (_, others) = chain_of(2, 2);
    assert_eq!(
        code_of(a.transport.upload(&upload(&others))),
        ErrorCode::WrongDevice
    );
    let mut broken = chain[3].clone();
    broken.header.kind = "case_closed".into();
    assert_eq!(
        code_of(a.transport.upload(&upload(&[broken]))),
        ErrorCode::BrokenHash
    );
    assert_eq!(server.snapshot(), before);

    // Seq 3 again with other content: refused, and kept apart as evidence.
    let (_, longer) = chain_of(4, 1);
    let mut fork = longer[3].clone();
    fork.header.seq = 3;
    fork.prev = chain[1].hash;
    fork.hash =
        meldcode_sync::chain::link(&fork.prev, &fork.header.canonical(), &fork.payload_digest);
    assert_eq!(
        code_of(a.transport.upload(&upload(&[fork]))),
        ErrorCode::Fork
    );
    let counts = server.state.storage.read(|tx| tx.counts()).expect("counts");
    assert_eq!((counts.events, counts.forks), (3, 1));
    // The chain goes on from where the server holds it.
    a.transport.upload(&upload(&chain[3..])).expect("the rest");
}

#[test]
fn unknown_and_revoked_devices_are_refused_and_the_server_keeps_serving() {
    let (server, a, chain) = server_with_a_chain();
    let stranger = RawDevice::unenrolled(&server, device(1));
    assert_eq!(
        code_of(stranger.transport.upload(&upload(&chain[3..]))),
        ErrorCode::UnknownDevice
    );
    assert!(
        meldcode_server::enrollment::revoke(&server.state.storage, a.id, in_process::now_ms())
            .expect("revoked")
    );
    let before = server.snapshot();
    assert_eq!(
        code_of(a.transport.upload(&upload(&chain[3..]))),
        ErrorCode::Revoked
    );
    assert_eq!(code_of(a.transport.pull(0, 10)), ErrorCode::Revoked);
    assert_eq!(server.snapshot(), before);
    // Still serving, and still refusing the stranger the same way.
    assert_eq!(
        code_of(stranger.transport.pull(0, 10)),
        ErrorCode::UnknownDevice
    );
}

#[test]
fn wrong_enrollment_codes_are_rate_limited() {
    let server = InProcess::start(None);
    let good = server.first_code();
    let wrong = meldcode_sync::enroll::EnrollmentCode::new(
        zeroize::Zeroizing::new([9; meldcode_sync::enroll::RANDOM_LEN]),
        &server.fingerprint,
    );
    let device = RawDevice::unenrolled(&server, device(3));
    let attempt = |code: &meldcode_sync::enroll::EnrollmentCode| {
        device.transport.enroll(&meldcode_sync::api::Enroll {
            lookup: code.lookup(),
            proof: code.proof(),
            device_id: device.id,
            device_public: vec![7; 32],
            users: vec![coordinator()],
        })
    };
    for _ in 0..5 {
        assert_eq!(code_of(attempt(&wrong)), ErrorCode::BadCode);
    }
    // Even the right code waits now: guessing does not get faster by mixing in a good one.
    assert_eq!(code_of(attempt(&good)), ErrorCode::RateLimited);
}

#[test]
fn a_device_cannot_change_roles_in_the_name_of_a_user_it_does_not_have() {
    use meldcode_sync::api::NewCode;
    use meldcode_sync::enroll::{verifier, EnrollmentCode, RANDOM_LEN};
    use meldcode_sync::receive::DirectoryChange;
    let server = InProcess::start(None);
    let teacher = UserId::from_u128(2);
    let a = RawDevice::enroll(
        &server,
        &server.first_code(),
        device(1),
        vec![
            coordinator(),
            Actor {
                user_id: teacher,
                role: Role::Teacher,
            },
        ],
    );
    let code = EnrollmentCode::new(
        zeroize::Zeroizing::new([5; RANDOM_LEN]),
        &server.fingerprint,
    );
    a.transport
        .new_code(&NewCode {
            lookup: code.lookup(),
            verifier: verifier(&code.proof()),
            deposit: vec![1],
            users: vec![teacher],
            coordinator: false,
        })
        .expect("code");
    let tablet = RawDevice::enroll(&server, &code, device(2), vec![]);
    // The teacher's tablet names the coordinator as author of "make the teacher coordinator".
    let (_, chain) = chain_of(1, 2);
    let mut forged = chain[0].clone();
    forged.header.case_id = meldcode_engine::school_log::SCHOOL_LOG;
    forged.header.author = coordinator().user_id;
    forged.header.directory = Some(DirectoryChange::Role {
        user: teacher,
        role: Role::Coordinator,
    });
    forged.hash = meldcode_sync::chain::link(
        &forged.prev,
        &forged.header.canonical(),
        &forged.payload_digest,
    );
    tablet
        .transport
        .upload(&upload(&[forged]))
        .expect("stored as the tablet's own event");
    let directory = server
        .state
        .storage
        .read(|tx| tx.directory())
        .expect("directory");
    assert_eq!(directory.roles.get(&teacher), Some(&Role::Teacher));
}
