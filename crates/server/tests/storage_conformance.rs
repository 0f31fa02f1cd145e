//! One suite of the storage's operations, run against both backends: SQLite in a temporary
//! folder, PostgreSQL in a temporary cluster (one per test binary, one database per test).
//! Each check is written once; `conformance!` runs it as `sqlite::<name>` and
//! `postgresql::<name>`.

#[path = "support/backend.rs"]
mod backend;
#[path = "support/postgres_cluster.rs"]
mod postgres_cluster;

use backend::Backend;
use meldcode_engine::access::Audience;
use meldcode_engine::people::Role;
use meldcode_engine::{CaseId, DeviceId, UserId};
use meldcode_server::storage::{
    CaseRow, CodeRecord, Counts, DeviceRecord, Storage, StorageError, StoredEvent, Tx,
};
use meldcode_sync::api::Head;
use meldcode_sync::ingest::ChainTip;
use meldcode_sync::sealed::SealedEvent;
use meldcode_sync::Hash;
use postgres_cluster::TempCluster;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::time::Duration;

/// `storage:` checks take the storage; `backend:` checks open more than one server on the
/// same data.
macro_rules! conformance {
    (storage: $($s:ident),* $(,)?; backend: $($b:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $s() { super::$s(&super::Backend::sqlite().open()); })*
            $(#[test] fn $b() { super::$b(&super::Backend::sqlite()); })*
        }
        mod postgresql {
            $(#[test] fn $s() { let b = super::Backend::postgresql("conformance"); super::$s(&b.open()); })*
            $(#[test] fn $b() { super::$b(&super::Backend::postgresql("conformance")); })*
        }
    };
}

conformance! {
    storage:
        an_unknown_device_has_the_empty_tip,
        an_event_is_found_by_device_and_seq_and_the_tip_is_kept_per_device,
        a_second_event_with_the_same_device_and_seq_is_refused,
        a_failed_insert_rolls_back_the_whole_write,
        a_write_whose_closure_fails_stores_nothing,
        cursors_increase_across_writes,
        events_after_returns_events_in_cursor_order_up_to_the_limit,
        events_of_case_returns_that_case_up_to_the_cursor,
        a_case_is_stored_replaced_and_listed_once_widened,
        widening_all_cases_marks_every_case_at_the_cursor,
        the_directory_holds_roles_and_assignments,
        removing_a_user_removes_their_assignments,
        unassigning_takes_a_user_off_one_device_only,
        a_device_is_found_by_id_and_by_certificate,
        devices_are_listed_by_enrollment_then_id,
        a_second_device_with_the_same_certificate_or_id_is_refused,
        a_device_is_revoked_once,
        touching_a_device_records_when_it_was_last_seen,
        using_a_code_clears_its_deposit_and_records_its_use,
        latest_cursor_is_zero_without_events_then_the_highest,
        counts_count_devices_revoked_events_cases_and_forks,
        a_destroyed_case_loses_its_key_and_its_events_and_forks_can_be_rewritten,
        a_read_sees_committed_writes;
    backend:
        a_second_server_opens_a_migrated_database,
        a_read_keeps_its_snapshot_while_another_server_writes,
        a_second_writer_waits_for_the_first_to_commit,
}

// ---------------------------------------------------------------------------------------
// Helpers

fn device(n: u128) -> DeviceId {
    DeviceId::from_u128(n)
}

fn case(n: u128) -> CaseId {
    CaseId::from_u128(n)
}

fn user(n: u128) -> UserId {
    UserId::from_u128(n)
}

/// `n` real sealed events of one chain, recorded on `meldcode_sync::testing::device(byte)`.
fn chain(n: usize, byte: u8) -> Vec<SealedEvent> {
    meldcode_sync::testing::chain_of(n, byte).1
}

fn json(e: &SealedEvent) -> String {
    serde_json::to_string(e).expect("serialises a sealed event")
}

/// Stores `e` as its header says, under `case_id`; returns the cursor.
fn insert(tx: &mut dyn Tx, e: &SealedEvent, case_id: CaseId) -> Result<u64, StorageError> {
    tx.insert_event(e.header.device_id, e.header.seq, case_id, &e.hash, &json(e))
}

fn write<R>(s: &Storage, f: impl FnOnce(&mut dyn Tx) -> Result<R, StorageError>) -> R {
    s.write(f).expect("writes")
}

fn read<R>(s: &Storage, f: impl FnOnce(&mut dyn Tx) -> Result<R, StorageError>) -> R {
    s.read(f).expect("reads")
}

fn device_record(n: u128, enrolled_at: u64) -> DeviceRecord {
    DeviceRecord {
        device_id: device(n),
        certificate: Hash::of(format!("certificate {n}").as_bytes()),
        public_key: vec![u8::try_from(n % 256).expect("fits"); 32],
        coordinator: n.is_multiple_of(2),
        enrolled_at,
        last_seen: None,
        revoked_at: None,
    }
}

fn audience(staff_case: bool, suspect: Option<UserId>, involved: &[UserId]) -> Audience {
    Audience {
        staff_case,
        suspect,
        involved: involved.iter().copied().collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Chains and events

fn an_unknown_device_has_the_empty_tip(s: &Storage) {
    read(s, |tx| {
        assert_eq!(tx.tip(device(1))?, ChainTip::EMPTY);
        assert_eq!(tx.stored_hash(device(1), 1)?, None);
        assert_eq!(tx.heads()?, Vec::<Head>::new());
        Ok(())
    });
}

fn an_event_is_found_by_device_and_seq_and_the_tip_is_kept_per_device(s: &Storage) {
    let a = chain(2, 1);
    let b = chain(1, 2);
    write(s, |tx| {
        for e in &a {
            insert(tx, e, case(1))?;
            tx.set_tip(
                e.header.device_id,
                &ChainTip {
                    seq: e.header.seq,
                    hash: e.hash,
                },
            )?;
        }
        insert(tx, &b[0], case(2))?;
        tx.set_tip(
            b[0].header.device_id,
            &ChainTip {
                seq: 1,
                hash: b[0].hash,
            },
        )
    });
    let (da, db) = (a[0].header.device_id, b[0].header.device_id);
    read(s, |tx| {
        assert_eq!(tx.stored_hash(da, 1)?, Some(a[0].hash));
        assert_eq!(tx.stored_hash(da, 2)?, Some(a[1].hash));
        assert_eq!(tx.stored_hash(da, 3)?, None);
        assert_eq!(tx.stored_hash(db, 1)?, Some(b[0].hash));
        assert_eq!(tx.stored_hash(db, 2)?, None);
        // set_tip replaced the first tip of `da` with the second.
        assert_eq!(
            tx.tip(da)?,
            ChainTip {
                seq: 2,
                hash: a[1].hash
            }
        );
        assert_eq!(
            tx.tip(db)?,
            ChainTip {
                seq: 1,
                hash: b[0].hash
            }
        );
        let mut expected = vec![
            Head {
                device_id: da,
                tip: ChainTip {
                    seq: 2,
                    hash: a[1].hash,
                },
            },
            Head {
                device_id: db,
                tip: ChainTip {
                    seq: 1,
                    hash: b[0].hash,
                },
            },
        ];
        expected.sort_by_key(|h| h.device_id.to_string());
        assert_eq!(
            tx.heads()?,
            expected,
            "heads come in the order of their device ids"
        );
        Ok(())
    });
}

fn a_second_event_with_the_same_device_and_seq_is_refused(s: &Storage) {
    let a = chain(1, 1);
    write(s, |tx| insert(tx, &a[0], case(1)));
    let again =
        s.write(|tx| tx.insert_event(a[0].header.device_id, 1, case(9), &Hash::of(b"other"), "{}"));
    assert!(
        again.is_err(),
        "a second (device, seq) is refused: {again:?}"
    );
    read(s, |tx| {
        assert_eq!(tx.stored_hash(a[0].header.device_id, 1)?, Some(a[0].hash));
        assert_eq!(tx.counts()?.events, 1);
        Ok(())
    });
}

fn a_failed_insert_rolls_back_the_whole_write(s: &Storage) {
    let a = chain(2, 1);
    let d = a[0].header.device_id;
    write(s, |tx| insert(tx, &a[0], case(1)));
    let failed = s.write(|tx| {
        insert(tx, &a[1], case(1))?;
        tx.set_tip(
            d,
            &ChainTip {
                seq: 2,
                hash: a[1].hash,
            },
        )?;
        tx.put_case(
            case(1),
            &CaseRow {
                audience: Audience::default(),
                wrapped_key: None,
                widened_at: 2,
            },
        )?;
        // The same (device, seq) as the first write's: refused, and the closure returns it.
        insert(tx, &a[0], case(1))
    });
    assert!(failed.is_err(), "the duplicate fails the write: {failed:?}");
    read(s, |tx| {
        assert_eq!(
            tx.stored_hash(d, 2)?,
            None,
            "the event before the failure was rolled back"
        );
        assert_eq!(tx.tip(d)?, ChainTip::EMPTY, "so was the tip");
        assert_eq!(tx.case(case(1))?, None, "and the case");
        assert_eq!(tx.counts()?.events, 1);
        Ok(())
    });
    // The connection is usable after the failed transaction.
    let cursor = write(s, |tx| insert(tx, &a[1], case(1)));
    assert!(cursor > 0);
    read(s, |tx| {
        assert_eq!(tx.stored_hash(d, 2)?, Some(a[1].hash));
        Ok(())
    });
}

fn a_write_whose_closure_fails_stores_nothing(s: &Storage) {
    let a = chain(1, 1);
    let d = a[0].header.device_id;
    let failed: Result<(), StorageError> = s.write(|tx| {
        insert(tx, &a[0], case(1))?;
        tx.set_tip(
            d,
            &ChainTip {
                seq: 1,
                hash: a[0].hash,
            },
        )?;
        tx.set_role(user(1), Role::Teacher)?;
        Err(StorageError("refused by the caller".into()))
    });
    assert!(failed.is_err());
    read(s, |tx| {
        assert_eq!(tx.stored_hash(d, 1)?, None);
        assert_eq!(tx.tip(d)?, ChainTip::EMPTY);
        assert!(tx.directory()?.roles.is_empty());
        assert_eq!(tx.latest_cursor()?, 0);
        Ok(())
    });
    // The same writes again, on the same connection (and its statements), now committed.
    let tip = ChainTip {
        seq: 1,
        hash: a[0].hash,
    };
    write(s, |tx| {
        insert(tx, &a[0], case(1))?;
        tx.set_tip(d, &tip)?;
        tx.set_role(user(1), Role::Teacher)
    });
    read(s, |tx| {
        assert_eq!(tx.stored_hash(d, 1)?, Some(a[0].hash));
        assert_eq!(tx.tip(d)?, tip);
        assert_eq!(tx.directory()?.roles, [(user(1), Role::Teacher)].into());
        Ok(())
    });
}

fn cursors_increase_across_writes(s: &Storage) {
    let events = chain(6, 1);
    let mut cursors = Vec::new();
    for pair in events.chunks(2) {
        cursors.extend(write(s, |tx| {
            pair.iter()
                .map(|e| insert(tx, e, case(1)))
                .collect::<Result<Vec<_>, _>>()
        }));
    }
    assert!(
        cursors[0] > 0,
        "cursor 0 means 'from the start': no event has it"
    );
    assert!(
        cursors.windows(2).all(|w| w[0] < w[1]),
        "cursors increase: {cursors:?}"
    );
    let stored: Vec<u64> = read(s, |tx| tx.events_after(0, 100))
        .iter()
        .map(|e| e.cursor)
        .collect();
    assert_eq!(stored, cursors);
}

fn events_after_returns_events_in_cursor_order_up_to_the_limit(s: &Storage) {
    let events = chain(5, 1);
    let cursors: Vec<u64> = write(s, |tx| {
        events
            .iter()
            .map(|e| insert(tx, e, case(7)))
            .collect::<Result<_, _>>()
    });
    let expected: Vec<StoredEvent> = events
        .iter()
        .zip(&cursors)
        .map(|(e, &cursor)| StoredEvent {
            cursor,
            case_id: case(7),
            sealed: json(e),
        })
        .collect();
    read(s, |tx| {
        assert_eq!(tx.events_after(0, 2)?, expected[..2]);
        assert_eq!(tx.events_after(cursors[1], 10)?, expected[2..]);
        assert_eq!(tx.events_after(cursors[1], 1)?, expected[2..3]);
        assert_eq!(tx.events_after(cursors[4], 10)?, Vec::new());
        assert_eq!(tx.events_after(0, 0)?, Vec::new());
        Ok(())
    });
    // The sealed text comes back as it was given, and parses to the same event.
    let back: SealedEvent = serde_json::from_str(&expected[0].sealed).expect("parses");
    assert_eq!(json(&back), json(&events[0]));
}

fn events_of_case_returns_that_case_up_to_the_cursor(s: &Storage) {
    let events = chain(6, 1);
    // Cases 1, 2, 1, 2, 1, 2.
    let cursors: Vec<u64> = write(s, |tx| {
        events
            .iter()
            .enumerate()
            .map(|(i, e)| insert(tx, e, case(1 + (i as u128 % 2))))
            .collect::<Result<_, _>>()
    });
    read(s, |tx| {
        let of = |list: Vec<StoredEvent>| {
            list.iter()
                .map(|e| (e.cursor, e.case_id))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            of(tx.events_of_case(case(1), u64::MAX)?),
            vec![
                (cursors[0], case(1)),
                (cursors[2], case(1)),
                (cursors[4], case(1))
            ]
        );
        assert_eq!(
            of(tx.events_of_case(case(2), cursors[3])?),
            vec![(cursors[1], case(2)), (cursors[3], case(2))]
        );
        assert_eq!(
            of(tx.events_of_case(case(1), cursors[2])?),
            vec![(cursors[0], case(1)), (cursors[2], case(1))]
        );
        assert_eq!(of(tx.events_of_case(case(2), cursors[0])?), vec![]);
        assert_eq!(of(tx.events_of_case(case(3), u64::MAX)?), vec![]);
        let all = tx.events_of_case(case(2), u64::MAX)?;
        assert_eq!(all[0].sealed, json(&events[1]));
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// Cases

fn widening_all_cases_marks_every_case_at_the_cursor(s: &Storage) {
    let row = |at| CaseRow {
        audience: Audience::default(),
        wrapped_key: None,
        widened_at: at,
    };
    write(s, |tx| {
        tx.put_case(case(1), &row(3))?;
        tx.put_case(case(2), &row(5))?;
        tx.widen_all(9)
    });
    read(s, |tx| {
        assert_eq!(tx.case(case(1))?.map(|r| r.widened_at), Some(9));
        assert_eq!(tx.case(case(2))?.map(|r| r.widened_at), Some(9));
        assert_eq!(tx.cases_widened_after(8)?, vec![case(1), case(2)]);
        Ok(())
    });
}

fn a_case_is_stored_replaced_and_listed_once_widened(s: &Storage) {
    let first = CaseRow {
        audience: audience(false, None, &[user(1)]),
        wrapped_key: None,
        widened_at: 3,
    };
    let wider = CaseRow {
        audience: audience(true, Some(user(9)), &[user(1), user(2)]),
        wrapped_key: Some(vec![7; 48]),
        widened_at: 10,
    };
    let other = CaseRow {
        audience: Audience::default(),
        wrapped_key: Some(vec![1, 2, 3]),
        widened_at: 5,
    };
    write(s, |tx| {
        assert_eq!(tx.case(case(1))?, None);
        tx.put_case(case(1), &first)?;
        tx.put_case(case(2), &other)
    });
    read(s, |tx| {
        assert_eq!(tx.case(case(1))?, Some(first.clone()));
        assert_eq!(tx.case(case(2))?, Some(other.clone()));
        assert_eq!(
            tx.cases_widened_after(0)?,
            vec![case(1), case(2)],
            "in the order of widened_at"
        );
        assert_eq!(tx.cases_widened_after(3)?, vec![case(2)]);
        Ok(())
    });
    write(s, |tx| tx.put_case(case(1), &wider));
    read(s, |tx| {
        assert_eq!(
            tx.case(case(1))?,
            Some(wider.clone()),
            "put_case replaces the row"
        );
        assert_eq!(tx.cases_widened_after(0)?, vec![case(2), case(1)]);
        assert_eq!(tx.cases_widened_after(5)?, vec![case(1)]);
        assert_eq!(tx.cases_widened_after(10)?, Vec::<CaseId>::new());
        assert_eq!(tx.counts()?.cases, 2);
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// The directory

fn the_directory_holds_roles_and_assignments(s: &Storage) {
    write(s, |tx| {
        tx.set_role(user(1), Role::Teacher)?;
        tx.set_role(user(2), Role::Coordinator)?;
        tx.set_role(user(3), Role::Director)?;
        tx.set_role(user(4), Role::Board)?;
        tx.set_role(user(1), Role::Coordinator)?;
        tx.assign(device(10), user(1))?;
        tx.assign(device(10), user(2))?;
        tx.assign(device(11), user(1))?;
        // Assigning twice is no error and no second row.
        tx.assign(device(10), user(1))
    });
    let dir = read(s, |tx| tx.directory());
    let roles: BTreeMap<UserId, Role> = [
        (user(1), Role::Coordinator),
        (user(2), Role::Coordinator),
        (user(3), Role::Director),
        (user(4), Role::Board),
    ]
    .into();
    assert_eq!(dir.roles, roles, "set_role replaces a user's role");
    let assigned: BTreeMap<DeviceId, BTreeSet<UserId>> = [
        (device(10), [user(1), user(2)].into()),
        (device(11), [user(1)].into()),
    ]
    .into();
    assert_eq!(dir.assigned, assigned);
}

fn removing_a_user_removes_their_assignments(s: &Storage) {
    write(s, |tx| {
        tx.set_role(user(1), Role::Teacher)?;
        tx.set_role(user(2), Role::Teacher)?;
        tx.assign(device(10), user(1))?;
        tx.assign(device(10), user(2))?;
        tx.assign(device(11), user(1))
    });
    write(s, |tx| {
        tx.remove_user(user(1))?;
        // Removing an unknown user is no error.
        tx.remove_user(user(99))
    });
    let dir = read(s, |tx| tx.directory());
    assert_eq!(dir.roles, [(user(2), Role::Teacher)].into());
    assert_eq!(dir.assigned, [(device(10), [user(2)].into())].into());
}

fn unassigning_takes_a_user_off_one_device_only(s: &Storage) {
    write(s, |tx| {
        tx.set_role(user(1), Role::Teacher)?;
        tx.assign(device(10), user(1))?;
        tx.assign(device(11), user(1))
    });
    write(s, |tx| {
        tx.unassign(device(10), user(1))?;
        // Taking off someone who is not there is no error.
        tx.unassign(device(12), user(1))
    });
    let dir = read(s, |tx| tx.directory());
    assert_eq!(
        dir.roles,
        [(user(1), Role::Teacher)].into(),
        "still at the school"
    );
    assert_eq!(dir.assigned.get(&device(11)), Some(&[user(1)].into()));
    assert!(dir.assigned.get(&device(10)).is_none_or(BTreeSet::is_empty));
}

// ---------------------------------------------------------------------------------------
// Devices

fn a_device_is_found_by_id_and_by_certificate(s: &Storage) {
    let plain = device_record(1, 1_000);
    let full = DeviceRecord {
        last_seen: Some(2_000),
        revoked_at: Some(3_000),
        ..device_record(2, 1_500)
    };
    write(s, |tx| {
        tx.insert_device(&plain)?;
        tx.insert_device(&full)
    });
    read(s, |tx| {
        assert_eq!(tx.device(plain.device_id)?, Some(plain.clone()));
        assert_eq!(tx.device(full.device_id)?, Some(full.clone()));
        assert_eq!(
            tx.device_by_certificate(&plain.certificate)?,
            Some(plain.clone())
        );
        assert_eq!(
            tx.device_by_certificate(&full.certificate)?,
            Some(full.clone())
        );
        assert_eq!(tx.device(device(3))?, None);
        assert_eq!(
            tx.device_by_certificate(&Hash::of(b"unknown certificate"))?,
            None
        );
        Ok(())
    });
}

fn devices_are_listed_by_enrollment_then_id(s: &Storage) {
    let (a, b, c) = (
        device_record(3, 500),
        device_record(2, 900),
        device_record(1, 900),
    );
    write(s, |tx| {
        tx.insert_device(&b)?;
        tx.insert_device(&a)?;
        tx.insert_device(&c)
    });
    assert_eq!(read(s, |tx| tx.devices()), vec![a, c, b]);
}

fn a_second_device_with_the_same_certificate_or_id_is_refused(s: &Storage) {
    let first = device_record(1, 1_000);
    write(s, |tx| tx.insert_device(&first));
    let same_certificate = DeviceRecord {
        device_id: device(2),
        ..first.clone()
    };
    assert!(s.write(|tx| tx.insert_device(&same_certificate)).is_err());
    let same_id = DeviceRecord {
        certificate: Hash::of(b"another certificate"),
        ..first.clone()
    };
    assert!(s.write(|tx| tx.insert_device(&same_id)).is_err());
    assert_eq!(read(s, |tx| tx.devices()), vec![first]);
}

fn a_device_is_revoked_once(s: &Storage) {
    write(s, |tx| tx.insert_device(&device_record(1, 1_000)));
    assert!(write(s, |tx| tx.revoke(device(1), 5_000)));
    assert!(
        !write(s, |tx| tx.revoke(device(1), 6_000)),
        "a second revocation changes nothing"
    );
    assert!(
        !write(s, |tx| tx.revoke(device(2), 6_000)),
        "an unknown device is not revoked"
    );
    let d = read(s, |tx| tx.device(device(1))).expect("the device is kept");
    assert_eq!(d.revoked_at, Some(5_000));
    assert_eq!(
        DeviceRecord {
            revoked_at: None,
            ..d
        },
        device_record(1, 1_000)
    );
}

fn touching_a_device_records_when_it_was_last_seen(s: &Storage) {
    write(s, |tx| tx.insert_device(&device_record(1, 1_000)));
    write(s, |tx| tx.touch(device(1), 2_000));
    assert_eq!(
        read(s, |tx| tx.device(device(1))).map(|d| d.last_seen),
        Some(Some(2_000))
    );
    write(s, |tx| {
        tx.touch(device(1), 3_000)?;
        // An unknown device: no error, no row.
        tx.touch(device(2), 3_000)
    });
    let d = read(s, |tx| tx.device(device(1))).expect("the device is kept");
    assert_eq!(
        d,
        DeviceRecord {
            last_seen: Some(3_000),
            ..device_record(1, 1_000)
        }
    );
    assert_eq!(read(s, |tx| tx.device(device(2))), None);
}

// ---------------------------------------------------------------------------------------
// Enrollment codes

fn using_a_code_clears_its_deposit_and_records_its_use(s: &Storage) {
    let code = CodeRecord {
        lookup: "ABCD-EFGH".into(),
        verifier: Hash::of(b"proof"),
        deposit: Some(vec![9; 80]),
        users: vec![user(1), user(2)],
        coordinator: true,
        expires_at: 99_000,
        used_at: None,
    };
    let bare = CodeRecord {
        lookup: "ZZZZ-0000".into(),
        deposit: None,
        users: vec![],
        coordinator: false,
        ..code.clone()
    };
    write(s, |tx| {
        tx.insert_code(&code)?;
        tx.insert_code(&bare)
    });
    read(s, |tx| {
        assert_eq!(tx.code("ABCD-EFGH")?, Some(code.clone()));
        assert_eq!(tx.code("ZZZZ-0000")?, Some(bare.clone()));
        assert_eq!(tx.code("abcd-efgh")?, None, "lookups are exact");
        Ok(())
    });
    write(s, |tx| tx.use_code("ABCD-EFGH", 50_000));
    assert_eq!(
        read(s, |tx| tx.code("ABCD-EFGH")),
        Some(CodeRecord {
            deposit: None,
            used_at: Some(50_000),
            ..code.clone()
        })
    );
    assert_eq!(
        read(s, |tx| tx.code("ZZZZ-0000")),
        Some(bare),
        "another code is untouched"
    );
    // The same lookup twice is refused.
    assert!(s.write(|tx| tx.insert_code(&code)).is_err());
}

// ---------------------------------------------------------------------------------------
// Cursors, counts, snapshots

fn latest_cursor_is_zero_without_events_then_the_highest(s: &Storage) {
    assert_eq!(read(s, |tx| tx.latest_cursor()), 0);
    let events = chain(3, 1);
    let cursors: Vec<u64> = write(s, |tx| {
        events
            .iter()
            .map(|e| insert(tx, e, case(1)))
            .collect::<Result<_, _>>()
    });
    assert_eq!(read(s, |tx| tx.latest_cursor()), cursors[2]);
}

fn counts_count_devices_revoked_events_cases_and_forks(s: &Storage) {
    assert_eq!(read(s, |tx| tx.counts()), Counts::default());
    let events = chain(3, 1);
    let d = events[0].header.device_id;
    write(s, |tx| {
        tx.insert_device(&device_record(1, 1))?;
        tx.insert_device(&device_record(2, 2))?;
        tx.insert_device(&device_record(3, 3))?;
        tx.revoke(device(2), 10)?;
        for e in &events {
            insert(tx, e, case(1))?;
        }
        tx.put_case(
            case(1),
            &CaseRow {
                audience: Audience::default(),
                wrapped_key: None,
                widened_at: 1,
            },
        )?;
        // A fork is kept beside the event it contradicts, as often as it comes.
        tx.keep_fork(d, 2, 20, "{\"fork\":1}")?;
        tx.keep_fork(d, 2, 21, "{\"fork\":1}")
    });
    assert_eq!(
        read(s, |tx| tx.counts()),
        Counts {
            devices: 3,
            revoked: 1,
            events: 3,
            cases: 1,
            forks: 2,
            destroyed: 0,
        }
    );
    assert_eq!(
        read(s, |tx| tx.stored_hash(d, 2)),
        Some(events[1].hash),
        "the event stays"
    );
}

fn a_destroyed_case_loses_its_key_and_its_events_and_forks_can_be_rewritten(s: &Storage) {
    let events = chain(2, 1);
    let d = events[0].header.device_id;
    let (first, second) = write(s, |tx| {
        let first = insert(tx, &events[0], case(1))?;
        let second = insert(tx, &events[1], case(2))?;
        for c in [case(1), case(2)] {
            tx.put_case(
                c,
                &CaseRow {
                    audience: Audience::default(),
                    wrapped_key: Some(vec![7; 40]),
                    widened_at: first,
                },
            )?;
        }
        tx.keep_fork(d, 1, 20, "{\"fork\":1}")?;
        Ok((first, second))
    });
    assert!(!read(s, |tx| tx.is_destroyed(case(1))));
    let shredded = json(&events[0].clone().shredded());
    write(s, |tx| {
        tx.mark_destroyed(case(1), second)?;
        // Again, as a second tombstone of the same case would: nothing changes.
        tx.mark_destroyed(case(1), second + 1)?;
        tx.replace_sealed(first, &shredded)?;
        let forks = tx.forks()?;
        assert_eq!(forks.len(), 1);
        tx.replace_fork(forks[0].0, "{\"fork\":2}")
    });
    read(s, |tx| {
        assert!(tx.is_destroyed(case(1))? && !tx.is_destroyed(case(2))?);
        assert_eq!(tx.case(case(1))?.and_then(|r| r.wrapped_key), None);
        assert_eq!(
            tx.case(case(2))?.and_then(|r| r.wrapped_key),
            Some(vec![7; 40]),
            "the other case keeps its key"
        );
        let stored = tx.events_of_case(case(1), u64::MAX)?;
        assert_eq!(stored.len(), 1, "the event keeps its place");
        assert_eq!(stored[0].sealed, shredded);
        assert_eq!(
            tx.events_of_case(case(2), u64::MAX)?[0].sealed,
            json(&events[1])
        );
        assert_eq!(tx.forks()?[0].1, "{\"fork\":2}");
        assert_eq!(tx.stored_hash(d, 1)?, Some(events[0].hash));
        assert_eq!(tx.counts()?.destroyed, 1);
        Ok(())
    });
}

fn a_read_sees_committed_writes(s: &Storage) {
    let events = chain(2, 1);
    let first = write(s, |tx| insert(tx, &events[0], case(1)));
    assert_eq!(read(s, |tx| tx.latest_cursor()), first);
    let second = write(s, |tx| insert(tx, &events[1], case(1)));
    read(s, |tx| {
        assert_eq!(tx.latest_cursor()?, second);
        assert_eq!(tx.events_after(0, 10)?.len(), 2);
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------
// More than one server on the same data

fn a_second_server_opens_a_migrated_database(b: &Backend) {
    let events = chain(1, 1);
    let one = b.open();
    let cursor = write(&one, |tx| insert(tx, &events[0], case(1)));
    let two = b.open();
    assert_eq!(
        read(&two, |tx| tx.latest_cursor()),
        cursor,
        "the second sees the first's data"
    );
    drop(one);
    drop(two);
    let three = b.open();
    assert_eq!(read(&three, |tx| tx.counts()).events, 1);
}

fn a_read_keeps_its_snapshot_while_another_server_writes(b: &Backend) {
    let events = chain(2, 1);
    let (reader, writer) = (b.open(), b.open());
    let first = write(&writer, |tx| insert(tx, &events[0], case(1)));
    let (seen_before, seen_after) = read(&reader, |tx| {
        let before = tx.events_after(0, 10)?;
        write(&writer, |w| insert(w, &events[1], case(1)));
        Ok((before, tx.events_after(0, 10)?))
    });
    assert_eq!(seen_before.len(), 1);
    assert_eq!(seen_before[0].cursor, first);
    assert_eq!(
        seen_after, seen_before,
        "the snapshot does not move within one read"
    );
    assert_eq!(
        read(&reader, |tx| tx.events_after(0, 10)).len(),
        2,
        "the next read sees the write"
    );
}

/// Two servers: while the first holds its write transaction open, the second's write waits,
/// and then sees what the first committed, so cursors commit in order.
fn a_second_writer_waits_for_the_first_to_commit(b: &Backend) {
    let a = chain(1, 1);
    let c = chain(1, 2);
    let (one, two) = (b.open(), b.open());
    let (started, wait_started) = mpsc::channel();
    let first = std::thread::scope(|scope| {
        let first = scope.spawn(|| {
            write(&one, |tx| {
                let cursor = insert(tx, &a[0], case(1))?;
                started.send(()).expect("signals");
                std::thread::sleep(Duration::from_millis(400));
                Ok(cursor)
            })
        });
        wait_started.recv().expect("the first writer started");
        let (seen, second) = write(&two, |tx| {
            let seen = tx.latest_cursor()?;
            Ok((seen, insert(tx, &c[0], case(2))?))
        });
        let first = first.join().expect("the first writer finished");
        assert_eq!(
            seen, first,
            "the second writer ran after the first committed"
        );
        assert!(
            second > first,
            "and its cursor is the higher: {first} then {second}"
        );
        first
    });
    assert_eq!(
        read(&two, |tx| tx.events_after(0, 10))
            .iter()
            .map(|e| e.cursor)
            .next(),
        Some(first)
    );
}

// ---------------------------------------------------------------------------------------
// PostgreSQL only

mod postgresql_only {
    use super::*;

    /// Two servers starting at once on an empty database both migrate it without a fight.
    #[test]
    fn two_servers_starting_at_once_both_migrate() {
        let b = Backend::postgresql("conformance");
        let (one, two) = std::thread::scope(|scope| {
            let one = scope.spawn(|| b.open());
            let two = scope.spawn(|| b.open());
            (
                one.join().expect("first opens"),
                two.join().expect("second opens"),
            )
        });
        let cursor = write(&one, |tx| insert(tx, &chain(1, 1)[0], case(1)));
        assert_eq!(read(&two, |tx| tx.latest_cursor()), cursor);
    }

    /// The server opens, uses and drops its storage from a tokio runtime the way it runs:
    /// open and drop on async threads, transactions in `spawn_blocking`.
    #[test]
    fn the_storage_is_opened_and_dropped_inside_a_tokio_runtime() {
        let b = Backend::postgresql("conformance");
        let url = b.url.clone().expect("a postgres URL");
        let dir = b.dir.path().to_owned();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        rt.block_on(async move {
            let s = Storage::open(&dir, Some(&url)).expect("opens inside the runtime");
            let s = tokio::task::spawn_blocking(move || {
                write(&s, |tx| tx.set_role(user(1), Role::Teacher));
                s
            })
            .await
            .expect("the blocking task ran");
            drop(s);
        });
    }

    /// After the database crashed and came back, the same storage writes again (the first
    /// transaction reconnects) and nothing acknowledged before the crash is lost.
    #[test]
    fn a_restarted_database_is_reconnected_and_kept_what_was_committed() {
        let cluster = TempCluster::start();
        let dir = tempfile::tempdir().expect("a folder");
        let s = Storage::open(dir.path(), Some(&cluster.url())).expect("opens");
        let events = chain(3, 1);
        let first = write(&s, |tx| insert(tx, &events[0], case(1)));
        assert_eq!(read(&s, |tx| tx.latest_cursor()), first);

        cluster.stop();
        cluster.restart();

        let second = write(&s, |tx| insert(tx, &events[1], case(1)));
        assert!(second > first);
        let stored: Vec<u64> = read(&s, |tx| tx.events_after(0, 10))
            .iter()
            .map(|e| e.cursor)
            .collect();
        assert_eq!(stored, vec![first, second]);

        // An operator's restart: the server tells the connections it shuts down.
        cluster.stop_fast();
        cluster.restart();

        let third = write(&s, |tx| insert(tx, &events[2], case(1)));
        assert!(third > second);
        assert_eq!(read(&s, |tx| tx.counts()).events, 3);

        let dump = cluster.pg_dump();
        assert!(
            dump.contains("CREATE TABLE public.events"),
            "pg_dump dumps the schema"
        );
        assert!(dump.contains(&events[0].header.kind), "and the rows");
    }
}
