//! R13 Follow-up after a report: Veilig Thuis decides within five working days and tells the
//! reporter (a dated follow-up); with too little improvement, contact VT again and possibly
//! report again.

use super::check_not_future;
use super::r00_record::require_full_names;
use crate::records::{FollowUpInput, ReportInformedInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

fn after_a_report(state: &CaseState, what: &str) -> Result<(), Violation> {
    if state.reports.is_empty() {
        return Err(Violation::new(
            RuleId::R13,
            "report_required",
            format!("{what}; er is nog geen melding vastgelegd."),
        ));
    }
    Ok(())
}

pub(crate) fn check_follow_up(
    state: &CaseState,
    input: &FollowUpInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    after_a_report(state, "Een vervolgcontact hoort bij een melding")?;
    require_text(
        &input.notes,
        RuleId::R13,
        "notes_required",
        "Beschrijf wat er is besproken.",
    )?;
    check_not_future(input.held_at, now, RuleId::R13)
}

/// The parents told that the report was made.
pub(crate) fn check_parents_informed(
    state: &CaseState,
    input: &ReportInformedInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    after_a_report(
        state,
        "De ouders informeren over de melding volgt op de melding",
    )?;
    require_full_names(&input.informed, "de geïnformeerde ouders")?;
    require_text(
        &input.how,
        RuleId::R13,
        "how_required",
        "Vul in hoe de ouders zijn geïnformeerd.",
    )?;
    require_text(
        &input.reaction,
        RuleId::R13,
        "reaction_required",
        "Leg de reactie van de ouders vast.",
    )?;
    check_not_future(input.informed_at, now, RuleId::R13)
}

#[cfg(test)]
mod tests {
    use crate::next_actions::next_actions;
    use crate::records::*;
    use crate::testkit::*;
    use crate::workdays::add_working_days;
    use crate::RuleId;

    fn reported(kit: &mut Kit) {
        prepare_weighing(kit);
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
        kit.ok(COORDINATOR, discussion());
        kit.ok(COORDINATOR, report());
    }

    #[test]
    fn r13_follow_up_is_due_five_working_days_after_the_report() {
        let mut kit = Kit::opened();
        reported(&mut kit);
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        let f = actions
            .iter()
            .find(|a| a.code == "follow_up_report")
            .expect("follow-up prompted");
        assert_eq!(f.rule, RuleId::R13);
        assert_eq!(f.due, Some(add_working_days(kit.today(), 5)));
    }

    #[test]
    fn r13_follow_up_counts_from_reported_at() {
        let mut kit = Kit::opened();
        reported(&mut kit);
        // `report()` was made at t0 (Monday 2 March) and recorded later: five working days from
        // the report, not from the recording.
        kit.advance(chrono::Duration::days(3));
        let f = next_actions(&kit.state, kit.policy, kit.now)
            .into_iter()
            .find(|a| a.code == "follow_up_report")
            .expect("follow-up prompted");
        assert_eq!(f.due, Some(add_working_days(t0().date_naive(), 5)));
    }

    #[test]
    fn r13_parents_are_informed_after_the_report() {
        let mut kit = Kit::opened();
        reported(&mut kit);
        assert!(kit
            .action_codes()
            .contains(&"inform_parents_of_report".into()));
        kit.ok(COORDINATOR, parents_informed_of_report(&kit));
        assert!(!kit
            .action_codes()
            .contains(&"inform_parents_of_report".into()));
    }

    #[test]
    fn r13_things_worse_after_a_report_prompt_a_new_weighing_and_a_report_after_all() {
        let mut kit = Kit::opened();
        reported(&mut kit);
        kit.ok(COORDINATOR, follow_up(Improvement::Worse));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().any(|a| a.code == "report_after_all"));
    }

    #[test]
    fn r13_insufficient_improvement_prompts_contacting_vt_again() {
        let mut kit = Kit::opened();
        reported(&mut kit);
        kit.ok(COORDINATOR, follow_up(Improvement::Insufficient));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().any(|a| a.code == "contact_vt_again"));
    }

    #[test]
    fn r13_follow_up_needs_a_report() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            kit.refused(COORDINATOR, follow_up(Improvement::Sufficient)),
            (RuleId::R13, "report_required".into())
        );
    }
}
