//! Meldcode's encrypted local store: an append-only, hash-chained event log in SQLCipher, with
//! the case list kept as a projection, and the key vault that unwraps the database key from a
//! user's PIN plus a device secret held in the OS keyring (or from the recovery key).

pub mod boundary;
pub mod crypto;
pub mod db;
pub(crate) mod destroy;
pub mod error;
pub mod files;
pub mod keyring;
pub mod log;
pub mod pin_policy;
pub mod projection;
pub mod provisioning;
pub mod settings;
pub mod store;
pub mod vault;

pub use boundary::{CaptureRequest, CaptureResult, LockScreen, NewPupil, Session, Setup};
pub use crypto::KdfParams;
pub use error::{ErrorBody, Result, StoreError};
pub use provisioning::FirstRunProfile;
pub use settings::{DeviceSettings, Language};
pub use store::{
    CaseExport, CaseView, Initialised, LockScreenUser, Proof, RuleText, SchoolLog, Store,
};
pub mod sync;
