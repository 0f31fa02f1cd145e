//! Recording: command → engine → events, appended to the log with the projection in one
//! durable transaction.

use super::{new_uuid, Store, CACHED_CASES};
use crate::crypto;
use crate::error::{Result, StoreError};
use crate::log;
use crate::projection;
use crate::vault::anchor::AnchoredHead;
use chrono::Utc;
use meldcode_engine::access::can_see;
use meldcode_engine::envelope::{Envelope, RandomSource, Recorder};
use meldcode_engine::rules::r11_offline_conflict;
use meldcode_engine::{decide, CaseId, CaseState, Command, DecideContext};
use rusqlite::TransactionBehavior;

/// Random bytes drawn before stamping, so that stamping itself cannot fail.
pub(super) struct PreDrawn(pub(super) Vec<[u8; 10]>);

impl RandomSource for PreDrawn {
    fn random_10(&mut self) -> [u8; 10] {
        self.0.pop().unwrap_or_default()
    }
}

impl Store {
    pub fn new_case_id() -> CaseId {
        CaseId(new_uuid())
    }

    /// Decides `command` on the case and, when the engine accepts it, appends the events, chains
    /// them and updates the case list in one durable transaction. When this returns `Ok`, the
    /// record is on disk.
    pub fn record(&mut self, case_id: CaseId, command: &Command) -> Result<Vec<Envelope>> {
        self.record_all(case_id, std::slice::from_ref(command))
    }

    /// Like [`Store::record`] for several commands that belong together (a new case and its first
    /// signal): all of them are saved, or none.
    pub fn record_all(&mut self, case_id: CaseId, commands: &[Command]) -> Result<Vec<Envelope>> {
        // A copy is on record because it was made (`export_pdf`), never because someone says so.
        if commands
            .iter()
            .any(|c| matches!(c, Command::RecordExport(_)))
        {
            return Err(StoreError::NotAllowed {
                message: "Een kopie wordt vastgelegd door haar te maken: kies Exporteren.".into(),
            });
        }
        self.append(case_id, commands)
    }

    /// Decides and appends commands, all or none.
    pub(super) fn append(
        &mut self,
        case_id: CaseId,
        commands: &[Command],
    ) -> Result<Vec<Envelope>> {
        let now = Utc::now();
        let policy = self.profile.policy();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Remembered state and chain head are used only if nothing was appended since, by this
        // or another process (the CLI and the app may share a data folder).
        let case_tip = log::case_tip(&tx, case_id)?;
        let mut state = match self.cases.remove(&case_id) {
            Some((seen, state)) if Some(seen) == case_tip => state,
            _ => CaseState::replay(&log::case_events(&tx, case_id, &self.known_devices)?),
        };
        // A case this user may not see answers exactly as a case that does not exist, before
        // the engine says anything about it (R2: a suspect learns nothing of a staff case).
        let exists = state.case_id.is_some();
        let opens = matches!(commands.first(), Some(Command::OpenCase { .. }));
        if (exists && !can_see(&state, self.user.actor())) || (!exists && !opens) {
            if let Some(seen) = case_tip {
                self.cases.insert(case_id, (seen, state));
            }
            return Err(StoreError::NotFound { what: "Dossier" });
        }
        let tip = log::device_tip(&tx, self.device_id)?;
        let mut head = match self.head.take() {
            Some(h) if tip.as_ref() == Some(&(h.last_seq, h.hash.clone())) => h,
            _ => log::device_head(&tx, self.device_id)?,
        };
        let mut recorder = Recorder::new(self.device_id, head.last_seq, head.clock);
        let mut events = Vec::new();
        let mut last = 0;
        for command in commands {
            let ctx = DecideContext {
                actor: self.user.actor(),
                now,
                policy,
                catalogue: &self.catalogue,
            };
            let payloads = match decide(&state, &ctx, command) {
                Ok(p) => p,
                Err(refused) => {
                    // Nothing of this call reached the log yet: the remembered state still holds.
                    if events.is_empty() {
                        if let Some(seen) = case_tip {
                            self.cases.insert(case_id, (seen, state));
                        }
                        self.head = Some(head);
                    }
                    return Err(refused.into());
                }
            };
            let mut random = PreDrawn(
                (0..payloads.len())
                    .map(|_| crypto::random_bytes::<10>())
                    .collect::<Result<_>>()?,
            );
            let mut stamped =
                recorder.stamp(case_id, self.user.actor(), now, payloads, &mut random);
            // Weighings and decisions carry what this device had of the case (R11 conflicts).
            r11_offline_conflict::stamp_seen(&state, &mut stamped);
            for e in &stamped {
                last = log::append(&tx, &mut head, e)?;
                state = state.evolve(e);
            }
            events.extend(stamped);
        }
        projection::upsert(&tx, &state, policy, now)?;
        tx.commit()?;
        if self.cases.len() >= CACHED_CASES {
            self.cases.clear();
        }
        if last != 0 {
            self.cases.insert(case_id, (last, state));
        }
        if !events.is_empty() {
            self.anchor_own_head(AnchoredHead {
                device_id: self.device_id,
                seq: head.last_seq,
                hash: head.hash.clone(),
                recorded_at: Some(now),
            });
        }
        self.head = Some(head);
        Ok(events)
    }
}
