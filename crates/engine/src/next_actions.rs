//! The prompts: what the case needs next, with the rule behind it and a due date where one
//! applies. Derived from the state and the clock every time, never stored.

use crate::people::Role;
use crate::policy::CasePolicy;
use crate::records::*;
use crate::rule::RuleId;
use crate::rules::r10_weighing::missing_before_weighing;
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
pub fn next_actions(state: &CaseState, policy: CasePolicy, now: DateTime<Utc>) -> Vec<NextAction> {
    let mut a = Actions {
        today: now.date_naive(),
        list: Vec::new(),
    };
    if !state.is_open() {
        return a.list;
    }
    let lead = Some(state.lead_role());
    urgent_routes(state, &mut a);
    conflicts(state, &mut a, lead);
    staff_route(state, &mut a);
    steps_one_to_four(state, &mut a, lead, policy);
    weighing_outcome(state, &mut a, lead);
    help_plans(state, &mut a, lead);
    report_after_all(state, &mut a, lead);
    report_steps(state, &mut a, lead);
    reports_follow_up(state, &mut a, lead);
    closing(state, &mut a, lead);
    escalate(&mut a);
    let mut indexed: Vec<(usize, NextAction)> = a.list.into_iter().enumerate().collect();
    indexed.sort_by_key(|(i, n)| (!n.overdue, n.due.is_none(), n.due, *i));
    indexed.into_iter().map(|(_, n)| n).collect()
}

/// Records made apart on two devices wait for the lead's choice before the case goes on.
fn conflicts(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    if let Some(c) = state.open_conflict() {
        let what = if c.kind == "assessment_recorded" {
            "wegingen"
        } else {
            "besluiten"
        };
        a.push(
            RuleId::R11,
            "resolve_conflict",
            format!("Er zijn {} {what} vastgelegd op verschillende apparaten, zonder dat de een van de ander wist. Kies welke geldt en leg uit waarom; de andere blijft in het dossier staan.", c.records.len()),
            Some(a.today),
            lead,
        );
    }
}

