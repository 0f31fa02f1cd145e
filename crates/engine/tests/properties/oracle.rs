//! The oracle: the hard rules, folded from the log itself, never from the engine's predicates.

use super::*;

/// The walks run under the default school policy: doubt about unsafety is no reason to report.
pub(crate) const REPORT_ON_DOUBT: bool = false;

/// The consent scope an open (not anonymous) discussion with a partner needs (R4). Partners
/// inside the school need none, nor the vertrouwensinspecteur, whom the board consults by law in
/// a staff case (WPO art. 4a).
pub(crate) fn scope_needed(partner: ConsultPartner) -> Option<ConsentScope> {
    match partner {
        ConsultPartner::YouthHealthCare => Some(ConsentScope::YouthHealthCare),
        ConsultPartner::CareTeam => Some(ConsentScope::CareTeam),
        ConsultPartner::YouthAndFamilyCentre => Some(ConsentScope::YouthAndFamilyCentre),
        ConsultPartner::OtherExternalExpert => Some(ConsentScope::OtherExternalExperts),
        ConsultPartner::ConfidentialInspector
        | ConsultPartner::Coordinator
        | ConsultPartner::Director
        | ConsultPartner::AttentionOfficer
        | ConsultPartner::ClassColleague => None,
    }
}

/// What the weighing's answers mean (the meldnorm). A disclosure by the child, and help that
/// failed with neither a weighing nor a report since, mean a report whatever the answers say.
pub(crate) fn expected_outcome(
    assessment: &AssessmentInput,
    disclosed: bool,
    help_failed: bool,
) -> AssessmentOutcome {
    use AssessmentOutcome::*;
    let by_answers = match assessment {
        AssessmentInput::Meldcode2017(w) => {
            if w.risk == RiskLevel::High || matches!(w.can_protect, Answer::No | Answer::Doubt) {
                ReportRequired
            } else {
                HelpPossible
            }
        }
        AssessmentInput::Afwegingskader2019(f) => {
            if !f.q1_suspicion {
                NoSuspicion
            } else if disclosed
                || f.q2_unsafety == Some(Answer::Yes)
                || (REPORT_ON_DOUBT && f.q2_unsafety == Some(Answer::Doubt))
                || f.q3_help_possible == Some(false)
                || f.q4_help_accepted == Some(false)
            {
                ReportRequired
            } else {
                HelpPossible
            }
        }
    };
    if help_failed {
        ReportRequired
    } else {
        by_answers
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Decided {
    pub(crate) report: bool,
    pub(crate) organise_help: bool,
    /// A report was made after it, or it is the first decision after an emergency report.
    pub(crate) covered: bool,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan {
    pub(crate) id: EventId,
    pub(crate) ended: Option<bool>,
    pub(crate) last_review: Option<HelpEffect>,
}

/// The dossier as the oracle reads it, one event at a time.
#[derive(Default)]
pub(crate) struct Dossier {
    pub(crate) closed: bool,
    pub(crate) suspect: Option<UserId>,
    pub(crate) seen: Vec<EventId>,
    // R8: an urgent flag waits for contact with Veilig Thuis.
    pub(crate) urgent_waiting: bool,
    // R4: the latest answer per scope, true when granted in writing.
    pub(crate) consent: Vec<(ConsentScope, bool)>,
    // Steps 1–3.
    pub(crate) signals: usize,
    pub(crate) disclosures: usize,
    pub(crate) consultations: usize,
    pub(crate) vt_contacted: bool,
    pub(crate) advice_skipped: bool,
    pub(crate) parent_talk: bool,
    pub(crate) parent_ground: bool,
    pub(crate) other_cause: bool,
    // The staff route (R2, WPO art. 4a).
    pub(crate) board_informed: bool,
    pub(crate) confidential_inspector: bool,
    pub(crate) staff_parents_informed: bool,
    pub(crate) suspect_informed: bool,
    pub(crate) police_decided: bool,
    // Steps 4 and 5.
    pub(crate) latest_outcome: Option<AssessmentOutcome>,
    /// Failed help was weighed (so the weighing requires a report) and no report has followed:
    /// the report after all is still to be made.
    pub(crate) report_after_all_due: bool,
    /// Help failed and neither a new weighing nor a report has followed: the failure calls for
    /// reporting after all (seed step 5a; 2019 question 5).
    pub(crate) help_failure_open: bool,
    pub(crate) decision: Option<Decided>,
    pub(crate) emergency_report_covers_next_decision: bool,
    /// A weighing required a report and no decision to report after it was carried out: every
    /// later weighing must still require it.
    pub(crate) report_required_unmet: bool,
    /// A decision to report was taken after that weighing.
    pub(crate) report_decided_since_required: bool,
    pub(crate) discussed_since_decision: bool,
    pub(crate) discussion_ground_since_decision: bool,
    pub(crate) meldnorm_reached: bool,
    pub(crate) reports: usize,
    pub(crate) vt_answer_since_last_report: bool,
    pub(crate) plans: Vec<Plan>,
    pub(crate) latest_review: Option<HelpEffect>,
    // R7.
    pub(crate) emergency_report_pending: bool,
    pub(crate) emergency_unanswered: bool,
}

impl Dossier {
    pub(crate) fn lead(&self) -> Role {
        if self.suspect.is_some() {
            Role::Board
        } else {
            Role::Coordinator
        }
    }

    pub(crate) fn staff_case(&self) -> bool {
        self.suspect.is_some()
    }

    pub(crate) fn plan(&mut self, id: EventId) -> Option<&mut Plan> {
        self.plans.iter_mut().find(|p| p.id == id)
    }

    pub(crate) fn report_outstanding(&self) -> bool {
        self.decision.is_some_and(|d| d.report && !d.covered)
    }

    /// Checks one event against the dossier so far, then adds it.
    pub(crate) fn apply(&mut self, e: &Envelope) -> Result<(), String> {
        let fail = |why: &str| Err(why.to_string());
        if self.closed
            && !matches!(
                e.payload,
                EventPayload::PupilLeftSchool(_) | EventPayload::DossierExported(_)
            )
        {
            return fail("recorded after the case was closed (R15)");
        }
        if self.suspect == Some(e.author) {
            return fail("the suspected employee recorded on their own case (R2)");
        }
        let lead = self.lead();
        let by_lead = e.author_role == lead;
        let urgent = self.urgent_waiting;
        match &e.payload {
            EventPayload::CaseOpened { .. } => {
                if !self.seen.is_empty() {
                    return fail("the case was opened twice (R0)");
                }
            }
            EventPayload::SignalRecorded(_) => self.signals += 1,
            EventPayload::DisclosureRecorded(_) => self.disclosures += 1,
            EventPayload::ChildConversationRecorded(_) => {}
            EventPayload::ColleagueInvolved { user } => {
                if self.suspect == Some(*user) {
                    return fail("the suspected employee was involved in their own case (R2)");
                }
            }
            EventPayload::UrgentFlagRaised(_) => self.urgent_waiting = true,
            EventPayload::StaffSuspected(s) => {
                if s.staff_user == e.author {
                    return fail("an employee recorded a suspicion against themselves (R2)");
                }
                self.suspect = Some(s.staff_user);
            }
            EventPayload::BoardInformed(_) => self.board_informed = true,
            EventPayload::EmergencyDeclared(_) => {
                self.emergency_report_pending = true;
                self.emergency_unanswered = true;
            }
            EventPayload::EmergencyCallMade(c) => {
                self.emergency_unanswered = false;
                if c.service == EmergencyService::VeiligThuis {
                    self.vt_contacted = true;
                    self.urgent_waiting = false;
                }
            }
            EventPayload::AdviceRequested(_) => {
                self.vt_contacted = true;
                self.urgent_waiting = false;
            }
            EventPayload::AdviceSkipped(_) => self.advice_skipped = true,
            EventPayload::ConsentRecorded(c) => {
                if urgent {
                    return fail("consent asked before the urgent contact with Veilig Thuis (R8)");
                }
                for scope in &c.scopes {
                    self.consent.retain(|(s, _)| s != scope);
                    self.consent.push((*scope, c.granted && c.written));
                }
            }
            EventPayload::ConsultationRecorded(c) => {
                if let Some(scope) = scope_needed(c.partner) {
                    let written = self.consent.iter().any(|(s, ok)| *s == scope && *ok);
                    if !c.anonymous && !written {
                        return fail("open external discussion without written consent (R4)");
                    }
                }
                if c.partner == ConsultPartner::ConfidentialInspector {
                    self.confidential_inspector = true;
                }
                self.consultations += 1;
            }
            EventPayload::CareTeamIntakeHeld(_) => {
                if urgent {
                    return fail(
                        "care-team intake before the urgent contact with Veilig Thuis (R8)",
                    );
                }
            }
            EventPayload::RiskIndexConsidered(_) => {}
            EventPayload::ParentConversationRecorded(c) => {
                if urgent {
                    return fail(
                        "parent conversation before the urgent contact with Veilig Thuis (R8)",
                    );
                }
                self.parent_talk = true;
                if c.other_cause_found
                    && c.other_cause
                        .as_deref()
                        .is_some_and(|t| !t.trim().is_empty())
                {
                    self.other_cause = true;
                }
            }
            EventPayload::ExceptionGroundRecorded(g) => match g.stage {
                ExceptionStage::ParentConversation => self.parent_ground = true,
                ExceptionStage::ReportDiscussion => self.discussion_ground_since_decision = true,
            },
            EventPayload::OtherCauseRecorded(_) => self.other_cause = true,
            EventPayload::AssessmentRecorded(a) => {
                if !by_lead {
                    return fail("weighing by someone other than the case lead (R14)");
                }
                if urgent {
                    return fail("weighing before the urgent contact with Veilig Thuis (R8)");
                }
                if self.signals + self.disclosures == 0 {
                    return fail("weighing without a signal or disclosure (R10)");
                }
                if self.consultations == 0 {
                    return fail("weighing without a consultation (R3)");
                }
                if !self.vt_contacted && !self.advice_skipped {
                    return fail(
                        "weighing without Veilig Thuis' advice or a reason why none was asked (R5)",
                    );
                }
                let staff_parents = self.staff_case() && self.staff_parents_informed;
                if !self.parent_talk && !self.parent_ground && !staff_parents {
                    return fail("weighing without the parent conversation or its ground (R9)");
                }
                let expected = expected_outcome(
                    &a.assessment,
                    self.disclosures > 0,
                    self.help_failure_open || self.report_required_unmet,
                );
                if a.outcome != expected {
                    return Err(format!(
                        "meldnorm: the answers mean {expected:?}, the weighing says {:?} (R10, 2019 afwegingskader)",
                        a.outcome
                    ));
                }
                self.latest_outcome = Some(a.outcome);
                if self.help_failure_open {
                    self.report_after_all_due = true;
                }
                self.help_failure_open = false;
                if a.outcome == AssessmentOutcome::ReportRequired {
                    self.meldnorm_reached = true;
                    self.report_required_unmet = true;
                    self.report_decided_since_required = false;
                }
            }
            EventPayload::DecisionRecorded(d) => {
                if !by_lead {
                    return fail("decision by someone other than the case lead (R14)");
                }
                if urgent {
                    return fail("decision before the urgent contact with Veilig Thuis (R8)");
                }
                match self.latest_outcome {
                    None => return fail("decision without a weighing (R11)"),
                    Some(AssessmentOutcome::NoSuspicion) => {
                        return fail("decision after a weighing that found no suspicion (R11)")
                    }
                    Some(AssessmentOutcome::ReportRequired) if !d.report => {
                        return fail("decision not to report where the meldnorm requires it (R11)")
                    }
                    _ => {}
                }
                let covered = self.emergency_report_covers_next_decision;
                self.decision = Some(Decided {
                    report: d.report,
                    organise_help: d.organise_help,
                    covered,
                });
                if d.report && self.report_required_unmet {
                    self.report_decided_since_required = true;
                    if covered {
                        self.report_required_unmet = false;
                    }
                }
                self.emergency_report_covers_next_decision = false;
                self.discussed_since_decision = false;
                self.discussion_ground_since_decision = false;
                if d.report {
                    self.meldnorm_reached = true;
                }
            }
            EventPayload::HelpPlanStarted(_) => {
                if !by_lead {
                    return fail("help plan started by someone other than the case lead (R14)");
                }
                if urgent {
                    return fail(
                        "help plan started before the urgent contact with Veilig Thuis (R8)",
                    );
                }
                if !self.decision.is_some_and(|d| d.organise_help) {
                    return fail("help plan without a decision to organise help (R11)");
                }
                self.plans.push(Plan {
                    id: e.id,
                    ended: None,
                    last_review: None,
                });
            }
            EventPayload::HelpReviewed(r) => {
                let Some(plan) = self.plan(r.plan) else {
                    return fail("review of a help plan that is not in the dossier (R11)");
                };
                if plan.ended.is_some() {
                    return fail("review of a help plan that has ended (R11)");
                }
                plan.last_review = Some(r.effect);
                self.latest_review = Some(r.effect);
                if r.effect == HelpEffect::ConcernsContinue {
                    self.help_failure_open = true;
                    self.emergency_report_covers_next_decision = false;
                }
            }
            EventPayload::HelpPlanEnded(end) => {
                let Some(plan) = self.plan(end.plan) else {
                    return fail("end of a help plan that is not in the dossier (R11)");
                };
                if plan.ended.is_some() {
                    return fail("a help plan ended twice (R11)");
                }
                plan.ended = Some(end.lasting_safety);
                if !end.lasting_safety {
                    self.help_failure_open = true;
                    self.emergency_report_covers_next_decision = false;
                }
            }
            EventPayload::HelpPlanShared(s) => {
                if urgent {
                    return fail(
                        "help plan shared before the urgent contact with Veilig Thuis (R8)",
                    );
                }
                if self.plan(s.plan).is_none() {
                    return fail("a help plan shared that is not in the dossier (R11)");
                }
            }
            EventPayload::HelpReachChecked(c) => {
                if self.plan(c.plan).is_none() {
                    return fail("help reach checked for a plan that is not in the dossier (R11)");
                }
                if !c.reached {
                    self.help_failure_open = true;
                    self.emergency_report_covers_next_decision = false;
                }
            }
            EventPayload::ReportDiscussed(d) => {
                if urgent {
                    return fail(
                        "report discussed before the urgent contact with Veilig Thuis (R8)",
                    );
                }
                if !d.with_parent {
                    return fail("report discussed without the parent (R12)");
                }
                self.discussed_since_decision = true;
            }
            EventPayload::ReportMade(r) => {
                match r.route {
                    ReportRoute::Emergency => {
                        if !self.emergency_report_pending {
                            return fail(
                                "emergency report without an emergency waiting for it (R7)",
                            );
                        }
                        self.emergency_report_covers_next_decision = true;
                    }
                    ReportRoute::Steps => {
                        if !by_lead {
                            return fail("report by someone other than the case lead (R14)");
                        }
                        if !self.report_outstanding() {
                            return fail("report without a decision to report that is still to be carried out (R11)");
                        }
                        if !self.parent_talk && !self.parent_ground {
                            return fail(
                                "report without the parent conversation or its ground (R9)",
                            );
                        }
                        if !self.discussed_since_decision && !self.discussion_ground_since_decision
                        {
                            return fail("report without discussing it after the decision, or a ground recorded after it (R12)");
                        }
                    }
                }
                if let Some(d) = self.decision.as_mut() {
                    d.covered = true;
                }
                self.reports += 1;
                if self.report_decided_since_required {
                    self.report_required_unmet = false;
                }
                self.report_after_all_due = false;
                // A report after the help failed is the report after all the failure called for.
                self.help_failure_open = false;
                self.vt_answer_since_last_report = false;
                self.emergency_report_pending = false;
                self.emergency_unanswered = false;
                self.vt_contacted = true;
                self.urgent_waiting = false;
                self.meldnorm_reached = true;
            }
            EventPayload::FollowUpRecorded(f) => {
                if self.reports == 0 {
                    return fail("follow-up without a report (R13)");
                }
                if f.with_veilig_thuis {
                    self.vt_answer_since_last_report = true;
                }
                if f.improvement == Improvement::Worse {
                    self.help_failure_open = true;
                    self.emergency_report_covers_next_decision = false;
                }
            }
            EventPayload::ParentsInformedOfReport(_) => {
                if urgent {
                    return fail("parents informed of a report before the urgent contact with Veilig Thuis (R8)");
                }
                if self.reports == 0 {
                    return fail("parents informed of a report that was not made (R13)");
                }
            }
            EventPayload::RecordCorrected(c) => {
                if !self.seen.contains(&c.corrects) {
                    return fail("correction of a record that is not in the dossier (R0)");
                }
            }
            EventPayload::CaseEvaluated(_) => {
                if !by_lead {
                    return fail("evaluation by someone other than the case lead (R14)");
                }
            }
            EventPayload::PupilLeftSchool(_) => {
                if !by_lead {
                    return fail("leaving recorded by someone other than the case lead (R14)");
                }
            }
            EventPayload::DossierExported(_) => {
                if !by_lead && e.author_role != meldcode_engine::Role::Director {
                    return fail("a copy made by someone other than the lead or the director (R0)");
                }
            }
            EventPayload::ConflictResolved(_) => {
                // The walks record on one device: two records can never have been made apart.
                return fail("a conflict resolved where no two devices recorded (R11)");
            }
            EventPayload::UserAdded { .. }
            | EventPayload::UserRemoved { .. }
            | EventPayload::PinReset { .. }
            | EventPayload::UserAssigned { .. }
            | EventPayload::PinChanged { .. }
            | EventPayload::UserUnassigned { .. }
            | EventPayload::CaseDestroyed(_)
            | EventPayload::RoleChanged { .. } => {
                return fail(
                    "a user administration event in a case (it belongs to the school log)",
                );
            }
            EventPayload::StaffCaseParentsInformed(_) | EventPayload::SuspectedStaffInformed(_) => {
                if !self.staff_case() {
                    return fail(
                        "a step of the staff route in a case without a staff suspicion (R2)",
                    );
                }
                if !by_lead {
                    return fail("a step of the staff route by someone other than the board (R14)");
                }
                match &e.payload {
                    EventPayload::StaffCaseParentsInformed(_) => self.staff_parents_informed = true,
                    _ => self.suspect_informed = true,
                }
            }
            EventPayload::PoliceReportDecided(p) => {
                if !self.staff_case() {
                    return fail(
                        "a police report decision in a case without a staff suspicion (R2)",
                    );
                }
                if !by_lead {
                    return fail("a police report decision by someone other than the board (R14)");
                }
                if !self.confidential_inspector {
                    return fail(
                        "police report decision before consulting the vertrouwensinspecteur (R2)",
                    );
                }
                if p.made && !(self.staff_parents_informed && self.suspect_informed) {
                    return fail(
                        "police report before the parents and the employee were informed (R2)",
                    );
                }
                self.police_decided = true;
            }
            EventPayload::CaseClosed(c) => {
                self.check_close(c, by_lead, urgent)?;
                self.closed = true;
            }
        }
        self.seen.push(e.id);
        Ok(())
    }

    pub(crate) fn check_close(
        &self,
        c: &CloseInput,
        by_lead: bool,
        urgent: bool,
    ) -> Result<(), String> {
        let fail = |why: &str| Err(why.to_string());
        if !by_lead {
            return fail("closed by someone other than the case lead (R14)");
        }
        if urgent {
            return fail("closed before the urgent contact with Veilig Thuis (R8)");
        }
        if self.report_outstanding() {
            return fail("closed while a decided report was not made (R15)");
        }
        if self.report_after_all_due {
            return fail(
                "closed after failed help was weighed, without the report after all (R15, R11)",
            );
        }
        if self.report_required_unmet {
            return fail("closed while a weighing requires a report that was not decided and made (R15, R11)");
        }
        if self.emergency_unanswered {
            return fail("closed while an emergency has neither a call nor a report (R15, R7)");
        }
        if self.help_failure_open {
            return fail("closed while failed help waits for a new weighing or a report after all (R15, R11)");
        }
        if self.staff_case()
            && !(self.board_informed && self.confidential_inspector && self.police_decided)
        {
            return fail("staff case closed before the board was informed, the vertrouwensinspecteur consulted and the police report decided (R15, R2)");
        }
        match c.outcome {
            CaseOutcome::Unfounded | CaseOutcome::OtherCauseFound if self.meldnorm_reached => {
                fail("closed as unfounded or other cause after reporting was required, decided or done (R15)")
            }
            CaseOutcome::OtherCauseFound if !self.other_cause => {
                fail("closed as other cause found without a record naming the cause (R15)")
            }
            CaseOutcome::HelpInPlace => {
                let Some(latest) = self.plans.last() else {
                    return fail("closed as help in place without a help plan (R15)");
                };
                let effective = match latest.ended {
                    Some(lasting) => lasting,
                    None => latest.last_review == Some(HelpEffect::Improving),
                };
                if !effective {
                    return fail("closed as help in place while the latest plan shows no lasting safety or improvement (R15)");
                }
                if self.latest_review == Some(HelpEffect::ConcernsContinue) {
                    return fail("closed as help in place while the latest review says the concerns continue (R15)");
                }
                Ok(())
            }
            CaseOutcome::ReportedAndHandedOver => {
                if self.reports == 0 {
                    return fail("closed as reported without a report (R15)");
                }
                let reason = c
                    .no_vt_answer_reason
                    .as_deref()
                    .is_some_and(|r| !r.trim().is_empty());
                if !self.vt_answer_since_last_report && !reason {
                    return fail("closed as reported without Veilig Thuis' answer to the last report or a reason why it could not be had (R15, R13)");
                }
                Ok(())
            }
            CaseOutcome::StaffRouteCompleted if !self.staff_case() => {
                fail("closed as staff route completed in a case without a staff suspicion (R15)")
            }
            _ => Ok(()),
        }
    }
}

/// Checks the hard rules on the log itself, independently of the engine: see `Dossier::apply`.
/// `kind()` only names the event in the message; no verdict rests on an engine helper.
pub(crate) fn check_hard_rules(events: &[Envelope]) -> Result<(), String> {
    let mut dossier = Dossier::default();
    for (i, e) in events.iter().enumerate() {
        dossier.apply(e).map_err(|why| {
            format!(
                "event #{i} {} by {:?}: {why}",
                e.payload.kind(),
                e.author_role
            )
        })?;
    }
    Ok(())
}
