//! Checkout: a priced preview, and placing the order under an
//! `Idempotency-Key`.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, post};
use api_types::orders::checkout::{CheckoutBody, CheckoutCreated, Quote, QuoteBody};
use app::orders::checkout::{CheckoutRequest, Delivery, Selection};
use web::{ApiError, AppState, Authenticated};

/// Prices the cart (or some of its lines) with coupons, points and cash,
/// taking nothing.
#[utoipa::path(post, path = "/v1/checkout/quote", tag = "checkout", security(("bearer" = [])),
    request_body = QuoteBody,
    responses((status = 200, body = Quote),
        (status = 403, description = "`members_only` (coupons, points), `adult_verification_required`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`items_unavailable`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`coupon_not_applicable`, `points_insufficient`, `cart_empty`...", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/checkout/quote")]
pub async fn quote(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<QuoteBody>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let selection = body.into_inner().selection();
    let priced =
        app::orders::checkout::quote(&state.context, &buyer, caller.is_adult(), &selection).await?;
    Ok(HttpResponse::Ok().json(Quote::from(priced)))
}

/// Places the order: validates, prices, reserves the stock for the hold
/// time and creates the purchase, vendor and product orders in one
/// transaction. The same `Idempotency-Key` and body answer the first result
/// again; another body under the key is a 422; a retry while the first is
/// still running is a 409.
#[utoipa::path(post, path = "/v1/checkout", tag = "checkout", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = CheckoutBody,
    responses((status = 201, body = CheckoutCreated),
        (status = 400, description = "`idempotency_key_required`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "`members_only`, `adult_verification_required`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`stock_insufficient` (`items`), `prices_changed` (`changes`), `items_unavailable`, `idempotency_key_in_use`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`idempotency_key_reused`, `coupon_not_applicable`, `validation_failed`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_open_orders`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/checkout")]
pub async fn checkout(
    request: HttpRequest,
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<CheckoutBody>,
) -> Result<HttpResponse, ApiError> {
    let key = web::idempotency::key_of(&request)?;
    let buyer = caller.buyer()?;
    let body = body.into_inner();
    let checkout = CheckoutRequest {
        selection: Selection {
            cart_item_ids: body.cart_item_ids,
            seller_coupon_ids: body.seller_coupon_ids,
            platform_coupon_id: body.platform_coupon_id,
            points: body.points.unwrap_or_default(),
            cash: body.cash.unwrap_or_default(),
            postal_code: None,
        },
        delivery: Delivery {
            orderer_name: body.orderer.name,
            orderer_phone: body.orderer.phone,
            orderer_email: body.orderer.email,
            recipient_name: body.shipping.recipient_name,
            recipient_phone: body.shipping.recipient_phone,
            postal_code: body.shipping.postal_code,
            address_line1: body.shipping.address_line1,
            address_line2: body.shipping.address_line2,
        },
    };
    let created =
        app::orders::checkout::checkout(&state.context, &buyer, caller.is_adult(), &key, checkout)
            .await?;
    Ok(HttpResponse::Created().json(CheckoutCreated::from(created)))
}
