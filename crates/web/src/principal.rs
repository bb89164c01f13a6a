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
use app::staff_access::{Origin, StaffPrincipal};
use uuid::Uuid;

use crate::route_permissions::{Requirement, RoutePermissions};
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

/// Verifies the bearer token of `request` for this API and device.
async fn authenticate(request: &HttpRequest, state: &AppState) -> Result<Principal, ApiError> {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| unauthorized("token_required"))?
        .to_owned();
    let device = device_id(request).map_err(|_| unauthorized("device_id_required"))?;
    match app::sessions::authenticate(&state.context, state.audience, &token, device).await {
        Ok(principal) => Ok(principal),
        Err(AuthenticationError::Refused(reason)) => {
            tracing::info!(reason, "access token refused");
            Err(unauthorized("invalid_token"))
        }
        Err(AuthenticationError::Unavailable) => Err(ApiError::unavailable()),
    }
}

fn app_state(request: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    request
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(ApiError::internal)
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let state = app_state(&request)?;
            authenticate(&request, &state).await.map(Self)
        })
    }
}

/// A staff caller of seller-api or admin-api, authorised for this route:
/// the route's OpenAPI `bearer` requirement names the permission it needs
/// (see [`RoutePermissions`]); a route that names none is refused.
#[derive(Debug, Clone)]
pub struct Staff(pub StaffPrincipal);

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let state = app_state(&request)?;
            let principal = authenticate(&request, &state).await?;
            let pattern = request.match_pattern().unwrap_or_default();
            let requirement = request
                .app_data::<web::Data<RoutePermissions>>()
                .and_then(|table| table.lookup(request.method().as_str(), &pattern));
            let permission = match requirement {
                Some(Requirement::AnyStaff) => None,
                Some(Requirement::Permission(permission)) => Some(permission.to_owned()),
                None => {
                    tracing::error!(route = %pattern, "staff route declares no permission: refused");
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "permission_undeclared",
                        "Forbidden",
                    ));
                }
            };
            let ip = crate::client_ip::of(&request).to_string();
            let origin = Origin {
                ip: &ip,
                user_agent: crate::tokens::user_agent(&request),
            };
            let staff = app::staff_access::authorize(
                &state.context,
                state.audience,
                &principal,
                permission.as_deref(),
                origin,
            )
            .await?;
            Ok(Self(staff))
        })
    }
}
