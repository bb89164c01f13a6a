//! What a request says about the device it comes from: the id the client
//! keeps per installation, and its user agent.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderName;
use uuid::Uuid;

use crate::ApiError;

pub const X_DEVICE_ID: HeaderName = HeaderName::from_static("x-device-id");

/// The `X-Device-Id` header: a UUID the client keeps per installation.
pub fn device_id(request: &HttpRequest) -> Result<Uuid, ApiError> {
    request
        .headers()
        .get(X_DEVICE_ID)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| Uuid::parse_str(value.trim()).ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "device_id_required",
                "Device id required",
            )
            .with_field(
                "X-Device-Id",
                "invalid_format",
                "a UUID identifying this device",
            )
        })
}

/// The `User-Agent`, or empty.
pub fn user_agent(request: &HttpRequest) -> &str {
    request
        .headers()
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}
