//! R12 Discuss the report first, with the parent and, from 12, with the pupil: explain, ask for
//! a reaction, record objections and how they were met, weigh them. The R9 grounds are the only
//! way around it, and are recorded; in an emergency (R7) the danger is the ground.

use super::check_not_future;
use crate::event::ReportRoute;
use crate::records::{ExceptionStage, ReportDiscussionInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::{require_text, Violation};
use chrono::{DateTime, Utc};

pub(crate) fn check_discussion(
    state: &CaseState,
    input: &ReportDiscussionInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    let r12 = RuleId::R12;
    if !state.current_decision().is_some_and(|d| d.data.report) && state.emergency.is_none() {
        return Err(Violation::new(
            r12,
            "decision_required",
            "De melding bespreken volgt op het besluit om te melden.",
        ));
    }
    if !input.with_parent && !input.with_pupil {
        return Err(Violation::new(
            r12,
            "participant_required",
            "Geef aan met wie de melding is besproken: de ouder, de leerling (vanaf 12 jaar) of beiden.",
        ));
    }
    if input.participants.iter().all(|p| p.trim().is_empty()) {
        return Err(Violation::new(
            r12,
            "participant_required",
            "Vul de namen in van wie bij het gesprek waren.",
        ));
    }
    require_text(
        &input.explanation,
        r12,
        "explanation_required",
        "Leg vast hoe u hebt uitgelegd waarom u wilt melden en wat het doel is.",
    )?;
    require_text(
        &input.reaction,
        r12,
        "reaction_required",
        "Leg de reactie vast.",
    )?;
    for o in &input.objections {
        require_text(
            &o.objection,
            r12,
            "objection_required",
            "Beschrijf elk bezwaar.",
        )?;
        require_text(
            &o.how_met,
            r12,
            "how_met_required",
            "Leg bij elk bezwaar vast hoe de school eraan tegemoet is gekomen, of waarom dat niet kon.",
        )?;
    }
    if !input.objections.is_empty()
        && input
            .objections_weighed
            .as_deref()
            .is_none_or(|w| w.trim().is_empty())
    {
        return Err(Violation::new(
            r12,
            "objections_weighing_required",
            "Weeg de bezwaren af tegen de noodzaak om de leerling te beschermen, en leg die afweging vast.",
        ));
    }
    check_not_future(input.held_at, now, r12)
}

pub(crate) fn check_discussed_or_ground(
    state: &CaseState,
    route: ReportRoute,
) -> Result<(), Violation> {
    let since_decision = state.current_decision().map_or(0, |d| d.seq);
    let discussed = state
        .report_discussions
        .iter()
        .any(|d| d.seq > since_decision);
    if route == ReportRoute::Emergency
        || discussed
        || state.ground_for(ExceptionStage::ReportDiscussion).is_some()
    {
        return Ok(());
    }
    Err(Violation::new(
        RuleId::R12,
        "report_discussion_or_ground_required",
        "Bespreek de melding eerst met de ouder (en met de leerling vanaf 12 jaar). Kan dat niet omdat iemands veiligheid in het geding is of de ouder het contact zou verbreken, leg die reden dan vast.",
    ))
}

#[cfg(test)]
mod tests {
    use crate::next_actions::next_actions;
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};

    fn decided(kit: &mut Kit) {
        kit.ok(TEACHER, signal_own());
        kit.ok(COORDINATOR, advice());
        kit.ok(TEACHER, conversation());
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
    }

    #[test]
    fn r12_report_without_discussion_or_ground_is_refused() {
        let mut kit = Kit::opened();
        decided(&mut kit);
        assert_eq!(
            kit.refused(COORDINATOR, report()),
            (RuleId::R12, "report_discussion_or_ground_required".into())
        );
        kit.ok(COORDINATOR, discussion());
        kit.ok(COORDINATOR, report());
    }

    #[test]
    fn r12_safety_ground_allows_the_report_without_discussion() {
        let mut kit = Kit::opened();
        decided(&mut kit);
        kit.ok(
            COORDINATOR,
            ground(
                ExceptionStage::ReportDiscussion,
                ExceptionGround::SafetyAtStake,
            ),
        );
        kit.ok(COORDINATOR, report());
    }

    #[test]
    fn r12_objections_need_how_they_were_met_and_weighed() {
        let mut kit = Kit::opened();
        decided(&mut kit);
        let Command::RecordReportDiscussion(mut d) = discussion() else {
            unreachable!()
        };
        d.objections[0].how_met.clear();
        assert_eq!(
            kit.refused(COORDINATOR, Command::RecordReportDiscussion(d.clone()))
                .1,
            "how_met_required"
        );
        d.objections[0].how_met = "Besproken.".into();
        d.objections_weighed = None;
        assert_eq!(
            kit.refused(COORDINATOR, Command::RecordReportDiscussion(d))
                .1,
            "objections_weighing_required"
        );
    }

    #[test]
    fn r12_pupil_of_twelve_or_older_is_named_in_the_prompt() {
        let mut kit = Kit::new();
        let mut older = pupil();
        older.date_of_birth = chrono::NaiveDate::from_ymd_opt(2013, 5, 1);
        kit.ok(
            TEACHER,
            Command::OpenCase {
                pupil: older,
                parents: vec![parent()],
            },
        );
        decided(&mut kit);
        let actions = next_actions(&kit.state, kit.policy, kit.now);
        let discuss = actions
            .iter()
            .find(|a| a.code == "discuss_report")
            .expect("discussion prompted");
        assert!(discuss.text.contains("leerling"));
    }
}
