//! R15 Retention (AVG): a dossier is kept no longer than needed. The pupil's leaving the school
//! is recorded by the case lead, also on a closed case; from that day the school profile's
//! retention period runs (longer for a case with a report, where the profile says so), after
//! which the closed case is due for destruction.

use crate::event::EventPayload;
use crate::people::{Actor, Role};
use crate::policy::CasePolicy;
use crate::records::{CaseDestroyedInput, PupilLeftInput};
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::Violation;
use chrono::{DateTime, Months, NaiveDate, Utc};

pub(crate) fn check_pupil_left(
    state: &CaseState,
    input: &PupilLeftInput,
    now: DateTime<Utc>,
) -> Result<(), Violation> {
    if state.pupil_left.is_some() {
        return Err(Violation::new(
            RuleId::R15,
            "pupil_left_recorded",
            "Het vertrek van de leerling staat al in het dossier. Klopt de datum niet, corrigeer dan dat record.",
        ));
    }
    if input.left_on > now.date_naive() {
        return Err(Violation::new(
            RuleId::R15,
            "left_in_future",
            "De leerling is nog niet vertrokken. Leg het vertrek vast op of na de laatste schooldag.",
        ));
    }
    Ok(())
}

/// The last day the case is kept: the pupil's leaving plus the retention period. `None` while
/// the pupil is at the school or the case is open (an open case is never destroyed).
pub fn retain_until(state: &CaseState, policy: CasePolicy) -> Option<NaiveDate> {
    state.closed.as_ref()?;
    let left = state.pupil_left.as_ref()?.data.left_on;
    let years = if state.reports.is_empty() {
        policy.retention_years
    } else {
        policy.retention_years_reported.max(policy.retention_years)
    };
    left.checked_add_months(Months::new(years.saturating_mul(12)))
}

/// Whether the case's retention period is over: closed, the pupil left, and the last day to
/// keep it has passed.
pub fn due_for_destruction(state: &CaseState, policy: CasePolicy, today: NaiveDate) -> bool {
    retain_until(state, policy).is_some_and(|last| last < today)
}

/// The case lead destroys a case whose retention period is over, giving the reason; the
/// tombstone that says so is the only thing left of it. `records` is how many records go.
pub fn check_destroy(
    state: &CaseState,
    actor: Actor,
    policy: CasePolicy,
    today: NaiveDate,
    records: u32,
    reason: &str,
) -> Result<EventPayload, Violation> {
    let (Some(case), true) = (state.case_id, actor.role == state.lead_role()) else {
        return Err(Violation::new(
            RuleId::R14,
            "destroy_not_allowed",
            "Een dossier vernietigt de intern begeleider (bij een vermoeden tegen een medewerker het schoolbestuur).",
        ));
    };
    let Some(last) = retain_until(state, policy) else {
        return Err(Violation::new(
            RuleId::R15,
            "not_due",
            "Dit dossier wordt bewaard: het is nog open, of het vertrek van de leerling staat er niet in.",
        ));
    };
    if last >= today {
        return Err(Violation::new(
            RuleId::R15,
            "retention_running",
            format!(
                "Dit dossier wordt bewaard tot en met {}; daarna kan het worden vernietigd.",
                last.format("%d-%m-%Y")
            ),
        ));
    }
    crate::violation::require_text(
        reason,
        RuleId::R15,
        "reason_required",
        "Schrijf op waarom het dossier wordt vernietigd, bijvoorbeeld: de bewaartermijn is verstreken.",
    )?;
    Ok(EventPayload::CaseDestroyed(CaseDestroyedInput {
        case,
        retain_until: last,
        records,
        reason: reason.trim().to_string(),
    }))
}

/// Whether a tombstone that arrives from another device (or at the server) was made by someone
/// who may destroy the case: its lead role, the board's for a case about staff. `staff_case` is
/// `None` where the receiver does not hold the case; then either lead role will do.
pub fn tombstone_authorised(author_role: Role, staff_case: Option<bool>) -> bool {
    match staff_case {
        Some(true) => author_role == Role::Board,
        Some(false) => author_role == Role::Coordinator,
        None => matches!(author_role, Role::Coordinator | Role::Board),
    }
}

#[cfg(test)]
mod tests {
    use super::{check_destroy, due_for_destruction, retain_until, tombstone_authorised};
    use crate::records::*;
    use crate::testkit::*;
    use crate::{Command, RuleId};
    use chrono::NaiveDate;

    fn left(on: NaiveDate) -> Command {
        Command::RecordPupilLeft(PupilLeftInput {
            left_on: on,
            note: Some("Verhuisd naar Groningen.".into()),
        })
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid day")
    }

