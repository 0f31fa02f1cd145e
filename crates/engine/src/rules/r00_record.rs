//! R0 Record everything: records have an author and a time, are never edited or deleted, and a
//! correction is a new record pointing at the one it corrects. Names are full names.

use crate::command::Command;
use crate::people::{looks_like_full_name, Actor, Parent, Pupil};
use crate::records::CorrectionInput;
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_case_exists(state: &CaseState, command: &Command) -> Result<(), Violation> {
    match (command, state.case_id.is_some()) {
        (Command::OpenCase { .. }, true) => Err(Violation::new(
            RuleId::R0,
            "case_already_open",
            "Dit dossier is al geopend.",
        )),
        (Command::OpenCase { .. }, false) | (_, true) => Ok(()),
        (_, false) => Err(Violation::new(
            RuleId::R0,
            "case_not_opened",
            "Dit dossier bestaat nog niet. Begin met een nieuwe signalering.",
        )),
    }
}

pub(crate) fn check_open_case(
    pupil: &Pupil,
    parents: &[Parent],
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    if !looks_like_full_name(&pupil.full_name) {
        return Err(Violation::new(
            RuleId::R0,
            "full_name_required",
            "Vul de volledige naam van de leerling in (voornaam en achternaam), geen initialen.",
        ));
    }
    require_text(
        &pupil.group,
        RuleId::R0,
        "group_required",
        "Vul de groep of klas van de leerling in.",
    )?;
    if pupil.date_of_birth.is_some_and(|d| d > now.date_naive()) {
        return Err(Violation::new(
            RuleId::R0,
            "birth_date_in_future",
            "De geboortedatum ligt in de toekomst.",
        ));
    }
    for parent in parents {
        if !looks_like_full_name(&parent.full_name) {
            return Err(Violation::new(
                RuleId::R0,
                "full_name_required",
                "Vul de volledige naam van de ouder of verzorger in, geen initialen.",
            ));
        }
    }
    Ok(())
}

/// Full names, never initials that nobody can read back years later: wherever a person is
/// named (a signal's source, consultation partners, participants, signers, the case manager,
/// board members). A function may follow the name after a comma.
pub(crate) fn require_full_name(name: &str, who: &str) -> Result<(), Violation> {
    let person = name.split(',').next().unwrap_or_default();
    if looks_like_full_name(person) {
        Ok(())
    } else {
        Err(Violation::new(
            RuleId::R0,
            "full_name_required",
            format!("Vul de volledige naam in van {who} (voornaam en achternaam), geen initialen."),
        ))
    }
}

/// At least one person, each with a full name.
pub(crate) fn require_full_names(names: &[String], who: &str) -> Result<(), Violation> {
    let named: Vec<&String> = names.iter().filter(|n| !n.trim().is_empty()).collect();
    if named.is_empty() {
        return Err(Violation::new(
            RuleId::R0,
            "names_required",
            format!("Vul de namen in van {who}."),
        ));
    }
    named
        .into_iter()
        .try_for_each(|n| require_full_name(n, who))
}

pub(crate) fn check_correction(
    state: &CaseState,
    actor: Actor,
    input: &CorrectionInput,
) -> Result<(), Violation> {
    let Some(target) = state.timeline.iter().find(|t| t.id == input.corrects) else {
        return Err(Violation::new(
            RuleId::R0,
            "unknown_record",
            "De aantekening die u wilt corrigeren staat niet in dit dossier.",
        ));
    };
    if target.author != actor.user_id && actor.role != state.lead_role() {
        return Err(Violation::new(
            RuleId::R14,
            "not_your_record",
            "U kunt alleen uw eigen aantekeningen corrigeren. Vraag de intern begeleider om deze correctie.",
        ));
    }
    require_text(
        &input.reason,
        RuleId::R0,
        "reason_required",
        "Geef aan waarom u deze aantekening corrigeert.",
    )?;
    require_text(
        &input.corrected_text,
        RuleId::R0,
        "correction_required",
        "Schrijf de verbeterde tekst volledig op.",
    )
}

