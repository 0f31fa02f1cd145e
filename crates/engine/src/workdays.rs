//! Working days for due dates. Weekends only: school holidays and public holidays differ per
//! region and year, so a due date may fall on one (the UI shows the date, not a countdown).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

pub fn add_working_days(from: NaiveDate, days: u32) -> NaiveDate {
    let mut date = from;
    let mut left = days;
    while left > 0 {
        date += Duration::days(1);
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_working_days_from_a_thursday_end_on_the_next_thursday() {
        let thursday = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(
            add_working_days(thursday, 5),
            NaiveDate::from_ymd_opt(2026, 3, 12).unwrap()
        );
        let friday = NaiveDate::from_ymd_opt(2026, 3, 6).unwrap();
        assert_eq!(
            add_working_days(friday, 1),
            NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()
        );
    }
}
