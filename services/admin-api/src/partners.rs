//! Partner platforms: creation, key rotation and revocation. Credentials
//! are shown once, in the answer that creates them.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, delete, get, post};
use api_types::partners::management::{
    CredentialsView, KeyView, NewPartnerRequest, PartnerList, PartnerView,
};
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

#[utoipa::path(get, path = "/v1/partners", tag = "partners",
    security(("bearer" = ["partners.read"])),
    responses((status = 200, body = PartnerList)))]
#[get("/v1/partners")]
pub async fn list_partners(
    state: Data<AppState>,
    _caller: Staff,
) -> Result<HttpResponse, ApiError> {
    let partners = app::partners::registry::list(&state.context).await?;
    let items = partners
        .into_iter()
        .map(|partner| PartnerView {
            id: partner.id,
            name: partner.name,
            status: partner.status,
            scopes: partner.scopes,
            rate_limit_per_minute: partner.rate_limit_per_minute,
            keys: partner
                .keys
                .into_iter()
                .map(|key| KeyView {
                    id: key.id,
                    prefix: key.prefix,
                    created_at: key.created_at,
                    revoked_at: key.revoked_at,
                })
                .collect(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(PartnerList { items }))
}

fn credentials(
    partner_id: Uuid,
    credentials: app::partners::registry::Credentials,
) -> HttpResponse {
    HttpResponse::Created()
        .insert_header(("cache-control", "no-store"))
        .json(CredentialsView {
            partner_id,
            key_id: credentials.key_id,
            api_key: credentials.api_key,
            signing_secret: credentials.signing_secret,
        })
}

#[utoipa::path(post, path = "/v1/partners", tag = "partners",
    security(("bearer" = ["partners.manage"])),
    request_body = NewPartnerRequest,
    responses((status = 201, body = CredentialsView),
        (status = 409, description = "`partner_name_taken`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`unknown_scope`...", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/partners")]
pub async fn create_partner(
    state: Data<AppState>,
    caller: Staff,
    body: Json<NewPartnerRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let (id, created) = app::partners::registry::create(
        &state.context,
        &caller.0,
        app::partners::registry::NewPartner {
            name: body.name,
            scopes: body.scopes,
            rate_limit_per_minute: body.rate_limit_per_minute,
        },
    )
    .await?;
    Ok(credentials(id, created))
}

/// New credentials for a partner (rotation); the old key works until revoked.
#[utoipa::path(post, path = "/v1/partners/{id}/keys", tag = "partners",
    security(("bearer" = ["partners.manage"])),
    params(("id" = Uuid, Path, description = "Partner id")),
    responses((status = 201, body = CredentialsView),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/partners/{id}/keys")]
pub async fn issue_key(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let created = app::partners::registry::issue_key(&state.context, &caller.0, id).await?;
    Ok(credentials(id, created))
}

/// Revokes a key at once: requests it signs are refused from now on.
#[utoipa::path(delete, path = "/v1/partners/{id}/keys/{key_id}", tag = "partners",
    security(("bearer" = ["partners.manage"])),
    params(("id" = Uuid, Path, description = "Partner id"), ("key_id" = Uuid, Path, description = "Key id")),
    responses((status = 204, description = "Revoked"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[delete("/v1/partners/{id}/keys/{key_id}")]
pub async fn revoke_key(
    state: Data<AppState>,
    caller: Staff,
    path: Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, key_id) = path.into_inner();
    app::partners::registry::revoke_key(&state.context, &caller.0, id, key_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
