//! R10 Weighing (step 4): on the signals, the advice and the parent conversation, in the edition
//! the school profile names. The engine records what the weighing rested on and derives its
//! outcome (the 2019 meldnorm). Consulting VT or youth health care is prompted, not forced.

use crate::policy::{CasePolicy, Edition};
use crate::records::*;
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};

/// Something steps 2–3 still lack before the weighing: the refusal, and the words the prompt
/// uses to say what is still needed.
pub(crate) struct Missing {
    rule: RuleId,
    code: &'static str,
    message: &'static str,
    pub(crate) needed: &'static str,
}

/// Step 4 rests on what steps 1–3 produced: at least one consultation (R3), Veilig Thuis'
/// advice or a recorded reason why none was asked (R5), and the parent conversation or a
/// recorded R9 ground (in a staff case, the board informing the parents does). What was
/// replaced by a reason shows in the basis.
pub(crate) fn missing_before_weighing(state: &CaseState) -> Vec<Missing> {
    let mut missing = Vec::new();
    if state.consultations.is_empty() {
        missing.push(Missing {
            rule: RuleId::R3,
            code: "consultation_required",
            message: "Een weging rust op stap 2: bespreek de signalen eerst met een deskundige collega en leg dat vast.",
            needed: "een collegiale consultatie",
        });
    }
    if !state.advice_settled() {
        missing.push(Missing {
            rule: RuleId::R5,
            code: "advice_or_reason_required",
            message: "Vraag vóór de weging advies aan Veilig Thuis (dat kan anoniem), of leg vast waarom dat niet nodig was.",
            needed: "advies van Veilig Thuis, of de reden waarom dat niet nodig was",
        });
    }
    let parents_told_in_staff_route =
        state.is_staff_case() && !state.staff_case_parents_informed.is_empty();
    if !state.conversation_settled() && !parents_told_in_staff_route {
        missing.push(Missing {
            rule: RuleId::R9,
            code: "conversation_or_ground_required",
            message: "Een weging rust op stap 3: voer eerst het gesprek met de ouder, of leg vast waarom dat niet kan (veiligheid, of de ouder zou het contact verbreken).",
            needed: "het gesprek met de ouder, of de reden waarom dat niet kan",
        });
    }
    missing
}

fn check_steps_two_and_three(state: &CaseState) -> Result<(), Violation> {
    if state.signals.is_empty() && state.disclosures.is_empty() {
        return Err(Violation::new(
            RuleId::R10,
            "signals_required",
            "Er zijn nog geen signalen vastgelegd om te wegen.",
        ));
    }
    match missing_before_weighing(state).first() {
        Some(m) => Err(Violation::new(m.rule, m.code, m.message)),
        None => Ok(()),
    }
}

/// The edition a case weighs in: the one its first weighing used (a dossier started under the
/// 2017 code keeps it), otherwise the school's.
pub fn case_edition(state: &CaseState, policy: CasePolicy) -> Edition {
    match state.assessments.first().map(|a| &a.data.assessment) {
        Some(AssessmentInput::Meldcode2017(_)) => Edition::Meldcode2017,
        Some(AssessmentInput::Afwegingskader2019(_)) => Edition::Afwegingskader2019,
        None => policy.edition,
    }
}

