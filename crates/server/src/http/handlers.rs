//! The endpoints. Storage runs on the blocking pool; a handler only parses, authorises and
//! answers.

use super::auth::{self, now_ms, Device};
use super::error::{ApiError, ApiResult};
use super::AppState;
use crate::storage::Storage;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use meldcode_sync::api::{
    CodeIssued, Devices, Enroll, Enrolled, Health, Hello, NewCode, PinReceipt, PinUpload, PullPage,
    Revoke, Revoked, Upload, UploadReceipt, Welcome,
};
use meldcode_sync::ingest::check_device_tip;
use meldcode_sync::{version, ErrorCode, SyncError};
use serde::de::DeserializeOwned;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// The body, or a refusal in the protocol's shape (axum's own is plain text).
fn body_of(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        let code = if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ErrorCode::TooLarge
        } else {
            ErrorCode::Malformed
        };
        SyncError::new(code, rejection.body_text()).into()
    })
}

fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let body = body_of(body)?;
    let body = &body;
    serde_json::from_slice(body).map_err(|e| {
        SyncError::new(
            ErrorCode::Malformed,
            format!("the request body is not valid: {e}"),
        )
        .into()
    })
}

async fn blocking<R: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Storage) -> Result<R, SyncError> + Send + 'static,
) -> Result<R, ApiError> {
    let storage = state.storage.clone();
    Ok(tokio::task::spawn_blocking(move || f(&storage))
        .await
        .map_err(|_| SyncError::new(ErrorCode::Internal, "the server is shutting down"))??)
}

pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        protocol: version::PROTOCOL,
        oldest_accepted: version::OLDEST_ACCEPTED,
    })
}

