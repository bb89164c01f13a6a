//! Signed partner requests on external-api: the [`SignedPartner`] extractor
//! reads the body (the signature covers it), verifies key, timestamp,
//! nonce and signature, then the scope the route declares under the
//! `partner` security scheme, and the partner's rate limit.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::web::{Bytes, Data};
use actix_web::{FromRequest, HttpRequest};
use app::partners::registry::{PartnerPrincipal, SignedRequest};
use serde::de::DeserializeOwned;

use crate::route_permissions::{PARTNER, Requirement, RoutePermissions};
use crate::{ApiError, AppState};
use app::FieldCode;
use app::ProblemCode;

/// A verified partner and the exact body it signed.
#[derive(Debug, Clone)]
pub struct SignedPartner {
    pub partner: PartnerPrincipal,
    pub body: Bytes,
}

impl SignedPartner {
    /// The signed body as JSON (422 naming the problem when it is not).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_slice(&self.body).map_err(|error| {
            ApiError::new(ProblemCode::ValidationFailed, "Request body is invalid").with_field(
                "body",
                FieldCode::Invalid,
                error.to_string(),
            )
        })
    }
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> &'a str {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

impl FromRequest for SignedPartner {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        let body = Bytes::from_request(&request, payload);
        Box::pin(async move {
            let state = request
                .app_data::<Data<AppState>>()
                .cloned()
                .ok_or_else(ApiError::internal)?;
            let pattern = request.match_pattern().unwrap_or_default();
            let scope = match request
                .app_data::<Data<RoutePermissions>>()
                .and_then(|table| table.lookup(PARTNER, request.method().as_str(), &pattern))
            {
                Some(Requirement::AnyCaller) => None,
                Some(Requirement::Permission(scope)) => Some(scope.to_owned()),
                None => {
                    tracing::error!(route = %pattern, "partner route declares no scope: refused");
                    return Err(ApiError::new(
                        ProblemCode::PermissionUndeclared,
                        "Forbidden",
                    ));
                }
            };
            let body = body
                .await
                .map_err(|_| ApiError::new(ProblemCode::PayloadTooLarge, "Body too large"))?;
            let path_and_query = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or_else(|| request.path());
            let signed = SignedRequest {
                api_key: header(&request, "x-api-key"),
                timestamp: header(&request, "x-timestamp"),
                nonce: header(&request, "x-nonce"),
                signature: header(&request, "x-signature"),
                method: request.method().as_str(),
                path_and_query,
                body: &body,
            };
            let partner =
                app::partners::registry::verify(&state.context, signed, scope.as_deref()).await?;
            Ok(Self { partner, body })
        })
    }
}
