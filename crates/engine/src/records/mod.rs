//! The records of steps 2–5 and the exceptions, as commands carry them and events keep them.

use crate::ids::{EventId, UserId};
use crate::urgent::UrgentKind;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

mod child;
mod follow_through;
mod staff_route;

pub use child::*;
pub use follow_through::*;
pub use staff_route::*;

/// Who the signals were talked through with (R3).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultPartner {
    Coordinator,
    Director,
    AttentionOfficer,
    ClassColleague,
    YouthHealthCare,
    CareTeam,
    YouthAndFamilyCentre,
    ConfidentialInspector,
    OtherExternalExpert,
}

impl ConsultPartner {
    /// Partners outside the school: discussing the pupil openly with them needs consent (R4).
    pub fn is_external(self) -> bool {
        match self {
            Self::Coordinator | Self::Director | Self::AttentionOfficer | Self::ClassColleague => {
                false
            }
            Self::YouthHealthCare
            | Self::CareTeam
            | Self::YouthAndFamilyCentre
            | Self::ConfidentialInspector
            | Self::OtherExternalExpert => true,
        }
    }

    /// The consent scope that covers an open discussion with this partner.
    pub fn consent_scope(self) -> Option<ConsentScope> {
        match self {
            Self::YouthHealthCare => Some(ConsentScope::YouthHealthCare),
            Self::CareTeam => Some(ConsentScope::CareTeam),
            Self::YouthAndFamilyCentre => Some(ConsentScope::YouthAndFamilyCentre),
            Self::OtherExternalExpert => Some(ConsentScope::OtherExternalExperts),
            // The board's legal duty in a staff case (WPO art. 4a): no parental consent needed.
            Self::ConfidentialInspector => None,
            _ => None,
        }
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationInput {
    pub held_at: DateTime<Utc>,
    pub partner: ConsultPartner,
    /// Full name and function of the person consulted.
    pub partner_name: String,
    /// Anonymous: the pupil was not named.
    pub anonymous: bool,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
}

/// Asking Veilig Thuis for advice (R5); always allowed anonymously.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdviceRequestInput {
    pub asked_at: DateTime<Utc>,
    pub anonymous: bool,
    pub question: String,
    pub advice_given: String,
    /// Veilig Thuis' reference or the name of the adviser, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentScope {
    CareTeam,
    YouthHealthCare,
    YouthAndFamilyCentre,
    OtherExternalExperts,
}

/// The parent's answer to the request to discuss the pupil openly (R4).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentInput {
    pub asked_at: DateTime<Utc>,
    pub parent_name: String,
    pub scopes: Vec<ConsentScope>,
    pub granted: bool,
    /// Only written consent allows an open discussion.
    pub written: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskIndexChoice {
    Registered,
    NotRegistered,
    SchoolNotConnected,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskIndexInput {
    pub choice: RiskIndexChoice,
    pub reasoning: String,
    /// The day of registration, when registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_on: Option<NaiveDate>,
    /// When to look at the registration again (a match, or ending it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_on: Option<NaiveDate>,
}

/// One person's signature under a conversation record, drawn on the screen where possible.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub signer_name: String,
    /// "ouder", "leerkracht", "intern begeleider", …
    pub signer_role: String,
    /// The drawn signature (e.g. SVG path data or a PNG data URL); none when not signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drawing: Option<String>,
    /// Why this person did not sign, when they did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_signed_reason: Option<String>,
}

/// The parent conversation in its five parts (R8).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentConversationInput {
    pub held_at: DateTime<Utc>,
    pub parents_present: Vec<String>,
    pub staff_present: Vec<String>,
    /// 1. The purpose of the conversation, as explained.
    pub purpose_explained: String,
    /// 2. The facts and observations described.
    pub facts_described: String,
    /// 3. The parent's reaction.
    pub parent_reaction: String,
    /// 4. Only after the reaction, if needed and possible: the interpretation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpretation: Option<String>,
    /// 5. The record of the conversation and the agreements made.
    pub record: String,
    pub signatures: Vec<Signature>,
    /// The concerns turned out to have another cause (the track may then be closed).
    #[serde(default)]
    pub other_cause_found: bool,
    /// The other cause, named, when one was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_cause: Option<String>,
    /// The conversation raised a suspicion of FGM or honour-related violence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgent_suspicion: Option<UrgentKind>,
}

