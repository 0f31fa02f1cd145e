//! Checking the log: at every unlock against the heads the vault and the keyring remember (quick:
//! a few rows per device), and in full on request (`verify`, every hash of every chain).

use super::Store;
use crate::error::{Result, StoreError};
use crate::log::{self, VerifyReport};
use crate::vault::anchor::{AlarmKind, AnchoredHead, IntegrityAlarm, TODO_NL};
use crate::vault::{lock_vault, Vault};
use chrono::{DateTime, Utc};
use meldcode_engine::{DeviceId, Role};
use rusqlite::Connection;

/// What the quick check found, and the heads to anchor from now on.
pub(super) struct HeadCheck {
    pub alarms: Vec<IntegrityAlarm>,
    pub heads: Vec<AnchoredHead>,
}

fn device_label(device: DeviceId, own: DeviceId) -> String {
    if device == own {
        "dit apparaat".into()
    } else {
        let id = device.to_string();
        format!("apparaat {}", id.get(..8).unwrap_or(&id))
    }
}

/// Compares every known chain with its anchored head (and this device's chain also with the
/// position the keyring remembers), checks the links of what was added since, and looks for
/// chains of devices this installation does not know.
pub(super) fn check_heads(
    conn: &Connection,
    vault: &Vault,
    keyring_own_seq: u64,
    now: DateTime<Utc>,
) -> Result<HeadCheck> {
    let own = vault.device_id;
    let mut alarms = Vec::new();
    let mut heads = Vec::new();
    let alarm = |kind, since, what: String| IntegrityAlarm {
        kind,
        detected_at: now,
        since,
        what,
        todo: TODO_NL.into(),
    };
    for device in vault.known_devices() {
        let anchored = vault.heads.iter().find(|h| h.device_id == device);
        let anchored_seq = anchored.map_or(0, |h| h.seq);
        let expected = if device == own {
            anchored_seq.max(keyring_own_seq)
        } else {
            anchored_seq
        };
        let tip = log::tip_event(conn, device)?;
        let tip_seq = tip.as_ref().map_or(0, |t| t.seq);
        let label = device_label(device, own);
        if tip_seq < expected {
            let missing = expected - tip_seq;
            alarms.push(alarm(
                AlarmKind::Missing,
                tip.as_ref().map(|t| t.recorded_at).or(anchored.and_then(|h| h.recorded_at)),
                format!(
                    "{missing} vastlegging(en) van {label} ontbreken in het dossier (volgnummer {} tot en met {expected}).",
                    tip_seq + 1
                ),
            ));
        } else if let Some(h) = anchored.filter(|h| h.seq > 0) {
            let intact = log::link_intact(conn, device, h.seq, Some(&h.hash))?;
            if !intact {
                alarms.push(alarm(
                    AlarmKind::Changed,
                    h.recorded_at,
                    format!(
                        "De vastlegging met volgnummer {} van {label} is gewijzigd.",
                        h.seq
                    ),
                ));
            }
        }
        // What was added after the anchor (a crash between the commit and the vault's save
        // leaves one transaction) must chain onto it.
        for seq in (anchored_seq + 1)..=tip_seq {
            if !log::link_intact(conn, device, seq, None)? {
                alarms.push(alarm(
                    AlarmKind::Changed,
                    anchored.and_then(|h| h.recorded_at),
                    format!("De vastlegging met volgnummer {seq} van {label} sluit niet aan."),
                ));
                break;
            }
        }
        heads.push(match tip {
            Some(t) => AnchoredHead {
                device_id: device,
                seq: t.seq,
                hash: t.hash,
                recorded_at: Some(t.recorded_at),
            },
            None => AnchoredHead {
                device_id: device,
                seq: 0,
                hash: log::GENESIS.to_vec(),
                recorded_at: None,
            },
        });
    }
    let known = vault.known_devices();
    for (device, count) in log::chains(conn)? {
        if !known.contains(&device) {
            alarms.push(alarm(
                AlarmKind::UnknownDevice,
                None,
                format!(
                    "Het dossier bevat {count} vastlegging(en) van een onbekend apparaat ({}). Die worden niet getoond en tellen niet mee.",
                    device_label(device, own)
                ),
            ));
        }
    }
    Ok(HeadCheck { alarms, heads })
}

