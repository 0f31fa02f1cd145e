//! R11 Decide (step 5) only after a weighing. 5a: organise help and follow it with dated reviews,
//! reporting after all when the concerns continue. 5b: report. The decision follows the
//! weighing's outcome, and a decision not to report carries its reasoning.

use super::check_not_future;
use crate::event::ReportRoute;
use crate::records::*;
use crate::rule::RuleId;
use crate::state::{CaseState, HelpPlan};
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_decision(state: &CaseState, input: &DecisionInput) -> Result<(), Violation> {
    let r11 = RuleId::R11;
    let Some(assessment) = state.latest_assessment() else {
        return Err(Violation::new(
            r11,
            "assessment_required",
            "Een besluit volgt op de weging (stap 4). Leg eerst de weging vast.",
        ));
    };
    if state.help_failure_unweighed().is_some() {
        return Err(Violation::new(
            r11,
            "weigh_again_first",
            "De hulp bracht geen blijvende veiligheid, of het gaat slechter na de melding. Weeg eerst opnieuw (stap 4); dan volgt het besluit, en melden is dan nodig.",
        ));
    }
    match assessment.data.outcome {
        AssessmentOutcome::NoSuspicion => {
            return Err(Violation::new(
                r11,
                "no_suspicion",
                "Volgens de weging is er geen vermoeden. Sluit het dossier af als ongegrond, of weeg opnieuw als er nieuwe signalen zijn.",
            ))
        }
        AssessmentOutcome::ReportRequired if !input.report => {
            return Err(Violation::new(
                r11,
                "report_required",
                "Volgens de weging is melden bij Veilig Thuis nodig. Hulp kan daarnaast, maar niet in plaats van de melding.",
            ))
        }
        _ => {}
    }
    if !input.report && !input.organise_help {
        return Err(Violation::new(
            r11,
            "choice_required",
            "Kies: hulp organiseren, melden bij Veilig Thuis, of beide.",
        ));
    }
    require_text(
        &input.reasoning,
        r11,
        "reasoning_required",
        if input.report {
            "Licht het besluit toe."
        } else {
            "Een besluit om niet te melden vraagt een toelichting: waarom is hulp voldoende?"
        },
    )
}

pub(crate) fn check_help_plan(
    state: &CaseState,
    input: &HelpPlanInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    let r11 = RuleId::R11;
    if !state
        .current_decision()
        .is_some_and(|d| d.data.organise_help)
    {
        return Err(Violation::new(
            r11,
            "help_not_decided",
            "Een hulpplan volgt op het besluit om hulp te organiseren (stap 5a).",
        ));
    }
    require_text(
        &input.description,
        r11,
        "description_required",
        "Beschrijf de hulp.",
    )?;
    require_text(
        &input.case_manager,
        r11,
        "case_manager_required",
        "Vul in wie de hulp volgt (casusregisseur).",
    )?;
    require_text(
        &input.agreements,
        r11,
        "agreements_required",
        "Leg de schriftelijke afspraken met de betrokkenen vast.",
    )?;
    let today = now.date_naive();
    if input.reviews.is_empty() {
        return Err(Violation::new(
            r11,
            "reviews_required",
            "Plan ten minste één datum om de effecten van de hulp te evalueren.",
        ));
    }
    if input.reviews.iter().any(|d| *d < today) || input.effect_due < today {
        return Err(Violation::new(
            r11,
            "date_in_past",
            "Evaluatiedata en de termijn voor het effect liggen in de toekomst.",
        ));
    }
    Ok(())
}

/// The help plan a record points at, when it is in the dossier.
pub(crate) fn find_plan(state: &CaseState, plan: crate::EventId) -> Result<&HelpPlan, Violation> {
    state
        .help_plans
        .iter()
        .find(|p| p.started.id == plan)
        .ok_or_else(|| {
            Violation::new(
                RuleId::R11,
                "unknown_help_plan",
                "Dit hulpplan staat niet in het dossier.",
            )
        })
}

fn open_plan(state: &CaseState, plan: crate::EventId) -> Result<&HelpPlan, Violation> {
    match find_plan(state, plan)? {
        p if p.ended.is_some() => Err(Violation::new(
            RuleId::R11,
            "help_plan_ended",
            "Dit hulpplan is al afgesloten.",
        )),
        p => Ok(p),
    }
}

pub(crate) fn check_help_review(
    state: &CaseState,
    input: &HelpReviewInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    open_plan(state, input.plan)?;
    require_text(
        &input.notes,
        RuleId::R11,
        "notes_required",
        "Beschrijf wat de evaluatie opleverde.",
    )?;
    if input
        .next_review
        .is_some_and(|d| d < input.held_at.date_naive())
    {
        return Err(Violation::new(
            RuleId::R11,
            "date_in_past",
            "De volgende evaluatie ligt na deze.",
        ));
    }
    check_not_future(input.held_at, now, RuleId::R11)
}

pub(crate) fn check_help_plan_end(
    state: &CaseState,
    input: &HelpPlanEndInput,
) -> Result<(), Violation> {
    let plan = open_plan(state, input.plan)?;
    if plan.reviews.is_empty() {
        return Err(Violation::new(
            RuleId::R11,
            "review_required",
            "Evalueer de effecten van de hulp voordat u het hulpplan afsluit.",
        ));
    }
    require_text(
        &input.monitoring,
        RuleId::R11,
        "monitoring_required",
        "Leg de afspraken vast over hoe de veiligheid na de hulp wordt gevolgd.",
    )
}

