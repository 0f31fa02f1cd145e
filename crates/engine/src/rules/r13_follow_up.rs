//! R13 Follow-up after a report: Veilig Thuis decides within five working days and tells the
//! reporter (a dated follow-up); with too little improvement, contact VT again and possibly
//! report again.

use super::check_not_future;
use crate::records::FollowUpInput;
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_follow_up(
    state: &CaseState,
    input: &FollowUpInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    if state.reports.is_empty() {
        return Err(Violation::new(
            RuleId::R13,
            "report_required",
            "Een vervolgcontact hoort bij een melding; er is nog geen melding vastgelegd.",
        ));
    }
    require_text(
        &input.notes,
        RuleId::R13,
        "notes_required",
        "Beschrijf wat er is besproken.",
    )?;
    check_not_future(input.held_at, now, RuleId::R13)
}

#[cfg(test)]
mod tests {
    use crate::next_actions::next_actions;
    use crate::records::*;
    use crate::testkit::*;
    use crate::workdays::add_working_days;
    use crate::RuleId;

    fn reported(kit: &mut Kit) {
        kit.ok(TEACHER, signal_own());
        kit.ok(COORDINATOR, advice());
        kit.ok(TEACHER, conversation());
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
