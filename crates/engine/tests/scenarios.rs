//! Whole cases from the first signal to closing, as a school lives them. Each walks the engine
//! exactly as the store will: decide, stamp, evolve; and checks what the dossier then says.

use chrono::Duration;
use meldcode_engine::access::can_see;
use meldcode_engine::event::{EventPayload, ReportRoute};
use meldcode_engine::flags::{flags, Flag};
use meldcode_engine::next_actions::next_actions;
use meldcode_engine::policy::Edition;
use meldcode_engine::records::*;
use meldcode_engine::step::{current_step, Step};
use meldcode_engine::testkit::*;
use meldcode_engine::urgent::UrgentKind;
use meldcode_engine::{CaseState, Command, RuleId};

/// Replaying the log gives exactly the state the case was built to.
fn assert_replays(kit: &Kit) {
    assert_eq!(CaseState::replay(&kit.events), kit.state);
}

fn codes(kit: &Kit) -> Vec<String> {
    next_actions(&kit.state, kit.policy, kit.now)
        .into_iter()
        .map(|a| a.code)
        .collect()
}

/// Step 5b to the end: the report, Veilig Thuis' answer, and closing as handed over.
fn report_and_hand_over(kit: &mut Kit) {
    kit.ok(COORDINATOR, report());
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
}

fn discuss_report_and_hand_over(kit: &mut Kit) {
    kit.ok(COORDINATOR, discussion());
    report_and_hand_over(kit);
}

fn signals_consulted_and_talked(kit: &mut Kit) {
    kit.ok(TEACHER, signal_own());
    kit.ok(TEACHER, signal_from_other());
    kit.ok(TEACHER, consultation_internal());
    kit.ok(COORDINATOR, advice());
    kit.ok(COORDINATOR, risk_index());
    kit.ok(TEACHER, conversation());
}

#[test]
fn scenario_help_organised_and_effective_5a() {
    let mut kit = Kit::opened();
    signals_consulted_and_talked(&mut kit);
    assert_eq!(current_step(&kit.state), Step::ParentConversation);
    kit.ok(
        COORDINATOR,
        assessment_2019(Answer::No, Some(true), Some(true)),
    );
    assert!(codes(&kit).contains(&"decide".to_owned()));
    kit.ok(COORDINATOR, decision(false, true));
    let first = kit.today() + Duration::days(28);
    let second = kit.today() + Duration::days(56);
    let plan = kit.ok(COORDINATOR, help_plan(vec![first, second], second))[0].id;
    assert_eq!(
        flags(&kit.state, kit.policy, kit.now),
        vec![Flag::HelpInPlace]
    );

    kit.advance(Duration::days(28));
    kit.ok(TEACHER, review(plan, kit.now, HelpEffect::Improving));
    kit.advance(Duration::days(28));
    kit.ok(COORDINATOR, review(plan, kit.now, HelpEffect::Improving));
    kit.ok(
        COORDINATOR,
        Command::EndHelpPlan(HelpPlanEndInput {
            plan,
            lasting_safety: true,
            monitoring: "De leerkracht blijft alert; na drie maanden kort contact met moeder."
                .into(),
        }),
    );
    assert!(codes(&kit).contains(&"close_case".to_owned()));
    kit.ok(COORDINATOR, close(CaseOutcome::HelpInPlace));
    assert!(kit.state.closed.is_some());
    assert!(next_actions(&kit.state, kit.policy, kit.now).is_empty());
    assert_replays(&kit);
}

#[test]
fn scenario_help_refused_then_report() {
    let mut kit = Kit::opened();
    signals_consulted_and_talked(&mut kit);
    kit.ok(
        COORDINATOR,
        assessment_2019(Answer::No, Some(true), Some(true)),
    );
    kit.ok(COORDINATOR, decision(false, true));
    let review_day = kit.today() + Duration::days(14);
    let plan = kit.ok(COORDINATOR, help_plan(vec![review_day], review_day))[0].id;
    kit.advance(Duration::days(14));
    let refused = Command::ReviewHelp(HelpReviewInput {
        plan,
        held_at: kit.now,
        effect: HelpEffect::ConcernsContinue,
        notes: "Moeder is niet naar het CJG gegaan en wil geen hulp; nieuwe blauwe plekken.".into(),
        next_review: None,
    });
    kit.ok(TEACHER, refused);
    assert!(codes(&kit).contains(&"report_after_all".to_owned()));

    // Question 4 now answered no: those involved do not accept the help.
    kit.ok(
        COORDINATOR,
        assessment_2019(Answer::No, Some(true), Some(false)),
    );
    assert_eq!(
        kit.refused(COORDINATOR, decision(false, true)).1,
        "report_required"
    );
    kit.ok(COORDINATOR, decision(true, false));
    kit.ok(COORDINATOR, discussion());
    kit.ok(COORDINATOR, report());
    kit.advance(Duration::days(7));
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
    assert_replays(&kit);
}

