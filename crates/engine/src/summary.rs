//! What the case list and the case screen show, derived in one place for the store's
//! projections, the CLI and the app.

use crate::flags::{flags_given, Flag};
use crate::ids::CaseId;
use crate::next_actions::{next_actions, NextAction};
use crate::policy::CasePolicy;
use crate::records::CaseOutcome;
use crate::state::CaseState;
use crate::step::{current_step, Step};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub case_id: CaseId,
    pub pupil_name: String,
    pub group: String,
    pub step: Step,
    pub step_title: String,
    pub flags: Vec<Flag>,
    /// The earliest due date among the next actions; overdue ones sort first in the list.
    pub next_due: Option<NaiveDate>,
    pub next_action: Option<NextAction>,
    pub outcome: Option<CaseOutcome>,
    /// The last day a closed case is kept, once the pupil left the school (R15 retention).
    pub retain_until: Option<NaiveDate>,
    pub last_recorded_at: Option<DateTime<Utc>>,
}

/// `None` for a state that holds no opened case.
pub fn summarise(state: &CaseState, policy: CasePolicy, now: DateTime<Utc>) -> Option<CaseSummary> {
    let case_id = state.case_id?;
    let pupil = state.pupil.as_ref()?;
    let actions = next_actions(state, policy, now);
    let step = current_step(state);
    Some(CaseSummary {
        case_id,
        pupil_name: pupil.full_name.clone(),
        group: pupil.group.clone(),
        step,
        step_title: step.title_nl().to_owned(),
        flags: flags_given(state, &actions),
        next_due: actions.iter().filter_map(|a| a.due).min(),
        next_action: actions.into_iter().next(),
        outcome: state.closed.as_ref().map(|c| c.data.outcome),
        retain_until: crate::rules::r15_retention::retain_until(state, policy),
        last_recorded_at: state.last_recorded_at(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::*;

    #[test]
    fn summary_shows_pupil_step_and_first_action() {
        let mut kit = Kit::opened();
        assert!(summarise(&CaseState::default(), kit.policy, kit.now).is_none());
        kit.ok(TEACHER, signal_own());
        let s = summarise(&kit.state, kit.policy, kit.now).expect("opened case");
        assert_eq!(s.pupil_name, "Sanne de Vries");
        assert_eq!(s.step, Step::Signals);
        assert_eq!(
            s.next_action.map(|a| a.code),
            Some("consult_colleague".into())
        );
        assert!(s.outcome.is_none());
    }
}
