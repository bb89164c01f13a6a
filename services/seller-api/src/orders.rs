//! The vendor's own orders: its vendor orders and their product orders
//! (another vendor's are never found).

use actix_web::web::{Data, Path, Query};
use actix_web::{HttpResponse, get};
use api_types::orders::purchase_orders::SellerOrder;
use api_types::orders::purchase_orders::{SellerOrderPage, SellerOrderQuery};
use uuid::Uuid;
use web::{ApiError, AppState, Staff};

/// The vendor's orders, newest first.
#[utoipa::path(get, path = "/v1/orders", tag = "orders",
    security(("bearer" = ["seller.orders.manage"])),
    params(SellerOrderQuery),
    responses((status = 200, body = SellerOrderPage)))]
#[get("/v1/orders")]
pub async fn list_orders(
    state: Data<AppState>,
    caller: Staff,
    query: Query<SellerOrderQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let (rows, total) = app::orders::purchase_orders::list_for_seller(
        &state.context,
        &caller.0,
        query.status.as_deref(),
        size,
        (page - 1) * size,
    )
    .await?;
    Ok(HttpResponse::Ok().json(SellerOrderPage {
        items: rows
            .into_iter()
            .map(|(order, lines)| SellerOrder::of(order, lines))
            .collect(),
        total,
        page,
        size,
    }))
}

/// One of the vendor's orders with its product orders.
#[utoipa::path(get, path = "/v1/orders/{id}", tag = "orders",
    security(("bearer" = ["seller.orders.manage"])),
    params(("id" = Uuid, Path, description = "Vendor order id")),
    responses((status = 200, body = SellerOrder),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/orders/{id}")]
pub async fn seller_order(
    state: Data<AppState>,
    caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (order, lines) =
        app::orders::purchase_orders::for_seller(&state.context, &caller.0, id.into_inner())
            .await?;
    Ok(HttpResponse::Ok().json(SellerOrder::of(order, lines)))
}
