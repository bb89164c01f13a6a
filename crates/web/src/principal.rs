//! Who is calling: the `Authenticated` extractor every protected route takes.
//! A route without it is public; one with it refuses anything but a valid,
//! live access token minted for this API and this device.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, ResponseError, web};
use app::kernel::admission::Credentials;
use app::kernel::principals::{AuthenticationError, Principal};
use app::kernel::principals::{Origin, StaffPrincipal};
use uuid::Uuid;

use crate::device::device_id;
use crate::route_permissions::{BEARER, Requirement, RoutePermissions};
use crate::{ApiError, AppState};
use app::ProblemCode;

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
            Err(ApiError::new(ProblemCode::InsufficientScope, "Forbidden")
                .with_detail(format!("this needs the `{scope}` scope")))
        }
    }
}

impl Authenticated {
    /// The caller as a buyer (a member's or a guest's token).
    pub fn buyer(&self) -> Result<app::kernel::principals::Buyer, ApiError> {
        app::kernel::principals::Buyer::of(&self.0).map_err(|error| match error {
            app::AppError::Forbidden { .. } => {
                ApiError::new(ProblemCode::InsufficientScope, "Forbidden")
                    .with_detail("this needs the `shopper` or `guest` scope")
            }
            other => other.into(),
        })
    }

    /// The caller's account: a `shopper` token only (403
    /// `insufficient_scope` for guests and anyone else).
    pub fn member_id(&self) -> Result<Uuid, ApiError> {
        self.require_scope("shopper")?;
        match self.buyer()? {
            app::kernel::principals::Buyer::Member(id) => Ok(id),
            app::kernel::principals::Buyer::Guest(_) => {
                Err(ApiError::new(ProblemCode::InsufficientScope, "Forbidden")
                    .with_detail("this needs the `shopper` scope"))
            }
        }
    }

    /// Whether identity verification found the caller of age.
    pub fn is_adult(&self) -> bool {
        self.0
            .claims
            .has_scope(app::kernel::principals::ADULT_SCOPE)
    }
}

fn unauthorized(code: ProblemCode) -> ApiError {
    ApiError::new(code, "Authentication required")
}

/// The bearer token and device id of `request`, if it presented both.
pub(crate) fn credentials(request: &HttpRequest) -> Result<Credentials<'_>, ApiError> {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| unauthorized(ProblemCode::TokenRequired))?;
    // Here the device binds the token, so a missing one fails authentication.
    let device_id = device_id(request).map_err(|_| {
        ApiError::with_status(
            actix_web::http::StatusCode::UNAUTHORIZED,
            ProblemCode::DeviceIdRequired,
            "Authentication required",
        )
    })?;
    Ok(Credentials { token, device_id })
}

/// Who the request's credentials belong to, as the admission middleware
/// found out (alongside the blocklist, in one round trip to Redis).
#[derive(Debug, Clone)]
pub(crate) struct Admitted(pub Result<Principal, AuthenticationError>);

/// The caller the admission middleware found for `request`'s bearer token.
fn authenticate(request: &HttpRequest) -> Result<Principal, ApiError> {
    let admitted = request
        .extensions()
        .get::<Admitted>()
        .map(|admitted| admitted.0.clone());
    let Some(outcome) = admitted else {
        // Admission records every request that presents both; without a
        // record, say which is missing, or refuse if admission never ran.
        credentials(request)?;
        tracing::error!("no admission for a request with credentials: refused");
        return Err(ApiError::internal());
    };
    match outcome {
        Ok(principal) => Ok(principal),
        Err(AuthenticationError::Refused(reason)) => {
            tracing::info!(reason, "access token refused");
            Err(unauthorized(ProblemCode::InvalidToken))
        }
        Err(AuthenticationError::Unavailable) => Err(ApiError::unavailable()),
    }
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(authenticate(request).map(Self))
    }
}

/// A staff caller of seller-api or admin-api, authorised for this route by
/// [`staff_guard`] before any of the request was read: the route's OpenAPI
/// `bearer` requirement names the permission it needs (see
/// [`RoutePermissions`]). A handler that takes `Staff` on a route that
/// declares nothing is refused (fail closed).
#[derive(Debug, Clone)]
pub struct Staff(pub StaffPrincipal);

impl FromRequest for Staff {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            request
                .extensions()
                .get::<StaffPrincipal>()
                .cloned()
                .map(Self)
                .ok_or_else(|| {
                    tracing::error!(route = ?request.match_pattern(), "staff route declares no permission: refused");
                    ApiError::new(ProblemCode::PermissionUndeclared, "Forbidden")
                }),
        )
    }
}

/// On seller-api and admin-api: authenticates and authorises every route
/// that declares a `bearer` requirement before its handler runs (so an
/// unauthorised caller learns nothing from body validation), and hands the
/// [`StaffPrincipal`] to the [`Staff`] extractor.
pub async fn staff_guard(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let requirement = match (
        request.app_data::<web::Data<AppState>>().cloned(),
        request.app_data::<web::Data<RoutePermissions>>().cloned(),
    ) {
        (Some(state), Some(table))
            if app::kernel::principals::staff_kind(state.audience).is_some() =>
        {
            let pattern = request.request().match_pattern().unwrap_or_default();
            table
                .lookup(BEARER, request.method().as_str(), &pattern)
                .map(|requirement| match requirement {
                    Requirement::AnyCaller => None,
                    Requirement::Permission(permission) => Some(permission.to_owned()),
                })
                .map(|permission| (state, permission))
        }
        _ => None,
    };
    let Some((state, permission)) = requirement else {
        return Ok(next.call(request).await?.map_into_left_body());
    };
    match authorize(request.request(), &state, permission.as_deref()).await {
        Ok(staff) => {
            request.extensions_mut().insert(staff);
            Ok(next.call(request).await?.map_into_left_body())
        }
        Err(error) => Ok(request
            .into_response(error.error_response())
            .map_into_right_body()),
    }
}

async fn authorize(
    request: &HttpRequest,
    state: &AppState,
    permission: Option<&str>,
) -> Result<StaffPrincipal, ApiError> {
    let principal = authenticate(request)?;
    let ip = crate::client_ip::of(request).to_string();
    let origin = Origin {
        ip: &ip,
        user_agent: crate::device::user_agent(request),
    };
    Ok(app::kernel::principals::authorize(
        &state.context,
        state.audience,
        &principal,
        permission,
        origin,
    )
    .await?)
}
