//! Records the seed asks for around the main steps: why Veilig Thuis was not asked for advice,
//! another cause found, the care team's intake, the help plan shared with the parents and the
//! family reaching the help, the parents told after a report, the evaluation with those
//! involved, and the pupil leaving the school.

use crate::ids::EventId;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Why no advice was asked of Veilig Thuis before the weighing (R5: any doubt means asking).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdviceSkippedInput {
    pub reason: String,
}

/// The signals turned out to have another cause, named here (R15: the close rests on it).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherCauseInput {
    pub found_at: DateTime<Utc>,
    /// The other cause, e.g. "een medische aandoening, bevestigd door de huisarts".
    pub cause: String,
    /// How it was found and who confirmed it.
    pub how_found: String,
}

/// The intake for a discussion in the care team (ZAT), held by social work or another member.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareTeamIntakeInput {
    pub held_at: DateTime<Utc>,
    /// Full name and function of whoever held the intake.
    pub intake_by: String,
    /// Full names of the parent(s) and staff who took part.
    pub participants: Vec<String>,
    pub notes: String,
}

/// The help plan discussed with the parents (seed 5a: "bespreek dit met de ouder").
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpPlanSharedInput {
    /// The `HelpPlanStarted` event.
    pub plan: EventId,
    pub shared_at: DateTime<Utc>,
    /// Full names of the parents it was shared with.
    pub shared_with: Vec<String>,
    pub reaction: String,
}

/// Whether the family actually reached the help it was referred to (seed 5a).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpReachedInput {
    pub plan: EventId,
    pub checked_at: DateTime<Utc>,
    pub reached: bool,
    pub notes: String,
}

/// The parents told that the report was made.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInformedInput {
    pub informed_at: DateTime<Utc>,
    /// Full names of the parents told.
    pub informed: Vec<String>,
    pub how: String,
    pub reaction: String,
}

/// The coordinator evaluates the steps taken with those involved (seed: responsibilities).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationInput {
    pub held_at: DateTime<Utc>,
    /// Full names of who took part.
    pub participants: Vec<String>,
    pub went_well: String,
    pub to_improve: String,
}

/// The coordinator's resolution of records that conflict because they were made offline on two
/// devices without either knowing the other (R11): which one stands, and why. Nothing is
/// removed: the others stay in the dossier, marked as set aside by this record.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictResolution {
    /// The records in conflict, as the case shows them.
    pub records: Vec<crate::ids::EventId>,
    /// The one that stands.
    pub kept: crate::ids::EventId,
    pub reasoning: String,
}

/// The pupil has left the school (AVG): the day starts the retention period of the school
/// profile, after which the closed case is destroyed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilLeftInput {
    pub left_on: NaiveDate,
    /// Where the pupil went, or anything else worth knowing when the dossier is asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Which copy of the dossier left the store.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportCopy {
    /// Everything, for Veilig Thuis, the Inspectie or a transfer.
    Full,
    /// The parent's inspection copy (AVG inzage): work notes and third parties masked.
    Inzage,
}

/// For whom a copy was made.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportRecipient {
    VeiligThuis,
    Inspectie,
    /// A transfer to the pupil's next school or to a care partner.
    Transfer,
    Parent,
    Other,
}

/// A copy of the dossier was made (R0): who made which copy for whom is itself on record. The
/// store fills in what the copy covered, so that a printed copy can be checked against it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportInput {
    pub copy: ExportCopy,
    pub recipient: ExportRecipient,
    /// Who exactly, when it helps later, e.g. the next school's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_note: Option<String>,
    /// How many records the copy holds, and the dossier head over them (SHA-256, hex).
    pub records: u32,
    pub head: String,
    /// How many parts were masked (inzage copy).
    pub masked: u32,
}

/// The tombstone of a destroyed case (R15 retention, AVG): which case, until when it was to be
/// kept, how many records it held and why it was destroyed. It keeps nothing of the content:
/// no name, no record. It lives in the school log, since the case itself is gone.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDestroyedInput {
    pub case: crate::ids::CaseId,
    pub retain_until: NaiveDate,
    pub records: u32,
    pub reason: String,
}
