//! The caller's own account and sessions.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch};
use api_types::identity::me::{DeleteAccount, MeResponse, ProfileUpdate, SessionResponse};
use web::{ApiError, AppState, Authenticated};

/// The scope of a shopper's token (guests do not have it).
const SHOPPER: &str = "shopper";

/// The caller's profile.
#[utoipa::path(get, path = "/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = MeResponse),
        (status = 401, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/me")]
pub async fn me(state: Data<AppState>, caller: Authenticated) -> Result<HttpResponse, ApiError> {
    caller.require_scope(SHOPPER)?;
    let profile = app::identity::accounts::profile(&state.context, &caller.0.subject).await?;
    Ok(profile_response(HttpResponse::Ok(), profile))
}

fn profile_response(
    mut builder: actix_web::HttpResponseBuilder,
    profile: app::identity::accounts::Profile,
) -> HttpResponse {
    builder
        .insert_header(("cache-control", "no-store"))
        .insert_header(web::conditional::etag_header(profile.version))
        .json(MeResponse {
            user_id: profile.user_id.to_string(),
            email: profile.email,
            name: profile.name,
            phone: profile.phone,
            status: profile.status,
        })
}

/// Edits the caller's profile. Send the `ETag` of `GET /v1/me` in `If-Match`;
/// a concurrent change answers 412.
#[utoipa::path(patch, path = "/v1/me", tag = "me", request_body = ProfileUpdate, security(("bearer" = [])),
    params(("If-Match" = String, Header, description = "The ETag of GET /v1/me")),
    responses((status = 200, body = MeResponse, headers(("ETag" = String, description = "The new version"))),
        (status = 412, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 428, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[patch("/v1/me")]
pub async fn update_me(
    request: HttpRequest,
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<ProfileUpdate>,
) -> Result<HttpResponse, ApiError> {
    caller.require_scope(SHOPPER)?;
    let version = web::conditional::required_if_match(&request, "GET /v1/me")?;
    let body = body.into_inner();
    let edit = app::identity::profile::ProfileEdit {
        name: body.name,
        phone: body.phone,
    };
    let profile =
        app::identity::profile::edit(&state.context, &caller.0.subject, version, edit).await?;
    Ok(profile_response(HttpResponse::Ok(), profile))
}

/// Deletes the caller's account: personal data is scrubbed, every session
/// ends; order records are kept.
#[utoipa::path(delete, path = "/v1/me", tag = "me", request_body = DeleteAccount, security(("bearer" = [])),
    responses((status = 204, description = "Deleted"),
        (status = 422, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[delete("/v1/me")]
pub async fn delete_me(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<DeleteAccount>,
) -> Result<HttpResponse, ApiError> {
    caller.require_scope(SHOPPER)?;
    app::identity::profile::delete(&state.context, &caller.0.subject, &body.password).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's live sessions (devices), oldest first.
#[utoipa::path(get, path = "/v1/me/sessions", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Vec<SessionResponse>)))]
#[get("/v1/me/sessions")]
pub async fn sessions(
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    caller.require_scope(SHOPPER)?;
    let sessions =
        app::identity::sessions::list_sessions(&state.context, &caller.0.subject).await?;
    let body: Vec<SessionResponse> = sessions
        .into_iter()
        .map(|s| SessionResponse {
            current: s.id == caller.0.session_id,
            id: s.id,
            ip: s.ip,
            user_agent: s.user_agent,
            created_at: s.created_at.to_rfc3339(),
            last_seen_at: s.last_seen_at.to_rfc3339(),
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(body))
}

/// Ends one of the caller's sessions (another device, or this one).
#[utoipa::path(delete, path = "/v1/me/sessions/{id}", tag = "me", security(("bearer" = [])),
    params(("id" = String, Path, description = "Session id")),
    responses((status = 204, description = "Ended"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[delete("/v1/me/sessions/{id}")]
pub async fn revoke_session(
    request: HttpRequest,
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_scope(SHOPPER)?;
    let actor = web::tokens::actor(&request, state.audience, &caller.0.subject);
    app::identity::sessions::revoke_own_session(&state.context, &caller.0.subject, &id, &actor)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
