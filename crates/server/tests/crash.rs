//! Crashes while devices upload: the real `meldcode-server` on 127.0.0.1 is killed with SIGKILL
//! at random moments, at least 100 times, while 5 devices upload their chains in batches of
//! random size; after every kill it starts again on the same data (and database). A device that
//! loses its connection asks the new server where its chain stands (`hello`) and goes on from
//! there. Afterwards the database itself must hold, for every device, exactly seqs 1..=tip with
//! nothing twice, every upload the server acknowledged, every event as the device sealed it and
//! linked to the one before, and the chain's head at its last event. On SQLite and on
//! PostgreSQL (only the server is killed, never the database).
//!
//! The random choices (batch sizes, moments of the kills) come from a seed printed at the start;
//! `MELDCODE_CRASH_SEED=N` repeats them (the timing of the processes is not repeated).

#[path = "support/postgres_cluster.rs"]
mod postgres_cluster;
#[path = "support/server_process.rs"]
mod server_process;

use meldcode_engine::{Actor, DeviceId, Role, UserId};
use meldcode_server::storage::Storage;
use meldcode_store::sync::transport::{ClientIdentity, Pin, Transport};
use meldcode_store::StoreError;
use meldcode_sync::api::{Enroll, Hello, NewCode, Upload};
use meldcode_sync::enroll::{verifier, EnrollmentCode, RANDOM_LEN};
use meldcode_sync::ingest::ChainTip;
use meldcode_sync::testing::{chain_of, device};
use meldcode_sync::{ErrorCode, Hash, SealedEvent};
use postgres_cluster::TempCluster;
use server_process::{Running, ServerData};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The server is killed at least this often while the devices upload.
const MIN_KILLS: usize = 100;
const DEVICES: u8 = 5;
/// Each device's chain; long enough that the devices are still uploading at the last kill.
const CHAIN: usize = 4000;
const MAX_BATCH: u64 = 20;
/// The server serves this long (ms, after it printed its address) before it is killed.
const SERVE_MS: (u64, u64) = (5, 100);

/// One test at a time: the moments of the kills mean something only on a machine that is not
/// also running the other test's server and devices.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[test]
fn sigkill_while_five_devices_upload_on_sqlite() {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    crash_while_uploading(None);
}

#[test]
fn sigkill_while_five_devices_upload_on_postgresql() {
    let _alone = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let cluster = TempCluster::start();
    crash_while_uploading(Some(&cluster.url()));
}

/// xorshift64*: small, seeded, good enough for moments and batch sizes.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // splitmix64 of the seed, so that nearby seeds start far apart (and never at 0).
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Self((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform enough in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn seed() -> u64 {
    match std::env::var("MELDCODE_CRASH_SEED") {
        Ok(text) => text
            .trim()
            .parse()
            .expect("MELDCODE_CRASH_SEED is a number"),
        Err(_) => u64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock after 1970")
                .as_nanos()
                % u128::from(u64::MAX),
        )
        .expect("fits"),
    }
}

fn coordinator() -> Actor {
    Actor {
        user_id: UserId::from_u128(1),
        role: Role::Coordinator,
    }
}

fn tip_at(chain: &[SealedEvent], seq: u64) -> ChainTip {
    match seq {
        0 => ChainTip::EMPTY,
        n => {
            let e = &chain[usize::try_from(n - 1).expect("seq fits")];
            ChainTip {
                seq: e.header.seq,
                hash: e.hash,
            }
        }
    }
}

/// The server the devices should talk to now: `url` is `None` while it is down.
struct Current {
    generation: u64,
    url: Option<String>,
}

/// What the main thread and the devices share.
struct Shared {
    fingerprint: Hash,
    current: Mutex<Current>,
    changed: Condvar,
    /// Set after the last kill: devices stop after their next acknowledged upload.
    finish: AtomicBool,
    /// Devices still uploading.
    uploading: AtomicUsize,
    /// Per device, the highest seq an `UploadReceipt` acknowledged (kept here as well as in
    /// the device's report, so that a device that failed still counts).
    acked: Mutex<BTreeMap<DeviceId, u64>>,
    /// What went wrong, for the report at the end.
    failures: Mutex<Vec<String>>,
}

impl Shared {
    fn fail(&self, what: String) {
        eprintln!("FAILURE: {what}");
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(what);
    }

    /// The server after `generation`, or the same one after a short wait (an error that was
    /// not a kill: try again).
    fn wait_for_server(&self, generation: u64) -> (u64, String) {
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut c = self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut waited = false;
        loop {
            if let Some(url) = &c.url {
                if c.generation != generation || waited {
                    return (c.generation, url.clone());
                }
            }
            assert!(
                Instant::now() < deadline,
                "no server for 2 minutes: the main thread is gone"
            );
            let (guard, timeout) = self
                .changed
                .wait_timeout(c, Duration::from_millis(20))
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            c = guard;
            waited |= timeout.timed_out();
        }
    }

    fn publish(&self, url: Option<String>) {
        let mut c = self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        c.generation += 1;
        c.url = url;
        self.changed.notify_all();
    }
}

/// One device: its id, its certificate (its identity at the server) and its whole chain.
struct Device {
    id: DeviceId,
    identity: ClientIdentity,
    chain: &'static [SealedEvent],
}

/// The devices' chains (of `device(1..=DEVICES)`), sealed once for both tests and beforehand:
/// the devices only upload.
fn chains() -> &'static [Vec<SealedEvent>] {
    static CHAINS: OnceLock<Vec<Vec<SealedEvent>>> = OnceLock::new();
    CHAINS.get_or_init(|| {
        std::thread::scope(|s| {
            let handles: Vec<_> = (1..=DEVICES)
                .map(|b| s.spawn(move || chain_of(CHAIN, b).1))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("chain sealed"))
                .collect()
        })
    })
}

