//! Which secrets may unlock the vault: a PIN of digits, or a passphrase.
//!
//! Following NIST SP 800-63B (memorized secret verifiers: section 5.1.1.2 in revision 3, 3.1.1.2
//! in revision 4): length counts, composition rules do not (no "one capital, one symbol"), and
//! values that are commonly used, expected or easy to derive are refused with a reason, so the
//! person can choose better. A PIN is short by nature; what keeps it safe is the vault's
//! throttling of wrong attempts, and that only helps if the PIN is not among those an attacker
//! holding the tablet tries first: patterns, birthdays and the most common PINs.

use chrono::NaiveDate;
use std::fmt;

pub const MIN_PIN_DIGITS: usize = 6;
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Why a secret was refused; the UI shows [`WeakSecret::message_nl`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeakSecret {
    TooShort,
    OneDigitRepeated,
    /// A run (123456, 135791, abcdefghijkl) or a line on the keypad or keyboard (147258,
    /// qwertyuiopas).
    Sequence,
    /// A repeated or mirrored unit (121212, 112233, 123321, hallohallohallo).
    RepeatedPattern,
    LooksLikeDate,
    Common,
    PassphraseTooShort,
}

impl WeakSecret {
    /// Stable name for the app, e.g. to pick an English text.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "too_short",
            Self::OneDigitRepeated => "one_digit_repeated",
            Self::Sequence => "sequence",
            Self::RepeatedPattern => "repeated_pattern",
            Self::LooksLikeDate => "looks_like_date",
            Self::Common => "common",
            Self::PassphraseTooShort => "passphrase_too_short",
        }
    }

    pub fn message_nl(&self) -> &'static str {
        match self {
            Self::TooShort => "Deze pincode is te kort. Kies minstens zes cijfers.",
            Self::OneDigitRepeated => {
                "Deze pincode bestaat uit één cijfer dat steeds terugkomt. Kies zes cijfers die niemand kan raden."
            }
            Self::Sequence => {
                "Deze code volgt een reeks (zoals 123456 of abcdef) of een lijn op het toetsenbord (zoals 147258). Kies iets zonder vaste volgorde."
            }
            Self::RepeatedPattern => {
                "Deze code herhaalt of spiegelt een stukje (zoals 121212, 112233 of 123321). Kies iets zonder herhaling."
            }
            Self::LooksLikeDate => {
                "Deze pincode lijkt op een datum. Kies zes cijfers die niemand kan raden."
            }
            Self::Common => {
                "Deze code hoort bij de meest gebruikte en wordt als eerste geprobeerd. Kies iets anders."
            }
            Self::PassphraseTooShort => {
                "Een wachtwoordzin met letters of andere tekens moet minstens 12 tekens lang zijn. Een pincode bestaat alleen uit cijfers."
            }
        }
    }
}

impl fmt::Display for WeakSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message_nl())
    }
}

impl std::error::Error for WeakSecret {}

/// The most used 6-digit PINs (from published analyses of leaked PIN sets). Most are also
/// caught by a pattern rule; the list catches the rest (292513) and any pattern a rule misses.
const COMMON_PINS: [&str; 20] = [
    "123456", "123123", "111111", "121212", "123321", "666666", "000000", "654321", "696969",
    "112233", "159753", "292513", "131313", "123654", "222222", "789456", "999999", "101010",
    "777777", "007007",
];

/// Three keys in a straight line on a phone keypad (0 below 8), in either direction. A PIN made
/// of such lines (147258, 159357, 789456) is drawn rather than chosen.
const KEYPAD_LINES: [&str; 9] = [
    "123", "456", "789", "147", "258", "369", "580", "159", "357",
];

/// Words that come first to mind for a passphrase here: NIST's "context-specific words" (the
/// app, the school) and the usual ones.
const COMMON_WORDS: [&str; 12] = [
    "wachtwoord",
    "password",
    "welkom",
    "geheim",
    "meldcode",
    "school",
    "basisschool",
    "qwerty",
    "azerty",
    "letmein",
    "iloveyou",
    "admin",
];

/// The keyboard's rows in order, digits first; a passphrase that is a stretch of it was typed by
/// running a finger along the keys.
const KEYBOARD_ROWS: &str = "1234567890qwertyuiopasdfghjklzxcvbnm";

