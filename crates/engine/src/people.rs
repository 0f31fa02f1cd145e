//! Pupils, parents and staff roles.

use crate::ids::{PupilId, UserId};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Staff roles (R14). Permissions follow from the role and, in a staff-suspected case, from R2.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Leerkracht: records signals, consults, talks to parents, carries out agreements.
    Teacher,
    /// Intern begeleider / aandachtsfunctionaris: coordinates, weighs, decides and reports.
    Coordinator,
    /// Directie: final responsibility within the school.
    Director,
    /// Schoolbestuur: receives and leads suspicions against staff (art. 4a WPO).
    Board,
}

impl Role {
    pub fn label_nl(self) -> &'static str {
        match self {
            Self::Teacher => "leerkracht",
            Self::Coordinator => "intern begeleider",
            Self::Director => "directie",
            Self::Board => "schoolbestuur",
        }
    }
}

/// The person giving a command, as the store vouches for them after unlocking.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
}

/// A staff member in the school's user list (kept by the store; the engine sees `Actor`s).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub full_name: String,
    pub role: Role,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            role: self.role,
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pupil {
    pub id: PupilId,
    /// Full name: initials cannot be read back years later.
    pub full_name: String,
    /// Group (groep) or class, e.g. "groep 5".
    pub group: String,
    pub date_of_birth: Option<NaiveDate>,
}

impl Pupil {
    /// Age in whole years on `on`, when the date of birth is known.
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        let born = self.date_of_birth?;
        let mut years = on.year() - born.year();
        if (on.month(), on.day()) < (born.month(), born.day()) {
            years -= 1;
        }
        u32::try_from(years).ok()
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    pub full_name: String,
    /// How they relate to the pupil, e.g. "moeder", "vader", "pleegouder".
    pub relation: String,
}

/// Full names, not initials: a name needs at least two parts and a part of two letters or more.
pub fn looks_like_full_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split_whitespace().collect();
    parts.len() >= 2
        && parts.iter().any(|p| {
            p.trim_end_matches('.')
                .chars()
                .filter(|c| c.is_alphabetic())
                .count()
                >= 2
        })
        && !parts
            .iter()
            .all(|p| p.ends_with('.') || p.chars().count() == 1 || is_name_particle(p))
}

fn is_name_particle(part: &str) -> bool {
    matches!(
        part.to_lowercase().as_str(),
        "van" | "de" | "der" | "den" | "het" | "ter" | "ten" | "te" | "in" | "'t"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_are_accepted_and_initials_refused() {
        assert!(looks_like_full_name("Sanne de Vries"));
        assert!(looks_like_full_name("Mohammed El Amrani"));
        assert!(looks_like_full_name("J. van der Berg"));
        assert!(!looks_like_full_name("J.v.d.B."));
        assert!(!looks_like_full_name("J. B."));
        assert!(!looks_like_full_name("Sanne"));
        assert!(!looks_like_full_name("   "));
    }

    #[test]
    fn age_counts_whole_years() {
        let p = Pupil {
            id: PupilId::from_u128(1),
            full_name: "Sanne de Vries".into(),
            group: "groep 8".into(),
            date_of_birth: NaiveDate::from_ymd_opt(2014, 3, 10),
        };
        assert_eq!(
            p.age_on(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()),
            Some(11)
        );
        assert_eq!(
            p.age_on(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()),
            Some(12)
        );
    }
}
