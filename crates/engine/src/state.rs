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
    pub emergency: Option<Recorded<EmergencyInput>>,
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
    pub timeline: Vec<TimelineEntry>,
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
            EventPayload::EmergencyDeclared(x) => self.emergency = Some(rec(e, seq, x.clone())),
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

    /// An emergency was declared and no report has followed it yet: the report may come first,
    /// from whoever is there (R7).
    pub fn emergency_report_pending(&self) -> bool {
        self.emergency
            .as_ref()
            .is_some_and(|e| !self.reports.iter().any(|r| r.seq > e.seq))
    }

    /// The current decision is to report and no report covers it yet. A report made first in an
    /// emergency (R7) covers the decision taken after it: the school does not report twice.
    pub fn report_outstanding(&self) -> bool {
        self.current_decision().is_some_and(|d| {
            d.data.report
                && !self
                    .reports
                    .iter()
                    .any(|r| r.seq > d.seq || r.data.route == ReportRoute::Emergency)
        })
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

    /// Veilig Thuis was contacted after record `since`: advice, an emergency call or a report.
    pub fn veilig_thuis_contacted_since(&self, since: usize) -> bool {
        self.advice_requests.iter().any(|a| a.seq > since)
            || self
                .emergency_calls
                .iter()
                .any(|c| c.data.service == EmergencyService::VeiligThuis && c.seq > since)
            || self.reports.iter().any(|r| r.seq > since)
    }

    /// The urgent flag (FGM or honour-related violence) still waiting for contact with VT (R8).
    pub fn urgent_flag_awaiting_vt(&self) -> Option<&Recorded<UrgentFlag>> {
        self.urgent_flags
            .iter()
            .find(|f| !self.veilig_thuis_contacted_since(f.seq))
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