/// A PIN is digits only; anything with another character is a passphrase and is held to the
/// passphrase rules. Nothing at all counts as a PIN that is too short, as the PIN pad is where
/// most people start.
pub fn check_secret(secret: &str) -> Result<(), WeakSecret> {
    if secret.bytes().all(|b| b.is_ascii_digit()) {
        check_pin(secret.as_bytes())
    } else {
        check_passphrase(secret)
    }
}

fn check_pin(pin: &[u8]) -> Result<(), WeakSecret> {
    let digits: Vec<u8> = pin.iter().map(|b| b - b'0').collect();
    if digits.len() < MIN_PIN_DIGITS {
        Err(WeakSecret::TooShort)
    } else if digits.windows(2).all(|w| w[0] == w[1]) {
        Err(WeakSecret::OneDigitRepeated)
    } else if is_periodic(&digits) || is_blocks_of_one_digit(&digits) || is_mirrored(&digits) {
        Err(WeakSecret::RepeatedPattern)
    } else if is_digit_run(&digits) || is_keypad_lines(pin) {
        Err(WeakSecret::Sequence)
    } else if looks_like_date(&digits) {
        Err(WeakSecret::LooksLikeDate)
    } else if COMMON_PINS.iter().any(|c| c.as_bytes() == pin) {
        Err(WeakSecret::Common)
    } else {
        Ok(())
    }
}

/// Each digit the previous plus a fixed step, counting round from 9 to 0: 123456, 654321,
/// 890123, 135791. Ten PINs per step and length, so refusing all of them costs nothing.
fn is_digit_run(digits: &[u8]) -> bool {
    let step = |w: &[u8]| (w[1] + 10 - w[0]) % 10;
    let first = step(&digits[..2]);
    first != 0 && digits.windows(2).all(|w| step(w) == first)
}

fn is_keypad_lines(pin: &[u8]) -> bool {
    pin.len().is_multiple_of(3)
        && pin.chunks(3).all(|chunk| {
            KEYPAD_LINES.iter().any(|line| {
                let line = line.as_bytes();
                chunk == line || chunk.iter().eq(line.iter().rev())
            })
        })
}

/// A unit repeated to the end, at least twice: 121212, 123123, 147147, 1231231.
fn is_periodic<T: PartialEq>(items: &[T]) -> bool {
    !items.is_empty() && smallest_period(items) <= items.len() / 2
}

/// In linear time, as a passphrase can be as long as anyone likes: the length minus the longest
/// proper prefix that is also a suffix (the Knuth–Morris–Pratt failure function).
fn smallest_period<T: PartialEq>(items: &[T]) -> usize {
    let mut border = vec![0; items.len()];
    let mut k = 0;
    for i in 1..items.len() {
        while k > 0 && items[i] != items[k] {
            k = border[k - 1];
        }
        if items[i] == items[k] {
            k += 1;
        }
        border[i] = k;
    }
    items.len() - k
}

/// Pairs or triples of one digit: 112233, 998877, 111222.
fn is_blocks_of_one_digit(digits: &[u8]) -> bool {
    [2, 3].into_iter().any(|size| {
        digits.len().is_multiple_of(size)
            && digits
                .chunks(size)
                .all(|block| block.iter().all(|d| *d == block[0]))
    })
}

/// The same read backwards: 123321, 135531.
fn is_mirrored(digits: &[u8]) -> bool {
    digits.iter().eq(digits.iter().rev())
}

