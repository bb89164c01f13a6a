//! Platform coupons, points grants, and every order.

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use api_types::orders::operations::{Grant, Granted, OrderQuery};
use api_types::orders::purchase_orders::{PurchaseOrder, PurchaseOrderPage};
use api_types::payments::views::{Payment, PaymentWithSteps};
use app::kernel::lots::{Ledger, grant};
use app::orders::purchase_orders::OrderSearch;
use uuid::Uuid;
use web::idempotency::HeldKey;
use web::{ApiError, AppState, Staff};

web::coupon_routes!(
    permission = "coupons.manage",
    define = "Defines a platform coupon (platform-funded, or split with vendors).",
    list = "Platform coupons, newest first.",
);

/// Grants points to a shopper (audited).
#[utoipa::path(post, path = "/v1/users/{id}/point-grants", tag = "users",
    security(("bearer" = ["points.grant"])),
    params(web::idempotency::IdempotencyKeyHeader,
        ("id" = Uuid, Path, description = "Shopper id")),
    request_body = Grant,
    responses((status = 201, body = Granted),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/users/{id}/point-grants")]
pub async fn grant_points(
    state: Data<AppState>,
    caller: Staff,
    key: HeldKey,
    id: Path<Uuid>,
    body: Json<Grant>,
) -> Result<HttpResponse, ApiError> {
    let lot_id = grant(
        &state.context,
        &caller.0,
        Ledger::Points,
        *id,
        body.grant(),
        &key.0,
        Granted::answer,
    )
    .await?;
    Ok(HttpResponse::Created().json(Granted { lot_id }))
}

/// Grants bonus (event) cash to a shopper: expiring and not refundable (audited).
#[utoipa::path(post, path = "/v1/users/{id}/cash-grants", tag = "users",
    security(("bearer" = ["cash.grant"])),
    params(web::idempotency::IdempotencyKeyHeader,
        ("id" = Uuid, Path, description = "Shopper id")),
    request_body = Grant,
    responses((status = 201, body = Granted),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/users/{id}/cash-grants")]
pub async fn grant_cash(
    state: Data<AppState>,
    caller: Staff,
    key: HeldKey,
    id: Path<Uuid>,
    body: Json<Grant>,
) -> Result<HttpResponse, ApiError> {
    let lot_id = grant(
        &state.context,
        &caller.0,
        Ledger::Cash,
        *id,
        body.grant(),
        &key.0,
        Granted::answer,
    )
    .await?;
    Ok(HttpResponse::Created().json(Granted { lot_id }))
}

/// Every order matching the filter, newest first (no personal data).
#[utoipa::path(get, path = "/v1/orders", tag = "orders",
    security(("bearer" = ["orders.read"])),
    params(OrderQuery),
    responses((status = 200, body = PurchaseOrderPage)))]
#[get("/v1/orders")]
pub async fn search_orders(
    state: Data<AppState>,
    _caller: Staff,
    query: Query<OrderQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = query.page.unwrap_or(1).max(1);
    let size = query.size.unwrap_or(20).clamp(1, 100);
    let filter = OrderSearch {
        order_no: query.order_no,
        status: query.status,
        user_id: query.user_id,
        from: query.from,
        until: query.until,
        buyer: None,
    };
    let (orders, total) =
        app::orders::purchase_orders::search(&state.context, &filter, size, (page - 1) * size)
            .await?;
    Ok(HttpResponse::Ok().json(PurchaseOrderPage {
        items: orders
            .into_iter()
            .map(|o| PurchaseOrder::of(o, false))
            .collect(),
        total,
        page,
        size,
    }))
}

/// Any order with all three tiers (no personal data).
#[utoipa::path(get, path = "/v1/orders/{id}", tag = "orders",
    security(("bearer" = ["orders.read"])),
    params(("id" = Uuid, Path, description = "Purchase order id")),
    responses((status = 200, body = PurchaseOrder),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/orders/{id}")]
pub async fn any_order(
    state: Data<AppState>,
    _caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let detail = app::orders::purchase_orders::any(&state.context, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(PurchaseOrder::of(detail, false)))
}

/// An order's payment attempts, newest first.
#[utoipa::path(get, path = "/v1/orders/{id}/payments", tag = "orders",
    security(("bearer" = ["orders.read"])),
    params(("id" = Uuid, Path, description = "Purchase order id")),
    responses((status = 200, body = Vec<Payment>)))]
#[get("/v1/orders/{id}/payments")]
pub async fn order_payments(
    state: Data<AppState>,
    _caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let payments = app::payments::of_order(&state.context, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(payments.into_iter().map(Payment::from).collect::<Vec<_>>()))
}

/// A payment attempt with every step and the provider's (masked) answers.
#[utoipa::path(get, path = "/v1/payments/{id}", tag = "orders",
    security(("bearer" = ["orders.read"])),
    params(("id" = Uuid, Path, description = "Payment id")),
    responses((status = 200, body = PaymentWithSteps),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/payments/{id}")]
pub async fn any_payment(
    state: Data<AppState>,
    _caller: Staff,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let detail = app::payments::any(&state.context, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(PaymentWithSteps::from(detail)))
}
