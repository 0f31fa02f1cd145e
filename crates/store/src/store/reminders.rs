//! What the reminders are made of: the due dates of the open cases this user may see. Dates
//! only; the app counts them against the day and words the notification without a name.

use super::Store;
use crate::error::Result;
use crate::projection;
use chrono::NaiveDate;
use meldcode_engine::reminders::{gets_daily_digest, DueSteps};

impl Store {
    /// The earliest due date of each open case this user may see.
    pub fn due_dates(&self, today: NaiveDate) -> Result<Vec<NaiveDate>> {
        Ok(
            projection::list(&self.conn, self.user.actor(), None, today)?
                .into_iter()
                .filter(|c| c.summary.outcome.is_none())
                .filter_map(|c| c.summary.next_due)
                .collect(),
        )
    }

    pub fn due_steps(&self, today: NaiveDate) -> Result<DueSteps> {
        Ok(DueSteps::count(self.due_dates(today)?, today))
    }

    /// The day's digest on opening the app: the coordinator's, when a case asks for a step;
    /// `None` for everyone else and on a quiet day.
    pub fn daily_digest(&self, today: NaiveDate) -> Result<Option<DueSteps>> {
        if !gets_daily_digest(self.user.role) {
            return Ok(None);
        }
        let steps = self.due_steps(today)?;
        Ok((!steps.is_empty()).then_some(steps))
    }
}
