//! Dates and roles as a Dutch school writes them, in the school's own time zone.

use chrono::{DateTime, NaiveDate, Utc};
use meldcode_engine::Role;

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

fn month(m: i8) -> &'static str {
    usize::try_from(m - 1)
        .ok()
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("")
}

/// "12 maart 2026".
pub fn date(day: NaiveDate) -> String {
    use chrono::Datelike;
    let m = i8::try_from(day.month()).unwrap_or(0);
    format!("{} {} {}", day.day(), month(m), day.year())
}

/// "12 maart 2026, 14:05" in Dutch time (CET/CEST), where the school is.
pub fn moment(at: DateTime<Utc>) -> String {
    let zoned = jiff::Timestamp::from_millisecond(at.timestamp_millis())
        .ok()
        .zip(jiff::tz::TimeZone::get("Europe/Amsterdam").ok())
        .map(|(ts, tz)| ts.to_zoned_datetime(tz));
    match zoned {
        Some(z) => format!(
            "{} {} {}, {:02}:{:02}",
            z.day(),
            month(z.month()),
            z.year(),
            z.hour(),
            z.minute()
        ),
        // Only without a time zone database: say it is UTC rather than guess.
        None => format!("{} UTC", at.format("%Y-%m-%d %H:%M")),
    }
}

pub fn role(role: Role) -> &'static str {
    match role {
        Role::Teacher => "leerkracht",
        Role::Coordinator => "intern begeleider",
        Role::Director => "directeur",
        Role::Board => "schoolbestuur",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn moments_are_in_dutch_time_summer_and_winter() {
        let winter = Utc
            .with_ymd_and_hms(2026, 1, 15, 13, 5, 0)
            .single()
            .expect("valid");
        let summer = Utc
            .with_ymd_and_hms(2026, 7, 1, 13, 5, 0)
            .single()
            .expect("valid");
        assert_eq!(moment(winter), "15 januari 2026, 14:05");
        assert_eq!(moment(summer), "1 juli 2026, 15:05");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2026, 3, 2).expect("valid")),
            "2 maart 2026"
        );
    }
}
