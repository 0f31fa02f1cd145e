//! The coordinator evaluates the steps taken with those involved (the seed's responsibilities:
//! "de genomen stappen evalueert met betrokkenen"). Prompted once a case has reached a
//! decision; the record keeps who took part, what went well and what to improve.

use super::check_not_future;
use super::r00_record::require_full_names;
use crate::records::EvaluationInput;
use crate::rule::RuleId;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_evaluation(
    input: &EvaluationInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    require_full_names(&input.participants, "wie aan de evaluatie deelnamen")?;
    require_text(
        &input.went_well,
        RuleId::R15,
        "went_well_required",
        "Leg vast wat goed ging in het volgen van de meldcode.",
    )?;
    require_text(
        &input.to_improve,
        RuleId::R15,
        "to_improve_required",
        "Leg vast wat de school een volgende keer beter doet (of 'niets').",
    )?;
    check_not_future(input.held_at, now, RuleId::R15)
}

#[cfg(test)]
mod tests {
    use crate::testkit::*;
    use crate::RuleId;

    #[test]
    fn r15_evaluation_with_those_involved_is_prompted_after_a_decision() {
        let mut kit = help_decided();
        assert!(kit
            .action_codes()
            .contains(&"evaluate_with_involved".into()));
        assert_eq!(kit.refused(TEACHER, evaluation(&kit)).0, RuleId::R14);
        kit.ok(COORDINATOR, evaluation(&kit));
        assert!(!kit
            .action_codes()
            .contains(&"evaluate_with_involved".into()));
        assert_eq!(kit.state.evaluations.len(), 1);
    }
}
