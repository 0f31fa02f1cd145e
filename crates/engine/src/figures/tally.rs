//! The true counts behind the figures, before anything is hidden. Never leaves the engine: the
//! screen, the CSV and the PDF get `Figures`, in which small counts are already suppressed.

use super::Period;
use crate::next_actions::next_actions;
use crate::policy::CasePolicy;
use crate::records::CaseOutcome;
use crate::state::{CaseState, Recorded};
use crate::urgent::UrgentKind;
use chrono::{DateTime, NaiveDate, Utc};

/// The outcomes in the order the screen lists them.
pub const OUTCOMES: [CaseOutcome; 5] = [
    CaseOutcome::Unfounded,
    CaseOutcome::OtherCauseFound,
    CaseOutcome::HelpInPlace,
    CaseOutcome::ReportedAndHandedOver,
    CaseOutcome::StaffRouteCompleted,
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub opened: u32,
    pub closed: u32,
    /// Per entry of `OUTCOMES`, the cases closed in the period with that outcome.
    pub outcomes: [u32; 5],
    pub reports: u32,
    pub help_plans: u32,
    pub emergencies: u32,
    /// Days from the first signal to the first consultation, weighing and decision, for the
    /// cases that reached that step in the period.
    pub days_to_consultation: Vec<u32>,
    pub days_to_weighing: Vec<u32>,
    pub days_to_decision: Vec<u32>,
    /// Open cases with an action past its due date, today (not in the period).
    pub overdue_now: u32,
    pub female_genital_mutilation: u32,
    pub honour_related_violence: u32,
    pub staff_cases: u32,
}

fn count_in<T>(period: Period, records: &[Recorded<T>]) -> u32 {
    let n = records
        .iter()
        .filter(|r| period.holds(r.occurred_at))
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Days from the first signal to the first of `records`, when that first one lies in the period.
fn days_to<T>(
    period: Period,
    first_signal: Option<NaiveDate>,
    records: &[Recorded<T>],
) -> Option<u32> {
    let first = records.iter().map(|r| r.occurred_at).min()?;
    if !period.holds(first) {
        return None;
    }
    let days = (first.date_naive() - first_signal?).num_days().max(0);
    Some(u32::try_from(days).unwrap_or(u32::MAX))
}

impl Tally {
    pub fn of<'a>(
        cases: impl IntoIterator<Item = &'a CaseState>,
        period: Period,
        policy: CasePolicy,
        now: DateTime<Utc>,
    ) -> Self {
        let mut t = Self::default();
        for case in cases {
            let Some(opened_at) = case.opened_at else {
                continue;
            };
            t.add(case, opened_at, period, policy, now);
        }
        t
    }

    fn add(
        &mut self,
        case: &CaseState,
        opened_at: DateTime<Utc>,
        period: Period,
        policy: CasePolicy,
        now: DateTime<Utc>,
    ) {
        if period.holds(opened_at) {
            self.opened += 1;
        }
        match &case.closed {
            Some(closed) if period.holds(closed.occurred_at) => {
                self.closed += 1;
                if let Some(i) = OUTCOMES.iter().position(|o| *o == closed.data.outcome) {
                    self.outcomes[i] += 1;
                }
            }
            Some(_) => {}
            None => {
                if next_actions(case, policy, now).iter().any(|a| a.overdue) {
                    self.overdue_now += 1;
                }
            }
        }
        self.reports += count_in(period, &case.reports);
        self.emergencies += count_in(period, &case.emergencies);
        self.help_plans += u32::try_from(
            case.help_plans
                .iter()
                .filter(|p| period.holds(p.started.occurred_at))
                .count(),
        )
        .unwrap_or(u32::MAX);
        let first_signal = case.first_signal_on();
        self.days_to_consultation
            .extend(days_to(period, first_signal, &case.consultations));
        self.days_to_weighing
            .extend(days_to(period, first_signal, &case.assessments));
        self.days_to_decision
            .extend(days_to(period, first_signal, &case.decisions));
        // A route counts once per case, at the first flag of its kind.
        for (kind, n) in [
            (
                UrgentKind::FemaleGenitalMutilation,
                &mut self.female_genital_mutilation,
            ),
            (
                UrgentKind::HonourRelatedViolence,
                &mut self.honour_related_violence,
            ),
        ] {
            let first = case
                .urgent_flags
                .iter()
                .filter(|f| f.data.kind == kind)
                .map(|f| f.occurred_at)
                .min();
            if first.is_some_and(|at| period.holds(at)) {
                *n += 1;
            }
        }
        if case
            .staff_suspicion
            .as_ref()
            .is_some_and(|s| period.holds(s.occurred_at))
        {
            self.staff_cases += 1;
        }
    }
}

/// The middle value in whole days (the lower middle of an even count): a day is as precise as a
/// dossier's dates are.
pub fn median(values: &[u32]) -> Option<u32> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(sorted[(n - 1) / 2])
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_takes_the_lower_middle() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7));
        assert_eq!(median(&[9, 1, 4]), Some(4));
        assert_eq!(median(&[1, 2, 3, 10]), Some(2));
    }
}