#[derive(Default, Debug)]
struct DeviceReport {
    /// The highest seq an `UploadReceipt` acknowledged.
    acked: u64,
    /// Uploads acknowledged.
    uploads: u64,
    /// Uploads cut off without an answer (their outcome unknown to the device).
    cut: u64,
    /// Of those, the ones the next server turned out to hold: committed, never acknowledged.
    stored_unanswered: u64,
    /// Hellos answered, and cut off.
    hellos: u64,
    hellos_cut: u64,
    /// Refused as `internal` (the server could not write): tolerated, but reported.
    internal_errors: u64,
    /// Time spent in acknowledged uploads and answered hellos.
    upload_time: Duration,
    hello_time: Duration,
    /// Time spent waiting for a server.
    waiting: Duration,
}

fn transport(shared: &Shared, url: &str, identity: &ClientIdentity) -> Transport {
    Transport::new(url, Pin::Full(shared.fingerprint), identity).expect("transport")
}

/// Uploads the chain in batches of random size until it is all acknowledged or the main thread
/// says to finish; after any failed request, asks the (next) server where the chain stands.
fn upload_until_told(dev: &Device, shared: &Shared, seed: u64) -> DeviceReport {
    let mut rng = Rng::new(seed);
    let mut report = DeviceReport::default();
    let len = u64::try_from(dev.chain.len()).expect("fits");
    let own_tip = tip_at(dev.chain, len);
    let (mut generation, mut url) = shared.wait_for_server(u64::MAX);
    let mut t = transport(shared, &url, &dev.identity);
    // Where the server's chain stands as far as this device knows: upload from `held + 1`.
    let mut held = 0u64;
    let mut resync = false;
    loop {
        if resync {
            let w = Instant::now();
            (generation, url) = shared.wait_for_server(generation);
            report.waiting += w.elapsed();
            t = transport(shared, &url, &dev.identity);
            let h = Instant::now();
            match t.hello(&Hello { tip: own_tip }) {
                Ok(welcome) => {
                    report.hellos += 1;
                    report.hello_time += h.elapsed();
                    if welcome.tip.seq < report.acked
                        || welcome.tip != tip_at(dev.chain, welcome.tip.seq.min(len))
                    {
                        shared.fail(format!(
                            "device {}: after a restart (server generation {generation}) the server holds its chain up to {:?}; it had acknowledged up to seq {} ({:?})",
                            dev.id,
                            welcome.tip,
                            report.acked,
                            tip_at(dev.chain, report.acked)
                        ));
                        return report;
                    }
                    report.stored_unanswered += u64::from(welcome.tip.seq > held);
                    held = welcome.tip.seq;
                    resync = false;
                }
                Err(e) => {
                    if !retryable(&e, &mut report) {
                        shared.fail(format!("device {}: hello refused: {e:?}", dev.id));
                        return report;
                    }
                    report.hellos_cut += 1;
                    continue;
                }
            }
        }
        if held >= len || shared.finish.load(Ordering::SeqCst) {
            return report;
        }
        let from = held + 1;
        let to = (from + rng.between(1, MAX_BATCH) - 1).min(len);
        let events = dev.chain
            [usize::try_from(from - 1).expect("fits")..usize::try_from(to).expect("fits")]
            .to_vec();
        let u = Instant::now();
        match t.upload(&Upload {
            events,
            case_keys: Vec::new(),
        }) {
            Ok(receipt) => {
                report.uploads += 1;
                report.upload_time += u.elapsed();
                if receipt.tip != tip_at(dev.chain, to)
                    || receipt.appended + receipt.duplicates != to - from + 1
                {
                    shared.fail(format!(
                        "device {}: seqs {from}..={to} acknowledged with {receipt:?}; expected the tip {:?}",
                        dev.id,
                        tip_at(dev.chain, to)
                    ));
                    return report;
                }
                report.acked = report.acked.max(receipt.tip.seq);
                shared
                    .acked
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(dev.id, report.acked);
                held = receipt.tip.seq;
            }
            Err(e) => {
                if !retryable(&e, &mut report) {
                    shared.fail(format!(
                        "device {}: upload of seqs {from}..={to} refused: {e:?}",
                        dev.id
                    ));
                    return report;
                }
                report.cut += 1;
                resync = true;
            }
        }
    }
}