#[test]
fn scenario_report_after_parent_conversation() {
    let mut kit = Kit::opened();
    signals_consulted_and_talked(&mut kit);
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    assert!(codes(&kit).contains(&"decide_report".to_owned()));
    kit.ok(COORDINATOR, decision(true, true));
    assert!(codes(&kit).contains(&"discuss_report".to_owned()));
    kit.ok(COORDINATOR, discussion());
    assert!(codes(&kit).contains(&"make_report".to_owned()));
    let report = kit.ok(COORDINATOR, report());
    let EventPayload::ReportMade(r) = &report[0].payload else {
        panic!("expected a report")
    };
    assert_eq!(r.route, ReportRoute::Steps);
    assert!(r.report.from_others.is_some());
    let due = next_actions(&kit.state, kit.policy, kit.now)
        .into_iter()
        .find(|a| a.code == "follow_up_report")
        .and_then(|a| a.due)
        .expect("a dated follow-up");
    assert!(due > kit.today());

    kit.advance(Duration::days(5));
    kit.ok(
        COORDINATOR,
        Command::RecordFollowUp(FollowUpInput {
            held_at: kit.now,
            with_veilig_thuis: true,
            improvement: Improvement::Insufficient,
            notes: "Veilig Thuis start een onderzoek.".into(),
            next_follow_up: Some(kit.today() + Duration::days(42)),
        }),
    );
    kit.advance(Duration::days(42));
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
    assert_replays(&kit);
}

#[test]
fn scenario_report_without_parent_conversation_on_safety_ground() {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(TEACHER, consultation_internal());
    kit.ok(COORDINATOR, advice());
    kit.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ParentConversation,
            ExceptionGround::SafetyAtStake,
        ),
    );
    assert_eq!(current_step(&kit.state), Step::ParentConversation);
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    kit.ok(COORDINATOR, decision(true, false));
    assert_eq!(
        kit.refused(COORDINATOR, report()),
        (RuleId::R12, "report_discussion_or_ground_required".into())
    );
    kit.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ReportDiscussion,
            ExceptionGround::SafetyAtStake,
        ),
    );
    report_and_hand_over(&mut kit);
    assert!(kit.state.conversations.is_empty());
    assert_replays(&kit);
}

#[test]
fn scenario_emergency_route() {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(
        TEACHER,
        Command::DeclareEmergency(EmergencyInput {
            declared_at: kit.now,
            danger: "Sanne zegt dat vader haar vanmiddag komt halen en 'afrekent'.".into(),
        }),
    );
    assert_eq!(codes(&kit)[0], "call_now");
    kit.ok(
        TEACHER,
        Command::RecordEmergencyCall(EmergencyCallInput {
            called_at: kit.now,
            service: EmergencyService::VeiligThuis,
            summary: "Veilig Thuis nam de melding in hetzelfde gesprek aan; politie ingeschakeld."
                .into(),
        }),
    );
    let r = kit.ok(TEACHER, report());
    let EventPayload::ReportMade(r) = &r[0].payload else {
        panic!("expected a report")
    };
    assert_eq!(r.route, ReportRoute::Emergency);
    assert_eq!(current_step(&kit.state), Step::Decision);
    assert!(flags(&kit.state, kit.policy, kit.now).contains(&Flag::Emergency));

    // The rest follows after the report; the emergency report covers the decision to report.
    kit.ok(TEACHER, consultation_internal());
    kit.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ParentConversation,
            ExceptionGround::SafetyAtStake,
        ),
    );
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    kit.ok(COORDINATOR, decision(true, false));
    let after = codes(&kit);
    assert!(
        !after.contains(&"make_report".to_owned()) && !after.contains(&"discuss_report".to_owned()),
        "{after:?}"
    );
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
    assert_replays(&kit);
}

