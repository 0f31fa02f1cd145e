//! The school server's protocol (DESIGN.md §9): what a device sends, what the server keeps and
//! checks, and what a device may receive. Pure: no I/O, no clock, randomness passed in.
//!
//! - An event travels as a [`SealedEvent`]: a header the server may read (pseudonymous ids,
//!   kind, clock, audience) and the envelope itself encrypted under its case's key.
//! - Each device's events form a hash chain over the header and a digest of the ciphertext, so
//!   the server checks chains without any key, and a case whose key is destroyed (retention)
//!   still leaves every chain verifiable.
//! - Case keys are wrapped by the school key; the school key is sealed to each enrolled device.

pub mod api;
pub mod chain;
pub mod enroll;
pub mod error;
pub mod hash;
pub mod header;
pub mod ingest;
pub mod keys;
pub mod order;
pub mod receive;
pub mod sealed;
#[cfg(any(test, feature = "testkit"))]
pub mod testing;
pub mod version;

pub use error::{ErrorCode, SyncError};
pub use hash::Hash;
pub use header::EventHeader;
pub use sealed::SealedEvent;
