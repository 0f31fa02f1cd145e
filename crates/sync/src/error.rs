//! The protocol's one error type, `{code, message}` on the wire. Messages are English: the
//! server speaks to devices and to its operator; the app puts Dutch on the codes it shows.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not the protocol's shape (bad JSON, bad field).
    Malformed,
    /// Above the batch, event or request limit.
    TooLarge,
    /// A sequence number skipped: the server holds up to `n` and was sent a later one.
    Gap,
    /// The event does not hash to its hash, or does not link to the event before it.
    BrokenHash,
    /// The same (device, sequence) with other content: kept as evidence.
    Fork,
    /// An event in the name of another device than the one that sent it.
    WrongDevice,
    /// The device's local chain is behind what it uploaded before.
    RolledBack,
    /// The device is not enrolled, or its certificate is unknown.
    UnknownDevice,
    /// The device was revoked by the server's owner.
    Revoked,
    /// The device speaks an older protocol than the server accepts.
    UpdateRequired,
    /// The device may not do this (not a coordinator's device, not its case).
    NotAllowed,
    /// An enrollment code that is wrong, used or expired.
    BadCode,
    /// Too many attempts; try again later.
    RateLimited,
    /// The server's own fault; nothing was stored.
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncError {
    pub code: ErrorCode,
    pub message: String,
}

impl SyncError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            serde_json::to_string(&self.code)
                .unwrap_or_default()
                .trim_matches('"'),
            self.message
        )
    }
}

impl std::error::Error for SyncError {}

pub type Result<T> = std::result::Result<T, SyncError>;
