//! The device secret in the OS keyring (keyring-core with the platform store chosen at compile
//! time). It is one of the two inputs that unwrap the database key: without the keyring entry a
//! PIN opens nothing, and only the recovery key from the school's safe helps.

use crate::crypto::{random_key, Key, KEY_LEN};
use crate::error::{Result, StoreError};
use meldcode_engine::DeviceId;
use std::sync::OnceLock;
use zeroize::Zeroizing;

const SERVICE: &str = "nl.meldcode.app";

fn entry(device: DeviceId) -> Result<keyring_core::Entry> {
    default_store()?;
    Ok(keyring_core::Entry::new(
        SERVICE,
        &format!("device-secret-{device}"),
    )?)
}

/// Sets the platform store once per process. Done lazily, at the first keyring use: on mobile the
/// platform context exists only after the app has started.
fn default_store() -> Result<()> {
    static STORE: OnceLock<Result<(), String>> = OnceLock::new();
    STORE
        .get_or_init(|| set_platform_store().map_err(|e| e.to_string()))
        .clone()
        .map_err(|detail| StoreError::Keyring {
            missing_entry: false,
            detail,
        })
}

#[cfg(target_os = "linux")]
fn set_platform_store() -> keyring_core::Result<()> {
    keyring_core::set_default_store(zbus_secret_service_keyring_store::Store::new()?);
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn set_platform_store() -> keyring_core::Result<()> {
    Err(keyring_core::Error::NotSupportedByStore(
        "this platform's keyring is not wired up yet".into(),
    ))
}

pub fn create_device_secret(device: DeviceId) -> Result<Key> {
    let secret = random_key()?;
    entry(device)?.set_secret(secret.as_slice())?;
    Ok(secret)
}

pub fn load_device_secret(device: DeviceId) -> Result<Key> {
    let bytes = Zeroizing::new(entry(device)?.get_secret()?);
    let key: [u8; KEY_LEN] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| StoreError::Keyring {
            missing_entry: true,
            detail: "onverwachte sleutellengte".into(),
        })?;
    Ok(Zeroizing::new(key))
}

/// Used when the store is removed, and by tests of a lost keyring entry.
pub fn delete_device_secret(device: DeviceId) -> Result<()> {
    match entry(device)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
