//! Convergence: three devices and a server, in one process and without HTTP. Random schedules of
//! records by several roles, offline periods, partitions, duplicate and reordered deliveries and
//! server restarts; at the end every device that may see a case holds the same events of it,
//! folds the same case, every chain verifies, and no event is lost or duplicated.
//!
//! The server is the real one (`ingest`, `pull`, `enrollment` over SQLite); the devices are light
//! models of the store's sync (`crates/store/src/sync/{outbox,inbox,round}.rs`): each seals its
//! own events once, uploads from the server's tip (or from what it last saw confirmed), and
//! applies a pulled page only when every event verifies, links to what it holds of that chain,
//! and opens with a case key it holds.
//!
//! `MELDCODE_CONVERGENCE_CASES` sets the number of schedules (500 by default).

use meldcode_engine::access::Audience;
use meldcode_engine::catalogue::SignalCatalogue;
use meldcode_engine::envelope::{CountingRandom, Envelope, Recorder};
use meldcode_engine::hlc::Hlc;
use meldcode_engine::policy::{CasePolicy, Edition};
use meldcode_engine::records::{Answer, AssessmentOutcome, ConflictResolution};
use meldcode_engine::rules::r11_offline_conflict::stamp_seen;
use meldcode_engine::school_log::SCHOOL_LOG;
use meldcode_engine::testkit::{
    advice, assessment_2019, child_conversation, consultation_internal, conversation, decision,
    parent, pupil, signal_from_other, signal_own, t0,
};
use meldcode_engine::{
    decide, Actor, CaseId, CaseState, Command, DecideContext, DeviceId, EventPayload, Role, UserId,
};
use meldcode_server::storage::Storage;
use meldcode_server::{enrollment, ingest, pull};
use meldcode_sync::api::{Enroll, NewCode, PullPage, Upload};
use meldcode_sync::enroll::{verifier, EnrollmentCode, RANDOM_LEN};
use meldcode_sync::ingest::ChainTip;
use meldcode_sync::keys::{CaseKey, SchoolKey, KEY_LEN, NONCE_LEN};
use meldcode_sync::order::sort_for_fold;
use meldcode_sync::receive::{may_receive, DirectoryChange};
use meldcode_sync::{ErrorCode, EventHeader, Hash, SealedEvent};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use zeroize::Zeroizing;

const C1: Actor = Actor {
    user_id: UserId::from_u128(0xc001),
    role: Role::Coordinator,
};
const C2: Actor = Actor {
    user_id: UserId::from_u128(0xc002),
    role: Role::Coordinator,
};
const T: Actor = Actor {
    user_id: UserId::from_u128(0x7e01),
    role: Role::Teacher,
};

/// Device 1 is the coordinator's (the school's first), 2 the teacher's tablet, 3 the second
/// coordinator's laptop.
const DEVICES: usize = 3;

fn device_id(i: usize) -> DeviceId {
    DeviceId::from_u128(0xde00 + i as u128 + 1)
}

fn actor_of(i: usize) -> Actor {
    [C1, T, C2][i]
}

