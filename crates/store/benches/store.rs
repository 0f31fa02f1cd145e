//! `make bench`: the store's figures, in one run (a plain program, no harness).
//!
//! (a) recording one signal through engine + store with a durable commit, against a bare
//!     SQLCipher insert of a row of the same size with the same pragmas, and where the store's
//!     time goes;
//! (b) opening, listing, searching and verifying a store with 10,000 cases and 200,000 events;
//! (c) unlocking with the real Argon2id parameters.
//!
//! Medians and 90th percentiles of wall-clock time (`Instant`). Run it through
//! `scripts/with-keyring.sh`: `Store::init` keeps the device secret in the Secret Service.

// A bench, not product code: any failure should stop it loudly, so plain unwrap/expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use meldcode_engine::envelope::{CountingRandom, Recorder};
use meldcode_engine::people::Pupil;
use meldcode_engine::policy::{CasePolicy, Edition};
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::records::{Answer, CaseOutcome, Improvement};
use meldcode_engine::testkit::{self, Kit, COORDINATOR, TEACHER};
use meldcode_engine::{
    decide, Actor, CaseId, CaseState, Command, DecideContext, Envelope, EventPayload, PupilId,
    UserId,
};
use meldcode_store::{crypto, db, keyring, log, projection, vault, KdfParams, Store};
use rusqlite::{params, Connection, Transaction, TransactionBehavior};
use std::path::Path;
use std::time::{Duration as Elapsed, Instant};

/// The cheapest Argon2id the store accepts (OWASP's m=7 MiB, t=5), for setting stores up; (b)
/// and (c) use the real parameters.
const SETUP_KDF: KdfParams = KdfParams {
    memory_kib: 7_168,
    iterations: 5,
    parallelism: 1,
};
const PIN: &str = "482913";
const COORDINATOR_NAME: &str = "Anouk Jansen";

/// (a): operations measured per side, after `WARM_UP` unmeasured ones.
const OPS: usize = 200;
const WARM_UP: usize = 20;
/// (a): durable commits on each side before anything is measured, so that both WAL files have
/// reached their steady size. Until the first checkpoint a WAL file grows with every commit, and
/// on ext4 an fsync that extends a file also commits the file system's journal: measured on a
/// fresh database, the bare insert comes out about 50% slower than in steady state.
const PREFILL: usize = 1_000;
/// (a): cases recorded into, round robin.
const RECORD_CASES: usize = 40;
/// (a): events in each case before measuring. The first is the issue's case ("a handful of
/// events"); the others show how `record` grows with the case, which it reads and replays.
const CASE_SIZES: [usize; 3] = [5, 20, 100];
/// The target for (a).
const TARGET_RATIO: f64 = 1.5;

/// (b)
const CASES: usize = 10_000;
const EVENTS_PER_CASE: usize = 20;
const CASES_PER_TX: usize = 1_000;
const COLD_OPENS: usize = 5;
const SEARCHES: usize = 5;
const VERIFIES: usize = 3;
/// A full name that 10 of the 10,000 pupils share (see `pupil_name`).
const SEARCH_NAME: &str = "Emma Bakker";

/// (c)
const UNLOCKS: usize = 5;
/// The target for (c): the checks at unlock cost at most half a bare unlock more.
const UNLOCK_TARGET: f64 = 1.5;

// ---- measuring --------------------------------------------------------------------------

struct Stats {
    sorted: Vec<Elapsed>,
}

impl Stats {
    fn new(mut samples: Vec<Elapsed>) -> Self {
        assert!(!samples.is_empty());
        samples.sort();
        Self { sorted: samples }
    }

    /// Nearest-rank percentile.
    fn pct(&self, p: f64) -> Elapsed {
        let rank = (p * self.sorted.len() as f64).ceil() as usize;
        self.sorted[rank.clamp(1, self.sorted.len()) - 1]
    }

    fn median(&self) -> Elapsed {
        self.pct(0.5)
    }

