//! The oracle can fail: logs built by the engine with a forged event appended, which the oracle
//! must refuse, and the engine's own routes, which it must accept.

use super::*;

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
