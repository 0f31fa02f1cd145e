//! R5 Any doubt → ask Veilig Thuis for advice; advice may always be asked anonymously, so no
//! consent is needed for it. Prompted while no advice is recorded before the weighing.

use super::check_not_future;
use crate::records::{AdviceRequestInput, AdviceSkippedInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_advice_request(
    input: &AdviceRequestInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    require_text(
        &input.question,
        RuleId::R5,
        "question_required",
        "Vul in wat u aan Veilig Thuis heeft gevraagd.",
    )?;
    require_text(
        &input.advice_given,
        RuleId::R5,
        "advice_required",
        "Vul in welk advies Veilig Thuis gaf.",
    )?;
    check_not_future(input.asked_at, now, RuleId::R5)
}

/// The weighing needs Veilig Thuis' advice or a recorded reason why none was asked ("bij
/// twijfel moet u advies vragen"): the reason says why there was no doubt to ask about.
pub(crate) fn check_advice_skipped(
    state: &CaseState,
    input: &AdviceSkippedInput,
) -> Result<(), Violation> {
    if state.veilig_thuis_contacted() {
        return Err(Violation::new(
            RuleId::R5,
            "advice_already_asked",
            "Er is al contact met Veilig Thuis vastgelegd; een reden om geen advies te vragen is niet nodig.",
        ));
    }
    require_text(
        &input.reason,
        RuleId::R5,
        "reason_required",
        "Leg uit waarom geen advies aan Veilig Thuis is gevraagd. Bij enige twijfel vraagt u wel advies; dat kan anoniem.",
    )
}

#[cfg(test)]
mod tests {
    use crate::next_actions::next_actions;
    use crate::testkit::*;
    use crate::RuleId;

    #[test]
    fn r5_advice_is_prompted_before_the_weighing() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().any(|a| a.rule == RuleId::R5));
        kit.ok(TEACHER, advice());
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().all(|a| a.rule != RuleId::R5));
    }

    #[test]
    fn r5_advice_may_be_asked_anonymously_without_consent() {
        let mut kit = Kit::opened();
        kit.ok(COORDINATOR, consent(false));
        kit.ok(TEACHER, advice());
        assert!(kit.state.advice_requests[0].data.anonymous);
    }

    #[test]
    fn r5_advice_record_needs_the_advice_given() {
        let mut kit = Kit::opened();
        let crate::Command::RequestAdvice(mut a) = advice() else {
            unreachable!()
        };
        a.advice_given = String::new();
        assert_eq!(
            kit.refused(TEACHER, crate::Command::RequestAdvice(a)),
            (RuleId::R5, "advice_required".into())
        );
    }

    #[test]
    fn r5_weighing_needs_vt_advice_or_a_recorded_reason() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, consultation_internal());
        kit.ok(TEACHER, conversation());
        assert_eq!(
            kit.refused(
                COORDINATOR,
                assessment_2019(crate::records::Answer::Yes, None, None)
            ),
            (RuleId::R5, "advice_or_reason_required".into())
        );
        assert_eq!(kit.refused(TEACHER, advice_skipped()).0, RuleId::R14);
        kit.ok(COORDINATOR, advice_skipped());
        kit.ok(
            COORDINATOR,
            assessment_2019(crate::records::Answer::Yes, None, None),
        );
        let basis = &kit.state.assessments[0].data.basis;
        assert_eq!(
            basis.gaps,
            vec![
                crate::records::BasisGap::VeiligThuisAdvice,
                crate::records::BasisGap::VtOrYouthHealthConsulted,
                crate::records::BasisGap::RiskIndexConsidered
            ]
        );
    }
}
