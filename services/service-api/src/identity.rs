//! Identity (adult) verification: start one, then the provider's callback
//! completes it. The outcome is read from the provider, never taken from
//! the caller.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, post};
use api_types::identity::adult_verification::{StartedVerification, VerificationResult};
use api_types::identity::vocabulary::VerificationProvider;
use web::tokens::peer_ip;
use web::{ApiError, AppState, Authenticated};

/// Starts an adult verification for the caller (a member, not a guest).
#[utoipa::path(post, path = "/v1/identity-verifications", tag = "me",
    security(("bearer" = [])),
    responses((status = 201, body = StartedVerification),
        (status = 401, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "`insufficient_scope` (guests cannot verify)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/identity-verifications")]
pub async fn start_identity_verification(
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    caller.require_scope("shopper")?;
    let started =
        app::identity::adult_verification::start(&state.context, &caller.0.subject).await?;
    Ok(HttpResponse::Created()
        .insert_header(("cache-control", "no-store"))
        .json(StartedVerification {
            identity_verification_id: started.id,
            provider: VerificationProvider::PortOne,
            store_id: started.store_id,
            channel_key: started.channel_key,
            verification_url: started.verification_url,
            expires_in: started.expires_in,
        }))
}

/// The provider's callback (or the shopper's return from its window): reads
/// the outcome from the provider and records it. Works once.
#[utoipa::path(post, path = "/v1/identity-verifications/{id}/result", tag = "me",
    params(("id" = String, Path, description = "The identity verification id")),
    responses((status = 200, body = VerificationResult),
        (status = 404, description = "Unknown, expired or already used", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`identity_not_verified`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "The provider did not answer: call again", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/identity-verifications/{id}/result")]
pub async fn identity_verification_result(
    request: HttpRequest,
    state: Data<AppState>,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let completed =
        app::identity::adult_verification::complete(&state.context, &id, &peer_ip(&request))
            .await?;
    Ok(HttpResponse::Ok().json(VerificationResult {
        adult: completed.adult,
    }))
}
