//! The shopper's cash wallet: balance, charges through the Toss widget,
//! refunds of unused charged cash, and in-app purchases.

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, get, post};
use app::catalog::browse::in_minor_units as won;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use web::{ApiError, AppState, Authenticated};

#[derive(Debug, Serialize, ToSchema)]
pub struct CashLot {
    /// `charge` (paid for; refundable while unused when charged through a
    /// payment provider) or `bonus` (event cash; not refundable).
    #[schema(example = "charge")]
    pub kind: String,
    #[schema(value_type = String, example = "10000")]
    pub remaining: Decimal,
    /// `null`: never expires.
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CashEntry {
    /// `charge`, `bonus`, `spend`, `restore` or `refund`.
    pub kind: String,
    /// Signed: spends and refunds are negative.
    #[schema(value_type = String, example = "-5000")]
    pub amount: Decimal,
    pub expires_at: Option<DateTime<Utc>>,
    pub purchase_order_id: Option<Uuid>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Wallet {
    #[schema(value_type = String, example = "15000")]
    pub charged: Decimal,
    #[schema(value_type = String, example = "3000")]
    pub bonus: Decimal,
    #[schema(value_type = String, example = "18000")]
    pub total: Decimal,
    /// Unused charged cash that can be refunded.
    #[schema(value_type = String, example = "15000")]
    pub refundable: Decimal,
    /// Lots with something left, in the order they are spent.
    pub lots: Vec<CashLot>,
    /// The latest 100 entries, newest first.
    pub ledger: Vec<CashEntry>,
}

impl From<app::wallet::cash::WalletView> for Wallet {
    fn from(view: app::wallet::cash::WalletView) -> Self {
        Self {
            charged: won(view.balance.charged),
            bonus: won(view.balance.bonus),
            total: won(view.balance.total()),
            refundable: won(view.refundable),
            lots: view
                .lots
                .into_iter()
                .map(|l| CashLot {
                    kind: l.kind,
                    remaining: won(l.remaining),
                    expires_at: l.expires_at,
                })
                .collect(),
            ledger: view
                .history
                .into_iter()
                .map(|e| CashEntry {
                    kind: e.kind,
                    amount: won(e.amount),
                    expires_at: e.expires_at,
                    purchase_order_id: e.purchase_order_id,
                    reason: e.reason,
                    created_at: e.created_at,
                })
                .collect(),
        }
    }
}

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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChargeRequest {
    /// Whole won, 1,000 to 2,000,000.
    #[schema(value_type = String, example = "10000")]
    pub amount: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChargeStarted {
    pub charge_id: Uuid,
    /// The `orderId` to give the Toss widget, and to confirm with
    /// (`POST /v1/payments/toss/confirm`).
    #[schema(example = "cash-0b5e3c1f9a2d4e6f8a1b2c3d4e5f6a7b")]
    pub order_id: String,
    #[schema(value_type = String, example = "10000")]
    pub amount: Decimal,
    pub order_name: String,
    pub toss_client_key: String,
}

/// Starts a charge of cash, paid through the Toss widget; the confirmed
/// payment credits the cash.
#[utoipa::path(post, path = "/v1/wallet/charges", tag = "wallet", security(("bearer" = [])),
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

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundRequest {
    /// How much of the unused charged cash; all of it when absent.
    #[schema(value_type = Option<String>, example = "5000")]
    pub amount: Option<Decimal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Refunded {
    #[schema(value_type = String, example = "5000")]
    pub refunded: Decimal,
    pub wallet: Wallet,
}

/// Refunds unused charged cash to the payments it was charged with
/// (bonus cash is not refundable).
#[utoipa::path(post, path = "/v1/wallet/refunds", tag = "wallet", security(("bearer" = [])),
    request_body = RefundRequest,
    responses((status = 200, body = Refunded),
        (status = 403, description = "`members_only`", body = web::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "`not_refundable` (field `amount`)", body = web::ProblemDetails, content_type = "application/problem+json")))]
#[post("/v1/wallet/refunds")]
pub async fn refund(
    state: Data<AppState>,
    caller: Authenticated,
    body: Json<RefundRequest>,
) -> Result<HttpResponse, ApiError> {
    let buyer = caller.buyer()?;
    let refunded = app::wallet::cash::refund(&state.context, &buyer, body.amount).await?;
    let view = app::wallet::cash::view(&state.context, &buyer).await?;
    Ok(HttpResponse::Ok().json(Refunded {
        refunded: won(refunded),
        wallet: view.into(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplePurchase {
    /// StoreKit 2's `Transaction.jwsRepresentation`.
    pub signed_transaction: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GooglePurchase {
    #[schema(example = "cash_10000")]
    pub product_id: String,
    pub purchase_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InAppCredited {
    #[schema(value_type = String, example = "10000")]
    pub cash: Decimal,
    /// The store's transaction (App Store transaction id, Google order id).
    pub store_transaction_id: String,
    pub wallet: Wallet,
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
