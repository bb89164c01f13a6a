//! The shopper's orders, the test payment, and guests' order lookup.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use api_types::orders::purchase_orders::{GuestOrderLookup, PageQuery, TestConfirm};
use api_types::orders::purchase_orders::{PurchaseOrder, PurchaseOrderPage};
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

/// The caller's purchase orders, newest first, with all three tiers.
#[utoipa::path(get, path = "/v1/orders", tag = "orders", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PurchaseOrderPage)))]
#[get("/v1/orders")]
pub async fn list_orders(
    state: Data<AppState>,
    caller: Authenticated,
    query: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let page = query.page.unwrap_or(1).max(1);
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let (orders, total) =
        app::orders::purchase_orders::list_own(&state.context, &buyer, size, (page - 1) * size)
            .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(PurchaseOrderPage {
            items: orders
                .into_iter()
                .map(|o| PurchaseOrder::of(o, true))
                .collect(),
            total,
            page,
            size,
        }))
}

/// One of the caller's orders: purchase, vendor orders, product orders.
#[utoipa::path(get, path = "/v1/orders/{id}", tag = "orders", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Purchase order id")),
    responses((status = 200, body = PurchaseOrder),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/orders/{id}")]
pub async fn own_order(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let detail = app::orders::purchase_orders::own(&state.context, &buyer, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(PurchaseOrder::of(detail, true)))
}

/// Cancels an unpaid order: its stock, coupons and points are given back.
#[utoipa::path(post, path = "/v1/orders/{id}/cancel", tag = "orders", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader,
        ("id" = Uuid, Path, description = "Purchase order id")),
    responses((status = 200, body = PurchaseOrder),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_not_cancellable`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/orders/{id}/cancel")]
pub async fn cancel_order(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let detail =
        app::orders::purchase_orders::cancel_unpaid(&state.context, &buyer, id.into_inner())
            .await?;
    Ok(HttpResponse::Ok().json(PurchaseOrder::of(detail, true)))
}

/// Pays an order with the demo method (refused in production): stock is
/// committed, coupons used, the outbox written. Confirming again answers
/// the same.
#[utoipa::path(post, path = "/v1/payments/test/confirm", tag = "payments", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = TestConfirm,
    responses((status = 200, body = PurchaseOrder),
        (status = 403, description = "`payment_method_disabled`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_expired`, `order_not_payable`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/payments/test/confirm")]
pub async fn confirm_test_payment(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<TestConfirm>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let detail =
        app::orders::test_payment::confirm(&state.context, &buyer, body.purchase_order_id).await?;
    Ok(HttpResponse::Ok().json(PurchaseOrder::of(detail, true)))
}

/// A guest's order, by its number and the orderer's phone (limited per IP).
/// A POST so that the phone travels in the body, out of access logs.
#[utoipa::path(post, path = "/v1/guest-orders/lookup", tag = "orders",
    request_body = GuestOrderLookup,
    responses((status = 200, body = PurchaseOrder),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/guest-orders/lookup")]
pub async fn guest_order(
    request: HttpRequest,
    state: Data<AppState>,
    body: Json<GuestOrderLookup>,
) -> Result<HttpResponse, ApiError> {
    let ip = web::tokens::peer_ip(&request);
    let detail =
        app::orders::purchase_orders::guest_order(&state.context, &ip, &body.order_no, &body.phone)
            .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(PurchaseOrder::of(detail, true)))
}
