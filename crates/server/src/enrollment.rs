//! Enrolling devices: one-time codes, the devices they admit, and revocation.

use crate::storage::{CodeRecord, DeviceRecord, Storage};
use meldcode_engine::{DeviceId, UserId};
use meldcode_sync::api::{DeviceInfo, Enroll, Enrolled, NewCode};
use meldcode_sync::enroll::{verifier, EnrollmentCode, CODE_TTL_MS, RANDOM_LEN};
use meldcode_sync::{ErrorCode, Hash, SyncError};
use zeroize::Zeroizing;

/// The server's own first code (from `meldcode-server init`) is valid this long: the IT person
/// sets up the server and the coordinator's device need not be at hand within 15 minutes.
pub const FIRST_CODE_TTL_MS: u64 = 24 * 60 * 60 * 1000;

fn bad_code() -> SyncError {
    SyncError::new(
        ErrorCode::BadCode,
        "this enrollment code is wrong, used or expired",
    )
}

/// A code for the school's first device, which will be a coordinator's and make the school
/// key; refused once any device is enrolled (later codes come from a coordinator's device).
pub fn first_code(
    storage: &Storage,
    certificate: &Hash,
    now: u64,
) -> Result<EnrollmentCode, SyncError> {
    let mut random = Zeroizing::new([0u8; RANDOM_LEN]);
    getrandom::fill(random.as_mut_slice())
        .map_err(|_| SyncError::new(ErrorCode::Internal, "no randomness from the OS"))?;
    let code = EnrollmentCode::new(random, certificate);
    let record = CodeRecord {
        lookup: code.lookup(),
        verifier: verifier(&code.proof()),
        deposit: None,
        users: Vec::new(),
        coordinator: true,
        expires_at: now + FIRST_CODE_TTL_MS,
        used_at: None,
    };
    storage.write(|tx| {
        if !tx.devices()?.is_empty() {
            return Ok(Err(SyncError::new(
                ErrorCode::NotAllowed,
                "a device is enrolled already: make new codes on the coordinator's device",
            )));
        }
        tx.insert_code(&record)?;
        Ok(Ok(()))
    })??;
    Ok(code)
}

/// A code made on a coordinator's device, valid for 15 minutes.
pub fn new_code(
    storage: &Storage,
    by: &DeviceRecord,
    code: &NewCode,
    now: u64,
) -> Result<u64, SyncError> {
    if !by.coordinator {
        return Err(SyncError::new(
            ErrorCode::NotAllowed,
            "only a coordinator's device makes enrollment codes",
        ));
    }
    if code.lookup.len() != 10
        || !code.lookup.bytes().all(|b| b.is_ascii_hexdigit())
        || code.deposit.len() > 64 * 1024
        || code.users.len() > 256
    {
        return Err(SyncError::new(
            ErrorCode::Malformed,
            "not an enrollment code",
        ));
    }
    let expires_at = now + CODE_TTL_MS;
    let record = CodeRecord {
        lookup: code.lookup.to_ascii_lowercase(),
        verifier: code.verifier,
        deposit: Some(code.deposit.clone()),
        users: code.users.clone(),
        coordinator: code.coordinator,
        expires_at,
        used_at: None,
    };
    storage.write(|tx| {
        if tx.code(&record.lookup)?.is_some() {
            return Ok(Err(SyncError::new(
                ErrorCode::Malformed,
                "this code exists already",
            )));
        }
        let directory = tx.directory()?;
        if record
            .users
            .iter()
            .any(|u| !directory.roles.contains_key(u))
        {
            return Ok(Err(SyncError::new(
                ErrorCode::NotAllowed,
                "the server does not know this user yet: sync the coordinator's device first",
            )));
        }
        tx.insert_code(&record)?;
        Ok(Ok(()))
    })??;
    Ok(expires_at)
}

