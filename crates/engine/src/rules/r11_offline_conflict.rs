//! R11 Deciding, when the school's devices were apart: a weighing or a decision recorded on one
//! device without knowing of one recorded on another (both offline) is a conflict. Nothing is
//! edited or dropped: both stay in the dossier, every device folds them to the same conflict,
//! and the case lead resolves it with a new record saying which one stands and why. Until then
//! nothing is built on either (no new weighing or decision, no help plan, report or close).

use crate::command::Command;
use crate::envelope::Envelope;
use crate::event::EventPayload;
use crate::ids::{DeviceId, EventId, UserId};
use crate::records::ConflictResolution;
use crate::rule::RuleId;
use crate::state::CaseState;
use crate::violation::Violation;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The records that can conflict: what the case lead weighs and decides.
pub fn is_decisive(payload: &EventPayload) -> bool {
    matches!(
        payload,
        EventPayload::AssessmentRecorded(_) | EventPayload::DecisionRecorded(_)
    )
}

/// Where a weighing or decision was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decisive {
    pub id: EventId,
    pub kind: &'static str,
    pub device: DeviceId,
    pub device_seq: u64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// `assessment_recorded` or `decision_recorded`.
    pub kind: &'static str,
    /// The records in conflict, in the order every device folds them.
    pub records: Vec<EventId>,
    pub resolved: Option<Resolved>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Resolved {
    pub id: EventId,
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub kept: EventId,
    pub reasoning: String,
}

impl CaseState {
    pub fn open_conflict(&self) -> Option<&Conflict> {
        self.conflicts.iter().find(|c| c.resolved.is_none())
    }
}

/// Marks weighings and decisions with what their device had of the case, so that the fold can
/// tell a conflict from a later record; and a copy of the dossier with the records it covered,
/// so that a printed copy can be checked later, whatever arrived since (`r00_export`). Called
/// on freshly stamped events, before they are saved.
pub fn stamp_seen(state: &CaseState, events: &mut [Envelope]) {
    let covers = |p: &EventPayload| is_decisive(p) || matches!(p, EventPayload::DossierExported(_));
    for e in events.iter_mut().filter(|e| covers(&e.payload)) {
        e.seen = state.seen.clone();
    }
}

/// Part of the fold (`CaseState::evolve`): finds conflicts, applies resolutions, and notes
/// what the case holds of each device.
pub(crate) fn fold(state: &mut CaseState, e: &Envelope, seq: usize) {
    if is_decisive(&e.payload) {
        let kind = e.payload.kind();
        let unaware: Vec<EventId> = state
            .decisive
            .iter()
            .filter(|d| {
                d.kind == kind
                    && d.device != e.device_id
                    && !e.seen.includes(d.device, d.device_seq)
            })
            .map(|d| d.id)
            .collect();
        if !unaware.is_empty() {
            match state.conflicts.iter_mut().find(|c| {
                c.resolved.is_none()
                    && c.kind == kind
                    && c.records.iter().any(|r| unaware.contains(r))
            }) {
                Some(open) => open.records.push(e.id),
                None => state.conflicts.push(Conflict {
                    kind,
                    records: unaware.into_iter().chain([e.id]).collect(),
                    resolved: None,
                }),
            }
        }
        state.decisive.push(Decisive {
            id: e.id,
            kind,
            device: e.device_id,
            device_seq: e.device_seq,
        });
    }
    if let EventPayload::ConflictResolved(r) = &e.payload {
        resolve(state, e, r, seq);
    }
    state.seen.note(e.device_id, e.device_seq);
}

