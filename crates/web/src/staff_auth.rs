//! Staff login with a second factor, shared by seller-api and admin-api
//! (each accepts only its own staff): password → TOTP code or recovery
//! code; mandatory enrolment for operations staff and vendor owners.

use actix_web::web::{Data, Json, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use app::staff::members::LinkKind;
use app::staff::sessions::{SecondFactor, StaffLogin};

use crate::tokens::{client, peer_ip, tokens_http_response};
use crate::{ApiError, AppState, Staff};
use api_types::staff::auth::{
    AcceptInvitationRequest, CurrentStaff, MfaChallengeResponse, MfaConfirmation,
    MfaEnrolmentRequest, MfaEnrolmentResponse, MfaVerifyRequest, MfaVerifyResponse, RecoveryCodes,
    StaffList, StaffLoginRequest, StaffPasswordChange, StaffPasswordResetConfirmation,
    StaffPasswordResetRequest, StaffView,
};
use api_types::staff::vocabulary::MfaStatus;
use app::FieldCode;

/// Mounts the staff login routes plus refresh and logout.
pub fn configure(config: &mut ServiceConfig) {
    config
        .service(login)
        .service(mfa_enrolment)
        .service(mfa_verify)
        .service(accept_invitation)
        .service(current_staff)
        .service(change_password)
        .service(request_password_reset)
        .service(begin_own_enrolment)
        .service(confirm_own_enrolment)
        .service(confirm_password_reset)
        .service(crate::tokens::refresh)
        .service(crate::tokens::logout);
}

/// Logs a staff member in on this device. Operations staff and vendor
/// owners always continue with a second factor (enrolling first if they
/// have none); others only when they enrolled one.
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth",
    request_body = StaffLoginRequest,
    params(("X-Device-Id" = String, Header, description = "UUID of this device"),
           ("X-Client" = Option<String>, Header, description = "`web` for the cookie mode")),
    responses(
        (status = 200, description = "Tokens (`TokenResponse`), or the second-factor step (`MfaChallengeResponse`)", body = MfaChallengeResponse),
        (status = 401, description = "`invalid_credentials`", body = crate::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "`account_inactive`", body = crate::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = crate::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/login")]
pub async fn login(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<StaffLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip = peer_ip(&request);
    let client = client(&request, &ip)?;
    let outcome = app::staff::sessions::login(
        &state.context,
        state.audience,
        &body.email,
        &body.password,
        &client,
    )
    .await?;
    let challenge = |status, mfa_token, expires_in| {
        HttpResponse::Ok()
            .insert_header(("cache-control", "no-store"))
            .json(MfaChallengeResponse {
                status,
                mfa_token,
                expires_in,
            })
    };
    Ok(match outcome {
        StaffLogin::Tokens(pair) => tokens_http_response(&request, pair, None),
        StaffLogin::MfaRequired {
            mfa_token,
            expires_in,
        } => challenge(MfaStatus::MfaRequired, mfa_token, expires_in),
        StaffLogin::MfaEnrolmentRequired {
            mfa_token,
            expires_in,
        } => challenge(MfaStatus::MfaEnrolmentRequired, mfa_token, expires_in),
    })
}

/// Issues a TOTP secret to an account that must enrol; the first correct
/// code sent to `/v1/auth/mfa/verify` confirms it.
#[utoipa::path(post, path = "/v1/auth/mfa/enrolment", tag = "auth",
    request_body = MfaEnrolmentRequest,
    params(("X-Device-Id" = String, Header, description = "The device that logged in")),
    responses(
        (status = 200, body = MfaEnrolmentResponse),
        (status = 401, description = "`mfa_challenge_invalid`", body = crate::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`mfa_already_enrolled`", body = crate::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/mfa/enrolment")]
pub async fn mfa_enrolment(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<MfaEnrolmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip = peer_ip(&request);
    let client = client(&request, &ip)?;
    let enrolment = app::staff::sessions::begin_enrolment(
        &state.context,
        state.audience,
        &body.mfa_token,
        &client,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(MfaEnrolmentResponse::from(enrolment)))
}

/// Completes a login with the second factor. A code is good once; five
/// wrong tries end the challenge.
#[utoipa::path(post, path = "/v1/auth/mfa/verify", tag = "auth",
    request_body = MfaVerifyRequest,
    params(("X-Device-Id" = String, Header, description = "The device that logged in")),
    responses(
        (status = 200, body = MfaVerifyResponse),
        (status = 401, description = "`invalid_mfa_code` or `mfa_challenge_invalid`", body = crate::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "neither or both of `code` and `recovery_code`", body = crate::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/mfa/verify")]
pub async fn mfa_verify(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<MfaVerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip = peer_ip(&request);
    let client = client(&request, &ip)?;
    let factor = match (&body.code, &body.recovery_code) {
        (Some(code), None) => SecondFactor::Code(code),
        (None, Some(code)) => SecondFactor::RecoveryCode(code),
        _ => {
            return Err(app::AppError::invalid(
                "code",
                FieldCode::ExactlyOneFactor,
                "send either `code` or `recovery_code`",
            )
            .into());
        }
    };
    let outcome = app::staff::sessions::verify(
        &state.context,
        state.audience,
        &body.mfa_token,
        factor,
        &client,
    )
    .await?;
    let extra = outcome.recovery_codes.map(|codes| {
        let mut extra = serde_json::Map::new();
        extra.insert("recovery_codes".into(), serde_json::json!(codes));
        extra
    });
    Ok(tokens_http_response(&request, outcome.tokens, extra))
}

/// Accepts an emailed invitation and sets the password; the link works once.
#[utoipa::path(post, path = "/v1/auth/invitations/accept", tag = "auth",
    request_body = AcceptInvitationRequest,
    responses(
        (status = 204, description = "The account is active: log in"),
        (status = 422, description = "`invalid_token` or a password the policy refuses", body = crate::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/invitations/accept")]
pub async fn accept_invitation(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<AcceptInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip = peer_ip(&request);
    app::staff::members::follow_link(
        &state.context,
        state.audience,
        LinkKind::Invitation,
        &body.token,
        Some(&body.password),
        &ip,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's organisation's staff, as `GET /v1/staff` answers.
pub async fn list_staff(state: &AppState, caller: &Staff) -> Result<HttpResponse, ApiError> {
    let items = app::staff::members::list(&state.context, &caller.0).await?;
    Ok(HttpResponse::Ok().json(StaffList {
        items: items.into_iter().map(StaffView::from).collect(),
    }))
}

/// Who is logged in.
#[utoipa::path(get, path = "/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = CurrentStaff),
        (status = 401, body = crate::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/me")]
pub async fn current_staff(state: Data<AppState>, caller: Staff) -> Result<HttpResponse, ApiError> {
    let own = app::staff::members::own(&state.context, &caller.0).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(CurrentStaff {
            staff: StaffView::from(own),
            seller_id: caller.0.tenant().seller_id(),
        }))
}

/// Changes the caller's password; their other sessions end.
#[utoipa::path(put, path = "/v1/me/password", tag = "auth", security(("bearer" = [])),
    request_body = StaffPasswordChange,
    responses((status = 204, description = "Changed"),
        (status = 422, description = "`current_password` wrong or `new_password` breaks the policy", body = crate::ProblemDetails, content_type = "application/problem+json")))]
#[put("/v1/me/password")]
pub async fn change_password(
    state: Data<AppState>,
    caller: Staff,
    body: Json<StaffPasswordChange>,
) -> Result<HttpResponse, ApiError> {
    app::staff::passwords::change_password(
        &state.context,
        &caller.0,
        &body.current_password,
        &body.new_password,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Emails a password-reset link; the answer is the same whether or not the
/// account exists.
#[utoipa::path(post, path = "/v1/auth/password-resets", tag = "auth",
    request_body = StaffPasswordResetRequest,
    responses((status = 202, description = "If the account exists, the link is on its way"),
        (status = 429, body = crate::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/auth/password-resets")]
pub async fn request_password_reset(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<StaffPasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    app::staff::passwords::request_reset(
        &state.context,
        state.audience,
        &body.email,
        &peer_ip(&request),
    )
    .await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password through the emailed link (single use); every
/// session of the account ends. The second factor still guards the login.
#[utoipa::path(post, path = "/v1/auth/password-resets/confirm", tag = "auth",
    request_body = StaffPasswordResetConfirmation,
    responses((status = 204, description = "Changed: log in"),
        (status = 422, description = "`invalid_token`, or a password the policy refuses", body = crate::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/auth/password-resets/confirm")]
pub async fn confirm_password_reset(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<StaffPasswordResetConfirmation>,
) -> Result<HttpResponse, ApiError> {
    app::staff::passwords::confirm_reset(
        &state.context,
        state.audience,
        &body.token,
        &body.new_password,
        &peer_ip(&request),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Adds a second factor to the caller's account (optional for vendor
/// managers and staff; others enrol at login). Confirm with a first code.
#[utoipa::path(post, path = "/v1/me/mfa/enrolment", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MfaEnrolmentResponse),
        (status = 409, description = "`mfa_already_enrolled`", body = crate::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/me/mfa/enrolment")]
pub async fn begin_own_enrolment(
    state: Data<AppState>,
    caller: Staff,
) -> Result<HttpResponse, ApiError> {
    let enrolment =
        app::staff::sessions::begin_own_enrolment(&state.context, state.audience, &caller.0)
            .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(MfaEnrolmentResponse::from(enrolment)))
}

/// Confirms the caller's new second factor with a first code.
#[utoipa::path(post, path = "/v1/me/mfa/confirm", tag = "auth", security(("bearer" = [])),
    request_body = MfaConfirmation,
    responses((status = 200, body = RecoveryCodes),
        (status = 409, description = "`mfa_already_enrolled`", body = crate::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_mfa_code`", body = crate::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/me/mfa/confirm")]
pub async fn confirm_own_enrolment(
    state: Data<AppState>,
    caller: Staff,
    body: Json<MfaConfirmation>,
) -> Result<HttpResponse, ApiError> {
    let recovery_codes =
        app::staff::sessions::confirm_own_enrolment(&state.context, &caller.0, &body.code).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(RecoveryCodes { recovery_codes }))
}
