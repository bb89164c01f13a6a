//! Sign-in with an outside identity provider (OAuth 2.0 code + PKCE).

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse, get, post};
use api_types::identity::sso::{
    SsoAuthorization, SsoCallback, SsoLink, SsoSignup, SsoSignupRequired,
};
use api_types::identity::tokens::TokenResponse;
use api_types::identity::vocabulary::SsoStatus;
use app::identity::sso::{SignupCompletion, SsoOutcome};
use web::device::device_id;
use web::tokens::{client, peer_ip, tokens_http_response};
use web::{ApiError, AppState, Authenticated};

/// Starts a sign-in with `provider` on this device.
#[utoipa::path(get, path = "/v1/auth/sso/{provider}/authorize", tag = "auth",
    params(("provider" = String, Path, description = "A configured provider, e.g. `kakao`"),
           ("X-Device-Id" = String, Header, description = "UUID of this device")),
    responses((status = 200, body = SsoAuthorization),
        (status = 404, description = "No such provider", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/auth/sso/{provider}/authorize")]
pub async fn sso_authorize(
    request: HttpRequest,
    state: Data<AppState>,
    provider: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let device = device_id(&request)?;
    let started = app::identity::sso::authorize(&state.context, &provider, device).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(SsoAuthorization {
            authorization_url: started.url,
            state: started.state,
            expires_in: started.expires_in,
        }))
}

/// The provider sent the shopper back: tokens for a known or linked
/// account, or what is missing to create one.
#[utoipa::path(post, path = "/v1/auth/sso/{provider}/callback", tag = "auth",
    request_body = SsoCallback,
    params(("provider" = String, Path, description = "The provider"),
           ("X-Device-Id" = String, Header, description = "The device that started the sign-in")),
    responses((status = 200, description = "Tokens (`TokenResponse`) or `SsoSignupRequired`", body = SsoSignupRequired),
        (status = 401, description = "`invalid_state`, `invalid_grant` or `invalid_id_token`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`sso_link_required`: an account uses the email the provider asserted; it is never linked by email. The problem's `link.link_token` links this sign-in once the account's owner has signed in with their password on this device (`POST /v1/me/sso-links`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/auth/sso/{provider}/callback")]
pub async fn sso_callback(
    request: HttpRequest,
    state: Data<AppState>,
    provider: Path<String>,
    body: Json<SsoCallback>,
) -> Result<HttpResponse, ApiError> {
    let ip = peer_ip(&request);
    let client = client(&request, &ip)?;
    let outcome =
        app::identity::sso::callback(&state.context, &provider, &body.code, &body.state, &client)
            .await?;
    Ok(match outcome {
        SsoOutcome::Tokens(pair) => {
            crate::sessions::merge_guest_cart(
                &state,
                body.guest_access_token.as_deref(),
                &pair,
                &client,
            )
            .await?;
            tokens_http_response(&request, pair, None)
        }
        SsoOutcome::SignupRequired {
            signup_token,
            expires_in,
            missing,
            email,
            name,
        } => HttpResponse::Ok()
            .insert_header(("cache-control", "no-store"))
            .json(SsoSignupRequired {
                status: SsoStatus::SignupRequired,
                signup_token,
                expires_in,
                missing,
                email,
                name,
            }),
    })
}

/// Creates the account of an SSO sign-in once the missing fields are given.
#[utoipa::path(post, path = "/v1/auth/sso/{provider}/signup", tag = "auth",
    request_body = SsoSignup,
    params(("provider" = String, Path, description = "The provider"),
           ("X-Device-Id" = String, Header, description = "The device that started the sign-in")),
    responses((status = 200, body = TokenResponse),
        (status = 401, description = "`invalid_signup_token`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`email_already_registered` or `phone_already_registered`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "A missing or unverified field", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/auth/sso/{provider}/signup")]
pub async fn sso_signup(
    request: HttpRequest,
    state: Data<AppState>,
    provider: Path<String>,
    body: Json<SsoSignup>,
) -> Result<HttpResponse, ApiError> {
    let ip = peer_ip(&request);
    let client = client(&request, &ip)?;
    let pair = app::identity::sso::complete_signup(
        &state.context,
        &provider,
        SignupCompletion {
            signup_token: &body.signup_token,
            name: body.name.as_deref(),
            phone: body.phone.as_deref(),
        },
        &client,
    )
    .await?;
    crate::sessions::merge_guest_cart(&state, body.guest_access_token.as_deref(), &pair, &client)
        .await?;
    Ok(tokens_http_response(&request, pair, None))
}

/// Links a provider sign-in to the caller's account: the `link_token` of an
/// `sso_link_required` answer on this device, used once. From then on that
/// provider signs the caller in.
#[utoipa::path(post, path = "/v1/me/sso-links", tag = "auth",
    security(("bearer" = [])),
    request_body = SsoLink,
    params(("X-Device-Id" = String, Header, description = "The device of the sign-in")),
    responses((status = 204, description = "Linked"),
        (status = 401, description = "`invalid_link_token`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "`insufficient_scope`: members only", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`conflict`: the sign-in is linked already", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/me/sso-links")]
pub async fn link_sso(
    request: HttpRequest,
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<SsoLink>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    let ip = peer_ip(&request);
    let client = client(&request, &ip)?;
    app::identity::sso::link(&state.context, user_id, &body.link_token, &client).await?;
    Ok(HttpResponse::NoContent().finish())
}
