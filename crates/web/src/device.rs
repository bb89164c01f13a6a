//! What a request says about the device it comes from: the id the client
//! keeps per installation, and its user agent.

use actix_web::HttpRequest;
use actix_web::http::header::HeaderName;
use uuid::Uuid;

use crate::ApiError;
use app::FieldCode;
use app::ProblemCode;

pub const X_DEVICE_ID: HeaderName = HeaderName::from_static("x-device-id");

/// The `X-Device-Id` header: a UUID the client keeps per installation.
pub fn device_id(request: &HttpRequest) -> Result<Uuid, ApiError> {
    request
        .headers()
        .get(X_DEVICE_ID)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| Uuid::parse_str(value.trim()).ok())
        .ok_or_else(|| {
            ApiError::new(ProblemCode::DeviceIdRequired, "Device id required").with_field(
                "X-Device-Id",
                FieldCode::InvalidFormat,
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
