//! R6 Risk index: from step 2, consider registering the pupil in the Verwijsindex
//! Risicojongeren. A prompt; the record keeps the choice and why.

use crate::records::RiskIndexInput;
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};

pub(crate) fn check_risk_index(
    _state: &CaseState,
    input: &RiskIndexInput,
) -> Result<(), Violation> {
    require_text(
        &input.reasoning,
        RuleId::R6,
        "reasoning_required",
        "Leg uit waarom de leerling wel of niet in de Verwijsindex is geregistreerd.",
    )
}

#[cfg(test)]
mod tests {
    use crate::next_actions::next_actions;
    use crate::testkit::*;
    use crate::RuleId;

    #[test]
    fn r6_risk_index_is_prompted_from_step_2() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let before = next_actions(&kit.state, kit.policy, kit.now);
        assert!(before.iter().all(|a| a.rule != RuleId::R6), "not in step 1");
        kit.ok(TEACHER, consultation_internal());
        let during = next_actions(&kit.state, kit.policy, kit.now);
        assert!(during.iter().any(|a| a.rule == RuleId::R6));
        kit.ok(COORDINATOR, risk_index());
        let after = next_actions(&kit.state, kit.policy, kit.now);
        assert!(after.iter().all(|a| a.rule != RuleId::R6));
    }

    #[test]
    fn r6_risk_index_choice_needs_reasoning() {
        let mut kit = Kit::opened();
        let cmd = crate::Command::ConsiderRiskIndex(crate::records::RiskIndexInput {
            choice: crate::records::RiskIndexChoice::NotRegistered,
            reasoning: "".into(),
        });
        assert_eq!(kit.refused(COORDINATOR, cmd).0, RuleId::R6);
    }

    #[test]
    fn r6_only_the_coordinator_records_the_risk_index_choice() {
        let mut kit = Kit::opened();
        assert_eq!(kit.refused(TEACHER, risk_index()).0, RuleId::R14);
    }
}
