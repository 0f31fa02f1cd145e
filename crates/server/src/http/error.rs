//! A refusal as the device sees it: an HTTP status and `{code, message}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use meldcode_sync::{ErrorCode, SyncError};

pub struct ApiError(pub SyncError);

impl From<SyncError> for ApiError {
    fn from(e: SyncError) -> Self {
        Self(e)
    }
}

impl From<crate::storage::StorageError> for ApiError {
    fn from(e: crate::storage::StorageError) -> Self {
        Self(e.into())
    }
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Malformed => StatusCode::BAD_REQUEST,
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Gap
        | ErrorCode::BrokenHash
        | ErrorCode::Fork
        | ErrorCode::WrongDevice
        | ErrorCode::RolledBack => StatusCode::CONFLICT,
        ErrorCode::UnknownDevice => StatusCode::UNAUTHORIZED,
        ErrorCode::Revoked | ErrorCode::NotAllowed | ErrorCode::BadCode => StatusCode::FORBIDDEN,
        ErrorCode::UpdateRequired => StatusCode::UPGRADE_REQUIRED,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (status_of(self.0.code), axum::Json(self.0)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
