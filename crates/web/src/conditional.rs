//! Conditional GET: a strong `ETag` over the exact response bytes, so every
//! replica derives the same validator and a client's copy is current iff the
//! bytes are.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::ApiError;
use app::ProblemCode;

/// `200` with the JSON body and its `ETag`, or `304` when `If-None-Match`
/// already names it. `cache_control` is sent on both.
pub fn json_with_etag<T: Serialize>(
    request: &HttpRequest,
    body: &T,
    cache_control: &'static str,
) -> Result<HttpResponse, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(|error| {
        tracing::error!(%error, "response does not serialise");
        ApiError::internal()
    })?;
    let etag = format!("\"{}\"", &crypto::digest::sha256_hex(&bytes)[..32]);
    let fresh = request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag);
    let mut response = if fresh {
        HttpResponse::NotModified().finish()
    } else {
        HttpResponse::Ok()
            .content_type("application/json")
            .body(bytes)
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    Ok(response)
}

/// The `ETag` of a row at `version` (`"v<version>"`), as a header pair.
pub fn etag_header(version: i32) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"v{version}\""))
}

/// The version named by `If-Match`, if the header is present; a value
/// that names no version cannot match, so it answers 412.
pub fn optional_if_match(request: &HttpRequest) -> Result<Option<i32>, ApiError> {
    let Some(value) = request.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.strip_prefix('v'))
        .and_then(|v| v.parse().ok())
        .map(Some)
        .ok_or_else(|| ApiError::from(app::AppError::PreconditionFailed))
}

/// The version named by `If-Match`; 428 when absent (`what` names the
/// resource to read first).
pub fn required_if_match(request: &HttpRequest, what: &str) -> Result<i32, ApiError> {
    optional_if_match(request)?.ok_or_else(|| {
        ApiError::new(ProblemCode::PreconditionRequired, "If-Match required")
            .with_detail(format!("send the ETag of {what} in If-Match"))
    })
}
