//! Forgotten and changed passwords.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post, put};
use api_types::identity::passwords::{
    PasswordChange, ResetConfirmation, ResetRequest, ResetRequested,
};
use web::{ApiError, AppState, Authenticated};

/// Emails a reset link (single use, 30 minutes) if an active account has this
/// email; answers the same either way.
#[utoipa::path(post, path = "/v1/auth/password-resets", tag = "auth", request_body = ResetRequest,
    responses((status = 202, body = ResetRequested),
        (status = 429, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/auth/password-resets")]
pub async fn request_reset(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<ResetRequest>,
) -> Result<HttpResponse, ApiError> {
    app::identity::passwords::request_reset(
        &state.context,
        &body.email,
        &web::client_ip::of(&request).to_string(),
    )
    .await?;
    Ok(HttpResponse::Accepted().json(ResetRequested {
        message: "if an account has this email, a reset link is on its way",
    }))
}

/// Sets a new password from the emailed link. Every session of the account ends.
#[utoipa::path(post, path = "/v1/auth/password-resets/confirm", tag = "auth", request_body = ResetConfirmation,
    responses((status = 204, description = "Changed; log in again"),
        (status = 422, description = "`invalid_token`, or `new_password` breaks the policy or was used recently",
            body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/auth/password-resets/confirm")]
pub async fn confirm_reset(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<ResetConfirmation>,
) -> Result<HttpResponse, ApiError> {
    let ip = web::client_ip::of(&request).to_string();
    app::identity::passwords::confirm_reset(&state.context, &body.token, &body.new_password, &ip)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Changes the caller's password; the current one is required. The caller's
/// other sessions end.
#[utoipa::path(put, path = "/v1/me/password", tag = "me", request_body = PasswordChange, security(("bearer" = [])),
    responses((status = 204, description = "Changed"),
        (status = 422, description = "`current_password` wrong, or `new_password` breaks the policy or was used recently",
            body = web::ProblemDetails, content_type = "application/problem+json")))]
#[put("/v1/me/password")]
pub async fn change_password(
    request: HttpRequest,
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    caller.require_scope("shopper")?;
    let actor = web::tokens::actor(&request, state.audience, &caller.0.subject);
    app::identity::passwords::change_password(
        &state.context,
        &caller.0.subject,
        &caller.0.session_id,
        &body.current_password,
        &body.new_password,
        &actor,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
