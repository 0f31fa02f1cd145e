//! What the child itself says: a conversation with the child, and a disclosure (the child tells
//! about violence or abuse). Both keep the child's own words apart from the staff's account.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A conversation with the child about how it is doing (seed step 1: observe and talk).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildConversationInput {
    pub held_at: DateTime<Utc>,
    /// Full names of the staff who talked with the child.
    pub staff_present: Vec<String>,
    /// Why and where the conversation took place.
    pub occasion: String,
    /// What the child said, in its own words; none when it said nothing about the concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_words: Option<String>,
    /// What was observed and agreed, in the staff's words.
    pub record: String,
}

/// The child tells about violence or abuse. The 2019 meldnorm treats a disclosure as a reason to
/// report, and it calls for weighing at once.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureInput {
    pub disclosed_at: DateTime<Utc>,
    /// Full name of the person the child told.
    pub told_to: String,
    /// Where and how it came up.
    pub circumstances: String,
    /// The child's words, as literally as possible.
    pub child_words: String,
    /// How the staff member responded (listened, promised nothing, said what happens next).
    pub response: String,
}