fn policy() -> CasePolicy {
    CasePolicy {
        edition: Edition::Afwegingskader2019,
        ..CasePolicy::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Schedules

/// What a user tries to record; refused attempts (a `Violation`) are skipped.
#[derive(Clone, Copy, Debug)]
enum Intent {
    Open,
    /// The next step the case lacks on the main route (signal, consultation, advice, parent
    /// conversation, weighing, decision), as far as the role goes.
    Progress,
    Signal,
    SignalFromOther,
    Consult,
    Advice,
    Conversation,
    ChildConversation,
    /// 0: help possible; 1: report required; 2: no suspicion.
    Assess(u8),
    Decide {
        report: bool,
        help: bool,
    },
    InvolveTeacher,
    Resolve,
}

#[derive(Clone, Copy, Debug)]
enum Step {
    Record {
        device: usize,
        intent: Intent,
        pick: usize,
    },
    /// Upload then pull (only when online).
    Sync {
        device: usize,
        batch: usize,
        limit: u64,
        hello: bool,
    },
    Offline(usize),
    Online(usize),
    /// The device's next upload is lost in transit: before it reaches the server, or after the
    /// server stored it (the answer is lost).
    Partition {
        device: usize,
        answer_lost: bool,
    },
    /// An old page delivered again.
    DuplicatePage {
        device: usize,
        pick: usize,
    },
    /// A later batch sent before the one the server lacks (two requests overtaking each other):
    /// refused as a gap, storing nothing.
    UploadOutOfOrder(usize),
    /// An old batch uploaded again.
    Reupload {
        device: usize,
        pick: usize,
    },
    /// Two pages fetched, applied in the other order.
    Reorder {
        device: usize,
        limit: u64,
    },
    /// A pull from an older cursor.
    OldCursor {
        device: usize,
        pick: usize,
        limit: u64,
    },
    Restart,
    Wait {
        minutes: u32,
    },
}

#[derive(Clone, Debug)]
struct Schedule {
    /// Each device's wall clock against the school's, in ms.
    skews: [i64; DEVICES],
    steps: Vec<Step>,
}

fn intent() -> impl Strategy<Value = Intent> {
    prop_oneof![
        1 => Just(Intent::Open),
        16 => Just(Intent::Progress),
        1 => Just(Intent::Signal),
        1 => Just(Intent::SignalFromOther),
        1 => Just(Intent::Consult),
        1 => Just(Intent::Advice),
        1 => Just(Intent::Conversation),
        1 => Just(Intent::ChildConversation),
        2 => (0u8..3).prop_map(Intent::Assess),
        2 => (any::<bool>(), any::<bool>()).prop_map(|(report, help)| Intent::Decide { report, help }),
        2 => Just(Intent::InvolveTeacher),
        2 => Just(Intent::Resolve),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let device = 0..DEVICES;
    prop_oneof![
        12 => (device.clone(), intent(), any::<usize>())
            .prop_map(|(device, intent, pick)| Step::Record { device, intent, pick }),
        6 => (device.clone(), 1usize..6, 1u64..8, any::<bool>())
            .prop_map(|(device, batch, limit, hello)| Step::Sync { device, batch, limit, hello }),
        2 => device.clone().prop_map(Step::Offline),
        2 => device.clone().prop_map(Step::Online),
        1 => (device.clone(), any::<bool>())
            .prop_map(|(device, answer_lost)| Step::Partition { device, answer_lost }),
        1 => (device.clone(), any::<usize>())
            .prop_map(|(device, pick)| Step::DuplicatePage { device, pick }),
        1 => (device.clone(), any::<usize>())
            .prop_map(|(device, pick)| Step::Reupload { device, pick }),
        1 => device.clone().prop_map(Step::UploadOutOfOrder),
        1 => (device.clone(), 1u64..5).prop_map(|(device, limit)| Step::Reorder { device, limit }),
        1 => (device.clone(), any::<usize>(), 1u64..8)
            .prop_map(|(device, pick, limit)| Step::OldCursor { device, pick, limit }),
        1 => Just(Step::Restart),
        1 => (0u32..90).prop_map(|minutes| Step::Wait { minutes }),
    ]
}

fn schedule() -> impl Strategy<Value = Schedule> {
    (
        prop::array::uniform3(-300_000i64..300_000),
        prop::collection::vec(step(), 20..140),
    )
        .prop_map(|(skews, steps)| Schedule { skews, steps })
}

// ---------------------------------------------------------------------------------------------
// The devices

#[derive(Clone, Copy, Debug)]
enum Partition {
    RequestLost,
    AnswerLost,
}

struct Held {
    sealed: SealedEvent,
    envelope: Envelope,
}

struct Device {
    id: DeviceId,
    actor: Actor,
    certificate: Hash,
    skew_ms: i64,
    last_seq: u64,
    clock: Hlc,
    /// The newest clock received from other devices: a record made later sorts after it.
    received: Hlc,
    random: CountingRandom,
    school: [u8; KEY_LEN],
    keys: BTreeMap<CaseId, [u8; KEY_LEN]>,
    /// The own chain, sealed once, index `seq - 1`.
    own: Vec<SealedEvent>,
    /// Own and received events, by (device, seq).
    held: BTreeMap<(DeviceId, u64), Held>,
    cursor: u64,
    /// The last tip the server confirmed to this device.
    confirmed: u64,
    online: bool,
    partition: Option<Partition>,
    /// Batches that reached the server, pages received and cursors pulled from: for duplicate
    /// and reordered deliveries.
    sent: Vec<Upload>,
    pages: Vec<PullPage>,
    cursors: Vec<u64>,
    delivered_again: u64,
}

impl Device {
    fn new(i: usize, skew_ms: i64) -> Self {
        Self {
            id: device_id(i),
            actor: actor_of(i),
            certificate: Hash::of(format!("certificate of device {i}").as_bytes()),
            skew_ms,
            last_seq: 0,
            clock: Hlc::default(),
            received: Hlc::default(),
            random: CountingRandom((i as u64 + 1) << 40),
            school: [0; KEY_LEN],
            keys: BTreeMap::new(),
            own: Vec::new(),
            held: BTreeMap::new(),
            cursor: 0,
            confirmed: 0,
            online: true,
            partition: None,
            sent: Vec::new(),
            pages: Vec::new(),
            cursors: vec![0],
            delivered_again: 0,
        }
    }

    /// The cases (not the school log) this device holds.
    fn cases(&self) -> Vec<CaseId> {
        let set: BTreeSet<CaseId> = self
            .held
            .values()
            .map(|h| h.envelope.case_id)
            .filter(|c| *c != SCHOOL_LOG)
            .collect();
        set.into_iter().collect()
    }

    fn events_of(&self, case: CaseId) -> Vec<Envelope> {
        let mut events: Vec<Envelope> = self
            .held
            .values()
            .filter(|h| h.envelope.case_id == case)
            .map(|h| h.envelope.clone())
            .collect();
        sort_for_fold(&mut events);
        events
    }

    fn state_of(&self, case: CaseId) -> CaseState {
        CaseState::replay(&self.events_of(case))
    }

    fn school_key(&self) -> SchoolKey {
        SchoolKey(Zeroizing::new(self.school))
    }

    /// Applies a page as the store's inbox does: all of it or nothing.
    fn apply(&mut self, page: &PullPage) -> Result<usize, String> {
        let school = self.school_key();
        let mut keys = self.keys.clone();
        for wrapped in &page.case_keys {
            let key = school
                .unwrap_case_key(wrapped)
                .map_err(|e| format!("device {}: case key does not open: {e}", self.id))?;
            match keys.get(&wrapped.case_id) {
                Some(k) if *k != *key.0 => {
                    return Err(format!(
                        "device {}: the server sent another key for case {}",
                        self.id, wrapped.case_id
                    ))
                }
                Some(_) => {}
                None => {
                    keys.insert(wrapped.case_id, *key.0);
                }
            }
        }
        if let Some(e) = page.events.iter().find(|e| e.header.device_id == self.id) {
            return Err(format!(
                "device {}: the server sent the device its own seq {}",
                self.id, e.header.seq
            ));
        }
        let mut events: Vec<&SealedEvent> = page.events.iter().collect();
        events.sort_by_key(|e| (e.header.device_id, e.header.seq));
        let mut staged: BTreeMap<(DeviceId, u64), Held> = BTreeMap::new();
        for sealed in events {
            let at = (sealed.header.device_id, sealed.header.seq);
            let known = self.held.get(&at).or_else(|| staged.get(&at));
            match known {
                Some(h) if h.sealed.hash == sealed.hash => {
                    self.delivered_again += 1;
                    continue;
                }
                Some(_) => {
                    return Err(format!(
                        "device {}: another version of {:?} arrived",
                        self.id, at
                    ))
                }
                None => {}
            }
            sealed
                .verify()
                .map_err(|e| format!("device {}: {e}", self.id))?;
            if at.1 > 1 {
                let before = (at.0, at.1 - 1);
                if let Some(h) = self.held.get(&before).or_else(|| staged.get(&before)) {
                    if h.sealed.hash != sealed.prev {
                        return Err(format!(
                            "device {}: {:?} does not link to the event before",
                            self.id, at
                        ));
                    }
                }
            }
            let key = keys.get(&sealed.header.case_id).ok_or_else(|| {
                format!(
                    "device {}: {:?} of case {} arrived without its case key",
                    self.id, at, sealed.header.case_id
                )
            })?;
            let envelope = sealed
                .open(&CaseKey(Zeroizing::new(*key)))
                .map_err(|e| format!("device {}: {e}", self.id))?;
            staged.insert(
                at,
                Held {
                    sealed: sealed.clone(),
                    envelope,
                },
            );
        }
        let added = staged.len();
        for h in staged.values() {
            self.received = self.received.max(h.envelope.hlc);
        }
        self.held.extend(staged);
        self.keys = keys;
        if self.pages.len() < 32 {
            self.pages.push(page.clone());
        }
        Ok(added)
    }
}

// ---------------------------------------------------------------------------------------------
// The school: a server and three devices

/// What the schedules did, for the summary: that the faults were exercised, not only survived.
#[derive(Clone, Copy, Default)]
struct Outcome {
    schedules: u64,
    events: u64,
    weighings_and_decisions: u64,
    refused: u64,
    /// Schedules that ended with an R11 conflict in some case; cases in conflict; resolutions.
    with_conflict: u64,
    conflicts: u64,
    resolved: u64,
    /// Cases the teacher's tablet received because a coordinator involved her.
    teacher_involved: u64,
    restarts: u64,
    requests_lost: u64,
    answers_lost: u64,
    uploads_repeated: u64,
    uploads_out_of_order: u64,
    events_delivered_again: u64,
    pages_reordered: u64,
    old_cursor_pulls: u64,
}

impl Outcome {
    fn add(&mut self, o: &Outcome) {
        self.schedules += o.schedules;
        self.events += o.events;
        self.weighings_and_decisions += o.weighings_and_decisions;
        self.refused += o.refused;
        self.with_conflict += o.with_conflict;
        self.conflicts += o.conflicts;
        self.resolved += o.resolved;
        self.teacher_involved += o.teacher_involved;
        self.restarts += o.restarts;
        self.requests_lost += o.requests_lost;
        self.answers_lost += o.answers_lost;
        self.uploads_repeated += o.uploads_repeated;
        self.uploads_out_of_order += o.uploads_out_of_order;
        self.events_delivered_again += o.events_delivered_again;
        self.pages_reordered += o.pages_reordered;
        self.old_cursor_pulls += o.old_cursor_pulls;
    }
}

struct School {
    dir: tempfile::TempDir,
    storage: Option<Storage>,
    devices: Vec<Device>,
    /// The school's clock (ms since the epoch); each device adds its skew.
    now_ms: u64,
    next_case: u128,
    nonce: u64,
    catalogue: SignalCatalogue,
    did: Outcome,
}

fn temp_dir() -> tempfile::TempDir {
    // The server syncs every commit; on tmpfs that costs nothing.
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().expect("temp dir")
}

fn ms_of(t: chrono::DateTime<chrono::Utc>) -> u64 {
    u64::try_from(t.timestamp_millis()).expect("after 1970")
}

impl School {
    fn new(skews: [i64; DEVICES]) -> Result<Self, String> {
        let dir = temp_dir();
        let storage = Storage::open(dir.path(), None).map_err(|e| format!("open: {e}"))?;
        let mut school = Self {
            dir,
            storage: Some(storage),
            devices: (0..DEVICES).map(|i| Device::new(i, skews[i])).collect(),
            now_ms: ms_of(t0()) + 60 * 60 * 1000,
            next_case: 0,
            nonce: 0,
            catalogue: SignalCatalogue::default_catalogue(),
            did: Outcome::default(),
        };
        school.enroll_all()?;
        Ok(school)
    }

    fn storage(&self) -> &Storage {
        self.storage.as_ref().expect("the server is running")
    }

    fn restart(&mut self) -> Result<(), String> {
        self.storage = None;
        self.storage = Some(
            Storage::open(self.dir.path(), None)
                .map_err(|e| format!("reopen after restart: {e}"))?,
        );
        Ok(())
    }

    fn nonce(&mut self) -> [u8; NONCE_LEN] {
        self.nonce += 1;
        let mut n = [0; NONCE_LEN];
        n[..8].copy_from_slice(&self.nonce.to_be_bytes());
        n
    }

    /// Device 1 with the school's first code (bringing C1, C2 and T), then the teacher's tablet
    /// and the second coordinator's laptop with codes made on device 1.
    fn enroll_all(&mut self) -> Result<(), String> {
        let server_certificate = Hash::of(b"server certificate");
        let now = self.now_ms;
        let first = enrollment::first_code(self.storage(), &server_certificate, now)
            .map_err(|e| format!("first code: {e}"))?;
        let d1 = &self.devices[0];
        let enrolled = enrollment::enroll(
            self.storage(),
            &Enroll {
                lookup: first.lookup(),
                proof: first.proof(),
                device_id: d1.id,
                device_public: vec![1; 32],
                users: vec![C1, C2, T],
            },
            d1.certificate,
            now,
        )
        .map_err(|e| format!("first enrollment: {e}"))?;
        if !enrolled.coordinator || enrolled.deposit.is_some() {
            return Err("the first device is a coordinator's and makes the school key".into());
        }
        let school_key = Hash::of(b"the school key").0;
        self.devices[0].school = school_key;
        let by = self
            .storage()
            .read(|tx| tx.device(device_id(0)))
            .map_err(|e| e.to_string())?
            .ok_or("device 1 is not enrolled")?;
        for (i, user, coordinator) in [(1, T, false), (2, C2, true)] {
            let mut random = Zeroizing::new([0u8; RANDOM_LEN]);
            random.iter_mut().enumerate().for_each(|(j, b)| {
                *b = u8::try_from((i * 31 + j * 7) % 251).unwrap_or(0);
            });
            let code = EnrollmentCode::new(random, &server_certificate);
            let nonce = self.nonce();
            let deposit = code
                .deposit(&school_key, nonce)
                .map_err(|e| format!("deposit: {e}"))?;
            enrollment::new_code(
                self.storage(),
                &by,
                &NewCode {
                    lookup: code.lookup(),
                    verifier: verifier(&code.proof()),
                    deposit,
                    users: vec![user.user_id],
                    coordinator,
                },
                now,
            )
            .map_err(|e| format!("new code: {e}"))?;
            let d = &self.devices[i];
            let enrolled = enrollment::enroll(
                self.storage(),
                &Enroll {
                    lookup: code.lookup(),
                    proof: code.proof(),
                    device_id: d.id,
                    device_public: vec![u8::try_from(i + 1).unwrap_or(0); 32],
                    users: Vec::new(),
                },
                d.certificate,
                now,
            )
            .map_err(|e| format!("enrollment of device {}: {e}", i + 1))?;
            if enrolled.users != vec![user.user_id] || enrolled.coordinator != coordinator {
                return Err(format!("device {} enrolled as {enrolled:?}", i + 1));
            }
            let opened = enrolled
                .deposit
                .as_deref()
                .and_then(|d| code.open_deposit(d))
                .ok_or("the deposit does not open with the code")?;
            let key: [u8; KEY_LEN] = opened
                .as_slice()
                .try_into()
                .map_err(|_| "the deposit is not a key")?;
            self.devices[i].school = key;
        }
        Ok(())
    }

    fn device_now_ms(&self, d: usize) -> u64 {
        self.now_ms.saturating_add_signed(self.devices[d].skew_ms)
    }

    // --- recording ---------------------------------------------------------------------------

    fn command_for(&self, d: usize, intent: Intent, state: &CaseState, pick: usize) -> Command {
        let lead = self.devices[d].actor.role == Role::Coordinator;
        match intent {
            Intent::Open => Command::OpenCase {
                pupil: pupil(),
                parents: vec![parent()],
            },
            Intent::Signal => signal_own(),
            Intent::SignalFromOther => signal_from_other(),
            Intent::Consult => consultation_internal(),
            Intent::Advice => advice(),
            Intent::Conversation => conversation(),
            Intent::ChildConversation => child_conversation(),
            Intent::Assess(0) => assessment_2019(Answer::No, Some(true), Some(true)),
            Intent::Assess(1) => assessment_2019(Answer::Yes, None, None),
            Intent::Assess(_) => meldcode_engine::testkit::assessment_no_suspicion(),
            Intent::Decide { report, help } => decision(report, help),
            Intent::InvolveTeacher => Command::InvolveColleague { user: T.user_id },
            Intent::Resolve => resolution(state, pick),
            Intent::Progress => {
                if state.signals.is_empty() {
                    signal_own()
                } else if state.consultations.is_empty() {
                    consultation_internal()
                } else if !state.advice_settled() && lead {
                    advice()
                } else if !state.conversation_settled() {
                    conversation()
                } else if !lead {
                    if pick.is_multiple_of(2) {
                        signal_own()
                    } else {
                        child_conversation()
                    }
                } else if state.open_conflict().is_some() {
                    resolution(state, pick)
                } else if !state.involved.contains(&T.user_id) && pick.is_multiple_of(3) {
                    Command::InvolveColleague { user: T.user_id }
                } else if state.assessments.is_empty() || pick.is_multiple_of(5) {
                    if pick % 4 == 1 {
                        assessment_2019(Answer::Yes, None, None)
                    } else {
                        assessment_2019(Answer::No, Some(true), Some(true))
                    }
                } else {
                    let required = state
                        .latest_assessment()
                        .is_some_and(|a| a.data.outcome == AssessmentOutcome::ReportRequired);
                    if required || pick.is_multiple_of(2) {
                        decision(true, false)
                    } else {
                        decision(false, true)
                    }
                }
            }
        }
    }

    fn record(&mut self, d: usize, intent: Intent, pick: usize) -> Result<(), String> {
        // A device that holds no case yet starts one when it would make progress.
        let intent = match intent {
            Intent::Progress if self.devices[d].cases().is_empty() => Intent::Open,
            other => other,
        };
        let case = if matches!(intent, Intent::Open) {
            self.next_case += 1;
            CaseId::from_u128(0xca5e_0000 + self.next_case)
        } else {
            let cases = self.devices[d].cases();
            if cases.is_empty() {
                return Ok(());
            }
            // Mostly the school's oldest case the device holds, so that work meets there.
            if pick.is_multiple_of(3) {
                cases[(pick / 3) % cases.len()]
            } else {
                cases[0]
            }
        };
        let state = self.devices[d].state_of(case);
        let command = self.command_for(d, intent, &state, pick / 7);
        let now = self.device_now(d)?;
        let actor = self.devices[d].actor;
        let ctx = DecideContext {
            actor,
            now,
            policy: policy(),
            catalogue: &self.catalogue,
        };
        let payloads = match decide(&state, &ctx, &command) {
            Ok(p) => p,
            Err(_) => {
                self.did.refused += 1;
                return Ok(());
            }
        };
        self.append(d, case, now, payloads, state, None)
    }

    /// Stamps, marks and seals new events of `case` on device `d`, as the store records them.
    fn append(
        &mut self,
        d: usize,
        case: CaseId,
        now: chrono::DateTime<chrono::Utc>,
        payloads: Vec<EventPayload>,
        mut state: CaseState,
        directory: Option<DirectoryChange>,
    ) -> Result<(), String> {
        self.devices[d]
            .keys
            .entry(case)
            .or_insert_with(|| Hash::of(format!("key of case {case}").as_bytes()).0);
        let dev = &mut self.devices[d];
        let actor = dev.actor;
        let mut recorder = Recorder::new(dev.id, dev.last_seq, dev.clock.max(dev.received));
        let mut events = recorder.stamp(case, actor, now, payloads, &mut dev.random);
        dev.last_seq = recorder.last_seq();
        dev.clock = recorder.clock();
        stamp_seen(&state, &mut events);
        let key = dev.keys[&case];
        let mut nonces = Vec::new();
        for _ in &events {
            nonces.push(self.nonce());
        }
        let dev = &mut self.devices[d];
        for (envelope, nonce) in events.into_iter().zip(nonces) {
            state = state.evolve(&envelope);
            let audience = if case == SCHOOL_LOG {
                Audience::default()
            } else {
                Audience::of(&state)
            };
            let header = EventHeader::of(&envelope, audience, directory.clone());
            let prev = dev.own.last().map_or(Hash::GENESIS, |s| s.hash);
            let sealed = SealedEvent::seal(
                header,
                &envelope,
                prev,
                &CaseKey(Zeroizing::new(key)),
                nonce,
            )
            .map_err(|e| format!("seal: {e}"))?;
            dev.own.push(sealed.clone());
            dev.held
                .insert((dev.id, envelope.device_seq), Held { sealed, envelope });
        }
        Ok(())
    }

    /// A role change in the school log, recorded on device `d` (a coordinator's).
    fn change_role(&mut self, d: usize, user: UserId, role: Role) -> Result<(), String> {
        let now = self.device_now(d)?;
        let state = self.devices[d].state_of(SCHOOL_LOG);
        self.append(
            d,
            SCHOOL_LOG,
            now,
            vec![EventPayload::RoleChanged {
                user,
                role,
                with_recovery_key: false,
            }],
            state,
            Some(DirectoryChange::Role { user, role }),
        )
    }

    fn device_now(&self, d: usize) -> Result<chrono::DateTime<chrono::Utc>, String> {
        let ms = i64::try_from(self.device_now_ms(d)).map_err(|e| e.to_string())?;
        chrono::DateTime::from_timestamp_millis(ms).ok_or_else(|| "a time out of range".into())
    }

    // --- sync ----------------------------------------------------------------------------------

    fn server_tip(&self, device: DeviceId) -> Result<ChainTip, String> {
        self.storage()
            .read(|tx| tx.tip(device))
            .map_err(|e| e.to_string())
    }

    fn upload_of(&mut self, d: usize, events: Vec<SealedEvent>) -> Result<Upload, String> {
        let cases: BTreeSet<CaseId> = events.iter().map(|e| e.header.case_id).collect();
        let mut case_keys = Vec::new();
        for case in cases {
            let nonce = self.nonce();
            let dev = &self.devices[d];
            let key = dev
                .keys
                .get(&case)
                .ok_or_else(|| format!("no key for {case}"))?;
            case_keys.push(
                dev.school_key()
                    .wrap(case, &CaseKey(Zeroizing::new(*key)), nonce)
                    .map_err(|e| format!("wrap: {e}"))?,
            );
        }
        Ok(Upload { events, case_keys })
    }

    /// Sends an upload and checks the receipt against what the server held before. `false`
    /// when the answer was lost.
    fn send(&mut self, d: usize, upload: Upload) -> Result<Option<ChainTip>, String> {
        let id = self.devices[d].id;
        let before = self.server_tip(id)?;
        let partition = self.devices[d].partition.take();
        if let Some(Partition::RequestLost) = partition {
            self.did.requests_lost += 1;
            return Ok(None);
        }
        let ingested = ingest::upload(self.storage(), id, &upload, self.now_ms)
            .map_err(|e| format!("device {id}: upload of {} refused: {e}", describe(&upload)))?;
        let receipt = ingested.receipt;
        let dup = upload
            .events
            .iter()
            .filter(|e| e.header.seq <= before.seq)
            .count() as u64;
        let last = upload.events.last().ok_or("an empty upload")?;
        let expected_tip = if last.header.seq > before.seq {
            ChainTip {
                seq: last.header.seq,
                hash: last.hash,
            }
        } else {
            before
        };
        if receipt.duplicates != dup
            || receipt.appended != upload.events.len() as u64 - dup
            || receipt.tip != expected_tip
        {
            return Err(format!(
                "device {id}: upload of {} over tip {} answered {receipt:?}",
                describe(&upload),
                before.seq
            ));
        }
        if self.devices[d].sent.len() < 32 {
            self.devices[d].sent.push(upload);
        }
        if let Some(Partition::AnswerLost) = partition {
            self.did.answers_lost += 1;
            return Ok(None);
        }
        Ok(Some(receipt.tip))
    }

    /// Uploads every own event the server lacks, from its tip (`hello`) or from the last
    /// confirmed tip. `false` when a partition cut the round short.
    fn upload(&mut self, d: usize, batch: usize, hello: bool) -> Result<bool, String> {
        let id = self.devices[d].id;
        let mut from = if hello {
            let tip = self.server_tip(id)?;
            let own = &self.devices[d].own;
            // The rollback check of `hello`: the device is never behind what it uploaded.
            let mine = tip
                .seq
                .checked_sub(1)
                .and_then(|i| own.get(usize::try_from(i).unwrap_or(usize::MAX)));
            if tip.seq > 0 && mine.map(|s| s.hash) != Some(tip.hash) {
                return Err(format!("device {id}: the server's tip {tip:?} is not ours"));
            }
            tip.seq
        } else {
            self.devices[d].confirmed
        };
        loop {
            let own = &self.devices[d].own;
            let start = usize::try_from(from).unwrap_or(usize::MAX).min(own.len());
            let end = (start + batch).min(own.len());
            if start == end {
                return Ok(true);
            }
            let upload = self.upload_of(d, own[start..end].to_vec())?;
            match self.send(d, upload)? {
                None => return Ok(false),
                Some(tip) => {
                    self.devices[d].confirmed = tip.seq;
                    from = tip.seq;
                }
            }
        }
    }

    fn pull_page(&self, d: usize, after: u64, limit: u64) -> Result<PullPage, String> {
        let id = self.devices[d].id;
        pull::pull(self.storage(), id, after, limit)
            .map_err(|e| format!("device {id}: pull after {after}: {e}"))
    }

    fn pull_all(&mut self, d: usize, limit: u64) -> Result<usize, String> {
        let mut added = 0;
        for _ in 0..100_000 {
            let cursor = self.devices[d].cursor;
            let page = self.pull_page(d, cursor, limit)?;
            if page.cursor < cursor {
                return Err(format!(
                    "the cursor went back from {cursor} to {}",
                    page.cursor
                ));
            }
            let dev = &mut self.devices[d];
            added += dev.apply(&page)?;
            dev.cursor = page.cursor;
            if dev.cursors.last() != Some(&page.cursor) {
                dev.cursors.push(page.cursor);
            }
            if !page.more {
                return Ok(added);
            }
        }
        Err("pulling never ends".into())
    }

    fn sync(&mut self, d: usize, batch: usize, limit: u64, hello: bool) -> Result<usize, String> {
        if !self.devices[d].online {
            return Ok(0);
        }
        if !self.upload(d, batch, hello)? {
            return Ok(0);
        }
        self.pull_all(d, limit)
    }

    fn step(&mut self, step: Step) -> Result<(), String> {
        self.now_ms += 20_000;
        match step {
            Step::Record {
                device,
                intent,
                pick,
            } => self.record(device, intent, pick)?,
            Step::Sync {
                device,
                batch,
                limit,
                hello,
            } => {
                self.sync(device, batch, limit, hello)?;
            }
            Step::Offline(d) => self.devices[d].online = false,
            Step::Online(d) => self.devices[d].online = true,
            Step::Partition {
                device,
                answer_lost,
            } => {
                self.devices[device].partition = Some(if answer_lost {
                    Partition::AnswerLost
                } else {
                    Partition::RequestLost
                })
            }
            Step::DuplicatePage { device, pick } => {
                let dev = &mut self.devices[device];
                if !dev.pages.is_empty() {
                    let page = dev.pages[pick % dev.pages.len()].clone();
                    let added = dev.apply(&page)?;
                    if added != 0 {
                        return Err(format!(
                            "device {}: a page delivered again added {added} events",
                            dev.id
                        ));
                    }
                }
            }
            Step::Reupload { device, pick } => {
                let dev = &self.devices[device];
                if dev.online && !dev.sent.is_empty() {
                    let upload = dev.sent[pick % dev.sent.len()].clone();
                    let id = dev.id;
                    let receipt = ingest::upload(self.storage(), id, &upload, self.now_ms)
                        .map_err(|e| format!("device {id}: repeated upload refused: {e}"))?
                        .receipt;
                    if receipt.appended != 0 || receipt.duplicates != upload.events.len() as u64 {
                        return Err(format!(
                            "device {id}: a repeated upload of {} answered {receipt:?}",
                            describe(&upload)
                        ));
                    }
                    self.did.uploads_repeated += 1;
                }
            }
            Step::UploadOutOfOrder(device) => {
                let id = self.devices[device].id;
                let tip = self.server_tip(id)?;
                let own = &self.devices[device].own;
                let from = usize::try_from(tip.seq).unwrap_or(usize::MAX) + 1;
                if self.devices[device].online && own.len() > from {
                    let upload = self.upload_of(device, own[from..].to_vec())?;
                    match ingest::upload(self.storage(), id, &upload, self.now_ms) {
                        Err(e) if e.code == ErrorCode::Gap => {}
                        other => {
                            return Err(format!(
                                "device {id}: {} over tip {} answered {:?}, not a gap",
                                describe(&upload),
                                tip.seq,
                                other.map(|i| i.receipt)
                            ))
                        }
                    }
                    if self.server_tip(id)? != tip {
                        return Err(format!("device {id}: a refused upload moved the tip"));
                    }
                    self.did.uploads_out_of_order += 1;
                }
            }
            Step::Reorder { device, limit } => {
                if self.devices[device].online {
                    let cursor = self.devices[device].cursor;
                    let first = self.pull_page(device, cursor, limit)?;
                    let second = if first.more {
                        Some(self.pull_page(device, first.cursor, limit)?)
                    } else {
                        None
                    };
                    if second.is_some() {
                        self.did.pages_reordered += 1;
                    }
                    let dev = &mut self.devices[device];
                    if let Some(second) = &second {
                        dev.apply(second)?;
                    }
                    dev.apply(&first)?;
                    let last = second.as_ref().unwrap_or(&first).cursor;
                    dev.cursor = dev.cursor.max(last);
                    dev.cursors.push(dev.cursor);
                }
            }
            Step::OldCursor {
                device,
                pick,
                limit,
            } => {
                if self.devices[device].online {
                    let dev = &self.devices[device];
                    let after = dev.cursors[pick % dev.cursors.len()];
                    if after < dev.cursor {
                        self.did.old_cursor_pulls += 1;
                    }
                    let page = self.pull_page(device, after, limit)?;
                    let dev = &mut self.devices[device];
                    dev.apply(&page)?;
                    // Everything after `after` up to the page's cursor came with it.
                    dev.cursor = dev.cursor.max(page.cursor);
                }
            }
            Step::Restart => {
                self.did.restarts += 1;
                self.restart()?
            }
            Step::Wait { minutes } => self.now_ms += u64::from(minutes) * 60_000,
        }
        Ok(())
    }

    /// Everyone back online and syncing until nothing changes.
    fn settle(&mut self) -> Result<(), String> {
        for dev in &mut self.devices {
            dev.online = true;
            dev.partition = None;
        }
        for _ in 0..8 {
            let mut changed = 0;
            for d in 0..DEVICES {
                let before = self.server_tip(self.devices[d].id)?.seq;
                changed += self.sync(d, 50, 50, d % 2 == 0)?;
                if !self.devices[d].own.is_empty()
                    && self.server_tip(self.devices[d].id)?.seq != before
                {
                    changed += 1;
                }
            }
            if changed == 0 {
                return Ok(());
            }
            self.now_ms += 60_000;
        }
        Err("the devices did not settle in 8 rounds".into())
    }

    // --- checks --------------------------------------------------------------------------------

    fn check(&self) -> Result<Outcome, String> {
        let mut outcome = self.did;
        outcome.schedules = 1;
        outcome.events_delivered_again = self.devices.iter().map(|d| d.delivered_again).sum();
        let (directory, stored, counts) = self
            .storage()
            .read(|tx| {
                Ok((
                    tx.directory()?,
                    tx.events_after(0, u64::MAX / 2)?,
                    tx.counts()?,
                ))
            })
            .map_err(|e| e.to_string())?;

        // The server: every chain whole, linked and verifying; nothing lost or duplicated.
        let mut chains: BTreeMap<DeviceId, Vec<SealedEvent>> = BTreeMap::new();
        let mut by_case: BTreeMap<CaseId, BTreeMap<(DeviceId, u64), SealedEvent>> = BTreeMap::new();
        for e in &stored {
            let sealed: SealedEvent = serde_json::from_str(&e.sealed)
                .map_err(|err| format!("a stored event does not parse: {err}"))?;
            if sealed.header.case_id != e.case_id {
                return Err("a stored event sits under another case".into());
            }
            by_case
                .entry(e.case_id)
                .or_default()
                .insert((sealed.header.device_id, sealed.header.seq), sealed.clone());
            chains
                .entry(sealed.header.device_id)
                .or_default()
                .push(sealed);
        }
        let total_own: usize = self.devices.iter().map(|d| d.own.len()).sum();
        if stored.len() != total_own || counts.events != total_own as u64 {
            return Err(format!(
                "the server holds {} events (counts {}), the devices made {total_own}",
                stored.len(),
                counts.events
            ));
        }
        for dev in &self.devices {
            let mut chain = chains.remove(&dev.id).unwrap_or_default();
            chain.sort_by_key(|e| e.header.seq);
            check_chain(dev.id, &chain)?;
            if chain != dev.own {
                return Err(format!(
                    "the server's chain of device {} differs from the device's own",
                    dev.id
                ));
            }
            let tip = self.server_tip(dev.id)?;
            let expected = dev.own.last().map_or(ChainTip::EMPTY, |e| ChainTip {
                seq: e.header.seq,
                hash: e.hash,
            });
            if tip != expected {
                return Err(format!("the server's tip of {} is {tip:?}", dev.id));
            }
        }
        if !chains.is_empty() {
            return Err("the server holds chains of unknown devices".into());
        }
        if counts.forks != 0 {
            return Err(format!(
                "the server kept {} forks as evidence",
                counts.forks
            ));
        }

        // The devices: held foreign events verify and link where consecutive.
        for dev in &self.devices {
            for ((device, seq), held) in &dev.held {
                held.sealed
                    .verify()
                    .map_err(|e| format!("device {} holds a broken event: {e}", dev.id))?;
                if !held.sealed.header.describes(&held.envelope) {
                    return Err(format!("device {}: header and event differ", dev.id));
                }
                if let Some(before) = seq.checked_sub(1).and_then(|s| dev.held.get(&(*device, s))) {
                    if before.sealed.hash != held.sealed.prev {
                        return Err(format!(
                            "device {} holds ({device}, {seq}) unlinked to the one before",
                            dev.id
                        ));
                    }
                }
            }
        }

        // Every case: every device that may see it holds exactly its events and folds the same.
        let mut all_cases: BTreeSet<CaseId> = by_case.keys().copied().collect();
        for dev in &self.devices {
            all_cases.extend(dev.held.values().map(|h| h.envelope.case_id));
        }
        for case in all_cases {
            let events = by_case
                .get(&case)
                .ok_or_else(|| format!("case {case} is on a device but not on the server"))?;
            let row = self
                .storage()
                .read(|tx| tx.case(case))
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("the server has no row for case {case}"))?;
            let mut folded: Option<(DeviceId, serde_json::Value)> = None;
            for dev in &self.devices {
                let holds: BTreeMap<(DeviceId, u64), &SealedEvent> = dev
                    .held
                    .iter()
                    .filter(|(_, h)| h.envelope.case_id == case)
                    .map(|(k, h)| (*k, &h.sealed))
                    .collect();
                let users = directory.users_on(dev.id);
                if !may_receive(&users, case, &row.audience) {
                    if !holds.is_empty() {
                        return Err(format!(
                            "device {} holds {} events of case {case}, which its users may not see (audience {:?})",
                            dev.id,
                            holds.len(),
                            row.audience
                        ));
                    }
                    continue;
                }
                let expected: BTreeMap<(DeviceId, u64), &SealedEvent> =
                    events.iter().map(|(k, e)| (*k, e)).collect();
                if holds != expected {
                    let missing: Vec<_> =
                        expected.keys().filter(|k| !holds.contains_key(k)).collect();
                    let extra: Vec<_> =
                        holds.keys().filter(|k| !expected.contains_key(k)).collect();
                    return Err(format!(
                        "device {} holds other events of case {case} than the server: missing {missing:?}, extra {extra:?}",
                        dev.id
                    ));
                }
                let state = dev.state_of(case);
                if case != SCHOOL_LOG && Audience::of(&state) != row.audience {
                    return Err(format!(
                        "device {} folds case {case} to audience {:?}, the server joined {:?}",
                        dev.id,
                        Audience::of(&state),
                        row.audience
                    ));
                }
                if case != SCHOOL_LOG
                    && dev.id == device_id(1)
                    && users.iter().all(|u| u.role == Role::Teacher)
                    && !state.involved.contains(&T.user_id)
                {
                    return Err(format!(
                        "R14: the teacher's device holds case {case}, which she is not involved in"
                    ));
                }
                if state.timeline.len() != expected.len() {
                    return Err(format!(
                        "device {} folds {} of the {} events of case {case}",
                        dev.id,
                        state.timeline.len(),
                        expected.len()
                    ));
                }
                let value = serde_json::to_value(&state).map_err(|e| e.to_string())?;
                match &folded {
                    None => {
                        if state.opened_by != Some(T.user_id) && state.involved.contains(&T.user_id)
                        {
                            outcome.teacher_involved += 1;
                        }
                        if !state.conflicts.is_empty() {
                            outcome.with_conflict = 1;
                            outcome.conflicts += 1;
                            outcome.resolved += state
                                .conflicts
                                .iter()
                                .filter(|c| c.resolved.is_some())
                                .count() as u64;
                        }
                        folded = Some((dev.id, value));
                    }
                    Some((other, v)) if *v != value => {
                        return Err(format!(
                            "devices {other} and {} fold case {case} differently:\n{}",
                            dev.id,
                            first_difference(v, &value)
                        ));
                    }
                    Some(_) => {}
                }
            }
            if folded.is_none() {
                return Err(format!("no device may see case {case}"));
            }
        }
        outcome.events = stored.len() as u64;
        outcome.weighings_and_decisions = by_case
            .values()
            .flat_map(|m| m.values())
            .filter(|e| {
                e.header.kind == "assessment_recorded" || e.header.kind == "decision_recorded"
            })
            .count() as u64;
        Ok(outcome)
    }
}

fn check_chain(device: DeviceId, chain: &[SealedEvent]) -> Result<(), String> {
    let mut prev = Hash::GENESIS;
    for (i, e) in chain.iter().enumerate() {
        if e.header.seq != i as u64 + 1 || e.header.device_id != device {
            return Err(format!(
                "the server's chain of {device} has seq {} at position {}",
                e.header.seq,
                i + 1
            ));
        }
        e.verify()
            .map_err(|err| format!("the server's chain of {device}: {err}"))?;
        if e.prev != prev {
            return Err(format!(
                "the server's chain of {device} breaks at seq {}",
                e.header.seq
            ));
        }
        prev = e.hash;
    }
    Ok(())
}

fn describe(upload: &Upload) -> String {
    match (upload.events.first(), upload.events.last()) {
        (Some(a), Some(b)) => format!("seq {}..={}", a.header.seq, b.header.seq),
        _ => "nothing".into(),
    }
}

fn resolution(state: &CaseState, pick: usize) -> Command {
    match state.open_conflict() {
        Some(c) => Command::ResolveConflict(ConflictResolution {
            records: c.records.clone(),
            kept: c.records[pick % c.records.len()],
            reasoning: "Na overleg met de directie: deze geldt.".into(),
        }),
        None => Command::ResolveConflict(ConflictResolution {
            records: Vec::new(),
            kept: meldcode_engine::EventId::from_u128(0),
            reasoning: "Niets op te lossen.".into(),
        }),
    }
}

/// The first place two JSON values differ, for a readable failure.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value) -> String {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) if w != v => return format!(".{k}{}", first_difference(v, w)),
                    None => return format!(".{k} only on one side"),
                    _ => {}
                }
            }
            " (keys differ)".into()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return format!("[{i}]{}", first_difference(v, w));
                }
            }
            String::new()
        }
        _ => format!(": {a} vs {b}"),
    }
}

