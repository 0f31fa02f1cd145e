//! The signal catalogue (signalenlijst): known signals for pupils aged 4–12, by category.
//!
//! The list is data, not code: it lives in `data/signal_catalogue.json` so that it can be
//! reviewed by people who know the field without reading Rust, and a school can later ship its
//! own. Every text is an observable fact, never a judgement (R14): the school does not establish
//! abuse, and a chip that reads like a verdict would push a teacher towards one.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::urgent::UrgentKind;

/// Embedded rather than read at run time: the engine does no I/O, and the app must have its
/// catalogue on the first start, offline.
const DEFAULT_CATALOGUE_JSON: &str = include_str!("../data/signal_catalogue.json");

/// A text in both UI languages.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalText {
    pub nl: String,
    pub en: String,
}

impl LocalText {
    fn is_blank(&self) -> bool {
        self.nl.trim().is_empty() || self.en.trim().is_empty()
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalCategory {
    Physical,
    Behaviour,
    Emotional,
    Development,
    ParentChildInteraction,
    Neglect,
    SexualAbuse,
    WitnessingDomesticViolence,
    FemaleGenitalMutilation,
    HonourRelatedViolence,
}

impl SignalCategory {
    /// Every category, in the order the UI shows them.
    pub const ALL: [SignalCategory; 10] = [
        Self::Physical,
        Self::Behaviour,
        Self::Emotional,
        Self::Development,
        Self::ParentChildInteraction,
        Self::Neglect,
        Self::SexualAbuse,
        Self::WitnessingDomesticViolence,
        Self::FemaleGenitalMutilation,
        Self::HonourRelatedViolence,
    ];

    /// The serialised name, which is also the prefix of every signal code in the category.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Physical => "physical",
            Self::Behaviour => "behaviour",
            Self::Emotional => "emotional",
            Self::Development => "development",
            Self::ParentChildInteraction => "parent_child_interaction",
            Self::Neglect => "neglect",
            Self::SexualAbuse => "sexual_abuse",
            Self::WitnessingDomesticViolence => "witnessing_domestic_violence",
            Self::FemaleGenitalMutilation => "female_genital_mutilation",
            Self::HonourRelatedViolence => "honour_related_violence",
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryInfo {
    pub category: SignalCategory,
    pub label: LocalText,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSignal {
    /// Stable id, `<category>.<name>`: recorded signals keep pointing at it across versions,
    /// so a code is never reused for a different observation.
    pub code: String,
    pub category: SignalCategory,
    pub text: LocalText,
    /// Set when choosing this signal must change the route at once (R8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgent: Option<UrgentKind>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalCatalogue {
    pub version: u32,
    /// Shown with the list: one signal proves nothing.
    pub warning: LocalText,
    pub categories: Vec<CategoryInfo>,
    pub signals: Vec<CatalogueSignal>,
}

/// A catalogue file that cannot be used. The message is English: it is meant for whoever edits
/// the data file, not for staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueError {
    pub code: &'static str,
    pub message: String,
}

impl CatalogueError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CatalogueError {}

impl SignalCatalogue {
    /// The catalogue shipped with the app.
    pub fn default_catalogue() -> Self {
        // The embedded file is fixed at compile time and `default_catalogue_loads` checks it,
        // so a failure here is a build defect, not a run-time condition to handle.
        Self::from_json(DEFAULT_CATALOGUE_JSON).expect("the embedded signal catalogue is valid")
    }

    pub fn from_json(text: &str) -> Result<Self, CatalogueError> {
        let catalogue: Self = serde_json::from_str(text)
            .map_err(|e| CatalogueError::new("catalogue_json", e.to_string()))?;
        catalogue.validate()?;
        Ok(catalogue)
    }

    pub fn get(&self, code: &str) -> Option<&CatalogueSignal> {
        self.signals.iter().find(|s| s.code == code)
    }

    pub fn in_category(&self, c: SignalCategory) -> impl Iterator<Item = &CatalogueSignal> {
        self.signals.iter().filter(move |s| s.category == c)
    }

    /// The label of a category; `validate` guarantees every category has one.
    pub fn label(&self, c: SignalCategory) -> Option<&LocalText> {
        self.categories
            .iter()
            .find(|info| info.category == c)
            .map(|info| &info.label)
    }

    fn validate(&self) -> Result<(), CatalogueError> {
        if self.version == 0 {
            return Err(CatalogueError::new(
                "catalogue_version",
                "version must be 1 or higher",
            ));
        }
        if self.warning.is_blank() {
            return Err(CatalogueError::new(
                "empty_text",
                "the warning needs both a Dutch and an English text",
            ));
        }
        let mut labelled = HashSet::new();
        for info in &self.categories {
            if !labelled.insert(info.category) {
                return Err(CatalogueError::new(
                    "duplicate_category",
                    format!("category {} is labelled twice", info.category.as_str()),
                ));
            }
            if info.label.is_blank() {
                return Err(CatalogueError::new(
                    "empty_text",
                    format!(
                        "category {} needs both a Dutch and an English label",
                        info.category.as_str()
                    ),
                ));
            }
        }
        // Every category, not just the used ones: the UI shows them all as headings.
        if let Some(missing) = SignalCategory::ALL.iter().find(|c| !labelled.contains(*c)) {
            return Err(CatalogueError::new(
                "category_unlabelled",
                format!("category {} has no label", missing.as_str()),
            ));
        }
        let mut codes = HashSet::new();
        for signal in &self.signals {
            check_code(signal)?;
            if !codes.insert(signal.code.as_str()) {
                return Err(CatalogueError::new(
                    "duplicate_signal_code",
                    format!("signal code {} is used more than once", signal.code),
                ));
            }
            if signal.text.is_blank() {
                return Err(CatalogueError::new(
                    "empty_text",
                    format!(
                        "signal {} needs both a Dutch and an English text",
                        signal.code
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Codes end up in stored events and URLs, so they are kept to a plain, predictable shape.
fn check_code(signal: &CatalogueSignal) -> Result<(), CatalogueError> {
    let prefix = signal.category.as_str();
    let Some(name) = signal
        .code
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('.'))
    else {
        return Err(CatalogueError::new(
            "code_category_mismatch",
            format!(
                "signal code {} must start with its category, {prefix}.",
                signal.code
            ),
        ));
    };
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !plain {
        return Err(CatalogueError::new(
            "invalid_signal_code",
            format!(
                "signal code {} may only use a-z, 0-9 and _ after the category",
                signal.code
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words that state a conclusion about what happened or who did it (R14). They are matched
    /// as parts of words, so "mishandeld" also catches "mishandelde".
    const VERDICTS: [&str; 12] = [
        "mishandeld",
        "mishandelt",
        "misbruikt",
        "slachtoffer",
        "dader",
        "bewezen",
        "schuldig",
        "verwaarloosd",
        "verkracht",
        "getraumatiseerd",
        "besneden",
        "abused",
    ];

    fn default_json() -> serde_json::Value {
        serde_json::from_str(DEFAULT_CATALOGUE_JSON).expect("embedded JSON parses")
    }

    fn rejected(json: &serde_json::Value) -> CatalogueError {
        SignalCatalogue::from_json(&json.to_string()).expect_err("catalogue should be refused")
    }

    #[test]
    fn default_catalogue_loads() {
        let catalogue = SignalCatalogue::default_catalogue();
        assert!(catalogue.version >= 1);
        assert!(catalogue.warning.nl.contains("Eén signaal"));
        assert_eq!(catalogue.categories.len(), SignalCategory::ALL.len());
    }

    #[test]
    fn every_category_has_at_least_four_signals() {
        let catalogue = SignalCatalogue::default_catalogue();
        for c in SignalCategory::ALL {
            let n = catalogue.in_category(c).count();
            assert!(n >= 4, "{} has only {n} signals", c.as_str());
        }
    }

    #[test]
    fn codes_are_unique_and_found_by_get() {
        let catalogue = SignalCatalogue::default_catalogue();
        let codes: HashSet<_> = catalogue.signals.iter().map(|s| &s.code).collect();
        assert_eq!(codes.len(), catalogue.signals.len());
        for s in &catalogue.signals {
            assert_eq!(catalogue.get(&s.code), Some(s));
        }
        assert!(catalogue.get("physical.no_such_signal").is_none());
    }

    #[test]
    fn category_serialises_as_the_code_prefix() {
        for c in SignalCategory::ALL {
            let json = serde_json::to_string(&c).expect("serialises");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
    }

    #[test]
    fn r14_no_signal_text_words_a_diagnosis() {
        let catalogue = SignalCatalogue::default_catalogue();
        let texts = catalogue
            .signals
            .iter()
            .map(|s| &s.text)
            .chain(catalogue.categories.iter().map(|c| &c.label))
            .chain(std::iter::once(&catalogue.warning));
        for text in texts {
            for part in [&text.nl, &text.en] {
                let lower = part.to_lowercase();
                for verdict in VERDICTS {
                    assert!(!lower.contains(verdict), "'{part}' contains '{verdict}'");
                }
            }
        }
    }

    #[test]
    fn r8_fgm_and_hrv_categories_have_urgent_signals() {
        let catalogue = SignalCatalogue::default_catalogue();
        for (category, kind) in [
            (
                SignalCategory::FemaleGenitalMutilation,
                UrgentKind::FemaleGenitalMutilation,
            ),
            (
                SignalCategory::HonourRelatedViolence,
                UrgentKind::HonourRelatedViolence,
            ),
        ] {
            assert!(
                catalogue
                    .in_category(category)
                    .any(|s| s.urgent == Some(kind)),
                "{} has no urgent signal",
                category.as_str()
            );
        }
    }

    #[test]
    fn r8_urgent_kind_matches_its_category() {
        // An urgent flag raised from an unrelated category would send staff down the wrong
        // urgent route.
        let catalogue = SignalCatalogue::default_catalogue();
        for s in &catalogue.signals {
            let expected = match s.category {
                SignalCategory::FemaleGenitalMutilation => UrgentKind::FemaleGenitalMutilation,
                SignalCategory::HonourRelatedViolence => UrgentKind::HonourRelatedViolence,
                _ => {
                    assert_eq!(s.urgent, None, "{} is urgent outside FGM/HRV", s.code);
                    continue;
                }
            };
            if let Some(kind) = s.urgent {
                assert_eq!(kind, expected, "{}", s.code);
            }
        }
    }

    #[test]
    fn rejects_a_duplicate_code() {
        let mut json = default_json();
        let first = json["signals"][0].clone();
        json["signals"]
            .as_array_mut()
            .expect("signals is an array")
            .push(first);
        assert_eq!(rejected(&json).code, "duplicate_signal_code");
    }

    #[test]
    fn rejects_a_code_outside_its_category() {
        let mut json = default_json();
        json["signals"][0]["code"] = "neglect.unexplained_bruises".into();
        assert_eq!(rejected(&json).code, "code_category_mismatch");
        json["signals"][0]["code"] = "physical.Bruises here".into();
        assert_eq!(rejected(&json).code, "invalid_signal_code");
        json["signals"][0]["code"] = "physical.".into();
        assert_eq!(rejected(&json).code, "invalid_signal_code");
    }

    #[test]
    fn rejects_an_unlabelled_category() {
        let mut json = default_json();
        json["categories"]
            .as_array_mut()
            .expect("categories is an array")
            .pop();
        let err = rejected(&json);
        assert_eq!(err.code, "category_unlabelled");
        assert!(err.message.contains("honour_related_violence"));
    }

    #[test]
    fn rejects_empty_texts() {
        let mut json = default_json();
        json["signals"][3]["text"]["en"] = " ".into();
        assert_eq!(rejected(&json).code, "empty_text");

        let mut json = default_json();
        json["warning"]["nl"] = "".into();
        assert_eq!(rejected(&json).code, "empty_text");

        let mut json = default_json();
        json["categories"][0]["label"]["nl"] = "".into();
        assert_eq!(rejected(&json).code, "empty_text");
    }

    #[test]
    fn rejects_bad_json_and_unknown_fields_without_panicking() {
        assert_eq!(
            SignalCatalogue::from_json("{ not json")
                .expect_err("refused")
                .code,
            "catalogue_json"
        );
        let mut json = default_json();
        json["signals"][0]["urgnet"] = "honour_related_violence".into();
        assert_eq!(rejected(&json).code, "catalogue_json");
    }

    #[test]
    fn round_trips_through_json() {
        let catalogue = SignalCatalogue::default_catalogue();
        let text = serde_json::to_string(&catalogue).expect("serialises");
        assert_eq!(SignalCatalogue::from_json(&text), Ok(catalogue));
    }
}