#[cfg(test)]
mod tests {
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};

    #[test]
    fn r0_every_record_has_author_and_time() {
        let mut kit = Kit::opened();
        let events = kit.ok(TEACHER, signal_own());
        let e = &events[0];
        assert_eq!(e.author, TEACHER.user_id);
        assert_eq!(e.recorded_at, kit.now);
        assert!(kit.state.timeline.iter().all(|t| t.recorded_at <= kit.now));
    }

    #[test]
    fn r0_correction_is_a_new_record_and_leaves_the_original() {
        let mut kit = Kit::opened();
        let original = kit.ok(TEACHER, signal_own())[0].clone();
        let before = kit.state.signals[0].clone();
        kit.ok(
            TEACHER,
            Command::CorrectRecord(CorrectionInput {
                corrects: original.id,
                reason: "Verkeerde dag genoteerd".into(),
                corrected_text: "Het was dinsdag, niet maandag.".into(),
            }),
        );
        assert_eq!(
            kit.state.signals[0], before,
            "the original record is unchanged"
        );
        let entry = kit
            .state
            .timeline
            .iter()
            .find(|t| t.id == original.id)
            .unwrap();
        assert_eq!(entry.corrected_by.len(), 1);
    }

    #[test]
    fn r0_correction_of_unknown_record_is_refused() {
        let mut kit = Kit::opened();
        let err = kit
            .try_as(
                TEACHER,
                Command::CorrectRecord(CorrectionInput {
                    corrects: crate::EventId::from_u128(42),
                    reason: "x".into(),
                    corrected_text: "y".into(),
                }),
            )
            .unwrap_err();
        assert_eq!(
            (err.rule, err.code.as_str()),
            (RuleId::R0, "unknown_record")
        );
    }

    #[test]
    fn r0_correction_without_reason_is_refused() {
        let mut kit = Kit::opened();
        let original = kit.ok(TEACHER, signal_own())[0].id;
        let err = kit
            .try_as(
                TEACHER,
                Command::CorrectRecord(CorrectionInput {
                    corrects: original,
                    reason: "  ".into(),
                    corrected_text: "y".into(),
                }),
            )
            .unwrap_err();
        assert_eq!(err.code, "reason_required");
    }

    #[test]
    fn r0_teacher_cannot_correct_a_colleagues_record() {
        let mut kit = Kit::opened();
        let theirs = kit.ok(COORDINATOR, consultation_internal())[0].id;
        let err = kit
            .try_as(
                TEACHER,
                Command::CorrectRecord(CorrectionInput {
                    corrects: theirs,
                    reason: "x".into(),
                    corrected_text: "y".into(),
                }),
            )
            .unwrap_err();
        assert_eq!(err.rule, RuleId::R14);
    }

    #[test]
    fn r0_initials_instead_of_full_name_are_refused() {
        let mut kit = Kit::new();
        let mut pupil = pupil();
        pupil.full_name = "S.d.V.".into();
        let err = kit
            .try_as(
                TEACHER,
                Command::OpenCase {
                    pupil,
                    parents: vec![],
                },
            )
            .unwrap_err();
        assert_eq!(
            (err.rule, err.code.as_str()),
            (RuleId::R0, "full_name_required")
        );
    }

    #[test]
    fn r0_full_names_everywhere_a_person_is_named() {
        use crate::signal::SignalSource;
        let mut kit = Kit::opened();
        let Command::RecordSignal(mut s) = signal_from_other() else {
            unreachable!()
        };
        s.source = SignalSource::Other {
            who: "P. B.".into(),
            relation: "overblijfkracht".into(),
        };
        assert_eq!(
            kit.refused(TEACHER, Command::RecordSignal(s)),
            (RuleId::R0, "full_name_required".into())
        );
        let Command::RecordConsultation(mut c) = consultation_internal() else {
            unreachable!()
        };
        c.partner_name = "AJ".into();
        assert_eq!(
            kit.refused(TEACHER, Command::RecordConsultation(c)).1,
            "full_name_required"
        );
        let Command::RecordParentConversation(mut c) = conversation() else {
            unreachable!()
        };
        c.parents_present = vec!["M. de V.".into()];
        assert_eq!(
            kit.refused(TEACHER, Command::RecordParentConversation(c)).1,
            "full_name_required"
        );
        let Command::RecordConsent(mut c) = consent(true) else {
            unreachable!()
        };
        c.parent_name = "moeder".into();
        assert_eq!(
            kit.refused(COORDINATOR, Command::RecordConsent(c)).1,
            "full_name_required"
        );
        // A function after the name is fine.
        kit.ok(TEACHER, consultation_internal());
    }

    #[test]
    fn r0_full_names_of_case_manager_board_member_and_signers() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let Command::RecordParentConversation(mut c) = conversation() else {
            unreachable!()
        };
        c.signatures[0].signer_name = "MdV".into();
        assert_eq!(
            kit.refused(TEACHER, Command::RecordParentConversation(c)).1,
            "full_name_required"
        );
        let mut kit = help_decided();
        let d = kit.today() + chrono::Duration::days(14);
        let Command::StartHelpPlan(mut p) = help_plan(vec![d], d) else {
            unreachable!()
        };
        p.case_manager = "Anouk".into();
        assert_eq!(
            kit.refused(COORDINATOR, Command::StartHelpPlan(p)).1,
            "full_name_required"
        );
        let mut kit = Kit::opened();
        kit.ok(TEACHER, suspect_other_teacher());
        let cmd = Command::RecordBoardInformed(BoardInformedInput {
            informed_at: kit.now,
            board_member: "Henk".into(),
            how: "telefonisch".into(),
        });
        assert_eq!(kit.refused(TEACHER, cmd).1, "full_name_required");
    }

    #[test]
    fn r0_nothing_can_be_recorded_before_the_case_is_opened() {
        let mut kit = Kit::new();
        let err = kit.try_as(TEACHER, signal_own()).unwrap_err();
        assert_eq!(err.code, "case_not_opened");
    }

    #[test]
    fn r0_replaying_the_same_event_twice_changes_nothing() {
        let mut kit = Kit::opened();
        let events = kit.ok(TEACHER, signal_own());
        let again = kit.state.clone().evolve(&events[0]);
        assert_eq!(again, kit.state);
    }
}
