//! Property tests: random command sequences from random people never reach a state that breaks
//! a hard rule, and replaying a case's events always gives the same state.

use chrono::Duration;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::event::{EventPayload, ReportRoute};
use meldcode_engine::people::{Actor, Role};
use meldcode_engine::records::*;
use meldcode_engine::testkit::*;
use meldcode_engine::urgent::UrgentKind;
use meldcode_engine::{CaseState, Command};
use proptest::prelude::*;

/// The coordinator appears more often so that walks reach steps 4 and 5, the board for staff cases.
const ACTORS: [Actor; 8] = [
    TEACHER,
    TEACHER,
    OTHER_TEACHER,
    COORDINATOR,
    COORDINATOR,
    COORDINATOR,
    DIRECTOR,
    BOARD,
];

/// How often each command of the pool is tried: the route forward often, the dead ends
/// (closing, emergencies, suspicions) rarely, so that random walks go deep into step 5.
const WEIGHTS: [usize; COMMANDS] = [
    3, 2, 2, 2, 2, 1, 3, 2, 1, 2, 3, 2, 2, 3, 3, 2, 1, 3, 3, 3, 3, 3, 2, 2, 3, 4, 3, 2, 1, 1, 1, 1,
    1, 1, 1, 1,
];

/// One step of a random walk: who acts, what they try, and how much time passes first.
#[derive(Clone, Debug)]
struct Step {
    actor: usize,
    command: usize,
    days_later: i64,
}

fn step() -> impl Strategy<Value = Step> {
    let pool: Vec<usize> = WEIGHTS
        .iter()
        .enumerate()
        .flat_map(|(command, &w)| std::iter::repeat_n(command, w))
        .collect();
    (0..ACTORS.len(), prop::sample::select(pool), 0i64..10).prop_map(
        |(actor, command, days_later)| Step {
            actor,
            command,
            days_later,
        },
    )
}

const COMMANDS: usize = 36;

/// The command pool: the builders' valid commands plus variants that the rules must refuse in
/// the wrong place. Help plan ids are taken from the case so reviews can hit real plans.
fn command(kit: &Kit, n: usize) -> Command {
    let plan = kit
        .state
        .help_plans
        .last()
        .map(|p| p.started.id)
        .unwrap_or(meldcode_engine::EventId::from_u128(7));
    let soon = kit.today() + Duration::days(14);
    match n {
        0 | 1 => signal_own(),
        2 => signal_from_other(),
        3 => consultation_internal(),
        4 => consultation_care_team(false),
        5 => consultation_care_team(true),
        6 => advice(),
        7 => consent(true),
        8 => consent(false),
        9 => risk_index(),
        10 => conversation(),
        11 => ground(
            ExceptionStage::ParentConversation,
            ExceptionGround::SafetyAtStake,
        ),
        12 => ground(
            ExceptionStage::ReportDiscussion,
            ExceptionGround::ParentWouldBreakContact,
        ),
        13 => assessment_2019(Answer::Yes, None, None),
        14 => assessment_2019(Answer::No, Some(true), Some(true)),
        15 => assessment_2019(Answer::No, Some(true), Some(false)),
        16 => assessment_no_suspicion(),
        17 => decision(true, false),
        18 => decision(false, true),
        19 => decision(true, true),
        20 => help_plan(vec![soon], soon),
        21 => review(plan, kit.now, HelpEffect::Improving),
        22 => review(plan, kit.now, HelpEffect::ConcernsContinue),
        23 => Command::EndHelpPlan(HelpPlanEndInput {
            plan,
            lasting_safety: true,
            monitoring: "Leerkracht blijft alert.".into(),
        }),
        24 => discussion(),
        25 => report(),
        26 => follow_up(Improvement::Sufficient),
        27 => follow_up(Improvement::Insufficient),
        28 => close(CaseOutcome::Unfounded),
        29 => close(CaseOutcome::HelpInPlace),
        30 => close(CaseOutcome::ReportedAndHandedOver),
        31 => Command::DeclareEmergency(EmergencyInput {
            declared_at: kit.now,
            danger: "Acuut gevaar bij het hek.".into(),
        }),
        32 => Command::RaiseUrgentFlag(UrgentFlagInput {
            kind: UrgentKind::HonourRelatedViolence,
            reason: "Dreiging binnen de familie.".into(),
        }),
        33 => Command::SuspectStaff(StaffSuspicionInput {
            staff_user: OTHER_TEACHER.user_id,
            staff_name: "Bram Visser".into(),
            note: "Signalen wijzen op de gymleraar.".into(),
        }),
        34 => Command::InvolveColleague {
            user: OTHER_TEACHER.user_id,
        },
        _ => Command::RecordEmergencyCall(EmergencyCallInput {
            called_at: kit.now,
            service: EmergencyService::VeiligThuis,
            summary: "Veilig Thuis gebeld.".into(),
        }),
    }
}

fn run(steps: &[Step]) -> Kit {
    let mut kit = Kit::opened();
    for s in steps {
        kit.advance(Duration::days(s.days_later));
        let cmd = command(&kit, s.command);
        let _ = kit.try_as(ACTORS[s.actor], cmd);
    }
    kit
}

