//! The cart of a member or a guest.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, delete, get, patch, post};
use app::catalog::browse::in_minor_units as won;
use app::orders::cart::CartView;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

#[derive(Debug, Serialize, ToSchema)]
pub struct CartLine {
    pub id: Uuid,
    pub sku_id: Uuid,
    pub product_id: Uuid,
    pub product_name: String,
    pub option_values: Vec<String>,
    pub quantity: i32,
    #[schema(value_type = String, example = "59000")]
    pub unit_list_price: Decimal,
    /// The unit price now (sale prices included).
    #[schema(value_type = String, example = "49000")]
    pub unit_price: Decimal,
    /// `true` when the price differs from when the line was added.
    pub price_changed: bool,
    /// `in_stock`, `low_stock` or `sold_out`.
    #[schema(example = "in_stock")]
    pub stock_state: String,
    /// On sale, with enough stock for the quantity.
    pub purchasable: bool,
    #[schema(value_type = String, example = "98000")]
    pub line_amount: Decimal,
}

/// One vendor's lines: they ship together, for one shipping fee.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerGroup {
    pub seller_id: Uuid,
    pub seller_name: String,
    pub lines: Vec<CartLine>,
    #[schema(value_type = String)]
    pub items_amount: Decimal,
    /// To a mainland address; remote areas add the vendor's surcharge.
    #[schema(value_type = String, example = "3000")]
    pub shipping_fee: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cart {
    pub groups: Vec<SellerGroup>,
    #[schema(value_type = String)]
    pub items_amount: Decimal,
    #[schema(value_type = String)]
    pub shipping_fee: Decimal,
    /// Before coupons and points (see `POST /v1/checkout/quote`).
    #[schema(value_type = String)]
    pub total: Decimal,
}

impl From<CartView> for Cart {
    fn from(view: CartView) -> Self {
        Self {
            groups: view
                .groups
                .into_iter()
                .map(|g| SellerGroup {
                    seller_id: g.seller_id,
                    seller_name: g.seller_name,
                    lines: g
                        .lines
                        .into_iter()
                        .map(|l| CartLine {
                            id: l.id,
                            sku_id: l.sku_id,
                            product_id: l.product_id,
                            product_name: l.product_name,
                            option_values: l.option_values,
                            quantity: l.quantity,
                            unit_list_price: won(l.unit_list_price),
                            price_changed: l.unit_price != l.price_seen,
                            unit_price: won(l.unit_price),
                            stock_state: l.stock_state.as_str().to_owned(),
                            purchasable: l.purchasable,
                            line_amount: won(l.line_amount),
                        })
                        .collect(),
                    items_amount: won(g.items_amount),
                    shipping_fee: won(g.shipping_fee),
                })
                .collect(),
            items_amount: won(view.items_amount),
            shipping_fee: won(view.shipping_fee),
            total: won(view.total),
        }
    }
}

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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddItem {
    pub sku_id: Uuid,
    #[schema(minimum = 1, maximum = 999, example = 1)]
    pub quantity: i32,
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetQuantity {
    #[schema(minimum = 1, maximum = 999, example = 2)]
    pub quantity: i32,
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
