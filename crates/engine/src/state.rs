//! The case as the events make it. Nothing here is stored: it is folded from the log, and
//! the step, next actions, flags and visibility are derived from it.

use crate::envelope::Envelope;
use crate::event::{AssessmentRecord, EventPayload, ReportRecord, ReportRoute, UrgentFlag};
use crate::ids::{CaseId, EventId, UserId};
use crate::people::{Parent, Pupil, Role};
use crate::records::*;
use crate::signal::{Indication, SignalInput, SignalSource};
use crate::urgent::UrgentKind;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

/// A record with who made it and when: the dossier is accountable for each one (R0).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recorded<T> {
    pub id: EventId,
    /// Position in the case's log: orders records even when their clocks tie.
    pub seq: usize,
    pub author: UserId,
    pub author_role: Role,
    pub recorded_at: DateTime<Utc>,
    pub occurred_at: DateTime<Utc>,
    pub data: T,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HelpPlan {
    pub started: Recorded<HelpPlanInput>,
    /// The planned reviews plus those added by earlier reviews.
    pub review_dates: Vec<NaiveDate>,
    pub reviews: Vec<Recorded<HelpReviewInput>>,
    pub ended: Option<Recorded<HelpPlanEndInput>>,
    pub shared: Vec<Recorded<HelpPlanSharedInput>>,
    pub reach_checks: Vec<Recorded<HelpReachedInput>>,
}

impl HelpPlan {
    /// Where the help shows its effect: ended with lasting safety (2019 question 5), or, while it
    /// runs, last reviewed as improving.
    pub fn shows_effect(&self) -> bool {
        match &self.ended {
            Some(end) => end.data.lasting_safety,
            None => self
                .reviews
                .last()
                .is_some_and(|r| r.data.effect == HelpEffect::Improving),
        }
    }
}

/// One line of the timeline: every event, in the order it was applied.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub id: EventId,
    pub kind: &'static str,
    pub author: UserId,
    pub author_role: Role,
    pub recorded_at: DateTime<Utc>,
    pub occurred_at: DateTime<Utc>,
    /// Set when a later record corrects this one.
    pub corrected_by: Vec<EventId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CaseState {
    pub case_id: Option<CaseId>,
    pub pupil: Option<Pupil>,
    pub parents: Vec<Parent>,
    pub opened_by: Option<UserId>,
    pub opened_at: Option<DateTime<Utc>>,
    /// Staff who recorded anything or were involved by the coordinator.
    pub involved: BTreeSet<UserId>,
    pub signals: Vec<Recorded<SignalInput>>,
    pub urgent_flags: Vec<Recorded<UrgentFlag>>,
    pub staff_suspicion: Option<Recorded<StaffSuspicionInput>>,
    pub board_informed: Vec<Recorded<BoardInformedInput>>,
    /// Every emergency declared; a case can have more than one (R7).
    pub emergencies: Vec<Recorded<EmergencyInput>>,
    pub emergency_calls: Vec<Recorded<EmergencyCallInput>>,
    pub consultations: Vec<Recorded<ConsultationInput>>,
    pub advice_requests: Vec<Recorded<AdviceRequestInput>>,
    pub consents: Vec<Recorded<ConsentInput>>,
    pub risk_index: Vec<Recorded<RiskIndexInput>>,
    pub conversations: Vec<Recorded<ParentConversationInput>>,
    pub exception_grounds: Vec<Recorded<ExceptionGroundInput>>,
    pub assessments: Vec<Recorded<AssessmentRecord>>,
    pub decisions: Vec<Recorded<DecisionInput>>,
    pub help_plans: Vec<HelpPlan>,
    pub report_discussions: Vec<Recorded<ReportDiscussionInput>>,
    pub reports: Vec<Recorded<ReportRecord>>,
    pub follow_ups: Vec<Recorded<FollowUpInput>>,
    pub corrections: Vec<Recorded<CorrectionInput>>,
    pub closed: Option<Recorded<CloseInput>>,
    pub child_conversations: Vec<Recorded<ChildConversationInput>>,
    pub disclosures: Vec<Recorded<DisclosureInput>>,
    pub staff_case_parents_informed: Vec<Recorded<StaffCaseInformedInput>>,
    pub suspected_staff_informed: Vec<Recorded<StaffCaseInformedInput>>,
    pub police_decisions: Vec<Recorded<PoliceReportInput>>,
    pub other_causes: Vec<Recorded<OtherCauseInput>>,
    pub advice_skipped: Vec<Recorded<AdviceSkippedInput>>,
    pub care_team_intakes: Vec<Recorded<CareTeamIntakeInput>>,
    pub parents_informed_of_report: Vec<Recorded<ReportInformedInput>>,
    pub evaluations: Vec<Recorded<EvaluationInput>>,
    /// The pupil left the school: the retention period runs from that day.
    pub pupil_left: Option<Recorded<PupilLeftInput>>,
    pub timeline: Vec<TimelineEntry>,
    /// Per device, the highest sequence number of its events in this case.
    pub seen: crate::envelope::Seen,
    /// Weighings or decisions made offline on two devices without either knowing the other.
    pub conflicts: Vec<crate::rules::r11_offline_conflict::Conflict>,
    /// Where each weighing and decision was made, to tell conflicts from later records.
    pub(crate) decisive: Vec<crate::rules::r11_offline_conflict::Decisive>,
    applied: BTreeSet<EventId>,
}