pub(crate) fn check_assessment(
    state: &CaseState,
    policy: CasePolicy,
    input: &AssessmentInput,
    instrument: Option<&RiskInstrument>,
) -> Result<(AssessmentBasis, AssessmentOutcome), Violation> {
    let r10 = RuleId::R10;
    check_steps_two_and_three(state)?;
    if let Some(i) = instrument {
        require_text(
            &i.name,
            r10,
            "instrument_name_required",
            "Vul de naam van het risicotaxatie-instrument in.",
        )?;
        require_text(
            &i.outcome,
            r10,
            "instrument_outcome_required",
            "Vul de uitkomst van het risicotaxatie-instrument in.",
        )?;
    }
    let help_failed = state.help_failure_unweighed().is_some();
    let disclosures = count(state.disclosures.len());
    let by_answers =
        match (input, case_edition(state, policy)) {
            (AssessmentInput::Meldcode2017(w), Edition::Meldcode2017) => {
                require_text(
                    &w.nature,
                    r10,
                    "nature_required",
                    "Beschrijf de aard van de zorgen.",
                )?;
                require_text(
                    &w.severity,
                    r10,
                    "severity_required",
                    "Beschrijf de ernst van de zorgen.",
                )?;
                require_text(
                    &w.reasoning,
                    r10,
                    "reasoning_required",
                    "Licht de weging toe.",
                )?;
                meldnorm_2017(w)
            }
            (AssessmentInput::Afwegingskader2019(f), Edition::Afwegingskader2019) => {
                require_text(
                    &f.reasoning,
                    r10,
                    "reasoning_required",
                    "Licht de weging toe.",
                )?;
                if disclosures > 0 && f.q1_suspicion {
                    // A disclosure by the child is reported (2019): questions 2–4 are not needed.
                    AssessmentOutcome::ReportRequired
                } else {
                    meldnorm_2019(f, policy.report_on_doubt)?
                }
            }
            _ => return Err(Violation::new(
                r10,
                "edition_mismatch",
                "Deze weging hoort bij een andere versie van de meldcode dan dit dossier gebruikt.",
            )),
        };
    // Help that did not bring lasting safety means reporting after all, in both editions
    // (2017 step 5a, 2019 question 5).
    // The meldnorm, once reached, stands until the report is made: a new weighing cannot
    // weigh it away.
    let outcome = if help_failed || state.meldnorm_unmet() {
        AssessmentOutcome::ReportRequired
    } else {
        by_answers
    };
    let mut gaps = Vec::new();
    if !state.veilig_thuis_contacted() {
        gaps.push(BasisGap::VeiligThuisAdvice);
    }
    if !state.has_parent_conversation() {
        gaps.push(BasisGap::ParentConversation);
    }
    if !state.vt_or_youth_health_consulted() {
        gaps.push(BasisGap::VtOrYouthHealthConsulted);
    }
    if state.risk_index.is_empty() {
        gaps.push(BasisGap::RiskIndexConsidered);
    }
    let basis = AssessmentBasis {
        signals: count(state.signals.len()),
        counter_indications: count(state.counter_indications()),
        consultations: count(state.consultations.len()),
        advice_requests: count(state.advice_requests.len()),
        parent_conversation: state.has_parent_conversation(),
        conversation_ground: state
            .ground_for(ExceptionStage::ParentConversation)
            .is_some(),
        consent_refused: state.consent_refused().is_some(),
        vt_or_youth_health_consulted: state.vt_or_youth_health_consulted(),
        urgent: state.urgent_kinds(),
        disclosures,
        help_failed,
        gaps,
    };
    Ok((basis, outcome))
}

