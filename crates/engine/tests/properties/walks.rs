//! The random walks: who acts, which command of the pool they try, and how much time passes.

use super::*;

/// Walks per property: `PROPTEST_CASES`, or 1000.
pub(crate) fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1000)
}

/// Who may act in a walk. Besides these people, a step may be taken by whoever leads the case at
/// that moment (see `actor`), so that walks reach steps 4 and 5 and the board's staff route.
pub(crate) const ACTORS: [Actor; 7] = [
    TEACHER,
    TEACHER,
    OTHER_TEACHER,
    COORDINATOR,
    COORDINATOR,
    DIRECTOR,
    BOARD,
];

/// Steps out of `ACTORS.len() + LEAD_SLOTS` that are taken by the case lead.
pub(crate) const LEAD_SLOTS: usize = 4;

/// The person who takes step `s`: one of `ACTORS`, or the case lead (the coordinator, or the
/// board once staff are suspected). Only the walk looks at the engine's state here; the oracle
/// never does.
pub(crate) fn actor(kit: &Kit, s: &Step) -> Actor {
    match ACTORS.get(s.actor) {
        Some(a) => *a,
        None if kit.state.is_staff_case() => BOARD,
        None => COORDINATOR,
    }
}

pub(crate) const COMMANDS: usize = 68;

/// How often each command of the pool is tried: the route forward often, the dead ends (closing
/// as unfounded, emergencies, suspicions, urgent flags, disclosures) rarely, so that random walks
/// go deep into step 5 and on to a close. Indexed like `command`.
#[rustfmt::skip]
pub(crate) const WEIGHTS: [usize; COMMANDS] = [
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
pub(crate) struct Step {
    pub(crate) actor: usize,
    pub(crate) command: usize,
    pub(crate) days_later: i64,
}

/// A walk leans on one route: its commands are tried `ROUTE_BOOST` times as often as `WEIGHTS`
/// says. Every command stays possible in every walk; the lean only makes the long routes (help
/// that fails and is reported after all, the board's staff route) common enough to test.
pub(crate) const ROUTE_BOOST: usize = 4;

/// 5a: help decided, planned, shared, checked, reviewed and ended, or failing.
pub(crate) const HELP_ROUTE: &[usize] = &[18, 19, 20, 21, 22, 23, 29, 47, 48, 49, 50];
/// 5b: decided, discussed or a ground, reported, followed up, handed over.
pub(crate) const REPORT_ROUTE: &[usize] = &[17, 19, 24, 25, 26, 30, 51, 52, 57];
/// R2: the board's route when an employee is suspected.
pub(crate) const STAFF_ROUTE: &[usize] = &[33, 38, 39, 40, 41, 42, 43, 55];

pub(crate) fn step(route: &[usize]) -> impl Strategy<Value = Step> {
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
pub(crate) fn walk(max_steps: usize) -> impl Strategy<Value = Vec<Step>> {
    let steps = 1..max_steps;
    prop_oneof![
        prop::collection::vec(step(&[]), steps.clone()),
        prop::collection::vec(step(HELP_ROUTE), steps.clone()),
        prop::collection::vec(step(REPORT_ROUTE), steps.clone()),
        prop::collection::vec(step(STAFF_ROUTE), steps),
    ]
}

pub(crate) fn with_reason(outcome: CaseOutcome, no_vt_answer_reason: &str) -> Command {
    Command::CloseCase(CloseInput {
        outcome,
        reasoning: "Afgesloten na overleg met Veilig Thuis.".into(),
        no_vt_answer_reason: Some(no_vt_answer_reason.into()),
    })
}

pub(crate) fn conversation_with(f: impl FnOnce(&mut ParentConversationInput)) -> Command {
    let Command::RecordParentConversation(mut c) = conversation() else {
        unreachable!("the builder makes a parent conversation")
    };
    f(&mut c);
    Command::RecordParentConversation(c)
}

/// The command pool: the builders' valid commands plus variants that the rules must refuse in
/// the wrong place. Help plan ids are taken from the case so reviews can hit real plans.
pub(crate) fn command(kit: &Kit, n: usize) -> Command {
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

pub(crate) fn run(steps: &[Step]) -> Kit {
    let mut kit = Kit::opened();
    for s in steps {
        kit.advance(Duration::days(s.days_later));
        let cmd = command(&kit, s.command);
        let _ = kit.try_as(actor(&kit, s), cmd);
    }
    kit
}

pub(crate) fn who(actor: Actor) -> &'static str {
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
pub(crate) fn describe(steps: &[Step]) -> String {
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
