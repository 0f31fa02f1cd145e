//! `make bench`: a printed dossier of a 100-record case, made through the store as the app
//! makes it (records read, dossier head, layout, fonts, PDF written to a file, the copy put on
//! record). The goal: under 2 s. Medians and the slowest of `RUNS` wall-clock runs.
//!
//! Run it through `scripts/with-keyring.sh`: `Store::init` keeps the device secret in the
//! Secret Service.

// A bench, not product code: any failure should stop it loudly, so plain unwrap/expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::records::{ExportCopy, ExportRecipient};
use meldcode_engine::{testkit, Command};
use meldcode_store::store::export::ExportRequest;
use meldcode_store::{KdfParams, Store};
use std::time::{Duration, Instant};

const RECORDS: usize = 100;
const RUNS: usize = 10;
const GOAL: Duration = Duration::from_secs(2);

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let kdf = KdfParams {
        memory_kib: 7_168,
        iterations: 5,
        parallelism: 1,
    };
    let mut store = Store::init(
        &dir.path().join("data"),
        SchoolProfile::mozaiek(),
        "Anouk Jansen",
        "482913",
        kdf,
    )
    .expect("Store::init (run through scripts/with-keyring.sh)")
    .store;
    let case = Store::new_case_id();
    store
        .record(
            case,
            &Command::OpenCase {
                pupil: testkit::pupil(),
                parents: vec![testkit::parent()],
            },
        )
        .unwrap();
    // Signals with the child's words and a body map, consultations, conversations with two
    // drawn signatures: the records that make a dossier long.
    let cycle = [
        testkit::signal_own(),
        testkit::signal_from_other(),
        testkit::consultation_internal(),
        testkit::child_conversation(),
        testkit::conversation(),
        testkit::advice(),
    ];
    for i in 1..RECORDS {
        store.record(case, &cycle[i % cycle.len()]).unwrap();
    }
    let request = ExportRequest {
        copy: ExportCopy::Full,
        recipient: ExportRecipient::VeiligThuis,
        recipient_note: None,
        masks: Vec::new(),
    };
    let file = dir.path().join("dossier.pdf");
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        store
            .export_pdf(case, &request, |bytes| {
                size = bytes.len();
                std::fs::write(&file, bytes)
            })
            .unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[RUNS / 2];
    let slowest = times[RUNS - 1];
    let pages = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("Pages:"))
                .map(|l| l[6..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    println!("PDF of a {RECORDS}-record case (full dossier, through the store, {RUNS} runs):");
    println!(
        "    median {:.0} ms, slowest {:.0} ms (goal < {} s: {}); {pages} pages, {:.0} KiB",
        median.as_secs_f64() * 1e3,
        slowest.as_secs_f64() * 1e3,
        GOAL.as_secs(),
        if slowest < GOAL { "met" } else { "NOT MET" },
        size as f64 / 1024.0
    );
}
