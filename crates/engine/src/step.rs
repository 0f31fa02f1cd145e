//! Where a case stands in the five steps: the furthest step with a record in it.

use crate::state::CaseState;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 1. In kaart brengen van signalen.
    Signals = 1,
    /// 2. Collegiale consultatie en zo nodig Veilig Thuis raadplegen.
    Consultation = 2,
    /// 3. Gesprek met de ouder.
    ParentConversation = 3,
    /// 4. Wegen.
    Weighing = 4,
    /// 5. Beslissen: hulp organiseren of melden.
    Decision = 5,
}

impl Step {
    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn title_nl(self) -> &'static str {
        match self {
            Self::Signals => "Signalen in kaart brengen",
            Self::Consultation => "Collegiale consultatie en Veilig Thuis",
            Self::ParentConversation => "Gesprek met de ouder",
            Self::Weighing => "Wegen",
            Self::Decision => "Beslissen: hulp organiseren of melden",
        }
    }
}

pub fn current_step(state: &CaseState) -> Step {
    if !state.decisions.is_empty() || !state.reports.is_empty() || !state.help_plans.is_empty() {
        Step::Decision
    } else if !state.assessments.is_empty() {
        Step::Weighing
    } else if state.conversation_settled() {
        Step::ParentConversation
    } else if !state.consultations.is_empty()
        || !state.advice_requests.is_empty()
        || !state.consents.is_empty()
        || !state.risk_index.is_empty()
        || !state.advice_skipped.is_empty()
        || !state.care_team_intakes.is_empty()
    {
        Step::Consultation
    } else {
        Step::Signals
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Answer;
    use crate::testkit::*;

    #[test]
    fn step_moves_with_the_records() {
        let mut kit = Kit::opened();
        assert_eq!(current_step(&kit.state), Step::Signals);
        kit.ok(TEACHER, signal_own());
        assert_eq!(current_step(&kit.state), Step::Signals);
        kit.ok(TEACHER, consultation_internal());
        kit.ok(COORDINATOR, advice());
        assert_eq!(current_step(&kit.state), Step::Consultation);
        kit.ok(TEACHER, conversation());
        assert_eq!(current_step(&kit.state), Step::ParentConversation);
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        assert_eq!(current_step(&kit.state), Step::Weighing);
        kit.ok(COORDINATOR, decision(true, false));
        assert_eq!(current_step(&kit.state).number(), 5);
    }
}
