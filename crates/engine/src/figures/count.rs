//! Small counts are never shown: a figure below five could point at one family in a school of
//! two hundred pupils. Zero is suppressed as well, so that "none" cannot be told from "one".

use serde::{Deserialize, Serialize};

/// Below this a count shows as "< 5".
pub const SMALLEST_SHOWN: u32 = 5;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Count {
    Exact { n: u32 },
    FewerThanFive,
}

impl Count {
    pub fn of(n: u32) -> Self {
        if n < SMALLEST_SHOWN {
            Self::FewerThanFive
        } else {
            Self::Exact { n }
        }
    }

    pub fn shown(self) -> Option<u32> {
        match self {
            Self::Exact { n } => Some(n),
            Self::FewerThanFive => None,
        }
    }

    /// As the screen, the CSV and the PDF print it.
    pub fn text(self) -> String {
        match self {
            Self::Exact { n } => n.to_string(),
            Self::FewerThanFive => "< 5".to_owned(),
        }
    }
}

/// The parts of a shown total. When exactly one part is hidden, the total minus the shown parts
/// would give it away, so the smallest shown part is hidden with it.
pub fn suppress_parts(total: Count, parts: &[u32]) -> Vec<Count> {
    let mut counts: Vec<Count> = parts.iter().map(|&n| Count::of(n)).collect();
    let hidden = counts.iter().filter(|c| c.shown().is_none()).count();
    if hidden == 1 && total.shown().is_some() {
        let smallest_shown = parts
            .iter()
            .enumerate()
            .filter(|(i, _)| counts[*i].shown().is_some())
            .min_by_key(|(_, &n)| n)
            .map(|(i, _)| i);
        if let Some(i) = smallest_shown {
            counts[i] = Count::FewerThanFive;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_below_five_including_zero_are_hidden() {
        assert_eq!(Count::of(0), Count::FewerThanFive);
        assert_eq!(Count::of(4), Count::FewerThanFive);
        assert_eq!(Count::of(5), Count::Exact { n: 5 });
        assert_eq!(Count::of(4).text(), "< 5");
        assert_eq!(Count::of(12).text(), "12");
    }

    #[test]
    fn one_hidden_part_of_a_shown_total_takes_the_smallest_shown_part_with_it() {
        // 20 = 9 + 8 + 3: without the second suppression, 3 = 20 - 9 - 8.
        let parts = suppress_parts(Count::of(20), &[9, 8, 3]);
        assert_eq!(
            parts,
            vec![
                Count::Exact { n: 9 },
                Count::FewerThanFive,
                Count::FewerThanFive
            ]
        );
        // Two hidden parts already hide each other.
        let parts = suppress_parts(Count::of(20), &[14, 3, 3]);
        assert_eq!(parts[0], Count::Exact { n: 14 });
        // A hidden total gives nothing away.
        let parts = suppress_parts(Count::of(4), &[0, 4]);
        assert!(parts.iter().all(|c| c.shown().is_none()));
        assert_eq!(
            suppress_parts(Count::of(10), &[10]),
            vec![Count::Exact { n: 10 }]
        );
    }
}
