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
pub mod kakaopay;
pub mod paypal;
pub mod reconcile;
pub mod refunds;
pub mod toss;
pub mod webhooks;

use integrations::payments::kakaopay::{KakaoPayClient, KakaoPaySettings};
use integrations::payments::paypal::{PayPalClient, PayPalSettings};
use integrations::payments::toss::{TossClient, TossSettings};
use integrations::payments::{PaymentProvider, PaymentReference};
use persistence::payments::{self as store, status};
pub use persistence::payments::{EventRow as PaymentEvent, PaymentRow};
use serde::Deserialize;
use uuid::Uuid;

use crate::buyer::Buyer;
use crate::{AppError, Context};

pub const TOSS: &str = "toss";
pub const KAKAOPAY: &str = "kakaopay";
pub const PAYPAL: &str = "paypal";

/// `[payments]`.
#[derive(Debug, Clone, Deserialize)]
pub struct PaymentSettings {
    /// How long an attempt may wait for the shopper's approval at the provider.
    pub pending_ttl_secs: i64,
    /// A `confirming` attempt this old is asked about (its process died mid-call).
    pub stalled_after_secs: i64,
    pub toss: TossSettings,
    pub kakaopay: KakaoPaySettings,
    pub paypal: PayPalSettings,
}

/// The provider clients of a process.
pub struct PaymentProviders {
    pub toss: TossClient,
    pub kakaopay: KakaoPayClient,
    pub paypal: PayPalClient,
    pub settings: PaymentSettings,
}

impl PaymentProviders {
    pub fn from_settings(settings: &PaymentSettings) -> Result<Self, String> {
        Ok(Self {
            toss: TossClient::new(settings.toss.clone()).map_err(|e| e.to_string())?,
            kakaopay: KakaoPayClient::new(settings.kakaopay.clone()).map_err(|e| e.to_string())?,
            paypal: PayPalClient::new(settings.paypal.clone()).map_err(|e| e.to_string())?,
            settings: settings.clone(),
        })
    }

    fn of(&self, provider: &str) -> Result<&dyn PaymentProvider, AppError> {
        match provider {
            TOSS => Ok(&self.toss),
            KAKAOPAY => Ok(&self.kakaopay),
            PAYPAL => Ok(&self.paypal),
            other => Err(AppError::Internal(format!(
                "unknown payment provider {other}"
            ))),
        }
    }
}

fn reference_of(payment: &PaymentRow) -> Option<PaymentReference> {
    Some(PaymentReference {
        payment_id: payment.provider_payment_id.clone()?,
        capture_id: payment.provider_capture_id.clone(),
        currency: payment.currency.clone(),
    })
}

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
            code: "payment_cancelled",
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
    let (_, products) = persistence::orders::tiers_of(&mut conn, &[order_id]).await?;
    let names: Vec<&str> = products.iter().map(|p| p.product_name.as_str()).collect();
    let quantity = products.iter().map(|p| i64::from(p.quantity)).sum();
    Ok((crate::orders::order_name(&names), quantity))
}
