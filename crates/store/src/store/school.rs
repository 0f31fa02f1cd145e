//! The school log in the store: administration events appended to this device's chain with the
//! change to the users table in one transaction, and the log as the director and the board read
//! it.

use super::Store;
use crate::error::{Result, StoreError};
use crate::log;
use crate::vault::anchor::AnchoredHead;
use crate::vault::Vault;
use chrono::Utc;
use meldcode_engine::envelope::{Envelope, Recorder};
use meldcode_engine::people::User;
use meldcode_engine::school_log::{may_read_school_log, school_log, SchoolLogEntry, SCHOOL_LOG};
use meldcode_engine::EventPayload;
use rusqlite::{Transaction, TransactionBehavior};
use serde::Serialize;

/// The school log with everyone it names, also users removed since.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct SchoolLog {
    pub entries: Vec<SchoolLogEntry>,
    pub people: Vec<User>,
}

impl Store {
    /// Appends `payload` to the school log and applies `apply` to the users table, both or
    /// neither. The caller changes `vault` (held under its lock) only after this returned: an
    /// account never exists without its event. The new chain head goes into that same save.
    pub(super) fn record_admin(
        &mut self,
        vault: &mut Vault,
        payload: EventPayload,
        apply: impl FnOnce(&Transaction<'_>) -> Result<()>,
    ) -> Result<Envelope> {
        let now = Utc::now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut head = log::device_head(&tx, self.device_id)?;
        let mut recorder = Recorder::new(self.device_id, head.last_seq, head.clock);
        let mut random = super::record::PreDrawn(vec![crate::crypto::random_bytes::<10>()?]);
        let stamped = recorder.stamp(
            SCHOOL_LOG,
            self.user.actor(),
            now,
            vec![payload],
            &mut random,
        );
        let event = stamped.into_iter().next().ok_or(StoreError::Invalid {
            message: "De wijziging kon niet worden vastgelegd.".into(),
        })?;
        log::append(&tx, &mut head, &event)?;
        apply(&tx)?;
        tx.commit()?;
        self.head = None;
        vault.set_head(AnchoredHead {
            device_id: self.device_id,
            seq: head.last_seq,
            hash: head.hash,
            recorded_at: Some(now),
        });
        Ok(event)
    }

    /// Every administration on this school's accounts, for the director and the board.
    pub fn school_log(&self) -> Result<SchoolLog> {
        if !may_read_school_log(self.user.actor()) {
            return Err(StoreError::NotAllowed {
                message: "Het logboek van de school is voor de directie en het bestuur.".into(),
            });
        }
        let events = log::case_events(&self.conn, SCHOOL_LOG, &self.known_devices)?;
        let entries = school_log(&events);
        let people = self.people(
            entries
                .iter()
                .flat_map(|e| std::iter::once(e.author).chain(e.subject)),
        )?;
        Ok(SchoolLog { entries, people })
    }
}