    fn p90(&self) -> Elapsed {
        self.pct(0.9)
    }

    fn max(&self) -> Elapsed {
        self.sorted[self.sorted.len() - 1]
    }
}

fn ms(d: Elapsed) -> String {
    format!("{:9.3} ms", d.as_secs_f64() * 1e3)
}

fn us(d: Elapsed) -> String {
    format!("{:11.1} µs", d.as_secs_f64() * 1e6)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Elapsed) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

const LABEL: usize = 40;

fn header(second: &str) {
    println!("    {:LABEL$} {:>12} {:>12}", "", "median", second);
}

fn line(label: &str, first: Elapsed, second: Elapsed, note: &str) {
    let text = format!("    {label:LABEL$} {} {}   {note}", ms(first), ms(second));
    println!("{}", text.trim_end());
}

fn verdict(ratio: f64) -> &'static str {
    if ratio <= TARGET_RATIO {
        "met"
    } else {
        "NOT MET"
    }
}

// ---- set-up -----------------------------------------------------------------------------

fn new_store(dir: &Path, kdf: KdfParams) -> Store {
    Store::init(dir, SchoolProfile::mozaiek(), COORDINATOR_NAME, PIN, kdf)
        .expect("Store::init (run through scripts/with-keyring.sh)")
        .store
}

const FIRST_NAMES: [&str; 20] = [
    "Sanne", "Daan", "Emma", "Liam", "Noah", "Julia", "Mila", "Sem", "Tess", "Luuk", "Yara",
    "Finn", "Zoë", "Milan", "Saar", "Levi", "Nora", "Adam", "Lotte", "Bram",
];
/// Fifty surnames, comma-separated (one string keeps rustfmt from listing them one a line).
const LAST_NAMES: &str = "de Vries,Jansen,de Jong,Bakker,Visser,Smit,Meijer,de Boer,Mulder,\
    de Groot,Bos,Vos,Peters,Hendriks,van Leeuwen,Dekker,Brouwer,de Wit,Dijkstra,Smits,de Graaf,\
    van der Meer,van der Linden,Kok,Jacobs,de Haan,Vermeulen,van den Berg,van der Heijden,\
    Schouten,van Beek,Willems,van Vliet,van de Ven,Hoekstra,Maas,Verhoeven,Koster,van Dam,\
    van der Wal,Prins,Blom,Huisman,Peeters,de Bruijn,Kuipers,Postma,Groen,Wolters,Kramer";

/// 1,000 distinct full names, each shared by every thousandth pupil.
fn pupil_name(i: usize) -> String {
    let last: Vec<&str> = LAST_NAMES.split(',').collect();
    let combo = i % (FIRST_NAMES.len() * last.len());
    format!(
        "{} {}",
        FIRST_NAMES[combo % FIRST_NAMES.len()],
        last[combo / FIRST_NAMES.len()]
    )
}

fn pupil(i: usize) -> Pupil {
    Pupil {
        id: PupilId::from_u128(i as u128 + 1),
        full_name: pupil_name(i),
        group: format!("groep {}", i % 8 + 1),
        date_of_birth: NaiveDate::from_ymd_opt(2014 + (i % 8) as i32, (i % 12) as u32 + 1, 14),
    }
}

fn open_case(i: usize) -> Command {
    Command::OpenCase {
        pupil: pupil(i),
        parents: vec![testkit::parent()],
    }
}

// ---- (a) one durable record ---------------------------------------------------------------

/// A bare SQLCipher database with the store's pragmas and an `events` table of the same shape
/// (columns, unique constraints, index), inserting one row per IMMEDIATE transaction.
struct Bare {
    conn: Connection,
    next: i64,
    body: String,
}

