//! The route when a school employee is suspected (R2, WPO art. 4a): the board consults the
//! vertrouwensinspecteur, informs the parents and the employee, and with a reasonable suspicion
//! reports to the police, or records its reasoned decision not to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The board told someone about the suspicion: the pupil's parents, or the employee.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCaseInformedInput {
    pub informed_at: DateTime<Utc>,
    /// Full names of who was told.
    pub informed: Vec<String>,
    /// Full name of the board member who told them.
    pub informed_by: String,
    /// How, e.g. "in een gesprek op school".
    pub how: String,
    pub notes: String,
}

/// The police report (aangifte), or the board's reasoned decision not to make one.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoliceReportInput {
    pub decided_at: DateTime<Utc>,
    /// True: the report was made. False: the board decided not to, for the reasons given.
    pub made: bool,
    pub reasoning: String,
    /// The police's reference, when a report was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}
