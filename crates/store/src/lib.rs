//! Meldcode's encrypted local store: an append-only, hash-chained event log in SQLCipher, with
//! the case list kept as a projection, and the key vault that unwraps the database key from a
//! user's PIN plus a device secret held in the OS keyring (or from the recovery key).

pub mod crypto;
pub mod db;
pub mod error;
pub mod keyring;
pub mod log;
pub mod projection;
pub mod store;
pub mod vault;

pub use crypto::KdfParams;
pub use error::{ErrorBody, Result, StoreError};
pub use store::{CaseExport, CaseView, Initialised, LockScreenUser, Store};
