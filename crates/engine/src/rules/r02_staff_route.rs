//! R2, the staff route to its end (WPO art. 4a): after telling the board, the board consults the
//! vertrouwensinspecteur (its legal duty; no parental consent needed), informs the parents and
//! the employee, and with a reasonable suspicion reports to the police — or records its reasoned
//! decision not to. Only in a staff case, and only by the board (R14 keeps it lead-only).

use super::check_not_future;
use super::r00_record::{require_full_name, require_full_names};
use crate::records::{PoliceReportInput, StaffCaseInformedInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

fn staff_case(state: &CaseState) -> Result<(), Violation> {
    if state.is_staff_case() {
        Ok(())
    } else {
        Err(Violation::new(
            RuleId::R2,
            "not_staff_case",
            "Deze stap hoort bij een vermoeden tegen een medewerker; dat is in dit dossier niet vastgelegd.",
        ))
    }
}

pub(crate) fn check_informed(
    state: &CaseState,
    input: &StaffCaseInformedInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    staff_case(state)?;
    require_full_names(&input.informed, "wie is geïnformeerd")?;
    require_full_name(&input.informed_by, "het bestuurslid dat informeerde")?;
    require_text(
        &input.how,
        RuleId::R2,
        "how_required",
        "Vul in hoe is geïnformeerd (bijvoorbeeld in een gesprek op school).",
    )?;
    require_text(
        &input.notes,
        RuleId::R2,
        "notes_required",
        "Leg vast wat is verteld en hoe werd gereageerd.",
    )?;
    check_not_future(input.informed_at, now, RuleId::R2)
}

pub(crate) fn check_police_decision(
    state: &CaseState,
    input: &PoliceReportInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    staff_case(state)?;
    if !state.confidential_inspector_consulted() {
        return Err(Violation::new(
            RuleId::R2,
            "confidential_inspector_first",
            "Het bestuur overlegt eerst met de vertrouwensinspecteur (0900-1113111) en legt dat vast als consultatie.",
        ));
    }
    if input.made
        && (state.staff_case_parents_informed.is_empty()
            || state.suspected_staff_informed.is_empty())
    {
        return Err(Violation::new(
            RuleId::R2,
            "inform_before_police_report",
            "Informeer vóór de aangifte de ouders en de betrokken medewerker, en leg beide vast.",
        ));
    }
    require_text(
        &input.reasoning,
        RuleId::R2,
        "reasoning_required",
        if input.made {
            "Licht toe waarom het bestuur aangifte deed."
        } else {
            "Een besluit om geen aangifte te doen vraagt een toelichting van het bestuur."
        },
    )?;
    check_not_future(input.decided_at, now, RuleId::R2)
}

#[cfg(test)]
mod tests {
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};

    #[test]
    fn r2_confidential_inspector_needs_no_parental_consent() {
        let mut kit = staff_case_with_board_informed();
        kit.ok(BOARD, consultation_confidential_inspector(&kit));
        assert!(kit.state.confidential_inspector_consulted());
    }

    #[test]
    fn r2_staff_route_prompts_every_step_to_its_end() {
        let mut kit = staff_case_with_board_informed();
        assert!(kit
            .action_codes()
            .contains(&"consult_confidential_inspector".into()));
        kit.ok(BOARD, consultation_confidential_inspector(&kit));
        let after = kit.action_codes();
        for code in [
            "inform_parents_of_staff_case",
            "inform_suspected_staff",
            "police_report_decision",
        ] {
            assert!(after.contains(&code.into()), "{code} in {after:?}");
        }
        kit.ok(BOARD, staff_parents_informed(&kit));
        kit.ok(BOARD, suspected_staff_informed(&kit));
        kit.ok(BOARD, police_report(&kit, true));
        let done = kit.action_codes();
        assert!(done.contains(&"close_case".into()), "{done:?}");
        kit.ok(BOARD, close(CaseOutcome::StaffRouteCompleted));
    }

    #[test]
    fn r2_police_report_comes_after_informing_parents_and_the_employee() {
        let mut kit = staff_case_with_board_informed();
        assert_eq!(
            kit.refused(BOARD, police_report(&kit, true)),
            (RuleId::R2, "confidential_inspector_first".into())
        );
        kit.ok(BOARD, consultation_confidential_inspector(&kit));
        assert_eq!(
            kit.refused(BOARD, police_report(&kit, true)).1,
            "inform_before_police_report"
        );
        kit.ok(BOARD, staff_parents_informed(&kit));
        kit.ok(BOARD, suspected_staff_informed(&kit));
        kit.ok(BOARD, police_report(&kit, true));
    }

    #[test]
    fn r2_no_police_report_needs_the_boards_reasoning() {
        let mut kit = staff_case_with_board_informed();
        kit.ok(BOARD, consultation_confidential_inspector(&kit));
        let Command::RecordPoliceReportDecision(mut p) = police_report(&kit, false) else {
            unreachable!()
        };
        p.reasoning = " ".into();
        assert_eq!(
            kit.refused(BOARD, Command::RecordPoliceReportDecision(p)).1,
            "reasoning_required"
        );
        kit.ok(BOARD, police_report(&kit, false));
    }

    #[test]
    fn r2_staff_route_records_are_the_boards_and_only_in_a_staff_case() {
        let mut kit = Kit::opened();
        assert_eq!(
            kit.refused(COORDINATOR, staff_parents_informed(&kit)),
            (RuleId::R2, "not_staff_case".into())
        );
        let mut kit = staff_case_with_board_informed();
        assert_eq!(
            kit.refused(TEACHER, suspected_staff_informed(&kit)),
            (RuleId::R14, "lead_only".into())
        );
    }

    #[test]
    fn r15_staff_case_closes_only_when_its_route_is_complete() {
        let mut kit = staff_case_with_board_informed();
        assert_eq!(
            kit.refused(BOARD, close(CaseOutcome::Unfounded)),
            (RuleId::R2, "staff_route_open".into())
        );
        kit.ok(BOARD, consultation_confidential_inspector(&kit));
        kit.ok(BOARD, police_report(&kit, false));
        kit.ok(BOARD, close(CaseOutcome::StaffRouteCompleted));
    }
}
