//! The sync client the CLI and the app share (DESIGN.md §9): enrolling this device at the
//! school's server, sending its own events sealed, receiving what its users may see, and
//! saying how current it is. The protocol's rules are `meldcode-sync`'s; this is the device's
//! side, over the store's database.

pub(crate) mod config;
pub(crate) mod inbox;
pub(crate) mod outbox;
pub(crate) mod round;
pub mod transport;

use chrono::{DateTime, Utc};
use meldcode_engine::DeviceId;
use serde::Serialize;

/// What one round of sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub sent: u64,
    pub received: u64,
    pub cursor: u64,
}

/// How current this device is, for `meldcode sync status` and the app's status line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    pub enrolled: bool,
    pub server: Option<String>,
    pub last_sync: Option<DateTime<Utc>>,
    /// Own records the server has not confirmed yet.
    pub waiting: u64,
    pub cursor: u64,
    /// Every chain's head as the server last said.
    pub heads: Vec<ServerHead>,
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
