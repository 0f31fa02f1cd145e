//! R9 Reporting without talking to the parent: only when someone's safety is at stake or the
//! parent would break off contact and leave the school, and the ground is recorded. In an
//! emergency (R7) the danger itself is that ground.

use crate::event::ReportRoute;
use crate::records::{ExceptionGroundInput, ExceptionStage};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};

pub(crate) fn check_ground(input: &ExceptionGroundInput) -> Result<(), Violation> {
    let rule = match input.stage {
        ExceptionStage::ParentConversation => RuleId::R9,
        ExceptionStage::ReportDiscussion => RuleId::R12,
    };
    require_text(
        &input.explanation,
        rule,
        "explanation_required",
        "Leg uit waarom het gesprek niet kan: wiens veiligheid in het geding is, of waarom u verwacht dat de ouder het contact verbreekt.",
    )
}

pub(crate) fn check_conversation_or_ground(
    state: &CaseState,
    route: ReportRoute,
) -> Result<(), Violation> {
    if route == ReportRoute::Emergency || state.conversation_settled() {
        return Ok(());
    }
    Err(Violation::new(
        RuleId::R9,
        "parent_conversation_or_ground_required",
        "Er is nog geen gesprek met de ouder vastgelegd. Melden zonder dat gesprek kan alleen als iemands veiligheid in het geding is of als de ouder het contact zou verbreken; leg die reden dan eerst vast.",
    ))
}

#[cfg(test)]
mod tests {
    use crate::records::*;
    use crate::testkit::*;
    use crate::RuleId;

    fn consulted(kit: &mut Kit) {
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, consultation_internal());
        kit.ok(COORDINATOR, advice());
    }

    #[test]
    fn r9_report_without_parent_talk_needs_ground() {
        let mut kit = Kit::opened();
        consulted(&mut kit);
        // Step 4 rests on step 3: without the conversation or its ground nothing is weighed, so
        // no report can follow on the normal route.
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None)),
            (RuleId::R9, "conversation_or_ground_required".into())
        );
        kit.ok(
            COORDINATOR,
            ground(
                ExceptionStage::ParentConversation,
                ExceptionGround::SafetyAtStake,
            ),
        );
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
        kit.ok(
            COORDINATOR,
            ground(
                ExceptionStage::ReportDiscussion,
                ExceptionGround::SafetyAtStake,
            ),
        );
        kit.ok(COORDINATOR, report());
        assert_eq!(
            kit.state.assessments[0].data.basis.gaps,
            vec![BasisGap::ParentConversation, BasisGap::RiskIndexConsidered]
        );
    }

    #[test]
    fn r9_the_emergency_report_needs_no_ground() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(
            TEACHER,
            crate::Command::DeclareEmergency(EmergencyInput {
                declared_at: kit.now,
                danger: "Vader dreigt Sanne mee te nemen.".into(),
            }),
        );
        kit.ok(TEACHER, report());
    }

    #[test]
    fn r9_parent_would_break_contact_is_a_ground() {
        let mut kit = Kit::opened();
        consulted(&mut kit);
        kit.ok(
            COORDINATOR,
            ground(
                ExceptionStage::ParentConversation,
                ExceptionGround::ParentWouldBreakContact,
            ),
        );
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
        kit.ok(
            COORDINATOR,
            ground(
                ExceptionStage::ReportDiscussion,
                ExceptionGround::ParentWouldBreakContact,
            ),
        );
        kit.ok(COORDINATOR, report());
    }

    #[test]
    fn r9_ground_needs_an_explanation() {
        let mut kit = Kit::opened();
        let cmd = crate::Command::RecordExceptionGround(ExceptionGroundInput {
            stage: ExceptionStage::ParentConversation,
            ground: ExceptionGround::SafetyAtStake,
            explanation: "".into(),
        });
        assert_eq!(
            kit.refused(COORDINATOR, cmd),
            (RuleId::R9, "explanation_required".into())
        );
    }

    #[test]
    fn r9_only_the_coordinator_records_the_ground() {
        let mut kit = Kit::opened();
        let cmd = ground(
            ExceptionStage::ParentConversation,
            ExceptionGround::SafetyAtStake,
        );
        assert_eq!(kit.refused(TEACHER, cmd).0, RuleId::R14);
    }
}