/// The date forms a birthday or a wedding day takes as a PIN here: day-month-year, as dates are
/// written in the Netherlands (ddmmyy, ddmmyyyy), and for eight digits also year-month-day
/// (yyyymmdd, as on forms and in file names).
///
/// Six-digit yymmdd and the American mmddyy are allowed on purpose. Each date form holds about
/// 36,500 of the million six-digit PINs (365 days times 100 years), so refusing all three would
/// take one PIN in ten and tell many people who picked digits at random (730518 reads as
/// 18 May 1973) that they chose a date. Day-month-year is the form a person here thinks of;
/// the other orders are refused only as eight digits, where a four-digit year makes the date
/// unmistakable, and the year is kept to 1900–2099: other years are no one's birthday.
fn looks_like_date(digits: &[u8]) -> bool {
    let number = |range: std::ops::Range<usize>| {
        digits[range]
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(*d))
    };
    let valid = |year: u32, month: u32, day: u32| {
        i32::try_from(year)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
            .is_some()
    };
    match digits.len() {
        6 => {
            let (day, month, yy) = (number(0..2), number(2..4), number(4..6));
            // A two-digit year can be either century; 29 February differs between them.
            valid(1900 + yy, month, day) || valid(2000 + yy, month, day)
        }
        8 => {
            let plausible = |year: u32| (1900..=2099).contains(&year);
            let (day, month, year) = (number(0..2), number(2..4), number(4..8));
            let dmy = plausible(year) && valid(year, month, day);
            let (year, month, day) = (number(0..4), number(4..6), number(6..8));
            let ymd = plausible(year) && valid(year, month, day);
            dmy || ymd
        }
        _ => false,
    }
}

fn check_passphrase(secret: &str) -> Result<(), WeakSecret> {
    // Runs of spaces count once: "a          b" is three characters' worth of secret.
    let collapsed = secret.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(WeakSecret::PassphraseTooShort);
    }
    // Patterns are looked for regardless of case and spacing: "Abc Abc Abc Abc" is a repeat.
    let folded: Vec<char> = collapsed
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if is_periodic(&folded) {
        Err(WeakSecret::RepeatedPattern)
    } else if is_char_run(&folded) || is_keyboard_stretch(&folded) {
        Err(WeakSecret::Sequence)
    } else if is_common_word_dressed_up(&folded) {
        Err(WeakSecret::Common)
    } else {
        Ok(())
    }
}

/// Each character the next or the previous one: abcdefghijkl, lkjihgfedcba.
fn is_char_run(chars: &[char]) -> bool {
    let step = |w: &[char]| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0]));
    chars.len() >= 2 && {
        let first = step(&chars[..2]);
        first.abs() == 1 && chars.windows(2).all(|w| step(w) == first)
    }
}

fn is_keyboard_stretch(chars: &[char]) -> bool {
    let text: String = chars.iter().collect();
    let reversed: String = KEYBOARD_ROWS.chars().rev().collect();
    KEYBOARD_ROWS.contains(&text) || reversed.contains(&text)
}

