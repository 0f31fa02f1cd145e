//! R15 Closing: a case closes only with an outcome that fits the dossier, and is then read-only.

use crate::records::{CaseOutcome, CloseInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};

pub(crate) fn check_case_writable(state: &CaseState) -> Result<(), Violation> {
    if state.closed.is_some() {
        return Err(Violation::new(
            RuleId::R15,
            "case_closed",
            "Dit dossier is afgesloten en kan alleen nog worden ingezien. Zijn er nieuwe zorgen, begin dan een nieuwe signalering.",
        ));
    }
    Ok(())
}

pub(crate) fn check_close(state: &CaseState, input: &CloseInput) -> Result<(), Violation> {
    let r15 = RuleId::R15;
    require_text(
        &input.reasoning,
        r15,
        "reasoning_required",
        "Licht de uitkomst toe. Bij ongegronde zorgen staat dat er expliciet in.",
    )?;
    if state.report_outstanding() {
        return Err(Violation::new(
            r15,
            "report_pending",
            "Het besluit was te melden, maar de melding is nog niet vastgelegd.",
        ));
    }
    if state.emergency.is_some() && state.reports.is_empty() && state.emergency_calls.is_empty() {
        return Err(Violation::new(
            r15,
            "emergency_open",
            "Er is een noodsituatie vastgelegd zonder gesprek met Veilig Thuis, de crisisdienst of de politie.",
        ));
    }
    let fits = match input.outcome {
        CaseOutcome::Unfounded | CaseOutcome::OtherCauseFound => true,
        CaseOutcome::HelpInPlace => !state.help_plans.is_empty(),
        CaseOutcome::ReportedAndHandedOver => !state.reports.is_empty(),
    };
    if !fits {
        return Err(Violation::new(
            r15,
            "outcome_does_not_fit",
            match input.outcome {
                CaseOutcome::HelpInPlace => {
                    "Er is geen hulpplan vastgelegd; kies een andere uitkomst."
                }
                _ => "Er is geen melding vastgelegd; kies een andere uitkomst.",
            },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::records::*;
    use crate::testkit::*;
    use crate::RuleId;

    #[test]
    fn r15_closed_case_is_read_only() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(COORDINATOR, close(CaseOutcome::Unfounded));
        assert_eq!(
            kit.refused(TEACHER, signal_own()),
            (RuleId::R15, "case_closed".into())
        );
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::Unfounded)).1,
            "case_closed"
        );
    }

    #[test]
    fn r15_close_needs_an_outcome_that_fits() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver)),
            (RuleId::R15, "outcome_does_not_fit".into())
        );
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::HelpInPlace)).1,
            "outcome_does_not_fit"
        );
    }

    #[test]
    fn r15_close_needs_reasoning() {
        let mut kit = Kit::opened();
        let cmd = crate::Command::CloseCase(CloseInput {
            outcome: CaseOutcome::Unfounded,
            reasoning: "".into(),
        });
        assert_eq!(kit.refused(COORDINATOR, cmd).1, "reasoning_required");
    }

    #[test]
    fn r15_cannot_close_while_a_decided_report_is_outstanding() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::Unfounded)).1,
            "report_pending"
        );
    }
}
