//! Cash bought in the mobile apps: App Store transactions (JWS signed by
//! Apple, verified against the pinned root) and Google Play purchases
//! (read from Google's API). Each store transaction credits once; a store
//! refund takes back what is left of the cash it credited.

use diesel_async::AsyncConnection;
use integrations::google_play::PlayError;
use integrations::google_push::PushError;
use persistence::kernel::lots::{self, Ledger};
use persistence::wallet::cash::{self, SOURCE_ONCE, kind};
use persistence::{AsyncPgConnection, StoreError};
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::principals::Buyer;
use crate::{AppError, Context};

/// What a verified purchase credited.
#[derive(Debug, Clone)]
pub struct Credited {
    pub cash: Decimal,
    pub store_transaction_id: String,
}

fn member_of(buyer: &Buyer) -> Result<Uuid, AppError> {
    buyer.member_id().ok_or(AppError::Forbidden {
        code: ProblemCode::MembersOnly,
    })
}

/// The account the app tied the purchase to, if any, must be the caller.
fn check_account(account: Option<&str>, member: Uuid) -> Result<(), AppError> {
    match account {
        Some(account) if Uuid::parse_str(account).ok() != Some(member) => {
            Err(AppError::Forbidden {
                code: ProblemCode::NotYourPurchase,
            })
        }
        _ => Ok(()),
    }
}

/// Credits an App Store consumable from its signed transaction
/// (`Transaction.jwsRepresentation`).
pub async fn apple(
    context: &Context,
    buyer: &Buyer,
    signed_transaction: &str,
) -> Result<Credited, AppError> {
    let member = member_of(buyer)?;
    let stores = &context.in_app;
    let transaction = stores.apple.verify(signed_transaction).map_err(|e| {
        AppError::invalid(
            "signed_transaction",
            FieldCode::InvalidReceipt,
            e.to_string(),
        )
    })?;
    let text = |name: &str| transaction.get(name).and_then(Value::as_str);
    if text("bundleId") != Some(stores.app_store.bundle_id.as_str()) {
        return Err(AppError::invalid(
            "signed_transaction",
            FieldCode::WrongApp,
            "the purchase is another app's",
        ));
    }
    if !text("environment").is_some_and(|e| stores.app_store.environments.iter().any(|a| a == e)) {
        return Err(AppError::invalid(
            "signed_transaction",
            FieldCode::WrongEnvironment,
            "purchases of this environment are not accepted",
        ));
    }
    if text("type") != Some("Consumable")
        || transaction
            .get("revocationDate")
            .is_some_and(|v| !v.is_null())
    {
        return Err(AppError::invalid(
            "signed_transaction",
            FieldCode::NotCreditable,
            "only unrevoked consumable purchases credit cash",
        ));
    }
    check_account(text("appAccountToken"), member)?;
    let product = text("productId").unwrap_or_default();
    let cash = stores.cash_of(product).ok_or_else(|| {
        AppError::invalid(
            "signed_transaction",
            FieldCode::UnknownProduct,
            format!("{product} is not sold"),
        )
    })?;
    let quantity = transaction
        .get("quantity")
        .and_then(Value::as_i64)
        .unwrap_or(1)
        .max(1);
    let transaction_id = text("transactionId")
        .ok_or_else(|| {
            AppError::invalid(
                "signed_transaction",
                FieldCode::InvalidReceipt,
                "no transactionId",
            )
        })?
        .to_owned();
    let amount = cash * Decimal::from(quantity);
    credit(
        context,
        member,
        amount,
        &format!("apple:{transaction_id}"),
        &format!("App Store {product}"),
    )
    .await?;
    Ok(Credited {
        cash: amount,
        store_transaction_id: transaction_id,
    })
}

