//! Cross-origin requests from the storefronts a service is configured for
//! (`services.<service>.cors_origins`; none by default, so the staff and
//! partner APIs answer no browser of another origin). An allowed origin gets
//! its preflight answered and its responses readable, credentials included
//! (web clients keep the refresh token in a cookie); any other origin gets
//! no CORS header at all, and the browser keeps the response from it.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};

use crate::AppState;

/// What a storefront may send: its token, device, client and idempotency
/// headers, and the conditional ones.
const ALLOWED_HEADERS: &str =
    "authorization, content-type, x-device-id, x-client, idempotency-key, if-match, if-none-match";
const ALLOWED_METHODS: &str = "GET, POST, PUT, PATCH, DELETE";
/// What a storefront may read beside the simple headers.
const EXPOSED_HEADERS: &str = "etag, idempotent-replayed, location, retry-after, x-request-id";
/// How long a browser may keep a preflight's answer.
const PREFLIGHT_MAX_AGE_SECS: &str = "600";

pub async fn cors(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .filter(|origin| allowed(&request, origin))
        .cloned();
    let Some(origin) = origin else {
        return Ok(next.call(request).await?.map_into_left_body());
    };
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let answer = HttpResponse::NoContent()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin))
            .insert_header((header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS))
            .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECS))
            .insert_header((header::VARY, "Origin"))
            .finish();
        return Ok(request.into_response(answer).map_into_right_body());
    }
    let mut response = next.call(request).await?;
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSED_HEADERS),
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    Ok(response.map_into_left_body())
}

fn allowed(request: &ServiceRequest, origin: &HeaderValue) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    request
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.cors_origins.iter().any(|allowed| allowed == origin))
}
