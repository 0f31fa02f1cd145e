//! R10 Weighing (step 4): on the signals, the advice and the parent conversation, in the edition
//! the school profile names. The engine records what the weighing rested on and derives its
//! outcome (the 2019 meldnorm). Consulting VT or youth health care is prompted, not forced.

use crate::policy::{CasePolicy, Edition};
use crate::records::*;
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};

pub(crate) fn check_assessment(
    state: &CaseState,
    policy: CasePolicy,
    input: &AssessmentInput,
) -> Result<(AssessmentBasis, AssessmentOutcome), Violation> {
    let r10 = RuleId::R10;
    if state.signals.is_empty() {
        return Err(Violation::new(
            r10,
            "signals_required",
            "Er zijn nog geen signalen vastgelegd om te wegen.",
        ));
    }
    let outcome =
        match (input, policy.edition) {
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
                match w.can_protect {
                    Answer::Yes => AssessmentOutcome::HelpPossible,
                    // 5b: "cannot protect, or doubt whether you can" → report.
                    Answer::No | Answer::Doubt => AssessmentOutcome::ReportRequired,
                }
            }
            (AssessmentInput::Afwegingskader2019(f), Edition::Afwegingskader2019) => {
                require_text(
                    &f.reasoning,
                    r10,
                    "reasoning_required",
                    "Licht de weging toe.",
                )?;
                meldnorm_2019(f, policy.report_on_doubt)?
            }
            _ => return Err(Violation::new(
                r10,
                "edition_mismatch",
                "Deze weging hoort bij een andere versie van de meldcode dan de school gebruikt.",
            )),
        };
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
    };
    Ok((basis, outcome))
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
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2017(Answer::Yes)).1,
            "edition_mismatch"
        );
        let mut kit = Kit::opened().with_edition(Edition::Meldcode2017);
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            outcome(&mut kit, assessment_2017(Answer::Doubt)),
            AssessmentOutcome::ReportRequired
        );
    }

    #[test]
    fn r10_meldnorm_acute_or_structural_unsafety_means_report() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            outcome(&mut kit, assessment_2019(Answer::Yes, None, None)),
            AssessmentOutcome::ReportRequired
        );
        assert_eq!(
            outcome(&mut kit, assessment_2019(Answer::No, Some(false), None)),
            AssessmentOutcome::ReportRequired
        );
        assert_eq!(
            outcome(
                &mut kit,
                assessment_2019(Answer::No, Some(true), Some(false))
            ),
            AssessmentOutcome::ReportRequired
        );
        assert_eq!(
            outcome(
                &mut kit,
                assessment_2019(Answer::No, Some(true), Some(true))
            ),
            AssessmentOutcome::HelpPossible
        );
        assert_eq!(
            outcome(&mut kit, assessment_no_suspicion()),
            AssessmentOutcome::NoSuspicion
        );
    }

    #[test]
    fn r10_doubt_reports_only_when_the_school_profile_says_so() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
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
        kit.ok(TEACHER, conversation());
        kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().any(|a| a.rule == RuleId::R10));
        kit.ok(COORDINATOR, advice());
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().all(|a| a.rule != RuleId::R10));
    }

    #[test]
    fn r10_weighing_is_the_coordinators() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            kit.refused(TEACHER, assessment_2019(Answer::Yes, None, None))
                .0,
            RuleId::R14
        );
    }
}
