//! One file per protocol rule (DESIGN.md §3), each with the checks that enforce it and the
//! tests named after it. Prompts (next actions) live in `next_actions.rs`.

pub mod r00_export;
pub mod r00_record;
pub mod r01_child;
pub mod r01_facts_and_sources;
pub mod r02_staff_route;
pub mod r02_staff_suspected;
pub mod r03_consultation;
pub mod r04_consent;
pub mod r05_advice;
pub mod r06_risk_index;
pub mod r07_emergency;
pub mod r08_parent_conversation;
pub mod r09_report_without_parent_talk;
pub mod r10_weighing;
pub mod r11_decide;
pub mod r11_help_follow_through;
pub mod r11_offline_conflict;
pub mod r12_report_discussion;
pub mod r13_follow_up;
pub mod r14_roles;
pub mod r15_closing;
pub mod r15_evaluation;
pub mod r15_retention;

use crate::rule::RuleId;
use crate::violation::Violation;
use chrono::{DateTime, Duration, Utc};

/// Clocks on tablets drift; a few minutes ahead is not "in the future".
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// Refuses a moment that has not happened yet: the dossier records what happened.
pub(crate) fn check_not_future(
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    rule: RuleId,
) -> Result<(), Violation> {
    if at > now + CLOCK_SKEW {
        Err(Violation::new(
            rule,
            "time_in_future",
            "Het tijdstip ligt in de toekomst. Leg vast wat er is gebeurd, met het werkelijke tijdstip.",
        ))
    } else {
        Ok(())
    }
}