/// A common word with digits and symbols around it ("Wachtwoord2024!", "welkom welkom 12"):
/// the letters are all an attacker has to guess, and they are on every list.
fn is_common_word_dressed_up(chars: &[char]) -> bool {
    let letters: String = chars.iter().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && COMMON_WORDS.iter().any(|word| {
            letters.len().is_multiple_of(word.len())
                && letters == word.repeat(letters.len() / word.len())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_as(secrets: &[&str], reason: WeakSecret) {
        for secret in secrets {
            assert_eq!(check_secret(secret), Err(reason), "{secret:?}");
        }
    }

    #[test]
    fn good_pins_are_accepted() {
        for pin in ["482913", "906142", "581302", "735142", "610428", "48291375"] {
            assert_eq!(check_secret(pin), Ok(()), "{pin}");
        }
    }

    #[test]
    fn pins_shorter_than_six_digits_are_refused() {
        refused_as(&["", "1", "48291", "90614"], WeakSecret::TooShort);
    }

    #[test]
    fn one_digit_repeated_is_refused() {
        refused_as(
            &["111111", "000000", "99999999", "5555555"],
            WeakSecret::OneDigitRepeated,
        );
    }

    #[test]
    fn runs_of_digits_are_refused_also_when_they_wrap_or_skip() {
        refused_as(
            &[
                "123456",
                "654321",
                "234567",
                "987654",
                "0123456789",
                "890123",
                "135791",
                "864208",
            ],
            WeakSecret::Sequence,
        );
    }

    #[test]
    fn lines_on_the_keypad_are_refused() {
        refused_as(
            &[
                "147258",
                "258369",
                "159357",
                "159753",
                "789456",
                "123654",
                "741852",
                "147258369",
                "852580",
            ],
            WeakSecret::Sequence,
        );
    }

    #[test]
    fn repeated_pairs_triples_and_mirrors_are_refused() {
        refused_as(
            &[
                "112233", "121212", "123123", "147147", "111222", "998877", "007007", "123321",
                "1231231", "48294829",
            ],
            WeakSecret::RepeatedPattern,
        );
    }

    #[test]
    fn dates_are_refused_as_pins() {
        refused_as(
            &[
                "010190",   // ddmmyy
                "251285",   // ddmmyy
                "290200",   // 29 February 2000
                "25121985", // ddmmyyyy
                "01012010", // ddmmyyyy
                "19850312", // yyyymmdd
            ],
            WeakSecret::LooksLikeDate,
        );
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        // 31 April, 30 February, 29 February 2023 and a thirteenth month: not dates, and no
        // other rule refuses them.
        for pin in ["310496", "300291", "20230229", "29022023", "151385"] {
            assert_ne!(check_secret(pin), Err(WeakSecret::LooksLikeDate), "{pin}");
        }
        assert_eq!(check_secret("310496"), Ok(()));
    }

    #[test]
    fn year_first_and_american_six_digit_dates_are_accepted_on_purpose() {
        // 730518 is 18 May 1973 as yymmdd, 051873 the same date as mmddyy; see
        // `looks_like_date` for why these forms stay allowed.
        for pin in ["730518", "051873"] {
            assert_eq!(check_secret(pin), Ok(()), "{pin}");
        }
    }

    #[test]
    fn the_most_common_pins_are_refused() {
        refused_as(&["292513"], WeakSecret::Common);
        for pin in COMMON_PINS {
            assert!(check_secret(pin).is_err(), "{pin}");
        }
    }

    #[test]
    fn a_long_passphrase_is_accepted() {
        for phrase in [
            "paard nietje",
            "fiets regen brug koffie",
            "De juf fietst om 8 uur!",
            "Ëén kleine über-zin",
        ] {
            assert_eq!(check_secret(phrase), Ok(()), "{phrase}");
        }
    }

    #[test]
    fn short_passphrases_are_refused_counting_spaces_once() {
        refused_as(
            &[
                "abcdef",
                "kort maar",
                "12 3456",
                "482913 ",
                "a          b",
                "  paardnietj  ",
            ],
            WeakSecret::PassphraseTooShort,
        );
    }

    #[test]
    fn repeated_passphrases_are_refused() {
        refused_as(
            &[
                "aaaaaaaaaaaa",
                "abcabcabcabc",
                "hallohallohallo",
                "Abc Abc Abc Abc",
            ],
            WeakSecret::RepeatedPattern,
        );
    }

    #[test]
    fn passphrase_runs_and_keyboard_rows_are_refused() {
        refused_as(
            &[
                "abcdefghijkl",
                "LKJIHGFEDCBA",
                "qwertyuiopas",
                "7890 qwer tyui",
            ],
            WeakSecret::Sequence,
        );
    }

    #[test]
    fn a_common_word_with_digits_and_symbols_is_refused() {
        refused_as(
            &["Wachtwoord2024!", "welkom welkom 12", "Meldcode123!"],
            WeakSecret::Common,
        );
    }

    #[test]
    fn a_very_long_passphrase_is_checked_without_stalling() {
        // The worst case for a naive search for a repeat: almost, but not quite, periodic.
        let long = format!("{}b", "a".repeat(500_000));
        assert_eq!(check_secret(&long), Ok(()));
        assert_eq!(
            check_secret(&"ab".repeat(500_000)),
            Err(WeakSecret::RepeatedPattern)
        );
    }

    #[test]
    fn every_reason_has_a_dutch_message_and_a_code() {
        for reason in [
            WeakSecret::TooShort,
            WeakSecret::OneDigitRepeated,
            WeakSecret::Sequence,
            WeakSecret::RepeatedPattern,
            WeakSecret::LooksLikeDate,
            WeakSecret::Common,
            WeakSecret::PassphraseTooShort,
        ] {
            assert!(reason.message_nl().ends_with('.'), "{reason:?}");
            assert!(!reason.code().is_empty());
            assert_eq!(reason.to_string(), reason.message_nl());
        }
    }
}
