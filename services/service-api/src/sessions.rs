//! Login, refresh and logout. App clients get the refresh token in the body;
//! web clients (`X-Client: web`) get it in an HttpOnly, Secure, SameSite
//! cookie scoped to `/v1/auth` and never see it in script.

use actix_web::cookie::{Cookie, SameSite, time::OffsetDateTime};
use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use app::sessions::{Client, TokenPair};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use web::principal::device_id;
use web::{ApiError, AppState, Authenticated};

const REFRESH_COOKIE: &str = "refresh_token";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "minji@example.com")]
    pub email: String,
    #[schema(format = Password)]
    pub password: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// Omitted by web clients, whose token travels in the cookie.
    pub refresh_token: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Absent for web clients (`X-Client: web`): it is in the HttpOnly cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    #[schema(example = 600)]
    pub expires_in: i64,
}

fn is_web_client(request: &HttpRequest) -> bool {
    request
        .headers()
        .get("x-client")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("web"))
}

fn client<'a>(request: &'a HttpRequest, ip: &'a str) -> Result<Client<'a>, ApiError> {
    Ok(Client {
        device_id: device_id(request)?,
        ip,
        user_agent: request
            .headers()
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    })
}

fn peer_ip(request: &HttpRequest) -> String {
    web::client_ip::of(request).to_string()
}

fn refresh_cookie(value: String, expires: OffsetDateTime) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path("/v1/auth")
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .expires(expires)
        .finish()
}

fn tokens_response(request: &HttpRequest, pair: TokenPair) -> HttpResponse {
    let web = is_web_client(request);
    let mut response = HttpResponse::Ok();
    response.insert_header(("cache-control", "no-store"));
    if web {
        let expires = OffsetDateTime::from_unix_timestamp(pair.refresh_expires_at.timestamp())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        response.cookie(refresh_cookie(pair.refresh_token.clone(), expires));
    }
    response.json(TokenResponse {
        access_token: pair.access_token,
        refresh_token: (!web).then_some(pair.refresh_token),
        token_type: "Bearer",
        expires_in: pair.expires_in,
    })
}

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
    let pair = app::sessions::login(&state.context, &body.email, &body.password, &client).await?;
    Ok(tokens_response(&request, pair))
}

/// Exchanges the refresh token (body, or cookie for web clients) for a new
/// pair. Every use rotates it; a rotated token presented again revokes the
/// whole login (`refresh_token_reused`).
#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    params(("X-Device-Id" = String, Header, description = "UUID of the device the session belongs to")),
    responses(
        (status = 200, description = "A new pair", body = TokenResponse),
        (status = 401, description = "`invalid_refresh_token`, `refresh_token_reused` or `session_revoked`",
            body = web::ProblemDetails, content_type = "application/problem+json"),
    ))]
#[post("/v1/auth/refresh")]
pub async fn refresh(
    request: HttpRequest,
    state: Data<AppState>,
    body: Option<Json<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let ip = peer_ip(&request);
    let client = client(&request, &ip)?;
    let token = body
        .and_then(|b| b.into_inner().refresh_token)
        .or_else(|| request.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned()))
        .ok_or_else(|| {
            ApiError::new(
                actix_web::http::StatusCode::UNAUTHORIZED,
                "invalid_refresh_token",
                "Authentication failed",
            )
        })?;
    let pair = app::sessions::refresh(&state.context, state.audience, &token, &client).await?;
    Ok(tokens_response(&request, pair))
}

/// Ends this session on every server at once; its tokens stop working.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "Logged out")))]
#[post("/v1/auth/logout")]
pub async fn logout(
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    app::sessions::logout(&state.context, &caller.0.subject, &caller.0.session_id).await?;
    let mut gone = refresh_cookie(String::new(), OffsetDateTime::UNIX_EPOCH);
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
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
    let pair = app::sessions::guest_session(&state.context, &client).await?;
    Ok(tokens_response(&request, pair))
}
