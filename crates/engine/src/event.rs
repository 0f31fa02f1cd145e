//! What happened, as the append-only log keeps it. The JSON shape is versioned
//! (`EVENT_SCHEMA_VERSION`) and pinned by a test so that old events keep loading.

use crate::ids::UserId;
use crate::people::{Parent, Pupil};
use crate::records::*;
use crate::signal::SignalInput;
use crate::urgent::UrgentKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Bump only with a migration of stored events; the shape test pins version 1.
pub const EVENT_SCHEMA_VERSION: u16 = 1;

/// What raised an urgent flag, so the dossier shows why the route changed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum FlagTrigger {
    Manual,
    CatalogueSignal { code: String },
    ParentConversation,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgentFlag {
    pub kind: UrgentKind,
    pub reason: String,
    pub trigger: FlagTrigger,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    pub assessment: AssessmentInput,
    pub basis: AssessmentBasis,
    pub outcome: AssessmentOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<RiskInstrument>,
}

/// How a report came about: through the steps, or first, in an emergency (R7).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportRoute {
    Steps,
    Emergency,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRecord {
    pub report: ReportInput,
    pub route: ReportRoute,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventPayload {
    CaseOpened {
        pupil: Pupil,
        parents: Vec<Parent>,
    },
    SignalRecorded(SignalInput),
    ColleagueInvolved {
        user: UserId,
    },
    UrgentFlagRaised(UrgentFlag),
    StaffSuspected(StaffSuspicionInput),
    BoardInformed(BoardInformedInput),
    EmergencyDeclared(EmergencyInput),
    EmergencyCallMade(EmergencyCallInput),
    ConsultationRecorded(ConsultationInput),
    AdviceRequested(AdviceRequestInput),
    ConsentRecorded(ConsentInput),
    RiskIndexConsidered(RiskIndexInput),
    ParentConversationRecorded(ParentConversationInput),
    ExceptionGroundRecorded(ExceptionGroundInput),
    AssessmentRecorded(AssessmentRecord),
    DecisionRecorded(DecisionInput),
    HelpPlanStarted(HelpPlanInput),
    HelpReviewed(HelpReviewInput),
    HelpPlanEnded(HelpPlanEndInput),
    ReportDiscussed(ReportDiscussionInput),
    ReportMade(ReportRecord),
    FollowUpRecorded(FollowUpInput),
    RecordCorrected(CorrectionInput),
    CaseClosed(CloseInput),
    ChildConversationRecorded(ChildConversationInput),
    DisclosureRecorded(DisclosureInput),
    StaffCaseParentsInformed(StaffCaseInformedInput),
    SuspectedStaffInformed(StaffCaseInformedInput),
    PoliceReportDecided(PoliceReportInput),
    OtherCauseRecorded(OtherCauseInput),
    AdviceSkipped(AdviceSkippedInput),
    CareTeamIntakeHeld(CareTeamIntakeInput),
    HelpPlanShared(HelpPlanSharedInput),
    HelpReachChecked(HelpReachedInput),
    ParentsInformedOfReport(ReportInformedInput),
    CaseEvaluated(EvaluationInput),
    PupilLeftSchool(PupilLeftInput),
    DossierExported(ExportInput),
    ConflictResolved(ConflictResolution),
    // The school log (`school_log`): user administration, not part of any case.
    UserAdded {
        user: crate::people::User,
        with_recovery_key: bool,
    },
    UserRemoved {
        user: UserId,
    },
    PinReset {
        user: UserId,
        with_recovery_key: bool,
    },
    RoleChanged {
        user: UserId,
        role: crate::people::Role,
        with_recovery_key: bool,
    },
    /// A user chose a new PIN herself (a first PIN set by someone else, or any later change). In
    /// a school with a server it holds on all her devices, which hear of it through this record.
    PinChanged {
        user: UserId,
    },
    /// The colleague no longer works on that device: it receives none of her cases from now on,
    /// and her PIN no longer opens it.
    UserUnassigned {
        user: UserId,
        device: crate::ids::DeviceId,
        with_recovery_key: bool,
    },
    /// The colleague may work on another device of the school too: it receives her cases, and
    /// her PIN opens it.
    UserAssigned {
        user: UserId,
        device: crate::ids::DeviceId,
        with_recovery_key: bool,
    },
    /// A closed case past its retention period was destroyed: its records are gone from every
    /// device; this tombstone says which case, when, by whom and why.
    CaseDestroyed(CaseDestroyedInput),
}

impl EventPayload {
    /// When the recorded thing happened, where the record says; otherwise it is the recording.
    pub fn occurred_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::SignalRecorded(s) => Some(s.observed_at),
            Self::BoardInformed(b) => Some(b.informed_at),
            Self::EmergencyDeclared(e) => Some(e.declared_at),
            Self::EmergencyCallMade(c) => Some(c.called_at),
            Self::ConsultationRecorded(c) => Some(c.held_at),
            Self::AdviceRequested(a) => Some(a.asked_at),
            Self::ConsentRecorded(c) => Some(c.asked_at),
            Self::ParentConversationRecorded(c) => Some(c.held_at),
            Self::HelpReviewed(r) => Some(r.held_at),
            Self::ReportDiscussed(d) => Some(d.held_at),
            Self::ReportMade(r) => Some(r.report.reported_at),
            Self::FollowUpRecorded(f) => Some(f.held_at),
            Self::ChildConversationRecorded(c) => Some(c.held_at),
            Self::DisclosureRecorded(d) => Some(d.disclosed_at),
            Self::StaffCaseParentsInformed(i) | Self::SuspectedStaffInformed(i) => {
                Some(i.informed_at)
            }
            Self::PoliceReportDecided(p) => Some(p.decided_at),
            Self::OtherCauseRecorded(o) => Some(o.found_at),
            Self::CareTeamIntakeHeld(i) => Some(i.held_at),
            Self::HelpPlanShared(s) => Some(s.shared_at),
            Self::HelpReachChecked(c) => Some(c.checked_at),
            Self::ParentsInformedOfReport(i) => Some(i.informed_at),
            Self::CaseEvaluated(e) => Some(e.held_at),
            _ => None,
        }
    }

    /// A stable name for the event type; never includes personal data.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::CaseOpened { .. } => "case_opened",
            Self::SignalRecorded(_) => "signal_recorded",
            Self::ColleagueInvolved { .. } => "colleague_involved",
            Self::UrgentFlagRaised(_) => "urgent_flag_raised",
            Self::StaffSuspected(_) => "staff_suspected",
            Self::BoardInformed(_) => "board_informed",
            Self::EmergencyDeclared(_) => "emergency_declared",
            Self::EmergencyCallMade(_) => "emergency_call_made",
            Self::ConsultationRecorded(_) => "consultation_recorded",
            Self::AdviceRequested(_) => "advice_requested",
            Self::ConsentRecorded(_) => "consent_recorded",
            Self::RiskIndexConsidered(_) => "risk_index_considered",
            Self::ParentConversationRecorded(_) => "parent_conversation_recorded",
            Self::ExceptionGroundRecorded(_) => "exception_ground_recorded",
            Self::AssessmentRecorded(_) => "assessment_recorded",
            Self::DecisionRecorded(_) => "decision_recorded",
            Self::HelpPlanStarted(_) => "help_plan_started",
            Self::HelpReviewed(_) => "help_reviewed",
            Self::HelpPlanEnded(_) => "help_plan_ended",
            Self::ReportDiscussed(_) => "report_discussed",
            Self::ReportMade(_) => "report_made",
            Self::FollowUpRecorded(_) => "follow_up_recorded",
            Self::RecordCorrected(_) => "record_corrected",
            Self::CaseClosed(_) => "case_closed",
            Self::ChildConversationRecorded(_) => "child_conversation_recorded",
            Self::DisclosureRecorded(_) => "disclosure_recorded",
            Self::StaffCaseParentsInformed(_) => "staff_case_parents_informed",
            Self::SuspectedStaffInformed(_) => "suspected_staff_informed",
            Self::PoliceReportDecided(_) => "police_report_decided",
            Self::OtherCauseRecorded(_) => "other_cause_recorded",
            Self::AdviceSkipped(_) => "advice_skipped",
            Self::CareTeamIntakeHeld(_) => "care_team_intake_held",
            Self::HelpPlanShared(_) => "help_plan_shared",
            Self::HelpReachChecked(_) => "help_reach_checked",
            Self::ParentsInformedOfReport(_) => "parents_informed_of_report",
            Self::CaseEvaluated(_) => "case_evaluated",
            Self::PupilLeftSchool(_) => "pupil_left_school",
            Self::DossierExported(_) => "dossier_exported",
            Self::ConflictResolved(_) => "conflict_resolved",
            Self::UserAdded { .. } => "user_added",
            Self::UserRemoved { .. } => "user_removed",
            Self::PinReset { .. } => "pin_reset",
            Self::RoleChanged { .. } => "role_changed",
            Self::UserAssigned { .. } => "user_assigned",
            Self::PinChanged { .. } => "pin_changed",
            Self::UserUnassigned { .. } => "user_unassigned",
            Self::CaseDestroyed(_) => "case_destroyed",
        }
    }
}
