//! The end of a dossier (R15 retention, AVG): the closed cases whose retention period is over,
//! and their destruction by the case lead, confirmed with her PIN. What is left is a tombstone
//! in the school log (which case, until when it was kept, how many records, by whom, when, why)
//! and each record's place in its device's chain; the other devices erase the case when the
//! tombstone reaches them.

use super::{Proof, Store};
use crate::error::{Result, StoreError};
use crate::projection::CaseListItem;
use chrono::Utc;
use meldcode_engine::rules::r15_retention::{check_destroy, due_for_destruction};
use meldcode_engine::CaseId;

impl Store {
    /// The closed cases this user leads whose retention period is over, for her to confirm.
    pub fn due_for_destruction(&self) -> Result<Vec<CaseListItem>> {
        let today = Utc::now().date_naive();
        let policy = self.profile.policy();
        let mut due = Vec::new();
        for item in self.list_cases(None)? {
            if item.summary.retain_until.is_none_or(|last| last >= today) {
                continue;
            }
            let (state, _) = self.visible_case(item.summary.case_id)?;
            if state.lead_role() == self.user.role && due_for_destruction(&state, policy, today) {
                due.push(item);
            }
        }
        Ok(due)
    }

    /// Destroys a case whose retention period is over. The engine decides first (the lead,
    /// only after the period, with a reason), then her PIN confirms it; then the tombstone and
    /// the erasure go in one transaction, and the file is rebuilt so that no page keeps the
    /// case's text.
    pub fn destroy_case(&mut self, proof: Proof<'_>, case_id: CaseId, reason: &str) -> Result<()> {
        let (mut vault, _guard) = self.vault_for_change()?;
        let (state, events) = self.visible_case(case_id)?;
        let records = u32::try_from(events.len()).unwrap_or(u32::MAX);
        let payload = check_destroy(
            &state,
            self.user.actor(),
            self.profile.policy(),
            Utc::now().date_naive(),
            records,
            reason,
        )?;
        self.prove(&mut vault, proof)?;
        // Own records the server has not had yet could never be sent once they are gone, and
        // the device's chain at the server would stop there.
        if self.is_enrolled()? {
            let (queued, _) = self.spool()?.queued_tip()?;
            let own = self.device_id;
            if events
                .iter()
                .any(|e| e.device_id == own && e.device_seq > queued)
            {
                return Err(StoreError::Invalid {
                    message: "Dit apparaat heeft records van dit dossier nog niet naar de schoolserver gestuurd. Synchroniseer eerst en vernietig het dossier daarna.".into(),
                });
            }
        }
        self.record_admin(&mut vault, payload, |tx| {
            crate::destroy::erase(tx, case_id)?;
            Ok(())
        })?;
        self.save_vault(&mut vault)?;
        self.cases.remove(&case_id);
        crate::destroy::compact(&self.conn)?;
        if self.is_enrolled()? {
            self.spool()?.forget_case(case_id)?;
        }
        Ok(())
    }
}
