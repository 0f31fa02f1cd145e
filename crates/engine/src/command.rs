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
}

impl Command {
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
        }
    }
}
