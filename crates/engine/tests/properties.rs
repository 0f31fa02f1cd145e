//! Property tests: random command sequences from random people never reach a state that breaks
//! a hard rule, and replaying a case's events always gives the same state.
//!
//! The hard rules are checked by an oracle, `check_hard_rules`, written from the seed's rules
//! (DESIGN.md §3–§4) rather than from the engine: it folds the event log itself, reading only the
//! events' payloads and the envelope's author and role. It never asks `CaseState` or any engine
//! helper (such as `ConsultPartner::consent_scope`), so a gap in the engine's own predicates
//! cannot hide from it. Its own tests at the end of this file feed it forged logs that it must
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

/// Walks per property: `PROPTEST_CASES`, or 1000.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1000)
}

/// Who may act in a walk. Besides these people, a step may be taken by whoever leads the case at
/// that moment (see `actor`), so that walks reach steps 4 and 5 and the board's staff route.
const ACTORS: [Actor; 7] = [
    TEACHER,
    TEACHER,
    OTHER_TEACHER,
    COORDINATOR,
    COORDINATOR,
    DIRECTOR,
    BOARD,
];

/// Steps out of `ACTORS.len() + LEAD_SLOTS` that are taken by the case lead.
const LEAD_SLOTS: usize = 4;

/// The person who takes step `s`: one of `ACTORS`, or the case lead (the coordinator, or the
/// board once staff are suspected). Only the walk looks at the engine's state here; the oracle
/// never does.
fn actor(kit: &Kit, s: &Step) -> Actor {
    match ACTORS.get(s.actor) {
        Some(a) => *a,
        None if kit.state.is_staff_case() => BOARD,
        None => COORDINATOR,
    }
}

const COMMANDS: usize = 68;

/// How often each command of the pool is tried: the route forward often, the dead ends (closing
/// as unfounded, emergencies, suspicions, urgent flags, disclosures) rarely, so that random walks
/// go deep into step 5 and on to a close. Indexed like `command`.
#[rustfmt::skip]
const WEIGHTS: [usize; COMMANDS] = [
    // 0–2 signals
    6, 4, 4,
    // 3–5 consultations: internal, care team open, care team anonymous
    8, 2, 4,
    // 6 advice, 7–8 consent granted / refused, 9 risk index, 10 parent conversation
    8, 3, 1, 2, 8,
    // 11–12 exception grounds: parent conversation, report discussion
    3, 6,
    // 13–16 assessments: report, help, help refused, no suspicion (a new weighing sets the
    // decision after it aside, so not too often)
    4, 5, 2, 1,
    // 17–19 decisions: report, help, both
    5, 6, 4,
    // 20 help plan, 21–22 reviews improving / concerns continue, 23 end with lasting safety
    12, 8, 3, 5,
    // 24 report discussion, 25 report, 26–27 follow-ups sufficient / insufficient
    10, 12, 6, 2,
    // 28–30 close unfounded, help in place, reported and handed over
    1, 5, 5,
    // 31 emergency, 32 honour-related violence flag, 33 suspect staff, 34 involve colleague,
    // 35 emergency call to Veilig Thuis
    1, 1, 1, 2, 2,
    // 36 disclosure, 37 child conversation
    1, 2,
    // 38–43 staff route: board informed, vertrouwensinspecteur, parents, employee, police
    // report made / declined
    2, 2, 2, 2, 2, 2,
    // 44 other cause, 45 advice skipped, 46 care-team intake, 47 help plan shared
    1, 3, 2, 3,
    // 48–49 help reached / not reached, 50 end without lasting safety, 51 follow-up worse
    3, 2, 2, 2,
    // 52 parents told of the report, 53 evaluation
    2, 2,
    // 54 close other cause found, 55 close staff route completed, 56 reported and handed over
    // with the reason VT's answer could not be had
    1, 2, 2,
    // 57 report-discussion ground (safety), 58 consent for youth health care, 59 open
    // consultation with youth health care, 60 FGM flag, 61 emergency call to the police,
    // 62 conversation naming another cause, 63 correction of the latest record
    2, 2, 2, 1, 1, 1, 2,
    // 64 consent granted but not in writing, 65 conversation raising a suspicion of
    // honour-related violence, 66–67 assessments: doubt about unsafety, no help possible
    1, 1, 2, 2,
];

/// One step of a random walk: who acts, what they try, and how much time passes first.
#[derive(Clone, Debug)]
struct Step {
    actor: usize,
    command: usize,
    days_later: i64,
}

/// A walk leans on one route: its commands are tried `ROUTE_BOOST` times as often as `WEIGHTS`
/// says. Every command stays possible in every walk; the lean only makes the long routes (help
/// that fails and is reported after all, the board's staff route) common enough to test.
const ROUTE_BOOST: usize = 4;

/// 5a: help decided, planned, shared, checked, reviewed and ended, or failing.
const HELP_ROUTE: &[usize] = &[18, 19, 20, 21, 22, 23, 29, 47, 48, 49, 50];
/// 5b: decided, discussed or a ground, reported, followed up, handed over.
const REPORT_ROUTE: &[usize] = &[17, 19, 24, 25, 26, 30, 51, 52, 57];
/// R2: the board's route when an employee is suspected.
const STAFF_ROUTE: &[usize] = &[33, 38, 39, 40, 41, 42, 43, 55];

fn step(route: &[usize]) -> impl Strategy<Value = Step> {
    let pool: Vec<usize> = WEIGHTS
        .iter()
        .enumerate()
        .flat_map(|(command, &w)| {
            let w = if route.contains(&command) {
                w * ROUTE_BOOST
            } else {
                w
            };
            std::iter::repeat_n(command, w)
        })
        .collect();
    (
        0..ACTORS.len() + LEAD_SLOTS,
        prop::sample::select(pool),
        0i64..10,
    )
        .prop_map(|(actor, command, days_later)| Step {
            actor,
            command,
            days_later,
        })
}