/// Checks the hard rules on the log itself, independently of the decider's code paths.
fn check_hard_rules(events: &[Envelope]) -> Result<(), String> {
    let mut assessed = false;
    let mut decided_report = false;
    let mut emergency = false;
    let mut talked_or_ground = false;
    let mut discussed_since_decision = false;
    let mut discussion_ground = false;
    let mut closed = false;
    let mut suspect = None;
    let mut urgent_waiting = false;
    let mut consent: Vec<(ConsentScope, bool)> = Vec::new();
    for e in events {
        if closed {
            return Err(format!(
                "{} after the case was closed (R15)",
                e.payload.kind()
            ));
        }
        if suspect == Some(e.author) {
            return Err("the suspected employee recorded on their own case (R2)".into());
        }
        let lead = if suspect.is_some() {
            Role::Board
        } else {
            Role::Coordinator
        };
        match &e.payload {
            EventPayload::StaffSuspected(s) => suspect = Some(s.staff_user),
            EventPayload::UrgentFlagRaised(_) => urgent_waiting = true,
            EventPayload::AdviceRequested(_) => urgent_waiting = false,
            EventPayload::EmergencyCallMade(c) if c.service == EmergencyService::VeiligThuis => {
                urgent_waiting = false
            }
            EventPayload::EmergencyDeclared(_) => emergency = true,
            EventPayload::ConsentRecorded(c) => {
                for s in &c.scopes {
                    consent.retain(|(x, _)| x != s);
                    consent.push((*s, c.granted && c.written));
                }
            }
            EventPayload::ConsultationRecorded(c) => {
                if let Some(scope) = c.partner.consent_scope() {
                    let ok = consent.iter().any(|(s, g)| *s == scope && *g);
                    if !c.anonymous && !ok {
                        return Err("open external discussion without written consent (R4)".into());
                    }
                }
            }
            EventPayload::ParentConversationRecorded(_) => {
                if urgent_waiting {
                    return Err("parent conversation before urgent VT contact (R8)".into());
                }
                talked_or_ground = true;
            }
            EventPayload::ExceptionGroundRecorded(g) => match g.stage {
                ExceptionStage::ParentConversation => talked_or_ground = true,
                ExceptionStage::ReportDiscussion => discussion_ground = true,
            },
            EventPayload::AssessmentRecorded(_) => {
                if e.author_role != lead {
                    return Err("weighing by someone other than the lead (R14)".into());
                }
                if urgent_waiting {
                    return Err("weighing before urgent VT contact (R8)".into());
                }
                assessed = true;
            }
            EventPayload::DecisionRecorded(d) => {
                if !assessed {
                    return Err("decision without an assessment (R11)".into());
                }
                if e.author_role != lead {
                    return Err("decision by someone other than the lead (R14)".into());
                }
                decided_report = d.report;
                discussed_since_decision = false;
            }
            EventPayload::ReportDiscussed(_) => discussed_since_decision = true,
            EventPayload::ReportMade(r) => {
                // A report is itself contact with Veilig Thuis.
                urgent_waiting = false;
                match r.route {
                    ReportRoute::Steps => {
                        if !decided_report {
                            return Err("report without a decision to report (R11)".into());
                        }
                        if !talked_or_ground {
                            return Err("report without parent conversation or ground (R9)".into());
                        }
                        if !discussed_since_decision && !discussion_ground {
                            return Err("report without discussion or ground (R12)".into());
                        }
                        if e.author_role != lead {
                            return Err("report by someone other than the lead (R14)".into());
                        }
                    }
                    ReportRoute::Emergency => {
                        if !emergency {
                            return Err("emergency report without an emergency (R7)".into());
                        }
                    }
                }
            }
            EventPayload::CaseClosed(c) => {
                closed = true;
                let fits = match c.outcome {
                    CaseOutcome::HelpInPlace => events
                        .iter()
                        .any(|x| matches!(x.payload, EventPayload::HelpPlanStarted(_))),
                    CaseOutcome::ReportedAndHandedOver => events
                        .iter()
                        .any(|x| matches!(x.payload, EventPayload::ReportMade(_))),
                    _ => true,
                };
                if !fits {
                    return Err("closed with an outcome the dossier does not support (R15)".into());
                }
            }
            _ => {}
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn random_command_sequences_never_break_a_hard_rule(steps in prop::collection::vec(step(), 1..120)) {
        let kit = run(&steps);
        if let Err(broken) = check_hard_rules(&kit.events) {
            return Err(TestCaseError::fail(broken));
        }
    }

    #[test]
    fn replaying_a_case_gives_the_same_state_every_time(steps in prop::collection::vec(step(), 1..120)) {
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
    fn events_survive_a_json_round_trip(steps in prop::collection::vec(step(), 1..40)) {
        let kit = run(&steps);
        let json = serde_json::to_string(&kit.events).expect("events serialise");
        let back: Vec<Envelope> = serde_json::from_str(&json).expect("events load");
        prop_assert_eq!(&back, &kit.events);
        prop_assert_eq!(CaseState::replay(&back), kit.state);
    }

    #[test]
    fn device_sequence_has_no_gaps_and_the_clock_only_moves_forward(steps in prop::collection::vec(step(), 1..40)) {
        let kit = run(&steps);
        for (i, pair) in kit.events.windows(2).enumerate() {
            prop_assert_eq!(pair[1].device_seq, pair[0].device_seq + 1, "gap after {}", i);
            prop_assert!(pair[1].hlc > pair[0].hlc);
            prop_assert!(pair[1].id.0 > pair[0].id.0, "UUIDv7 ids sort by creation");
        }
    }
}
