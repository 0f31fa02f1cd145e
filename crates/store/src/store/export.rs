//! Printed copies of a dossier: the full dossier and the parent's inspection copy as PDF, each
//! one on record in the case's log (who, which copy, for whom, covering which records), and the
//! check of a copy against the store (`meldcode verify --against`).

use super::Store;
use crate::error::{Result, StoreError};
use crate::log;
use chrono::{DateTime, Utc};
use meldcode_engine::envelope::{Envelope, Seen};
use meldcode_engine::inzage::{mask_points, MaskPoint};
use meldcode_engine::records::{ExportCopy, ExportInput, ExportRecipient};
use meldcode_engine::rules::r00_export::may_export;
use meldcode_engine::{CaseId, Command, EventPayload, UserId};
use meldcode_pdf::dossier::{dossier, DossierInput, Head};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the coordinator chose for a copy.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRequest {
    pub copy: ExportCopy,
    pub recipient: ExportRecipient,
    #[serde(default)]
    pub recipient_note: Option<String>,
    /// The parts to leave out of an inspection copy, from `inzage_mask_points`.
    #[serde(default)]
    pub masks: Vec<MaskPoint>,
}

/// What was exported, for the confirmation on screen.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportDone {
    pub records: u32,
    pub short_code: String,
    pub masked: u32,
}

/// A copy checked against the store.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CopyCheck {
    /// The copy's records are in the store unchanged, and its chains verify.
    pub matches: bool,
    pub case_id: Option<CaseId>,
    pub records: u32,
    pub head: String,
    pub made_at: Option<DateTime<Utc>>,
    pub made_by: Option<UserId>,
    pub copy: Option<ExportCopy>,
    /// Records added to the case since the copy was made.
    pub later_records: u32,
}

