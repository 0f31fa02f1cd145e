//! Evaluation figures for the director: how the school used the code over a period (the seed
//! asks the school to evaluate its use of the meldcode). Counts only, never a pupil's name, and
//! every count below five is hidden before it leaves the engine.

mod count;
mod tally;

#[cfg(test)]
mod generated_tests;

pub use count::{suppress_parts, Count, SMALLEST_SHOWN};
pub use tally::{median, Tally, OUTCOMES};

use crate::policy::CasePolicy;
use crate::records::CaseOutcome;
use crate::state::CaseState;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// From the first day to the last, both included, in UTC days like the rest of the dossier.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// `None` when the period ends before it starts.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Self> {
        (from <= to).then_some(Self { from, to })
    }

    pub fn holds(self, at: DateTime<Utc>) -> bool {
        let day = at.date_naive();
        self.from <= day && day <= self.to
    }
}

/// What a figure counts; the UI and the exports name it in their own language.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureCode {
    Opened,
    Closed,
    Unfounded,
    OtherCauseFound,
    HelpInPlace,
    ReportedAndHandedOver,
    StaffRouteCompleted,
    Reports,
    HelpPlans,
    Emergencies,
    ToConsultation,
    ToWeighing,
    ToDecision,
    OverdueNow,
    FemaleGenitalMutilation,
    HonourRelatedViolence,
    StaffCases,
}

impl FigureCode {
    fn of_outcome(outcome: CaseOutcome) -> Self {
        match outcome {
            CaseOutcome::Unfounded => Self::Unfounded,
            CaseOutcome::OtherCauseFound => Self::OtherCauseFound,
            CaseOutcome::HelpInPlace => Self::HelpInPlace,
            CaseOutcome::ReportedAndHandedOver => Self::ReportedAndHandedOver,
            CaseOutcome::StaffRouteCompleted => Self::StaffRouteCompleted,
        }
    }

    /// For the CSV and the PDF, which are Dutch documents whatever the screen's language.
    pub fn label_nl(self) -> &'static str {
        match self {
            Self::Opened => "Dossiers geopend",
            Self::Closed => "Dossiers afgesloten",
            Self::Unfounded => "Zorgen ongegrond",
            Self::OtherCauseFound => "Andere oorzaak gevonden",
            Self::HelpInPlace => "Hulp loopt, geen stappen meer nodig",
            Self::ReportedAndHandedOver => "Gemeld en overgedragen",
            Self::StaffRouteCompleted => "Route bij een medewerker afgerond",
            Self::Reports => "Meldingen bij Veilig Thuis",
            Self::HelpPlans => "Hulptrajecten gestart",
            Self::Emergencies => "Noodsituaties",
            Self::ToConsultation => "Van eerste signaal tot collegiale consultatie",
            Self::ToWeighing => "Van eerste signaal tot weging",
            Self::ToDecision => "Van eerste signaal tot besluit",
            Self::OverdueNow => "Dossiers die nu een stap te laat zijn",
            Self::FemaleGenitalMutilation => "Route vermoeden van vrouwelijke genitale verminking",
            Self::HonourRelatedViolence => "Route vermoeden van eergerelateerd geweld",
            Self::StaffCases => "Route vermoeden tegen een medewerker",
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub code: FigureCode,
    pub count: Count,
}

/// How long a step took: the cases that reached it in the period, and the median in days,
/// shown only when at least five cases stand behind it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DurationFigure {
    pub code: FigureCode,
    pub cases: Count,
    pub median_days: Option<u32>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub period: Period,
    /// Opened and closed in the period.
    pub cases: Vec<Figure>,
    /// The outcomes of the cases closed in the period.
    pub outcomes: Vec<Figure>,
    /// Reports, help plans and emergencies in the period.
    pub steps: Vec<Figure>,
    pub durations: Vec<DurationFigure>,
    /// Open cases with an action past its due date, counted today.
    pub overdue_now: Count,
    /// The routes that change the code's order: FGM, honour-related violence, a staff member.
    pub routes: Vec<Figure>,
}

fn figure(code: FigureCode, n: u32) -> Figure {
    Figure {
        code,
        count: Count::of(n),
    }
}

fn duration(code: FigureCode, days: &[u32]) -> DurationFigure {
    let n = u32::try_from(days.len()).unwrap_or(u32::MAX);
    DurationFigure {
        code,
        cases: Count::of(n),
        median_days: if n >= SMALLEST_SHOWN {
            median(days)
        } else {
            None
        },
    }
}

impl Figures {
    /// The figures over `cases`, which the caller has already limited to those the viewer may
    /// see (R14, R2).
    pub fn of<'a>(
        cases: impl IntoIterator<Item = &'a CaseState>,
        period: Period,
        policy: CasePolicy,
        now: DateTime<Utc>,
    ) -> Self {
        Self::from_tally(&Tally::of(cases, period, policy, now), period)
    }

    pub fn from_tally(t: &Tally, period: Period) -> Self {
        let closed = Count::of(t.closed);
        let outcomes = suppress_parts(closed, &t.outcomes)
            .into_iter()
            .zip(OUTCOMES)
            .map(|(count, outcome)| Figure {
                code: FigureCode::of_outcome(outcome),
                count,
            })
            .collect();
        Self {
            period,
            cases: vec![
                figure(FigureCode::Opened, t.opened),
                Figure {
                    code: FigureCode::Closed,
                    count: closed,
                },
            ],
            outcomes,
            steps: vec![
                figure(FigureCode::Reports, t.reports),
                figure(FigureCode::HelpPlans, t.help_plans),
                figure(FigureCode::Emergencies, t.emergencies),
            ],
            durations: vec![
                duration(FigureCode::ToConsultation, &t.days_to_consultation),
                duration(FigureCode::ToWeighing, &t.days_to_weighing),
                duration(FigureCode::ToDecision, &t.days_to_decision),
            ],
            overdue_now: Count::of(t.overdue_now),
            routes: vec![
                figure(
                    FigureCode::FemaleGenitalMutilation,
                    t.female_genital_mutilation,
                ),
                figure(FigureCode::HonourRelatedViolence, t.honour_related_violence),
                figure(FigureCode::StaffCases, t.staff_cases),
            ],
        }
    }

    /// Every figure as (label, shown count, median days) rows, in the screen's order, for the
    /// CSV and the PDF.
    pub fn rows(&self) -> Vec<(&'static str, String, Option<u32>)> {
        let counted = self
            .cases
            .iter()
            .chain(&self.outcomes)
            .chain(&self.steps)
            .map(|f| (f.code.label_nl(), f.count.text(), None));
        let timed = self
            .durations
            .iter()
            .map(|d| (d.code.label_nl(), d.cases.text(), d.median_days));
        let overdue = std::iter::once((
            FigureCode::OverdueNow.label_nl(),
            self.overdue_now.text(),
            None,
        ));
        let routes = self
            .routes
            .iter()
            .map(|f| (f.code.label_nl(), f.count.text(), None));
        counted.chain(timed).chain(overdue).chain(routes).collect()
    }
}

/// The director evaluates the code's use with the coordinator (R15): both see the figures, the
/// board and the teachers do not.
pub fn may_see_figures(role: crate::Role) -> bool {
    matches!(role, crate::Role::Coordinator | crate::Role::Director)
}