/// A random walk of up to `max_steps` steps, without a lean or leaning on one route.
fn walk(max_steps: usize) -> impl Strategy<Value = Vec<Step>> {
    let steps = 1..max_steps;
    prop_oneof![
        prop::collection::vec(step(&[]), steps.clone()),
        prop::collection::vec(step(HELP_ROUTE), steps.clone()),
        prop::collection::vec(step(REPORT_ROUTE), steps.clone()),
        prop::collection::vec(step(STAFF_ROUTE), steps),
    ]
}

fn with_reason(outcome: CaseOutcome, no_vt_answer_reason: &str) -> Command {
    Command::CloseCase(CloseInput {
        outcome,
        reasoning: "Afgesloten na overleg met Veilig Thuis.".into(),
        no_vt_answer_reason: Some(no_vt_answer_reason.into()),
    })
}

fn conversation_with(f: impl FnOnce(&mut ParentConversationInput)) -> Command {
    let Command::RecordParentConversation(mut c) = conversation() else {
        unreachable!("the builder makes a parent conversation")
    };
    f(&mut c);
    Command::RecordParentConversation(c)
}

/// The command pool: the builders' valid commands plus variants that the rules must refuse in
/// the wrong place. Help plan ids are taken from the case so reviews can hit real plans.
fn command(kit: &Kit, n: usize) -> Command {
    let plan = kit
        .state
        .help_plans
        .last()
        .map(|p| p.started.id)
        .unwrap_or(EventId::from_u128(7));
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
        23 => end_help_plan(plan, true),
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
        33 => suspect_other_teacher(),
        34 => Command::InvolveColleague {
            user: OTHER_TEACHER.user_id,
        },
        35 => Command::RecordEmergencyCall(EmergencyCallInput {
            called_at: kit.now,
            service: EmergencyService::VeiligThuis,
            summary: "Veilig Thuis gebeld.".into(),
        }),
        36 => disclosure(kit),
        37 => child_conversation(),
        38 => Command::RecordBoardInformed(BoardInformedInput {
            informed_at: kit.now,
            board_member: "Henk Mulder, voorzitter".into(),
            how: "telefonisch".into(),
        }),
        39 => consultation_confidential_inspector(kit),
        40 => staff_parents_informed(kit),
        41 => suspected_staff_informed(kit),
        42 => police_report(kit, true),
        43 => police_report(kit, false),
        44 => other_cause(kit),
        45 => advice_skipped(),
        46 => care_team_intake(kit),
        47 => share_help_plan(kit, plan),
        48 => help_reached(kit, plan, true),
        49 => help_reached(kit, plan, false),
        50 => end_help_plan(plan, false),
        51 => follow_up(Improvement::Worse),
        52 => parents_informed_of_report(kit),
        53 => evaluation(kit),
        54 => close(CaseOutcome::OtherCauseFound),
        55 => close(CaseOutcome::StaffRouteCompleted),
        56 => with_reason(
            CaseOutcome::ReportedAndHandedOver,
            "Veilig Thuis reageerde na drie pogingen niet.",
        ),
        57 => ground(
            ExceptionStage::ReportDiscussion,
            ExceptionGround::SafetyAtStake,
        ),
        58 => Command::RecordConsent(ConsentInput {
            asked_at: kit.now,
            parent_name: "Marieke de Vries".into(),
            scopes: vec![ConsentScope::YouthHealthCare],
            granted: true,
            written: true,
            note: None,
        }),
        59 => Command::RecordConsultation(ConsultationInput {
            held_at: kit.now,
            partner: ConsultPartner::YouthHealthCare,
            partner_name: "Els Kuipers, jeugdarts".into(),
            anonymous: false,
            summary: "Sanne besproken met de jeugdarts.".into(),
            advice: None,
        }),
        60 => Command::RaiseUrgentFlag(UrgentFlagInput {
            kind: UrgentKind::FemaleGenitalMutilation,
            reason: "Sanne vertelt over een lange reis voor een feest voor haar.".into(),
        }),
        61 => Command::RecordEmergencyCall(EmergencyCallInput {
            called_at: kit.now,
            service: EmergencyService::Police,
            summary: "Politie gebeld; komt langs.".into(),
        }),
        62 => conversation_with(|c| {
            c.other_cause_found = true;
            c.other_cause = Some("Een stollingsstoornis, bevestigd door de huisarts.".into());
        }),
        64 => Command::RecordConsent(ConsentInput {
            asked_at: kit.now,
            parent_name: "Marieke de Vries".into(),
            scopes: vec![ConsentScope::CareTeam, ConsentScope::YouthHealthCare],
            granted: true,
            written: false,
            note: Some("Moeder stemde mondeling in; het formulier volgt.".into()),
        }),
        65 => conversation_with(|c| {
            c.urgent_suspicion = Some(UrgentKind::HonourRelatedViolence);
        }),
        66 => assessment_2019(Answer::Doubt, Some(true), Some(true)),
        67 => assessment_2019(Answer::No, Some(false), None),
        // 63: a correction of the latest record.
        _ => Command::CorrectRecord(CorrectionInput {
            corrects: kit
                .events
                .last()
                .map(|e| e.id)
                .unwrap_or(EventId::from_u128(7)),
            reason: "Verkeerde tijd genoteerd.".into(),
            corrected_text: "Het was om 08:30, niet om 08:15.".into(),
        }),
    }
}

fn run(steps: &[Step]) -> Kit {
    let mut kit = Kit::opened();
    for s in steps {
        kit.advance(Duration::days(s.days_later));
        let cmd = command(&kit, s.command);
        let _ = kit.try_as(actor(&kit, s), cmd);
    }
    kit
}

fn who(actor: Actor) -> &'static str {
    match actor {
        a if a == TEACHER => "TEACHER",
        a if a == OTHER_TEACHER => "OTHER_TEACHER",
        a if a == COORDINATOR => "COORDINATOR",
        a if a == DIRECTOR => "DIRECTOR",
        a if a == BOARD => "BOARD",
        _ => "someone else",
    }
}

