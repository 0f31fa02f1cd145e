//! R12 Discuss the report first, with the parent and, from 12, with the pupil: explain, ask for
//! a reaction, record objections and how they were met, weigh them. The R9 grounds are the only
//! way around it, and are recorded; in an emergency (R7) the danger is the ground.

use super::check_not_future;
use super::r00_record::require_full_names;
use crate::event::ReportRoute;
use crate::records::{ExceptionGroundInput, ExceptionStage, ReportDiscussionInput};
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
    if !state.report_outstanding() && !state.emergency_report_pending() {
        return Err(Violation::new(
            r12,
            "decision_required",
            "De melding bespreken volgt op het besluit om te melden.",
        ));
    }
    if !input.with_parent {
        return Err(Violation::new(
            r12,
            "parent_required",
            "De melding wordt besproken met de ouder; de leerling kan vanaf 12 jaar aansluiten, maar nooit in plaats van de ouder. Kan het gesprek met de ouder niet, leg dan de reden vast.",
        ));
    }
    let too_young = state
        .pupil
        .as_ref()
        .and_then(|p| p.age_on(input.held_at.date_naive()))
        .is_some_and(|age| age < 12);
    if input.with_pupil && too_young {
        return Err(Violation::new(
            r12,
            "pupil_under_twelve",
            "De melding bespreekt u met de leerling vanaf 12 jaar; deze leerling is jonger.",
        ));
    }
    require_full_names(&input.participants, "wie bij het gesprek waren")?;
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
    if route == ReportRoute::Emergency
        || state.report_discussed()
        || state.report_discussion_ground().is_some()
    {
        return Ok(());
    }
    Err(Violation::new(
        RuleId::R12,
        "report_discussion_or_ground_required",
        "Bespreek de melding eerst met de ouder (en met de leerling vanaf 12 jaar). Kan dat niet omdat iemands veiligheid in het geding is of de ouder het contact zou verbreken, leg die reden dan vast.",
    ))
}

/// The R12 ground is about one report: it is recorded after the decision to report and holds
/// for that report only.
pub(crate) fn check_ground_follows_decision(
    state: &CaseState,
    input: &ExceptionGroundInput,
) -> Result<(), Violation> {
    if input.stage == ExceptionStage::ReportDiscussion && !state.report_outstanding() {
        return Err(Violation::new(
            RuleId::R12,
            "decision_required",
            "De reden om de melding niet vooraf te bespreken hoort bij een besluit om te melden dat nog niet is uitgevoerd. Leg eerst dat besluit vast.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::next_actions::next_actions;
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};

    fn decided(kit: &mut Kit) {
        prepare_weighing(kit);
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

    #[test]
    fn r12_pupil_joins_from_twelve_but_never_instead_of_the_parent() {
        let mut kit = Kit::opened();
        decided(&mut kit);
        let Command::RecordReportDiscussion(mut d) = discussion() else {
            unreachable!()
        };
        d.with_parent = false;
        d.with_pupil = true;
        assert_eq!(
            kit.refused(COORDINATOR, Command::RecordReportDiscussion(d.clone()))
                .1,
            "parent_required"
        );
        d.with_parent = true;
        assert_eq!(
            kit.refused(COORDINATOR, Command::RecordReportDiscussion(d))
                .1,
            "pupil_under_twelve",
            "Sanne is eight"
        );
    }

    #[test]
    fn r12_ground_is_recorded_after_the_decision_and_holds_for_that_report_only() {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        let skip = ground(
            ExceptionStage::ReportDiscussion,
            ExceptionGround::SafetyAtStake,
        );
        assert_eq!(
            kit.refused(COORDINATOR, skip.clone()),
            (RuleId::R12, "decision_required".into())
        );
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, true));
        kit.ok(COORDINATOR, skip);
        kit.ok(COORDINATOR, report());
        // Later, help fails and a new decision to report is taken: the old ground is spent.
        let d = kit.today() + chrono::Duration::days(14);
        let plan = kit.ok(COORDINATOR, help_plan(vec![d], d))[0].id;
        kit.ok(TEACHER, review(plan, kit.now, HelpEffect::ConcernsContinue));
        kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
        kit.ok(COORDINATOR, decision(true, false));
        assert_eq!(
            kit.refused(COORDINATOR, report()),
            (RuleId::R12, "report_discussion_or_ground_required".into())
        );
    }
}