impl CaseState {
    /// Folds a case's events, in log order, into its state.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Envelope>) -> Self {
        events
            .into_iter()
            .fold(Self::default(), |state, e| state.evolve(e))
    }

    /// Applies one event. Events are facts: this never fails, and an event already applied
    /// (a sync may deliver it twice) changes nothing.
    pub fn evolve(mut self, e: &Envelope) -> Self {
        if !self.applied.insert(e.id) {
            return self;
        }
        let seq = self.timeline.len();
        crate::rules::r11_offline_conflict::fold(&mut self, e, seq);
        fn rec<T>(e: &Envelope, seq: usize, data: T) -> Recorded<T> {
            Recorded {
                id: e.id,
                seq,
                author: e.author,
                author_role: e.author_role,
                recorded_at: e.recorded_at,
                occurred_at: e.occurred_at,
                data,
            }
        }
        self.involved.insert(e.author);
        self.timeline.push(TimelineEntry {
            id: e.id,
            kind: e.payload.kind(),
            author: e.author,
            author_role: e.author_role,
            recorded_at: e.recorded_at,
            occurred_at: e.occurred_at,
            corrected_by: Vec::new(),
        });
        match &e.payload {
            EventPayload::CaseOpened { pupil, parents } => {
                self.case_id = Some(e.case_id);
                self.pupil = Some(pupil.clone());
                self.parents = parents.clone();
                self.opened_by = Some(e.author);
                self.opened_at = Some(e.recorded_at);
            }
            EventPayload::SignalRecorded(s) => self.signals.push(rec(e, seq, s.clone())),
            EventPayload::ColleagueInvolved { user } => {
                self.involved.insert(*user);
            }
            EventPayload::UrgentFlagRaised(f) => self.urgent_flags.push(rec(e, seq, f.clone())),
            EventPayload::StaffSuspected(s) => {
                self.involved.remove(&s.staff_user);
                self.staff_suspicion = Some(rec(e, seq, s.clone()));
            }
            EventPayload::BoardInformed(b) => self.board_informed.push(rec(e, seq, b.clone())),
            EventPayload::EmergencyDeclared(x) => self.emergencies.push(rec(e, seq, x.clone())),
            EventPayload::EmergencyCallMade(c) => self.emergency_calls.push(rec(e, seq, c.clone())),
            EventPayload::ConsultationRecorded(c) => {
                self.consultations.push(rec(e, seq, c.clone()))
            }
            EventPayload::AdviceRequested(a) => self.advice_requests.push(rec(e, seq, a.clone())),
            EventPayload::ConsentRecorded(c) => self.consents.push(rec(e, seq, c.clone())),
            EventPayload::RiskIndexConsidered(r) => self.risk_index.push(rec(e, seq, r.clone())),
            EventPayload::ParentConversationRecorded(c) => {
                self.conversations.push(rec(e, seq, c.clone()))
            }
            EventPayload::ExceptionGroundRecorded(g) => {
                self.exception_grounds.push(rec(e, seq, g.clone()))
            }
            EventPayload::AssessmentRecorded(a) => self.assessments.push(rec(e, seq, a.clone())),
            EventPayload::DecisionRecorded(d) => self.decisions.push(rec(e, seq, d.clone())),
            EventPayload::HelpPlanStarted(p) => self.help_plans.push(HelpPlan {
                review_dates: p.reviews.clone(),
                started: rec(e, seq, p.clone()),
                reviews: Vec::new(),
                ended: None,
                shared: Vec::new(),
                reach_checks: Vec::new(),
            }),
            EventPayload::HelpReviewed(r) => {
                if let Some(plan) = self.help_plan_mut(r.plan) {
                    if let Some(next) = r.next_review {
                        plan.review_dates.push(next);
                    }
                    plan.reviews.push(rec(e, seq, r.clone()));
                }
            }
            EventPayload::HelpPlanEnded(end) => {
                if let Some(plan) = self.help_plan_mut(end.plan) {
                    plan.ended = Some(rec(e, seq, end.clone()));
                }
            }
            EventPayload::ReportDiscussed(d) => {
                self.report_discussions.push(rec(e, seq, d.clone()))
            }
            EventPayload::ReportMade(r) => self.reports.push(rec(e, seq, r.clone())),
            EventPayload::FollowUpRecorded(f) => self.follow_ups.push(rec(e, seq, f.clone())),
            EventPayload::RecordCorrected(c) => {
                if let Some(entry) = self.timeline.iter_mut().find(|t| t.id == c.corrects) {
                    entry.corrected_by.push(e.id);
                }
                self.corrections.push(rec(e, seq, c.clone()));
            }
            EventPayload::CaseClosed(c) => self.closed = Some(rec(e, seq, c.clone())),
            EventPayload::ChildConversationRecorded(c) => {
                self.child_conversations.push(rec(e, seq, c.clone()))
            }
            EventPayload::DisclosureRecorded(d) => self.disclosures.push(rec(e, seq, d.clone())),
            EventPayload::StaffCaseParentsInformed(i) => self
                .staff_case_parents_informed
                .push(rec(e, seq, i.clone())),
            EventPayload::SuspectedStaffInformed(i) => {
                self.suspected_staff_informed.push(rec(e, seq, i.clone()))
            }
            EventPayload::PoliceReportDecided(p) => {
                self.police_decisions.push(rec(e, seq, p.clone()))
            }
            EventPayload::OtherCauseRecorded(o) => self.other_causes.push(rec(e, seq, o.clone())),
            EventPayload::AdviceSkipped(a) => self.advice_skipped.push(rec(e, seq, a.clone())),
            EventPayload::CareTeamIntakeHeld(i) => {
                self.care_team_intakes.push(rec(e, seq, i.clone()))
            }
            EventPayload::HelpPlanShared(x) => {
                if let Some(plan) = self.help_plan_mut(x.plan) {
                    plan.shared.push(rec(e, seq, x.clone()));
                }
            }
            EventPayload::HelpReachChecked(x) => {
                if let Some(plan) = self.help_plan_mut(x.plan) {
                    plan.reach_checks.push(rec(e, seq, x.clone()));
                }
            }
            EventPayload::ParentsInformedOfReport(i) => {
                self.parents_informed_of_report.push(rec(e, seq, i.clone()))
            }
            EventPayload::CaseEvaluated(x) => self.evaluations.push(rec(e, seq, x.clone())),
            EventPayload::PupilLeftSchool(x) => self.pupil_left = Some(rec(e, seq, x.clone())),
            // A copy changes nothing in the case; the log keeps it for accountability.
            EventPayload::DossierExported(_) => {}
            // Folded with the conflict it resolves (`r11_offline_conflict::fold`).
            EventPayload::ConflictResolved(_) => {}
            // The school log's events never belong to a case (`school_log::SCHOOL_LOG`).
            EventPayload::UserAdded { .. }
            | EventPayload::UserRemoved { .. }
            | EventPayload::PinReset { .. }
            | EventPayload::RoleChanged { .. }
            | EventPayload::UserAssigned { .. }
            | EventPayload::PinChanged { .. }
            | EventPayload::UserUnassigned { .. }
            | EventPayload::CaseDestroyed(_) => {}
        }
        self
    }

    fn help_plan_mut(&mut self, id: EventId) -> Option<&mut HelpPlan> {
        self.help_plans.iter_mut().find(|p| p.started.id == id)
    }

    pub fn is_open(&self) -> bool {
        self.case_id.is_some() && self.closed.is_none()
    }

    pub fn has_record(&self, id: EventId) -> bool {
        self.applied.contains(&id)
    }

    pub fn is_staff_case(&self) -> bool {
        self.staff_suspicion.is_some()
    }

    /// Who leads the case: the coordinator, or the board when staff are suspected (R2).
    pub fn lead_role(&self) -> Role {
        if self.is_staff_case() {
            Role::Board
        } else {
            Role::Coordinator
        }
    }

    /// The latest emergency has no report after it yet: the report may come first, from
    /// whoever is there (R7).
    pub fn emergency_report_pending(&self) -> bool {
        self.emergencies
            .last()
            .is_some_and(|e| !self.reports.iter().any(|r| r.seq > e.seq))
    }

    /// An emergency with neither a call to a service nor a report after it.
    pub fn emergency_unanswered(&self) -> Option<&Recorded<EmergencyInput>> {
        self.emergencies.iter().find(|e| {
            !self.emergency_calls.iter().any(|c| c.seq > e.seq)
                && !self.reports.iter().any(|r| r.seq > e.seq)
        })
    }

    /// Whether `report` covers `decision`: it came after it, or it was the emergency report
    /// made just before it (R7: the school does not report twice). An emergency report does not
    /// cover a later, separate decision, such as reporting after all when help failed.
    pub fn report_covers(
        &self,
        report: &Recorded<ReportRecord>,
        decision: &Recorded<DecisionInput>,
    ) -> bool {
        if report.seq > decision.seq {
            return true;
        }
        // Nor a decision taken because help failed or things got worse after the report.
        report.data.route == ReportRoute::Emergency
            && self
                .decisions
                .iter()
                .find(|d| d.seq > report.seq)
                .is_some_and(|first| first.seq == decision.seq)
            && !self
                .help_failures()
                .iter()
                .any(|f| *f > report.seq && *f < decision.seq)
    }

    /// The latest decision, if it is to report and no report covers it yet. A later weighing
    /// does not cancel it; only a later decision replaces it.
    pub fn pending_report_decision(&self) -> Option<&Recorded<DecisionInput>> {
        self.latest_decision()
            .filter(|d| d.data.report && !self.reports.iter().any(|r| self.report_covers(r, d)))
    }

    pub fn report_outstanding(&self) -> bool {
        self.pending_report_decision().is_some()
    }

    /// A weighing said a report is required, and no decision to report taken after it has been
    /// carried out: the meldnorm is not yet met (R11, R15). A later weighing does not lift it.
    pub fn meldnorm_unmet(&self) -> bool {
        self.assessments
            .iter()
            .rev()
            .find(|a| a.data.outcome == AssessmentOutcome::ReportRequired)
            .is_some_and(|a| {
                !self.decisions.iter().any(|d| {
                    d.seq > a.seq
                        && d.data.report
                        && self.reports.iter().any(|r| self.report_covers(r, d))
                })
            })
    }

    /// A decision to report was ever taken, or a report made: the case can no longer close as
    /// if there was nothing (R15).
    pub fn meldnorm_reached(&self) -> bool {
        !self.reports.is_empty()
            || self.decisions.iter().any(|d| d.data.report)
            || self
                .assessments
                .iter()
                .any(|a| a.data.outcome == AssessmentOutcome::ReportRequired)
    }

    /// Moments help failed: a review finding the concerns continue, a plan ended without lasting
    /// safety, a family that did not reach the help, or things worse after a report.
    pub fn help_failures(&self) -> Vec<usize> {
        let mut seqs: Vec<usize> = Vec::new();
        for plan in &self.help_plans {
            seqs.extend(
                plan.reviews
                    .iter()
                    .filter(|r| r.data.effect == HelpEffect::ConcernsContinue)
                    .map(|r| r.seq),
            );
            seqs.extend(
                plan.ended
                    .iter()
                    .filter(|e| !e.data.lasting_safety)
                    .map(|e| e.seq),
            );
            seqs.extend(
                plan.reach_checks
                    .iter()
                    .filter(|c| !c.data.reached)
                    .map(|c| c.seq),
            );
        }
        seqs.extend(
            self.follow_ups
                .iter()
                .filter(|f| f.data.improvement == Improvement::Worse)
                .map(|f| f.seq),
        );
        seqs.sort_unstable();
        seqs
    }

    /// The latest help failure that neither a new weighing nor a report has followed yet: it
    /// calls for a new weighing and a report after all (R11, R13).
    pub fn help_failure_unweighed(&self) -> Option<usize> {
        let answered = self
            .latest_assessment()
            .map(|a| a.seq)
            .max(self.reports.last().map(|r| r.seq));
        self.help_failures()
            .into_iter()
            .rev()
            .find(|seq| answered.is_none_or(|w| *seq > w))
    }

    /// Advice from Veilig Thuis, or other contact with it: an emergency call or a report.
    pub fn veilig_thuis_contacted(&self) -> bool {
        self.veilig_thuis_contacted_since(None)
    }

    /// Step 2 towards Veilig Thuis is settled: advice or contact, or a recorded reason (R5).
    pub fn advice_settled(&self) -> bool {
        self.veilig_thuis_contacted() || !self.advice_skipped.is_empty()
    }

    /// Step 3 is settled: the parent conversation, or a recorded R9 ground.
    pub fn conversation_settled(&self) -> bool {
        self.has_parent_conversation()
            || self
                .ground_for(ExceptionStage::ParentConversation)
                .is_some()
    }

    /// The R12 ground recorded after the decision to report that is still to be carried out:
    /// it holds for that report only.
    pub fn report_discussion_ground(&self) -> Option<&Recorded<ExceptionGroundInput>> {
        let decision = self.pending_report_decision()?;
        self.exception_grounds
            .iter()
            .rev()
            .find(|g| g.data.stage == ExceptionStage::ReportDiscussion && g.seq > decision.seq)
    }

    /// The report discussed with the parent after the decision to report still to be carried
    /// out (R12).
    pub fn report_discussed(&self) -> bool {
        self.pending_report_decision()
            .is_some_and(|d| self.report_discussions.iter().any(|x| x.seq > d.seq))
    }

    /// The other cause the signals turned out to have, named in a record of its own or in the
    /// parent conversation.
    pub fn other_cause(&self) -> Option<&str> {
        self.other_causes
            .last()
            .map(|o| o.data.cause.as_str())
            .or_else(|| {
                self.conversations.iter().rev().find_map(|c| {
                    c.data
                        .other_cause
                        .as_deref()
                        .filter(|t| c.data.other_cause_found && !t.trim().is_empty())
                })
            })
    }

    /// Veilig Thuis' answer to the latest report is recorded (R13).
    pub fn vt_answer_recorded(&self) -> bool {
        self.reports.last().is_some_and(|r| {
            self.follow_ups
                .iter()
                .any(|f| f.seq > r.seq && f.data.with_veilig_thuis)
        })
    }

    /// The staff route's end (WPO art. 4a): the board informed, the vertrouwensinspecteur
    /// consulted, and the police report made or reasonably declined.
    pub fn staff_route_complete(&self) -> bool {
        !self.board_informed.is_empty()
            && self.confidential_inspector_consulted()
            && !self.police_decisions.is_empty()
    }

    pub fn confidential_inspector_consulted(&self) -> bool {
        self.consultations
            .iter()
            .any(|c| c.data.partner == ConsultPartner::ConfidentialInspector)
    }

    /// The first signal's day: steps 2 and 4 are due counted from it.
    pub fn first_signal_on(&self) -> Option<NaiveDate> {
        self.signals
            .iter()
            .map(|s| s.occurred_at.date_naive())
            .chain(self.disclosures.iter().map(|d| d.occurred_at.date_naive()))
            .min()
    }

    pub fn has_parent_conversation(&self) -> bool {
        !self.conversations.is_empty()
    }

    pub fn ground_for(&self, stage: ExceptionStage) -> Option<&Recorded<ExceptionGroundInput>> {
        self.exception_grounds
            .iter()
            .rev()
            .find(|g| g.data.stage == stage)
    }

    pub fn latest_assessment(&self) -> Option<&Recorded<AssessmentRecord>> {
        self.assessments.last()
    }

    pub fn latest_decision(&self) -> Option<&Recorded<DecisionInput>> {
        self.decisions.last()
    }

    /// The latest decision, if it was taken after the latest assessment.
    pub fn current_decision(&self) -> Option<&Recorded<DecisionInput>> {
        let decision = self.latest_decision()?;
        match self.latest_assessment() {
            Some(a) if a.seq > decision.seq => None,
            _ => Some(decision),
        }
    }

    /// Written consent, not withdrawn by a later answer, for an open discussion in `scope`.
    pub fn has_written_consent(&self, scope: ConsentScope) -> bool {
        self.consents
            .iter()
            .rev()
            .find(|c| c.data.scopes.contains(&scope))
            .is_some_and(|c| c.data.granted && c.data.written)
    }

    /// The parent refused consent for some scope (a concern to weigh, R4).
    pub fn consent_refused(&self) -> Option<&Recorded<ConsentInput>> {
        self.consents.iter().rev().find(|c| !c.data.granted)
    }

    pub fn urgent_kinds(&self) -> Vec<UrgentKind> {
        let kinds: BTreeSet<UrgentKind> = self.urgent_flags.iter().map(|f| f.data.kind).collect();
        kinds.into_iter().collect()
    }

    /// Veilig Thuis was contacted (after record `since`): advice, an emergency call or a report.
    pub fn veilig_thuis_contacted_since(&self, since: Option<usize>) -> bool {
        let after = |seq: usize| since.is_none_or(|s| seq > s);
        self.advice_requests.iter().any(|a| after(a.seq))
            || self
                .emergency_calls
                .iter()
                .any(|c| c.data.service == EmergencyService::VeiligThuis && after(c.seq))
            || self.reports.iter().any(|r| after(r.seq))
    }

    /// The urgent flag (FGM or honour-related violence) still waiting for contact with VT (R8).
    pub fn urgent_flag_awaiting_vt(&self) -> Option<&Recorded<UrgentFlag>> {
        self.urgent_flags
            .iter()
            .find(|f| !self.veilig_thuis_contacted_since(Some(f.seq)))
    }

    /// Veilig Thuis or youth health care was consulted: R10 asks for it while weighing.
    pub fn vt_or_youth_health_consulted(&self) -> bool {
        !self.advice_requests.is_empty()
            || self
                .consultations
                .iter()
                .any(|c| c.data.partner == ConsultPartner::YouthHealthCare)
    }

    pub fn has_information_from_others(&self) -> bool {
        self.signals
            .iter()
            .any(|s| matches!(s.data.source, SignalSource::Other { .. }))
    }

    pub fn counter_indications(&self) -> usize {
        self.signals
            .iter()
            .filter(|s| s.data.indication == Indication::CounterIndication)
            .count()
    }

    /// The newest moment anything was recorded.
    pub fn last_recorded_at(&self) -> Option<DateTime<Utc>> {
        self.timeline.iter().map(|t| t.recorded_at).max()
    }
}
