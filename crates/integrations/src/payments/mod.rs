//! Payment providers: TossPayments, KakaoPay and PayPal.
//!
//! Each client speaks its provider's documented REST API (base URL, keys and
//! timeouts from configuration). What every provider offers the same way —
//! reading a payment's state and cancelling it, wholly or partly — sits
//! behind [`PaymentProvider`], which reconciliation and compensation use; the
//! steps that differ (Toss's server-side confirm, KakaoPay's ready →
//! approve, PayPal's create → capture) are methods of each client.
//!
//! Money moves only on a server-side call of ours (confirm, approve,
//! capture); a failure that leaves its outcome unknown (timeout, 5xx, an
//! unreadable answer) is [`PaymentError::Unavailable`], and the caller must
//! ask the provider again rather than start anew.

pub mod kakaopay;
pub mod mask;
pub mod paypal;
pub mod toss;

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use mask::mask;

/// A provider's view of one payment.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderPayment {
    /// Toss `paymentKey`, KakaoPay `tid`, PayPal order id.
    pub payment_id: String,
    /// PayPal's capture id (refunds address the capture).
    pub capture_id: Option<String>,
    /// Our reference as the provider holds it (Toss `orderId`).
    pub order_reference: Option<String>,
    pub status: ProviderStatus,
    /// What was approved (charged or to be deposited).
    pub total: Decimal,
    /// What has been cancelled or refunded of it.
    pub cancelled: Decimal,
    /// The means of payment as the provider names it (card, virtual account, ...).
    pub method: Option<String>,
    /// For a virtual account: when the transfer must arrive.
    pub deposit_due: Option<DateTime<Utc>>,
    /// The provider's answer (masked before it is stored).
    pub raw: Value,
}

/// Where a payment stands at the provider, in our terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderStatus {
    /// Started but not approved: nothing charged (yet).
    Pending,
    /// A virtual account was issued; the money has not arrived.
    AwaitingDeposit,
    /// Charged.
    Approved,
    /// Charged, and part of it cancelled.
    PartiallyCancelled,
    /// Charged and wholly cancelled.
    Cancelled,
    /// Never charged: refused, abandoned or expired.
    Failed,
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("payment provider configuration: {0}")]
    Config(String),
    /// The provider refused, definitively: nothing was charged by this call.
    #[error("{code}: {message}")]
    Declined {
        code: String,
        message: String,
        raw: Value,
    },
    /// The provider knows no such payment.
    #[error("the provider knows no such payment")]
    NotFound { raw: Value },
    /// Unreachable, timed out, failing or unreadable: the outcome is unknown.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
}

impl PaymentError {
    /// The provider's answer, when it gave one.
    pub fn raw(&self) -> Option<&Value> {
        match self {
            Self::Declined { raw, .. } | Self::NotFound { raw } => Some(raw),
            Self::Config(_) | Self::Unavailable(_) => None,
        }
    }
}

/// What identifies a payment at its provider.
#[derive(Debug, Clone)]
pub struct PaymentReference {
    pub payment_id: String,
    pub capture_id: Option<String>,
    pub currency: String,
}

pub type ProviderFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, PaymentError>> + Send + 'a>>;

/// What reconciliation and compensation need of any provider.
pub trait PaymentProvider: Send + Sync {
    /// The payment as the provider has it now.
    fn lookup<'a>(&'a self, payment: &'a PaymentReference) -> ProviderFuture<'a, ProviderPayment>;

    /// Cancels (refunds) part or all of a charged payment.
    fn cancel<'a>(
        &'a self,
        payment: &'a PaymentReference,
        cancellation: Cancellation<'a>,
    ) -> ProviderFuture<'a, ProviderPayment>;
}

/// A cancellation (refund) asked of a provider.
#[derive(Debug, Clone, Copy)]
pub struct Cancellation<'a> {
    /// How much; all that is left of the payment when `None`.
    pub amount: Option<Decimal>,
    pub reason: &'a str,
    /// The same key never cancels twice.
    pub idempotency_key: &'a str,
    /// Where a bank transfer's money goes back: Toss requires it to cancel
    /// a virtual-account payment once the deposit has arrived.
    pub refund_account: Option<&'a RefundAccount>,
}

impl<'a> Cancellation<'a> {
    pub fn new(amount: Option<Decimal>, reason: &'a str, idempotency_key: &'a str) -> Self {
        Self {
            amount,
            reason,
            idempotency_key,
            refund_account: None,
        }
    }
}

/// A bank account a refund is paid into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundAccount {
    /// The bank's two-digit code as Toss lists it (`88`: Shinhan).
    pub bank_code: String,
    /// Digits only.
    pub account_number: String,
    pub holder_name: String,
}

/// An HTTP exchange's body: JSON on success or on a 4xx, the outcome
/// unknown otherwise.
async fn answer_of(
    sent: Result<reqwest::Response, reqwest::Error>,
) -> Result<(reqwest::StatusCode, Value), PaymentError> {
    let response = sent.map_err(|e| PaymentError::Unavailable(e.to_string()))?;
    let status = response.status();
    if status.is_server_error() {
        return Err(PaymentError::Unavailable(format!("HTTP {status}")));
    }
    let body = response
        .bytes()
        .await
        .map_err(|e| PaymentError::Unavailable(e.to_string()))?;
    let value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| PaymentError::Unavailable(format!("HTTP {status}, unreadable: {e}")))?
    };
    Ok((status, value))
}

fn http_client(timeout_ms: u64) -> Result<reqwest::Client, PaymentError> {
    let timeout = std::time::Duration::from_millis(timeout_ms);
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .build()
        .map_err(|e| PaymentError::Config(e.to_string()))
}

/// Reads a field the provider documents as present.
fn field<'v>(value: &'v Value, name: &str) -> Result<&'v Value, PaymentError> {
    value
        .get(name)
        .filter(|v| !v.is_null())
        .ok_or_else(|| PaymentError::Unavailable(format!("the answer lacks `{name}`")))
}

fn text_field(value: &Value, name: &str) -> Result<String, PaymentError> {
    field(value, name)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| PaymentError::Unavailable(format!("`{name}` is not text")))
}

fn amount_field(value: &Value, name: &str) -> Result<Decimal, PaymentError> {
    let amount = field(value, name)?;
    let parsed = match amount {
        Value::Number(n) => n.to_string().parse::<Decimal>().ok(),
        Value::String(s) => s.parse::<Decimal>().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| PaymentError::Unavailable(format!("`{name}` is not an amount")))
}

fn time_field(value: &Value, name: &str) -> Option<DateTime<Utc>> {
    value
        .get(name)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Whole units of a currency without minor units on the wire (KRW).
fn whole_units(amount: Decimal) -> Result<i64, PaymentError> {
    if amount.fract() != Decimal::ZERO {
        return Err(PaymentError::Config(format!(
            "{amount} is not a whole amount"
        )));
    }
    i64::try_from(amount).map_err(|e| PaymentError::Config(e.to_string()))
}