pub async fn enroll(
    State(state): State<AppState>,
    parts: Parts,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Enrolled>> {
    auth::protocol(&parts)?;
    let peer = auth::peer(&parts)?;
    let certificate = auth::certificate(&parts)?;
    let now = now_ms();
    let address = peer.address.ip();
    let allowed = state
        .limiter
        .lock()
        .map(|mut l| l.allows(address, now))
        .unwrap_or(false);
    if !allowed {
        tracing::warn!("enrollment attempts rate-limited");
        return Err(SyncError::new(
            ErrorCode::RateLimited,
            "too many wrong enrollment codes; try again in 15 minutes",
        )
        .into());
    }
    let req: Enroll = parse(body)?;
    let result = blocking(&state, move |s| {
        crate::enrollment::enroll(s, &req, certificate, now)
    })
    .await;
    match &result {
        Err(ApiError(e)) if e.code == ErrorCode::BadCode => {
            if let Ok(mut l) = state.limiter.lock() {
                l.failed(address, now);
            }
            tracing::info!("enrollment with a wrong, used or expired code refused");
        }
        Ok(_) => tracing::info!("device enrolled"),
        Err(_) => {}
    }
    Ok(Json(result?))
}

pub async fn hello(
    State(state): State<AppState>,
    Device(device): Device,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Welcome>> {
    let hello: Hello = parse(body)?;
    let id = device.device_id;
    blocking(&state, move |s| {
        let (tip, users, cursor, heads, pins, pin_versions) = s.read(|tx| {
            let dir = tx.directory()?;
            let users = dir
                .users_on(id)
                .into_iter()
                .map(|a| a.user_id)
                .collect::<Vec<_>>();
            let pins = tx.pins_of(&users)?;
            Ok((
                tx.tip(id)?,
                users,
                tx.latest_cursor()?,
                tx.heads()?,
                pins,
                tx.pin_versions()?,
            ))
        })?;
        check_device_tip(tip, hello.tip)?;
        Ok(Welcome {
            protocol: version::PROTOCOL,
            device_id: id,
            tip,
            users,
            cursor,
            heads,
            pins,
            pin_versions,
        })
    })
    .await
    .map(Json)
}

pub async fn upload(
    State(state): State<AppState>,
    Device(device): Device,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<UploadReceipt>> {
    let upload: Upload = parse(body)?;
    let now = now_ms();
    let ingested = blocking(&state, move |s| {
        crate::ingest::upload(s, device.device_id, &upload, now)
    })
    .await?;
    if let Some(cursor) = ingested.cursor {
        state.latest.send_if_modified(|latest| {
            let newer = cursor > *latest;
            *latest = (*latest).max(cursor);
            newer
        });
    }
    Ok(Json(ingested.receipt))
}

pub async fn pins(
    State(state): State<AppState>,
    Device(device): Device,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<PinReceipt>> {
    let upload: PinUpload = parse(body)?;
    let received = upload.pins.len();
    let result = blocking(&state, move |s| crate::pins::upload(s, &device, &upload)).await;
    match &result {
        Ok(receipt) => tracing::info!(received, stored = receipt.stored, "PIN packages received"),
        Err(ApiError(e)) if e.code == ErrorCode::NotAllowed => {
            tracing::warn!(received, "PIN packages refused: not this device's users");
        }
        Err(_) => {}
    }
    Ok(Json(result?))
}

#[derive(serde::Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    after: u64,
    #[serde(default = "default_limit")]
    limit: u64,
}

fn default_limit() -> u64 {
    crate::pull::MAX_PAGE
}

pub async fn pull(
    State(state): State<AppState>,
    Device(device): Device,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> ApiResult<Json<PullPage>> {
    let Query(q) = query.map_err(|rejection| {
        SyncError::new(
            ErrorCode::Malformed,
            format!("the query is not valid: {}", rejection.body_text()),
        )
    })?;
    blocking(&state, move |s| {
        crate::pull::pull(s, device.device_id, q.after, q.limit)
    })
    .await
    .map(Json)
}

pub async fn new_code(
    State(state): State<AppState>,
    Device(device): Device,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<CodeIssued>> {
    let code: NewCode = parse(body)?;
    let now = now_ms();
    let expires_at_ms = blocking(&state, move |s| {
        crate::enrollment::new_code(s, &device, &code, now)
    })
    .await?;
    tracing::info!("enrollment code made");
    Ok(Json(CodeIssued { expires_at_ms }))
}

pub async fn devices(
    State(state): State<AppState>,
    Device(device): Device,
) -> ApiResult<Json<Devices>> {
    let devices = blocking(&state, move |s| crate::enrollment::devices(s, &device)).await?;
    Ok(Json(Devices { devices }))
}

pub async fn revoke(
    State(state): State<AppState>,
    Device(device): Device,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Revoked>> {
    let request: Revoke = parse(body)?;
    let now = now_ms();
    let revoked = blocking(&state, move |s| {
        crate::enrollment::revoke_by(s, &device, request.device_id, now)
    })
    .await?;
    tracing::info!(revoked, "device revoked by a coordinator's device");
    // Every open stream checks its device again now, so the revoked one hears at once.
    state.latest.send_modify(|_| {});
    Ok(Json(Revoked { revoked }))
}

/// Tells the device the newest cursor whenever it moves, and every 25 seconds otherwise (a
/// keep-alive that also ends the stream of a device revoked meanwhile).
pub async fn stream(
    State(state): State<AppState>,
    Device(device): Device,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.latest.subscribe();
    let storage: Arc<Storage> = state.storage.clone();
    let id = device.device_id;
    let events = futures_util::stream::unfold(
        (receiver, storage, true),
        move |(mut rx, storage, first)| async move {
            if !first {
                let changed = tokio::time::timeout(Duration::from_secs(25), rx.changed()).await;
                if matches!(changed, Ok(Err(_))) {
                    return None;
                }
                let s = storage.clone();
                let revoked = tokio::task::spawn_blocking(move || s.read(|tx| tx.device(id)))
                    .await
                    .ok()
                    .and_then(Result::ok)
                    .flatten()
                    .is_none_or(|d| d.revoked_at.is_some());
                if revoked {
                    return None;
                }
            }
            let cursor = *rx.borrow_and_update();
            Some((
                Ok(Event::default().event("cursor").data(cursor.to_string())),
                (rx, storage, false),
            ))
        },
    );
    Sse::new(events).keep_alive(KeepAlive::default())
}
