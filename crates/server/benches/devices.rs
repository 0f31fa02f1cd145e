//! `make bench`: sync as the app's devices do it, over real stores (engine, SQLCipher, vault, OS
//! keyring) and the server over TLS on 127.0.0.1. Run under `scripts/with-keyring.sh`.
//!
//! Each device is modelled on the app's shell (`src-tauri/src/background_sync.rs`): its store
//! behind a `Mutex`; a rounds thread, kicked after every save (kicks during a round collapse into
//! one more round), whose round hands over under the mutex, runs the spool's network round
//! without it, takes what arrived under it and reads the status line under it; and, once
//! enrolled, a push listener that waits on the server's stream through the spool and kicks a
//! round on news, then waits for that round.
//!
//! (a) Capture time: quick captures on an unenrolled device against captures on an enrolled one
//!     whose rounds run after every capture (they contend for the mutex, the disk and the CPU),
//!     in alternating batches; each timed from before taking the mutex (goal: enrolled within
//!     1.1× of unenrolled). The server runs in this process, on the same cores: part of what
//!     this charges to sync is the server's own work, which a tablet does not do;
//! (b) a capture on device A to the case being in device B's dossier, B woken by the server's
//!     push (goal: under 5 s).

// A bench, not product code: any failure should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/in_process.rs"]
mod in_process;

