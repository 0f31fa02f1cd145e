//! R4 Consent: discussing the pupil openly with the care team or other external experts needs
//! the parent's written consent; without it only an anonymous discussion can be recorded. A
//! refusal is a concern carried into the weighing (see `next_actions` and `AssessmentBasis`).

use super::check_not_future;
use crate::records::{ConsentInput, ConsultationInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_open_discussion_allowed(
    state: &CaseState,
    input: &ConsultationInput,
) -> Result<(), Violation> {
    match input.partner.consent_scope() {
        Some(scope) if !input.anonymous && !state.has_written_consent(scope) => {
            Err(Violation::new(
                RuleId::R4,
                "written_consent_required",
                "Zonder schriftelijke toestemming van de ouder kunt u de leerling alleen anoniem bespreken met externe deskundigen of in het zorgadviesteam. Kies 'anoniem' of leg eerst de toestemming vast.",
            ))
        }
        _ => Ok(()),
    }
}

pub(crate) fn check_consent(input: &ConsentInput, now: DateTime<Utc>) -> Result<(), Violation> {
    require_text(
        &input.parent_name,
        RuleId::R4,
        "parent_required",
        "Vul in welke ouder of verzorger toestemming gaf of weigerde.",
    )?;
    if input.scopes.is_empty() {
        return Err(Violation::new(
            RuleId::R4,
            "scope_required",
            "Geef aan waarvoor de toestemming geldt (bijvoorbeeld het zorgadviesteam).",
        ));
    }
    check_not_future(input.asked_at, now, RuleId::R4)
}

#[cfg(test)]
mod tests {
    use crate::event::EventPayload;
    use crate::next_actions::next_actions;
    use crate::records::*;
    use crate::testkit::*;
    use crate::RuleId;

    #[test]
    fn r4_open_care_team_discussion_without_written_consent_is_refused() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        assert_eq!(
            kit.refused(COORDINATOR, consultation_care_team(false)),
            (RuleId::R4, "written_consent_required".into())
        );
    }

    #[test]
    fn r4_anonymous_care_team_discussion_is_allowed_without_consent() {
        let mut kit = Kit::opened();
        kit.ok(COORDINATOR, consultation_care_team(true));
    }

    #[test]
    fn r4_written_consent_allows_the_open_discussion() {
        let mut kit = Kit::opened();
        kit.ok(COORDINATOR, consent(true));
        kit.ok(COORDINATOR, consultation_care_team(false));
    }

    #[test]
    fn r4_verbal_consent_is_not_enough() {
        let mut kit = Kit::opened();
        let crate::Command::RecordConsent(mut c) = consent(true) else {
            unreachable!()
        };
        c.written = false;
        kit.ok(COORDINATOR, crate::Command::RecordConsent(c));
        assert_eq!(
            kit.refused(COORDINATOR, consultation_care_team(false)).0,
            RuleId::R4
        );
    }

    #[test]
    fn r4_withdrawn_consent_closes_the_open_discussion_again() {
        let mut kit = Kit::opened();
        kit.ok(COORDINATOR, consent(true));
        kit.ok(COORDINATOR, consent(false));
        assert_eq!(
            kit.refused(COORDINATOR, consultation_care_team(false)).0,
            RuleId::R4
        );
    }

    #[test]
    fn r4_refused_consent_is_carried_into_the_weighing() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(COORDINATOR, consent(false));
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().any(|a| a.code == "weigh_consent_refusal"));
        let events = kit.ok(
            COORDINATOR,
            assessment_2019(Answer::No, Some(true), Some(true)),
        );
        let EventPayload::AssessmentRecorded(a) = &events[0].payload else {
            panic!("expected an assessment")
        };
        assert!(a.basis.consent_refused);
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        assert!(actions.iter().all(|a| a.code != "weigh_consent_refusal"));
    }
}
