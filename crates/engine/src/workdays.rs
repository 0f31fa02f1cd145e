//! Working days for due dates: weekends and the Dutch public holidays of the Algemene
//! termijnenwet do not count. School holidays differ per region and year, so a due date may
//! still fall in one (the UI shows the date, not a countdown).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The public holidays that the Algemene termijnenwet lists: New Year's Day, Easter Monday,
/// King's Day (27 April, or the 26th when the 27th is a Sunday), Liberation Day (5 May),
/// Ascension Day, Whit Monday and both Christmas days. Easter and Whit Sunday are Sundays.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    let (m, d) = (date.month(), date.day());
    let fixed = matches!((m, d), (1, 1) | (5, 5) | (12, 25) | (12, 26));
    let kings_day = match (m, d) {
        (4, 27) => date.weekday() != Weekday::Sun,
        (4, 26) => date.weekday() == Weekday::Sat,
        _ => false,
    };
    fixed || kings_day || easter_holiday(date)
}

fn easter_holiday(date: NaiveDate) -> bool {
    // Without computus' chrono feature, which would bring chrono's clock into the engine.
    let Some(easter) = computus::gregorian(date.year())
        .ok()
        .and_then(|e| NaiveDate::from_ymd_opt(e.year, e.month, e.day))
    else {
        return false;
    };
    // Easter Monday, Ascension Day (39 days after Easter), Whit Monday (50 days after).
    [1, 39, 50]
        .iter()
        .any(|days| easter + Duration::days(*days) == date)
}

pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

pub fn add_working_days(from: NaiveDate, days: u32) -> NaiveDate {
    let mut date = from;
    let mut left = days;
    while left > 0 {
        date += Duration::days(1);
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn five_working_days_from_a_thursday_end_on_the_next_thursday() {
        assert_eq!(add_working_days(day(2026, 3, 5), 5), day(2026, 3, 12));
        assert_eq!(add_working_days(day(2026, 3, 6), 1), day(2026, 3, 9));
    }

    #[test]
    fn r13_working_days_skip_dutch_public_holidays() {
        // 2026: Easter 5 April, so Easter Monday 6 April, Ascension 14 May, Whit Monday 25 May;
        // King's Day Monday 27 April; Liberation Day Tuesday 5 May.
        for holiday in [
            day(2026, 1, 1),
            day(2026, 4, 6),
            day(2026, 4, 27),
            day(2026, 5, 5),
            day(2026, 5, 14),
            day(2026, 5, 25),
            day(2026, 12, 25),
            day(2026, 12, 26),
        ] {
            assert!(is_public_holiday(holiday), "{holiday}");
        }
        assert!(
            !is_public_holiday(day(2026, 4, 3)),
            "Good Friday is no day off by law"
        );
        // Thursday 2 April + 5 working days: Friday 3, (Easter Monday) Tuesday 7 … Thursday 9.
        assert_eq!(add_working_days(day(2026, 4, 2), 5), day(2026, 4, 10));
        // Christmas 2026 falls on Friday and Saturday.
        assert_eq!(add_working_days(day(2026, 12, 24), 1), day(2026, 12, 28));
    }

    #[test]
    fn kings_day_moves_to_saturday_when_the_27th_is_a_sunday() {
        // 27 April 2025 was a Sunday.
        assert!(is_public_holiday(day(2025, 4, 26)));
        assert!(!is_public_holiday(day(2026, 4, 26)));
    }
}
