//! R15 Closing: a case closes only with an outcome that fits the dossier, and is then read-only.

use super::check_not_future;
use crate::records::{CaseOutcome, CloseInput, HelpEffect, OtherCauseInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

/// Only the pupil's leaving may still be recorded on a closed case, since it starts the
/// retention period and pupils leave long after most cases close; and a copy may be made.
pub(crate) fn check_case_writable(
    state: &CaseState,
    command: &crate::Command,
) -> Result<(), Violation> {
    if state.closed.is_some()
        && !matches!(
            command,
            crate::Command::RecordPupilLeft(_) | crate::Command::RecordExport(_)
        )
    {
        return Err(Violation::new(
            RuleId::R15,
            "case_closed",
            "Dit dossier is afgesloten en kan alleen nog worden ingezien. Zijn er nieuwe zorgen, begin dan een nieuwe signalering.",
        ));
    }
    Ok(())
}

/// A case closes only with an outcome that fits the whole dossier, not just its last decision:
/// nothing decided or required is left undone, and the outcome rests on the records it names.
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
    if state.emergency_unanswered().is_some() {
        return Err(Violation::new(
            r15,
            "emergency_open",
            "Er is een noodsituatie vastgelegd zonder gesprek met Veilig Thuis, de crisisdienst of de politie.",
        ));
    }
    if state.meldnorm_unmet() {
        return Err(Violation::new(
            r15,
            "meldnorm_unmet",
            "Volgens de laatste weging is melden nodig. Leg het besluit om te melden vast en doe de melding voordat het dossier sluit.",
        ));
    }
    if state.help_failure_unweighed().is_some() {
        return Err(Violation::new(
            r15,
            "report_after_all_pending",
            "De hulp bracht geen blijvende veiligheid, of het gaat slechter na de melding. Weeg opnieuw en meld alsnog bij Veilig Thuis voordat het dossier sluit.",
        ));
    }
    if state.is_staff_case() && !state.staff_route_complete() {
        return Err(Violation::new(
            RuleId::R2,
            "staff_route_open",
            "Bij een vermoeden tegen een medewerker sluit het dossier pas als het bestuur is geïnformeerd, de vertrouwensinspecteur is geraadpleegd en het besluit over aangifte is vastgelegd.",
        ));
    }
    let refuse = |code: &str, message: &str| Err(Violation::new(r15, code, message));
    match input.outcome {
        CaseOutcome::Unfounded | CaseOutcome::OtherCauseFound if state.meldnorm_reached() => refuse(
            "meldnorm_reached",
            "In dit dossier is melden nodig gebleken, besloten of gedaan. Het kan niet meer als ongegrond of met een andere oorzaak worden afgesloten.",
        ),
        CaseOutcome::OtherCauseFound if state.other_cause().is_none() => refuse(
            "other_cause_required",
            "Leg eerst vast welke andere oorzaak is gevonden en hoe (of vermeld die in het gesprek met de ouder).",
        ),
        CaseOutcome::HelpInPlace if state.help_plans.is_empty() => refuse(
            "outcome_does_not_fit",
            "Er is geen hulpplan vastgelegd; kies een andere uitkomst.",
        ),
        CaseOutcome::HelpInPlace if !help_in_place(state) => refuse(
            "help_not_effective",
            "'Hulp is ingezet' kan pas als het hulpplan is afgesloten met blijvende veiligheid, of de laatste evaluatie laat verbetering zien.",
        ),
        CaseOutcome::ReportedAndHandedOver if state.reports.is_empty() => refuse(
            "outcome_does_not_fit",
            "Er is geen melding vastgelegd; kies een andere uitkomst.",
        ),
        CaseOutcome::ReportedAndHandedOver
            if !state.vt_answer_recorded()
                && input
                    .no_vt_answer_reason
                    .as_deref()
                    .is_none_or(|r| r.trim().is_empty()) =>
        {
            refuse(
                "vt_answer_required",
                "Leg eerst het antwoord van Veilig Thuis op de melding vast (vervolgcontact), of vermeld waarom dat niet te krijgen was.",
            )
        }
        CaseOutcome::StaffRouteCompleted if !state.is_staff_case() => refuse(
            "outcome_does_not_fit",
            "Deze uitkomst hoort bij een vermoeden tegen een medewerker; kies een andere uitkomst.",
        ),
        _ => Ok(()),
    }
}

/// The latest help plan ended with lasting safety, or was last reviewed as improving; and no
/// review anywhere says the concerns continue as its latest word.
fn help_in_place(state: &CaseState) -> bool {
    let latest_review = state
        .help_plans
        .iter()
        .flat_map(|p| &p.reviews)
        .max_by_key(|r| r.seq);
    let concerns_continue =
        latest_review.is_some_and(|r| r.data.effect == HelpEffect::ConcernsContinue);
    state.help_plans.last().is_some_and(|p| p.shows_effect()) && !concerns_continue
}

