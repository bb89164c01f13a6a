//! The caller's own account and sessions.

use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, delete, get};
use serde::Serialize;
use utoipa::ToSchema;
use web::{ApiError, AppState, Authenticated};

#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub user_id: String,
    /// `null` if the stored value cannot be decrypted.
    pub email: Option<String>,
    pub name: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    #[schema(example = "active")]
    pub status: String,
}

/// The caller's profile.
#[utoipa::path(get, path = "/v1/me", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = MeResponse),
        (status = 401, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/me")]
pub async fn me(state: Data<AppState>, caller: Authenticated) -> Result<HttpResponse, ApiError> {
    let profile = app::accounts::profile(&state.context, &caller.0.subject).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(MeResponse {
            user_id: profile.user_id.to_string(),
            email: profile.email,
            name: profile.name,
            phone: profile.phone,
            status: profile.status,
        }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub id: String,
    pub current: bool,
    pub ip: String,
    pub user_agent: String,
    pub created_at: String,
    pub last_seen_at: String,
}

/// The caller's live sessions (devices), oldest first.
#[utoipa::path(get, path = "/v1/me/sessions", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Vec<SessionResponse>)))]
#[get("/v1/me/sessions")]
pub async fn sessions(
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let sessions = app::sessions::list_sessions(&state.context, &caller.0.subject).await?;
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
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    app::sessions::revoke_own_session(&state.context, &caller.0.subject, &id).await?;
    Ok(HttpResponse::NoContent().finish())
}