impl Bare {
    fn open(path: &Path, body: String) -> Self {
        let conn = Connection::open(path).unwrap();
        let key = crypto::random_key().unwrap();
        conn.execute_batch(&format!(
            "PRAGMA key = \"x'{}'\";",
            crypto::hex(key.as_slice())
        ))
        .unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        conn.execute_batch(
            "PRAGMA synchronous = FULL;
             CREATE TABLE events (
                 seq INTEGER PRIMARY KEY,
                 id TEXT NOT NULL UNIQUE,
                 case_id TEXT NOT NULL,
                 device_id TEXT NOT NULL,
                 device_seq INTEGER NOT NULL,
                 body TEXT NOT NULL,
                 prev_hash BLOB NOT NULL,
                 hash BLOB NOT NULL,
                 UNIQUE (device_id, device_seq)
             ) STRICT;
             CREATE INDEX events_by_case ON events (case_id, seq);",
        )
        .unwrap();
        Self {
            conn,
            next: 0,
            body,
        }
    }

    fn insert(&mut self) {
        self.next += 1;
        let n = self.next;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        tx.execute(
            "INSERT INTO events (id, case_id, device_id, device_seq, body, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                format!("0190e1f2-0000-7000-8000-{n:012x}"),
                format!("0190e1f2-0000-7000-8000-{:012x}", n % RECORD_CASES as i64),
                "0190e1f2-0000-7000-8000-0000000000de",
                n,
                self.body,
                [0x5au8; 32],
                [0xa5u8; 32],
            ],
        )
        .unwrap();
        tx.commit().unwrap();
    }
}

/// Where the time of one `Store::record` goes: the same steps through the same public
/// functions, timed one by one (one transaction, committed durably, as `record` does).
#[derive(Default)]
struct Phases {
    read_case: Vec<Elapsed>,
    read_sql: Vec<Elapsed>,
    replay: Vec<Elapsed>,
    decide: Vec<Elapsed>,
    device_head: Vec<Elapsed>,
    stamp: Vec<Elapsed>,
    json_hash: Vec<Elapsed>,
    append: Vec<Elapsed>,
    evolve: Vec<Elapsed>,
    summarise: Vec<Elapsed>,
    upsert: Vec<Elapsed>,
    commit: Vec<Elapsed>,
    total: Vec<Elapsed>,
}

impl Phases {
    fn medians(&self) -> Vec<(&'static str, Elapsed)> {
        let rows: [(&str, &[Elapsed]); 13] = [
            ("read the case (SQL + JSON parse)", &self.read_case),
            ("  the same query again, no parse ³", &self.read_sql),
            ("replay (fold into CaseState)", &self.replay),
            ("decide (engine rules)", &self.decide),
            ("device head (SQL + JSON parse)", &self.device_head),
            ("stamp (ids, clock)", &self.stamp),
            ("canonical JSON + SHA-256", &self.json_hash),
            ("INSERT into events", &self.append),
            ("evolve the state", &self.evolve),
            ("summarise the case", &self.summarise),
            ("JSON + UPSERT into cases", &self.upsert),
            ("COMMIT (WAL write + fsync)", &self.commit),
            ("total of the timed run ²", &self.total),
        ];
        rows.into_iter()
            .map(|(label, samples)| (label, Stats::new(samples.to_vec()).median()))
            .collect()
    }
}

