//! Paying an order at TossPayments, KakaoPay or PayPal, and reading an attempt.

use actix_web::web::{Data, Json, Path};
use actix_web::{HttpResponse, get, post};
use api_types::payments::flows::{
    KakaoPayApprove, KakaoPayReady, PayOrder, PayPalOrder, TossConfirm,
};
use api_types::payments::views::Payment;
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

/// A settled attempt answers 200; one still being settled with the provider
/// (`in_doubt`, `awaiting_deposit`) 202, to be read again.
fn answer(payment: app::payments::PaymentRow) -> HttpResponse {
    let mut response = if payment.status == "succeeded" {
        HttpResponse::Ok()
    } else {
        HttpResponse::Accepted()
    };
    response
        .insert_header(("cache-control", "no-store"))
        .json(Payment::from(payment))
}

/// Confirms a TossPayments payment. The amount must be the order's
/// (checked before Toss is called); confirming the same paymentKey again
/// charges nothing more and answers the same attempt.
#[utoipa::path(post, path = "/v1/payments/toss/confirm", tag = "payments", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = TossConfirm,
    responses((status = 200, description = "paid", body = Payment),
        (status = 202, description = "`in_doubt` (settled by reconciliation) or `awaiting_deposit`", body = Payment),
        (status = 402, description = "`payment_declined` with the provider's `provider_code`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_already_paid`, `order_expired`, `order_not_payable`, `payment_in_progress`, `payment_cancelled`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`amount_mismatch` (field `amount`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/payments/toss/confirm")]
pub async fn toss_confirm(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<TossConfirm>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let body = body.into_inner();
    let payment = app::payments::toss::confirm(
        &state.context,
        &buyer,
        &app::payments::toss::Confirmation {
            payment_key: body.payment_key,
            order_id: body.order_id,
            amount: body.amount,
        },
    )
    .await?;
    Ok(answer(payment))
}

/// Registers a KakaoPay payment for an unpaid order; the shopper approves
/// it at the answered URL and comes back with a `pg_token`.
#[utoipa::path(post, path = "/v1/payments/kakaopay/ready", tag = "payments", security(("bearer" = [])),
    request_body = PayOrder,
    responses((status = 201, body = KakaoPayReady),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_already_paid`, `order_expired`, `order_not_payable`, `payment_in_progress`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/payments/kakaopay/ready")]
pub async fn kakaopay_ready(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<PayOrder>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let ready =
        app::payments::kakaopay::ready(&state.context, &buyer, body.purchase_order_id).await?;
    Ok(HttpResponse::Created().json(KakaoPayReady {
        payment: ready.payment.into(),
        redirect_pc_url: ready.redirect_pc_url,
        redirect_mobile_url: ready.redirect_mobile_url,
        redirect_app_url: ready.redirect_app_url,
    }))
}

/// Charges a KakaoPay payment the shopper approved.
#[utoipa::path(post, path = "/v1/payments/kakaopay/approve", tag = "payments", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = KakaoPayApprove,
    responses((status = 200, description = "paid", body = Payment),
        (status = 202, description = "`in_doubt`", body = Payment),
        (status = 402, description = "`payment_declined`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_expired`, `payment_cancelled`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/payments/kakaopay/approve")]
pub async fn kakaopay_approve(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<KakaoPayApprove>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let payment =
        app::payments::kakaopay::approve(&state.context, &buyer, body.payment_id, &body.pg_token)
            .await?;
    Ok(answer(payment))
}

/// Creates a PayPal order for an unpaid order.
#[utoipa::path(post, path = "/v1/payments/paypal/orders", tag = "payments", security(("bearer" = [])),
    request_body = PayOrder,
    responses((status = 201, body = PayPalOrder),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_already_paid`, `order_expired`, `order_not_payable`, `payment_in_progress`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/payments/paypal/orders")]
pub async fn paypal_create(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<PayOrder>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let created =
        app::payments::paypal::create(&state.context, &buyer, body.purchase_order_id).await?;
    Ok(HttpResponse::Created().json(PayPalOrder {
        payment: created.payment.into(),
        paypal_order_id: created.paypal_order_id,
        approve_url: created.approve_url,
    }))
}

/// Captures a PayPal order the buyer approved.
#[utoipa::path(post, path = "/v1/payments/paypal/orders/{id}/capture", tag = "payments", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader,
        ("id" = String, Path, description = "PayPal order id")),
    responses((status = 200, description = "paid", body = Payment),
        (status = 202, description = "`in_doubt`", body = Payment),
        (status = 402, description = "`payment_declined`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`order_expired`, `payment_cancelled`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/payments/paypal/orders/{id}/capture")]
pub async fn paypal_capture(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let payment = app::payments::paypal::capture(&state.context, &buyer, &id).await?;
    Ok(answer(payment))
}

/// One of the caller's payment attempts (to follow one being settled).
#[utoipa::path(get, path = "/v1/payments/{id}", tag = "payments", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Payment id")),
    responses((status = 200, body = Payment),
        (status = 404, body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/payments/{id}")]
pub async fn own_payment(
    state: Data<AppState>,
    caller: Authenticated,
    id: Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let payment = app::payments::own(&state.context, &buyer, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(Payment::from(payment)))
}
