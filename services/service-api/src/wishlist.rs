//! The shopper's wishlist and restock alerts.

use actix_web::web::{Data, Path};
use actix_web::{HttpResponse, delete, get, post, put};
use api_types::catalog::wishlist::Wishlist;
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

/// The caller's liked products.
#[utoipa::path(get, path = "/v1/me/wishlist", tag = "wishlist", security(("bearer" = [])),
    responses((status = 200, body = Wishlist),
        (status = 401, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/me/wishlist")]
pub async fn wishlist(
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    let items = app::catalog::wishlist::list(&state.context, user_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(Wishlist {
            items: items.into_iter().map(Into::into).collect(),
        }))
}

/// Likes a product (201 the first time, 204 when it already was).
#[utoipa::path(put, path = "/v1/me/wishlist/{product_id}", tag = "wishlist", security(("bearer" = [])),
    params(("product_id" = Uuid, Path, description = "Product id")),
    responses((status = 201, description = "Added"), (status = 204, description = "Already there"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[put("/v1/me/wishlist/{product_id}")]
pub async fn like_product(
    state: Data<AppState>,
    caller: Authenticated,
    product_id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    let added =
        app::catalog::wishlist::add(&state.context, user_id, product_id.into_inner()).await?;
    Ok(if added {
        HttpResponse::Created().finish()
    } else {
        HttpResponse::NoContent().finish()
    })
}

/// Removes a like (204 whether or not it was there).
#[utoipa::path(delete, path = "/v1/me/wishlist/{product_id}", tag = "wishlist", security(("bearer" = [])),
    params(("product_id" = Uuid, Path, description = "Product id")),
    responses((status = 204, description = "Not liked")))]
#[delete("/v1/me/wishlist/{product_id}")]
pub async fn unlike_product(
    state: Data<AppState>,
    caller: Authenticated,
    product_id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    app::catalog::wishlist::remove(&state.context, user_id, product_id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Asks to be emailed when a sold-out SKU is back (once per restock).
#[utoipa::path(post, path = "/v1/skus/{id}/restock-alerts", tag = "wishlist", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "SKU id")),
    responses((status = 204, description = "Subscribed"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`in_stock`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/skus/{id}/restock-alerts")]
pub async fn subscribe_restock(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.member_id()?;
    app::catalog::restock_alerts::subscribe(&state.context, user_id, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
