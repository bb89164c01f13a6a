//! Shopper login and guest sessions; refresh and logout are shared
//! (`web::tokens`).

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use api_types::identity::sessions::LoginRequest;
use api_types::identity::tokens::TokenResponse;
use web::tokens::{client, peer_ip, tokens_http_response};
use web::{ApiError, AppState};

/// Logs a shopper in on this device (`X-Device-Id`). Wrong email and wrong
/// password answer alike (`invalid_credentials`).
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    params(("X-Device-Id" = String, Header, description = "UUID of this device"),
           ("X-Client" = Option<String>, Header, description = "`web` for the cookie mode")),
    responses(
        (status = 200, description = "Tokens", body = TokenResponse),
        (status = 401, description = "`invalid_credentials`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "`email_not_verified`", body = web::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/login")]
pub async fn login(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip = peer_ip(&request);
    let client = client(&request, &ip)?;
    let pair = app::identity::sessions::login(&state.context, &body.email, &body.password, &client)
        .await?;
    merge_guest_cart(&state, body.guest_access_token.as_deref(), &pair, &client).await?;
    Ok(tokens_http_response(&request, pair, None))
}

/// A session for someone without an account: browse, hold a cart, check out
/// as a guest. The token has the `guest` scope only.
#[utoipa::path(post, path = "/v1/auth/guest", tag = "auth",
    params(("X-Device-Id" = String, Header, description = "UUID of this device")),
    responses((status = 200, description = "Guest tokens", body = TokenResponse)))]
#[post("/v1/auth/guest")]
pub async fn guest(request: HttpRequest, state: Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ip = peer_ip(&request);
    let client = client(&request, &ip)?;
    let pair = app::identity::sessions::guest_session(&state.context, &client).await?;
    Ok(tokens_http_response(&request, pair, None))
}

/// After a sign-in on this device (password or SSO): the cart of the guest
/// session named by `guest_access_token` merges into the account's.
pub(crate) async fn merge_guest_cart(
    state: &AppState,
    guest_access_token: Option<&str>,
    pair: &app::identity::sessions::TokenPair,
    client: &app::identity::sessions::Client<'_>,
) -> Result<(), ApiError> {
    if let Some(guest_token) = guest_access_token {
        app::orders::cart::merge_on_login(
            &state.context,
            guest_token,
            &pair.access_token,
            client.device_id,
        )
        .await?;
    }
    Ok(())
}
