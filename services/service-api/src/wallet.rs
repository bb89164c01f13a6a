//! The shopper's cash wallet: balance, charges through the Toss widget,
//! refunds of unused charged cash, and in-app purchases.

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, get, post};
use api_types::wallet::cash::{
    ApplePurchase, ChargeRequest, ChargeStarted, GooglePurchase, InAppCredited, Refund, RefundList,
    RefundRequest, Refunded, Wallet,
};
use app::catalog::browse::in_minor_units as won;
use web::{ApiError, AppState, Authenticated};

/// The caller's cash: charged and bonus balances, lots and ledger.
#[utoipa::path(get, path = "/v1/me/wallet", tag = "wallet", security(("bearer" = [])),
    responses((status = 200, body = Wallet),
        (status = 403, description = "`members_only`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/me/wallet")]
pub async fn my_wallet(
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let view = app::wallet::cash::view(&state.context, &buyer).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(Wallet::from(view)))
}

/// Starts a charge of cash, paid through the Toss widget; the confirmed
/// payment credits the cash.
#[utoipa::path(post, path = "/v1/wallet/charges", tag = "wallet", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = ChargeRequest,
    responses((status = 201, body = ChargeStarted),
        (status = 403, description = "`members_only`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`out_of_range`, `invalid_amount`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/wallet/charges")]
pub async fn start_charge(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<ChargeRequest>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let started = app::wallet::cash::start_charge(&state.context, &buyer, body.amount).await?;
    Ok(HttpResponse::Created().json(ChargeStarted {
        charge_id: started.charge_id,
        order_id: started.order_id,
        amount: won(started.amount),
        order_name: started.order_name,
        toss_client_key: started.toss_client_key,
    }))
}

/// Refunds unused charged cash to the payments it was charged with, newest
/// charge first (bonus cash is not refundable). The cash leaves the wallet
/// when the refund is recorded; a payment whose provider refuses gets its
/// cash back in the wallet, and one whose provider does not answer stays
/// `pending` (202) until reconciliation learns the outcome.
#[utoipa::path(post, path = "/v1/wallet/refunds", tag = "wallet", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = RefundRequest,
    responses((status = 200, body = Refunded, description = "Every payment answered: `refunded` or `partially_refunded`"),
        (status = 202, body = Refunded, description = "`pending`: a provider's answer is not known yet"),
        (status = 403, description = "`members_only`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`refund_refused`: the provider refused every payment; the cash is back in the wallet", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`not_refundable` (field `amount`); `required` (field `refund_account`: part of the cash was paid by bank transfer); `invalid_format`, `invalid_length` (fields `refund_account.*`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/wallet/refunds")]
pub async fn refund(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<RefundRequest>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let body = body.into_inner();
    let input = app::wallet::refunds::RefundInput {
        amount: body.amount,
        refund_account: body.refund_account.map(Into::into),
    };
    let refund = app::wallet::refunds::refund(&state.context, &buyer, input).await?;
    let pending = refund.state == app::wallet::refunds::RefundState::Pending;
    let view = app::wallet::cash::view(&state.context, &buyer).await?;
    let body = Refunded {
        refunded: won(refund.refunded),
        refund: refund.into(),
        wallet: view.into(),
    };
    Ok(if pending {
        HttpResponse::Accepted().json(body)
    } else {
        HttpResponse::Ok().json(body)
    })
}

/// The caller's refunds of cash, newest first.
#[utoipa::path(get, path = "/v1/wallet/refunds", tag = "wallet", security(("bearer" = [])),
    responses((status = 200, body = RefundList),
        (status = 403, description = "`members_only`", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[get("/v1/wallet/refunds")]
pub async fn refunds(
    state: Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let items = app::wallet::refunds::list(&state.context, &buyer).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json(RefundList {
            items: items.into_iter().map(Refund::from).collect(),
        }))
}

async fn credited(
    state: &AppState,
    buyer: &app::kernel::principals::Buyer,
    credited: app::wallet::in_app::Credited,
) -> Result<HttpResponse, ApiError> {
    let view = app::wallet::cash::view(&state.context, buyer).await?;
    Ok(HttpResponse::Created().json(InAppCredited {
        cash: won(credited.cash),
        store_transaction_id: credited.store_transaction_id,
        wallet: view.into(),
    }))
}

/// Credits cash bought in the iOS app: the signed transaction is verified
/// on our side (Apple's certificate chain, pinned root, signature); each
/// transaction credits once.
#[utoipa::path(post, path = "/v1/wallet/iap/apple", tag = "wallet", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = ApplePurchase,
    responses((status = 201, body = InAppCredited),
        (status = 403, description = "`members_only`, `not_your_purchase`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`receipt_already_used`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_receipt`, `wrong_app`, `wrong_environment`, `not_creditable`, `unknown_product` (field `signed_transaction`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/wallet/iap/apple")]
pub async fn apple_purchase(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<ApplePurchase>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let result =
        app::wallet::in_app::apple(&state.context, &buyer, &body.signed_transaction).await?;
    credited(&state, &buyer, result).await
}

/// Credits cash bought in the Android app: the purchase is read from
/// Google Play, credited once per order, then consumed.
#[utoipa::path(post, path = "/v1/wallet/iap/google", tag = "wallet", security(("bearer" = [])),
    params(web::idempotency::IdempotencyKeyHeader),
    request_body = GooglePurchase,
    responses((status = 201, body = InAppCredited),
        (status = 403, description = "`members_only`, `not_your_purchase`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "`receipt_already_used`, `purchase_not_completed`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`invalid_receipt` (field `purchase_token`), `unknown_product` (field `product_id`)", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "Google Play unreachable", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/wallet/iap/google")]
pub async fn google_purchase(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<GooglePurchase>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let result = app::wallet::in_app::google(
        &state.context,
        &buyer,
        &body.product_id,
        &body.purchase_token,
    )
    .await?;
    credited(&state, &buyer, result).await
}
