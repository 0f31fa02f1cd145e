//! Pins the stored JSON shape of events (schema version 1). The fixture holds one or more
//! events of every type; each must load and serialise back byte for byte. A change that breaks
//! this breaks every dossier already on a tablet: add a new schema version and a migration
//! instead. `MELDCODE_BLESS=1 cargo test --test event_shape` rewrites the fixture from the
//! builders, for a deliberate, reviewed change only.

use chrono::Duration;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::event::EVENT_SCHEMA_VERSION;
use meldcode_engine::records::*;
use meldcode_engine::testkit::*;
use meldcode_engine::urgent::UrgentKind;
use meldcode_engine::Command;
use std::collections::BTreeSet;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/events_v1.jsonl"
);

/// Every payload type the engine can produce, by name.
const ALL_KINDS: [&str; 24] = [
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
    kit.ok(COORDINATOR, consultation_care_team(false));
    kit.ok(COORDINATOR, advice());
    kit.ok(COORDINATOR, risk_index());
    kit.ok(TEACHER, conversation());
    kit.ok(
        TEACHER,
        Command::CorrectRecord(CorrectionInput {
            corrects: signal,
            reason: "Verkeerde arm genoteerd".into(),
            corrected_text: "Blauwe plek op de rechter bovenarm, ongeveer 4 cm.".into(),
        }),
    );
    kit.ok(
        COORDINATOR,
        assessment_2019(Answer::No, Some(true), Some(true)),
    );
    kit.ok(COORDINATOR, decision(true, true));
    let day = kit.today() + Duration::days(14);
    let plan = kit.ok(COORDINATOR, help_plan(vec![day], day))[0].id;
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
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
    let mut all = kit.events;

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
    all.extend(staff.events);
    all
}

fn fixture_lines() -> Vec<String> {
    let text = std::fs::read_to_string(FIXTURE).expect("the event fixture exists");
    text.lines().map(str::to_owned).collect()
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
