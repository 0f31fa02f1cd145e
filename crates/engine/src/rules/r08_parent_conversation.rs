//! R8 Talking to the parent in five parts, recorded and signed where possible. A suspicion of
//! female genital mutilation or honour-related violence means urgent contact with Veilig Thuis
//! first: until that contact is recorded, nothing that involves the parent or moves the case on
//! is accepted. Recording why the parent is not told (R9) stays possible: it protects.

use super::check_not_future;
use super::r00_record::{require_full_name, require_full_names};
use crate::command::Command;
use crate::records::{ParentConversationInput, UrgentFlagInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

/// A drawn signature larger than this is not a signature.
const MAX_SIGNATURE_BYTES: usize = 512 * 1024;

pub(crate) fn check_urgent_route_first(
    state: &CaseState,
    command: &Command,
) -> Result<(), Violation> {
    let Some(flag) = state.urgent_flag_awaiting_vt() else {
        return Ok(());
    };
    let blocked = matches!(
        command,
        Command::RecordParentConversation(_)
            | Command::RecordConsent(_)
            | Command::RecordReportDiscussion(_)
            | Command::RecordAssessment { .. }
            | Command::RecordDecision(_)
            | Command::StartHelpPlan(_)
            | Command::ShareHelpPlan(_)
            | Command::RecordCareTeamIntake(_)
            | Command::InformParentsOfReport(_)
            | Command::CloseCase(_)
    );
    if blocked {
        return Err(Violation::new(
            RuleId::R8,
            "urgent_vt_contact_first",
            format!(
                "Er is een {}. Neem eerst met spoed contact op met Veilig Thuis (0800-2000) en leg dat vast. Een gesprek met de ouder kan het gevaar vergroten.",
                flag.data.kind.label_nl()
            ),
        ));
    }
    Ok(())
}

pub(crate) fn check_urgent_flag(input: &UrgentFlagInput) -> Result<(), Violation> {
    require_text(
        &input.reason,
        RuleId::R8,
        "reason_required",
        "Beschrijf kort waarop het vermoeden rust.",
    )
}

pub(crate) fn check_conversation(
    input: &ParentConversationInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    let r8 = RuleId::R8;
    if input.parents_present.iter().all(|p| p.trim().is_empty()) {
        return Err(Violation::new(
            r8,
            "parent_required",
            "Vul in welke ouder of verzorger bij het gesprek was.",
        ));
    }
    if input.staff_present.iter().all(|p| p.trim().is_empty()) {
        return Err(Violation::new(
            r8,
            "staff_required",
            "Vul in wie van de school het gesprek voerde.",
        ));
    }
    require_full_names(&input.parents_present, "de ouder of verzorger")?;
    require_full_names(&input.staff_present, "wie van de school het gesprek voerde")?;
    require_text(
        &input.purpose_explained,
        r8,
        "part1_purpose_required",
        "Deel 1: leg vast hoe u het doel van het gesprek hebt uitgelegd.",
    )?;
    require_text(
        &input.facts_described,
        r8,
        "part2_facts_required",
        "Deel 2: leg vast welke feiten en waarnemingen u hebt beschreven.",
    )?;
    require_text(
        &input.parent_reaction,
        r8,
        "part3_reaction_required",
        "Deel 3: leg de reactie van de ouder vast. Een interpretatie komt pas na die reactie.",
    )?;
    if input
        .interpretation
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        return Err(Violation::new(
            r8,
            "part4_interpretation_blank",
            "Deel 4: laat de interpretatie leeg als u die niet gaf, of schrijf op wat u zei.",
        ));
    }
    require_text(
        &input.record,
        r8,
        "part5_record_required",
        "Deel 5: leg het verloop en de afspraken van het gesprek vast.",
    )?;
    if input.signatures.is_empty() {
        return Err(Violation::new(
            r8,
            "signatures_required",
            "Laat het verslag ondertekenen door de aanwezigen, of leg per persoon vast waarom dat niet kon.",
        ));
    }
    if input.other_cause_found
        && input
            .other_cause
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
    {
        return Err(Violation::new(
            r8,
            "other_cause_required",
            "Beschrijf welke andere oorzaak voor de zorgen in het gesprek naar voren kwam.",
        ));
    }
    for s in &input.signatures {
        require_text(
            &s.signer_name,
            r8,
            "signer_required",
            "Vul bij elke handtekening de naam in.",
        )?;
        require_full_name(&s.signer_name, "wie tekent")?;
        let drawn = s.drawing.as_deref().is_some_and(|d| !d.trim().is_empty());
        let reason = s
            .not_signed_reason
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty());
        if drawn == reason {
            return Err(Violation::new(
                r8,
                "signature_or_reason",
                "Zet per persoon een handtekening, of leg vast waarom die persoon niet tekende.",
            ));
        }
        if s.drawing.as_deref().map_or(0, str::len) > MAX_SIGNATURE_BYTES {
            return Err(Violation::new(
                r8,
                "signature_too_large",
                "De handtekening is te groot om op te slaan. Probeer het opnieuw.",
            ));
        }
    }
    check_not_future(input.held_at, now, r8)
}

