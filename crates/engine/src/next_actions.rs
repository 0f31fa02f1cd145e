//! The prompts: what the case needs next, with the rule behind it and a due date where one
//! applies. Derived from the state and the clock every time, never stored.

use crate::people::Role;
use crate::policy::CasePolicy;
use crate::records::*;
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::workdays::add_working_days;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Veilig Thuis decides within five working days of a report and tells the reporter.
pub const VT_DECISION_WORKING_DAYS: u32 = 5;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextAction {
    pub rule: RuleId,
    /// Stable id for translations and tests, e.g. `consult_colleague`.
    pub code: String,
    /// Dutch, addressed to the school.
    pub text: String,
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    /// Who should act: the case lead, or anyone involved when `None`.
    pub by: Option<Role>,
}

struct Actions {
    today: NaiveDate,
    list: Vec<NextAction>,
}

impl Actions {
    fn push(
        &mut self,
        rule: RuleId,
        code: &str,
        text: String,
        due: Option<NaiveDate>,
        by: Option<Role>,
    ) {
        self.list.push(NextAction {
            rule,
            code: code.to_owned(),
            text,
            overdue: due.is_some_and(|d| d < self.today),
            due,
            by,
        });
    }
}

/// Overdue first, then by due date, then in the order of the steps.
pub fn next_actions(state: &CaseState, _policy: CasePolicy, now: DateTime<Utc>) -> Vec<NextAction> {
    let mut a = Actions {
        today: now.date_naive(),
        list: Vec::new(),
    };
    if !state.is_open() {
        return a.list;
    }
    let lead = Some(state.lead_role());
    urgent_routes(state, &mut a);
    steps_one_to_four(state, &mut a, lead);
    step_five(state, &mut a, lead);
    let mut indexed: Vec<(usize, NextAction)> = a.list.into_iter().enumerate().collect();
    indexed.sort_by_key(|(i, n)| (!n.overdue, n.due.is_none(), n.due, *i));
    indexed.into_iter().map(|(_, n)| n).collect()
}

fn urgent_routes(state: &CaseState, a: &mut Actions) {
    if let Some(s) = &state.staff_suspicion {
        if state.board_informed.is_empty() {
            a.push(
                RuleId::R2,
                "inform_board",
                "Meld het vermoeden tegen een medewerker direct bij het schoolbestuur (niet alleen bij de directie) en leg vast wie u sprak.".into(),
                Some(s.recorded_at.date_naive()),
                None,
            );
        } else if !state
            .consultations
            .iter()
            .any(|c| c.data.partner == ConsultPartner::ConfidentialInspector)
        {
            a.push(
                RuleId::R2,
                "consult_confidential_inspector",
                "Het bestuur overlegt direct met de vertrouwensinspecteur (0900-1113111) en informeert bij een redelijk vermoeden de ouders en de betrokken medewerker vóór aangifte.".into(),
                Some(s.recorded_at.date_naive()),
                Some(Role::Board),
            );
        }
    }
    if let Some(e) = &state.emergency {
        if state.emergency_calls.is_empty() && state.reports.is_empty() {
            a.push(
                RuleId::R7,
                "call_now",
                "Acuut gevaar: bel nu Veilig Thuis (0800-2000), de crisisdienst of bij direct gevaar 112, en leg het gesprek vast.".into(),
                Some(e.recorded_at.date_naive()),
                None,
            );
        }
    }
    if let Some(flag) = state.urgent_flag_awaiting_vt() {
        a.push(
            RuleId::R8,
            "contact_vt_urgently",
            format!(
                "Er is een {}: neem met spoed contact op met Veilig Thuis (0800-2000) en leg dat vast, vóór een gesprek met de ouder.",
                flag.data.kind.label_nl()
            ),
            Some(flag.recorded_at.date_naive()),
            None,
        );
    }
}