/// A walk as a reader can follow it: who tried what, and what the engine said.
fn describe(steps: &[Step]) -> String {
    let mut kit = Kit::opened();
    let mut out = String::new();
    for s in steps {
        kit.advance(Duration::days(s.days_later));
        let cmd = command(&kit, s.command);
        let kind = cmd.kind();
        let actor = actor(&kit, s);
        let said = match kit.try_as(actor, cmd) {
            Ok(events) => {
                let kinds: Vec<&str> = events.iter().map(|e| e.payload.kind()).collect();
                format!("accepted: {}", kinds.join(", "))
            }
            Err(v) => format!("refused: {} {}", v.rule, v.code),
        };
        out.push_str(&format!(
            "  +{}d {} {kind} [#{}] -> {said}\n",
            s.days_later,
            who(actor),
            s.command
        ));
    }
    out
}

// ----------------------------------------------------------------------------------------------
// The oracle: the hard rules, folded from the log.
// ----------------------------------------------------------------------------------------------

/// The walks run under the default school policy: doubt about unsafety is no reason to report.
const REPORT_ON_DOUBT: bool = false;

/// The consent scope an open (not anonymous) discussion with a partner needs (R4). Partners
/// inside the school need none, nor the vertrouwensinspecteur, whom the board consults by law in
/// a staff case (WPO art. 4a).
fn scope_needed(partner: ConsultPartner) -> Option<ConsentScope> {
    match partner {
        ConsultPartner::YouthHealthCare => Some(ConsentScope::YouthHealthCare),
        ConsultPartner::CareTeam => Some(ConsentScope::CareTeam),
        ConsultPartner::YouthAndFamilyCentre => Some(ConsentScope::YouthAndFamilyCentre),
        ConsultPartner::OtherExternalExpert => Some(ConsentScope::OtherExternalExperts),
        ConsultPartner::ConfidentialInspector
        | ConsultPartner::Coordinator
        | ConsultPartner::Director
        | ConsultPartner::AttentionOfficer
        | ConsultPartner::ClassColleague => None,
    }
}

/// What the weighing's answers mean (the meldnorm). A disclosure by the child, and help that
/// failed with neither a weighing nor a report since, mean a report whatever the answers say.
fn expected_outcome(
    assessment: &AssessmentInput,
    disclosed: bool,
    help_failed: bool,
) -> AssessmentOutcome {
    use AssessmentOutcome::*;
    let by_answers = match assessment {
        AssessmentInput::Meldcode2017(w) => {
            if w.risk == RiskLevel::High || matches!(w.can_protect, Answer::No | Answer::Doubt) {
                ReportRequired
            } else {
                HelpPossible
            }
        }
        AssessmentInput::Afwegingskader2019(f) => {
            if !f.q1_suspicion {
                NoSuspicion
            } else if disclosed
                || f.q2_unsafety == Some(Answer::Yes)
                || (REPORT_ON_DOUBT && f.q2_unsafety == Some(Answer::Doubt))
                || f.q3_help_possible == Some(false)
                || f.q4_help_accepted == Some(false)
            {
                ReportRequired
            } else {
                HelpPossible
            }
        }
    };
    if help_failed {
        ReportRequired
    } else {
        by_answers
    }
}

#[derive(Clone, Copy, Debug)]
struct Decided {
    report: bool,
    organise_help: bool,
    /// A report was made after it, or it is the first decision after an emergency report.
    covered: bool,
}

#[derive(Clone, Copy, Debug)]
struct Plan {
    id: EventId,
    ended: Option<bool>,
    last_review: Option<HelpEffect>,
}

/// The dossier as the oracle reads it, one event at a time.
#[derive(Default)]
struct Dossier {
    closed: bool,
    suspect: Option<UserId>,
    seen: Vec<EventId>,
    // R8: an urgent flag waits for contact with Veilig Thuis.
    urgent_waiting: bool,
    // R4: the latest answer per scope, true when granted in writing.
    consent: Vec<(ConsentScope, bool)>,
    // Steps 1–3.
    signals: usize,
    disclosures: usize,
    consultations: usize,
    vt_contacted: bool,
    advice_skipped: bool,
    parent_talk: bool,
    parent_ground: bool,
    other_cause: bool,
    // The staff route (R2, WPO art. 4a).
    board_informed: bool,
    confidential_inspector: bool,
    staff_parents_informed: bool,
    suspect_informed: bool,
    police_decided: bool,
    // Steps 4 and 5.
    latest_outcome: Option<AssessmentOutcome>,
    /// Failed help was weighed (so the weighing requires a report) and no report has followed:
    /// the report after all is still to be made.
    report_after_all_due: bool,
    /// Help failed and neither a new weighing nor a report has followed: the failure calls for
    /// reporting after all (seed step 5a; 2019 question 5).
    help_failure_open: bool,
    decision: Option<Decided>,
    emergency_report_covers_next_decision: bool,
    /// A weighing required a report and no decision to report after it was carried out: every
    /// later weighing must still require it.
    report_required_unmet: bool,
    /// A decision to report was taken after that weighing.
    report_decided_since_required: bool,
    discussed_since_decision: bool,
    discussion_ground_since_decision: bool,
    meldnorm_reached: bool,
    reports: usize,
    vt_answer_since_last_report: bool,
    plans: Vec<Plan>,
    latest_review: Option<HelpEffect>,
    // R7.
    emergency_report_pending: bool,
    emergency_unanswered: bool,
}

impl Dossier {
    fn lead(&self) -> Role {
        if self.suspect.is_some() {
            Role::Board
        } else {
            Role::Coordinator
        }
    }

    fn staff_case(&self) -> bool {
        self.suspect.is_some()
    }

    fn plan(&mut self, id: EventId) -> Option<&mut Plan> {
        self.plans.iter_mut().find(|p| p.id == id)
    }

    fn report_outstanding(&self) -> bool {
        self.decision.is_some_and(|d| d.report && !d.covered)
    }