fn record_in_phases(store: &Store, case: CaseId, command: &Command, p: &mut Phases) {
    let t_total = Instant::now();
    let now = Utc::now();
    let policy = store.profile().policy();
    // IMMEDIATE, as `Store::record` begins its transaction.
    let tx =
        Transaction::new_unchecked(store.connection(), TransactionBehavior::Immediate).unwrap();
    let (events, t) = timed(|| log::case_events(&tx, case, store.known_devices()).unwrap());
    p.read_case.push(t);
    // The query of `log::case_events` again, without parsing the bodies.
    let (_, t) = timed(|| {
        let mut stmt = tx
            .prepare_cached("SELECT body FROM events WHERE case_id = ?1 ORDER BY seq")
            .unwrap();
        let rows = stmt
            .query_map(params![case.to_string()], |r| r.get::<_, String>(0))
            .unwrap();
        std::hint::black_box(rows.map(Result::unwrap).map(|b| b.len()).sum::<usize>())
    });
    p.read_sql.push(t);
    let (state, t) = timed(|| CaseState::replay(&events));
    p.replay.push(t);
    let ctx = DecideContext {
        actor: store.actor(),
        now,
        policy,
        catalogue: store.catalogue(),
    };
    let (payloads, t) = timed(|| decide(&state, &ctx, command).unwrap());
    p.decide.push(t);
    let (mut head, t) = timed(|| log::device_head(&tx, store.device_id()).unwrap());
    p.device_head.push(t);
    let (stamped, t) = timed(|| {
        let mut random = CountingRandom(u64::from_be_bytes(crypto::random_bytes().unwrap()));
        let mut recorder = Recorder::new(store.device_id(), head.last_seq, head.clock);
        recorder.stamp(case, store.actor(), now, payloads, &mut random)
    });
    p.stamp.push(t);
    // `append` serialises and hashes; time that part on its own first (done twice, then).
    let (_, t) = timed(|| {
        for e in &stamped {
            let body = e.canonical_json().unwrap();
            std::hint::black_box(log::chain_hash(&head.hash, &body));
        }
    });
    p.json_hash.push(t);
    let (_, t) = timed(|| {
        for e in &stamped {
            log::append(&tx, &mut head, e).unwrap();
        }
    });
    p.append
        .push(t.saturating_sub(*p.json_hash.last().unwrap()));
    let (state, t) = timed(|| stamped.iter().fold(state, CaseState::evolve));
    p.evolve.push(t);
    let (_, t) = timed(|| {
        std::hint::black_box(meldcode_engine::summary::summarise(&state, policy, now));
    });
    p.summarise.push(t);
    let (_, t) = timed(|| projection::upsert(&tx, &state, policy, now).unwrap());
    p.upsert
        .push(t.saturating_sub(*p.summarise.last().unwrap()));
    let (_, t) = timed(|| tx.commit().unwrap());
    p.commit.push(t);
    p.total.push(t_total.elapsed());
}

/// `count` cases, numbered from `first`, each opened and given signals up to `events` events.
fn cases_of(store: &mut Store, first: usize, count: usize, events: usize) -> Vec<CaseId> {
    (first..first + count)
        .map(|i| {
            let case = Store::new_case_id();
            store.record(case, &open_case(i)).unwrap();
            for _ in 1..events {
                store.record(case, &testkit::signal_own()).unwrap();
            }
            case
        })
        .collect()
}

fn longest(store: &Store, cases: &[CaseId]) -> usize {
    cases
        .iter()
        .map(|c| {
            log::case_events(store.connection(), *c, store.known_devices())
                .unwrap()
                .len()
        })
        .max()
        .unwrap()
}

/// `Store::record` of one signal (round robin over `cases`) against one bare insert,
/// interleaved so that both see the same disk and background load, alternating which goes
/// first.
fn compare(
    store: &mut Store,
    cases: &[CaseId],
    signal: &Command,
    bare: &mut Bare,
) -> (Stats, Stats) {
    let mut store_t = Vec::with_capacity(OPS);
    let mut bare_t = Vec::with_capacity(OPS);
    for i in 0..WARM_UP + OPS {
        let case = cases[i % cases.len()];
        let (s, b) = if i % 2 == 0 {
            let s = timed(|| store.record(case, signal).unwrap()).1;
            (s, timed(|| bare.insert()).1)
        } else {
            let b = timed(|| bare.insert()).1;
            (timed(|| store.record(case, signal).unwrap()).1, b)
        };
        if i >= WARM_UP {
            store_t.push(s);
            bare_t.push(b);
        }
    }
    (Stats::new(store_t), Stats::new(bare_t))
}

/// One case size in (a): the cases, the comparison, the phases, the sizes seen.
struct SizeRun {
    store_t: Stats,
    bare_t: Stats,
    phases: Phases,
    events: (usize, usize),
    phase_events: (usize, usize),
}

