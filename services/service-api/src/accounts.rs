//! Sign-up and email verification.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use api_types::identity::accounts::{
    EmailVerificationRequest, EmailVerificationResponse, SignupRequest, SignupResponse,
};
use api_types::identity::vocabulary::ShopperStatus;
use web::{ApiError, AppState};

/// Creates an account and emails a verification link (single use, 24 h).
/// The account stays inactive until the link is followed.
#[utoipa::path(post, path = "/v1/auth/signup", tag = "auth",
    request_body = SignupRequest,
    responses(
        (status = 201, description = "Created; the verification email is on its way", body = SignupResponse),
        (status = 409, description = "`email_already_registered` or `phone_already_registered`",
            body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule (`errors[].field` names it)",
            body = web::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/signup")]
pub async fn signup(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<SignupRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let outcome = app::identity::accounts::signup(
        &state.context,
        app::identity::accounts::SignupInput {
            email: body.email,
            password: body.password,
            name: body.name,
            phone: body.phone,
        },
        &web::client_ip::of(&request).to_string(),
    )
    .await?;
    Ok(HttpResponse::Created().json(SignupResponse {
        user_id: outcome.user_id.to_string(),
        status: ShopperStatus::PendingVerification,
    }))
}

/// Follows the emailed link: activates the account.
#[utoipa::path(post, path = "/v1/auth/email-verifications", tag = "auth",
    request_body = EmailVerificationRequest,
    responses(
        (status = 200, description = "The account is active", body = EmailVerificationResponse),
        (status = 422, description = "`invalid_token`: unknown, altered, used or expired",
            body = web::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/email-verifications")]
pub async fn verify_email(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<EmailVerificationRequest>,
) -> Result<HttpResponse, ApiError> {
    let user_id = app::identity::accounts::verify_email(
        &state.context,
        &body.token,
        &web::client_ip::of(&request).to_string(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(EmailVerificationResponse {
        user_id: user_id.to_string(),
        status: ShopperStatus::Active,
    }))
}