    #[test]
    fn r15_pupil_left_is_recorded_by_the_lead_also_on_a_closed_case() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(COORDINATOR, close(CaseOutcome::Unfounded));
        assert_eq!(kit.refused(TEACHER, signal_own()).1, "case_closed");
        let on = kit.today();
        assert_eq!(kit.refused(TEACHER, left(on)).0, RuleId::R14);
        assert_eq!(
            crate::rules::r14_roles::permitted_commands(&kit.state, COORDINATOR),
            vec!["record_pupil_left"]
        );
        assert!(crate::rules::r14_roles::permitted_commands(&kit.state, TEACHER).is_empty());
        kit.ok(COORDINATOR, left(on));
        assert_eq!(kit.refused(COORDINATOR, left(on)).1, "pupil_left_recorded");
        assert!(crate::rules::r14_roles::permitted_commands(&kit.state, COORDINATOR).is_empty());
    }

    #[test]
    fn r15_pupil_left_is_not_in_the_future() {
        let mut kit = Kit::opened();
        let tomorrow = kit.today().succ_opt().expect("a next day");
        assert_eq!(kit.refused(COORDINATOR, left(tomorrow)).1, "left_in_future");
    }

    #[test]
    fn r15_retention_runs_from_leaving_and_longer_with_a_report() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        kit.ok(COORDINATOR, left(day(2026, 3, 1)));
        // An open case is never due for destruction.
        assert_eq!(retain_until(&kit.state, kit.policy), None);
        kit.ok(COORDINATOR, close(CaseOutcome::Unfounded));
        assert_eq!(retain_until(&kit.state, kit.policy), Some(day(2028, 3, 1)));

        let mut reported = reported();
        reported.ok(COORDINATOR, close(CaseOutcome::ReportedAndHandedOver));
        assert_eq!(retain_until(&reported.state, reported.policy), None);
        reported.ok(COORDINATOR, left(day(2026, 3, 1)));
        reported.policy.retention_years_reported = 5;
        assert_eq!(
            retain_until(&reported.state, reported.policy),
            Some(day(2031, 3, 1))
        );
    }

    #[test]
    fn r15_destruction_only_by_the_lead_after_the_retention_period_with_a_reason() {
        let mut kit = Kit::opened();
        kit.ok(TEACHER, signal_own());
        let today = kit.today();
        let later = |years: u32| {
            today
                .checked_add_months(chrono::Months::new(years * 12))
                .expect("a later day")
        };
        let destroy = |kit: &Kit, actor, on| {
            check_destroy(
                &kit.state,
                actor,
                kit.policy,
                on,
                2,
                "Bewaartermijn verstreken.",
            )
        };
        assert_eq!(
            destroy(&kit, COORDINATOR, later(5)).map_err(|v| v.code),
            Err("not_due".into())
        );
        kit.ok(COORDINATOR, left(today));
        kit.ok(COORDINATOR, close(CaseOutcome::Unfounded));
        assert!(!due_for_destruction(&kit.state, kit.policy, later(2)));
        assert_eq!(
            destroy(&kit, COORDINATOR, later(2)).map_err(|v| v.code),
            Err("retention_running".into())
        );
        let after = later(2).succ_opt().expect("a next day");
        assert!(due_for_destruction(&kit.state, kit.policy, after));
        assert_eq!(
            destroy(&kit, TEACHER, after).map_err(|v| v.rule),
            Err(RuleId::R14)
        );
        assert_eq!(
            check_destroy(&kit.state, COORDINATOR, kit.policy, after, 2, " ").map_err(|v| v.code),
            Err("reason_required".into())
        );
        let Ok(crate::EventPayload::CaseDestroyed(t)) = destroy(&kit, COORDINATOR, after) else {
            panic!("destroyed");
        };
        assert_eq!(
            (t.case, t.retain_until, t.records),
            (kit.state.case_id.expect("a case"), later(2), 2)
        );
    }

    #[test]
    fn r15_a_received_tombstone_counts_only_from_the_cases_lead_role() {
        use crate::Role::*;
        assert!(tombstone_authorised(Coordinator, Some(false)));
        assert!(!tombstone_authorised(Board, Some(false)));
        assert!(tombstone_authorised(Board, Some(true)));
        assert!(!tombstone_authorised(Coordinator, Some(true)));
        for role in [Teacher, Director] {
            for staff in [Some(true), Some(false), None] {
                assert!(!tombstone_authorised(role, staff), "{role:?} {staff:?}");
            }
        }
        assert!(tombstone_authorised(Coordinator, None) && tombstone_authorised(Board, None));
    }
}
