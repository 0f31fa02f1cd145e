//! Flags for the case list: what must catch the eye before the case is opened.

use crate::next_actions::{next_actions, NextAction};
use crate::policy::CasePolicy;
use crate::state::CaseState;
use crate::urgent::UrgentKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Emergency,
    FemaleGenitalMutilation,
    HonourRelatedViolence,
    StaffSuspected,
    ConsentRefused,
    Overdue,
    Reported,
    HelpInPlace,
    Closed,
}

pub fn flags(state: &CaseState, policy: CasePolicy, now: DateTime<Utc>) -> Vec<Flag> {
    flags_given(state, &next_actions(state, policy, now))
}

/// The flags, for a caller that already derived the case's next actions.
pub fn flags_given(state: &CaseState, actions: &[NextAction]) -> Vec<Flag> {
    let mut out = Vec::new();
    if !state.emergencies.is_empty() {
        out.push(Flag::Emergency);
    }
    for kind in state.urgent_kinds() {
        out.push(match kind {
            UrgentKind::FemaleGenitalMutilation => Flag::FemaleGenitalMutilation,
            UrgentKind::HonourRelatedViolence => Flag::HonourRelatedViolence,
        });
    }
    if state.is_staff_case() {
        out.push(Flag::StaffSuspected);
    }
    if state.consent_refused().is_some() {
        out.push(Flag::ConsentRefused);
    }
    if actions.iter().any(|a| a.overdue) {
        out.push(Flag::Overdue);
    }
    if !state.reports.is_empty() {
        out.push(Flag::Reported);
    }
    if state.help_plans.iter().any(|p| p.ended.is_none()) {
        out.push(Flag::HelpInPlace);
    }
    if state.closed.is_some() {
        out.push(Flag::Closed);
    }
    out
}
