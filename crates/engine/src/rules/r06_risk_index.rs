//! R6 Risk index: from step 2, consider registering the pupil in the Verwijsindex
//! Risicojongeren. A prompt; the record keeps the choice and why.

use crate::records::{RiskIndexChoice, RiskIndexInput};
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
    )?;
    if input.choice == RiskIndexChoice::Registered && input.registered_on.is_none() {
        return Err(Violation::new(
            RuleId::R6,
            "registration_date_required",
            "Vul de datum van registratie in de Verwijsindex in.",
        ));
    }
    if input
        .follow_up_on
        .zip(input.registered_on)
        .is_some_and(|(follow, registered)| follow < registered)
    {
        return Err(Violation::new(
            RuleId::R6,
            "follow_up_before_registration",
            "De datum om de registratie opnieuw te bekijken ligt na de registratie.",
        ));
    }
    Ok(())
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
            registered_on: None,
            follow_up_on: None,
        });
        assert_eq!(kit.refused(COORDINATOR, cmd).0, RuleId::R6);
    }

    #[test]
    fn r6_only_the_coordinator_records_the_risk_index_choice() {
        let mut kit = Kit::opened();
        assert_eq!(kit.refused(TEACHER, risk_index()).0, RuleId::R14);
    }

    #[test]
    fn r6_registration_has_its_date_and_a_dated_follow_up() {
        use crate::records::*;
        use crate::Command;
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let mut input = RiskIndexInput {
            choice: RiskIndexChoice::Registered,
            reasoning: "Zorgen blijven; samenwerking met het CJG.".into(),
            registered_on: None,
            follow_up_on: None,
        };
        assert_eq!(
            kit.refused(COORDINATOR, Command::ConsiderRiskIndex(input.clone())),
            (RuleId::R6, "registration_date_required".into())
        );
        input.registered_on = Some(kit.today());
        input.follow_up_on = Some(kit.today() + chrono::Duration::days(30));
        kit.ok(COORDINATOR, Command::ConsiderRiskIndex(input));
        kit.advance(chrono::Duration::days(31));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        let follow = actions
            .iter()
            .find(|a| a.code == "risk_index_follow_up")
            .expect("follow-up prompted");
        assert!(follow.overdue && follow.rule == RuleId::R6);
        kit.ok(COORDINATOR, risk_index());
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().all(|a| a.code != "risk_index_follow_up"));
    }
}
