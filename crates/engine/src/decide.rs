//! The decider: checks a command against the case and the rules, and says what happened.

use crate::catalogue::SignalCatalogue;
use crate::command::Command;
use crate::event::{AssessmentRecord, EventPayload, ReportRecord, UrgentFlag};
use crate::people::Actor;
use crate::policy::CasePolicy;
use crate::rules::*;
use crate::state::CaseState;
use crate::violation::Violation;
use chrono::{DateTime, Utc};

/// Everything a decision depends on besides the case: who asks, when, and the school's choices.
#[derive(Clone, Copy, Debug)]
pub struct DecideContext<'a> {
    pub actor: Actor,
    pub now: DateTime<Utc>,
    pub policy: CasePolicy,
    pub catalogue: &'a SignalCatalogue,
}

/// Decides one command. `Ok` holds the events to append (at least one); `Err` names the rule
/// that refused it, with a Dutch message for the person who tried.
pub fn decide(
    state: &CaseState,
    ctx: &DecideContext<'_>,
    command: &Command,
) -> Result<Vec<EventPayload>, Violation> {
    r15_closing::check_case_writable(state, command)?;
    r00_record::check_case_exists(state, command)?;
    r14_roles::check_permission(state, ctx.actor, command)?;
    r08_parent_conversation::check_urgent_route_first(state, command)?;
    r11_offline_conflict::check_no_open_conflict(state, command)?;

    let event = match command {
        Command::OpenCase { pupil, parents } => {
            r00_record::check_open_case(pupil, parents, ctx.now)?;
            EventPayload::CaseOpened {
                pupil: pupil.clone(),
                parents: parents.clone(),
            }
        }
        Command::RecordSignal(signal) => {
            let urgent = r01_facts_and_sources::check_signal(signal, ctx)?;
            let mut events = vec![EventPayload::SignalRecorded(signal.clone())];
            events.extend(
                urgent
                    .into_iter()
                    .filter(|f| !state.urgent_kinds().contains(&f.kind))
                    .map(EventPayload::UrgentFlagRaised),
            );
            return Ok(events);
        }
        Command::InvolveColleague { user } => {
            r02_staff_suspected::check_involve(state, *user)?;
            EventPayload::ColleagueInvolved { user: *user }
        }
        Command::RaiseUrgentFlag(flag) => {
            r08_parent_conversation::check_urgent_flag(flag)?;
            EventPayload::UrgentFlagRaised(UrgentFlag {
                kind: flag.kind,
                reason: flag.reason.clone(),
                trigger: crate::event::FlagTrigger::Manual,
            })
        }
        Command::SuspectStaff(input) => {
            r02_staff_suspected::check_suspicion(state, ctx.actor, input)?;
            EventPayload::StaffSuspected(input.clone())
        }
        Command::RecordBoardInformed(input) => {
            r02_staff_suspected::check_board_informed(state, input, ctx.now)?;
            r00_record::require_full_name(&input.board_member, "het bestuurslid")?;
            EventPayload::BoardInformed(input.clone())
        }
        Command::DeclareEmergency(input) => {
            r07_emergency::check_emergency(state, input, ctx.now)?;
            EventPayload::EmergencyDeclared(input.clone())
        }
        Command::RecordEmergencyCall(input) => {
            r07_emergency::check_emergency_call(input, ctx.now)?;
            EventPayload::EmergencyCallMade(input.clone())
        }
        Command::RecordConsultation(input) => {
            r03_consultation::check_consultation(state, input, ctx.now)?;
            r04_consent::check_open_discussion_allowed(state, input)?;
            EventPayload::ConsultationRecorded(input.clone())
        }
        Command::RequestAdvice(input) => {
            r05_advice::check_advice_request(input, ctx.now)?;
            EventPayload::AdviceRequested(input.clone())
        }
        Command::RecordConsent(input) => {
            r04_consent::check_consent(input, ctx.now)?;
            r00_record::require_full_name(&input.parent_name, "de ouder")?;
            EventPayload::ConsentRecorded(input.clone())
        }
        Command::ConsiderRiskIndex(input) => {
            r06_risk_index::check_risk_index(state, input)?;
            EventPayload::RiskIndexConsidered(input.clone())
        }
        Command::RecordParentConversation(input) => {
            r08_parent_conversation::check_conversation(input, ctx.now)?;
            r08_parent_conversation::check_signed_by_all(input)?;
            let mut events = vec![EventPayload::ParentConversationRecorded(input.clone())];
            if let Some(kind) = input.urgent_suspicion {
                if !state.urgent_kinds().contains(&kind) {
                    events.push(EventPayload::UrgentFlagRaised(UrgentFlag {
                        kind,
                        reason: "Vermoeden ontstaan tijdens het gesprek met de ouder.".into(),
                        trigger: crate::event::FlagTrigger::ParentConversation,
                    }));
                }
            }
            return Ok(events);
        }
        Command::RecordExceptionGround(input) => {
            r09_report_without_parent_talk::check_ground(input)?;
            r12_report_discussion::check_ground_follows_decision(state, input)?;
            EventPayload::ExceptionGroundRecorded(input.clone())
        }
        Command::RecordAssessment {
            assessment,
            instrument,
        } => {
            let (basis, outcome) =
                r10_weighing::check_assessment(state, ctx.policy, assessment, instrument.as_ref())?;
            EventPayload::AssessmentRecorded(AssessmentRecord {
                assessment: assessment.clone(),
                basis,
                outcome,
                instrument: instrument.clone(),
            })
        }
        Command::RecordDecision(input) => {
            r11_decide::check_decision(state, input)?;
            EventPayload::DecisionRecorded(input.clone())
        }
        Command::StartHelpPlan(input) => {
            r11_decide::check_help_plan(state, input, ctx.now)?;
            r00_record::require_full_name(&input.case_manager, "de casusregisseur")?;
            EventPayload::HelpPlanStarted(input.clone())
        }
        Command::ReviewHelp(input) => {
            r11_decide::check_help_review(state, input, ctx.now)?;
            EventPayload::HelpReviewed(input.clone())
        }
        Command::EndHelpPlan(input) => {
            r11_decide::check_help_plan_end(state, input)?;
            EventPayload::HelpPlanEnded(input.clone())
        }
        Command::RecordReportDiscussion(input) => {
            r12_report_discussion::check_discussion(state, input, ctx.now)?;
            EventPayload::ReportDiscussed(input.clone())
        }
        Command::MakeReport(input) => {
            let route = r11_decide::check_report_route(state)?;
            r09_report_without_parent_talk::check_conversation_or_ground(state, route)?;
            r12_report_discussion::check_discussed_or_ground(state, route)?;
            r01_facts_and_sources::check_report_facts(state, input, ctx.now)?;
            EventPayload::ReportMade(ReportRecord {
                report: input.clone(),
                route,
            })
        }
        Command::RecordFollowUp(input) => {
            r13_follow_up::check_follow_up(state, input, ctx.now)?;
            EventPayload::FollowUpRecorded(input.clone())
        }
        Command::CorrectRecord(input) => {
            r00_record::check_correction(state, ctx.actor, input)?;
            EventPayload::RecordCorrected(input.clone())
        }
        Command::CloseCase(input) => {
            r15_closing::check_close(state, input)?;
            EventPayload::CaseClosed(input.clone())
        }
        Command::RecordChildConversation(input) => {
            r01_child::check_child_conversation(input, ctx.now)?;
            EventPayload::ChildConversationRecorded(input.clone())
        }
        Command::RecordDisclosure(input) => {
            r01_child::check_disclosure(input, ctx.now)?;
            EventPayload::DisclosureRecorded(input.clone())
        }
        Command::InformParentsOfStaffCase(input) => {
            r02_staff_route::check_informed(state, input, ctx.now)?;
            EventPayload::StaffCaseParentsInformed(input.clone())
        }
        Command::InformSuspectedStaff(input) => {
            r02_staff_route::check_informed(state, input, ctx.now)?;
            EventPayload::SuspectedStaffInformed(input.clone())
        }
        Command::RecordPoliceReportDecision(input) => {
            r02_staff_route::check_police_decision(state, input, ctx.now)?;
            EventPayload::PoliceReportDecided(input.clone())
        }
        Command::RecordOtherCause(input) => {
            r15_closing::check_other_cause(input, ctx.now)?;
            EventPayload::OtherCauseRecorded(input.clone())
        }
        Command::RecordAdviceSkipped(input) => {
            r05_advice::check_advice_skipped(state, input)?;
            EventPayload::AdviceSkipped(input.clone())
        }
        Command::RecordCareTeamIntake(input) => {
            r03_consultation::check_care_team_intake(input, ctx.now)?;
            EventPayload::CareTeamIntakeHeld(input.clone())
        }
        Command::ShareHelpPlan(input) => {
            r11_help_follow_through::check_shared(state, input, ctx.now)?;
            EventPayload::HelpPlanShared(input.clone())
        }
        Command::CheckHelpReached(input) => {
            r11_help_follow_through::check_reached(state, input, ctx.now)?;
            EventPayload::HelpReachChecked(input.clone())
        }
        Command::InformParentsOfReport(input) => {
            r13_follow_up::check_parents_informed(state, input, ctx.now)?;
            EventPayload::ParentsInformedOfReport(input.clone())
        }
        Command::RecordPupilLeft(input) => {
            r15_retention::check_pupil_left(state, input, ctx.now)?;
            EventPayload::PupilLeftSchool(input.clone())
        }
        Command::RecordExport(input) => {
            r00_export::check(state, ctx.actor, input)?;
            EventPayload::DossierExported(input.clone())
        }
        Command::RecordEvaluation(input) => {
            r15_evaluation::check_evaluation(input, ctx.now)?;
            EventPayload::CaseEvaluated(input.clone())
        }
        Command::ResolveConflict(input) => {
            r11_offline_conflict::check_resolution(state, input)?;
            EventPayload::ConflictResolved(input.clone())
        }
    };
    Ok(vec![event])
}
