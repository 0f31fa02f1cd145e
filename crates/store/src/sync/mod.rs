//! The sync client the CLI and the app share (DESIGN.md §9): enrolling this device at the
//! school's server, sending its own events sealed, receiving what its users may see, and
//! saying how current it is. The protocol's rules are `meldcode-sync`'s; this is the device's
//! side, over the store's database.

pub mod code_view;
pub(crate) mod config;
pub(crate) mod inbox;
pub(crate) mod outbox;
pub(crate) mod round;
pub mod spool;
pub mod transport;

use crate::error::ErrorBody;
use chrono::{DateTime, Utc};
use meldcode_engine::{DeviceId, Role, UserId};
use serde::Serialize;

/// What one round of sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub sent: u64,
    pub received: u64,
    pub cursor: u64,
}

/// How current this device is, for `meldcode sync status` and the app's status line. Read from
/// the spool, so it is there while the app is locked too.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    pub enrolled: bool,
    pub server: Option<String>,
    /// The last round that reached the server and finished.
    pub last_contact: Option<DateTime<Utc>>,
    /// The first failed attempt to reach the server since the last contact.
    pub offline_since: Option<DateTime<Utc>>,
    /// Own records the server has not confirmed yet.
    pub waiting: u64,
    /// The server holds more of this device's chain than the device: restored from an old copy,
    /// or changed.
    pub rolled_back: bool,
    pub revoked: bool,
    pub line: SyncLine,
    /// Why the last round failed, other than no connection, in Dutch.
    pub problem: Option<ErrorBody>,
    /// No contact for longer than the school allows: the recovery key must unlock this device.
    pub contact_overdue: bool,
    #[cfg_attr(feature = "ts", ts(skip))]
    pub cursor: u64,
    /// Every chain's head as the server last said.
    #[cfg_attr(feature = "ts", ts(skip))]
    pub heads: Vec<ServerHead>,
}

impl SyncStatus {
    pub fn not_enrolled() -> Self {
        Self {
            enrolled: false,
            server: None,
            last_contact: None,
            offline_since: None,
            waiting: 0,
            rolled_back: false,
            revoked: false,
            line: SyncLine::NotEnrolled,
            problem: None,
            contact_overdue: false,
            cursor: 0,
            heads: Vec::new(),
        }
    }
}

/// The one line Home and the case screen show; decided here, worded by the UI. The rollback
/// alarm goes first, then no connection, then records waiting.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncLine {
    NotEnrolled,
    RolledBack,
    Offline { since: DateTime<Utc>, waiting: u64 },
    Waiting { count: u64 },
    Current { at: DateTime<Utc> },
}

/// A device of the school as the coordinator's *Apparaten* screen lists it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceView {
    pub device_id: DeviceId,
    pub this_device: bool,
    pub coordinator: bool,
    pub enrolled_at: DateTime<Utc>,
    pub last_seen: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub users: Vec<DeviceUser>,
}

/// A user of a device; the server knows only the id, this device the name (if it knows them).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceUser {
    pub user_id: UserId,
    pub full_name: Option<String>,
    pub role: Option<Role>,
}

/// A new device's code as the coordinator's device shows it: text, link and QR code.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnrollmentCodeView {
    pub text: String,
    /// `meldcode://koppelen?server=…&code=…`, to paste or scan.
    pub link: String,
    /// The link as a QR code, an SVG document.
    pub qr_svg: String,
    pub expires_at: DateTime<Utc>,
    pub user_id: UserId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServerHead {
    pub device_id: DeviceId,
    pub seq: u64,
}

/// A code for a new device, shown once on the coordinator's device.
pub struct NewEnrollmentCode {
    pub text: zeroize::Zeroizing<String>,
    pub expires_at: DateTime<Utc>,
}
