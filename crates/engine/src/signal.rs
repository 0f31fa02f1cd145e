//! A signal as the teacher records it (step 1, R1).

use serde::{Deserialize, Serialize};

/// Where the signal was seen or heard.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalContext {
    /// Halen.
    PickUp,
    /// Brengen.
    DropOff,
    Classroom,
    Playground,
    HomeVisit,
    Other,
}

/// Own observation or information from someone else, and from whom (R1).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignalSource {
    Own,
    Other {
        /// Full name of who told it.
        who: String,
        /// Their relation to the pupil or school, e.g. "overblijfmoeder", "buurvrouw".
        relation: String,
    },
}

/// Whether the signal supports the concern or argues against it: the dossier keeps both.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indication {
    #[default]
    Concern,
    CounterIndication,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodySide {
    Front,
    Back,
}

/// A mark seen on the body, placed on an outline. Positions are per mille of the outline's width
/// and height so that the JSON stays exact across devices.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyMark {
    pub side: BodySide,
    pub x_permille: u16,
    pub y_permille: u16,
    /// What was seen, e.g. "blauwe plek, ca. 3 cm, geelgroen".
    pub seen: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalInput {
    pub observed_at: chrono::DateTime<chrono::Utc>,
    pub context: SignalContext,
    /// Free text for the place when it is `other` or needs detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_detail: Option<String>,
    /// What was seen or heard, as facts.
    pub facts: String,
    /// The child's own words, verbatim, kept apart from the recorder's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_words: Option<String>,
    pub source: SignalSource,
    /// Codes from the signal catalogue that fit this observation.
    #[serde(default)]
    pub catalogue_codes: Vec<String>,
    #[serde(default)]
    pub body_marks: Vec<BodyMark>,
    #[serde(default)]
    pub indication: Indication,
}