fn run(schedule: &Schedule) -> Result<Outcome, String> {
    let mut school = School::new(schedule.skews)?;
    for (i, step) in schedule.steps.iter().enumerate() {
        school
            .step(*step)
            .map_err(|e| format!("step {i} ({step:?}): {e}"))?;
    }
    school.settle()?;
    school.check()
}

fn cases() -> u32 {
    std::env::var("MELDCODE_CONVERGENCE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500)
}

#[test]
fn three_devices_and_a_server_converge_over_random_schedules() {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let started = std::time::Instant::now();
    let total = std::cell::RefCell::new(Outcome::default());
    let mut runner = TestRunner::new(config);
    let result = runner.run(&schedule(), |schedule| {
        let outcome = run(&schedule).map_err(TestCaseError::fail)?;
        total.borrow_mut().add(&outcome);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let t = total.into_inner();
    eprintln!(
        "convergence: {} schedules in {:.1?}: {} events, {} weighings and decisions, {} commands refused; \
         {} schedules ended with an R11 conflict ({} cases, {} resolutions); {} cases reached the teacher by involvement; \
         {} server restarts, {} uploads lost before and {} after the server, {} repeated uploads, {} refused out of order, \
         {} events delivered again, {} page pairs reordered, {} pulls from an older cursor",
        t.schedules,
        started.elapsed(),
        t.events,
        t.weighings_and_decisions,
        t.refused,
        t.with_conflict,
        t.conflicts,
        t.resolved,
        t.teacher_involved,
        t.restarts,
        t.requests_lost,
        t.answers_lost,
        t.uploads_repeated,
        t.uploads_out_of_order,
        t.events_delivered_again,
        t.pages_reordered,
        t.old_cursor_pulls,
    );
}

/// A device whose user becomes a coordinator through the school log may now see every case,
/// also those whose events it passed over while she was a teacher (the server marks every case
/// widened when a role changes, so each device receives again what it may now see).
#[test]
fn a_teacher_made_coordinator_receives_the_cases_from_before() {
    let outcome = (|| -> Result<Outcome, String> {
        let mut school = School::new([0; DEVICES])?;
        school.record(0, Intent::Open, 0)?;
        school.record(0, Intent::Progress, 0)?;
        school.sync(0, 10, 10, true)?;
        school.sync(1, 10, 10, true)?;
        if !school.devices[1].held.is_empty() {
            return Err("the teacher received a case she is not involved in".into());
        }
        school.change_role(0, T.user_id, Role::Coordinator)?;
        school.settle()?;
        school.check()
    })();
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
