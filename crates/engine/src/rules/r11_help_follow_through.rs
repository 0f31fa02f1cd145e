//! R11, step 5a followed through: the help plan is discussed with the parents, and the school
//! asks whether the family actually reached the help it was referred to. A family that did not
//! is a help failure: the meldnorm then asks for a new weighing and a report after all.

use super::check_not_future;
use super::r00_record::require_full_names;
use super::r11_decide::find_plan;
use crate::records::{HelpPlanSharedInput, HelpReachedInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_shared(
    state: &CaseState,
    input: &HelpPlanSharedInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    find_plan(state, input.plan)?;
    require_full_names(
        &input.shared_with,
        "de ouders met wie het plan is besproken",
    )?;
    require_text(
        &input.reaction,
        RuleId::R11,
        "reaction_required",
        "Leg de reactie van de ouders op het hulpplan vast.",
    )?;
    check_not_future(input.shared_at, now, RuleId::R11)
}

pub(crate) fn check_reached(
    state: &CaseState,
    input: &HelpReachedInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    find_plan(state, input.plan)?;
    require_text(
        &input.notes,
        RuleId::R11,
        "notes_required",
        "Leg vast bij wie u navroeg of het gezin bij de hulp is aangekomen, en wat u hoorde.",
    )?;
    check_not_future(input.checked_at, now, RuleId::R11)
}

#[cfg(test)]
mod tests {
    use crate::records::*;
    use crate::testkit::*;

    #[test]
    fn r11_help_plan_is_shared_with_the_parents_and_reaching_the_help_is_checked() {
        let mut kit = help_decided();
        let d = kit.today() + chrono::Duration::days(14);
        let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
        let before = kit.action_codes();
        assert!(before.contains(&"share_help_plan".into()), "{before:?}");
        assert!(before.contains(&"check_help_reached".into()), "{before:?}");
        kit.ok(TEACHER, share_help_plan(&kit, plan));
        kit.ok(TEACHER, help_reached(&kit, plan, true));
        let after = kit.action_codes();
        assert!(!after.contains(&"share_help_plan".into()));
        assert!(!after.contains(&"check_help_reached".into()));
    }

    #[test]
    fn r11_family_that_did_not_reach_the_help_prompts_a_report_after_all() {
        let mut kit = help_decided();
        let d = kit.today() + chrono::Duration::days(14);
        let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
        kit.ok(TEACHER, help_reached(&kit, plan, false));
        assert!(kit.action_codes().contains(&"report_after_all".into()));
        let events = kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        let crate::EventPayload::AssessmentRecorded(a) = &events[0].payload else {
            panic!("expected an assessment")
        };
        assert_eq!(a.outcome, AssessmentOutcome::ReportRequired);
        assert!(a.basis.help_failed);
    }
}
