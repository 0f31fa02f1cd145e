//! The parent's inspection copy (AVG inzage): which parts of a dossier may be masked. A parent
//! may see what the school recorded about their child, but not the school's personal work notes
//! (what colleagues said to each other while consulting) and not who else told the school what
//! (third parties). Each such part is a mask point; the coordinator picks which ones to mask in
//! a preview, and a masked part is marked in the copy, never silently dropped.

use crate::envelope::Envelope;
use crate::event::EventPayload;
use crate::ids::EventId;
use crate::signal::SignalSource;
use serde::{Deserialize, Serialize};

/// Why a part may be kept from the parent.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaskReason {
    /// The school's own working notes: consultations between colleagues.
    WorkNote,
    /// Information about someone else: who told the school, who was consulted.
    ThirdParty,
}

/// One field of one record that the inspection copy may leave out. `field` is the field's name
/// in the record's JSON (`source`, `partner_name`, …); names are unique within a record.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MaskPoint {
    pub event: EventId,
    pub field: String,
    pub reason: MaskReason,
}

fn point(event: EventId, field: &str, reason: MaskReason) -> MaskPoint {
    MaskPoint {
        event,
        field: field.into(),
        reason,
    }
}

/// The parts of one record that may be masked, in the order the record shows its fields.
fn points_of(e: &Envelope) -> Vec<MaskPoint> {
    use MaskReason::{ThirdParty, WorkNote};
    let id = e.id;
    match &e.payload {
        EventPayload::SignalRecorded(s) if matches!(s.source, SignalSource::Other { .. }) => {
            vec![point(id, "source", ThirdParty)]
        }
        EventPayload::ConsultationRecorded(c) => {
            let mut points = vec![
                point(id, "partner_name", ThirdParty),
                point(id, "summary", WorkNote),
            ];
            if c.advice.is_some() {
                points.push(point(id, "advice", WorkNote));
            }
            points
        }
        EventPayload::AdviceRequested(a) if a.reference.is_some() => {
            vec![point(id, "reference", ThirdParty)]
        }
        EventPayload::StaffSuspected(_) => vec![
            point(id, "staff_name", ThirdParty),
            point(id, "note", WorkNote),
        ],
        EventPayload::CareTeamIntakeHeld(_) => vec![point(id, "notes", WorkNote)],
        EventPayload::ReportMade(r) if r.report.from_others.is_some() => {
            vec![point(id, "from_others", ThirdParty)]
        }
        _ => Vec::new(),
    }
}

/// Every part of the dossier the inspection copy may mask, in log order. A correction of a
/// record with such parts may repeat them, so its corrected text is a mask point too.
pub fn mask_points(events: &[Envelope]) -> Vec<MaskPoint> {
    let mut points: Vec<MaskPoint> = Vec::new();
    for e in events {
        if let EventPayload::RecordCorrected(c) = &e.payload {
            let reason = points
                .iter()
                .find(|p| p.event == c.corrects)
                .map(|p| p.reason);
            if let Some(reason) = reason {
                points.push(point(e.id, "corrected_text", reason));
            }
            continue;
        }
        points.extend(points_of(e));
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::CorrectionInput;
    use crate::testkit::*;
    use crate::Command;

    #[test]
    fn inzage_masks_third_parties_and_work_notes_and_corrections_of_them() {
        let mut kit = Kit::opened();
        let own = kit.ok(TEACHER, signal_own())[0].id;
        let told = kit.ok(TEACHER, signal_from_other())[0].id;
        let consult = kit.ok(TEACHER, consultation_internal())[0].id;
        kit.ok(
            TEACHER,
            Command::CorrectRecord(CorrectionInput {
                corrects: told,
                reason: "Naam van de buurvrouw verkeerd".into(),
                corrected_text: "Verteld door Anna de Wit, buurvrouw.".into(),
            }),
        );
        let fix = kit.events.last().expect("the correction").id;
        kit.ok(
            TEACHER,
            Command::CorrectRecord(CorrectionInput {
                corrects: own,
                reason: "Verkeerde arm".into(),
                corrected_text: "Rechter arm.".into(),
            }),
        );
        let points = mask_points(&kit.events);
        let listed: Vec<(EventId, &str, MaskReason)> = points
            .iter()
            .map(|p| (p.event, p.field.as_str(), p.reason))
            .collect();
        assert!(listed.contains(&(told, "source", MaskReason::ThirdParty)));
        assert!(listed.contains(&(consult, "partner_name", MaskReason::ThirdParty)));
        assert!(listed.contains(&(consult, "summary", MaskReason::WorkNote)));
        assert!(listed.contains(&(fix, "corrected_text", MaskReason::ThirdParty)));
        // The teacher's own observation and its correction are the parent's to see.
        assert!(points.iter().all(|p| p.event != own));
        assert_eq!(
            points
                .iter()
                .filter(|p| p.field == "corrected_text")
                .count(),
            1
        );
    }
}
