//! Conditional GET: a strong `ETag` over the exact response bytes, so every
//! replica derives the same validator and a client's copy is current iff the
//! bytes are.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::ApiError;

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
