//! R3 Consultation (step 2): talk the signals through with a knowledgeable colleague or the
//! care team. Prompted after the first signal; the record needs who and what was said.

use super::check_not_future;
use super::r00_record::{require_full_name, require_full_names};
use crate::records::{CareTeamIntakeInput, ConsultPartner, ConsultationInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

/// Partners that are organisations rather than one person: the name is the team's.
fn is_team(partner: ConsultPartner) -> bool {
    matches!(
        partner,
        ConsultPartner::CareTeam | ConsultPartner::YouthAndFamilyCentre
    )
}

pub(crate) fn check_consultation(
    state: &CaseState,
    input: &ConsultationInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    require_text(
        &input.partner_name,
        RuleId::R3,
        "partner_required",
        "Vul in met wie u de signalen besprak (naam en functie).",
    )?;
    if !is_team(input.partner) {
        require_full_name(&input.partner_name, "met wie u overlegde")?;
    }
    if input.partner == ConsultPartner::ConfidentialInspector && !state.is_staff_case() {
        return Err(Violation::new(
            RuleId::R2,
            "not_staff_case",
            "De vertrouwensinspecteur raadpleegt het bestuur bij een vermoeden tegen een medewerker; dat is in dit dossier niet vastgelegd. Kies een andere gesprekspartner.",
        ));
    }
    require_text(
        &input.summary,
        RuleId::R3,
        "summary_required",
        "Vat samen wat er besproken is.",
    )?;
    check_not_future(input.held_at, now, RuleId::R3)
}

/// The intake with the parent and/or teacher before a discussion in the care team (ZAT).
pub(crate) fn check_care_team_intake(
    input: &CareTeamIntakeInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    require_full_name(&input.intake_by, "wie de intake hield")?;
    require_full_names(&input.participants, "wie aan de intake deelnamen")?;
    require_text(
        &input.notes,
        RuleId::R3,
        "notes_required",
        "Leg vast wat er in de intake is besproken en afgesproken.",
    )?;
    check_not_future(input.held_at, now, RuleId::R3)
}

#[cfg(test)]
mod tests {
    use crate::next_actions::next_actions;
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};

    #[test]
    fn r3_consultation_is_prompted_after_the_first_signal() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().any(|a| a.rule == RuleId::R3));
        kit.ok(TEACHER, consultation_internal());
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().all(|a| a.rule != RuleId::R3));
    }

    #[test]
    fn r3_consultation_needs_a_partner_and_a_summary() {
        let mut kit = Kit::opened();
        let Command::RecordConsultation(mut c) = consultation_internal() else {
            unreachable!()
        };
        c.partner_name = "".into();
        assert_eq!(
            kit.refused(TEACHER, Command::RecordConsultation(c.clone())),
            (RuleId::R3, "partner_required".into())
        );
        c.partner_name = "Anouk Jansen".into();
        c.summary = " ".into();
        assert_eq!(
            kit.refused(TEACHER, Command::RecordConsultation(c)).1,
            "summary_required"
        );
    }

    #[test]
    fn r3_teacher_may_consult_a_class_colleague_openly() {
        let mut kit = Kit::opened();
        let Command::RecordConsultation(mut c) = consultation_internal() else {
            unreachable!()
        };
        c.partner = ConsultPartner::ClassColleague;
        kit.ok(TEACHER, Command::RecordConsultation(c));
        assert_eq!(kit.state.consultations.len(), 1);
    }

    #[test]
    fn r3_care_team_intake_is_a_record_and_is_prompted_after_consent() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(COORDINATOR, consent(true));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().any(|a| a.code == "care_team_intake"));
        kit.ok(TEACHER, care_team_intake(&kit));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().all(|a| a.code != "care_team_intake"));
        assert_eq!(kit.state.care_team_intakes.len(), 1);
    }

    #[test]
    fn r3_consultation_is_due_within_five_working_days_of_the_first_signal() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let consult = next_actions(&kit.state, kit.policy, kit.now)
            .into_iter()
            .find(|a| a.code == "consult_colleague")
            .expect("consultation prompted");
        // t0 is Monday 2 March 2026: five working days later is Monday 9 March.
        assert_eq!(consult.due, chrono::NaiveDate::from_ymd_opt(2026, 3, 9));
        kit.advance(chrono::Duration::days(8));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions
            .iter()
            .any(|a| a.code == "consult_colleague" && a.overdue));
        let escalate = actions
            .iter()
            .find(|a| a.code == "escalate_to_director")
            .expect("an overdue case goes to the director");
        assert_eq!(
            (escalate.rule, escalate.by),
            (RuleId::R14, Some(crate::Role::Director))
        );
    }
}
