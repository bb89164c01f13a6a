//! A vendor's owner signs up (creating the vendor, which then applies for
//! approval) and confirms the email address.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use api_types::sellers::accounts::{
    EmailVerificationRequest, SellerSignupRequest, SellerSignupResponse,
};
use api_types::staff::vocabulary::StaffStatus;
use app::staff::members::LinkKind;
use web::tokens::peer_ip;
use web::{ApiError, AppState};

/// Creates the vendor (status `applying`) and its owner's account, and
/// emails a verification link; the owner enrols a second factor at first login.
#[utoipa::path(post, path = "/v1/auth/signup", tag = "auth",
    request_body = SellerSignupRequest,
    responses(
        (status = 201, body = SellerSignupResponse),
        (status = 409, description = "`email_already_registered`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A field breaks a rule", body = web::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/signup")]
pub async fn signup(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<SellerSignupRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let outcome = app::staff::members::seller_signup(
        &state.context,
        app::staff::members::SellerSignup {
            email: body.email,
            password: body.password,
            name: body.name,
            seller_name: body.seller_name,
        },
        &peer_ip(&request),
    )
    .await?;
    Ok(HttpResponse::Created().json(SellerSignupResponse {
        seller_id: outcome.seller_id,
        staff_id: outcome.staff_id,
        status: StaffStatus::PendingVerification,
    }))
}

/// Confirms the owner's email address; the link works once.
#[utoipa::path(post, path = "/v1/auth/email-verifications", tag = "auth",
    request_body = EmailVerificationRequest,
    responses(
        (status = 204, description = "Active: log in"),
        (status = 422, description = "`invalid_token`", body = web::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/email-verifications")]
pub async fn verify_email(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<EmailVerificationRequest>,
) -> Result<HttpResponse, ApiError> {
    app::staff::members::follow_link(
        &state.context,
        state.audience,
        LinkKind::Verification,
        &body.token,
        None,
        &peer_ip(&request),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
