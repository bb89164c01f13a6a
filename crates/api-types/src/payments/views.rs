//! A payment and the provider steps it went through.

use app::catalog::browse::in_minor_units as won;
use app::payments::{PaymentDetail, PaymentEvent, PaymentRow};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A payment attempt at a provider.
#[derive(Debug, Serialize, ToSchema)]
pub struct Payment {
    pub id: Uuid,
    /// The order paid, or `null` for a wallet charge.
    pub purchase_order_id: Option<Uuid>,
    /// The wallet charge paid, or `null` for an order.
    pub wallet_charge_id: Option<Uuid>,
    #[schema(value_type = super::vocabulary::PaymentProvider, example = "toss")]
    pub provider: String,
    /// `pending`, `confirming`, `in_doubt` (being settled with the
    /// provider), `awaiting_deposit`, `succeeded`, `failed`, `cancelling`,
    /// `cancelled`.
    #[schema(value_type = super::vocabulary::PaymentStatus, example = "succeeded")]
    pub status: String,
    #[schema(value_type = String, example = "49000")]
    pub amount: rust_decimal::Decimal,
    #[schema(example = "KRW")]
    pub currency: String,
    /// Toss paymentKey, KakaoPay tid or PayPal order id.
    pub provider_payment_id: Option<String>,
    pub method: Option<String>,
    #[schema(value_type = String)]
    pub cancelled_amount: rust_decimal::Decimal,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    /// For a virtual account: when the transfer must arrive.
    pub deposit_due_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<PaymentRow> for Payment {
    fn from(row: PaymentRow) -> Self {
        Self {
            id: row.id,
            purchase_order_id: row.purchase_order_id,
            wallet_charge_id: row.wallet_charge_id,
            provider: row.provider,
            status: row.status,
            amount: won(row.amount),
            currency: row.currency,
            provider_payment_id: row.provider_payment_id,
            method: row.method,
            cancelled_amount: won(row.cancelled_amount),
            failure_code: row.failure_code,
            failure_message: row.failure_message,
            deposit_due_at: row.deposit_due_at,
            approved_at: row.approved_at,
            created_at: row.created_at,
        }
    }
}

/// One step of a payment: a call to the provider or a notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentStep {
    #[schema(example = "confirm")]
    pub kind: String,
    #[schema(example = "approved")]
    pub outcome: String,
    /// The provider's answer, secrets and personal data masked.
    #[schema(value_type = Object)]
    pub answer: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

impl From<PaymentEvent> for PaymentStep {
    fn from(row: PaymentEvent) -> Self {
        Self {
            kind: row.kind,
            outcome: row.outcome,
            answer: row.answer,
            created_at: row.created_at,
        }
    }
}

/// A payment with every step (operations).
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentWithSteps {
    #[serde(flatten)]
    pub payment: Payment,
    pub steps: Vec<PaymentStep>,
}

impl From<PaymentDetail> for PaymentWithSteps {
    fn from(detail: PaymentDetail) -> Self {
        Self {
            payment: detail.payment.into(),
            steps: detail.events.into_iter().map(Into::into).collect(),
        }
    }
}
