//! What a user asks the engine to record. The app and the CLI send exactly this JSON.

use crate::ids::UserId;
use crate::people::{Parent, Pupil};
use crate::records::*;
use crate::signal::SignalInput;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    OpenCase {
        pupil: Pupil,
        #[serde(default)]
        parents: Vec<Parent>,
    },
    RecordSignal(SignalInput),
    InvolveColleague {
        user: UserId,
    },
    RaiseUrgentFlag(UrgentFlagInput),
    SuspectStaff(StaffSuspicionInput),
    RecordBoardInformed(BoardInformedInput),
    DeclareEmergency(EmergencyInput),
    RecordEmergencyCall(EmergencyCallInput),
    RecordConsultation(ConsultationInput),
    RequestAdvice(AdviceRequestInput),
    RecordConsent(ConsentInput),
    ConsiderRiskIndex(RiskIndexInput),
    RecordParentConversation(ParentConversationInput),
    RecordExceptionGround(ExceptionGroundInput),
    RecordAssessment {
        assessment: AssessmentInput,
        /// A risk-assessment instrument, when the school used one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instrument: Option<RiskInstrument>,
    },
    RecordDecision(DecisionInput),
    StartHelpPlan(HelpPlanInput),
    ReviewHelp(HelpReviewInput),
    EndHelpPlan(HelpPlanEndInput),
    RecordReportDiscussion(ReportDiscussionInput),
    MakeReport(ReportInput),
    RecordFollowUp(FollowUpInput),
    CorrectRecord(CorrectionInput),
    CloseCase(CloseInput),
    RecordChildConversation(ChildConversationInput),
    RecordDisclosure(DisclosureInput),
    InformParentsOfStaffCase(StaffCaseInformedInput),
    InformSuspectedStaff(StaffCaseInformedInput),
    RecordPoliceReportDecision(PoliceReportInput),
    RecordOtherCause(OtherCauseInput),
    RecordAdviceSkipped(AdviceSkippedInput),
    RecordCareTeamIntake(CareTeamIntakeInput),
    ShareHelpPlan(HelpPlanSharedInput),
    CheckHelpReached(HelpReachedInput),
    InformParentsOfReport(ReportInformedInput),
    RecordEvaluation(EvaluationInput),
    RecordPupilLeft(PupilLeftInput),
    /// Made by the store when it writes a copy of the dossier, never sent by the app.
    RecordExport(ExportInput),
    ResolveConflict(ConflictResolution),
}

impl Command {
    /// Every command's kind: the main route in the order of the code's steps (`open_case` first),
    /// then the records added around it, in the order of the enum.
    pub const KINDS: [&'static str; 39] = [
        "open_case",
        "record_signal",
        "involve_colleague",
        "raise_urgent_flag",
        "suspect_staff",
        "record_board_informed",
        "declare_emergency",
        "record_emergency_call",
        "record_consultation",
        "request_advice",
        "record_consent",
        "consider_risk_index",
        "record_parent_conversation",
        "record_exception_ground",
        "record_assessment",
        "record_decision",
        "start_help_plan",
        "review_help",
        "end_help_plan",
        "record_report_discussion",
        "make_report",
        "record_follow_up",
        "correct_record",
        "close_case",
        "record_child_conversation",
        "record_disclosure",
        "inform_parents_of_staff_case",
        "inform_suspected_staff",
        "record_police_report_decision",
        "record_other_cause",
        "record_advice_skipped",
        "record_care_team_intake",
        "share_help_plan",
        "check_help_reached",
        "inform_parents_of_report",
        "record_evaluation",
        "record_pupil_left",
        "record_export",
        "resolve_conflict",
    ];

    /// A stable name for logs and permission tables; never includes personal data.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::OpenCase { .. } => "open_case",
            Self::RecordSignal(_) => "record_signal",
            Self::InvolveColleague { .. } => "involve_colleague",
            Self::RaiseUrgentFlag(_) => "raise_urgent_flag",
            Self::SuspectStaff(_) => "suspect_staff",
            Self::RecordBoardInformed(_) => "record_board_informed",
            Self::DeclareEmergency(_) => "declare_emergency",
            Self::RecordEmergencyCall(_) => "record_emergency_call",
            Self::RecordConsultation(_) => "record_consultation",
            Self::RequestAdvice(_) => "request_advice",
            Self::RecordConsent(_) => "record_consent",
            Self::ConsiderRiskIndex(_) => "consider_risk_index",
            Self::RecordParentConversation(_) => "record_parent_conversation",
            Self::RecordExceptionGround(_) => "record_exception_ground",
            Self::RecordAssessment { .. } => "record_assessment",
            Self::RecordDecision(_) => "record_decision",
            Self::StartHelpPlan(_) => "start_help_plan",
            Self::ReviewHelp(_) => "review_help",
            Self::EndHelpPlan(_) => "end_help_plan",
            Self::RecordReportDiscussion(_) => "record_report_discussion",
            Self::MakeReport(_) => "make_report",
            Self::RecordFollowUp(_) => "record_follow_up",
            Self::CorrectRecord(_) => "correct_record",
            Self::CloseCase(_) => "close_case",
            Self::RecordChildConversation(_) => "record_child_conversation",
            Self::RecordDisclosure(_) => "record_disclosure",
            Self::InformParentsOfStaffCase(_) => "inform_parents_of_staff_case",
            Self::InformSuspectedStaff(_) => "inform_suspected_staff",
            Self::RecordPoliceReportDecision(_) => "record_police_report_decision",
            Self::RecordOtherCause(_) => "record_other_cause",
            Self::RecordAdviceSkipped(_) => "record_advice_skipped",
            Self::RecordCareTeamIntake(_) => "record_care_team_intake",
            Self::ShareHelpPlan(_) => "share_help_plan",
            Self::CheckHelpReached(_) => "check_help_reached",
            Self::InformParentsOfReport(_) => "inform_parents_of_report",
            Self::RecordEvaluation(_) => "record_evaluation",
            Self::RecordPupilLeft(_) => "record_pupil_left",
            Self::RecordExport(_) => "record_export",
            Self::ResolveConflict(_) => "resolve_conflict",
        }
    }
}
