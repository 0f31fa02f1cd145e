//! Users' PIN packages: sealed on a device under a key derived from the school key (which the
//! server never holds), kept here newest version first, and handed to every device the user
//! works on (in `hello`), so a PIN set or changed on one device opens the others too.
//!
//! A device uploads packages only for users who work on it, or, a coordinator's device, for
//! any user of the school (it sets up new users and resets PINs). An upload is taken whole or
//! not at all.

use crate::storage::{DeviceRecord, Storage, Tx};
use meldcode_engine::people::Role;
use meldcode_sync::api::{PinReceipt, PinUpload, MAX_PINS, MAX_PIN_BYTES};
use meldcode_sync::{ErrorCode, SyncError};

/// Checks what can be checked without the database: the counts, sizes and versions.
pub fn check_upload(upload: &PinUpload) -> Result<(), SyncError> {
    if upload.pins.len() > MAX_PINS {
        return Err(SyncError::new(
            ErrorCode::TooLarge,
            format!("an upload holds at most {MAX_PINS} PIN packages"),
        ));
    }
    if upload.pins.iter().any(|p| p.sealed.len() > MAX_PIN_BYTES) {
        return Err(SyncError::new(
            ErrorCode::TooLarge,
            format!("a PIN package holds at most {MAX_PIN_BYTES} bytes"),
        ));
    }
    if upload.pins.iter().any(|p| p.sealed.is_empty()) {
        return Err(SyncError::new(
            ErrorCode::Malformed,
            "a PIN package is empty",
        ));
    }
    if upload.pins.iter().any(|p| p.version == 0) {
        return Err(SyncError::new(
            ErrorCode::Malformed,
            "a PIN package's version starts at 1",
        ));
    }
    Ok(())
}

/// Stores the packages of `upload` that are newer than what the server holds, all in one
/// write transaction: when any package is refused, none is stored.
pub fn upload(
    storage: &Storage,
    by: &DeviceRecord,
    upload: &PinUpload,
) -> Result<PinReceipt, SyncError> {
    check_upload(upload)?;
    storage.write(|tx| upload_in(tx, by, upload))?
}

fn upload_in(
    tx: &mut dyn Tx,
    by: &DeviceRecord,
    upload: &PinUpload,
) -> crate::storage::Result<Result<PinReceipt, SyncError>> {
    let directory = tx.directory()?;
    let on_device = directory.users_on(by.device_id);
    // An administrator sets new colleagues' first PINs and resets forgotten ones, also on a
    // director's device that is not flagged as the coordinator's.
    let admin_here = on_device
        .iter()
        .any(|a| matches!(a.role, Role::Coordinator | Role::Director));
    for pin in &upload.pins {
        if !directory.roles.contains_key(&pin.user_id) {
            return Ok(Err(SyncError::new(
                ErrorCode::NotAllowed,
                "the server does not know this user yet: upload the school log first",
            )));
        }
        if !by.coordinator && !admin_here && !on_device.iter().any(|a| a.user_id == pin.user_id) {
            return Ok(Err(SyncError::new(
                ErrorCode::NotAllowed,
                "a device uploads PIN packages only of its own users",
            )));
        }
    }
    let mut stored = 0u64;
    let mut refused = Vec::new();
    for pin in &upload.pins {
        if tx.put_pin(pin)? {
            stored += 1;
        } else {
            refused.push(pin.user_id);
        }
    }
    let held = tx
        .pin_versions()?
        .into_iter()
        .filter(|v| refused.contains(&v.user_id))
        .collect();
    Ok(Ok(PinReceipt { stored, held }))
}
