//! R14 Roles: teachers record signals, consult and carry out agreements; the coordinator
//! coordinates, weighs, decides and reports (the board does so in a staff case, R2). Nobody
//! acts on a case they may not see. The school never establishes abuse: no record is worded as a
//! diagnosis (the catalogue and texts are tested for that).

use crate::access::can_see;
use crate::command::Command;
use crate::people::{Actor, Role};
use crate::rule::RuleId;
use crate::rules::r02_staff_suspected::is_suspect;
use crate::state::CaseState;
use crate::violation::Violation;

/// Commands reserved for the case lead: the coordinator, or the board in a staff case. By kind,
/// so that the app can show each person only the actions open to them.
const LEAD_ONLY: [&str; 20] = [
    "consider_risk_index",
    "record_exception_ground",
    "record_assessment",
    "record_decision",
    "start_help_plan",
    "end_help_plan",
    "record_report_discussion",
    "record_follow_up",
    "involve_colleague",
    "close_case",
    "make_report",
    "inform_parents_of_staff_case",
    "inform_suspected_staff",
    "record_police_report_decision",
    "record_other_cause",
    "record_advice_skipped",
    "inform_parents_of_report",
    "record_evaluation",
    "resolve_conflict",
    "record_pupil_left",
];

/// The board's steps of the staff route (WPO art. 4a): offered in a staff case only.
const STAFF_ROUTE: [&str; 3] = [
    "inform_parents_of_staff_case",
    "inform_suspected_staff",
    "record_police_report_decision",
];

fn lead_only(state: &CaseState, kind: &str) -> bool {
    // In an emergency whoever is there may make the first report, in the same call (R7).
    if kind == "make_report" && state.emergency_report_pending() {
        return false;
    }
    LEAD_ONLY.contains(&kind)
}

/// The commands `actor` may give on this case as far as roles and visibility go (R2, R14); the
/// other rules still decide on each command's content and timing. Empty for a case they may not
/// see; on a closed case only the lead's record that the pupil left (once).
pub fn permitted_commands(state: &CaseState, actor: Actor) -> Vec<&'static str> {
    if state.case_id.is_none() || !can_see(state, actor) {
        return Vec::new();
    }
    if state.closed.is_some() {
        return if actor.role == state.lead_role() && state.pupil_left.is_none() {
            vec!["record_pupil_left"]
        } else {
            Vec::new()
        };
    }
    Command::KINDS
        .into_iter()
        // A copy is recorded by the store as it writes one (`r00_export`), never from a form.
        .filter(|kind| !matches!(*kind, "open_case" | "record_export"))
        .filter(|kind| !lead_only(state, kind) || actor.role == state.lead_role())
        .filter(|kind| state.is_staff_case() || !STAFF_ROUTE.contains(kind))
        .collect()
}

pub(crate) fn check_permission(
    state: &CaseState,
    actor: Actor,
    command: &Command,
) -> Result<(), Violation> {
    if state.case_id.is_some() && !can_see(state, actor) {
        return Err(if is_suspect(state, actor.user_id) {
            Violation::new(
                RuleId::R2,
                "not_visible",
                "U heeft geen toegang tot dit dossier.",
            )
        } else {
            Violation::new(
                RuleId::R14,
                "not_involved",
                "U bent niet betrokken bij dit dossier. Overleg met de intern begeleider.",
            )
        });
    }
    if lead_only(state, command.kind()) && actor.role != state.lead_role() {
        let who = match state.lead_role() {
            Role::Board => "het schoolbestuur",
            _ => "de intern begeleider",
        };
        return Err(Violation::new(
            RuleId::R14,
            "lead_only",
            format!(
                "Deze stap is voor {who}. U kunt de signalen wel vastleggen en met hen overleggen."
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::access::can_see;
    use crate::testkit::*;
    use crate::RuleId;

    #[test]
    fn r14_permitted_commands_follow_the_role() {
        use super::permitted_commands;
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let teacher = permitted_commands(&kit.state, TEACHER);
        assert!(teacher.contains(&"record_consultation"));
        assert!(teacher.contains(&"record_parent_conversation"));
        for lead in [
            "record_assessment",
            "record_decision",
            "make_report",
            "close_case",
        ] {
            assert!(!teacher.contains(&lead), "{lead}");
        }
        let coordinator = permitted_commands(&kit.state, COORDINATOR);
        assert!(coordinator.contains(&"record_decision") && coordinator.contains(&"make_report"));
        assert!(permitted_commands(&kit.state, OTHER_TEACHER).is_empty());
    }

    /// The kinds are plain strings, so a typo would silently free a lead-only step: every name
    /// must be one of serde's own variant names of `Command`, and `KINDS` must be all of them.
    #[test]
    fn r14_kind_lists_match_the_command_enum() {
        use crate::command::Command;
        let err = serde_json::from_str::<Command>(r#"{"type":"?"}"#)
            .expect_err("no such command")
            .to_string();
        let listed = err
            .split("expected one of ")
            .nth(1)
            .expect("serde lists the variants");
        let variants: Vec<&str> = listed
            .split(", ")
            .map(|v| v.trim_matches(|c: char| c == '`' || !c.is_ascii_graphic()))
            .map(|v| v.split('`').next().unwrap_or(v))
            .collect();
        assert_eq!(variants, Command::KINDS.to_vec());
        for kind in super::LEAD_ONLY.iter().chain(&super::STAFF_ROUTE) {
            assert!(Command::KINDS.contains(kind), "{kind}");
        }
    }

    #[test]
    fn r14_teacher_records_and_consults() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, consultation_internal());
        kit.ok(TEACHER, advice());
    }

    #[test]
    fn r14_teacher_cannot_weigh_decide_or_report() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        assert_eq!(
            kit.refused(
                TEACHER,
                assessment_2019(crate::records::Answer::Yes, None, None)
            ),
            (RuleId::R14, "lead_only".into())
        );
        kit.ok(
            COORDINATOR,
            assessment_2019(crate::records::Answer::Yes, None, None),
        );
        assert_eq!(kit.refused(TEACHER, decision(true, false)).0, RuleId::R14);
        kit.ok(COORDINATOR, decision(true, false));
        kit.ok(COORDINATOR, discussion());
        assert_eq!(kit.refused(TEACHER, report()).0, RuleId::R14);
        assert_eq!(
            kit.refused(TEACHER, close(crate::records::CaseOutcome::Unfounded))
                .0,
            RuleId::R14
        );
    }

    #[test]
    fn r14_teacher_sees_only_cases_they_are_involved_in() {
        let mut kit = Kit::opened();
        assert!(can_see(&kit.state, TEACHER));
        assert!(!can_see(&kit.state, OTHER_TEACHER));
        assert!(can_see(&kit.state, COORDINATOR));
        assert!(can_see(&kit.state, DIRECTOR));
        assert!(
            !can_see(&kit.state, BOARD),
            "the board sees staff cases only"
        );
        assert_eq!(
            kit.refused(OTHER_TEACHER, signal_own()),
            (RuleId::R14, "not_involved".into())
        );
        kit.ok(
            COORDINATOR,
            crate::Command::InvolveColleague {
                user: OTHER_TEACHER.user_id,
            },
        );
        assert!(can_see(&kit.state, OTHER_TEACHER));
    }
}