fn steps_one_to_four(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    // After a decision the normal route has passed steps 1–4; after an emergency report they
    // still follow (R7).
    let route_pending = state.decisions.is_empty();
    if !route_pending {
        return;
    }
    if state.signals.is_empty() {
        a.push(
            RuleId::R1,
            "record_signal",
            "Leg de signalen vast: wat zag of hoorde u, wanneer en waar, en van wie komt het."
                .into(),
            None,
            None,
        );
        return;
    }
    if state.consultations.is_empty() {
        a.push(
            RuleId::R3,
            "consult_colleague",
            RuleId::R3.text_nl().into(),
            None,
            None,
        );
    }
    if let Some(refusal) = state.consent_refused() {
        let weighed_after = state.assessments.iter().any(|x| x.seq > refusal.seq);
        if !weighed_after {
            a.push(
                RuleId::R4,
                "weigh_consent_refusal",
                "De ouder weigerde toestemming. Dat is een zorgelijk signaal: neem het mee in de weging (stap 4).".into(),
                None,
                lead,
            );
        }
    }
    if state.advice_requests.is_empty() && state.assessments.is_empty() {
        a.push(
            RuleId::R5,
            "ask_vt_advice",
            RuleId::R5.text_nl().into(),
            None,
            None,
        );
    }
    let in_step_two = !state.consultations.is_empty() || !state.advice_requests.is_empty();
    if in_step_two && state.risk_index.is_empty() {
        a.push(
            RuleId::R6,
            "consider_risk_index",
            RuleId::R6.text_nl().into(),
            None,
            lead,
        );
    }
    let conversation_settled = state.has_parent_conversation()
        || state
            .ground_for(ExceptionStage::ParentConversation)
            .is_some();
    if in_step_two && !conversation_settled && state.urgent_flag_awaiting_vt().is_none() {
        let text = if state.urgent_flags.is_empty() {
            "Bespreek de signalen met de ouder in vijf stappen, of leg vast waarom dat niet kan (veiligheid, of de ouder zou het contact verbreken).".to_owned()
        } else {
            "Bespreek met Veilig Thuis of een gesprek met de ouder veilig kan, en voer het dan in vijf stappen; of leg vast waarom het niet kan.".to_owned()
        };
        a.push(RuleId::R8, "talk_to_parent", text, None, None);
    }
    if (conversation_settled || !state.reports.is_empty()) && state.assessments.is_empty() {
        a.push(
            RuleId::R10,
            "weigh",
            "Weeg het risico, de aard en de ernst op basis van de signalen, het advies en het gesprek met de ouder.".into(),
            None,
            lead,
        );
    }
    if !state.assessments.is_empty() && !state.vt_or_youth_health_consulted() {
        a.push(
            RuleId::R10,
            "consult_vt_while_weighing",
            "Neem bij de weging contact op met Veilig Thuis of de jeugdgezondheidszorg en leg dat vast.".into(),
            None,
            lead,
        );
    }
    if let Some(assessment) = state.latest_assessment() {
        match assessment.data.outcome {
            AssessmentOutcome::NoSuspicion => a.push(
                RuleId::R15,
                "close_unfounded",
                "Volgens de weging is er geen vermoeden: sluit het dossier af en leg vast dat de zorgen ongegrond bleken.".into(),
                None,
                lead,
            ),
            AssessmentOutcome::ReportRequired => a.push(
                RuleId::R11,
                "decide_report",
                "Volgens de weging is melden nodig: leg het besluit vast (melden, en zo mogelijk ook hulp).".into(),
                None,
                lead,
            ),
            AssessmentOutcome::HelpPossible => a.push(
                RuleId::R11,
                "decide",
                "Neem een besluit: hulp organiseren en de effecten volgen, en/of melden bij Veilig Thuis.".into(),
                None,
                lead,
            ),
        }
    }
}

