//! R0 Record everything, for copies too: a copy of the dossier (the full dossier for Veilig
//! Thuis, the Inspectie or a transfer, or the parent's inspection copy) leaves the school only
//! through the case lead or the director, and the copy is itself a record: who made which copy,
//! for whom and when, covering which records. A closed case can still be copied; that is when
//! it is asked for most.

use crate::people::{Actor, Role};
use crate::records::{ExportCopy, ExportInput, ExportRecipient};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::Violation;

/// Whether `actor` may make a copy of this case: the case lead (coordinator, or the board in a
/// staff case) or the director.
pub fn may_export(state: &CaseState, actor: Actor) -> bool {
    actor.role == state.lead_role() || actor.role == Role::Director
}

/// The checks on a copy's record; the store runs them before it writes the copy.
pub fn check(state: &CaseState, actor: Actor, input: &ExportInput) -> Result<(), Violation> {
    if !may_export(state, actor) {
        return Err(Violation::new(
            RuleId::R14,
            "export_not_allowed",
            "Een kopie van het dossier maakt de intern begeleider of de directeur.",
        ));
    }
    let hex = input.head.len() == 64 && input.head.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex || input.records == 0 {
        return Err(Violation::new(
            RuleId::R0,
            "export_without_head",
            "Een kopie noemt hoeveel records zij bevat en de controlecode daarover.",
        ));
    }
    if input.copy == ExportCopy::Full && input.masked > 0 {
        return Err(Violation::new(
            RuleId::R0,
            "full_copy_masked",
            "Een volledig dossier laat niets weg; kies de inzagekopie om delen weg te laten.",
        ));
    }
    if input.recipient == ExportRecipient::Other
        && input
            .recipient_note
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
    {
        return Err(Violation::new(
            RuleId::R0,
            "recipient_required",
            "Vul in voor wie de kopie is.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};

    fn export(copy: ExportCopy, recipient: ExportRecipient, masked: u32) -> Command {
        Command::RecordExport(ExportInput {
            copy,
            recipient,
            recipient_note: None,
            records: 3,
            head: "ab".repeat(32),
            masked,
        })
    }

    #[test]
    fn r0_export_is_a_record_by_the_lead_or_the_director_also_on_a_closed_case() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            kit.refused(
                TEACHER,
                export(ExportCopy::Full, ExportRecipient::VeiligThuis, 0)
            ),
            (RuleId::R14, "export_not_allowed".into())
        );
        kit.ok(
            COORDINATOR,
            export(ExportCopy::Full, ExportRecipient::VeiligThuis, 0),
        );
        kit.ok(COORDINATOR, close(CaseOutcome::Unfounded));
        kit.ok(
            DIRECTOR,
            export(ExportCopy::Inzage, ExportRecipient::Parent, 2),
        );
    }

    #[test]
    fn r0_export_names_what_it_covers_and_masks_only_the_inzage_copy() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let Command::RecordExport(mut input) =
            export(ExportCopy::Full, ExportRecipient::Inspectie, 0)
        else {
            unreachable!()
        };
        input.head = "not a hash".into();
        assert_eq!(
            kit.refused(COORDINATOR, Command::RecordExport(input)).1,
            "export_without_head"
        );
        assert_eq!(
            kit.refused(
                COORDINATOR,
                export(ExportCopy::Full, ExportRecipient::Inspectie, 1)
            )
            .1,
            "full_copy_masked"
        );
        assert_eq!(
            kit.refused(
                COORDINATOR,
                export(ExportCopy::Full, ExportRecipient::Other, 0)
            )
            .1,
            "recipient_required"
        );
    }

    #[test]
    fn r0_export_is_never_offered_as_a_form() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let offered = crate::rules::r14_roles::permitted_commands(&kit.state, COORDINATOR);
        assert!(!offered.contains(&"record_export"));
    }
}