    /// Checks one event against the dossier so far, then adds it.
    fn apply(&mut self, e: &Envelope) -> Result<(), String> {
        let fail = |why: &str| Err(why.to_string());
        if self.closed {
            return fail("recorded after the case was closed (R15)");
        }
        if self.suspect == Some(e.author) {
            return fail("the suspected employee recorded on their own case (R2)");
        }
        let lead = self.lead();
        let by_lead = e.author_role == lead;
        let urgent = self.urgent_waiting;
        match &e.payload {
            EventPayload::CaseOpened { .. } => {
                if !self.seen.is_empty() {
                    return fail("the case was opened twice (R0)");
                }
            }
            EventPayload::SignalRecorded(_) => self.signals += 1,
            EventPayload::DisclosureRecorded(_) => self.disclosures += 1,
            EventPayload::ChildConversationRecorded(_) => {}
            EventPayload::ColleagueInvolved { user } => {
                if self.suspect == Some(*user) {
                    return fail("the suspected employee was involved in their own case (R2)");
                }
            }
            EventPayload::UrgentFlagRaised(_) => self.urgent_waiting = true,
            EventPayload::StaffSuspected(s) => {
                if s.staff_user == e.author {
                    return fail("an employee recorded a suspicion against themselves (R2)");
                }
                self.suspect = Some(s.staff_user);
            }
            EventPayload::BoardInformed(_) => self.board_informed = true,
            EventPayload::EmergencyDeclared(_) => {
                self.emergency_report_pending = true;
                self.emergency_unanswered = true;
            }
            EventPayload::EmergencyCallMade(c) => {
                self.emergency_unanswered = false;
                if c.service == EmergencyService::VeiligThuis {
                    self.vt_contacted = true;
                    self.urgent_waiting = false;
                }
            }
            EventPayload::AdviceRequested(_) => {
                self.vt_contacted = true;
                self.urgent_waiting = false;
            }
            EventPayload::AdviceSkipped(_) => self.advice_skipped = true,
            EventPayload::ConsentRecorded(c) => {
                if urgent {
                    return fail("consent asked before the urgent contact with Veilig Thuis (R8)");
                }
                for scope in &c.scopes {
                    self.consent.retain(|(s, _)| s != scope);
                    self.consent.push((*scope, c.granted && c.written));
                }
            }
            EventPayload::ConsultationRecorded(c) => {
                if let Some(scope) = scope_needed(c.partner) {
                    let written = self.consent.iter().any(|(s, ok)| *s == scope && *ok);
                    if !c.anonymous && !written {
                        return fail("open external discussion without written consent (R4)");
                    }
                }
                if c.partner == ConsultPartner::ConfidentialInspector {
                    self.confidential_inspector = true;
                }
                self.consultations += 1;
            }
            EventPayload::CareTeamIntakeHeld(_) => {
                if urgent {
                    return fail(
                        "care-team intake before the urgent contact with Veilig Thuis (R8)",
                    );
                }
            }
            EventPayload::RiskIndexConsidered(_) => {}
            EventPayload::ParentConversationRecorded(c) => {
                if urgent {
                    return fail(
                        "parent conversation before the urgent contact with Veilig Thuis (R8)",
                    );
                }
                self.parent_talk = true;
                if c.other_cause_found
                    && c.other_cause
                        .as_deref()
                        .is_some_and(|t| !t.trim().is_empty())
                {
                    self.other_cause = true;
                }
            }
            EventPayload::ExceptionGroundRecorded(g) => match g.stage {
                ExceptionStage::ParentConversation => self.parent_ground = true,
                ExceptionStage::ReportDiscussion => self.discussion_ground_since_decision = true,
            },
            EventPayload::OtherCauseRecorded(_) => self.other_cause = true,
            EventPayload::AssessmentRecorded(a) => {
                if !by_lead {
                    return fail("weighing by someone other than the case lead (R14)");
                }
                if urgent {
                    return fail("weighing before the urgent contact with Veilig Thuis (R8)");
                }
                if self.signals + self.disclosures == 0 {
                    return fail("weighing without a signal or disclosure (R10)");
                }
                if self.consultations == 0 {
                    return fail("weighing without a consultation (R3)");
                }
                if !self.vt_contacted && !self.advice_skipped {
                    return fail(
                        "weighing without Veilig Thuis' advice or a reason why none was asked (R5)",
                    );
                }
                let staff_parents = self.staff_case() && self.staff_parents_informed;
                if !self.parent_talk && !self.parent_ground && !staff_parents {
                    return fail("weighing without the parent conversation or its ground (R9)");
                }
                let expected = expected_outcome(
                    &a.assessment,
                    self.disclosures > 0,
                    self.help_failure_open || self.report_required_unmet,
                );
                if a.outcome != expected {
                    return Err(format!(
                        "meldnorm: the answers mean {expected:?}, the weighing says {:?} (R10, 2019 afwegingskader)",
                        a.outcome
                    ));
                }
                self.latest_outcome = Some(a.outcome);
                if self.help_failure_open {
                    self.report_after_all_due = true;
                }
                self.help_failure_open = false;
                if a.outcome == AssessmentOutcome::ReportRequired {
                    self.meldnorm_reached = true;
                    self.report_required_unmet = true;
                    self.report_decided_since_required = false;
                }
            }
            EventPayload::DecisionRecorded(d) => {
                if !by_lead {
                    return fail("decision by someone other than the case lead (R14)");
                }
                if urgent {
                    return fail("decision before the urgent contact with Veilig Thuis (R8)");
                }
                match self.latest_outcome {
                    None => return fail("decision without a weighing (R11)"),
                    Some(AssessmentOutcome::NoSuspicion) => {
                        return fail("decision after a weighing that found no suspicion (R11)")
                    }
                    Some(AssessmentOutcome::ReportRequired) if !d.report => {
                        return fail("decision not to report where the meldnorm requires it (R11)")
                    }
                    _ => {}
                }
                let covered = self.emergency_report_covers_next_decision;
                self.decision = Some(Decided {
                    report: d.report,
                    organise_help: d.organise_help,
                    covered,
                });
                if d.report && self.report_required_unmet {
                    self.report_decided_since_required = true;
                    if covered {
                        self.report_required_unmet = false;
                    }
                }
                self.emergency_report_covers_next_decision = false;
                self.discussed_since_decision = false;
                self.discussion_ground_since_decision = false;
                if d.report {
                    self.meldnorm_reached = true;
                }
            }
            EventPayload::HelpPlanStarted(_) => {
                if !by_lead {
                    return fail("help plan started by someone other than the case lead (R14)");
                }
                if urgent {
                    return fail(
                        "help plan started before the urgent contact with Veilig Thuis (R8)",
                    );
                }
                if !self.decision.is_some_and(|d| d.organise_help) {
                    return fail("help plan without a decision to organise help (R11)");
                }
                self.plans.push(Plan {
                    id: e.id,
                    ended: None,
                    last_review: None,
                });
            }
            EventPayload::HelpReviewed(r) => {
                let Some(plan) = self.plan(r.plan) else {
                    return fail("review of a help plan that is not in the dossier (R11)");
                };
                if plan.ended.is_some() {
                    return fail("review of a help plan that has ended (R11)");
                }
                plan.last_review = Some(r.effect);
                self.latest_review = Some(r.effect);
                if r.effect == HelpEffect::ConcernsContinue {
                    self.help_failure_open = true;
                    self.emergency_report_covers_next_decision = false;
                }
            }
            EventPayload::HelpPlanEnded(end) => {
                let Some(plan) = self.plan(end.plan) else {
                    return fail("end of a help plan that is not in the dossier (R11)");
                };
                if plan.ended.is_some() {
                    return fail("a help plan ended twice (R11)");
                }
                plan.ended = Some(end.lasting_safety);
                if !end.lasting_safety {
                    self.help_failure_open = true;
                    self.emergency_report_covers_next_decision = false;
                }
            }
            EventPayload::HelpPlanShared(s) => {
                if urgent {
                    return fail(
                        "help plan shared before the urgent contact with Veilig Thuis (R8)",
                    );
                }
                if self.plan(s.plan).is_none() {
                    return fail("a help plan shared that is not in the dossier (R11)");
                }
            }
            EventPayload::HelpReachChecked(c) => {
                if self.plan(c.plan).is_none() {
                    return fail("help reach checked for a plan that is not in the dossier (R11)");
                }
                if !c.reached {
                    self.help_failure_open = true;
                    self.emergency_report_covers_next_decision = false;
                }
            }
            EventPayload::ReportDiscussed(d) => {
                if urgent {
                    return fail(
                        "report discussed before the urgent contact with Veilig Thuis (R8)",
                    );
                }
                if !d.with_parent {
                    return fail("report discussed without the parent (R12)");
                }
                self.discussed_since_decision = true;
            }
            EventPayload::ReportMade(r) => {
                match r.route {
                    ReportRoute::Emergency => {
                        if !self.emergency_report_pending {
                            return fail(
                                "emergency report without an emergency waiting for it (R7)",
                            );
                        }
                        self.emergency_report_covers_next_decision = true;
                    }
                    ReportRoute::Steps => {
                        if !by_lead {
                            return fail("report by someone other than the case lead (R14)");
                        }
                        if !self.report_outstanding() {
                            return fail("report without a decision to report that is still to be carried out (R11)");
                        }
                        if !self.parent_talk && !self.parent_ground {
                            return fail(
                                "report without the parent conversation or its ground (R9)",
                            );
                        }
                        if !self.discussed_since_decision && !self.discussion_ground_since_decision
                        {
                            return fail("report without discussing it after the decision, or a ground recorded after it (R12)");
                        }
                    }
                }
                if let Some(d) = self.decision.as_mut() {
                    d.covered = true;
                }
                self.reports += 1;
                if self.report_decided_since_required {
                    self.report_required_unmet = false;
                }
                self.report_after_all_due = false;
                // A report after the help failed is the report after all the failure called for.
                self.help_failure_open = false;
                self.vt_answer_since_last_report = false;
                self.emergency_report_pending = false;
                self.emergency_unanswered = false;
                self.vt_contacted = true;
                self.urgent_waiting = false;
                self.meldnorm_reached = true;
            }
            EventPayload::FollowUpRecorded(f) => {
                if self.reports == 0 {
                    return fail("follow-up without a report (R13)");
                }
                if f.with_veilig_thuis {
                    self.vt_answer_since_last_report = true;
                }
                if f.improvement == Improvement::Worse {
                    self.help_failure_open = true;
                    self.emergency_report_covers_next_decision = false;
                }
            }
            EventPayload::ParentsInformedOfReport(_) => {
                if urgent {
                    return fail("parents informed of a report before the urgent contact with Veilig Thuis (R8)");
                }
                if self.reports == 0 {
                    return fail("parents informed of a report that was not made (R13)");
                }
            }
            EventPayload::RecordCorrected(c) => {
                if !self.seen.contains(&c.corrects) {
                    return fail("correction of a record that is not in the dossier (R0)");
                }
            }
            EventPayload::CaseEvaluated(_) => {
                if !by_lead {
                    return fail("evaluation by someone other than the case lead (R14)");
                }
            }
            EventPayload::StaffCaseParentsInformed(_) | EventPayload::SuspectedStaffInformed(_) => {
                if !self.staff_case() {
                    return fail(
                        "a step of the staff route in a case without a staff suspicion (R2)",
                    );
                }
                if !by_lead {
                    return fail("a step of the staff route by someone other than the board (R14)");
                }
                match &e.payload {
                    EventPayload::StaffCaseParentsInformed(_) => self.staff_parents_informed = true,
                    _ => self.suspect_informed = true,
                }
            }
            EventPayload::PoliceReportDecided(p) => {
                if !self.staff_case() {
                    return fail(
                        "a police report decision in a case without a staff suspicion (R2)",
                    );
                }
                if !by_lead {
                    return fail("a police report decision by someone other than the board (R14)");
                }
                if !self.confidential_inspector {
                    return fail(
                        "police report decision before consulting the vertrouwensinspecteur (R2)",
                    );
                }
                if p.made && !(self.staff_parents_informed && self.suspect_informed) {
                    return fail(
                        "police report before the parents and the employee were informed (R2)",
                    );
                }
                self.police_decided = true;
            }
            EventPayload::CaseClosed(c) => {
                self.check_close(c, by_lead, urgent)?;
                self.closed = true;
            }
        }
        self.seen.push(e.id);
        Ok(())
    }

