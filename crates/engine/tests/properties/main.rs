//! Property tests: random command sequences from random people never reach a state that breaks
//! a hard rule, and replaying a case's events always gives the same state.
//!
//! The hard rules are checked by an oracle, `check_hard_rules`, written from the seed's rules
//! (DESIGN.md §3–§4) rather than from the engine: it folds the event log itself, reading only the
//! events' payloads and the envelope's author and role. It never asks `CaseState` or any engine
//! helper (such as `ConsultPartner::consent_scope`), so a gap in the engine's own predicates
//! cannot hide from it. Its own tests (`oracle_can_fail.rs`) feed it forged logs that it must
//! refuse.
//!
//! `PROPTEST_CASES` sets the number of walks for every property here (default 1000). The walks
//! are counted by how far they got (a report, a help plan, a close, a report after help failed, a
//! closed staff case) and the counts are printed, by the hard-rule property when it passes and by
//! `random_walks_reach_reports_help_plans_and_closings` always, which also asserts that each was
//! reached: a green property means little if its walks never get there.

use chrono::Duration;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::event::{AssessmentRecord, EventPayload, ReportRecord, ReportRoute};
use meldcode_engine::people::{Actor, Role};
use meldcode_engine::records::*;
use meldcode_engine::testkit::*;
use meldcode_engine::urgent::UrgentKind;
use meldcode_engine::{CaseState, Command, EventId, UserId};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestError, TestRunner};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

mod oracle;
mod oracle_can_fail;
mod tally;
mod walks;

use oracle::*;
use tally::*;
use walks::*;

/// Walks are up to this long: long enough to open, weigh, help, fail, report after all and
/// close, or to take the board's staff route to its end.
const MAX_STEPS: usize = 300;

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn random_command_sequences_never_break_a_hard_rule() {
    let cases = cases();
    let started = std::time::Instant::now();
    let result = runner(cases).run(&walk(MAX_STEPS), |steps| {
        let kit = run(&steps);
        check_hard_rules(&kit.events).map_err(TestCaseError::fail)?;
        TALLY.add(reached(&kit.events));
        Ok(())
    });
    match result {
        Ok(()) => show(&format!(
            "hard-rule property ({:.1}s): {}",
            started.elapsed().as_secs_f64(),
            TALLY.line()
        )),
        Err(TestError::Fail(why, steps)) => panic!(
            "a walk broke a hard rule: {why}\nminimal walk ({} steps):\n{}",
            steps.len(),
            describe(&steps)
        ),
        Err(TestError::Abort(why)) => panic!("the property was aborted: {why}"),
    }
}

/// The same walks as the hard-rule property, counted whatever the oracle says, so that the
/// counts show even while the property fails: a green property means little if its walks never
/// reach a report, a help plan or a close.
#[test]
fn random_walks_reach_reports_help_plans_and_closings() {
    use proptest::strategy::ValueTree;
    let cases = cases();
    let started = std::time::Instant::now();
    let mut runner = runner(cases);
    let strategy = walk(MAX_STEPS);
    let tally = Tally::new();
    let mut broke = 0usize;
    for _ in 0..cases {
        let steps = strategy
            .new_tree(&mut runner)
            .expect("the walk strategy never rejects")
            .current();
        let kit = run(&steps);
        if check_hard_rules(&kit.events).is_err() {
            broke += 1;
        }
        tally.add(reached(&kit.events));
    }
    let line = tally.line();
    show(&format!(
        "{line} (broke a hard rule: {broke}; {:.1}s)",
        started.elapsed().as_secs_f64()
    ));
    if cases >= 1000 {
        for (name, n) in tally.counts() {
            assert!(n > 0, "no walk of {cases} reached '{name}': {line}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn replaying_a_case_gives_the_same_state_every_time(steps in walk(120)) {
        let kit = run(&steps);
        let once = CaseState::replay(&kit.events);
        let twice = CaseState::replay(&kit.events);
        prop_assert_eq!(&once, &kit.state);
        prop_assert_eq!(&once, &twice);
        // A sync that delivers every event twice changes nothing.
        let doubled: Vec<&Envelope> = kit.events.iter().flat_map(|e| [e, e]).collect();
        prop_assert_eq!(&CaseState::replay(doubled), &kit.state);
    }

    #[test]
    fn events_survive_a_json_round_trip(steps in walk(40)) {
        let kit = run(&steps);
        let json = serde_json::to_string(&kit.events).expect("events serialise");
        let back: Vec<Envelope> = serde_json::from_str(&json).expect("events load");
        prop_assert_eq!(&back, &kit.events);
        prop_assert_eq!(CaseState::replay(&back), kit.state);
    }

    #[test]
    fn device_sequence_has_no_gaps_and_the_clock_only_moves_forward(steps in walk(40)) {
        let kit = run(&steps);
        for (i, pair) in kit.events.windows(2).enumerate() {
            prop_assert_eq!(pair[1].device_seq, pair[0].device_seq + 1, "gap after {}", i);
            prop_assert!(pair[1].hlc > pair[0].hlc);
            prop_assert!(pair[1].id.0 > pair[0].id.0, "UUIDv7 ids sort by creation");
        }
    }
}