/// The full check on a connection of its own, so that it can run on another thread while the
/// session goes on (`Store::background_check`).
pub struct BackgroundCheck {
    dir: std::path::PathBuf,
    conn: Connection,
    known: Vec<DeviceId>,
    entry: crate::keyring::DeviceEntry,
}

impl BackgroundCheck {
    /// Checks every page and every hash of every chain. What it finds is kept as an alarm in the
    /// vault (shown from then on) and returned, for the open session to show at once.
    pub fn run(self) -> Result<Option<IntegrityAlarm>> {
        let detail = match log::verify(&self.conn, &self.known) {
            Ok(_) => return Ok(None),
            Err(StoreError::Damaged { detail }) => detail,
            Err(other) => return Err(other),
        };
        let alarm = IntegrityAlarm {
            kind: AlarmKind::Changed,
            detected_at: Utc::now(),
            since: None,
            what: format!("De volledige controle van het dossier vond een fout: {detail}."),
            todo: TODO_NL.into(),
        };
        let path = super::vault_path(&self.dir);
        let _guard = lock_vault(&path)?;
        let mut vault = crate::vault::RawVault::read(&path)?.verify(&self.entry)?;
        vault.raise(alarm.clone());
        vault.save(&path, &self.entry.secret)?;
        Ok(Some(alarm))
    }
}

impl Store {
    /// A second connection to this database for the full check.
    pub fn background_check(&self) -> Result<BackgroundCheck> {
        Ok(BackgroundCheck {
            dir: self.dir.clone(),
            conn: crate::db::open(&super::db_path(&self.dir), &self.key, false)?,
            known: self.known_devices.clone(),
            entry: self.entry.clone(),
        })
    }

    /// An alarm found in the background joins this session's.
    pub fn note_alarm(&mut self, alarm: IntegrityAlarm) {
        if !self
            .alarms
            .iter()
            .any(|a| a.kind == alarm.kind && a.what == alarm.what)
        {
            self.alarms.push(alarm);
        }
    }

    /// Every hash of every chain, and no chain of a device this installation does not know.
    pub fn verify(&self) -> Result<VerifyReport> {
        log::verify(&self.conn, &self.known_devices)
    }

    /// The record's alarms, until the coordinator or the director has acknowledged them.
    pub fn alarms(&self) -> &[IntegrityAlarm] {
        &self.alarms
    }

    /// Clears the alarms once the coordinator or the director has dealt with them.
    pub fn acknowledge_alarms(&mut self) -> Result<()> {
        if !matches!(self.user.role, Role::Coordinator | Role::Director) {
            return Err(StoreError::NotAllowed {
                message: "Alleen de intern begeleider of de directie kan een melding over het dossier afhandelen.".into(),
            });
        }
        let path = super::vault_path(&self.dir);
        let _guard = lock_vault(&path)?;
        let mut vault = self.load_vault()?;
        vault.alarms.clear();
        self.save_vault(&mut vault)?;
        self.alarms.clear();
        Ok(())
    }

    /// The vault, checked with the secret and counter this session already holds: only one
    /// keyring call (the save) per change.
    pub(super) fn load_vault(&self) -> Result<Vault> {
        crate::vault::RawVault::read(&super::vault_path(&self.dir))?.verify(&self.entry)
    }

    pub(super) fn save_vault(&mut self, vault: &mut Vault) -> Result<()> {
        vault.save(&super::vault_path(&self.dir), &self.entry.secret)?;
        self.entry.counter = Some(vault.counter);
        self.entry.own_seq = vault.own_seq();
        Ok(())
    }

    /// Anchors this device's head after a commit, on the session's anchoring thread.
    pub(super) fn anchor_own_head(&mut self, head: AnchoredHead) {
        self.anchorer.send(head);
    }

    /// Waits until the head of every record saved so far is anchored in the vault (locking the
    /// store does this too).
    pub fn wait_for_anchor(&self) {
        self.anchorer.flush();
    }
}