/// Which conversation a safety ground lets the school skip.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionStage {
    /// Step 3: reporting without a parent conversation (R9).
    ParentConversation,
    /// Step 5b: reporting without discussing the report first (R12).
    ReportDiscussion,
}

/// The two grounds the code allows (R9, R12).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionGround {
    /// The safety of the pupil, the parent, the recorder or someone else is at stake.
    SafetyAtStake,
    /// Good reason to believe the parent would break off contact and leave the school.
    ParentWouldBreakContact,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionGroundInput {
    pub stage: ExceptionStage,
    pub ground: ExceptionGround,
    pub explanation: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Doubt,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Moderate,
    High,
}

/// Step 4 as the 2017 seed describes it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weighing2017 {
    pub risk: RiskLevel,
    /// Aard: the nature of what may be going on.
    pub nature: String,
    /// Ernst: its severity.
    pub severity: String,
    /// Can the school reasonably protect the pupil and family with help it organises?
    pub can_protect: Answer,
    pub reasoning: String,
}

/// Steps 4–5 as the 2019 afwegingskader for education asks them. Question 5 (does the help bring
/// lasting safety) is answered later, in the help reviews.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Framework2019 {
    /// 1. After steps 1–3, is there a suspicion?
    pub q1_suspicion: bool,
    /// 2. Is there (a suspicion of) acute and/or structural unsafety?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q2_unsafety: Option<Answer>,
    /// 3. Can the school or a partner offer or organise effective help?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q3_help_possible: Option<bool>,
    /// 4. Do those involved accept the help and take part?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q4_help_accepted: Option<bool>,
    pub reasoning: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "edition", rename_all = "snake_case")]
pub enum AssessmentInput {
    Meldcode2017(Weighing2017),
    Afwegingskader2019(Framework2019),
}

/// A risk-assessment instrument used in the weighing (seed step 4; primary schools often have
/// none).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskInstrument {
    pub name: String,
    pub outcome: String,
}

/// What was missing from steps 1–3 when the weighing was made, so the dossier shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BasisGap {
    /// No advice from Veilig Thuis; a reason was recorded instead (R5).
    VeiligThuisAdvice,
    /// No parent conversation; an R9 ground was recorded instead.
    ParentConversation,
    /// Neither Veilig Thuis nor youth health care was consulted (R10).
    VtOrYouthHealthConsulted,
    /// The Verwijsindex was not considered (R6).
    RiskIndexConsidered,
}