    fn check_close(&self, c: &CloseInput, by_lead: bool, urgent: bool) -> Result<(), String> {
        let fail = |why: &str| Err(why.to_string());
        if !by_lead {
            return fail("closed by someone other than the case lead (R14)");
        }
        if urgent {
            return fail("closed before the urgent contact with Veilig Thuis (R8)");
        }
        if self.report_outstanding() {
            return fail("closed while a decided report was not made (R15)");
        }
        if self.report_after_all_due {
            return fail(
                "closed after failed help was weighed, without the report after all (R15, R11)",
            );
        }
        if self.report_required_unmet {
            return fail("closed while a weighing requires a report that was not decided and made (R15, R11)");
        }
        if self.emergency_unanswered {
            return fail("closed while an emergency has neither a call nor a report (R15, R7)");
        }
        if self.help_failure_open {
            return fail("closed while failed help waits for a new weighing or a report after all (R15, R11)");
        }
        if self.staff_case()
            && !(self.board_informed && self.confidential_inspector && self.police_decided)
        {
            return fail("staff case closed before the board was informed, the vertrouwensinspecteur consulted and the police report decided (R15, R2)");
        }
        match c.outcome {
            CaseOutcome::Unfounded | CaseOutcome::OtherCauseFound if self.meldnorm_reached => {
                fail("closed as unfounded or other cause after reporting was required, decided or done (R15)")
            }
            CaseOutcome::OtherCauseFound if !self.other_cause => {
                fail("closed as other cause found without a record naming the cause (R15)")
            }
            CaseOutcome::HelpInPlace => {
                let Some(latest) = self.plans.last() else {
                    return fail("closed as help in place without a help plan (R15)");
                };
                let effective = match latest.ended {
                    Some(lasting) => lasting,
                    None => latest.last_review == Some(HelpEffect::Improving),
                };
                if !effective {
                    return fail("closed as help in place while the latest plan shows no lasting safety or improvement (R15)");
                }
                if self.latest_review == Some(HelpEffect::ConcernsContinue) {
                    return fail("closed as help in place while the latest review says the concerns continue (R15)");
                }
                Ok(())
            }
            CaseOutcome::ReportedAndHandedOver => {
                if self.reports == 0 {
                    return fail("closed as reported without a report (R15)");
                }
                let reason = c
                    .no_vt_answer_reason
                    .as_deref()
                    .is_some_and(|r| !r.trim().is_empty());
                if !self.vt_answer_since_last_report && !reason {
                    return fail("closed as reported without Veilig Thuis' answer to the last report or a reason why it could not be had (R15, R13)");
                }
                Ok(())
            }
            CaseOutcome::StaffRouteCompleted if !self.staff_case() => {
                fail("closed as staff route completed in a case without a staff suspicion (R15)")
            }
            _ => Ok(()),
        }
    }
}

