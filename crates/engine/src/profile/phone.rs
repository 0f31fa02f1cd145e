//! Phone numbers on the social map, normalised so that a `tel:` link dials the right number
//! from any tablet, whatever way the number was typed in the school's own code.

use phonenumber::country::Id;
use phonenumber::Mode;
use serde::{Deserialize, Serialize};

/// Short numbers that are dialled as they are. `phonenumber` parses "112" but calls it invalid,
/// because short codes are not subscriber numbers; turning it into "+31112" would even dial a
/// wrong area code. So the emergency number is recognised here, explicitly and only this one:
/// other short codes on a school's social map are more likely typing errors.
const SHORT_EMERGENCY_NUMBERS: [&str; 1] = ["112"];

/// Separators people write in Dutch numbers ("050-5239239", "0900 -126 26 26", "(0599) 631631").
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '/')
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// E.164 ("+318002000") or a short emergency number ("112"), for `tel:` links.
    pub dial: String,
    /// How staff read it: Dutch national format ("0800 2000", "050 523 9239"); numbers from
    /// abroad in international format.
    pub display: String,
}

impl PhoneNumber {
    /// Parses a number as written on a Dutch social map. The error is a Dutch message for
    /// whoever maintains the school profile.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let compact: String = raw.chars().filter(|c| !is_separator(*c)).collect();
        if SHORT_EMERGENCY_NUMBERS.contains(&compact.as_str()) {
            return Ok(Self {
                dial: compact.clone(),
                display: compact,
            });
        }
        let invalid = || {
            format!(
                "'{}' is geen geldig telefoonnummer. Schrijf het zoals u het belt, \
                 bijvoorbeeld 050-5239239 of 0800-2000.",
                raw.trim()
            )
        };
        // Only digits with an optional leading '+' reach the parser: anything else is a typing
        // error we can name, and it keeps odd input away from the parser's less-trodden paths.
        let digits = compact.strip_prefix('+').unwrap_or(&compact);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let number = phonenumber::parse(Some(Id::NL), &compact).map_err(|_| invalid())?;
        if !number.is_valid() {
            return Err(invalid());
        }
        let display_mode = if number.code().value() == 31 {
            Mode::National
        } else {
            Mode::International
        };
        Ok(Self {
            dial: number.format().mode(Mode::E164).to_string(),
            display: number.format().mode(display_mode).to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(raw: &str) -> PhoneNumber {
        PhoneNumber::parse(raw).expect("valid number")
    }

    #[test]
    fn veilig_thuis_national_is_e164() {
        let n = ok("0800-2000");
        assert_eq!(n.dial, "+318002000");
        assert_eq!(n.display, "0800 2000");
    }

    #[test]
    fn regional_numbers_are_e164_with_a_national_display() {
        let n = ok("050-5239239");
        assert_eq!(n.dial, "+31505239239");
        assert_eq!(n.display, "050 523 9239");
        assert_eq!(ok("0599 631631").dial, "+31599631631");
        assert_eq!(ok("0900 -126 26 26").dial, "+319001262626");
        assert_eq!(ok("0900-1113111").dial, "+319001113111");
        assert_eq!(ok("+31 50 523 9239").dial, "+31505239239");
    }

    #[test]
    fn emergency_112_is_dialled_as_is() {
        let n = ok("112");
        assert_eq!(n.dial, "112");
        assert_eq!(n.display, "112");
        assert_eq!(ok(" 1 1 2 ").dial, "112");
    }

    #[test]
    fn invalid_numbers_are_refused_in_dutch() {
        for raw in [
            "12345",
            "",
            "   ",
            "050-52392390000",
            "bel 112",
            "+",
            "0800-20OO",
        ] {
            let err = PhoneNumber::parse(raw).expect_err(raw);
            assert!(err.contains("geen geldig telefoonnummer"), "{raw}: {err}");
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics(raw in "[+0-9 ()./-]{0,24}") {
            let _ = PhoneNumber::parse(&raw);
        }
    }
}
