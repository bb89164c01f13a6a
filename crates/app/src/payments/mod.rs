//! Paying an order at an outside provider (TossPayments, KakaoPay, PayPal).
//!
//! An attempt is committed before the provider is called, so a crash or a
//! timeout leaves a row that says a call was under way; an unknown outcome
//! is asked of the provider (reconciliation), never retried as a new
//! attempt. An approval is applied in one transaction — the attempt
//! succeeds, the order is paid, its stock committed, its coupons used, the
//! outbox written — and if that fails, the payment is cancelled at the
//! provider and the order ends cancelled with the reason (compensation).

mod attempts;
pub mod jobs;
pub mod kakaopay;
pub mod paypal;
pub mod reconcile;
pub mod toss;
pub mod webhooks;

use persistence::payments::attempts::{self as store, status};
pub use persistence::payments::attempts::{EventRow as PaymentEvent, PaymentRow};
use uuid::Uuid;

use crate::kernel::ProblemCode;
use crate::kernel::principals::Buyer;
use crate::kernel::providers::{KAKAOPAY, PAYPAL, TOSS, reference_of};
use crate::{AppError, Context};

/// A payment attempt with its steps.
pub struct PaymentDetail {
    pub payment: PaymentRow,
    pub events: Vec<PaymentEvent>,
}

/// One of the buyer's payment attempts.
pub async fn own(context: &Context, buyer: &Buyer, id: Uuid) -> Result<PaymentRow, AppError> {
    let mut conn = context.db.get().await?;
    store::find(&mut conn, id)
        .await?
        .filter(|p| p.buyer == buyer.key())
        .ok_or(AppError::NotFound {
            resource: "payment",
        })
}

/// Any attempt with every step (operations staff).
pub async fn any(context: &Context, id: Uuid) -> Result<PaymentDetail, AppError> {
    let mut conn = context.db.get().await?;
    let payment = store::find(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "payment",
        })?;
    let events = store::events(&mut conn, id).await?;
    Ok(PaymentDetail { payment, events })
}

/// An order's attempts, newest first (operations staff).
pub async fn of_order(context: &Context, order_id: Uuid) -> Result<Vec<PaymentRow>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(store::of_order(&mut conn, order_id).await?)
}

/// The answer a payment call gives the shopper: the attempt when it
/// succeeded or is still being settled, a problem when it ended otherwise.
pub fn outcome(payment: PaymentRow) -> Result<PaymentRow, AppError> {
    match payment.status.as_str() {
        status::FAILED => Err(AppError::PaymentDeclined {
            provider_code: payment.failure_code.unwrap_or_default(),
            message: payment.failure_message.unwrap_or_default(),
        }),
        status::CANCELLED | status::CANCELLING => Err(AppError::Conflict {
            code: ProblemCode::PaymentCancelled,
            message: format!(
                "the payment was cancelled: {}",
                payment.failure_message.unwrap_or_default()
            ),
        }),
        _ => Ok(payment),
    }
}

/// The name providers show for an order ("Denim jacket and 2 more") and
/// its number of pieces.
async fn order_summary(context: &Context, order_id: Uuid) -> Result<(String, i64), AppError> {
    let mut conn = context.db.get().await?;
    let (_, products) =
        persistence::orders::purchase_orders::tiers_of(&mut conn, &[order_id]).await?;
    let names: Vec<&str> = products.iter().map(|p| p.product_name.as_str()).collect();
    let quantity = products.iter().map(|p| i64::from(p.quantity)).sum();
    Ok((crate::orders::purchase_orders::order_name(&names), quantity))
}