/// A killed server: the connection is refused, reset or cut (or, at worst, the server could
/// not write, which is counted and reported). Anything else is a failure.
fn retryable(e: &StoreError, report: &mut DeviceReport) -> bool {
    match e {
        StoreError::ServerUnreachable { .. } => true,
        StoreError::Server(s) if s.code == ErrorCode::Internal => {
            report.internal_errors += 1;
            true
        }
        _ => false,
    }
}

fn enroll(
    shared: &Shared,
    url: &str,
    code: &EnrollmentCode,
    id: DeviceId,
    users: Vec<Actor>,
) -> ClientIdentity {
    let identity = ClientIdentity::generate().expect("identity");
    transport(shared, url, &identity)
        .enroll(&Enroll {
            lookup: code.lookup(),
            proof: code.proof(),
            device_id: id,
            device_public: vec![7; 32],
            users,
        })
        .unwrap_or_else(|e| panic!("device {id} enrolls: {e:?}"));
    identity
}

/// The first `n` lines, and how many more there are.
fn first_lines(lines: &[String], n: usize) -> String {
    let mut out = lines.iter().take(n).cloned().collect::<Vec<_>>().join("\n");
    if lines.len() > n {
        out.push_str(&format!("\n... and {} more", lines.len() - n));
    }
    out
}

