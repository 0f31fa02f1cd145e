//! Reminders: how many of a user's cases ask for a step today, and how many are late. Counted
//! from the due dates alone, with the day passed in (no clock here), so that a reminder can be
//! worked out and tested without a pupil's name anywhere near it: the OS shows notifications on
//! a locked screen, where a parent or a child may read them.

use crate::people::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueSteps {
    /// Open cases whose earliest next action falls due today.
    pub due_today: u32,
    /// Open cases with an action past its due date.
    pub overdue: u32,
}

impl DueSteps {
    /// `next_dues`: the earliest due date of each open case (a case's `next_due`).
    pub fn count(next_dues: impl IntoIterator<Item = NaiveDate>, today: NaiveDate) -> Self {
        let mut steps = Self::default();
        for due in next_dues {
            if due < today {
                steps.overdue += 1;
            } else if due == today {
                steps.due_today += 1;
            }
        }
        steps
    }

    pub fn is_empty(self) -> bool {
        self.due_today == 0 && self.overdue == 0
    }

    /// The notification's text in Dutch, `None` when nothing asks for a step. Counts only.
    pub fn text_nl(self) -> Option<String> {
        let today = match self.due_today {
            0 => None,
            1 => Some("1 dossier vraagt vandaag een stap".to_owned()),
            n => Some(format!("{n} dossiers vragen vandaag een stap")),
        };
        let late = match self.overdue {
            0 => None,
            1 => Some("1 dossier is een stap te laat".to_owned()),
            n => Some(format!("{n} dossiers zijn een stap te laat")),
        };
        join(today, late)
    }

    /// The same in English, for a device set to English.
    pub fn text_en(self) -> Option<String> {
        let today = match self.due_today {
            0 => None,
            1 => Some("1 case needs a step today".to_owned()),
            n => Some(format!("{n} cases need a step today")),
        };
        let late = match self.overdue {
            0 => None,
            1 => Some("1 case is a step behind".to_owned()),
            n => Some(format!("{n} cases are a step behind")),
        };
        join(today, late)
    }
}

fn join(today: Option<String>, late: Option<String>) -> Option<String> {
    match (today, late) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}.")),
        (Some(a), None) | (None, Some(a)) => Some(format!("{a}.")),
        (None, None) => None,
    }
}

/// The coordinator leads every case, so she gets the day's digest when she opens the app.
pub fn gets_daily_digest(role: Role) -> bool {
    role == Role::Coordinator
}

/// Whether the reminder for `today` still has to be given: once a day, also when the app has
/// run through the night.
pub fn reminder_due(last_given: Option<NaiveDate>, today: NaiveDate) -> bool {
    last_given.is_none_or(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::summarise;
    use crate::testkit::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).expect("valid day")
    }

    #[test]
    fn reminders_count_what_is_due_today_and_what_is_late_from_the_day_passed_in() {
        let dues = [day(2), day(9), day(9), day(10), day(20)];
        assert_eq!(
            DueSteps::count(dues, day(9)),
            DueSteps {
                due_today: 2,
                overdue: 1
            }
        );
        // The same dates a day later: the two of today are late now.
        assert_eq!(
            DueSteps::count(dues, day(10)),
            DueSteps {
                due_today: 1,
                overdue: 3
            }
        );
        assert!(DueSteps::count(dues, day(1)).is_empty());
    }

    #[test]
    fn reminders_say_how_many_and_nothing_when_nothing_is_due() {
        let one = DueSteps {
            due_today: 1,
            overdue: 0,
        };
        assert_eq!(
            one.text_nl().as_deref(),
            Some("1 dossier vraagt vandaag een stap.")
        );
        let both = DueSteps {
            due_today: 3,
            overdue: 1,
        };
        assert_eq!(
            both.text_nl().as_deref(),
            Some("3 dossiers vragen vandaag een stap; 1 dossier is een stap te laat.")
        );
        assert_eq!(
            both.text_en().as_deref(),
            Some("3 cases need a step today; 1 case is a step behind.")
        );
        assert_eq!(DueSteps::default().text_nl(), None);
    }

    #[test]
    fn reminders_name_no_pupil() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let summary = summarise(&kit.state, kit.policy, kit.now).expect("opened case");
        let due = summary.next_due.expect("the consultation is due");
        for today in [due, due + chrono::Duration::days(1)] {
            let steps = DueSteps::count([due], today);
            for text in [steps.text_nl(), steps.text_en()] {
                let text = text.expect("a step is due");
                for part in summary.pupil_name.split(' ').filter(|p| p.len() > 2) {
                    assert!(!text.contains(part), "{text} names {part}");
                }
            }
        }
    }

    #[test]
    fn reminders_come_once_a_day_and_the_digest_to_the_coordinator() {
        assert!(reminder_due(None, day(9)));
        assert!(!reminder_due(Some(day(9)), day(9)));
        assert!(reminder_due(Some(day(9)), day(10)));
        assert!(gets_daily_digest(Role::Coordinator));
        assert!(!gets_daily_digest(Role::Teacher));
        assert!(!gets_daily_digest(Role::Director));
    }
}