impl SizeRun {
    fn ratio(&self) -> f64 {
        self.store_t.median().as_secs_f64() / self.bare_t.median().as_secs_f64()
    }

    fn ratio_p90(&self) -> f64 {
        self.store_t.p90().as_secs_f64() / self.bare_t.p90().as_secs_f64()
    }
}

fn record_ratio(root: &Path) -> f64 {
    let dir = root.join("a");
    let mut store = new_store(&dir, SETUP_KDF);
    let signal = testkit::signal_own();
    let sample = cases_of(&mut store, 0, 1, 1)[0];
    let body = store.record(sample, &signal).unwrap()[0]
        .canonical_json()
        .unwrap();
    let body_len = body.len();
    let mut bare = Bare::open(&root.join("bare.db"), String::from_utf8(body).unwrap());
    for _ in 0..PREFILL {
        bare.insert();
    }
    let per_case = 20;
    cases_of(&mut store, 1_000_000, PREFILL / per_case, per_case);

    let mut runs = Vec::new();
    for (n, size) in CASE_SIZES.into_iter().enumerate() {
        let cases = cases_of(&mut store, 1 + n * RECORD_CASES, RECORD_CASES, size);
        let (store_t, bare_t) = compare(&mut store, &cases, &signal, &mut bare);
        let events = (size, longest(&store, &cases));
        // The same steps again, timed one by one, on the same cases.
        let mut phases = Phases::default();
        for i in 0..OPS {
            record_in_phases(&store, cases[i % cases.len()], &signal, &mut phases);
        }
        let phase_events = (events.1 - 1, longest(&store, &cases));
        runs.push(SizeRun {
            store_t,
            bare_t,
            phases,
            events,
            phase_events,
        });
    }
    let ratio = runs[0].ratio();

    println!();
    println!("(a) Recording one signal, durable commit (WAL, synchronous=FULL)");
    println!(
        "    {OPS} operations per side after {PREFILL} + {WARM_UP} warm-up, interleaved with the \
         bare insert (alternating which goes first),"
    );
    println!(
        "    round robin over {RECORD_CASES} cases; event body {body_len} bytes; ratio = store \
         / the bare run interleaved with it"
    );
    header("p90");
    for (n, run) in runs.iter().enumerate() {
        let (from, to) = run.events;
        if n == 0 {
            line(
                "bare SQLCipher insert + commit",
                run.bare_t.median(),
                run.bare_t.p90(),
                "",
            );
        }
        let target = if n == 0 {
            format!(", target ≤ {TARGET_RATIO:.2}: {}", verdict(run.ratio()))
        } else {
            format!(" (bare run: {})", ms(run.bare_t.median()).trim_start())
        };
        line(
            &format!("Store::record, cases of {from}..{to} events"),
            run.store_t.median(),
            run.store_t.p90(),
            &format!(
                "ratio {:.2} (p90 {:.2}){target}",
                run.ratio(),
                run.ratio_p90()
            ),
        );
    }
    println!(
        "    where the time of one record goes (median of {OPS} more records per column, the \
         same steps timed one by one):"
    );
    println!(
        "    (this is the path without remembered state; Store::record skips reading and \
         replaying the case when it still holds the case's newest state)"
    );
    print!("      {:34}", "");
    for run in &runs {
        let (from, to) = run.phase_events;
        print!(" {:>14}", format!("{from}..{to} events"));
    }
    println!();
    let medians: Vec<_> = runs.iter().map(|r| r.phases.medians()).collect();
    for (row, (label, _)) in medians[0].iter().enumerate() {
        print!("      {label:<34}");
        for m in &medians {
            print!(" {}", us(m[row].1));
        }
        println!();
    }
    println!("      (² includes ³ and does the JSON, hash and summary twice, to time them apart)");
    ratio
}

// ---- (b) a large store ------------------------------------------------------------------