use in_process::InProcess;
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::signal::SignalInput;
use meldcode_engine::testkit::{parent, pupil, signal_own};
use meldcode_engine::{CaseId, Command, Role};
use meldcode_store::sync::spool::Spool;
use meldcode_store::{CaptureRequest, KdfParams, NewPupil, Proof, Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The tests' Argon2id (7 MiB, 5 passes): unlocking is not what is measured here.
const FAST: KdfParams = KdfParams {
    memory_kib: 7_168,
    iterations: 5,
    parallelism: 1,
};
const PIN: &str = "482913";
const OTHER_PIN: &str = "739164";

/// Captures per device in (a), in batches that alternate between the two devices.
const BATCHES: usize = 20;
const PER_BATCH: usize = 20;
const WARM_UP: usize = 10;
/// Captures on A followed to B in (b).
const A_TO_B: usize = 25;
/// The pause after the i-th capture of a batch: 0 to 95 ms, about twice a round here. The same
/// pauses on both devices: on the enrolled one each capture meets the rounds of the ones before
/// it in every phase (hand-over, network, taking in, status line), and kicks that come during a
/// round collapse into one more round, as in the app.
fn gap(i: usize) -> Duration {
    Duration::from_millis(5 * u64::try_from(i).unwrap())
}

/// As the shell: one wait on the server's stream, and the backoff after a failure.
const LISTEN: Duration = Duration::from_secs(60);
const FIRST_RETRY: Duration = Duration::from_secs(2);
const LAST_RETRY: Duration = Duration::from_secs(300);

fn next_retry(previous: Option<Duration>) -> Duration {
    previous.map_or(FIRST_RETRY, |d| (d * 2).min(LAST_RETRY))
}

/// The background's bookkeeping, one lock for all of it.
#[derive(Default)]
struct Background {
    /// A kick not yet taken up by the rounds thread (at most one, like `Notify`).
    kicked: bool,
    running: bool,
    /// Finished rounds.
    rounds: u64,
    /// Finished rounds that took something into the dossier (the shell emits `received`).
    received: u64,
    /// The time the finished rounds took, altogether.
    busy: Duration,
    /// Times the push listener heard news and kicked a round.
    news: u64,
}

/// One device as the app's shell holds it.
struct Device {
    dir: PathBuf,
    store: Mutex<Store>,
    /// The rounds' spool, kept open between rounds as the shell keeps it.
    spool: Mutex<Option<Spool>>,
    background: Mutex<Background>,
    changed: Condvar,
    stop: AtomicBool,
}

impl Device {
    fn start(dir: &Path, store: Store) -> (Arc<Self>, Vec<JoinHandle<()>>) {
        let enrolled = store.is_enrolled().unwrap();
        let device = Arc::new(Self {
            dir: dir.to_owned(),
            store: Mutex::new(store),
            spool: Mutex::new(None),
            background: Mutex::new(Background::default()),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        // The shell kicks a round at start.
        device.kick();
        let mut threads = vec![std::thread::spawn({
            let d = device.clone();
            move || d.rounds()
        })];
        if enrolled {
            threads.push(std::thread::spawn({
                let d = device.clone();
                move || d.listen()
            }));
        }
        (device, threads)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap()
    }

    fn background(&self) -> MutexGuard<'_, Background> {
        self.background.lock().unwrap()
    }

    fn kick(&self) {
        self.background().kicked = true;
        self.changed.notify_all();
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Sleeps `wait`, or less when the bench ends.
    fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut bg = self.background();
        while !self.stopping() {
            let Some(left) = until.checked_duration_since(Instant::now()) else {
                return;
            };
            bg = self.changed.wait_timeout(bg, left).unwrap().0;
        }
    }

    /// `background_sync::rounds`: wait for a kick (or the retry time), run a round, repeat.
    fn rounds(&self) {
        let mut retry: Option<Duration> = None;
        loop {
            {
                let until = retry.map(|w| Instant::now() + w);
                let mut bg = self.background();
                loop {
                    if self.stopping() {
                        return;
                    }
                    if bg.kicked {
                        break;
                    }
                    match until {
                        None => bg = self.changed.wait(bg).unwrap(),
                        Some(until) => {
                            let Some(left) = until.checked_duration_since(Instant::now()) else {
                                break;
                            };
                            bg = self.changed.wait_timeout(bg, left).unwrap().0;
                        }
                    }
                }
                bg.kicked = false;
                bg.running = true;
            }
            let started = Instant::now();
            let outcome = self.round();
            {
                let mut bg = self.background();
                bg.running = false;
                bg.rounds += 1;
                bg.busy += started.elapsed();
                if matches!(outcome, Ok(taken) if taken > 0) {
                    bg.received += 1;
                }
            }
            self.changed.notify_all();
            retry = match outcome {
                Err(StoreError::ServerUnreachable { .. }) => Some(next_retry(retry)),
                _ => None,
            };
        }
    }

    /// `background_sync::run_round` and `round`: hand over (under the mutex), the spool's round
    /// over the network (not under it), take what arrived (under it), then the status line
    /// (under it). Returns how many received events were taken.
    fn round(&self) -> Result<u64, StoreError> {
        if let Err(e) = self.store().hand_over() {
            eprintln!("bench: hand-over failed ({})", e.code());
        }
        let result = (|| {
            let mut cached = self.spool.lock().unwrap();
            if cached.is_none() {
                *cached = Spool::open_locked(&self.dir)?;
            }
            let Some(spool) = cached.as_mut() else {
                return Ok(0);
            };
            let exchanged = spool.round();
            assert!(!spool.revoked()?, "nobody revokes anything here");
            let taken = self.store().take_received()?;
            exchanged.map(|_| taken)
        })();
        let _status = self.store().sync_status();
        result
    }

    /// `background_sync::taken_already`: after the round in progress (if any), whether the
    /// rounds' spool's cursor is past the news.
    fn taken_already(&self, news: u64) -> bool {
        {
            let mut bg = self.background();
            while bg.running && !self.stopping() {
                bg = self.changed.wait(bg).unwrap();
            }
        }
        self.spool
            .lock()
            .unwrap()
            .as_ref()
            .and_then(|s| s.cursor().ok())
            .is_some_and(|cursor| cursor >= news)
    }

    /// `background_sync::listen`: wait on the server's stream through the spool; on news, kick
    /// a round and wait until it finished.
    fn listen(&self) {
        let mut retry: Option<Duration> = None;
        let mut last_news_cursor: Option<u64> = None;
        while !self.stopping() {
            let waited = (|| -> Result<(Option<u64>, u64), StoreError> {
                let Some(spool) = Spool::open_locked(&self.dir)? else {
                    return Err(StoreError::NotEnrolled);
                };
                let cursor = spool.cursor()?;
                Ok((spool.wait_for_news(LISTEN)?, cursor))
            })();
            if self.stopping() {
                return;
            }
            match waited {
                Ok((Some(news), cursor)) => {
                    if self.taken_already(news) {
                        retry = None;
                        continue;
                    }
                    if last_news_cursor == Some(cursor) {
                        let wait = next_retry(retry);
                        retry = Some(wait);
                        self.pause(wait);
                    } else {
                        retry = None;
                    }
                    last_news_cursor = Some(cursor);
                    let before = {
                        let mut bg = self.background();
                        bg.news += 1;
                        bg.rounds
                    };
                    self.kick();
                    let mut bg = self.background();
                    while bg.rounds <= before && !self.stopping() {
                        bg = self.changed.wait(bg).unwrap();
                    }
                }
                Ok((None, _)) => retry = None,
                Err(StoreError::NotEnrolled) => return,
                Err(_) => {
                    let wait = next_retry(retry);
                    retry = Some(wait);
                    self.pause(wait);
                }
            }
        }
    }

    /// Waits until no round runs or is due, and it stays so for a moment.
    fn settle(&self) {
        loop {
            let rounds = {
                let mut bg = self.background();
                while bg.kicked || bg.running {
                    bg = self.changed.wait(bg).unwrap();
                }
                bg.rounds
            };
            std::thread::sleep(Duration::from_millis(300));
            let bg = self.background();
            if !bg.kicked && !bg.running && bg.rounds == rounds {
                return;
            }
        }
    }

    /// Rounds finished so far, the time they took, and the push listener's wake-ups.
    fn rounds_done(&self) -> (u64, Duration, u64) {
        let bg = self.background();
        (bg.rounds, bg.busy, bg.news)
    }

    fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }
}

fn signal() -> SignalInput {
    match signal_own() {
        Command::RecordSignal(s) => s,
        other => panic!("testkit gave {other:?}"),
    }
}

fn case_with_signal(store: &mut Store) -> CaseId {
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
        .unwrap();
    case
}

fn new_store(dir: &Path) -> Store {
    Store::init(dir, SchoolProfile::mozaiek(), "Anouk Jansen", PIN, FAST)
        .expect("init against the Secret Service (run under scripts/with-keyring.sh)")
        .store
}

/// The coordinator's store, enrolled as the school's first device.
fn first_device(server: &InProcess, dir: &Path) -> Store {
    let mut store = new_store(dir);
    store
        .enroll(&server.url, &server.first_code().text())
        .unwrap();
    store
}

/// A second device of a second coordinator, joined with a code made on `coordinator`.
fn joined(server: &InProcess, coordinator: &mut Store, dir: &Path) -> Store {
    let user = coordinator
        .add_user(Proof::Pin(PIN), "Carla Smit", Role::Coordinator, OTHER_PIN)
        .unwrap();
    let code = coordinator.new_enrollment_code(user.id).unwrap();
    Store::join(dir, &server.url, &code.text, OTHER_PIN, FAST).unwrap()
}

fn stop_all(devices: &[&Arc<Device>], server: InProcess, threads: Vec<JoinHandle<()>>) {
    for d in devices {
        d.stop();
    }
    // The listeners wait on the server's streams: they end with the server.
    drop(server);
    for t in threads {
        t.join().unwrap();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mean(times: &[Duration]) -> Duration {
    times.iter().sum::<Duration>() / u32::try_from(times.len()).unwrap()
}

/// p50, p99 and mean of `times`, as printed.
fn summary(times: &[Duration]) -> (Duration, Duration, Duration) {
    let mut sorted = times.to_vec();
    sorted.sort();
    (
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.99),
        mean(&sorted),
    )
}

/// One quick capture as the `capture` command makes it: the whole time, from before taking the
/// store's mutex, and the part of it spent waiting for the mutex.
fn capture_on(device: &Device, case: CaseId) -> (Duration, Duration) {
    let request = CaptureRequest {
        case_id: Some(case),
        new_pupil: None,
        signal: signal(),
    };
    let start = Instant::now();
    let mut store = device.store();
    let waited = start.elapsed();
    store.capture(&request).unwrap();
    drop(store);
    let took = start.elapsed();
    // The save is done, then a round is kicked.
    device.kick();
    (took, waited)
}

fn capture_time(tmp: &Path) {
    let server = InProcess::start(None);
    let mut plain = new_store(&tmp.join("unenrolled"));
    let mut synced = first_device(&server, &tmp.join("enrolled"));
    let plain_case = case_with_signal(&mut plain);
    let synced_case = case_with_signal(&mut synced);
    let (plain, mut threads) = Device::start(&tmp.join("unenrolled"), plain);
    let (synced, more) = Device::start(&tmp.join("enrolled"), synced);
    threads.extend(more);

    // Warm-up (not counted), each capture's round done before the next.
    for (device, case) in [(&plain, plain_case), (&synced, synced_case)] {
        device.settle();
        for _ in 0..WARM_UP {
            capture_on(device, case);
            device.settle();
        }
    }
    let mut times = [Vec::new(), Vec::new()];
    let mut waits = Vec::new();
    let (rounds_before, busy_before, news_before) = synced.rounds_done();
    for batch in 0..BATCHES {
        // Alternating order, so that load from elsewhere on the machine falls on both alike.
        let order = if batch % 2 == 0 { [0, 1] } else { [1, 0] };
        for which in order {
            let (device, case) = if which == 0 {
                (&plain, plain_case)
            } else {
                (&synced, synced_case)
            };
            plain.settle();
            synced.settle();
            for i in 0..PER_BATCH {
                let (took, waited) = capture_on(device, case);
                times[which].push(took);
                if which == 1 {
                    waits.push(waited);
                }
                std::thread::sleep(gap(i));
            }
        }
    }
    synced.settle();
    let (rounds_after, busy_after, news_after) = synced.rounds_done();
    let rounds = rounds_after - rounds_before;
    let busy = busy_after - busy_before;
    let news = news_after - news_before;
    stop_all(&[&plain, &synced], server, threads);

    let (u50, u99, umean) = summary(&times[0]);
    let (e50, e99, emean) = summary(&times[1]);
    let (_, w99, wmean) = summary(&waits);
    let waited = waits
        .iter()
        .filter(|w| **w > Duration::from_micros(100))
        .count();
    let n = times[0].len();
    println!(
        "Capture on an unenrolled device: {n} captures, p50 {:.2} ms, p99 {:.2} ms, mean {:.2} ms",
        ms(u50),
        ms(u99),
        ms(umean)
    );
    println!(
        "Capture on an enrolled device, a sync round kicked after each as in the app: {n} captures, p50 {:.2} ms, p99 {:.2} ms, mean {:.2} ms; waiting for the store's mutex in it: mean {:.2} ms, p99 {:.2} ms, over 0.1 ms in {waited} (pauses of 0 to {:.0} ms between captures; {rounds} rounds ran, {:.2} per capture, {:.0} ms each on average; the push listener woke {news} times, on the device's own uploads: no other device is here)",
        ms(e50),
        ms(e99),
        ms(emean),
        ms(wmean),
        ms(w99),
        ms(gap(PER_BATCH - 1)),
        rounds as f64 / n as f64,
        ms(busy) / rounds as f64,
    );
    let p50_ratio = e50.as_secs_f64() / u50.as_secs_f64();
    let mean_ratio = emean.as_secs_f64() / umean.as_secs_f64();
    let over = if p50_ratio > 1.1 || mean_ratio > 1.1 {
        "  OVER THE GOAL"
    } else {
        ""
    };
    println!(
        "Capture enrolled / unenrolled: p50 {p50_ratio:.2}×, mean {mean_ratio:.2}× (goal ≤ 1.1×){over}"
    );
}

fn a_to_b(tmp: &Path) {
    let server = InProcess::start(None);
    let mut a = first_device(&server, &tmp.join("a"));
    let b = joined(&server, &mut a, &tmp.join("b"));
    let (a, mut threads) = Device::start(&tmp.join("a"), a);
    let (b, more) = Device::start(&tmp.join("b"), b);
    threads.extend(more);

    let mut times = Vec::new();
    for i in 0..=A_TO_B {
        a.settle();
        b.settle();
        let request = CaptureRequest {
            case_id: None,
            new_pupil: Some(NewPupil {
                full_name: format!("Leerling {i}"),
                group: "groep 5".into(),
                date_of_birth: None,
            }),
            signal: signal(),
        };
        let mut seen = b.background().received;
        let start = Instant::now();
        let case = a.store().capture(&request).unwrap().case_id;
        a.kick();
        let arrived = loop {
            // As the UI: it reads the list again when the shell says something was received.
            {
                let mut bg = b.background();
                while bg.received == seen {
                    let (g, timeout) = b.changed.wait_timeout(bg, Duration::from_secs(10)).unwrap();
                    bg = g;
                    if timeout.timed_out() {
                        break;
                    }
                }
                seen = bg.received;
            }
            let listed = b.store().list_cases(None).unwrap();
            if listed.iter().any(|c| c.summary.case_id == case) {
                break start.elapsed();
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the capture did not reach B within a minute"
            );
        };
        if i > 0 {
            // The first one warms up (file cache, connections); not counted.
            times.push(arrived);
        }
    }
    stop_all(&[&a, &b], server, threads);

    times.sort();
    let max = times[times.len() - 1];
    println!(
        "Capture on A to the case in B's dossier (B woken by the server's push): p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms over {} (goal < 5 s){}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(max),
        times.len(),
        if max >= Duration::from_secs(5) {
            "  OVER THE GOAL"
        } else {
            ""
        }
    );
}

fn main() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "run under scripts/with-keyring.sh: the stores keep their device secret in the Secret Service"
    );
    println!(
        "Devices as the app's shell runs them (store behind a mutex, a sync round after each save, the push listener), \
         real stores (SQLCipher, OS keyring) and the server in process over TLS on 127.0.0.1; \
         Argon2id at the tests' small parameters (7 MiB, 5 passes): unlocking is not measured here"
    );
    let tmp = tempfile::tempdir().unwrap();
    capture_time(&tmp.path().join("capture"));
    a_to_b(&tmp.path().join("a-to-b"));
}
