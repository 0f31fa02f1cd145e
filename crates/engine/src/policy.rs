//! The school's choices that change how a case is weighed and decided.

use serde::{Deserialize, Serialize};

/// Which edition of the code the school follows in steps 4 and 5.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edition {
    /// The seed's 2017 code: weigh risk, nature and severity, then 5a (help) or 5b (report).
    Meldcode2017,
    /// The 2019 afwegingskader for education: five questions with a meldnorm.
    Afwegingskader2019,
}

/// The part of the school profile the decider needs.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePolicy {
    pub edition: Edition,
    /// Some school protocols make *doubt* about acute or structural unsafety a reason to report.
    pub report_on_doubt: bool,
    /// Step 2 is due this many working days after the first signal.
    pub consult_within_working_days: u32,
    /// Step 4 is due this many working days after the first signal.
    pub weigh_within_working_days: u32,
    /// Years a closed case is kept after the pupil left the school (AVG: no longer than needed).
    #[serde(default = "default_retention")]
    pub retention_years: u32,
    /// Years for a case with a report to Veilig Thuis; never shorter than `retention_years`.
    #[serde(default = "default_retention")]
    pub retention_years_reported: u32,
}

/// Two years after leaving, unless the school profile says longer.
pub const RETENTION_YEARS: u32 = 2;

fn default_retention() -> u32 {
    RETENTION_YEARS
}

/// Consult within a week of the first signal; weigh within four.
pub const CONSULT_WITHIN_WORKING_DAYS: u32 = 5;
pub const WEIGH_WITHIN_WORKING_DAYS: u32 = 20;

impl Default for CasePolicy {
    fn default() -> Self {
        Self {
            edition: Edition::Afwegingskader2019,
            report_on_doubt: false,
            consult_within_working_days: CONSULT_WITHIN_WORKING_DAYS,
            weigh_within_working_days: WEIGH_WITHIN_WORKING_DAYS,
            retention_years: RETENTION_YEARS,
            retention_years_reported: RETENTION_YEARS,
        }
    }
}