/// The name a person is known by in the record, without a function after a comma.
fn person(name: &str) -> String {
    name.split(',')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// "Laat het indien mogelijk ondertekenen door alle betrokkenen": everyone present signs, or the
/// record says why they did not.
pub(crate) fn check_signed_by_all(input: &ParentConversationInput) -> Result<(), Violation> {
    let signed: Vec<String> = input
        .signatures
        .iter()
        .map(|s| person(&s.signer_name))
        .collect();
    let missing: Vec<&String> = input
        .parents_present
        .iter()
        .chain(&input.staff_present)
        .filter(|p| !p.trim().is_empty() && !signed.contains(&person(p)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|m| m.trim()).collect();
    Err(Violation::new(
        RuleId::R8,
        "everyone_signs",
        format!(
            "Iedereen die bij het gesprek was tekent, of u legt vast waarom niet. Nog niet: {}.",
            names.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use crate::records::*;
    use crate::testkit::*;
    use crate::urgent::UrgentKind;
    use crate::{Command, RuleId};

    fn conv(f: impl FnOnce(&mut ParentConversationInput)) -> Command {
        let Command::RecordParentConversation(mut c) = conversation() else {
            unreachable!()
        };
        f(&mut c);
        Command::RecordParentConversation(c)
    }

    fn flag(kind: UrgentKind) -> Command {
        Command::RaiseUrgentFlag(UrgentFlagInput {
            kind,
            reason: "Sanne vertelt over een lange reis naar familie 'om vrouw te worden'.".into(),
        })
    }

    #[test]
    fn r8_conversation_needs_all_five_parts() {
        let mut kit = Kit::opened();
        assert_eq!(
            kit.refused(TEACHER, conv(|c| c.purpose_explained.clear()))
                .1,
            "part1_purpose_required"
        );
        assert_eq!(
            kit.refused(TEACHER, conv(|c| c.facts_described.clear())).1,
            "part2_facts_required"
        );
        assert_eq!(
            kit.refused(TEACHER, conv(|c| c.parent_reaction.clear())).1,
            "part3_reaction_required"
        );
        assert_eq!(
            kit.refused(TEACHER, conv(|c| c.record.clear())).1,
            "part5_record_required"
        );
        kit.ok(TEACHER, conv(|c| c.interpretation = None));
    }

    #[test]
    fn r8_each_person_signs_or_the_reason_is_recorded() {
        let mut kit = Kit::opened();
        assert_eq!(
            kit.refused(TEACHER, conv(|c| c.signatures.clear())).1,
            "signatures_required"
        );
        assert_eq!(
            kit.refused(TEACHER, conv(|c| c.signatures[0].drawing = None))
                .1,
            "signature_or_reason"
        );
        kit.ok(
            TEACHER,
            conv(|c| {
                c.signatures[0].drawing = None;
                c.signatures[0].not_signed_reason = Some("Moeder wilde niet tekenen.".into());
            }),
        );
    }

    #[test]
    fn r8_fgm_suspicion_means_urgent_vt_contact_before_the_parent_conversation() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, flag(UrgentKind::FemaleGenitalMutilation));
        assert_eq!(
            kit.refused(TEACHER, conversation()),
            (RuleId::R8, "urgent_vt_contact_first".into())
        );
        assert_eq!(kit.refused(COORDINATOR, consent(true)).0, RuleId::R8);
        kit.ok(TEACHER, advice());
        kit.ok(TEACHER, conversation());
    }

    #[test]
    fn r8_honour_related_violence_blocks_the_weighing_until_vt_is_contacted() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(TEACHER, flag(UrgentKind::HonourRelatedViolence));
        assert_eq!(
            kit.refused(COORDINATOR, assessment_2019(Answer::Yes, None, None))
                .0,
            RuleId::R8
        );
        let actions = crate::next_actions::next_actions(&kit.state, kit.policy, kit.now);
        assert_eq!(actions[0].code, "contact_vt_urgently");
    }

    #[test]
    fn r8_suspicion_raised_in_the_conversation_flags_the_case() {
        let mut kit = Kit::opened();
        kit.ok(
            TEACHER,
            conv(|c| c.urgent_suspicion = Some(UrgentKind::HonourRelatedViolence)),
        );
        assert_eq!(
            kit.state.urgent_kinds(),
            vec![UrgentKind::HonourRelatedViolence]
        );
        assert!(kit.state.urgent_flag_awaiting_vt().is_some());
    }

    #[test]
    fn r8_parent_conversation_is_signed_by_everyone_present() {
        let mut kit = Kit::opened();
        let refused = kit
            .try_as(
                TEACHER,
                conv(|c| {
                    c.staff_present
                        .push("Anouk Jansen, intern begeleider".into())
                }),
            )
            .expect_err("a person present did not sign");
        assert_eq!(
            (refused.rule, refused.code.as_str()),
            (RuleId::R8, "everyone_signs")
        );
        assert!(refused.message.contains("Anouk Jansen"));
        kit.ok(
            TEACHER,
            conv(|c| {
                c.staff_present
                    .push("Anouk Jansen, intern begeleider".into());
                c.signatures.push(Signature {
                    signer_name: "Anouk Jansen".into(),
                    signer_role: "intern begeleider".into(),
                    drawing: None,
                    not_signed_reason: Some("Moest direct weg naar een leerling.".into()),
                });
            }),
        );
    }

    #[test]
    fn r8_other_cause_found_names_the_cause() {
        let mut kit = Kit::opened();
        assert_eq!(
            kit.refused(TEACHER, conv(|c| c.other_cause_found = true)).1,
            "other_cause_required"
        );
        kit.ok(
            TEACHER,
            conv(|c| {
                c.other_cause_found = true;
                c.other_cause = Some("Eczeem; de huisarts behandelt het.".into());
            }),
        );
        assert_eq!(
            kit.state.other_cause(),
            Some("Eczeem; de huisarts behandelt het.")
        );
    }
}
