//! Pins the stored JSON shape of events (schema version 1). The fixture holds one or more
//! events of every type; each must load and serialise back byte for byte. A change that breaks
//! this breaks every dossier already on a tablet: add a new schema version and a migration
//! instead. `MELDCODE_BLESS=1 cargo test --test event_shape` rewrites the fixture from the
//! builders, for a deliberate, reviewed change only.

use chrono::{Duration, NaiveDate};
use meldcode_engine::envelope::Envelope;
use meldcode_engine::event::EVENT_SCHEMA_VERSION;
use meldcode_engine::records::*;
use meldcode_engine::testkit::*;
use meldcode_engine::urgent::UrgentKind;
use meldcode_engine::{Command, EventPayload};
use std::collections::BTreeSet;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/events_v1.jsonl"
);

/// Events as the engine wrote them before the records and fields of November 2026 (the child,
/// the staff route, the follow-through of help and reports). Never rewritten: they must keep
/// loading, byte for byte, as long as dossiers from that time exist.
const FIXTURE_BEFORE_2026_11: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/events_v1_before_2026_11.jsonl"
);

/// Every payload type the engine can produce, by name.
const ALL_KINDS: [&str; 44] = [
    "case_opened",
    "signal_recorded",
    "colleague_involved",
    "urgent_flag_raised",
    "staff_suspected",
    "board_informed",
    "emergency_declared",
    "emergency_call_made",
    "consultation_recorded",
    "advice_requested",
    "consent_recorded",
    "risk_index_considered",
    "parent_conversation_recorded",
    "exception_ground_recorded",
    "assessment_recorded",
    "decision_recorded",
    "help_plan_started",
    "help_reviewed",
    "help_plan_ended",
    "report_discussed",
    "report_made",
    "follow_up_recorded",
    "record_corrected",
    "case_closed",
    "child_conversation_recorded",
    "disclosure_recorded",
    "staff_case_parents_informed",
    "suspected_staff_informed",
    "police_report_decided",
    "other_cause_recorded",
    "advice_skipped",
    "care_team_intake_held",
    "help_plan_shared",
    "help_reach_checked",
    "parents_informed_of_report",
    "case_evaluated",
    "conflict_resolved",
    "pupil_left_school",
    "dossier_exported",
    "user_added",
    "user_removed",
    "pin_reset",
    "role_changed",
    "case_destroyed",
];