/// The 2017 weighing: a high risk, or doubt whether the school can protect the child, means a
/// report (5b); help may come on top.
fn meldnorm_2017(w: &Weighing2017) -> AssessmentOutcome {
    match (w.risk, w.can_protect) {
        (RiskLevel::High, _) | (_, Answer::No | Answer::Doubt) => AssessmentOutcome::ReportRequired,
        _ => AssessmentOutcome::HelpPossible,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The afwegingskader's questions 1–4; question 5 is answered in the help reviews.
fn meldnorm_2019(f: &Framework2019, report_on_doubt: bool) -> Result<AssessmentOutcome, Violation> {
    let missing = |code: &str, q: &str| {
        Violation::new(
            RuleId::R10,
            code,
            format!("Beantwoord vraag {q} van het afwegingskader."),
        )
    };
    if !f.q1_suspicion {
        return Ok(AssessmentOutcome::NoSuspicion);
    }
    let q2 = f.q2_unsafety.ok_or_else(|| missing("q2_required", "2"))?;
    if q2 == Answer::Yes || (q2 == Answer::Doubt && report_on_doubt) {
        return Ok(AssessmentOutcome::ReportRequired);
    }
    let q3 = f
        .q3_help_possible
        .ok_or_else(|| missing("q3_required", "3"))?;
    if !q3 {
        return Ok(AssessmentOutcome::ReportRequired);
    }
    let q4 = f
        .q4_help_accepted
        .ok_or_else(|| missing("q4_required", "4"))?;
    Ok(if q4 {
        AssessmentOutcome::HelpPossible
    } else {
        AssessmentOutcome::ReportRequired
    })
}

#[cfg(test)]
mod tests {
    use crate::event::EventPayload;
    use crate::next_actions::next_actions;
    use crate::policy::Edition;
    use crate::records::*;
    use crate::testkit::*;
    use crate::RuleId;

    fn outcome(kit: &mut Kit, cmd: crate::Command) -> AssessmentOutcome {
        let events = kit.ok(COORDINATOR, cmd);
        let EventPayload::AssessmentRecorded(a) = &events[0].payload else {
            panic!("expected an assessment")
        };
        a.outcome
    }

    #[test]
    fn r10_weighing_needs_signals() {
        let mut kit = Kit::opened();
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None)),
            (RuleId::R10, "signals_required".into())
        );
    }

    #[test]
    fn r10_weighing_uses_the_schools_edition() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2017(Answer::Yes)).1,
            "edition_mismatch"
        );
        let mut kit = Kit::opened().with_edition(Edition::Meldcode2017);
        prepare_weighing(&mut kit);
        assert_eq!(
            outcome(&mut kit, assessment_2017(Answer::Doubt)),
            AssessmentOutcome::ReportRequired
        );
    }

    #[test]
    fn r10_meldnorm_acute_or_structural_unsafety_means_report() {
        // Each weighing in a dossier of its own: a required report stands once weighed.
        let first = |cmd| {
            let mut kit = Kit::opened();
            prepare_weighing(&mut kit);
            outcome(&mut kit, cmd)
        };
        use AssessmentOutcome::*;
        assert_eq!(
            first(assessment_2019(Answer::Yes, None, None)),
            ReportRequired
        );
        assert_eq!(
            first(assessment_2019(Answer::No, Some(false), None)),
            ReportRequired
        );
        assert_eq!(
            first(assessment_2019(Answer::No, Some(true), Some(false))),
            ReportRequired
        );
        assert_eq!(
            first(assessment_2019(Answer::No, Some(true), Some(true))),
            HelpPossible
        );
        assert_eq!(first(assessment_no_suspicion()), NoSuspicion);
    }

    #[test]
    fn r10_doubt_reports_only_when_the_school_profile_says_so() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2019(Answer::Doubt, None, None))
                .1,
            "q3_required"
        );
        kit.policy.report_on_doubt = true;
        assert_eq!(
            outcome(&mut kit, assessment_2019(Answer::Doubt, None, None)),
            AssessmentOutcome::ReportRequired
        );
    }

    #[test]
    fn r10_weighing_without_vt_or_youth_health_is_prompted() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, consultation_internal());
        kit.ok(COORDINATOR, advice_skipped());
        kit.ok(TEACHER, conversation());
        kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions
            .iter()
            .any(|a| a.code == "consult_vt_while_weighing"));
        kit.ok(COORDINATOR, advice());
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().all(|a| a.rule != RuleId::R10));
    }

    #[test]
    fn r10_weighing_is_the_coordinators() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        assert_eq!(
            kit.refused(TEACHER, assessment_2019(Answer::Yes, None, None))
                .0,
            RuleId::R14
        );
    }

    #[test]
    fn r10_weighing_rests_on_steps_two_and_three() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None)),
            (RuleId::R3, "consultation_required".into())
        );
        kit.ok(TEACHER, consultation_internal());
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None)),
            (RuleId::R5, "advice_or_reason_required".into())
        );
        kit.ok(COORDINATOR, advice());
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None)),
            (RuleId::R9, "conversation_or_ground_required".into())
        );
        kit.ok(TEACHER, conversation());
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    }

    #[test]
    fn r10_assessment_basis_shows_what_was_missing() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, consultation_internal());
        kit.ok(COORDINATOR, advice_skipped());
        kit.ok(
            COORDINATOR,
            ground(
                ExceptionStage::ParentConversation,
                ExceptionGround::ParentWouldBreakContact,
            ),
        );
        kit.ok(COORDINATOR, risk_index());
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        let basis = &kit.state.assessments[0].data.basis;
        assert_eq!(
            basis.gaps,
            vec![
                BasisGap::VeiligThuisAdvice,
                BasisGap::ParentConversation,
                BasisGap::VtOrYouthHealthConsulted
            ]
        );
        assert!(basis.conversation_ground && !basis.parent_conversation);
    }

    #[test]
    fn r10_meldnorm_2017_high_risk_means_report_and_help_may_come_on_top() {
        let mut kit = Kit::opened().with_edition(Edition::Meldcode2017);
        prepare_weighing(&mut kit);
        assert_eq!(
            outcome(&mut kit, assessment_2017_risk(RiskLevel::High, Answer::Yes)),
            AssessmentOutcome::ReportRequired
        );
        assert_eq!(
            kit.refused(COORDINATOR, decision(false, true)),
            (RuleId::R11, "report_required".into())
        );
        kit.ok(COORDINATOR, decision(true, true));
        let mut low = Kit::opened().with_edition(Edition::Meldcode2017);
        prepare_weighing(&mut low);
        assert_eq!(
            outcome(&mut low, assessment_2017_risk(RiskLevel::Low, Answer::Yes)),
            AssessmentOutcome::HelpPossible
        );
    }

    #[test]
    fn r10_dossier_started_under_2017_keeps_its_edition() {
        let mut kit = Kit::opened().with_edition(Edition::Meldcode2017);
        prepare_weighing(&mut kit);
        kit.ok(COORDINATOR, assessment_2017(Answer::Yes));
        // The school moves to the 2019 framework; this dossier goes on under 2017.
        kit.policy.edition = Edition::Afwegingskader2019;
        assert_eq!(
            outcome(&mut kit, assessment_2017(Answer::No)),
            AssessmentOutcome::ReportRequired
        );
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None))
                .1,
            "edition_mismatch"
        );
        // A new dossier weighs in 2019.
        let mut fresh = Kit::opened();
        prepare_weighing(&mut fresh);
        assert_eq!(
            fresh.refused(COORDINATOR, assessment_2017(Answer::Yes)).1,
            "edition_mismatch"
        );
    }

    #[test]
    fn r10_disclosure_by_the_child_is_a_reason_to_report_in_2019() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(TEACHER, disclosure(&kit));
        let events = kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        let EventPayload::AssessmentRecorded(a) = &events[0].payload else {
            panic!("expected an assessment")
        };
        assert_eq!(a.outcome, AssessmentOutcome::ReportRequired);
        assert_eq!(a.basis.disclosures, 1);
    }

    #[test]
    fn r10_risk_instrument_is_recorded_with_name_and_outcome() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        let crate::Command::RecordAssessment { assessment, .. } =
            assessment_2019(Answer::Yes, None, None)
        else {
            unreachable!()
        };
        let with = |name: &str| crate::Command::RecordAssessment {
            assessment: assessment.clone(),
            instrument: Some(RiskInstrument {
                name: name.into(),
                outcome: "Verhoogd risico".into(),
            }),
        };
        assert_eq!(
            kit.refused(COORDINATOR, with(" ")).1,
            "instrument_name_required"
        );
        let events = kit.ok(COORDINATOR, with("LIRIK"));
        let EventPayload::AssessmentRecorded(a) = &events[0].payload else {
            panic!("expected an assessment")
        };
        assert_eq!(
            a.instrument.as_ref().map(|i| i.name.as_str()),
            Some("LIRIK")
        );
    }

    #[test]
    fn r10_help_that_failed_means_report_in_both_editions() {
        for edition in [Edition::Afwegingskader2019, Edition::Meldcode2017] {
            let mut kit = Kit::opened().with_edition(edition);
            prepare_weighing(&mut kit);
            let helpable = match edition {
                Edition::Afwegingskader2019 => assessment_2019(Answer::No, Some(true), Some(true)),
                Edition::Meldcode2017 => assessment_2017(Answer::Yes),
            };
            kit.ok(COORDINATOR, helpable.clone());
            kit.ok(COORDINATOR, decision(false, true));
            let d = kit.today() + chrono::Duration::days(14);
            let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
            kit.ok(TEACHER, review(plan, kit.now, HelpEffect::Improving));
            kit.ok(COORDINATOR, end_help_plan(plan, false));
            assert_eq!(
                outcome(&mut kit, helpable),
                AssessmentOutcome::ReportRequired,
                "{edition:?}"
            );
        }
    }

    #[test]
    fn r10_a_required_report_stands_until_it_is_made() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        assert_eq!(
            outcome(&mut kit, assessment_2019(Answer::Yes, None, None)),
            AssessmentOutcome::ReportRequired
        );
        assert_eq!(
            outcome(
                &mut kit,
                assessment_2019(Answer::No, Some(true), Some(true))
            ),
            AssessmentOutcome::ReportRequired
        );
        kit.ok(COORDINATOR, decision(true, true));
        kit.ok(COORDINATOR, discussion());
        kit.ok(COORDINATOR, report());
        assert_eq!(
            outcome(
                &mut kit,
                assessment_2019(Answer::No, Some(true), Some(true))
            ),
            AssessmentOutcome::HelpPossible
        );
    }
}
