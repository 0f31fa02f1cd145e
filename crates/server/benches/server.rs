//! `make bench`: the school server's figures, for SQLite and for PostgreSQL.
//!
//! (a) 50 devices upload 1,000 events each at once, over TLS on 127.0.0.1: events per second,
//!     and the median and 99th percentile of an upload's latency;
//! (b) the same rows inserted straight into the same kind of database (no HTTP, no checks),
//!     with the same batches: the floor of (a), and their ratio (goal: within 2×);
//! (c) from an upload on device A to device B having pulled it, B woken by the server's push
//!     (goal: under 5 s).

// A bench, not product code: any failure should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/in_process.rs"]
mod in_process;
#[path = "../tests/support/postgres_cluster.rs"]
mod postgres_cluster;

use in_process::{InProcess, RawDevice};
use meldcode_engine::{Actor, Role, UserId};
use meldcode_server::storage::Storage;
use meldcode_sync::api::{NewCode, Upload};
use meldcode_sync::enroll::{verifier, EnrollmentCode, RANDOM_LEN};
use meldcode_sync::ingest::ChainTip;
use meldcode_sync::testing::{chain_of, device};
use meldcode_sync::SealedEvent;
use std::sync::Arc;
use std::time::{Duration, Instant};

const DEVICES: u8 = 50;
const EVENTS: usize = 1_000;
const BATCH: usize = 100;

fn coordinator() -> Actor {
    Actor {
        user_id: UserId::from_u128(1),
        role: Role::Coordinator,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Enrolls device(1) with the first code, and `more` devices with codes it makes.
fn enroll_all(server: &InProcess, more: u8) -> Vec<RawDevice> {
    let first = RawDevice::enroll(server, &server.first_code(), device(1), vec![coordinator()]);
    let mut devices = vec![];
    for byte in 2..=more + 1 {
        let mut random = zeroize::Zeroizing::new([0u8; RANDOM_LEN]);
        random[0] = byte;
        random[1] = 0xbe;
        let code = EnrollmentCode::new(random, &server.fingerprint);
        first
            .transport
            .new_code(&NewCode {
                lookup: code.lookup(),
                verifier: verifier(&code.proof()),
                deposit: vec![1],
                users: vec![coordinator().user_id],
                coordinator: false,
            })
            .unwrap();
        devices.push(RawDevice::enroll(server, &code, device(byte), vec![]));
    }
    devices.insert(0, first);
    devices
}

fn chains() -> Vec<Vec<SealedEvent>> {
    (2..=DEVICES + 1).map(|b| chain_of(EVENTS, b).1).collect()
}

fn ingest(label: &str, database_url: Option<&str>, chains: &[Vec<SealedEvent>]) -> Duration {
    let server = InProcess::start(database_url);
    let mut devices = enroll_all(&server, DEVICES);
    devices.remove(0);
    let start = Instant::now();
    let latencies: Vec<Duration> = std::thread::scope(|s| {
        let handles: Vec<_> = devices
            .iter()
            .zip(chains)
            .map(|(d, chain)| {
                s.spawn(move || {
                    let mut own = Vec::new();
                    for batch in chain.chunks(BATCH) {
                        let t = Instant::now();
                        d.transport
                            .upload(&Upload {
                                events: batch.to_vec(),
                                case_keys: vec![],
                            })
                            .unwrap();
                        own.push(t.elapsed());
                    }
                    own
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let total = start.elapsed();
    let mut sorted = latencies;
    sorted.sort();
    let events = usize::from(DEVICES) * EVENTS;
    println!(
        "{label}: {events} events from {DEVICES} devices at once in {:.2} s = {:.0} events/s; upload of {BATCH}: p50 {:.1} ms, p99 {:.1} ms",
        total.as_secs_f64(),
        events as f64 / total.as_secs_f64(),
        ms(percentile(&sorted, 0.5)),
        ms(percentile(&sorted, 0.99)),
    );
    total
}

/// The same rows and batches, straight into the database, from as many threads.
fn floor(label: &str, database_url: Option<&str>, chains: &[Vec<SealedEvent>]) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let storage = Arc::new(Storage::open(dir.path(), database_url).unwrap());
    let start = Instant::now();
    std::thread::scope(|s| {
        for chain in chains {
            let storage = storage.clone();
            s.spawn(move || {
                for batch in chain.chunks(BATCH) {
                    let rows: Vec<(SealedEvent, String)> = batch
                        .iter()
                        .map(|e| (e.clone(), serde_json::to_string(e).unwrap()))
                        .collect();
                    storage
                        .write(|tx| {
                            for (e, json) in &rows {
                                let h = &e.header;
                                tx.insert_event(h.device_id, h.seq, h.case_id, &e.hash, json)?;
                            }
                            let last = &rows[rows.len() - 1].0;
                            tx.set_tip(
                                last.header.device_id,
                                &ChainTip {
                                    seq: last.header.seq,
                                    hash: last.hash,
                                },
                            )
                        })
                        .unwrap();
                }
            });
        }
    });
    let total = start.elapsed();
    println!(
        "{label}: the same rows inserted straight: {:.2} s",
        total.as_secs_f64()
    );
    total
}

/// Device A uploads one event; device B, waiting on the server's push, pulls it.
fn a_to_b(label: &str, database_url: Option<&str>) {
    let server = InProcess::start(database_url);
    let mut devices = enroll_all(&server, 1);
    let b = devices.remove(0); // the coordinator's device receives every case
    let a = devices.remove(0);
    let chain = chain_of(20, 2).1;
    let mut times = Vec::new();
    let mut cursor = 0;
    for event in chain {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let waiter = std::thread::scope(|s| {
            let b = &b;
            let h = s.spawn(move || {
                ready_tx.send(()).unwrap();
                // The stream answers at once with the current cursor; wait for a newer one.
                while b
                    .transport
                    .wait_for_news(cursor, Duration::from_secs(10))
                    .unwrap()
                    .is_none()
                {}
                let page = b.transport.pull(cursor, 100).unwrap();
                (Instant::now(), page)
            });
            ready_rx.recv().unwrap();
            std::thread::sleep(Duration::from_millis(50));
            let sent = Instant::now();
            a.transport
                .upload(&Upload {
                    events: vec![event.clone()],
                    case_keys: vec![],
                })
                .unwrap();
            let (got, page) = h.join().unwrap();
            assert!(page.events.iter().any(|e| e.hash == event.hash));
            cursor = page.cursor;
            got - sent
        });
        times.push(waiter);
    }
    times.sort();
    println!(
        "{label}: upload on A to pulled on B (woken by the push): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms over {}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn main() {
    let chains = chains();
    for (label, cluster) in [
        ("SQLite", None),
        ("PostgreSQL", Some(postgres_cluster::TempCluster::start())),
    ] {
        let url = cluster.as_ref().map(|c| c.url());
        let ingest_time = ingest(label, url.as_deref(), &chains);
        let url_floor = cluster.as_ref().map(|c| c.create_database("floor"));
        let floor_time = floor(label, url_floor.as_deref(), &chains);
        println!(
            "{label}: ingest / straight insert = {:.2} (goal ≤ 2)",
            ingest_time.as_secs_f64() / floor_time.as_secs_f64()
        );
        let url_latency = cluster.as_ref().map(|c| c.create_database("latency"));
        a_to_b(label, url_latency.as_deref());
    }
}
