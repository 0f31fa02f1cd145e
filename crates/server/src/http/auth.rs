//! Every request but `/v1/health` and `/v1/enroll` comes from an enrolled device: its client
//! certificate must be one the server enrolled and has not revoked; its protocol must be one
//! the server speaks.

use super::error::ApiError;
use super::{AppState, Peer};
use crate::storage::DeviceRecord;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use meldcode_sync::{version, ErrorCode, Hash, SyncError};

pub use crate::now_ms;

pub fn protocol(parts: &Parts) -> Result<(), ApiError> {
    let v = parts
        .headers
        .get(version::HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u16>().ok())
        .ok_or_else(|| {
            SyncError::new(
                ErrorCode::UpdateRequired,
                format!("send the `{}` header", version::HEADER),
            )
        })?;
    Ok(version::check_client(v)?)
}

pub fn peer(parts: &Parts) -> Result<Peer, ApiError> {
    parts
        .extensions
        .get::<Peer>()
        .copied()
        .ok_or_else(|| SyncError::new(ErrorCode::Internal, "no connection information").into())
}

/// The client certificate of a request that must have one.
pub fn certificate(parts: &Parts) -> Result<Hash, ApiError> {
    peer(parts)?.certificate.ok_or_else(|| {
        SyncError::new(
            ErrorCode::UnknownDevice,
            "present the device's client certificate",
        )
        .into()
    })
}

/// An enrolled, unrevoked device.
pub struct Device(pub DeviceRecord);

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        protocol(parts)?;
        let certificate = certificate(parts)?;
        let storage = state.storage.clone();
        let now = now_ms();
        let found = tokio::task::spawn_blocking(move || {
            storage.write(|tx| {
                let d = tx.device_by_certificate(&certificate)?;
                if let Some(d) = d.as_ref().filter(|d| d.revoked_at.is_none()) {
                    // Last contact, kept to the minute: the coordinator's device list shows it.
                    if d.last_seen.is_none_or(|t| t + 60_000 <= now) {
                        tx.touch(d.device_id, now)?;
                    }
                }
                Ok(d)
            })
        })
        .await
        .map_err(|_| SyncError::new(ErrorCode::Internal, "the server is shutting down"))??;
        match found {
            None => Err(SyncError::new(
                ErrorCode::UnknownDevice,
                "this device is not enrolled at this server",
            )
            .into()),
            Some(d) if d.revoked_at.is_some() => {
                tracing::info!(device = %d.device_id, "revoked device refused");
                Err(SyncError::new(
                    ErrorCode::Revoked,
                    "this device was revoked by the server's owner",
                )
                .into())
            }
            Some(d) => Ok(Self(d)),
        }
    }
}
