//! What the vault remembers of the log, so that a file copy cannot roll the log back unseen:
//! each known device's chain head, and the alarms raised when the log fell short of them.

use chrono::{DateTime, Utc};
use meldcode_engine::DeviceId;
use serde::{Deserialize, Serialize};

/// A chain's head as this installation last saw it. The log may be ahead of it (a crash between
/// the commit and the vault's save), never behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchoredHead {
    pub device_id: DeviceId,
    pub seq: u64,
    #[serde(with = "crate::crypto::hex_bytes")]
    pub hash: Vec<u8>,
    pub recorded_at: Option<DateTime<Utc>>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlarmKind {
    /// Events that were saved are gone from the log (deleted, an older file or WAL put back).
    Missing,
    /// An event that was saved reads differently now.
    Changed,
    /// A chain under a device id this installation does not know; its events are ignored.
    UnknownDevice,
    /// The vault is older than the keyring says: a copy was put back.
    RolledBack,
    /// The vault failed its check and was rebuilt with the recovery key.
    VaultRebuilt,
}

/// A problem with the record, in words for the staff: what, since when, and what to do. It stays
/// until the coordinator or the director has acknowledged it, also after new records.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityAlarm {
    pub kind: AlarmKind,
    pub detected_at: DateTime<Utc>,
    /// The last moment the record is known to have been complete.
    pub since: Option<DateTime<Utc>>,
    pub what: String,
    pub todo: String,
}

/// The advice is the same for every alarm: the record may have been tampered with.
pub const TODO_NL: &str = "Meld dit direct aan de intern begeleider en de directie. Zet niets terug en wis niets: de ICT-beheerder vergelijkt het dossier met de meest recente reservekopie. Leg nieuwe signalen gewoon vast; die worden bewaard.";
