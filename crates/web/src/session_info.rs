//! `GET /v1/auth/session`: the caller's session as this API sees it. Every
//! service has it, so every service's token check is reachable and testable.

use actix_web::{HttpResponse, get, web};

use crate::{AppState, Authenticated};
use api_types::identity::session_info::SessionInfo;

/// The caller's session (requires a valid access token for this API).
#[utoipa::path(get, path = "/v1/auth/session", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = SessionInfo),
        (status = 401, body = crate::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/auth/session")]
pub async fn current_session(state: web::Data<AppState>, caller: Authenticated) -> HttpResponse {
    let claims = &caller.0.claims;
    HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(SessionInfo {
            subject: caller.0.subject.clone(),
            audience: state.audience.as_str().to_owned(),
            session_id: caller.0.session_id.clone(),
            scopes: claims
                .scope
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            expires_at: claims.exp,
        })
}