/// R7 with more than one emergency, and a later decision to report after help failed, which
/// the first emergency report does not cover.
#[test]
fn scenario_emergency_report_covers_only_the_decision_it_came_before() {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(TEACHER, emergency(&kit));
    let first = kit.ok(TEACHER, report());
    let EventPayload::ReportMade(r) = &first[0].payload else {
        panic!("expected a report")
    };
    assert_eq!(r.route, ReportRoute::Emergency);
    kit.ok(TEACHER, consultation_internal());
    kit.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ParentConversation,
            ExceptionGround::SafetyAtStake,
        ),
    );
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    kit.ok(COORDINATOR, decision(true, true));
    assert!(!codes(&kit).contains(&"make_report".to_owned()));
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    let day = kit.today() + Duration::days(28);
    let plan = kit.ok(COORDINATOR, help_plan(vec![day], day))[0].id;

    // Weeks later: a second emergency, answered by a call.
    kit.advance(Duration::days(21));
    kit.ok(TEACHER, emergency(&kit));
    assert_eq!(kit.state.emergencies.len(), 2);
    kit.ok(
        TEACHER,
        Command::RecordEmergencyCall(EmergencyCallInput {
            called_at: kit.now,
            service: EmergencyService::Police,
            summary: "Politie kwam binnen tien minuten; vader vertrokken.".into(),
        }),
    );
    // The help does not bring safety: weigh again and report after all.
    kit.ok(TEACHER, review(plan, kit.now, HelpEffect::ConcernsContinue));
    assert!(codes(&kit).contains(&"report_after_all".to_owned()));
    kit.ok(
        COORDINATOR,
        assessment_2019(Answer::No, Some(true), Some(true)),
    );
    kit.ok(COORDINATOR, decision(true, false));
    assert!(kit.state.report_outstanding());
    // The second emergency's report comes first, from whoever is there, and covers it.
    let second = kit.ok(TEACHER, report());
    let EventPayload::ReportMade(r) = &second[0].payload else {
        panic!("expected a report")
    };
    assert_eq!(r.route, ReportRoute::Emergency);
    assert!(!kit.state.report_outstanding());
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
    assert_replays(&kit);
}

#[test]
fn scenario_suspected_female_genital_mutilation() {
    let mut kit = Kit::opened();
    let fgm = kit
        .catalogue
        .signals
        .iter()
        .find(|s| s.urgent == Some(UrgentKind::FemaleGenitalMutilation))
        .map(|s| s.code.clone())
        .expect("an urgent FGM signal in the catalogue");
    let Command::RecordSignal(mut s) = signal_own() else {
        unreachable!()
    };
    s.facts = "Sanne vertelt dat ze in de zomervakantie drie maanden naar familie gaat voor een groot feest 'omdat ik dan een echte vrouw word'.".into();
    s.body_marks.clear();
    s.catalogue_codes = vec![fgm];
    kit.ok(TEACHER, Command::RecordSignal(s));
    assert!(flags(&kit.state, kit.policy, kit.now).contains(&Flag::FemaleGenitalMutilation));
    assert_eq!(codes(&kit)[0], "contact_vt_urgently");
    assert_eq!(
        kit.refused(TEACHER, conversation()).0,
        RuleId::R8,
        "no parent conversation before VT"
    );

    kit.ok(
        COORDINATOR,
        Command::RequestAdvice(AdviceRequestInput {
            asked_at: kit.now,
            anonymous: false,
            question: "Vermoeden van voorgenomen meisjesbesnijdenis; wat nu?".into(),
            advice_given: "Veilig Thuis neemt het over; school meldt vandaag.".into(),
            reference: Some("VT-2026-0311".into()),
        }),
    );
    assert!(!codes(&kit).contains(&"contact_vt_urgently".to_owned()));
    kit.ok(TEACHER, consultation_internal());
    kit.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ParentConversation,
            ExceptionGround::SafetyAtStake,
        ),
    );
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    kit.ok(COORDINATOR, decision(true, false));
    kit.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ReportDiscussion,
            ExceptionGround::SafetyAtStake,
        ),
    );
    report_and_hand_over(&mut kit);
    assert_replays(&kit);
}