/// The kept record becomes the current one (as if made at the resolution); the others are set
/// aside from the case's course, and stay in its timeline.
fn resolve(state: &mut CaseState, e: &Envelope, r: &ConflictResolution, seq: usize) {
    let Some(conflict) = state
        .conflicts
        .iter_mut()
        .find(|c| c.resolved.is_none() && c.records.contains(&r.kept))
    else {
        return;
    };
    conflict.resolved = Some(Resolved {
        id: e.id,
        by: e.author,
        at: e.recorded_at,
        kept: r.kept,
        reasoning: r.reasoning.clone(),
    });
    let aside: Vec<EventId> = conflict
        .records
        .iter()
        .copied()
        .filter(|id| *id != r.kept)
        .collect();
    fn reorder<T>(
        list: &mut Vec<crate::state::Recorded<T>>,
        kept: EventId,
        aside: &[EventId],
        seq: usize,
    ) {
        list.retain(|x| !aside.contains(&x.id));
        if let Some(i) = list.iter().position(|x| x.id == kept) {
            let mut k = list.remove(i);
            k.seq = seq;
            list.push(k);
        }
    }
    reorder(&mut state.assessments, r.kept, &aside, seq);
    reorder(&mut state.decisions, r.kept, &aside, seq);
}

fn refused(code: &str, message: &str) -> Violation {
    Violation::new(RuleId::R11, code, message)
}

/// While a conflict is open, nothing is built on either side of it.
pub fn check_no_open_conflict(state: &CaseState, command: &Command) -> Result<(), Violation> {
    let builds_on_it = matches!(
        command,
        Command::RecordAssessment { .. }
            | Command::RecordDecision(_)
            | Command::StartHelpPlan(_)
            | Command::MakeReport(_)
            | Command::CloseCase(_)
    );
    if builds_on_it && state.open_conflict().is_some() {
        return Err(refused(
            "conflict_open",
            "Er zijn twee wegingen of besluiten vastgelegd op verschillende apparaten, zonder dat de een van de ander wist. Kies eerst welke geldt, met een toelichting.",
        ));
    }
    Ok(())
}