/// The payloads of one 20-event case in one of three shapes (early, reported, closed), decided
/// by the engine under `policy`, with the authors who recorded them.
fn template(shape: usize, policy: CasePolicy) -> Vec<(Actor, EventPayload)> {
    let mut kit = Kit::new();
    kit.policy = policy;
    kit.ok(TEACHER, open_case(0));
    let assessment = match policy.edition {
        Edition::Meldcode2017 => testkit::assessment_2017(Answer::Doubt),
        _ => testkit::assessment_2019(Answer::Yes, None, None),
    };
    match shape {
        // Still gathering: signals, a consultation, VT advice and the parent conversation.
        0 => {
            for _ in 0..6 {
                kit.ok(TEACHER, testkit::signal_own());
            }
            kit.ok(TEACHER, testkit::signal_from_other());
            kit.ok(TEACHER, testkit::consultation_internal());
            kit.ok(COORDINATOR, testkit::advice());
            kit.ok(COORDINATOR, testkit::risk_index());
            for _ in 0..6 {
                kit.ok(TEACHER, testkit::signal_own());
            }
            kit.ok(TEACHER, testkit::conversation());
            kit.ok(TEACHER, testkit::signal_from_other());
            kit.ok(TEACHER, testkit::signal_own());
        }
        // Reported and followed up (open), or closed after that.
        _ => {
            for _ in 0..6 {
                kit.ok(TEACHER, testkit::signal_own());
            }
            kit.ok(TEACHER, testkit::signal_from_other());
            kit.ok(TEACHER, testkit::consultation_internal());
            kit.ok(COORDINATOR, testkit::advice());
            kit.ok(COORDINATOR, testkit::risk_index());
            kit.ok(TEACHER, testkit::conversation());
            kit.ok(COORDINATOR, assessment);
            kit.ok(COORDINATOR, testkit::decision(true, false));
            kit.ok(COORDINATOR, testkit::discussion());
            kit.ok(COORDINATOR, testkit::report());
            kit.advance(Duration::days(7));
            kit.ok(COORDINATOR, testkit::follow_up(Improvement::Sufficient));
            kit.ok(TEACHER, testkit::signal_own());
            kit.ok(TEACHER, testkit::signal_own());
            if shape == 2 {
                kit.ok(
                    COORDINATOR,
                    testkit::close(CaseOutcome::ReportedAndHandedOver),
                );
            } else {
                kit.ok(TEACHER, testkit::signal_own());
            }
        }
    }
    assert_eq!(kit.events.len(), EVENTS_PER_CASE);
    kit.events
        .into_iter()
        .map(|e| {
            let actor = Actor {
                user_id: e.author,
                role: e.author_role,
            };
            (actor, e.payload)
        })
        .collect()
}

/// 60% of the cases still gathering, 30% reported, 10% closed.
fn shape_of(i: usize) -> usize {
    match i % 10 {
        0 => 2,
        1..=3 => 1,
        _ => 0,
    }
}

/// Loads `CASES` cases through the store's own log and projection code, one transaction per
/// `CASES_PER_TX` cases (200,000 separate durable commits would take long), all on the store's
/// device chain.
fn bulk_load(store: &Store) -> Elapsed {
    let policy = store.profile().policy();
    let templates: Vec<_> = (0..3).map(|s| template(s, policy)).collect();
    let conn = store.connection();
    let device = store.device_id();
    let start = Instant::now();
    let mut head = log::device_head(conn, device).unwrap();
    let mut recorder = Recorder::new(device, head.last_seq, head.clock);
    let mut random = CountingRandom(0);
    let base: DateTime<Utc> = testkit::t0();
    for first in (0..CASES).step_by(CASES_PER_TX) {
        let tx = conn.unchecked_transaction().unwrap();
        for i in first..(first + CASES_PER_TX).min(CASES) {
            let case = Store::new_case_id();
            // Spread over the months after t0 (2 March 2026), 37 minutes apart.
            let now = base + Duration::minutes(37 * i as i64);
            let mut state = CaseState::default();
            for (actor, payload) in &templates[shape_of(i)] {
                let payload = match payload {
                    EventPayload::CaseOpened { parents, .. } => EventPayload::CaseOpened {
                        pupil: pupil(i),
                        parents: parents.clone(),
                    },
                    other => other.clone(),
                };
                let stamped: Vec<Envelope> =
                    recorder.stamp(case, *actor, now, vec![payload], &mut random);
                for e in &stamped {
                    log::append(&tx, &mut head, e).unwrap();
                    state = state.evolve(e);
                }
            }
            projection::upsert(&tx, &state, policy, now).unwrap();
        }
        tx.commit().unwrap();
    }
    start.elapsed()
}