fn step_five(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    let Some(decision) = state.current_decision() else {
        reports_follow_up(state, a, lead);
        return;
    };
    if decision.data.organise_help
        && state
            .help_plans
            .iter()
            .all(|p| p.started.seq < decision.seq)
    {
        a.push(
            RuleId::R11,
            "start_help_plan",
            "Stel een hulpplan op: de hulp, een casusregisseur, schriftelijke afspraken, een termijn en evaluatiedata.".into(),
            None,
            lead,
        );
    }
    for plan in state.help_plans.iter().filter(|p| p.ended.is_none()) {
        let last_review = plan.reviews.last().map(|r| r.occurred_at.date_naive());
        let next_due = plan
            .review_dates
            .iter()
            .filter(|d| last_review.is_none_or(|r| **d > r))
            .min();
        if let Some(due) = next_due {
            a.push(
                RuleId::R11,
                "review_help",
                "Evalueer de effecten van de hulp met de betrokkenen.".into(),
                Some(*due),
                None,
            );
        }
        if let Some(r) = plan.reviews.last() {
            let reported_since = state.reports.iter().any(|x| x.seq > r.seq);
            if r.data.effect == HelpEffect::ConcernsContinue && !reported_since {
                a.push(
                    RuleId::R11,
                    "report_after_all",
                    "Er zijn signalen dat het geweld niet stopt of opnieuw begint: doe alsnog een melding bij Veilig Thuis.".into(),
                    Some(r.occurred_at.date_naive()),
                    lead,
                );
            }
        }
        if next_due.is_none() || plan.started.data.effect_due <= a.today {
            a.push(
                RuleId::R11,
                "judge_lasting_safety",
                "Beoordeel of de hulp binnen de termijn blijvende veiligheid bracht; sluit het hulpplan af met afspraken over monitoring, of meld.".into(),
                Some(plan.started.data.effect_due),
                lead,
            );
        }
    }
    if state.report_outstanding() {
        let conversation_settled = state.has_parent_conversation()
            || state
                .ground_for(ExceptionStage::ParentConversation)
                .is_some();
        let discussed = state
            .report_discussions
            .iter()
            .any(|d| d.seq > decision.seq)
            || state.ground_for(ExceptionStage::ReportDiscussion).is_some();
        if !conversation_settled {
            a.push(
                RuleId::R9,
                "conversation_or_ground",
                "Voer eerst het gesprek met de ouder, of leg vast waarom melden zonder dat gesprek nodig is.".into(),
                None,
                lead,
            );
        }
        if !discussed {
            let older = state
                .pupil
                .as_ref()
                .and_then(|p| p.age_on(a.today))
                .is_some_and(|age| age >= 12);
            let with = if older {
                "met de ouder en met de leerling (12 jaar of ouder)"
            } else {
                "met de ouder"
            };
            a.push(
                RuleId::R12,
                "discuss_report",
                format!("Bespreek de melding vooraf {with}: leg uit, vraag om een reactie en leg bezwaren vast, of leg vast waarom dat niet kan."),
                None,
                lead,
            );
        }
        if conversation_settled && discussed {
            a.push(
                RuleId::R11,
                "make_report",
                "Doe de melding bij Veilig Thuis: feiten, wat van anderen komt, en wat de school zelf nog doet.".into(),
                None,
                lead,
            );
        }
    }
    reports_follow_up(state, a, lead);
    let help_settled = !state.help_plans.is_empty()
        && state
            .help_plans
            .iter()
            .all(|p| p.ended.as_ref().is_some_and(|e| e.data.lasting_safety));
    if help_settled && !decision.data.report {
        a.push(
            RuleId::R15,
            "close_case",
            "De hulp bracht blijvende veiligheid: sluit het dossier af met een uitkomst.".into(),
            None,
            lead,
        );
    }
}

fn reports_follow_up(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    let Some(report) = state.reports.last() else {
        return;
    };
    let latest = state.follow_ups.iter().rev().find(|f| f.seq > report.seq);
    match latest {
        None => a.push(
            RuleId::R13,
            "follow_up_report",
            "Veilig Thuis besluit binnen vijf werkdagen wat het met de melding doet: vraag het besluit na en leg het vast.".into(),
            Some(add_working_days(
                report.recorded_at.date_naive(),
                VT_DECISION_WORKING_DAYS,
            )),
            lead,
        ),
        Some(f) if f.data.improvement != Improvement::Sufficient => a.push(
            RuleId::R13,
            "contact_vt_again",
            "Er is onvoldoende verbetering: neem opnieuw contact op met Veilig Thuis en overweeg een nieuwe melding.".into(),
            Some(f.data.next_follow_up.unwrap_or(f.occurred_at.date_naive())),
            lead,
        ),
        Some(f) => match f.data.next_follow_up {
            Some(due) => a.push(
                RuleId::R13,
                "follow_up_report",
                "Vraag opnieuw na hoe het gaat en leg het vast.".into(),
                Some(due),
                lead,
            ),
            // Help still running is followed first; closing comes when it has ended.
            None if state.help_plans.iter().any(|p| p.ended.is_none()) => {}
            None => a.push(
                RuleId::R15,
                "close_case",
                "De melding is overgedragen en er is voldoende verbetering: sluit het dossier af met een uitkomst.".into(),
                None,
                lead,
            ),
        },
    }
}
