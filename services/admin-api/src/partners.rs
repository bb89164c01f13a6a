//! Partner platforms: creation, key rotation and revocation. Credentials
//! are shown once, in the answer that creates them.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, delete, get, post};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

#[derive(Debug, Serialize, ToSchema)]
pub struct KeyView {
    pub id: Uuid,
    /// The visible part of the API key (`mkp_<prefix>_…`).
    #[schema(example = "q2kzd7mbx4ra")]
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerView {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    #[schema(example = json!(["catalog.read"]))]
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: i32,
    pub keys: Vec<KeyView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerList {
    pub items: Vec<PartnerView>,
}

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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPartnerRequest {
    #[schema(example = "Lookbook Korea")]
    pub name: String,
    #[schema(example = json!(["catalog.read"]))]
    pub scopes: Vec<String>,
    #[schema(example = 600, minimum = 1, maximum = 100000)]
    pub rate_limit_per_minute: i32,
}

/// Credentials, shown only in this answer: store them now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialsView {
    pub partner_id: Uuid,
    pub key_id: Uuid,
    /// Send in `X-Api-Key`.
    pub api_key: String,
    /// Signs every request (`X-Signature`); never sent.
    pub signing_secret: String,
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