fn generate() -> Vec<Envelope> {
    let mut kit = Kit::opened();
    let signal = kit.ok(TEACHER, signal_own())[0].id;
    kit.ok(TEACHER, signal_from_other());
    kit.ok(
        COORDINATOR,
        Command::InvolveColleague {
            user: OTHER_TEACHER.user_id,
        },
    );
    kit.ok(TEACHER, consultation_internal());
    kit.ok(COORDINATOR, consent(true));
    kit.ok(TEACHER, care_team_intake(&kit));
    kit.ok(COORDINATOR, consultation_care_team(false));
    kit.ok(COORDINATOR, advice());
    kit.ok(
        COORDINATOR,
        Command::ConsiderRiskIndex(RiskIndexInput {
            choice: RiskIndexChoice::Registered,
            reasoning: "Zorgen over meerdere leefgebieden; CJG en wijkteam betrokken.".into(),
            registered_on: Some(kit.today()),
            follow_up_on: Some(kit.today() + Duration::days(90)),
        }),
    );
    kit.ok(TEACHER, child_conversation());
    kit.ok(TEACHER, conversation());
    kit.ok(
        TEACHER,
        Command::CorrectRecord(CorrectionInput {
            corrects: signal,
            reason: "Verkeerde arm genoteerd".into(),
            corrected_text: "Blauwe plek op de rechter bovenarm, ongeveer 4 cm.".into(),
        }),
    );
    let Command::RecordAssessment { assessment, .. } =
        assessment_2019(Answer::No, Some(true), Some(true))
    else {
        unreachable!()
    };
    kit.ok(
        COORDINATOR,
        Command::RecordAssessment {
            assessment,
            instrument: Some(RiskInstrument {
                name: "LIRIK".into(),
                outcome: "Matig risico".into(),
            }),
        },
    );
    kit.ok(COORDINATOR, decision(true, true));
    let day = kit.today() + Duration::days(14);
    let plan = kit.ok(COORDINATOR, help_plan(vec![day], day))[0].id;
    kit.ok(TEACHER, share_help_plan(&kit, plan));
    kit.ok(TEACHER, help_reached(&kit, plan, true));
    kit.advance(Duration::days(14));
    kit.ok(TEACHER, review(plan, kit.now, HelpEffect::Improving));
    kit.ok(
        COORDINATOR,
        Command::EndHelpPlan(HelpPlanEndInput {
            plan,
            lasting_safety: true,
            monitoring: "Na drie maanden een kort gesprek met moeder.".into(),
        }),
    );
    kit.ok(COORDINATOR, discussion());
    kit.ok(COORDINATOR, report());
    kit.ok(COORDINATOR, parents_informed_of_report(&kit));
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, evaluation(&kit));
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
    kit.ok(
        COORDINATOR,
        Command::RecordPupilLeft(PupilLeftInput {
            left_on: kit.today(),
            note: None,
        }),
    );
    kit.ok(
        DIRECTOR,
        Command::RecordExport(ExportInput {
            copy: ExportCopy::Inzage,
            recipient: ExportRecipient::Parent,
            recipient_note: None,
            records: 30,
            head: "0f".repeat(32),
            masked: 2,
        }),
    );
    let mut all = kit.events;

    let mut child = Kit::opened();
    child.ok(TEACHER, disclosure(&child));
    child.ok(COORDINATOR, advice_skipped());
    child.ok(COORDINATOR, other_cause(&child));
    all.extend(child.events);

    let mut urgent = Kit::opened();
    urgent.ok(
        TEACHER,
        Command::RaiseUrgentFlag(UrgentFlagInput {
            kind: UrgentKind::HonourRelatedViolence,
            reason: "Sanne vertelt dat haar broer haar volgt en bedreigt.".into(),
        }),
    );
    urgent.ok(
        TEACHER,
        Command::DeclareEmergency(EmergencyInput {
            declared_at: urgent.now,
            danger: "Broer wacht bij het hek.".into(),
        }),
    );
    urgent.ok(
        TEACHER,
        Command::RecordEmergencyCall(EmergencyCallInput {
            called_at: urgent.now,
            service: EmergencyService::Police,
            summary: "Politie komt naar school.".into(),
        }),
    );
    urgent.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ParentConversation,
            ExceptionGround::SafetyAtStake,
        ),
    );
    all.extend(urgent.events);

    let mut staff = Kit::opened();
    staff.ok(
        TEACHER,
        Command::SuspectStaff(StaffSuspicionInput {
            staff_user: OTHER_TEACHER.user_id,
            staff_name: "Bram Visser".into(),
            note: "Sanne vertelt dat meester Bram haar hard vastpakte.".into(),
        }),
    );
    staff.ok(
        TEACHER,
        Command::RecordBoardInformed(BoardInformedInput {
            informed_at: staff.now,
            board_member: "Henk Mulder".into(),
            how: "telefonisch".into(),
        }),
    );
    staff.ok(BOARD, consultation_confidential_inspector(&staff));
    staff.ok(BOARD, staff_parents_informed(&staff));
    staff.ok(BOARD, suspected_staff_informed(&staff));
    staff.ok(BOARD, police_report(&staff, true));
    staff.ok(BOARD, close(CaseOutcome::StaffRouteCompleted));
    all.extend(staff.events);
    all.extend(conflict_events());
    all.extend(school_log_events());
    all
}

/// Two decisions made apart on two devices, merged on the first and resolved there: the
/// weighings and decisions carry what their device had seen (`seen`).
fn conflict_events() -> Vec<Envelope> {
    use meldcode_engine::envelope::{CountingRandom, Recorder};
    use meldcode_engine::DeviceId;
    let mut a = Kit::opened();
    prepare_weighing(&mut a);
    a.ok(
        COORDINATOR,
        assessment_2019(Answer::No, Some(true), Some(true)),
    );
    let mut b = Kit::new();
    b.case_id = a.case_id;
    b.state = a.state.clone();
    b.now = a.now;
    b.random = CountingRandom(500);
    b.recorder = Recorder::new(DeviceId::from_u128(0xbee), 0, a.recorder.clock());
    let kept = a.ok(COORDINATOR, decision(true, false))[0].id;
    let other = b.ok(COORDINATOR, decision(false, true));
    for e in &other {
        a.state = std::mem::take(&mut a.state).evolve(e);
        a.events.push(e.clone());
    }
    let records = a
        .state
        .open_conflict()
        .map(|c| c.records.clone())
        .unwrap_or_default();
    a.advance(Duration::hours(1));
    a.ok(
        COORDINATOR,
        Command::ResolveConflict(ConflictResolution {
            records,
            kept,
            reasoning: "Na overleg met de directie: melden bij Veilig Thuis.".into(),
        }),
    );
    a.events
}

