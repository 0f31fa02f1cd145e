//! R5 Any doubt → ask Veilig Thuis for advice; advice may always be asked anonymously, so no
//! consent is needed for it. Prompted while no advice is recorded before the weighing.

use super::check_not_future;
use crate::records::AdviceRequestInput;
use crate::rule::RuleId;
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
}
