//! The cart of a member or a guest.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, delete, get, patch, post};
use api_types::orders::cart::{AddItem, Cart, SetQuantity};
use app::orders::cart::CartView;
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

fn cart_response(view: CartView) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(Cart::from(view))
}

/// The caller's cart, grouped by vendor, at current prices.
#[utoipa::path(get, path = "/v1/cart", tag = "cart", security(("bearer" = [])),
    responses((status = 200, body = Cart),
        (status = 401, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/cart")]
pub async fn cart(state: Data<AppState>, caller: Authenticated) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    Ok(cart_response(
        app::orders::cart::view(&state.context, &buyer).await?,
    ))
}

/// Adds a SKU (to its line if already there). Refused beyond the stock
/// (`stock_insufficient`) or the product's limit per order.
#[utoipa::path(post, path = "/v1/cart/items", tag = "cart", security(("bearer" = [])),
    request_body = AddItem,
    responses((status = 200, body = Cart),
        (status = 404, description = "No such SKU on sale", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`stock_insufficient`, `cart_full`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/cart/items")]
pub async fn add_item(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<AddItem>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let view = app::orders::cart::add(
        &state.context,
        &buyer,
        caller.is_adult(),
        body.sku_id,
        body.quantity,
    )
    .await?;
    Ok(cart_response(view))
}

/// Sets a line's quantity.
#[utoipa::path(patch, path = "/v1/cart/items/{id}", tag = "cart", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cart line id")),
    request_body = SetQuantity,
    responses((status = 200, body = Cart),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`stock_insufficient`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[patch("/v1/cart/items/{id}")]
pub async fn set_quantity(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
    body: Json<SetQuantity>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let view = app::orders::cart::set_quantity(
        &state.context,
        &buyer,
        caller.is_adult(),
        id.into_inner(),
        body.quantity,
    )
    .await?;
    Ok(cart_response(view))
}

/// Removes a line.
#[utoipa::path(delete, path = "/v1/cart/items/{id}", tag = "cart", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Cart line id")),
    responses((status = 200, body = Cart),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[delete("/v1/cart/items/{id}")]
pub async fn remove_item(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    Ok(cart_response(
        app::orders::cart::remove(&state.context, &buyer, id.into_inner()).await?,
    ))
}