fn crash_while_uploading(database_url: Option<&str>) {
    let kind = if database_url.is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    let seed = seed();
    eprintln!("[{kind}] seed {seed} (MELDCODE_CRASH_SEED={seed} repeats its random choices)");
    let context = format!("[{kind}] seed {seed}");
    let began = Instant::now();
    let mut rng = Rng::new(seed);

    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("server");
    let server_data = ServerData::new(&data, database_url, &dir.path().join("server.log"));
    let init = server_data.init();
    let shared = Arc::new(Shared {
        fingerprint: init.fingerprint,
        current: Mutex::new(Current {
            generation: 0,
            url: None,
        }),
        changed: Condvar::new(),
        finish: AtomicBool::new(false),
        uploading: AtomicUsize::new(0),
        acked: Mutex::new(BTreeMap::new()),
        failures: Mutex::new(Vec::new()),
    });

    let sealing = Instant::now();
    let chains = chains();
    let sealed_in = sealing.elapsed();

    // Enroll: the first device with init's code, the others with codes it makes.
    let mut server: Running = server_data.serve();
    let url = server.url();
    let first = EnrollmentCode::parse(&init.first_code).expect("init's code parses");
    let mut devices = Vec::new();
    let mut coordinator_identity = None;
    for (byte, chain) in (1..=DEVICES).zip(chains) {
        let id = device(byte);
        let identity = match &coordinator_identity {
            None => {
                let identity = enroll(&shared, &url, &first, id, vec![coordinator()]);
                coordinator_identity = Some(transport(&shared, &url, &identity));
                identity
            }
            Some(by) => {
                let mut random = zeroize::Zeroizing::new([0u8; RANDOM_LEN]);
                for b in random.iter_mut() {
                    *b = u8::try_from(rng.next() & 0xff).expect("a byte");
                }
                let code = EnrollmentCode::new(random, &shared.fingerprint);
                by.new_code(&NewCode {
                    lookup: code.lookup(),
                    verifier: verifier(&code.proof()),
                    deposit: vec![1, 2, 3],
                    users: vec![coordinator().user_id],
                    coordinator: false,
                })
                .expect("the coordinator's device makes a code");
                enroll(&shared, &url, &code, id, Vec::new())
            }
        };
        devices.push(Device {
            id,
            identity,
            chain,
        });
    }
    drop(coordinator_identity);

    // Go: the devices upload, the main thread kills and restarts the server.
    shared.publish(Some(url));
    shared
        .uploading
        .store(usize::from(DEVICES), Ordering::SeqCst);
    let uploading_from = Instant::now();
    let threads: Vec<_> = devices
        .into_iter()
        .map(|dev| {
            let shared = shared.clone();
            let seed = rng.next();
            std::thread::spawn(move || {
                let report = upload_until_told(&dev, &shared, seed);
                shared.uploading.fetch_sub(1, Ordering::SeqCst);
                (dev, report)
            })
        })
        .collect();

    let mut kills = 0usize;
    let mut kills_while_all_uploading = 0usize;
    let mut kills_while_any_uploading = 0usize;
    let mut restart_time = Duration::ZERO;
    let mut died_by_itself = Vec::new();
    while kills < MIN_KILLS {
        std::thread::sleep(Duration::from_millis(rng.between(SERVE_MS.0, SERVE_MS.1)));
        if let Some(status) = server.exited() {
            died_by_itself.push(format!("after {kills} kills: {status}"));
        }
        let uploading = shared.uploading.load(Ordering::SeqCst);
        shared.publish(None);
        server.kill();
        kills += 1;
        kills_while_all_uploading += usize::from(uploading == usize::from(DEVICES));
        kills_while_any_uploading += usize::from(uploading > 0);
        let restarting = Instant::now();
        server = server_data.serve();
        restart_time += restarting.elapsed();
        shared.publish(Some(server.url()));
    }
    let killing_took = uploading_from.elapsed();

    // The last server stays up: the devices finish what they are doing and stop.
    shared.finish.store(true, Ordering::SeqCst);
    let mut finished = Vec::new();
    for t in threads {
        match t.join() {
            Ok(done) => finished.push(done),
            Err(_) => shared.fail("a device thread panicked".into()),
        }
    }
    if let Some(status) = server.exited() {
        died_by_itself.push(format!("the last server: {status}"));
    }
    shared.publish(None);
    server.kill();
    drop(server);

    let reports: Vec<String> = finished
        .iter()
        .map(|(dev, r)| format!("  {}: {r:?}", dev.id))
        .collect();
    eprintln!(
        "[{kind}] {kills} kills in {killing_took:.1?} ({kills_while_all_uploading} while all {DEVICES} devices uploaded, {kills_while_any_uploading} while any did; restarts took {:.1?} on average); chains sealed (or found sealed) in {sealed_in:.1?}\n{}",
        restart_time / u32::try_from(kills).expect("fits"),
        reports.join("\n")
    );

    // What the database holds, read directly.
    let acked = shared
        .acked
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let storage = Storage::open(&data, database_url).expect("the database opens after the crashes");
    let (stored, heads, counts) = storage
        .read(|tx| {
            Ok((
                tx.events_after(0, u64::MAX >> 2)?,
                tx.heads()?,
                tx.counts()?,
            ))
        })
        .expect("reads the database");
    drop(storage);
    let mut problems = shared
        .failures
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    problems.extend(
        died_by_itself
            .iter()
            .map(|d| format!("a server died by itself {d}")),
    );
    let mut per_device: BTreeMap<DeviceId, Vec<SealedEvent>> = BTreeMap::new();
    for row in &stored {
        match serde_json::from_str::<SealedEvent>(&row.sealed) {
            Ok(e) => {
                if e.header.case_id != row.case_id {
                    problems.push(format!(
                        "cursor {}: stored under case {} but sealed for case {}",
                        row.cursor, row.case_id, e.header.case_id
                    ));
                }
                per_device.entry(e.header.device_id).or_default().push(e);
            }
            Err(err) => problems.push(format!(
                "cursor {}: sealed JSON does not parse: {err}",
                row.cursor
            )),
        }
    }
    let chains: BTreeMap<DeviceId, &[SealedEvent]> = (1..=DEVICES)
        .zip(chains)
        .map(|(b, c)| (device(b), c.as_slice()))
        .collect();
    let mut sum_of_tips = 0u64;
    for (id, chain) in &chains {
        let events = per_device.remove(id).unwrap_or_default();
        // In cursor order (the order of the appends): seqs 1, 2, 3, ... each linked to the one
        // before, each the very event the device sealed.
        let mut prev = Hash::GENESIS;
        let mut prev_seq = 0;
        let mut seen: BTreeMap<u64, usize> = BTreeMap::new();
        for e in &events {
            *seen.entry(e.header.seq).or_default() += 1;
            if e.header.seq != prev_seq + 1 {
                problems.push(format!(
                    "device {id}: seq {} follows seq {prev_seq}",
                    e.header.seq
                ));
            }
            if let Err(err) = e.verify() {
                problems.push(format!(
                    "device {id}: seq {} does not verify: {err:?}",
                    e.header.seq
                ));
            }
            if e.prev != prev {
                problems.push(format!(
                    "device {id}: seq {} links to {}, not to the event before ({prev})",
                    e.header.seq, e.prev
                ));
            }
            let sealed = usize::try_from(e.header.seq)
                .ok()
                .and_then(|s| s.checked_sub(1))
                .and_then(|s| chain.get(s));
            if sealed != Some(e) {
                problems.push(format!(
                    "device {id}: seq {} is not the event the device sealed",
                    e.header.seq
                ));
            }
            prev = e.hash;
            prev_seq = e.header.seq;
        }
        for (seq, n) in &seen {
            if *n > 1 {
                problems.push(format!("device {id}: seq {seq} stored {n} times"));
            }
        }
        let tip = prev_seq;
        sum_of_tips += tip;
        let acknowledged = acked.get(id).copied().unwrap_or(0);
        if tip < acknowledged {
            problems.push(format!(
                "device {id}: the server acknowledged seq {acknowledged}, but its chain ends at seq {tip}"
            ));
        }
        let head = heads.iter().find(|h| h.device_id == *id).map(|h| h.tip);
        let expected_head = events.last().map(|e| ChainTip {
            seq: e.header.seq,
            hash: e.hash,
        });
        if head.filter(|h| *h != ChainTip::EMPTY) != expected_head {
            problems.push(format!(
                "device {id}: the chain's head is {head:?}, the last stored event {expected_head:?}"
            ));
        }
        eprintln!(
            "[{kind}]   device {id}: {} events stored, up to seq {tip}; {acknowledged} acknowledged",
            events.len()
        );
    }
    for (id, events) in &per_device {
        problems.push(format!("{} events of an unknown device {id}", events.len()));
    }
    if counts.events != sum_of_tips || u64::try_from(stored.len()).expect("fits") != sum_of_tips {
        problems.push(format!(
            "{} events counted, {} read, but the chains' tips add up to {sum_of_tips}",
            counts.events,
            stored.len()
        ));
    }
    if counts.forks != 0 {
        problems.push(format!("{} forks kept as evidence", counts.forks));
    }
    let warnings = server_data.log_warnings();
    if !warnings.is_empty() {
        eprintln!(
            "[{kind}] the servers logged {} warnings and errors:\n{}",
            warnings.len(),
            first_lines(&warnings, 10)
        );
    }
    let total = |f: fn(&DeviceReport) -> u64| finished.iter().map(|(_, r)| f(r)).sum::<u64>();
    let internal = total(|r| r.internal_errors);
    eprintln!(
        "[{kind}] {} events stored ({} acknowledged) in {} acknowledged uploads; {} uploads cut off, {} of them stored all the same; {internal} internal errors answered; {} forks; {:.1?} in all",
        stored.len(),
        acked.values().sum::<u64>(),
        total(|r| r.uploads),
        total(|r| r.cut),
        total(|r| r.stored_unanswered),
        counts.forks,
        began.elapsed()
    );
    assert!(
        problems.is_empty(),
        "{context}: {} problem(s):\n{}\n--- the end of the servers' log:\n{}",
        problems.len(),
        first_lines(&problems, 40),
        server_data.log_tail(60)
    );
    // The test tested: every kill came while all devices were uploading, and uploads were
    // both acknowledged and cut off.
    assert!(
        kills_while_all_uploading >= MIN_KILLS,
        "{context}: only {kills_while_all_uploading} of {kills} kills came while all {DEVICES} devices \
         were uploading: a device ran out of chain (raise CHAIN, now {CHAIN})"
    );
    assert!(
        total(|r| r.uploads) >= MIN_KILLS as u64 / 5 && total(|r| r.cut) >= MIN_KILLS as u64 / 5,
        "{context}: too few uploads acknowledged ({}) or cut off ({}) for the kills to mean much",
        total(|r| r.uploads),
        total(|r| r.cut)
    );
}