/// Checks the hard rules on the log itself, independently of the engine: see `Dossier::apply`.
/// `kind()` only names the event in the message; no verdict rests on an engine helper.
fn check_hard_rules(events: &[Envelope]) -> Result<(), String> {
    let mut dossier = Dossier::default();
    for (i, e) in events.iter().enumerate() {
        dossier.apply(e).map_err(|why| {
            format!(
                "event #{i} {} by {:?}: {why}",
                e.payload.kind(),
                e.author_role
            )
        })?;
    }
    Ok(())
}

// ----------------------------------------------------------------------------------------------
// How far the walks got.
// ----------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, Default)]
struct Reached {
    report: bool,
    help_plan: bool,
    closed: bool,
    /// A report made after help failed (a review finding the concerns continue, a plan ended
    /// without lasting safety, a family that did not reach the help, or worse after a report).
    report_after_all: bool,
    staff_case_closed: bool,
}

fn reached(events: &[Envelope]) -> Reached {
    let mut r = Reached::default();
    let mut help_failed = false;
    let mut staff_case = false;
    for e in events {
        match &e.payload {
            EventPayload::StaffSuspected(_) => staff_case = true,
            EventPayload::HelpPlanStarted(_) => r.help_plan = true,
            EventPayload::HelpReviewed(x) if x.effect == HelpEffect::ConcernsContinue => {
                help_failed = true
            }
            EventPayload::HelpPlanEnded(x) if !x.lasting_safety => help_failed = true,
            EventPayload::HelpReachChecked(x) if !x.reached => help_failed = true,
            EventPayload::FollowUpRecorded(x) if x.improvement == Improvement::Worse => {
                help_failed = true
            }
            EventPayload::ReportMade(_) => {
                r.report = true;
                r.report_after_all |= help_failed;
            }
            EventPayload::CaseClosed(_) => {
                r.closed = true;
                r.staff_case_closed |= staff_case;
            }
            _ => {}
        }
    }
    r
}

/// How many walks there were and how far they got.
struct Tally {
    walks: AtomicUsize,
    report: AtomicUsize,
    help_plan: AtomicUsize,
    closed: AtomicUsize,
    report_after_all: AtomicUsize,
    staff_case_closed: AtomicUsize,
}

static TALLY: Tally = Tally::new();

impl Tally {
    const fn new() -> Self {
        Self {
            walks: AtomicUsize::new(0),
            report: AtomicUsize::new(0),
            help_plan: AtomicUsize::new(0),
            closed: AtomicUsize::new(0),
            report_after_all: AtomicUsize::new(0),
            staff_case_closed: AtomicUsize::new(0),
        }
    }