/// Credits a Google Play one-time product, read from Google, then consumes it.
pub async fn google(
    context: &Context,
    buyer: &Buyer,
    product_id: &str,
    purchase_token: &str,
) -> Result<Credited, AppError> {
    let member = member_of(buyer)?;
    let stores = &context.in_app;
    let cash = stores.cash_of(product_id).ok_or_else(|| {
        AppError::invalid(
            "product_id",
            FieldCode::UnknownProduct,
            format!("{product_id} is not sold"),
        )
    })?;
    if purchase_token.is_empty() || purchase_token.len() > 1000 {
        return Err(AppError::invalid(
            "purchase_token",
            FieldCode::InvalidLength,
            "1 to 1000 characters",
        ));
    }
    let purchase = stores
        .google
        .product_purchase(product_id, purchase_token)
        .await
        .map_err(|e| match e {
            PlayError::InvalidToken(message) => {
                AppError::invalid("purchase_token", FieldCode::InvalidReceipt, message)
            }
            PlayError::Unavailable(reason) | PlayError::Config(reason) => {
                AppError::Unavailable(reason)
            }
        })?;
    if !purchase.purchased() {
        return Err(AppError::Conflict {
            code: ProblemCode::PurchaseNotCompleted,
            message: "the purchase is pending or cancelled".into(),
        });
    }
    check_account(purchase.account.as_deref(), member)?;
    let amount = cash * Decimal::from(purchase.quantity);
    let credited = credit(
        context,
        member,
        amount,
        &format!("google:{}", purchase.order_id),
        &format!("Google Play {product_id}"),
    )
    .await;
    // Consumed once credited (or found credited): the product can be bought again.
    if purchase.consumption_state == 0
        && let Err(error) = stores.google.consume(product_id, purchase_token).await
    {
        tracing::warn!(%error, order = %purchase.order_id, "purchase not consumed");
    }
    credited?;
    Ok(Credited {
        cash: amount,
        store_transaction_id: purchase.order_id,
    })
}

async fn credit(
    context: &Context,
    member: Uuid,
    amount: Decimal,
    source: &str,
    reason: &str,
) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        lots::lock_member(conn, Ledger::Cash, member).await?;
        cash::credit(conn, member, kind::CHARGE, amount, None, source, reason)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(index) if index == SOURCE_ONCE => AppError::Conflict {
                    code: ProblemCode::ReceiptAlreadyUsed,
                    message: "this store transaction has credited cash already".into(),
                },
                other => other.into(),
            })?;
        Ok::<_, AppError>(())
    })
    .await
}

/// Takes back what is left of the cash a store transaction credited (the
/// store refunded it), in the caller's transaction. Cash already spent
/// cannot be taken back; that is logged for operations.
async fn claw_back(conn: &mut AsyncPgConnection, source: &str) -> Result<bool, AppError> {
    let Some((lot_id, user_id, remaining)) = cash::lot_by_source(conn, source).await? else {
        return Ok(false);
    };
    lots::lock_member(conn, Ledger::Cash, user_id).await?;
    if remaining > Decimal::ZERO {
        lots::draw(
            conn,
            Ledger::Cash,
            user_id,
            lots::kind::REFUND,
            &[(lot_id, -remaining)],
            None,
            "refunded by the store",
        )
        .await?;
    }
    tracing::info!(%source, %remaining, "store refund taken back from the wallet");
    Ok(true)
}

/// What became of a store notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notified {
    Applied,
    Ignored,
}

/// An App Store Server Notification (V2): `{"signedPayload": JWS}`, signed by
/// Apple like transactions. Refunds and revocations take the cash back.
pub async fn apple_notification(
    context: &Context,
    signed_payload: &str,
) -> Result<Notified, AppError> {
    let stores = &context.in_app;
    let notification = stores
        .apple
        .verify(signed_payload)
        .map_err(|_| AppError::Unauthorized {
            code: ProblemCode::InvalidSignature,
        })?;
    let data = notification.get("data");
    let bundle = data.and_then(|d| d.get("bundleId")).and_then(Value::as_str);
    let kind = notification
        .get("notificationType")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(event_id) = notification.get("notificationUUID").and_then(Value::as_str) else {
        return Err(AppError::invalid(
            "signedPayload",
            FieldCode::InvalidNotification,
            "no notificationUUID",
        ));
    };
    if bundle != Some(stores.app_store.bundle_id.as_str()) || !matches!(kind, "REFUND" | "REVOKE") {
        return Ok(Notified::Ignored);
    }
    let transaction = data
        .and_then(|d| d.get("signedTransactionInfo"))
        .and_then(Value::as_str)
        .map(|jws| stores.apple.verify(jws))
        .transpose()
        .map_err(|_| AppError::Unauthorized {
            code: ProblemCode::InvalidSignature,
        })?;
    let Some(transaction_id) = transaction
        .as_ref()
        .and_then(|t| t.get("transactionId"))
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return Ok(Notified::Ignored);
    };
    apply_once(
        context,
        "apple",
        event_id,
        kind,
        &format!("apple:{transaction_id}"),
    )
    .await
}

