//! Token answers and the refresh and logout routes every API with logins
//! shares. App clients get the refresh token in the body; web clients
//! (`X-Client: web`) get it in an HttpOnly, Secure, SameSite cookie scoped
//! to `/v1/auth` and never see it in script.

use actix_web::cookie::{Cookie, SameSite, time::OffsetDateTime};
use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use app::identity::sessions::{Client, TokenPair};

use crate::device::{device_id, user_agent};
use crate::{ApiError, AppState, Authenticated};
use api_types::identity::tokens::{RefreshRequest, TokenResponse};
use api_types::identity::vocabulary::TokenType;
use app::ProblemCode;

const REFRESH_COOKIE: &str = "refresh_token";

fn is_web_client(request: &HttpRequest) -> bool {
    request
        .headers()
        .get("x-client")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("web"))
}

/// The client IP as the trusted proxy hop saw it.
pub fn peer_ip(request: &HttpRequest) -> String {
    crate::client_ip::of(request).to_string()
}

/// The audit actor of a request made by `subject` on `audience`'s API.
pub fn actor(
    request: &HttpRequest,
    audience: auth::Audience,
    subject: &str,
) -> app::kernel::audit::Actor {
    app::kernel::audit::Actor::on(
        audience,
        Some(subject),
        &peer_ip(request),
        user_agent(request),
    )
}

/// Who is logging in or refreshing: device (`X-Device-Id`), IP, user agent.
pub fn client<'a>(request: &'a HttpRequest, ip: &'a str) -> Result<Client<'a>, ApiError> {
    Ok(Client {
        device_id: device_id(request)?,
        ip,
        user_agent: user_agent(request),
    })
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

/// The answer to a login or refresh: the refresh token in the body, or in
/// the cookie for web clients.
fn token_response(request: &HttpRequest, pair: TokenPair) -> TokenResponse {
    let web = is_web_client(request);
    TokenResponse {
        access_token: pair.access_token,
        refresh_token: (!web).then_some(pair.refresh_token),
        token_type: TokenType::Bearer,
        expires_in: pair.expires_in,
    }
}

/// `token_response` as a 200 with `Cache-Control: no-store` (and the cookie
/// for web clients); `extra` fields are merged into the body.
pub fn tokens_http_response(
    request: &HttpRequest,
    pair: TokenPair,
    extra: Option<serde_json::Map<String, serde_json::Value>>,
) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.insert_header(("cache-control", "no-store"));
    if is_web_client(request) {
        let expires = OffsetDateTime::from_unix_timestamp(pair.refresh_expires_at.timestamp())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        response.cookie(refresh_cookie(pair.refresh_token.clone(), expires));
    }
    let body = token_response(request, pair);
    match extra {
        None => response.json(body),
        Some(extra) => {
            let mut value = serde_json::to_value(body).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.extend(extra);
            }
            response.json(value)
        }
    }
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
            body = crate::ProblemDetails, content_type = "application/problem+json"),
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
        .ok_or_else(|| ApiError::new(ProblemCode::InvalidRefreshToken, "Authentication failed"))?;
    let pair =
        app::identity::sessions::refresh(&state.context, state.audience, &token, &client).await?;
    Ok(tokens_http_response(&request, pair, None))
}

/// Ends this session on every server at once; its tokens stop working.
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth",
    security(("bearer" = [])),
    responses((status = 204, description = "Logged out")))]
#[post("/v1/auth/logout")]
pub async fn logout(
    request: HttpRequest,
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let actor = actor(&request, state.audience, &caller.0.subject);
    app::identity::sessions::logout(
        &state.context,
        &caller.0.subject,
        &caller.0.session_id,
        actor,
    )
    .await?;
    let mut gone = refresh_cookie(String::new(), OffsetDateTime::UNIX_EPOCH);
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}
