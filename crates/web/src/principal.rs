//! Who is calling: the `Authenticated` extractor every protected route takes.
//! A route without it is public; one with it refuses anything but a valid,
//! live access token minted for this API and this device.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName};
use actix_web::{FromRequest, HttpRequest, web};
use app::sessions::{AuthenticationError, Principal};
use uuid::Uuid;

use crate::{ApiError, AppState};

pub const X_DEVICE_ID: HeaderName = HeaderName::from_static("x-device-id");

/// The verified caller of a protected route.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Principal);

impl Authenticated {
    /// Refuses (403 `insufficient_scope`) a caller whose token lacks `scope`:
    /// every protected route names the scope it needs.
    pub fn require_scope(&self, scope: &str) -> Result<&Principal, ApiError> {
        if self.0.claims.has_scope(scope) {
            Ok(&self.0)
        } else {
            Err(
                ApiError::new(StatusCode::FORBIDDEN, "insufficient_scope", "Forbidden")
                    .with_detail(format!("this needs the `{scope}` scope")),
            )
        }
    }
}

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

fn unauthorized(code: &'static str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, "Authentication required")
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let state = request
                .app_data::<web::Data<AppState>>()
                .ok_or_else(ApiError::internal)?
                .clone();
            let token = request
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|token| !token.is_empty())
                .ok_or_else(|| unauthorized("token_required"))?
                .to_owned();
            let device = device_id(&request).map_err(|_| unauthorized("device_id_required"))?;
            match app::sessions::authenticate(&state.context, state.audience, &token, device).await
            {
                Ok(principal) => Ok(Self(principal)),
                Err(AuthenticationError::Refused(reason)) => {
                    tracing::info!(reason, "access token refused");
                    Err(unauthorized("invalid_token"))
                }
                Err(AuthenticationError::Unavailable) => Err(ApiError::unavailable()),
            }
        })
    }
}
