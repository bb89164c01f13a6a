//! Middleware every service runs, outermost first: request context (id, span,
//! access log), admission (blocklist and caller), metrics, problem fallback,
//! Host guard.

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{Error, HttpMessage, ResponseError, web};
use tracing::Instrument;

use crate::error::PROBLEM_JSON;
use crate::principal::Admitted;
use crate::{ApiError, AppState};
use app::ProblemCode;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served (accepted from the caller or generated).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Paths answered whatever the Host: probes and scrapers reach a pod by address.
const HOST_EXEMPT_PATHS: [&str; 3] = ["/livez", "/readyz", "/metrics"];

fn accepted_request_id(value: &HeaderValue) -> Option<String> {
    let text = value.to_str().ok()?;
    let acceptable = !text.is_empty()
        && text.len() <= 128
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    acceptable.then(|| text.to_owned())
}

/// Takes or makes the request id, runs the request in a span carrying it,
/// echoes it, and writes one access-log line. (The request must not be cloned
/// before routing: the router needs sole ownership of it.)
pub async fn request_context(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let request_id = request
        .headers()
        .get(X_REQUEST_ID)
        .and_then(accepted_request_id)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    request
        .extensions_mut()
        .insert(RequestId(request_id.clone()));
    let trusted = request
        .app_data::<web::Data<AppState>>()
        .map(|state| state.settings.server.trusted_proxies.clone())
        .unwrap_or_default();
    let client_ip = crate::client_ip::resolve(&request, &trusted);
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.path(),
        request_id = %request_id,
        client_ip = %client_ip,
    );
    let started = Instant::now();
    let mut response = next.call(request).instrument(span.clone()).await?;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!(status, latency_ms, "request failed");
        } else {
            tracing::info!(status, latency_ms, "request served");
        }
    });
    Ok(response)
}

/// Refuses every request from a blocked IP (the honeypot's verdict, shared by
/// all services through Redis; if Redis cannot be asked, requests pass: a
/// block is a deterrent, not a control). A request with an access token has
/// it authenticated in the same round trip to Redis, for the
/// `Authenticated` extractor and the staff guard to take up.
pub async fn admission(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let state = request.app_data::<web::Data<AppState>>().cloned();
    let Some(state) = state.filter(|_| !HOST_EXEMPT_PATHS.contains(&request.path())) else {
        return Ok(next.call(request).await?.map_into_left_body());
    };
    let ip = crate::client_ip::of(request.request()).to_string();
    let credentials = crate::principal::credentials(request.request()).ok();
    let admission =
        app::kernel::admission::admit(&state.context, state.audience, &ip, credentials).await;
    if !admission.blocked {
        if let Some(caller) = admission.caller {
            request.extensions_mut().insert(Admitted(caller));
        }
        return Ok(next.call(request).await?.map_into_left_body());
    }
    let problem = ApiError::new(ProblemCode::IpBlocked, "Forbidden")
        .with_detail("requests from this address are blocked");
    Ok(request
        .into_response(problem.error_response())
        .map_into_right_body())
}

/// Counts requests by route template (not raw path, to bound cardinality)
/// and status, and observes latency.
pub async fn record_metrics(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = request.method().to_string();
    let response = next.call(request).await?;
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    crate::metrics::observe_request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    Ok(response)
}

/// Answers 421 to any Host this service is not configured for, so a request
/// misrouted by the load balancer never reaches the wrong API.
pub async fn host_guard(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    if HOST_EXEMPT_PATHS.contains(&request.path()) {
        return Ok(next.call(request).await?.map_into_left_body());
    }
    let allowed = request
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| {
            request_host(&request).is_some_and(|host| state.hosts.contains(&host))
        });
    if allowed {
        return Ok(next.call(request).await?.map_into_left_body());
    }
    let problem = ApiError::from_status(actix_web::http::StatusCode::MISDIRECTED_REQUEST)
        .with_detail("this host is not served by this service");
    Ok(request
        .into_response(problem.error_response())
        .map_into_right_body())
}

/// The Host header (HTTP/1.1) or authority (HTTP/2), lower-cased, without port.
fn request_host(request: &ServiceRequest) -> Option<String> {
    let raw = match request.headers().get(header::HOST) {
        Some(value) => value.to_str().ok()?.to_owned(),
        None => request.uri().authority()?.as_str().to_owned(),
    };
    let without_port = if raw.starts_with('[') {
        raw.split_inclusive(']').next().unwrap_or(&raw).to_owned()
    } else {
        raw.split(':').next().unwrap_or(&raw).to_owned()
    };
    Some(without_port.to_ascii_lowercase())
}

/// Turns any error response that is not already problem+json (405 from the
/// router, 413 from the payload reader, ...) into one, keeping its status.
pub fn problem_fallback<B>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let status = response.status();
    let (request, original) = response.into_parts();
    let mut replacement = ApiError::from_status(status).error_response();
    // Keep headers that matter to clients, such as Allow on a 405.
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            replacement
                .headers_mut()
                .insert(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, replacement).map_into_right_body(),
    ))
}