/// Enrolls the device that holds `certificate`, once per code.
pub fn enroll(
    storage: &Storage,
    req: &Enroll,
    certificate: Hash,
    now: u64,
) -> Result<Enrolled, SyncError> {
    if req.device_public.len() != 32 || req.users.len() > 256 {
        return Err(SyncError::new(
            ErrorCode::Malformed,
            "not an enrollment request",
        ));
    }
    storage.write(|tx| {
        let Some(code) = tx.code(&req.lookup.to_ascii_lowercase())? else {
            return Ok(Err(bad_code()));
        };
        if code.used_at.is_some() || code.expires_at < now || verifier(&req.proof) != code.verifier
        {
            return Ok(Err(bad_code()));
        }
        if tx.device(req.device_id)?.is_some() || tx.device_by_certificate(&certificate)?.is_some()
        {
            return Ok(Err(SyncError::new(
                ErrorCode::NotAllowed,
                "this device is enrolled already",
            )));
        }
        let first = tx.devices()?.is_empty();
        let coordinator = code.coordinator || first;
        tx.insert_device(&DeviceRecord {
            device_id: req.device_id,
            certificate,
            public_key: req.device_public.clone(),
            coordinator,
            enrolled_at: now,
            last_seen: Some(now),
            revoked_at: None,
        })?;
        let mut users: Vec<UserId> = code.users.clone();
        if first {
            // The school's first device brings the school's first users; afterwards roles come
            // only from the school log, and only from its administrators.
            for actor in &req.users {
                tx.set_role(actor.user_id, actor.role)?;
                users.push(actor.user_id);
            }
        }
        users.sort();
        users.dedup();
        for u in &users {
            tx.assign(req.device_id, *u)?;
        }
        tx.use_code(&code.lookup, now)?;
        Ok(Ok(Enrolled {
            deposit: code.deposit,
            coordinator,
            users,
        }))
    })?
}

fn coordinator_only(by: &DeviceRecord, what: &str) -> Result<(), SyncError> {
    if by.coordinator {
        Ok(())
    } else {
        Err(SyncError::new(
            ErrorCode::NotAllowed,
            format!("only a coordinator's device {what}"),
        ))
    }
}

/// The school's devices with their users, for a coordinator's *Apparaten* screen.
pub fn devices(storage: &Storage, by: &DeviceRecord) -> Result<Vec<DeviceInfo>, SyncError> {
    coordinator_only(by, "lists the devices")?;
    let (devices, directory) = storage.read(|tx| Ok((tx.devices()?, tx.directory()?)))?;
    Ok(devices
        .into_iter()
        .map(|d| DeviceInfo {
            device_id: d.device_id,
            coordinator: d.coordinator,
            enrolled_at_ms: d.enrolled_at,
            last_seen_ms: d.last_seen,
            revoked_at_ms: d.revoked_at,
            users: directory
                .assigned
                .get(&d.device_id)
                .map(|u| u.iter().copied().collect())
                .unwrap_or_default(),
        })
        .collect())
}

/// A coordinator's device revokes another (never itself: that would lock the school out of
/// its own administration by one mistaken tap).
pub fn revoke_by(
    storage: &Storage,
    by: &DeviceRecord,
    device: DeviceId,
    now: u64,
) -> Result<bool, SyncError> {
    coordinator_only(by, "revokes a device")?;
    if device == by.device_id {
        return Err(SyncError::new(
            ErrorCode::NotAllowed,
            "a device cannot revoke itself",
        ));
    }
    if storage.read(|tx| tx.device(device))?.is_none() {
        return Err(SyncError::new(ErrorCode::UnknownDevice, "no such device"));
    }
    revoke(storage, device, now)
}

/// Refuses the device from now on; `false` when it was unknown or revoked already.
pub fn revoke(storage: &Storage, device: DeviceId, now: u64) -> Result<bool, SyncError> {
    Ok(storage.write(|tx| tx.revoke(device, now))?)
}