#[test]
fn scenario_consent_refused() {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(TEACHER, consultation_internal());
    kit.ok(COORDINATOR, consent(false));
    assert!(flags(&kit.state, kit.policy, kit.now).contains(&Flag::ConsentRefused));
    assert_eq!(
        kit.refused(COORDINATOR, consultation_care_team(false)).0,
        RuleId::R4
    );
    kit.ok(COORDINATOR, consultation_care_team(true));
    kit.ok(COORDINATOR, advice());
    kit.ok(TEACHER, conversation());
    assert!(codes(&kit).contains(&"weigh_consent_refusal".to_owned()));
    let weighed = kit.ok(
        COORDINATOR,
        assessment_2019(Answer::Doubt, Some(false), None),
    );
    let EventPayload::AssessmentRecorded(a) = &weighed[0].payload else {
        panic!("expected an assessment")
    };
    assert!(
        a.basis.consent_refused,
        "the refusal is shown in the weighing"
    );
    assert_eq!(a.outcome, AssessmentOutcome::ReportRequired);
    kit.ok(COORDINATOR, decision(true, false));
    discuss_report_and_hand_over(&mut kit);
    assert_replays(&kit);
}

#[test]
fn scenario_concerns_unfounded_after_parent_conversation() {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    kit.ok(TEACHER, consultation_internal());
    kit.ok(TEACHER, advice());
    let Command::RecordParentConversation(mut c) = conversation() else {
        unreachable!()
    };
    c.parent_reaction =
        "Moeder laat een verslag van de huisarts zien: Sanne is van de klimrek gevallen.".into();
    c.other_cause_found = true;
    c.other_cause = Some("Een val van het klimrek, bevestigd door de huisarts.".into());
    kit.ok(TEACHER, Command::RecordParentConversation(c));
    kit.ok(COORDINATOR, assessment_no_suspicion());
    assert!(codes(&kit).contains(&"close_unfounded".to_owned()));
    kit.ok(
        COORDINATOR,
        Command::CloseCase(CloseInput {
            outcome: CaseOutcome::Unfounded,
            reasoning: "De zorgen bleken ongegrond: de blauwe plek komt van een val, bevestigd door de huisarts.".into(),
            no_vt_answer_reason: None,
        }),
    );
    assert_eq!(kit.refused(TEACHER, signal_own()).0, RuleId::R15);
    assert_replays(&kit);
}

#[test]
fn scenario_2017_edition_weighs_and_reports_on_doubt() {
    let mut kit = Kit::new().with_edition(meldcode_engine::policy::Edition::Meldcode2017);
    kit.ok(
        TEACHER,
        Command::OpenCase {
            pupil: pupil(),
            parents: vec![parent()],
        },
    );
    signals_consulted_and_talked(&mut kit);
    kit.ok(COORDINATOR, assessment_2017(Answer::Doubt));
    assert_eq!(
        kit.refused(COORDINATOR, decision(false, true)).1,
        "report_required"
    );
    kit.ok(COORDINATOR, decision(true, false));
    discuss_report_and_hand_over(&mut kit);
    assert_replays(&kit);
}

fn emergency(kit: &Kit) -> Command {
    Command::DeclareEmergency(EmergencyInput {
        declared_at: kit.now,
        danger: "Vader staat dreigend bij het hek en wil Sanne meenemen.".into(),
    })
}

fn opened_in(edition: Edition) -> Kit {
    let mut kit = Kit::new().with_edition(edition);
    kit.ok(
        TEACHER,
        Command::OpenCase {
            pupil: pupil(),
            parents: vec![parent()],
        },
    );
    kit
}

/// An answer that makes help possible, in the edition's own terms.
fn helpable(edition: Edition) -> Command {
    match edition {
        Edition::Afwegingskader2019 => assessment_2019(Answer::No, Some(true), Some(true)),
        Edition::Meldcode2017 => assessment_2017(Answer::Yes),
    }
}