/// The school log's events, stamped as the store stamps them (no case, no `decide`).
fn school_log_events() -> Vec<Envelope> {
    use meldcode_engine::people::{Role, User};
    use meldcode_engine::school_log::{admin_event, AdminAction, Authority, SCHOOL_LOG};
    let mut kit = Kit::new();
    let jeroen = User {
        id: OTHER_TEACHER.user_id,
        full_name: "Jeroen Smit".into(),
        role: Role::Teacher,
    };
    let steps = [
        (COORDINATOR, AdminAction::Add, Authority::OwnPin),
        (COORDINATOR, AdminAction::ResetPin, Authority::OwnPin),
        (
            DIRECTOR,
            AdminAction::ChangeRole {
                to: Role::Coordinator,
            },
            Authority::OwnPin,
        ),
        (COORDINATOR, AdminAction::Remove, Authority::RecoveryKey),
    ];
    let mut out = Vec::new();
    for (actor, action, authority) in steps {
        kit.now += Duration::minutes(5);
        out.extend(kit.recorder.stamp(
            SCHOOL_LOG,
            actor,
            kit.now,
            vec![admin_event(action, &jeroen, authority)],
            &mut kit.random,
        ));
    }
    kit.now += Duration::minutes(5);
    let tombstone = EventPayload::CaseDestroyed(CaseDestroyedInput {
        case: meldcode_engine::CaseId(uuid::Uuid::from_u128(0xca5e)),
        retain_until: NaiveDate::from_ymd_opt(2026, 2, 28).expect("a day"),
        records: 12,
        reason: "Bewaartermijn verstreken.".into(),
    });
    out.extend(kit.recorder.stamp(
        SCHOOL_LOG,
        COORDINATOR,
        kit.now,
        vec![tombstone],
        &mut kit.random,
    ));
    out
}

fn lines_of(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("the event fixture exists");
    text.lines().map(str::to_owned).collect()
}

fn fixture_lines() -> Vec<String> {
    lines_of(FIXTURE)
}

/// Dossiers written before the new records keep loading, serialise back to exactly the bytes
/// that were hashed, and fold into a case as before.
#[test]
fn old_events_still_load() {
    let lines = lines_of(FIXTURE_BEFORE_2026_11);
    let mut events = Vec::new();
    for line in &lines {
        let event: Envelope = serde_json::from_str(line).unwrap_or_else(|e| {
            panic!("an event from before 2026-11 no longer loads: {e}\n{line}")
        });
        assert_eq!(
            &serde_json::to_string(&event).expect("serialises"),
            line,
            "an old {} no longer serialises to its stored bytes",
            event.payload.kind()
        );
        events.push(event);
    }
    assert_eq!(events.len(), lines.len());
    let first_case = events[0].case_id;
    let state =
        meldcode_engine::CaseState::replay(events.iter().filter(|e| e.case_id == first_case));
    assert!(
        state.closed.is_some(),
        "the old help-and-report case still reads as closed"
    );
    assert_eq!(state.help_plans.len(), 1);
}

#[test]
fn stored_events_of_every_type_load_and_keep_their_exact_shape() {
    if std::env::var_os("MELDCODE_BLESS").is_some() {
        let lines: Vec<String> = generate()
            .iter()
            .map(|e| serde_json::to_string(e).expect("serialises"))
            .collect();
        std::fs::write(FIXTURE, lines.join("\n") + "\n").expect("fixture written");
    }
    let mut kinds = BTreeSet::new();
    for line in fixture_lines() {
        let event: Envelope = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("a stored event no longer loads: {e}\n{line}"));
        assert_eq!(event.v, EVENT_SCHEMA_VERSION);
        assert_eq!(
            serde_json::to_string(&event).expect("serialises"),
            line,
            "the JSON shape of {} changed",
            event.payload.kind()
        );
        kinds.insert(event.payload.kind());
    }
    let missing: Vec<&str> = ALL_KINDS
        .iter()
        .copied()
        .filter(|k| !kinds.contains(k))
        .collect();
    assert!(missing.is_empty(), "the fixture lacks {missing:?}");
}

#[test]
fn the_builders_still_produce_the_pinned_events() {
    let generated: Vec<String> = generate()
        .iter()
        .map(|e| serde_json::to_string(e).expect("serialises"))
        .collect();
    assert_eq!(generated, fixture_lines());
}