/// A report follows a decision to report, or comes first in an emergency (R7): the first report
/// after an emergency is the emergency report, whatever was decided before.
pub(crate) fn check_report_route(state: &CaseState) -> Result<ReportRoute, Violation> {
    if state.emergency_report_pending() {
        Ok(ReportRoute::Emergency)
    } else if state.report_outstanding() {
        Ok(ReportRoute::Steps)
    } else if state.latest_decision().is_some_and(|d| d.data.report) {
        Err(Violation::new(
            RuleId::R11,
            "already_reported",
            "De melding bij dit besluit is al gedaan. Is het sindsdien niet beter of slechter, weeg dan opnieuw en besluit of u opnieuw meldt.",
        ))
    } else {
        Err(Violation::new(
            RuleId::R11,
            "decision_required",
            "Een melding volgt op de weging en het besluit om te melden (stap 4 en 5). Is er acuut gevaar, leg dan eerst de noodsituatie vast.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::next_actions::next_actions;
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};
    use chrono::Duration;

    #[test]
    fn r11_decision_without_assessment_is_refused() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        assert_eq!(
            kit.refused(COORDINATOR, decision(false, true)),
            (RuleId::R11, "assessment_required".into())
        );
    }

    #[test]
    fn r11_decision_follows_the_meldnorm() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        assert_eq!(
            kit.refused(COORDINATOR, decision(false, true)).1,
            "report_required"
        );
        kit.ok(COORDINATOR, decision(true, true));
    }

    #[test]
    fn r11_no_decision_when_no_suspicion_remains() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(COORDINATOR, assessment_no_suspicion());
        assert_eq!(
            kit.refused(COORDINATOR, decision(false, true)).1,
            "no_suspicion"
        );
    }

    #[test]
    fn r11_not_reporting_needs_reasoning() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        let cmd = Command::RecordDecision(DecisionInput {
            report: false,
            organise_help: true,
            reasoning: " ".into(),
        });
        assert_eq!(kit.refused(COORDINATOR, cmd).1, "reasoning_required");
    }

    #[test]
    fn r11_report_without_decision_is_refused() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, conversation());
        assert_eq!(
            kit.refused(COORDINATOR, report()),
            (RuleId::R11, "decision_required".into())
        );
    }

    #[test]
    fn r11_help_plan_needs_the_decision_to_organise_help() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let d = kit.today() + Duration::days(14);
        assert_eq!(
            kit.refused(COORDINATOR, help_plan(vec![d], d)).1,
            "help_not_decided"
        );
    }

    #[test]
    fn r11_overdue_review_is_prompted_and_continuing_concerns_prompt_a_report() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        kit.ok(COORDINATOR, decision(false, true));
        let review_day = kit.today() + Duration::days(14);
        let plan = kit.ok(COORDINATOR, help_plan(vec![review_day], review_day))[0].id;
        kit.advance(Duration::days(15));
        let overdue = next_actions(&kit.state, kit.policy, kit.now);
        let review_due = overdue
            .iter()
            .find(|a| a.code == "review_help")
            .expect("review prompted");
        assert!(review_due.overdue);
        kit.ok(TEACHER, review(plan, kit.now, HelpEffect::ConcernsContinue));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().any(|a| a.code == "report_after_all"));
    }

    #[test]
    fn r11_help_plan_cannot_end_without_a_review() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        kit.ok(COORDINATOR, decision(false, true));
        let d = kit.today() + Duration::days(7);
        let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
        let end = Command::EndHelpPlan(HelpPlanEndInput {
            plan,
            lasting_safety: true,
            monitoring: "Leerkracht blijft alert.".into(),
        });
        assert_eq!(kit.refused(COORDINATOR, end).1, "review_required");
    }

    #[test]
    fn r11_deciding_is_the_coordinators() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        assert_eq!(kit.refused(TEACHER, decision(true, false)).0, RuleId::R14);
        assert_eq!(kit.refused(DIRECTOR, decision(true, false)).0, RuleId::R14);
    }

    #[test]
    fn r11_after_help_failed_a_new_decision_needs_a_new_weighing() {
        let mut kit = help_decided();
        let d = kit.today() + Duration::days(14);
        let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
        kit.ok(TEACHER, review(plan, kit.now, HelpEffect::ConcernsContinue));
        assert_eq!(
            kit.refused(COORDINATOR, decision(false, true)),
            (RuleId::R11, "weigh_again_first".into())
        );
        kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        // The running plan's prompts stay beside the new outcome's.
        let codes: Vec<String> = next_actions(&kit.state, kit.policy, kit.now)
            .into_iter()
            .map(|a| a.code)
            .collect();
        assert!(codes.contains(&"decide_report".into()), "{codes:?}");
        assert!(codes.contains(&"share_help_plan".into()), "{codes:?}");
        assert_eq!(
            kit.refused(COORDINATOR, decision(false, true)).1,
            "report_required"
        );
        kit.ok(COORDINATOR, decision(true, true));
    }
}
