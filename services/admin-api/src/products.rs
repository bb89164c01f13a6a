//! Product moderation (`products.moderate`): search, hide, ban, lift a ban.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use api_types::catalog::moderation::{
    ModeratedProduct, ModerationPage, ModerationQuery, ModerationReason,
};
use app::catalog::moderation::{self, Moderation};
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// Products of every vendor, newest first.
#[utoipa::path(get, path = "/v1/products", tag = "products",
    security(("bearer" = ["products.moderate"])),
    params(ModerationQuery),
    responses((status = 200, body = ModerationPage),
        (status = 422, description = "Unknown status", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/products")]
pub async fn search_products(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<ModerationQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let (rows, total) = moderation::search(
        &state.context,
        moderation::Search {
            q: query.q,
            seller_id: query.seller_id,
            status: query.status,
            page,
            size,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ModerationPage {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        page,
        size,
    }))
}

async fn moderate(
    state: &AppState,
    caller: &Staff,
    id: Uuid,
    action: Moderation,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let row = moderation::moderate(&state.context, &caller.0, id, action, reason).await?;
    Ok(HttpResponse::Ok().json(ModeratedProduct::from(row)))
}

/// Hides a product from shoppers; the vendor may list it again.
#[utoipa::path(post, path = "/v1/products/{id}/hide", tag = "products",
    security(("bearer" = ["products.moderate"])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body = ModerationReason,
    responses((status = 200, body = ModeratedProduct),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`product_banned`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`reason` missing", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/products/{id}/hide")]
pub async fn hide_product(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<ModerationReason>,
) -> Result<HttpResponse, ApiError> {
    moderate(
        &state,
        &caller,
        id.into_inner(),
        Moderation::Hide,
        body.into_inner().reason,
    )
    .await
}

/// Bans a product: off the shelves until operations lift the ban.
#[utoipa::path(post, path = "/v1/products/{id}/ban", tag = "products",
    security(("bearer" = ["products.moderate"])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body = ModerationReason,
    responses((status = 200, body = ModeratedProduct),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`reason` missing", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/products/{id}/ban")]
pub async fn ban_product(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<ModerationReason>,
) -> Result<HttpResponse, ApiError> {
    moderate(
        &state,
        &caller,
        id.into_inner(),
        Moderation::Ban,
        body.into_inner().reason,
    )
    .await
}

/// Lifts a ban; the product stays hidden until its vendor lists it again.
#[utoipa::path(post, path = "/v1/products/{id}/unban", tag = "products",
    security(("bearer" = ["products.moderate"])),
    params(("id" = Uuid, Path, description = "Product id")),
    request_body = ModerationReason,
    responses((status = 200, body = ModeratedProduct),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`product_not_banned`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/products/{id}/unban")]
pub async fn unban_product(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
    body: Json<ModerationReason>,
) -> Result<HttpResponse, ApiError> {
    moderate(
        &state,
        &caller,
        id.into_inner(),
        Moderation::Unban,
        body.into_inner().reason,
    )
    .await
}
