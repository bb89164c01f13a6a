//! Changing the account's email: asked with the password, confirmed by the
//! link sent to the new address.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use api_types::identity::email_change::{EmailChangeConfirmation, EmailChangeRequest};
use web::tokens::peer_ip;
use web::{ApiError, AppState, Authenticated};

/// Asks to change the email: a link goes to the new address, and the
/// account keeps its current email until it is followed.
#[utoipa::path(post, path = "/v1/me/email", tag = "me", security(("bearer" = [])),
    request_body = EmailChangeRequest,
    responses((status = 202, description = "The confirmation link is on its way to the new address"),
        (status = 409, description = "`email_already_registered`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`password` wrong, or `new_email` invalid or unchanged", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/me/email")]
pub async fn request_change(
    request: HttpRequest,
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<EmailChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_scope("shopper")?;
    app::identity::email_change::request(
        &state.context,
        &caller.0.subject,
        &body.new_email,
        &body.password,
        &peer_ip(&request),
    )
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Follows the link sent to the new address: the account's email becomes it.
#[utoipa::path(post, path = "/v1/auth/email-changes/confirm", tag = "auth",
    request_body = EmailChangeConfirmation,
    responses((status = 204, description = "Changed"),
        (status = 409, description = "`email_already_registered` (taken meanwhile)", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_token`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/auth/email-changes/confirm")]
pub async fn confirm_change(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<EmailChangeConfirmation>,
) -> Result<HttpResponse, ApiError> {
    app::identity::email_change::confirm(&state.context, &body.token, &peer_ip(&request)).await?;
    Ok(HttpResponse::NoContent().finish())
}
