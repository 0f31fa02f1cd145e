//! R2 Staff suspected: the board is told at once (art. 4a WPO; telling the school leader is not
//! enough), the board leads the case, and the suspected employee never sees it.

use super::check_not_future;
use crate::ids::UserId;
use crate::people::{looks_like_full_name, Actor};
use crate::records::{BoardInformedInput, StaffSuspicionInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

/// Whether `user` is the employee this case is about.
pub fn is_suspect(state: &CaseState, user: UserId) -> bool {
    state
        .staff_suspicion
        .as_ref()
        .is_some_and(|s| s.data.staff_user == user)
}

pub(crate) fn check_suspicion(
    state: &CaseState,
    actor: Actor,
    input: &StaffSuspicionInput,
) -> Result<(), Violation> {
    if state.is_staff_case() {
        return Err(Violation::new(
            RuleId::R2,
            "already_staff_case",
            "In dit dossier is het vermoeden tegen een medewerker al vastgelegd.",
        ));
    }
    if input.staff_user == actor.user_id {
        return Err(Violation::new(
            RuleId::R2,
            "self_suspicion",
            "U kunt uzelf niet als betrokken medewerker vastleggen. Neem contact op met het schoolbestuur.",
        ));
    }
    if !looks_like_full_name(&input.staff_name) {
        return Err(Violation::new(
            RuleId::R0,
            "full_name_required",
            "Vul de volledige naam van de medewerker in, geen initialen.",
        ));
    }
    require_text(
        &input.note,
        RuleId::R1,
        "facts_required",
        "Beschrijf kort de signalen die op de medewerker wijzen.",
    )
}

pub(crate) fn check_board_informed(
    state: &CaseState,
    input: &BoardInformedInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    if !state.is_staff_case() {
        return Err(Violation::new(
            RuleId::R2,
            "not_staff_case",
            "Het bestuur informeren hoort bij een vermoeden tegen een medewerker; dat is in dit dossier niet vastgelegd.",
        ));
    }
    require_text(
        &input.board_member,
        RuleId::R2,
        "board_member_required",
        "Vul in welk bestuurslid is geïnformeerd.",
    )?;
    require_text(
        &input.how,
        RuleId::R2,
        "how_required",
        "Vul in hoe het bestuur is geïnformeerd (bijvoorbeeld telefonisch).",
    )?;
    check_not_future(input.informed_at, now, RuleId::R2)
}

pub(crate) fn check_involve(state: &CaseState, user: UserId) -> Result<(), Violation> {
    if is_suspect(state, user) {
        return Err(Violation::new(
            RuleId::R2,
            "suspect_cannot_be_involved",
            "Deze medewerker is zelf betrokken bij het vermoeden en kan dit dossier niet zien.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::access::can_see;
    use crate::next_actions::next_actions;
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};

    fn suspect_teacher() -> Command {
        Command::SuspectStaff(StaffSuspicionInput {
            staff_user: OTHER_TEACHER.user_id,
            staff_name: "Bram Visser".into(),
            note: "Sanne vertelt dat meester Bram haar in de gymzaal pijn deed.".into(),
        })
    }

    #[test]
    fn r2_staff_suspected_case_is_invisible_to_the_suspect() {
        let mut kit = Kit::opened();
        kit.ok(
            COORDINATOR,
            Command::InvolveColleague {
                user: OTHER_TEACHER.user_id,
            },
        );
        assert!(can_see(&kit.state, OTHER_TEACHER));
        kit.ok(TEACHER, suspect_teacher());
        assert!(!can_see(&kit.state, OTHER_TEACHER));
        assert!(can_see(&kit.state, BOARD));
        assert!(can_see(&kit.state, TEACHER), "the recorder keeps seeing it");
    }

    #[test]
    fn r2_suspect_cannot_record_on_the_case() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, suspect_teacher());
        assert_eq!(kit.refused(OTHER_TEACHER, signal_own()).0, RuleId::R2);
    }

    #[test]
    fn r2_suspect_cannot_be_involved_again() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, suspect_teacher());
        assert_eq!(
            kit.refused(
                BOARD,
                Command::InvolveColleague {
                    user: OTHER_TEACHER.user_id
                }
            ),
            (RuleId::R2, "suspect_cannot_be_involved".into())
        );
    }

    #[test]
    fn r2_board_must_be_told_at_once() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, suspect_teacher());
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        let first = &actions[0];
        assert_eq!(
            (first.rule, first.code.as_str()),
            (RuleId::R2, "inform_board")
        );
        assert_eq!(first.due, Some(kit.today()));
        kit.ok(
            TEACHER,
            Command::RecordBoardInformed(BoardInformedInput {
                informed_at: kit.now,
                board_member: "Henk Mulder, voorzitter".into(),
                how: "telefonisch".into(),
            }),
        );
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().all(|a| a.code != "inform_board"));
        assert!(actions
            .iter()
            .any(|a| a.code == "consult_confidential_inspector"));
    }

    #[test]
    fn r2_board_leads_and_the_coordinator_is_bypassed() {
        let mut kit = Kit::opened();
        // The coordinator recorded advice before the suspicion, so may still read the case:
        // the refusal below is the lead-only rule, not the visibility one.
        prepare_weighing(&mut kit);
        kit.ok(TEACHER, suspect_teacher());
        assert!(can_see(&kit.state, COORDINATOR));
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None)),
            (RuleId::R14, "lead_only".into())
        );
        kit.ok(BOARD, assessment_2019(Answer::Yes, None, None));
    }

    #[test]
    fn r2_coordinator_not_involved_does_not_see_the_staff_case() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, suspect_teacher());
        assert!(!can_see(&kit.state, COORDINATOR));
        assert_eq!(
            kit.refused(COORDINATOR, consultation_internal()),
            (RuleId::R14, "not_involved".into())
        );
    }

    #[test]
    fn r2_board_informed_only_in_a_staff_case() {
        let mut kit = Kit::opened();
        let cmd = Command::RecordBoardInformed(BoardInformedInput {
            informed_at: kit.now,
            board_member: "Henk Mulder".into(),
            how: "telefonisch".into(),
        });
        assert_eq!(kit.refused(TEACHER, cmd).1, "not_staff_case");
    }
}