    fn line(&self) -> String {
        self.counts()
            .iter()
            .map(|(name, n)| format!("{name}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn add(&self, r: Reached) {
        let bump = |c: &AtomicUsize, hit: bool| {
            if hit {
                c.fetch_add(1, Ordering::Relaxed);
            }
        };
        bump(&self.walks, true);
        bump(&self.report, r.report);
        bump(&self.help_plan, r.help_plan);
        bump(&self.closed, r.closed);
        bump(&self.report_after_all, r.report_after_all);
        bump(&self.staff_case_closed, r.staff_case_closed);
    }

    fn counts(&self) -> [(&'static str, usize); 6] {
        let get = |c: &AtomicUsize| c.load(Ordering::Relaxed);
        [
            ("walks", get(&self.walks)),
            ("reached report", get(&self.report)),
            ("help plan", get(&self.help_plan)),
            ("closed", get(&self.closed)),
            ("report after all", get(&self.report_after_all)),
            ("staff case closed", get(&self.staff_case_closed)),
        ]
    }
}

/// Prints to the test's output (shown with `--nocapture`) and, in a normal captured run, straight
/// to the process's stderr: `eprintln!` is captured by the test harness just like `println!`.
fn show(line: &str) {
    println!("{line}");
    let captured = !std::env::args().any(|a| a == "--nocapture")
        && std::env::var_os("RUST_TEST_NOCAPTURE").is_none();
    if captured {
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

// ----------------------------------------------------------------------------------------------
// The properties.
// ----------------------------------------------------------------------------------------------

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

// ----------------------------------------------------------------------------------------------
// The oracle can fail: logs built by the engine with a forged event appended, which the oracle
// must refuse, and the engine's own routes, which it must accept.
// ----------------------------------------------------------------------------------------------

/// Appends an event the engine never decided, as a tampered or buggy log would hold it.
fn forge(kit: &mut Kit, actor: Actor, payload: EventPayload) {
    let events = kit
        .recorder
        .stamp(kit.case_id, actor, kit.now, vec![payload], &mut kit.random);
    kit.events.extend(events);
}

fn assert_refused(kit: &Kit, rule: &str) {
    match check_hard_rules(&kit.events) {
        Ok(()) => panic!("the oracle accepted a forged log"),
        Err(why) => assert!(why.contains(rule), "expected {rule}, got: {why}"),
    }
}

fn assert_accepted(kit: &Kit) {
    if let Err(why) = check_hard_rules(&kit.events) {
        panic!("the oracle refused a log the engine built: {why}");
    }
}

fn report_input() -> ReportInput {
    let Command::MakeReport(r) = report() else {
        unreachable!("the builder makes a report")
    };
    r
}

fn assessment_input(cmd: Command) -> AssessmentInput {
    let Command::RecordAssessment { assessment, .. } = cmd else {
        unreachable!("the builder makes an assessment")
    };
    assessment
}

fn close_input(outcome: CaseOutcome) -> CloseInput {
    let Command::CloseCase(c) = close(outcome) else {
        unreachable!("the builder makes a close")
    };
    c
}

fn reported() -> Kit {
    let mut kit = Kit::opened();
    prepare_weighing(&mut kit);
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    kit.ok(COORDINATOR, decision(true, false));
    kit.ok(COORDINATOR, discussion());
    kit.ok(COORDINATOR, report());
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit
}

#[test]
fn oracle_refuses_a_forged_close_as_unfounded_after_a_report() {
    let mut kit = reported();
    assert_accepted(&kit);
    forge(
        &mut kit,
        COORDINATOR,
        EventPayload::CaseClosed(close_input(CaseOutcome::Unfounded)),
    );
    assert_refused(&kit, "R15");
}

#[test]
fn oracle_refuses_a_forged_report_without_a_decision() {
    let mut kit = Kit::opened();
    prepare_weighing(&mut kit);
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    assert_accepted(&kit);
    forge(
        &mut kit,
        COORDINATOR,
        EventPayload::ReportMade(ReportRecord {
            report: report_input(),
            route: ReportRoute::Steps,
        }),
    );
    assert_refused(&kit, "R11");
}

#[test]
fn oracle_refuses_a_forged_assessment_without_a_consultation() {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(COORDINATOR, advice());
    kit.ok(TEACHER, conversation());
    assert_accepted(&kit);
    forge(
        &mut kit,
        COORDINATOR,
        EventPayload::AssessmentRecorded(AssessmentRecord {
            assessment: assessment_input(assessment_2019(Answer::Yes, None, None)),
            basis: AssessmentBasis::default(),
            outcome: AssessmentOutcome::ReportRequired,
            instrument: None,
        }),
    );
    assert_refused(&kit, "R3");
}

#[test]
fn oracle_refuses_a_forged_weighing_that_ignores_the_meldnorm() {
    let mut kit = Kit::opened();
    prepare_weighing(&mut kit);
    kit.ok(TEACHER, disclosure(&kit));
    forge(
        &mut kit,
        COORDINATOR,
        EventPayload::AssessmentRecorded(AssessmentRecord {
            assessment: assessment_input(assessment_2019(Answer::No, Some(true), Some(true))),
            basis: AssessmentBasis::default(),
            outcome: AssessmentOutcome::HelpPossible,
            instrument: None,
        }),
    );
    assert_refused(&kit, "meldnorm");
}

#[test]
fn oracle_refuses_a_forged_close_when_the_emergency_report_covered_only_the_first_decision() {
    // The emergency report covers the first decision after it only; reporting after all on a
    // later decision still needs its own report before the case closes.
    let mut kit = Kit::opened();
    kit.ok(
        TEACHER,
        Command::DeclareEmergency(EmergencyInput {
            declared_at: kit.now,
            danger: "Vader staat dreigend bij het hek.".into(),
        }),
    );
    kit.ok(TEACHER, report());
    prepare_weighing(&mut kit);
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    kit.ok(COORDINATOR, decision(true, true));
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    kit.ok(COORDINATOR, decision(true, false));
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    assert_accepted(&kit);
    forge(
        &mut kit,
        COORDINATOR,
        EventPayload::CaseClosed(close_input(CaseOutcome::ReportedAndHandedOver)),
    );
    assert_refused(&kit, "decided report was not made (R15)");
}

#[test]
fn oracle_refuses_a_forged_open_discussion_after_consent_was_withdrawn() {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(TEACHER, consent(true));
    kit.ok(TEACHER, consultation_care_team(false));
    kit.ok(TEACHER, consent(false));
    assert_accepted(&kit);
    let Command::RecordConsultation(open) = consultation_care_team(false) else {
        unreachable!("the builder makes a consultation")
    };
    forge(&mut kit, TEACHER, EventPayload::ConsultationRecorded(open));
    assert_refused(&kit, "R4");
}

#[test]
fn oracle_refuses_a_forged_parent_conversation_while_an_urgent_flag_waits() {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(
        TEACHER,
        Command::RaiseUrgentFlag(UrgentFlagInput {
            kind: UrgentKind::FemaleGenitalMutilation,
            reason: "Een lange reis voor een feest voor haar.".into(),
        }),
    );
    assert_accepted(&kit);
    let Command::RecordParentConversation(talk) = conversation() else {
        unreachable!("the builder makes a conversation")
    };
    forge(
        &mut kit,
        TEACHER,
        EventPayload::ParentConversationRecorded(talk),
    );
    assert_refused(&kit, "R8");
}

#[test]
fn oracle_refuses_a_forged_help_in_place_close_without_effect() {
    let mut kit = help_decided();
    let d = kit.today() + Duration::days(14);
    let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
    kit.ok(TEACHER, review(plan, kit.now, HelpEffect::Insufficient));
    assert_accepted(&kit);
    forge(
        &mut kit,
        COORDINATOR,
        EventPayload::CaseClosed(close_input(CaseOutcome::HelpInPlace)),
    );
    assert_refused(&kit, "R15");
}

#[test]
fn oracle_refuses_forged_staff_route_shortcuts() {
    let consulted = || {
        let mut kit = staff_case_with_board_informed();
        kit.ok(BOARD, consultation_confidential_inspector(&kit));
        kit
    };
    // A police report before the parents and the employee were told.
    let mut kit = consulted();
    assert_accepted(&kit);
    let Command::RecordPoliceReportDecision(made) = police_report(&kit, true) else {
        unreachable!("the builder makes a police report decision")
    };
    forge(&mut kit, BOARD, EventPayload::PoliceReportDecided(made));
    assert_refused(&kit, "R2");

    // The suspected employee never records on their own case.
    let mut kit = consulted();
    let Command::RecordSignal(signal) = signal_own() else {
        unreachable!("the builder makes a signal")
    };
    forge(
        &mut kit,
        OTHER_TEACHER,
        EventPayload::SignalRecorded(signal),
    );
    assert_refused(&kit, "R2");

    // Closing before the police report decision.
    let mut kit = consulted();
    forge(
        &mut kit,
        BOARD,
        EventPayload::CaseClosed(close_input(CaseOutcome::StaffRouteCompleted)),
    );
    assert_refused(&kit, "R15, R2");
}

fn forged_assessment(cmd: Command, outcome: AssessmentOutcome) -> EventPayload {
    EventPayload::AssessmentRecorded(AssessmentRecord {
        assessment: assessment_input(cmd),
        basis: AssessmentBasis::default(),
        outcome,
        instrument: None,
    })
}

#[test]
fn oracle_refuses_a_close_that_drops_a_decided_report_by_weighing_again() {
    let mut kit = reported();
    forge(
        &mut kit,
        COORDINATOR,
        EventPayload::DecisionRecorded(DecisionInput {
            report: true,
            organise_help: false,
            reasoning: "Opnieuw melden.".into(),
        }),
    );
    forge(
        &mut kit,
        COORDINATOR,
        forged_assessment(
            assessment_2019(Answer::Yes, None, None),
            AssessmentOutcome::ReportRequired,
        ),
    );
    assert_accepted(&kit);
    forge(
        &mut kit,
        COORDINATOR,
        EventPayload::CaseClosed(close_input(CaseOutcome::ReportedAndHandedOver)),
    );
    assert_refused(&kit, "decided report was not made (R15)");
}

#[test]
fn oracle_refuses_a_close_that_skips_the_report_after_all() {
    let mut kit = reported();
    kit.ok(COORDINATOR, follow_up(Improvement::Worse));
    forge(
        &mut kit,
        COORDINATOR,
        forged_assessment(
            assessment_2019(Answer::Doubt, Some(true), Some(true)),
            AssessmentOutcome::ReportRequired,
        ),
    );
    assert_accepted(&kit);
    forge(
        &mut kit,
        COORDINATOR,
        EventPayload::CaseClosed(close_input(CaseOutcome::ReportedAndHandedOver)),
    );
    assert_refused(&kit, "without the report after all (R15, R11)");
}

#[test]
fn oracle_accepts_the_engines_full_routes() {
    // Help in place.
    let mut kit = help_decided();
    let d = kit.today() + Duration::days(14);
    let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
    kit.ok(COORDINATOR, share_help_plan(&kit, plan));
    kit.ok(TEACHER, help_reached(&kit, plan, true));
    kit.ok(TEACHER, review(plan, kit.now, HelpEffect::Improving));
    kit.ok(COORDINATOR, end_help_plan(plan, true));
    kit.ok(COORDINATOR, evaluation(&kit));
    kit.ok(COORDINATOR, close(CaseOutcome::HelpInPlace));
    assert_accepted(&kit);

    // Help failed, reported after all, handed over.
    let mut kit = help_decided();
    let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
    kit.ok(TEACHER, help_reached(&kit, plan, false));
    kit.ok(
        COORDINATOR,
        assessment_2019(Answer::No, Some(true), Some(true)),
    );
    kit.ok(COORDINATOR, decision(true, false));
    kit.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ReportDiscussion,
            ExceptionGround::SafetyAtStake,
        ),
    );
    kit.ok(COORDINATOR, report());
    kit.ok(COORDINATOR, parents_informed_of_report(&kit));
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
    assert_accepted(&kit);
    let r = reached(&kit.events);
    assert!(r.report && r.help_plan && r.closed && r.report_after_all && !r.staff_case_closed);

    // The staff route to its end.
    let mut kit = staff_case_with_board_informed();
    kit.ok(BOARD, consultation_confidential_inspector(&kit));
    kit.ok(BOARD, staff_parents_informed(&kit));
    kit.ok(BOARD, suspected_staff_informed(&kit));
    kit.ok(BOARD, police_report(&kit, true));
    kit.ok(BOARD, close(CaseOutcome::StaffRouteCompleted));
    assert_accepted(&kit);
    assert!(reached(&kit.events).staff_case_closed);

    // Another cause, named in the parent conversation.
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(
        TEACHER,
        conversation_with(|c| {
            c.other_cause_found = true;
            c.other_cause = Some("Een stollingsstoornis.".into());
        }),
    );
    kit.ok(COORDINATOR, close(CaseOutcome::OtherCauseFound));
    assert_accepted(&kit);
}