fn large_store(root: &Path) -> (std::path::PathBuf, UserId) {
    let dir = root.join("b");
    let store = new_store(&dir, KdfParams::DEFAULT);
    let me = store.user().id;
    let load = bulk_load(&store);
    store.lock();
    // The bulk load went around `record`, so the vault's anchor is still at the start: the first
    // unlock checks every link of the 200,000 events once and anchors the head.
    let (first, first_t) = timed(|| Store::unlock(&dir, me, PIN).unwrap());
    assert!(first.alarms().is_empty());
    first.lock();
    let db = file_size(&dir.join("meldcode.db"));
    let wal = file_size(&dir.join("meldcode.db-wal"));

    // Cold: the store closed (key dropped, connection closed) before every open.
    let (mut unlock_t, mut list_t, mut both_t) = (Vec::new(), Vec::new(), Vec::new());
    let mut listed = 0;
    for _ in 0..COLD_OPENS {
        let (store, u) = timed(|| Store::unlock(&dir, me, PIN).unwrap());
        let (rows, l) = timed(|| store.list_cases(None).unwrap());
        listed = rows.len();
        unlock_t.push(u);
        list_t.push(l);
        both_t.push(u + l);
        store.lock();
    }
    let store = Store::unlock(&dir, me, PIN).unwrap();
    let mut found = 0;
    let search_t = Stats::new(
        (0..SEARCHES)
            .map(|_| {
                let (rows, t) = timed(|| store.list_cases(Some(SEARCH_NAME)).unwrap());
                found = rows.len();
                t
            })
            .collect(),
    );
    let mut report = None;
    let verify_t = Stats::new(
        (0..VERIFIES)
            .map(|_| {
                let (r, t) = timed(|| store.verify().unwrap());
                report = Some(r);
                t
            })
            .collect(),
    );
    let report = report.unwrap();
    assert_eq!(report.events, CASES * EVENTS_PER_CASE);
    assert_eq!(report.cases, CASES);

    println!();
    println!(
        "(b) A store with {} cases and {} events",
        report.cases, report.events
    );
    println!(
        "    database file {:.1} MiB (WAL {:.1} MiB after close); bulk load {:.1} s \
         ({CASES_PER_TX} cases per transaction)",
        mib(db),
        mib(wal),
        load.as_secs_f64()
    );
    let unlock_t = Stats::new(unlock_t);
    let list_t = Stats::new(list_t);
    let both_t = Stats::new(both_t);
    header("max");
    line(
        "Store::unlock + list_cases(None), cold",
        both_t.median(),
        both_t.max(),
        &format!("{listed} cases listed"),
    );
    line(
        "  of which Store::unlock ¹",
        unlock_t.median(),
        unlock_t.max(),
        "",
    );
    line(
        "  of which list_cases(None)",
        list_t.median(),
        list_t.max(),
        "",
    );
    line(
        &format!("list_cases(Some(\"{SEARCH_NAME}\"))"),
        search_t.median(),
        search_t.max(),
        &format!("{found} cases found"),
    );
    line(
        "verify()",
        verify_t.median(),
        verify_t.max(),
        &format!(
            "{} events, {} cases, {} device",
            report.events, report.cases, report.devices
        ),
    );
    println!(
        "    ({COLD_OPENS} cold opens, {SEARCHES} searches, {VERIFIES} verifies; ¹ with the real \
         Argon2id parameters, see (c))"
    );
    println!(
        "    first unlock after the bulk load, checking and anchoring all {} events once: {}",
        report.events,
        ms(first_t)
    );
    (dir, me)
}