fn urgent_routes(state: &CaseState, a: &mut Actions) {
    if let Some(e) = state.emergency_unanswered() {
        a.push(
            RuleId::R7,
            "call_now",
            "Acuut gevaar: bel nu Veilig Thuis (0800-2000), de crisisdienst of bij direct gevaar 112, en leg het gesprek vast.".into(),
            Some(e.recorded_at.date_naive()),
            None,
        );
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

/// R2 to its end: the board told at once, the vertrouwensinspecteur consulted, the parents and
/// the employee informed, and the police report made or reasonably declined.
fn staff_route(state: &CaseState, a: &mut Actions) {
    let Some(s) = &state.staff_suspicion else {
        return;
    };
    let since = Some(s.recorded_at.date_naive());
    let board = Some(Role::Board);
    if state.board_informed.is_empty() {
        a.push(
            RuleId::R2,
            "inform_board",
            "Meld het vermoeden tegen een medewerker direct bij het schoolbestuur (niet alleen bij de directie) en leg vast wie u sprak.".into(),
            since,
            None,
        );
        return;
    }
    if !state.confidential_inspector_consulted() {
        a.push(
            RuleId::R2,
            "consult_confidential_inspector",
            "Het bestuur overlegt direct met de vertrouwensinspecteur (0900-1113111) en legt dat vast. Daarvoor is geen toestemming van de ouders nodig.".into(),
            since,
            board,
        );
        return;
    }
    if !state.police_decisions.is_empty() {
        return;
    }
    if state.staff_case_parents_informed.is_empty() {
        a.push(
            RuleId::R2,
            "inform_parents_of_staff_case",
            "Het bestuur informeert de ouders van de leerling over het vermoeden en legt dat vast."
                .into(),
            None,
            board,
        );
    }
    if state.suspected_staff_informed.is_empty() {
        a.push(
            RuleId::R2,
            "inform_suspected_staff",
            "Het bestuur informeert de betrokken medewerker en legt dat vast.".into(),
            None,
            board,
        );
    }
    a.push(
        RuleId::R2,
        "police_report_decision",
        "Het bestuur besluit over aangifte: bij een redelijk vermoeden doet het aangifte bij de politie nadat de ouders en de medewerker zijn geïnformeerd; anders legt het beredeneerd vast waarom niet.".into(),
        None,
        board,
    );
}

fn steps_one_to_four(state: &CaseState, a: &mut Actions, lead: Option<Role>, policy: CasePolicy) {
    // After a decision the normal route has passed steps 1–4; after an emergency report they
    // still follow (R7). A new weighing after help failed is prompted by `report_after_all`.
    if !state.decisions.is_empty() {
        return;
    }
    let Some(first_signal) = state.first_signal_on() else {
        a.push(
            RuleId::R1,
            "record_signal",
            "Leg de signalen vast: wat zag of hoorde u, wanneer en waar, en van wie komt het."
                .into(),
            None,
            None,
        );
        return;
    };
    let consult_due = add_working_days(first_signal, policy.consult_within_working_days);
    let weigh_due = add_working_days(first_signal, policy.weigh_within_working_days);
    if state.consultations.is_empty() {
        a.push(
            RuleId::R3,
            "consult_colleague",
            RuleId::R3.text_nl().into(),
            Some(consult_due),
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
    let care_team_consent = state.consents.iter().any(|c| {
        c.data.granted && c.data.written && c.data.scopes.contains(&ConsentScope::CareTeam)
    });
    if care_team_consent && state.care_team_intakes.is_empty() {
        a.push(
            RuleId::R3,
            "care_team_intake",
            "Voor de bespreking in het zorgadviesteam houdt het maatschappelijk werk (of een ander lid) een intake met de ouder en/of de leerkracht. Leg die vast.".into(),
            None,
            None,
        );
    }
    if !state.advice_settled() && state.assessments.is_empty() {
        a.push(
            RuleId::R5,
            "ask_vt_advice",
            RuleId::R5.text_nl().into(),
            Some(weigh_due),
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
    if in_step_two && !state.conversation_settled() && state.urgent_flag_awaiting_vt().is_none() {
        let text = if state.urgent_flags.is_empty() {
            "Bespreek de signalen met de ouder in vijf stappen, of leg vast waarom dat niet kan (veiligheid, of de ouder zou het contact verbreken).".to_owned()
        } else {
            "Bespreek met Veilig Thuis of een gesprek met de ouder veilig kan, en voer het dan in vijf stappen; of leg vast waarom het niet kan.".to_owned()
        };
        a.push(RuleId::R8, "talk_to_parent", text, Some(weigh_due), None);
    }
    if state.assessments.is_empty() {
        let missing: Vec<&str> = missing_before_weighing(state)
            .iter()
            .map(|m| m.needed)
            .collect();
        let still = if missing.is_empty() {
            String::new()
        } else {
            format!(" Nog nodig: {}.", missing.join("; "))
        };
        if let Some(d) = state.disclosures.first() {
            a.push(
                RuleId::R10,
                "weigh_now",
                format!("Het kind heeft verteld over wat er gebeurt. Weeg direct (stap 4): volgens het afwegingskader is een onthulling door het kind een reden om te melden.{still}"),
                Some(d.occurred_at.date_naive()),
                lead,
            );
        } else {
            a.push(
                RuleId::R10,
                "weigh",
                format!("Weeg het risico, de aard en de ernst op basis van de signalen, het advies en het gesprek met de ouder.{still}"),
                Some(weigh_due),
                lead,
            );
        }
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
    if let Some(flag) = &state.risk_index.last() {
        if let Some(due) = flag.data.follow_up_on {
            a.push(
                RuleId::R6,
                "risk_index_follow_up",
                "Bekijk de registratie in de Verwijsindex opnieuw (een match, of beëindigen) en leg dat vast.".into(),
                Some(due),
                lead,
            );
        }
    }
}

/// The latest weighing asks for a decision until one follows it; the prompts of help that is
/// still running stay beside it (`help_plans`).
fn weighing_outcome(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    let Some(assessment) = state.latest_assessment() else {
        return;
    };
    if state.decisions.iter().any(|d| d.seq > assessment.seq) {
        return;
    }
    match assessment.data.outcome {
        AssessmentOutcome::NoSuspicion if !state.meldnorm_reached() => a.push(
            RuleId::R15,
            "close_unfounded",
            "Volgens de weging is er geen vermoeden: sluit het dossier af en leg vast dat de zorgen ongegrond bleken.".into(),
            None,
            lead,
        ),
        AssessmentOutcome::NoSuspicion => {}
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

fn help_plans(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    if let Some(decision) = state.current_decision() {
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
    }
    for plan in state.help_plans.iter().filter(|p| p.ended.is_none()) {
        let last_review = plan.reviews.last().map(|r| r.occurred_at.date_naive());
        let next_due = plan
            .review_dates
            .iter()
            .filter(|d| last_review.is_none_or(|r| **d > r))
            .min();
        if plan.shared.is_empty() {
            a.push(
                RuleId::R11,
                "share_help_plan",
                "Bespreek het hulpplan met de ouders en leg hun reactie vast.".into(),
                None,
                None,
            );
        }
        if plan.reach_checks.is_empty() {
            a.push(
                RuleId::R11,
                "check_help_reached",
                "Vraag na of het gezin bij de hulp is aangekomen en leg dat vast.".into(),
                plan.review_dates.iter().min().copied(),
                None,
            );
        }
        if let Some(due) = next_due {
            a.push(
                RuleId::R11,
                "review_help",
                "Evalueer de effecten van de hulp met de betrokkenen.".into(),
                Some(*due),
                None,
            );
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
}

/// Help that did not bring lasting safety, or things worse after a report: weigh again, and
/// the meldnorm then asks for a report after all (R11, R13).
fn report_after_all(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    let Some(seq) = state.help_failure_unweighed() else {
        return;
    };
    let since = state.timeline.get(seq).map(|t| t.occurred_at.date_naive());
    a.push(
        RuleId::R11,
        "report_after_all",
        "Er zijn signalen dat het geweld niet stopt of opnieuw begint, of de hulp bracht geen blijvende veiligheid: weeg opnieuw en doe alsnog een melding bij Veilig Thuis.".into(),
        since,
        lead,
    );
}

fn report_steps(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    if !state.report_outstanding() {
        return;
    }
    // Step 3 is settled before any weighing (R10), so only the report discussion can be open.
    let discussed = state.report_discussed() || state.report_discussion_ground().is_some();
    if !discussed {
        let older = state
            .pupil
            .as_ref()
            .and_then(|p| p.age_on(a.today))
            .is_some_and(|age| age >= 12);
        let with = if older {
            "met de ouder, en met de leerling erbij (12 jaar of ouder)"
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
    if discussed {
        a.push(
            RuleId::R11,
            "make_report",
            "Doe de melding bij Veilig Thuis: feiten, wat van anderen komt, en wat de school zelf nog doet.".into(),
            None,
            lead,
        );
    }
}

fn reports_follow_up(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    let Some(report) = state.reports.last() else {
        return;
    };
    let informed = state
        .parents_informed_of_report
        .iter()
        .any(|i| i.seq > report.seq);
    let safety_ground = state.exception_grounds.iter().any(|g| {
        g.seq < report.seq
            && g.data.stage == ExceptionStage::ReportDiscussion
            && g.data.ground == ExceptionGround::SafetyAtStake
    });
    if !informed && !safety_ground {
        a.push(
            RuleId::R13,
            "inform_parents_of_report",
            "Laat de ouders weten dat de melding is gedaan en leg hun reactie vast.".into(),
            None,
            lead,
        );
    }
    let latest = state.follow_ups.iter().rev().find(|f| f.seq > report.seq);
    match latest {
        None => a.push(
            RuleId::R13,
            "follow_up_report",
            "Veilig Thuis besluit binnen vijf werkdagen wat het met de melding doet: vraag het besluit na en leg het vast.".into(),
            Some(add_working_days(
                report.data.report.reported_at.date_naive(),
                VT_DECISION_WORKING_DAYS,
            )),
            lead,
        ),
        Some(f) if f.data.improvement == Improvement::Insufficient => a.push(
            RuleId::R13,
            "contact_vt_again",
            "Er is onvoldoende verbetering: neem opnieuw contact op met Veilig Thuis en overweeg een nieuwe melding.".into(),
            Some(f.data.next_follow_up.unwrap_or(f.occurred_at.date_naive())),
            lead,
        ),
        // Worse: `report_after_all` asks for a new weighing.
        Some(f) if f.data.improvement == Improvement::Worse => {}
        Some(f) => {
            if let Some(due) = f.data.next_follow_up {
                a.push(
                    RuleId::R13,
                    "follow_up_report",
                    "Vraag opnieuw na hoe het gaat en leg het vast.".into(),
                    Some(due),
                    lead,
                );
            }
        }
    }
}

/// Closing is prompted where the dossier would let it close (the same check R15 makes), and
/// with it the evaluation with those involved.
fn closing(state: &CaseState, a: &mut Actions, lead: Option<Role>) {
    if !state.decisions.is_empty() && state.evaluations.is_empty() {
        a.push(
            RuleId::R15,
            "evaluate_with_involved",
            "Evalueer de genomen stappen met de betrokkenen en leg vast wat goed ging en wat beter kan.".into(),
            None,
            lead,
        );
    }
    let running_help = state.help_plans.iter().any(|p| p.ended.is_none());
    let text = if state.is_staff_case() {
        Some("De route bij een vermoeden tegen een medewerker is doorlopen: sluit het dossier af met een uitkomst.")
    } else if !state.reports.is_empty() {
        let settled = state.follow_ups.last().is_some_and(|f| {
            f.data.improvement == Improvement::Sufficient && f.data.next_follow_up.is_none()
        });
        (settled && !running_help).then_some(
            "De melding is overgedragen en er is voldoende verbetering: sluit het dossier af met een uitkomst.",
        )
    } else {
        let help_settled = !state.help_plans.is_empty()
            && state
                .help_plans
                .iter()
                .all(|p| p.ended.as_ref().is_some_and(|e| e.data.lasting_safety));
        help_settled.then_some(
            "De hulp bracht blijvende veiligheid: sluit het dossier af met een uitkomst.",
        )
    };
    let outcome = if state.is_staff_case() {
        CaseOutcome::StaffRouteCompleted
    } else if state.reports.is_empty() {
        CaseOutcome::HelpInPlace
    } else {
        CaseOutcome::ReportedAndHandedOver
    };
    let probe = CloseInput {
        outcome,
        reasoning: "-".into(),
        no_vt_answer_reason: None,
    };
    if let Some(text) = text {
        if crate::rules::r15_closing::check_close(state, &probe).is_ok() {
            a.push(RuleId::R15, "close_case", text.into(), None, lead);
        }
    }
}

/// The seed asks the school to escalate when signalling and referral stall: an overdue step
/// goes to the director.
fn escalate(a: &mut Actions) {
    if a.list.iter().any(|n| n.overdue) {
        a.push(
            RuleId::R14,
            "escalate_to_director",
            "Een stap in dit dossier is over de termijn. De directie bespreekt met de intern begeleider hoe het verder gaat (opschalen volgens de meldcode).".into(),
            None,
            Some(Role::Director),
        );
    }
}