pub fn check_resolution(state: &CaseState, input: &ConflictResolution) -> Result<(), Violation> {
    let Some(conflict) = state.open_conflict() else {
        return Err(refused(
            "no_conflict",
            "Er is in dit dossier geen tegenstrijdigheid om op te lossen.",
        ));
    };
    let mut named = input.records.clone();
    named.sort();
    let mut open = conflict.records.clone();
    open.sort();
    if named != open || !conflict.records.contains(&input.kept) {
        return Err(refused(
            "conflict_changed",
            "De tegenstrijdigheid is intussen veranderd (er kwam een vastlegging bij). Bekijk haar opnieuw.",
        ));
    }
    if input.reasoning.trim().is_empty() {
        return Err(refused(
            "reasoning_missing",
            "Leg uit waarom deze vastlegging geldt.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::Recorder;
    use crate::testkit::*;
    use crate::{CaseState, DeviceId};
    use chrono::Duration;

    /// A case weighed up to the decision, on the coordinator's laptop.
    fn weighed() -> Kit {
        let mut kit = Kit::opened();
        prepare_weighing(&mut kit);
        kit.ok(
            COORDINATOR,
            assessment_2019(crate::records::Answer::No, Some(true), Some(true)),
        );
        kit
    }

    /// The same case on a second device that has everything so far, then goes offline.
    fn second_device(kit: &Kit) -> Kit {
        let mut other = Kit::new();
        other.case_id = kit.case_id;
        other.events = kit.events.clone();
        other.state = kit.state.clone();
        other.now = kit.now;
        other.random = crate::envelope::CountingRandom(1_000_000);
        other.recorder = Recorder::new(DeviceId::from_u128(0xbee), 0, kit.recorder.clock());
        other
    }

    fn merged(a: &Kit, b: &Kit) -> CaseState {
        let mut all: Vec<Envelope> = a.events.clone();
        all.extend(b.events.iter().filter(|e| !a.events.contains(e)).cloned());
        all.sort_by_key(|e| (e.hlc, e.device_id, e.device_seq));
        CaseState::replay(&all)
    }

    /// Report decided on one device, help on the other, merged on a third: the report's id.
    fn conflicted() -> (Kit, EventId) {
        let mut a = weighed();
        let mut b = second_device(&a);
        let report_decision = a.ok(COORDINATOR, decision(true, false))[0].id;
        b.ok(COORDINATOR, decision(false, true));
        let mut kit = Kit::new();
        kit.case_id = a.case_id;
        kit.state = merged(&a, &b);
        kit.now = a.now + Duration::hours(1);
        (kit, report_decision)
    }

    #[test]
    fn r11_decisions_made_apart_both_stay_and_show_a_conflict() {
        let mut a = weighed();
        let mut b = second_device(&a);
        a.advance(Duration::minutes(5));
        b.advance(Duration::minutes(7));
        a.ok(COORDINATOR, decision(true, false));
        b.ok(COORDINATOR, decision(false, true));
        let state = merged(&a, &b);
        assert_eq!(state.decisions.len(), 2, "nothing is dropped");
        let prompts = crate::next_actions::next_actions(&state, a.policy, a.now);
        assert_eq!(
            prompts.first().map(|p| (p.rule, p.code.as_str())),
            Some((RuleId::R11, "resolve_conflict"))
        );
        let conflict = state.open_conflict().expect("a conflict");
        assert_eq!(conflict.kind, "decision_recorded");
        assert_eq!(conflict.records.len(), 2);
        // Every device folds the same: the merge order does not depend on who merges.
        assert_eq!(merged(&b, &a).conflicts, state.conflicts);
    }

    #[test]
    fn r11_a_decision_made_after_seeing_the_other_is_no_conflict() {
        let mut a = weighed();
        a.ok(COORDINATOR, decision(false, true));
        let b = second_device(&a);
        let mut b = b;
        b.advance(Duration::days(1));
        // B knew of A's decision (it was in its copy): a later decision is the case's course.
        b.ok(
            COORDINATOR,
            assessment_2019(crate::records::Answer::No, Some(true), Some(true)),
        );
        b.ok(COORDINATOR, decision(true, false));
        assert!(merged(&a, &b).conflicts.is_empty());
    }

    #[test]
    fn r11_nothing_is_built_on_an_open_conflict() {
        let (mut kit, _) = conflicted();
        let (rule, code) = kit.refused(COORDINATOR, decision(true, false));
        assert_eq!((rule, code.as_str()), (RuleId::R11, "conflict_open"));
        let (_, code) = kit.refused(COORDINATOR, report());
        assert_eq!(code, "conflict_open");
    }

    #[test]
    fn r11_the_lead_resolves_with_a_new_record_and_the_other_stays_in_the_timeline() {
        let (mut kit, report_decision) = conflicted();
        let conflict = kit.state.open_conflict().expect("conflict").clone();
        let resolve = |reasoning: &str| {
            Command::ResolveConflict(ConflictResolution {
                records: conflict.records.clone(),
                kept: report_decision,
                reasoning: reasoning.into(),
            })
        };
        assert_eq!(kit.refused(TEACHER, resolve("Melden.")).0, RuleId::R14);
        assert_eq!(
            kit.refused(COORDINATOR, resolve(" ")).1,
            "reasoning_missing"
        );
        kit.ok(
            COORDINATOR,
            resolve("Na overleg met de directie: melden bij Veilig Thuis."),
        );
        assert!(kit.state.open_conflict().is_none());
        assert_eq!(kit.state.decisions.len(), 1);
        assert!(kit.state.latest_decision().expect("decision").data.report);
        assert!(
            kit.state
                .timeline
                .iter()
                .filter(|t| t.kind == "decision_recorded")
                .count()
                == 2
        );
        // The case goes on from the kept decision.
        kit.ok(COORDINATOR, discussion());
    }

    #[test]
    fn r11_a_resolution_names_the_conflict_as_it_stands() {
        let (mut kit, report_decision) = conflicted();
        let kept = report_decision;
        let stale = Command::ResolveConflict(ConflictResolution {
            records: vec![kept],
            kept,
            reasoning: "x".into(),
        });
        assert_eq!(kit.refused(COORDINATOR, stale).1, "conflict_changed");
        let none = weighed();
        let mut none = none;
        let nothing = Command::ResolveConflict(ConflictResolution {
            records: vec![kept],
            kept,
            reasoning: "x".into(),
        });
        assert_eq!(none.refused(COORDINATOR, nothing).1, "no_conflict");
    }
}
