//! Kills a writer process with SIGKILL at random moments, many times. After each kill, every
//! event whose append had returned is there and every chain verifies.
//!
//! The writer is this same test binary, re-run with `MELDCODE_CRASH_CHILD` set: it appends
//! signals in a loop and prints `ACK <event id>` only after `record` returned.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use common::*;
use meldcode_engine::testkit;
use meldcode_engine::{CaseId, UserId};
use meldcode_store::Store;
use std::collections::hash_map::RandomState;
use std::collections::BTreeSet;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const ROUNDS: usize = 40;

#[test]
fn crash_writer_child() {
    let Ok(dir) = std::env::var("MELDCODE_CRASH_CHILD") else {
        return;
    };
    let user: UserId = std::env::var("MELDCODE_CRASH_USER")
        .unwrap()
        .parse()
        .unwrap();
    let case: CaseId = std::env::var("MELDCODE_CRASH_CASE")
        .unwrap()
        .parse()
        .unwrap();
    let mut store = Store::unlock(std::path::Path::new(&dir), user, PIN).unwrap();
    let mut out = std::io::stdout().lock();
    loop {
        let events = store.record(case, &testkit::signal_own()).unwrap();
        writeln!(out, "ACK {}", events[0].id).unwrap();
        out.flush().unwrap();
    }
}

fn random_below(n: u64) -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(n);
    h.finish() % n
}

#[test]
fn killed_writers_never_lose_an_acknowledged_event() {
    let mut f = fresh();
    let data = f.data();
    let me = f.store.user().id;
    let case = case_with_signal(&mut f.store);
    f.store.lock();
    let mut acknowledged = BTreeSet::new();
    let mut killed_mid_run = 0;
    for _ in 0..ROUNDS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash_writer_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("MELDCODE_CRASH_CHILD", &data)
            .env("MELDCODE_CRASH_USER", me.to_string())
            .env("MELDCODE_CRASH_CASE", case.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("ACK ").map(str::to_owned))
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(50 + random_below(400)));
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        if !status.success() {
            killed_mid_run += 1;
        }
        acknowledged.extend(reader.join().unwrap());

        let store = Store::unlock(&data, me, PIN).unwrap();
        let report = store.verify().unwrap();
        let present: BTreeSet<String> = store
            .case_view(case)
            .unwrap()
            .events
            .iter()
            .map(|e| e.id.to_string())
            .collect();
        let lost: Vec<&String> = acknowledged.difference(&present).collect();
        assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
        assert_eq!(report.events, present.len());
        store.lock();
    }
    assert_eq!(
        killed_mid_run, ROUNDS,
        "every writer was killed while writing"
    );
    assert!(acknowledged.len() > ROUNDS, "the writers did write");
    eprintln!(
        "crash test: {ROUNDS} writers killed, {} acknowledged events all present",
        acknowledged.len()
    );
}