/// What the weighing rests on, filled in by the engine from the dossier (R10, R4).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentBasis {
    pub signals: u32,
    pub counter_indications: u32,
    pub consultations: u32,
    pub advice_requests: u32,
    pub parent_conversation: bool,
    pub conversation_ground: bool,
    /// Refused consent is itself a concern to weigh (R4).
    pub consent_refused: bool,
    /// Veilig Thuis or youth health care was consulted (R10).
    pub vt_or_youth_health_consulted: bool,
    pub urgent: Vec<UrgentKind>,
    // The fields below came later: left out when empty, so that events stored before them
    // serialise exactly as they were (their hashes stay valid).
    /// Disclosures by the child (a reason to report in the 2019 meldnorm).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub disclosures: u32,
    /// Help failed since the last weighing: concerns continued, no lasting safety, the family
    /// did not reach the help, or things got worse after a report. The meldnorm then reports.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub help_failed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<BasisGap>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What the weighing means for step 5, derived by the engine (the meldnorm in 2019).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentOutcome {
    /// No suspicion remains: close the case as unfounded.
    NoSuspicion,
    /// Reporting is required; help may come on top.
    ReportRequired,
    /// Help is possible; reporting is the school's call, with its reasoning.
    HelpPossible,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionInput {
    /// 5b: report to Veilig Thuis.
    pub report: bool,
    /// 5a: organise help (may go together with a report).
    pub organise_help: bool,
    pub reasoning: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpPlanInput {
    pub description: String,
    /// Full name of the case manager who follows the help.
    pub case_manager: String,
    /// Written agreements with those involved.
    pub agreements: String,
    /// The date by which the effect must show.
    pub effect_due: NaiveDate,
    /// Dated reviews of the effects.
    pub reviews: Vec<NaiveDate>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpEffect {
    /// Things are going the right way.
    Improving,
    /// Too little change yet.
    Insufficient,
    /// Signals that the violence does not stop or starts again: report after all.
    ConcernsContinue,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpReviewInput {
    /// The `HelpPlanStarted` event this review belongs to.
    pub plan: EventId,
    pub held_at: DateTime<Utc>,
    pub effect: HelpEffect,
    pub notes: String,
    /// Another review to add to the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_review: Option<NaiveDate>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpPlanEndInput {
    pub plan: EventId,
    /// 2019 question 5: did the help bring lasting safety within its term?
    pub lasting_safety: bool,
    /// Agreements on monitoring after the help ends.
    pub monitoring: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objection {
    pub objection: String,
    /// How the school tried to meet it.
    pub how_met: String,
}

/// Discussing the intended report with the parent and, from 12, the pupil (R12).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDiscussionInput {
    pub held_at: DateTime<Utc>,
    pub with_parent: bool,
    pub with_pupil: bool,
    pub participants: Vec<String>,
    /// Why the school intends to report and what the report is for.
    pub explanation: String,
    pub reaction: String,
    #[serde(default)]
    pub objections: Vec<Objection>,
    /// How the objections were weighed against the need to protect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objections_weighed: Option<String>,
}

/// The report to Veilig Thuis (5b).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInput {
    pub reported_at: DateTime<Utc>,
    /// Facts and events reported.
    pub facts: String,
    /// What of it came from others, and from whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_others: Option<String>,
    /// What the school itself will still do, as agreed with Veilig Thuis.
    pub school_will_do: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vt_reference: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Improvement {
    Sufficient,
    Insufficient,
    Worse,
}

/// Contact after the report (R13): Veilig Thuis' decision, and later whether things improve.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpInput {
    pub held_at: DateTime<Utc>,
    pub with_veilig_thuis: bool,
    pub improvement: Improvement,
    pub notes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_follow_up: Option<NaiveDate>,
}

/// A new record that corrects an earlier one; the earlier one stays as it was (R0).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionInput {
    pub corrects: EventId,
    pub reason: String,
    /// The corrected text, in full.
    pub corrected_text: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseOutcome {
    /// The concerns proved unfounded; said explicitly in the dossier.
    Unfounded,
    /// Another cause for the signals was found.
    OtherCauseFound,
    /// Help is in place and the case needs no more steps.
    HelpInPlace,
    /// Reported to Veilig Thuis and handed over.
    ReportedAndHandedOver,
    /// Staff case: the board's route (WPO art. 4a) went to its end.
    StaffRouteCompleted,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseInput {
    pub outcome: CaseOutcome,
    pub reasoning: String,
    /// Closing as reported without Veilig Thuis' answer: why it could not be had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_vt_answer_reason: Option<String>,
}

/// A school employee is suspected (R2).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSuspicionInput {
    pub staff_user: UserId,
    pub staff_name: String,
    pub note: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardInformedInput {
    pub informed_at: DateTime<Utc>,
    pub board_member: String,
    /// How the board was told, e.g. "telefonisch".
    pub how: String,
}

/// Acute and serious danger (R7).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyInput {
    pub declared_at: DateTime<Utc>,
    pub danger: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmergencyService {
    VeiligThuis,
    CrisisService,
    Police,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyCallInput {
    pub called_at: DateTime<Utc>,
    pub service: EmergencyService,
    pub summary: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgentFlagInput {
    pub kind: UrgentKind,
    pub reason: String,
}