/// The dossier head over `events` (in log order): SHA-256 over each record's SHA-256 of its
/// canonical bytes, the bytes the device chains hash too.
pub fn dossier_head(events: &[&Envelope]) -> Result<Head> {
    let mut head = Sha256::new();
    for e in events {
        let body = e.canonical_json().map_err(|_| StoreError::Damaged {
            detail: "record".into(),
        })?;
        head.update(Sha256::digest(&body));
    }
    Ok(Head {
        hash: hex(&head.finalize()),
        records: events.len(),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The records a copy covered: those its device had when the copy was made.
fn covered<'a>(events: &'a [Envelope], seen: &Seen) -> Vec<&'a Envelope> {
    events
        .iter()
        .filter(|e| seen.includes(e.device_id, e.device_seq))
        .collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Store {
    /// The parts of a case that an inspection copy may mask (coordinator or director).
    pub fn inzage_mask_points(&self, case_id: CaseId) -> Result<Vec<MaskPoint>> {
        let (state, events) = self.visible_case(case_id)?;
        self.require_export(&state)?;
        Ok(mask_points(&events))
    }

    fn require_export(&self, state: &meldcode_engine::CaseState) -> Result<()> {
        if may_export(state, self.user.actor()) {
            Ok(())
        } else {
            Err(StoreError::NotAllowed {
                message: "Een kopie van het dossier maakt de intern begeleider of de directeur."
                    .into(),
            })
        }
    }

    /// Makes a copy of the dossier as PDF and hands it to `write` (to a file the user chose);
    /// only when that succeeded is the copy put on record. A copy that was never written is
    /// not on record; one that was is always.
    pub fn export_pdf(
        &mut self,
        case_id: CaseId,
        request: &ExportRequest,
        write: impl FnOnce(&[u8]) -> std::io::Result<()>,
    ) -> Result<ExportDone> {
        let (state, events) = self.visible_case(case_id)?;
        self.require_export(&state)?;
        let masks: Vec<MaskPoint> = match request.copy {
            ExportCopy::Full => Vec::new(),
            ExportCopy::Inzage => {
                let allowed = mask_points(&events);
                if let Some(stray) = request.masks.iter().find(|m| !allowed.contains(m)) {
                    return Err(StoreError::Invalid {
                        message: format!("Dit deel kan niet worden weggelaten ({}).", stray.field),
                    });
                }
                request.masks.clone()
            }
        };
        let all: Vec<&Envelope> = events.iter().collect();
        let head = dossier_head(&all)?;
        let people = self.people(events.iter().map(|e| e.author))?;
        let doc = dossier(&DossierInput {
            school: &self.profile.school_name,
            events: &events,
            people: &people,
            head: &head,
            copy: request.copy,
            recipient: request.recipient,
            recipient_note: request.recipient_note.as_deref(),
            masks: &masks,
            made_at: Utc::now(),
            made_by: &self.user,
        });
        let input = ExportInput {
            copy: request.copy,
            recipient: request.recipient,
            recipient_note: request
                .recipient_note
                .clone()
                .filter(|n| !n.trim().is_empty()),
            records: count(head.records),
            head: head.hash.clone(),
            masked: count(masks.len()),
        };
        // The engine's checks first, so that nothing is written that could not be on record.
        meldcode_engine::rules::r00_export::check(&state, self.user.actor(), &input)?;
        let pdf = meldcode_pdf::to_pdf(&doc)?;
        write(&pdf)?;
        self.append(case_id, &[Command::RecordExport(input)])?;
        Ok(ExportDone {
            records: count(head.records),
            short_code: head.short_code(),
            masked: count(masks.len()),
        })
    }

    /// Checks a printed copy (its PDF, or the short code on its pages) against the store: the
    /// copy must be on record, and the records it covered must still hash to its head.
    pub fn check_copy(&self, against: Against<'_>) -> Result<CopyCheck> {
        let wanted = match against {
            Against::Pdf(bytes) => Some(Head::read_from(bytes).ok_or_else(|| {
                StoreError::Invalid {
                    message:
                        "This file is not a dossier copy made by Meldcode (no dossier head in it)."
                            .into(),
                }
            })?),
            Against::Code(_) => None,
        };
        let code = match against {
            Against::Code(c) => c.replace(['-', ' '], "").to_lowercase(),
            Against::Pdf(_) => String::new(),
        };
        let chains_ok = self.verify().is_ok();
        for item in self.list_cases(None)? {
            let Ok((_, events)) = self.visible_case(item.summary.case_id) else {
                continue;
            };
            for e in &events {
                let EventPayload::DossierExported(x) = &e.payload else {
                    continue;
                };
                let hit = match &wanted {
                    Some(h) => x.head == h.hash && x.records as usize == h.records,
                    None => code.len() >= 12 && x.head.starts_with(&code),
                };
                if !hit {
                    continue;
                }
                let covered = covered(&events, &e.seen);
                let now = dossier_head(&covered)?;
                let matches = chains_ok && now.hash == x.head && now.records == x.records as usize;
                // Later records: everything in the case now but the copy's own and the covered.
                let later = events.len().saturating_sub(covered.len() + 1);
                return Ok(CopyCheck {
                    matches,
                    case_id: Some(item.summary.case_id),
                    records: x.records,
                    head: x.head.clone(),
                    made_at: Some(e.recorded_at),
                    made_by: Some(e.author),
                    copy: Some(x.copy),
                    later_records: count(later),
                });
            }
        }
        Ok(CopyCheck {
            matches: false,
            case_id: None,
            records: wanted.as_ref().map_or(0, |h| count(h.records)),
            head: wanted.map_or(code, |h| h.hash),
            made_at: None,
            made_by: None,
            copy: None,
            later_records: 0,
        })
    }
}

/// What a copy is checked by.
#[derive(Clone, Copy, Debug)]
pub enum Against<'a> {
    Pdf(&'a [u8]),
    /// The short code printed on every page (`3FA9-1C2B-77D0`).
    Code(&'a str),
}

/// The dossier head of a case as the store holds it now, for tests and `verify`.
pub fn case_head(store: &Store, case_id: CaseId) -> Result<Head> {
    let events = log::case_events(&store.conn, case_id, &store.known_devices)?;
    dossier_head(&events.iter().collect::<Vec<_>>())
}