fn outcome_of(events: &[meldcode_engine::Envelope]) -> (AssessmentOutcome, AssessmentBasis) {
    match &events[0].payload {
        EventPayload::AssessmentRecorded(a) => (a.outcome, a.basis.clone()),
        other => panic!("expected an assessment, got {}", other.kind()),
    }
}

/// Step 5a fails: the family reaches the help, but the concerns continue. The meldnorm then
/// asks for a new weighing and a report after all, and nothing closes the case quietly.
fn help_fails_then_report_after_all(edition: Edition) {
    let mut kit = opened_in(edition);
    signals_consulted_and_talked(&mut kit);
    kit.ok(COORDINATOR, helpable(edition));
    kit.ok(COORDINATOR, decision(false, true));
    let first = kit.today() + Duration::days(14);
    let effect = kit.today() + Duration::days(42);
    let plan = kit.ok(COORDINATOR, help_plan(vec![first], effect))[0].id;
    kit.ok(TEACHER, share_help_plan(&kit, plan));
    kit.advance(Duration::days(7));
    kit.ok(TEACHER, help_reached(&kit, plan, true));
    kit.advance(Duration::days(7));
    kit.ok(TEACHER, review(plan, kit.now, HelpEffect::ConcernsContinue));
    let prompts = codes(&kit);
    assert!(
        prompts.contains(&"report_after_all".to_owned()),
        "{prompts:?}"
    );
    assert_eq!(
        kit.refused(COORDINATOR, decision(false, true)).1,
        "weigh_again_first"
    );
    for outcome in [CaseOutcome::HelpInPlace, CaseOutcome::Unfounded] {
        assert_eq!(
            kit.refused(COORDINATOR, close(outcome)).1,
            "report_after_all_pending"
        );
    }
    // Whatever the answers, help that failed means a report (2017 5a, 2019 question 5).
    let (outcome, basis) = outcome_of(&kit.ok(COORDINATOR, helpable(edition)));
    assert_eq!(outcome, AssessmentOutcome::ReportRequired);
    assert!(basis.help_failed);
    // The running plan's prompts stay beside the new outcome.
    let prompts = codes(&kit);
    assert!(prompts.contains(&"decide_report".to_owned()), "{prompts:?}");
    assert!(
        prompts.contains(&"judge_lasting_safety".to_owned()),
        "{prompts:?}"
    );
    assert_eq!(
        kit.refused(COORDINATOR, decision(false, true)).1,
        "report_required"
    );
    kit.ok(COORDINATOR, decision(true, true));
    kit.ok(COORDINATOR, end_help_plan(plan, false));
    let second = kit.ok(COORDINATOR, help_plan(vec![effect], effect))[0].id;
    kit.ok(COORDINATOR, discussion());
    kit.ok(COORDINATOR, report());
    kit.ok(COORDINATOR, parents_informed_of_report(&kit));
    kit.ok(TEACHER, review(second, kit.now, HelpEffect::Improving));
    kit.ok(COORDINATOR, end_help_plan(second, true));
    assert_eq!(
        kit.refused(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver))
            .1,
        "vt_answer_required"
    );
    kit.advance(Duration::days(5));
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, evaluation(&kit));
    assert_eq!(
        kit.refused(COORDINATOR, close(CaseOutcome::Unfounded)).1,
        "meldnorm_reached"
    );
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
    assert_replays(&kit);
}

#[test]
fn scenario_help_fails_then_report_after_all_2019() {
    help_fails_then_report_after_all(Edition::Afwegingskader2019);
}

#[test]
fn scenario_help_fails_then_report_after_all_2017() {
    help_fails_then_report_after_all(Edition::Meldcode2017);
}