/// A Google Play real-time developer notification (Pub/Sub push), believed
/// only with the OIDC token Google signs for the subscription. It only says
/// something changed: the purchase is read again from Google.
pub async fn google_notification(
    context: &Context,
    authorization: Option<&str>,
    push: &Value,
) -> Result<Notified, AppError> {
    let stores = &context.in_app;
    stores
        .google_push
        .verify(authorization)
        .await
        .map_err(|error| match error {
            PushError::Unavailable(reason) => AppError::Unavailable(reason),
            PushError::Refused(reason) => {
                tracing::warn!(reason, "Google push refused");
                AppError::Unauthorized {
                    code: ProblemCode::InvalidSignature,
                }
            }
        })?;
    let message = push.get("message");
    let event_id = message
        .and_then(|m| m.get("messageId").or_else(|| m.get("message_id")))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            AppError::invalid("message", FieldCode::InvalidNotification, "no messageId")
        })?;
    let data: Value = message
        .and_then(|m| m.get("data"))
        .and_then(Value::as_str)
        .and_then(|d| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, d).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| {
            AppError::invalid(
                "message",
                FieldCode::InvalidNotification,
                "data is not base64 JSON",
            )
        })?;
    let package = data.get("packageName").and_then(Value::as_str);
    if package != Some(stores.google.package_name()) {
        return Ok(Notified::Ignored);
    }
    if let Some(voided) = data.get("voidedPurchaseNotification") {
        return google_voided(context, event_id, &data, voided).await;
    }
    let product = data.get("oneTimeProductNotification");
    let (Some(token), Some(sku)) = (
        product
            .and_then(|p| p.get("purchaseToken"))
            .and_then(Value::as_str),
        product.and_then(|p| p.get("sku")).and_then(Value::as_str),
    ) else {
        return Ok(Notified::Ignored);
    };
    if stores.cash_of(sku).is_none() {
        return Ok(Notified::Ignored);
    }
    let purchase = match stores.google.product_purchase(sku, token).await {
        Ok(purchase) => purchase,
        Err(PlayError::InvalidToken(_)) => return Ok(Notified::Ignored),
        Err(PlayError::Unavailable(reason) | PlayError::Config(reason)) => {
            return Err(AppError::Unavailable(reason));
        }
    };
    let source = format!("google:{}", purchase.order_id);
    if purchase.purchase_state == 1 {
        return apply_once(
            context,
            "google",
            event_id,
            "ONE_TIME_PRODUCT_CANCELED",
            &source,
        )
        .await;
    }
    // A completed purchase the app never reported: credited to the member
    // the app tied it to.
    if purchase.purchased()
        && let Some(member) = purchase
            .account
            .as_deref()
            .and_then(|a| Uuid::parse_str(a).ok())
        && let Some(cash) = stores.cash_of(sku)
    {
        match credit(
            context,
            member,
            cash * Decimal::from(purchase.quantity),
            &source,
            &format!("Google Play {sku}"),
        )
        .await
        {
            Ok(())
            | Err(AppError::Conflict {
                code: ProblemCode::ReceiptAlreadyUsed,
                ..
            }) => {}
            Err(other) => return Err(other),
        }
        if purchase.consumption_state == 0
            && let Err(error) = stores.google.consume(sku, token).await
        {
            tracing::warn!(%error, order = %purchase.order_id, "purchase not consumed");
        }
        return Ok(Notified::Applied);
    }
    Ok(Notified::Ignored)
}

/// A voided purchase (refund, chargeback): believed only when Google's
/// Voided Purchases API lists its order.
async fn google_voided(
    context: &Context,
    event_id: &str,
    data: &Value,
    voided: &Value,
) -> Result<Notified, AppError> {
    let Some(order_id) = voided.get("orderId").and_then(Value::as_str) else {
        return Ok(Notified::Ignored);
    };
    let event_millis = data
        .get("eventTimeMillis")
        .and_then(|t| {
            t.as_str()
                .and_then(|s| s.parse().ok())
                .or_else(|| t.as_i64())
        })
        .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
    // Voiding is reported after the fact: look a day back from the event.
    let listed = context
        .in_app
        .google
        .voided_orders(event_millis - 86_400_000)
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    if !listed.iter().any(|o| o == order_id) {
        return Ok(Notified::Ignored);
    }
    apply_once(
        context,
        "google",
        event_id,
        "VOIDED_PURCHASE",
        &format!("google:{order_id}"),
    )
    .await
}

/// Takes back a refunded transaction's cash, storing the notification's id
/// in the same transaction: a repeated notification changes nothing.
async fn apply_once(
    context: &Context,
    store: &str,
    event_id: &str,
    kind: &str,
    source: &str,
) -> Result<Notified, AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        if !persistence::payments::attempts::remember_provider_event(conn, store, event_id, kind)
            .await?
        {
            return Ok(Notified::Applied);
        }
        Ok::<_, AppError>(if claw_back(conn, source).await? {
            Notified::Applied
        } else {
            Notified::Ignored
        })
    })
    .await
}
