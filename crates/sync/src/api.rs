//! The messages between a device and the server, as JSON over HTTPS. Every request carries the
//! protocol version in the `meldcode-protocol` header; every refusal is a `SyncError`.

use crate::hash::base64_bytes;
use crate::ingest::ChainTip;
use crate::keys::WrappedCaseKey;
use crate::sealed::SealedEvent;
use meldcode_engine::{DeviceId, UserId};
use serde::{Deserialize, Serialize};

/// `POST /v1/events`: a batch of the sending device's own chain, with the wrapped keys of any
/// case it opened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    pub events: Vec<SealedEvent>,
    #[serde(default)]
    pub case_keys: Vec<WrappedCaseKey>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadReceipt {
    pub appended: u64,
    pub duplicates: u64,
    /// The device's chain as the server now holds it.
    pub tip: ChainTip,
}

/// `GET /v1/events?after=CURSOR&limit=N`: what this device may receive, in server order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullPage {
    pub events: Vec<SealedEvent>,
    pub case_keys: Vec<WrappedCaseKey>,
    /// Pass as `after` next time.
    pub cursor: u64,
    /// Whether more is waiting now.
    pub more: bool,
}

/// `POST /v1/hello`: where the device's own chain stands; the server answers with its view, or
/// `rolled_back` when the device is behind what it uploaded before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub tip: ChainTip,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    pub protocol: u16,
    pub device_id: DeviceId,
    /// This device's chain as the server holds it: upload from `tip.seq + 1`.
    pub tip: ChainTip,
    /// The users who may work on this device.
    pub users: Vec<UserId>,
    /// The newest cursor: a device whose cursor equals it has everything.
    pub cursor: u64,
    pub heads: Vec<Head>,
    /// The newest PIN package of each user who may work on this device, so that a PIN set or
    /// changed on another device opens this one too, also while it is locked.
    #[serde(default)]
    pub pins: Vec<SealedPin>,
    /// The version of every user's package the server holds (not the packages): a device that
    /// sets a PIN for a colleague who does not work on it makes a newer one.
    #[serde(default)]
    pub pin_versions: Vec<PinVersion>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinVersion {
    pub user_id: UserId,
    pub version: u32,
}

/// A user's PIN package as it travels and as the server keeps it: encrypted under a key derived
/// from the school key, which the server never holds, so its database gives nothing to guess a
/// PIN against. Newer versions replace older ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedPin {
    pub user_id: UserId,
    pub version: u32,
    #[serde(with = "base64_bytes")]
    pub sealed: Vec<u8>,
}

/// The most PIN packages one request may carry, and the largest one.
pub const MAX_PINS: usize = 200;
pub const MAX_PIN_BYTES: usize = 4096;

/// `POST /v1/pins`: packages made on this device (a new user, a PIN set or changed), for the
/// devices of the same users.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinUpload {
    pub pins: Vec<SealedPin>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinReceipt {
    /// How many were newer than what the server held and replaced it.
    pub stored: u64,
    /// For each package not stored, the version the server holds instead: two devices that set
    /// a PIN in the same second, or a device whose clock is behind, make another version.
    #[serde(default)]
    pub held: Vec<PinVersion>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub device_id: DeviceId,
    pub tip: ChainTip,
}

/// `POST /v1/enroll` (the one request without a known client certificate): the code's lookup
/// part, and the new device's id and key for receiving the school key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enroll {
    pub lookup: String,
    /// `EnrollmentCode::proof`: the server checks its hash.
    pub proof: String,
    pub device_id: DeviceId,
    #[serde(with = "base64_bytes")]
    pub device_public: Vec<u8>,
    /// The users already on the device and their roles: taken for the school's first device
    /// only (later devices get the users their code was made for).
    #[serde(default)]
    pub users: Vec<meldcode_engine::Actor>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    /// The school key sealed under the code's secret; `None` for the school's first device,
    /// which makes the school key.
    #[serde(
        default,
        with = "crate::sealed::option_base64",
        skip_serializing_if = "Option::is_none"
    )]
    pub deposit: Option<Vec<u8>>,
    /// Whether this device may make enrollment codes and assign users (a coordinator's).
    pub coordinator: bool,
    pub users: Vec<UserId>,
}

/// `POST /v1/codes` from a coordinator's device: a new enrollment code, valid for 15 minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCode {
    pub lookup: String,
    /// `enroll::verifier` of the code's proof.
    pub verifier: crate::hash::Hash,
    #[serde(with = "base64_bytes")]
    pub deposit: Vec<u8>,
    /// The users the new device is for.
    pub users: Vec<UserId>,
    /// Whether the new device is a coordinator's.
    pub coordinator: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeIssued {
    /// Milliseconds since the Unix epoch.
    pub expires_at_ms: u64,
}

/// `GET /v1/devices`, for a coordinator's device: every enrolled device of the school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Devices {
    pub devices: Vec<DeviceInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    pub device_id: DeviceId,
    pub coordinator: bool,
    /// Milliseconds since the Unix epoch.
    pub enrolled_at_ms: u64,
    pub last_seen_ms: Option<u64>,
    pub revoked_at_ms: Option<u64>,
    /// The users who may work on it.
    pub users: Vec<UserId>,
}

/// `POST /v1/devices/revoke`, from a coordinator's device: a lost or stolen device is refused
/// from its next request on, and wipes itself when it hears so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoke {
    pub device_id: DeviceId,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoked {
    /// False when it was revoked already.
    pub revoked: bool,
}

/// `GET /v1/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub protocol: u16,
    pub oldest_accepted: u16,
}