/// R2 to its end (WPO art. 4a): the board informed at once, the vertrouwensinspecteur
/// consulted without consent, the parents and the employee informed, help for the pupil
/// weighed and organised in the school's edition, the police report made, and the staff-route
/// outcome.
fn staff_case_to_its_end(edition: Edition) {
    let mut kit = opened_in(edition);
    kit.ok(
        COORDINATOR,
        Command::InvolveColleague {
            user: OTHER_TEACHER.user_id,
        },
    );
    kit.ok(TEACHER, signal_own());
    kit.ok(TEACHER, suspect_other_teacher());
    assert!(!can_see(&kit.state, OTHER_TEACHER));
    assert!(can_see(&kit.state, BOARD) && can_see(&kit.state, DIRECTOR));
    assert_eq!(
        kit.refused(COORDINATOR, helpable(edition)),
        (RuleId::R14, "lead_only".into())
    );
    assert_eq!(codes(&kit)[0], "inform_board");
    kit.ok(
        TEACHER,
        Command::RecordBoardInformed(BoardInformedInput {
            informed_at: kit.now,
            board_member: "Henk Mulder, voorzitter college van bestuur".into(),
            how: "telefonisch, direct na het gesprek met Sanne".into(),
        }),
    );
    kit.ok(BOARD, consultation_confidential_inspector(&kit));
    assert_eq!(
        kit.refused(BOARD, police_report(&kit, true)).1,
        "inform_before_police_report"
    );
    kit.ok(BOARD, staff_parents_informed(&kit));
    kit.ok(BOARD, suspected_staff_informed(&kit));
    kit.ok(BOARD, advice_skipped());
    let (outcome, basis) = outcome_of(&kit.ok(BOARD, helpable(edition)));
    assert_eq!(outcome, AssessmentOutcome::HelpPossible);
    assert!(basis.gaps.contains(&BasisGap::ParentConversation));
    kit.ok(BOARD, decision(false, true));
    assert_eq!(
        kit.refused(BOARD, close(CaseOutcome::StaffRouteCompleted)),
        (RuleId::R2, "staff_route_open".into())
    );
    kit.ok(BOARD, police_report(&kit, true));
    kit.ok(BOARD, evaluation(&kit));
    assert!(codes(&kit).contains(&"close_case".to_owned()));
    assert_eq!(kit.refused(OTHER_TEACHER, signal_own()).0, RuleId::R2);
    kit.ok(BOARD, close(CaseOutcome::StaffRouteCompleted));
    assert!(!can_see(&kit.state, OTHER_TEACHER));
    assert_replays(&kit);
}

#[test]
fn scenario_staff_case_to_its_end_2019() {
    staff_case_to_its_end(Edition::Afwegingskader2019);
}

#[test]
fn scenario_staff_case_to_its_end_2017() {
    staff_case_to_its_end(Edition::Meldcode2017);
}

/// The child tells: the record keeps its words, the weighing is due the same day, and in 2019
/// the disclosure itself is a reason to report.
fn child_disclosure(edition: Edition) {
    let mut kit = opened_in(edition);
    kit.ok(TEACHER, disclosure(&kit));
    let first = next_actions(&kit.state, kit.policy, kit.now)
        .into_iter()
        .find(|a| a.code == "weigh_now")
        .expect("weighing prompted at once");
    assert_eq!(first.due, Some(kit.today()));
    assert_eq!(current_step(&kit.state), Step::Signals);
    kit.ok(TEACHER, child_conversation());
    kit.ok(TEACHER, consultation_internal());
    kit.ok(COORDINATOR, advice());
    kit.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ParentConversation,
            ExceptionGround::SafetyAtStake,
        ),
    );
    let answers = match edition {
        Edition::Afwegingskader2019 => helpable(edition),
        Edition::Meldcode2017 => assessment_2017(Answer::Doubt),
    };
    let (outcome, basis) = outcome_of(&kit.ok(COORDINATOR, answers));
    assert_eq!(outcome, AssessmentOutcome::ReportRequired);
    assert_eq!(basis.disclosures, 1);
    kit.ok(COORDINATOR, decision(true, false));
    kit.ok(
        COORDINATOR,
        ground(
            ExceptionStage::ReportDiscussion,
            ExceptionGround::SafetyAtStake,
        ),
    );
    let prompts = codes(&kit);
    assert!(prompts.contains(&"make_report".to_owned()), "{prompts:?}");
    kit.ok(COORDINATOR, report());
    assert!(
        !codes(&kit).contains(&"inform_parents_of_report".to_owned()),
        "not when telling the parent endangers the child"
    );
    kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
    kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
    assert_replays(&kit);
}

#[test]
fn scenario_child_disclosure_2019() {
    child_disclosure(Edition::Afwegingskader2019);
}

#[test]
fn scenario_child_disclosure_2017() {
    child_disclosure(Edition::Meldcode2017);
}