/// Another cause for the signals, named, on which a close as "other cause found" rests.
pub(crate) fn check_other_cause(
    input: &OtherCauseInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    require_text(
        &input.cause,
        RuleId::R15,
        "cause_required",
        "Beschrijf welke andere oorzaak voor de signalen is gevonden.",
    )?;
    require_text(
        &input.how_found,
        RuleId::R15,
        "how_found_required",
        "Beschrijf hoe de oorzaak is gevonden en wie die bevestigde.",
    )?;
    check_not_future(input.found_at, now, RuleId::R15)
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
            no_vt_answer_reason: None,
        });
        assert_eq!(kit.refused(COORDINATOR, cmd).1, "reasoning_required");
    }

    #[test]
    fn r15_cannot_close_while_a_decided_report_is_outstanding() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::Unfounded)).1,
            "report_pending"
        );
    }

    #[test]
    fn r15_no_unfounded_or_other_cause_once_the_meldnorm_was_reached() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(COORDINATOR, other_cause(&kit));
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
        kit.ok(COORDINATOR, discussion());
        kit.ok(COORDINATOR, report());
        for outcome in [CaseOutcome::Unfounded, CaseOutcome::OtherCauseFound] {
            assert_eq!(
                kit.refused(COORDINATOR, close(outcome)),
                (RuleId::R15, "meldnorm_reached".into())
            );
        }
    }

    #[test]
    fn r15_other_cause_found_rests_on_a_record_naming_the_cause() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::OtherCauseFound)),
            (RuleId::R15, "other_cause_required".into())
        );
        assert_eq!(kit.refused(TEACHER, other_cause(&kit)).0, RuleId::R14);
        kit.ok(COORDINATOR, other_cause(&kit));
        kit.ok(COORDINATOR, close(CaseOutcome::OtherCauseFound));
    }

    #[test]
    fn r15_reported_and_handed_over_needs_veilig_thuis_answer_or_a_reason() {
        let mut kit = report_made();
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver)),
            (RuleId::R15, "vt_answer_required".into())
        );
        kit.ok(COORDINATOR, follow_up(Improvement::Sufficient));
        kit.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));

        let mut kit = report_made();
        let crate::Command::CloseCase(mut c) = close(CaseOutcome::ReportedAndHandedOver) else {
            unreachable!()
        };
        c.no_vt_answer_reason = Some("Veilig Thuis reageerde na drie pogingen niet.".into());
        kit.ok(COORDINATOR, crate::Command::CloseCase(c));
    }

    #[test]
    fn r15_help_in_place_only_with_lasting_safety_or_improvement() {
        let mut kit = help_decided();
        let d = kit.today() + chrono::Duration::days(14);
        let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::HelpInPlace)),
            (RuleId::R15, "help_not_effective".into())
        );
        kit.ok(TEACHER, review(plan, kit.now, HelpEffect::Insufficient));
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::HelpInPlace)).1,
            "help_not_effective"
        );
        kit.ok(TEACHER, review(plan, kit.now, HelpEffect::Improving));
        kit.ok(COORDINATOR, close(CaseOutcome::HelpInPlace));
    }

    #[test]
    fn r15_never_closes_while_the_concerns_continue() {
        let mut kit = help_decided();
        let d = kit.today() + chrono::Duration::days(14);
        let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
        kit.ok(TEACHER, review(plan, kit.now, HelpEffect::ConcernsContinue));
        for outcome in [CaseOutcome::HelpInPlace, CaseOutcome::Unfounded] {
            assert_eq!(
                kit.refused(COORDINATOR, close(outcome)),
                (RuleId::R15, "report_after_all_pending".into())
            );
        }
    }

    #[test]
    fn r15_no_close_while_the_latest_weighing_requires_a_report_not_made() {
        let mut kit = help_decided();
        let d = kit.today() + chrono::Duration::days(14);
        let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
        kit.ok(TEACHER, review(plan, kit.now, HelpEffect::ConcernsContinue));
        kit.ok(TEACHER, review(plan, kit.now, HelpEffect::Improving));
        kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::HelpInPlace)),
            (RuleId::R15, "meldnorm_unmet".into())
        );
    }

    #[test]
    fn r15_a_later_weighing_does_not_cancel_a_decision_to_report() {
        let mut kit = reported();
        // Report again (R13), then weigh again before doing it: the decision still stands.
        kit.ok(COORDINATOR, decision(true, false));
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver)),
            (RuleId::R15, "report_pending".into())
        );
    }
}