// ---- (c) unlock with the real Argon2id parameters -----------------------------------------

/// The bare unlock: keyring entry, vault read, Argon2id, unwrapping the key, opening the
/// database. No MAC check, no lockout bookkeeping, no head check, no vault save.
fn bare_unlock(dir: &Path, me: UserId) -> rusqlite::Connection {
    let raw = vault::RawVault::read(&dir.join("vault.json")).unwrap();
    let entry = keyring::load_device_entry(raw.device_id()).unwrap();
    let vault = raw.unverified().unwrap();
    let envelope = vault.user(me).unwrap();
    let secrets = vault::keys::PinSecrets {
        device_secret: &entry.secret,
        pin_key: None,
    };
    let (_, key) = vault::keys::open_envelope(envelope, PIN, &secrets, vault.key_generation)
        .unwrap()
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    db::open(&dir.join("meldcode.db"), &key, false).unwrap()
}

fn unlock_time(dir: &Path, me: UserId) -> f64 {
    let p = KdfParams::DEFAULT;
    let (mut full, mut bare) = (Vec::new(), Vec::new());
    // Alternating, so that both see the same state of the machine.
    for _ in 0..UNLOCKS {
        let (store, t) = timed(|| Store::unlock(dir, me, PIN).unwrap());
        assert!(store.alarms().is_empty());
        store.lock();
        full.push(t);
        let (conn, t) = timed(|| bare_unlock(dir, me));
        drop(conn);
        bare.push(t);
    }
    let (full, bare) = (Stats::new(full), Stats::new(bare));
    let secret = crypto::random_key().unwrap();
    let kdf_t = Stats::new(
        (0..UNLOCKS)
            .map(|_| {
                timed(|| crypto::derive_user_key(PIN, &[7u8; 16], secret.as_slice(), p).unwrap()).1
            })
            .collect(),
    );
    println!();
    println!(
        "(c) Unlock on the store of (b), real Argon2id: KdfParams::DEFAULT = m={} MiB, t={}, p={}",
        p.memory_kib / 1024,
        p.iterations,
        p.parallelism
    );
    println!("    (OWASP's minimum for Argon2id: m=19 MiB, t=2, p=1; the store refuses less)");
    header("max");
    line(
        "Store::unlock",
        full.median(),
        full.max(),
        "+ vault MAC, lockouts, head check, vault + keyring save",
    );
    line(
        "bare unlock",
        bare.median(),
        bare.max(),
        "PIN → key → database open",
    );
    line(
        "  Argon2id alone, measured apart",
        kdf_t.median(),
        kdf_t.max(),
        "crypto::derive_user_key",
    );
    let ratio = full.median().as_secs_f64() / bare.median().as_secs_f64();
    println!("    ({UNLOCKS} unlocks each, alternating)");
    ratio
}

fn main() {
    // `cargo bench` passes `--bench`; this program takes no options.
    let root = tempfile::tempdir().unwrap();
    println!(
        "Meldcode store figures ({} build, {} CPUs, temp dir {})",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        root.path().display()
    );
    let ratio = record_ratio(root.path());
    let (large, me) = large_store(root.path());
    let unlock_ratio = unlock_time(&large, me);
    println!();
    println!(
        "Recording ratio store / bare: {ratio:.2} (target ≤ {TARGET_RATIO:.2}): {}",
        verdict(ratio)
    );
    println!(
        "Unlock ratio with checks / bare, 10,000 cases: {unlock_ratio:.2} (target ≤ {UNLOCK_TARGET:.2}): {}",
        if unlock_ratio <= UNLOCK_TARGET { "met" } else { "NOT MET" }
    );
}
