//! Phone verification codes.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use api_types::identity::phone::{PhoneCodeCheck, PhoneCodeRequest, PhoneCodeSent, PhoneVerified};
use web::{ApiError, AppState};

/// Texts a six-digit code (valid 3 minutes). Limited per phone and per IP.
#[utoipa::path(post, path = "/v1/auth/phone-codes", tag = "auth", request_body = PhoneCodeRequest,
    responses(
        (status = 202, description = "Sent", body = PhoneCodeSent),
        (status = 422, description = "`invalid_format`, `unsupported_number`, `invalid_value` (purpose)",
            body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_requests`, with `Retry-After`",
            body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "The SMS provider is unavailable",
            body = web::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/phone-codes")]
pub async fn send_code(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<PhoneCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let purpose = app::identity::phone::PhonePurpose::parse(&body.purpose)?;
    let ip = web::client_ip::of(&request).to_string();
    let expires_in =
        app::identity::phone::send_code(&state.context, &body.phone, purpose, &ip).await?;
    Ok(HttpResponse::Accepted().json(PhoneCodeSent { expires_in }))
}

/// Checks a code. Five wrong tries end it: the sixth is refused even if right.
#[utoipa::path(post, path = "/v1/auth/phone-codes/verify", tag = "auth", request_body = PhoneCodeCheck,
    responses(
        (status = 200, description = "Verified", body = PhoneVerified),
        (status = 422, description = "`invalid_code` (attempts left in `detail`) or `code_expired`",
            body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`: request a new code",
            body = web::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/phone-codes/verify")]
pub async fn verify_code(
    state: Data<AppState>,
    body: Json<PhoneCodeCheck>,
) -> Result<HttpResponse, ApiError> {
    let purpose = app::identity::phone::PhonePurpose::parse(&body.purpose)?;
    app::identity::phone::verify_code(&state.context, &body.phone, purpose, &body.code).await?;
    Ok(HttpResponse::Ok().json(PhoneVerified { verified: true }))
}
