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

/// What the keyring entry holds: the device secret and, since vault version 2, the vault's save
/// counter and this device's last chain position. A file copy of the vault cannot roll these
/// back: they live in the OS keyring, outside the data folder.
#[derive(Clone)]
pub struct DeviceEntry {
    pub secret: Key,
    /// `None` for an entry written before vault version 2 (the secret alone).
    pub counter: Option<u64>,
    pub own_seq: u64,
}

const ENTRY_LEN: usize = KEY_LEN + 16;

pub fn create_device_secret(device: DeviceId) -> Result<Key> {
    let secret = random_key()?;
    store_device_entry(device, &secret, 0, 0)?;
    Ok(secret)
}

pub fn store_device_entry(
    device: DeviceId,
    secret: &Key,
    counter: u64,
    own_seq: u64,
) -> Result<()> {
    let mut bytes = Zeroizing::new([0u8; ENTRY_LEN]);
    bytes[..KEY_LEN].copy_from_slice(secret.as_slice());
    bytes[KEY_LEN..KEY_LEN + 8].copy_from_slice(&counter.to_le_bytes());
    bytes[KEY_LEN + 8..].copy_from_slice(&own_seq.to_le_bytes());
    entry(device)?.set_secret(bytes.as_slice())?;
    Ok(())
}

pub fn load_device_entry(device: DeviceId) -> Result<DeviceEntry> {
    let bytes = Zeroizing::new(entry(device)?.get_secret()?);
    let wrong = || StoreError::Keyring {
        missing_entry: true,
        detail: "onverwachte sleutellengte".into(),
    };
    let secret: [u8; KEY_LEN] = bytes
        .get(..KEY_LEN)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(wrong)?;
    let word = |at: usize| -> Result<u64> {
        let b: [u8; 8] = bytes
            .get(at..at + 8)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(wrong)?;
        Ok(u64::from_le_bytes(b))
    };
    match bytes.len() {
        KEY_LEN => Ok(DeviceEntry {
            secret: Zeroizing::new(secret),
            counter: None,
            own_seq: 0,
        }),
        ENTRY_LEN => Ok(DeviceEntry {
            secret: Zeroizing::new(secret),
            counter: Some(word(KEY_LEN)?),
            own_seq: word(KEY_LEN + 8)?,
        }),
        _ => Err(wrong()),
    }
}

pub fn load_device_secret(device: DeviceId) -> Result<Key> {
    Ok(load_device_entry(device)?.secret)
}

/// Used when the store is removed, and by tests of a lost keyring entry.
pub fn delete_device_secret(device: DeviceId) -> Result<()> {
    match entry(device)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
