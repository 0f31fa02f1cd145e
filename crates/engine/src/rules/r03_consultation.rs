//! R3 Consultation (step 2): talk the signals through with a knowledgeable colleague or the
//! care team. Prompted after the first signal; the record needs who and what was said.

use super::check_not_future;
use crate::records::ConsultationInput;
use crate::rule::RuleId;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_consultation(
    input: &ConsultationInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    require_text(
        &input.partner_name,
        RuleId::R3,
        "partner_required",
        "Vul in met wie u de signalen besprak (naam en functie).",
    )?;
    require_text(
        &input.summary,
        RuleId::R3,
        "summary_required",
        "Vat samen wat er besproken is.",
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
}
