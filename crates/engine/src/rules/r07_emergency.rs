//! R7 Emergency: with acute, serious danger the order of the steps gives way. Anyone may
//! declare it and call Veilig Thuis, the crisis service or the police; the report may come first
//! (see `r11_decide::check_report_route`) and the other steps follow.

use super::check_not_future;
use crate::records::{EmergencyCallInput, EmergencyInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_emergency(
    state: &CaseState,
    input: &EmergencyInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    // A case can have more than one emergency, but each is answered by a call or a report
    // before the next is declared.
    if state.emergency_unanswered().is_some() {
        return Err(Violation::new(
            RuleId::R7,
            "emergency_already_declared",
            "De noodsituatie is al vastgelegd. Leg het telefoongesprek of de melding vast.",
        ));
    }
    require_text(
        &input.danger,
        RuleId::R7,
        "danger_required",
        "Beschrijf in een paar woorden het acute gevaar.",
    )?;
    check_not_future(input.declared_at, now, RuleId::R7)
}

pub(crate) fn check_emergency_call(
    input: &EmergencyCallInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    require_text(
        &input.summary,
        RuleId::R7,
        "summary_required",
        "Vat samen wat er in het gesprek is afgesproken.",
    )?;
    check_not_future(input.called_at, now, RuleId::R7)
}

#[cfg(test)]
mod tests {
    use crate::event::ReportRoute;
    use crate::next_actions::next_actions;
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};

    fn emergency(kit: &Kit) -> Command {
        Command::DeclareEmergency(EmergencyInput {
            declared_at: kit.now,
            danger: "Vader staat dreigend bij het hek en wil Sanne meenemen.".into(),
        })
    }

    #[test]
    fn r7_emergency_lets_the_report_come_first() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, emergency(&kit));
        let call = Command::RecordEmergencyCall(EmergencyCallInput {
            called_at: kit.now,
            service: EmergencyService::VeiligThuis,
            summary: "Melding gedaan in hetzelfde gesprek; politie komt.".into(),
        });
        kit.ok(TEACHER, call);
        let events = kit.ok(TEACHER, report());
        let crate::EventPayload::ReportMade(r) = &events[0].payload else {
            panic!("expected a report")
        };
        assert_eq!(r.route, ReportRoute::Emergency);
    }

    #[test]
    fn r7_the_other_steps_follow_after_the_emergency_report() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, emergency(&kit));
        kit.ok(TEACHER, report());
        let codes: Vec<String> = next_actions(&kit.state, kit.policy, kit.now)
            .into_iter()
            .map(|a| a.code)
            .collect();
        for expected in ["consult_colleague", "weigh", "follow_up_report"] {
            assert!(
                codes.iter().any(|c| c == expected),
                "{expected} in {codes:?}"
            );
        }
    }

    #[test]
    fn r7_emergency_prompts_the_call_now() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, emergency(&kit));
        let first = &next_actions(&kit.state, kit.policy, kit.now)[0];
        assert_eq!((first.rule, first.code.as_str()), (RuleId::R7, "call_now"));
    }

    #[test]
    fn r7_emergency_needs_a_description_of_the_danger() {
        let mut kit = Kit::opened();
        let cmd = Command::DeclareEmergency(EmergencyInput {
            declared_at: kit.now,
            danger: " ".into(),
        });
        assert_eq!(
            kit.refused(TEACHER, cmd),
            (RuleId::R7, "danger_required".into())
        );
    }

    #[test]
    fn r7_a_case_can_have_more_than_one_emergency() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, emergency(&kit));
        assert_eq!(
            kit.refused(TEACHER, emergency(&kit)).1,
            "emergency_already_declared"
        );
        kit.ok(TEACHER, report());
        kit.advance(chrono::Duration::days(20));
        kit.ok(TEACHER, emergency(&kit));
        assert_eq!(kit.state.emergencies.len(), 2);
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().any(|a| a.code == "call_now"));
        let events = kit.ok(TEACHER, report());
        let crate::EventPayload::ReportMade(r) = &events[0].payload else {
            panic!("expected a report")
        };
        assert_eq!(r.route, ReportRoute::Emergency);
    }

    #[test]
    fn r7_emergency_report_covers_the_decision_after_it_but_not_a_later_one() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, emergency(&kit));
        kit.ok(TEACHER, report());
        kit.ok(TEACHER, consultation_internal());
        kit.ok(
            COORDINATOR,
            ground(
                ExceptionStage::ParentConversation,
                ExceptionGround::SafetyAtStake,
            ),
        );
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, true));
        assert!(
            !kit.state.report_outstanding(),
            "the emergency report covers it"
        );
        let d = kit.today() + chrono::Duration::days(14);
        let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
        kit.ok(TEACHER, review(plan, kit.now, HelpEffect::ConcernsContinue));
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
        assert!(
            kit.state.report_outstanding(),
            "a later decision needs its own report"
        );
        assert_eq!(
            kit.refused(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver))
                .1,
            "report_pending"
        );
    }
}
