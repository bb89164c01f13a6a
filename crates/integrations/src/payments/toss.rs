//! TossPayments (payment widget), core API v1.
//!
//! The shopper's browser runs Toss's widget with our `orderId` and amount;
//! Toss sends it back to us with a `paymentKey`, and nothing is charged until
//! our server confirms: `POST /v1/payments/confirm {paymentKey, orderId,
//! amount}`. Authentication is HTTP Basic with the secret key as user name
//! and an empty password; POSTs accept an `Idempotency-Key` header (Toss
//! answers a repeated key with the first answer). A payment is read with
//! `GET /v1/payments/{paymentKey}` and cancelled with `POST
//! /v1/payments/{paymentKey}/cancel {cancelReason, cancelAmount?}`. Errors
//! are `{"code", "message"}`; a 5xx leaves the outcome unknown. Statuses:
//! `READY`, `IN_PROGRESS`, `WAITING_FOR_DEPOSIT` (virtual account),
//! `DONE`, `CANCELED`, `PARTIAL_CANCELED`, `ABORTED`, `EXPIRED`.

use base64::Engine;
use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    Cancellation, PaymentError, PaymentProvider, PaymentReference, ProviderFuture, ProviderPayment,
    ProviderStatus, amount_field, answer_of, http_client, text_field, time_field, whole_units,
};

/// `[payments.toss]`.
#[derive(Debug, Clone, Deserialize)]
pub struct TossSettings {
    /// `https://api.tosspayments.com` in production.
    pub base_url: String,
    pub secret_key: SecretString,
    /// Given to the widget in the browser (public).
    pub client_key: String,
    pub timeout_ms: u64,
}

#[derive(Clone)]
pub struct TossClient {
    http: reqwest::Client,
    settings: TossSettings,
    authorization: String,
}

impl TossClient {
    pub fn new(settings: TossSettings) -> Result<Self, PaymentError> {
        let credentials = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:", settings.secret_key.expose_secret()));
        Ok(Self {
            http: http_client(settings.timeout_ms)?,
            authorization: format!("Basic {credentials}"),
            settings,
        })
    }

    pub fn client_key(&self) -> &str {
        &self.settings.client_key
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_url.trim_end_matches('/'))
    }

    async fn post(
        &self,
        path: &str,
        body: Value,
        idempotency_key: &str,
    ) -> Result<ProviderPayment, PaymentError> {
        let sent = self
            .http
            .post(self.url(path))
            .header("authorization", &self.authorization)
            .header("idempotency-key", idempotency_key)
            .json(&body)
            .send()
            .await;
        payment_of(answer_of(sent).await?)
    }

    /// Confirms (charges) a payment the shopper authorised in the widget.
    /// A payment Toss already confirmed is read back instead.
    pub async fn confirm(
        &self,
        payment_key: &str,
        order_id: &str,
        amount: Decimal,
        idempotency_key: &str,
    ) -> Result<ProviderPayment, PaymentError> {
        let body = json!({
            "paymentKey": payment_key, "orderId": order_id, "amount": whole_units(amount)?,
        });
        match self
            .post("/v1/payments/confirm", body, idempotency_key)
            .await
        {
            Err(PaymentError::Declined { code, .. }) if code == "ALREADY_PROCESSED_PAYMENT" => {
                self.payment(payment_key).await
            }
            other => other,
        }
    }

    /// The payment as Toss has it now.
    pub async fn payment(&self, payment_key: &str) -> Result<ProviderPayment, PaymentError> {
        let sent = self
            .http
            .get(self.url(&format!(
                "/v1/payments/{}",
                crate::path_segment(payment_key)
            )))
            .header("authorization", &self.authorization)
            .send()
            .await;
        payment_of(answer_of(sent).await?)
    }

    /// Cancels part or all of a payment; a payment cancelled already is
    /// read back instead.
    pub async fn cancel_payment(
        &self,
        payment_key: &str,
        cancellation: Cancellation<'_>,
    ) -> Result<ProviderPayment, PaymentError> {
        let mut body = json!({ "cancelReason": cancellation.reason });
        if let Some(amount) = cancellation.amount {
            body["cancelAmount"] = json!(whole_units(amount)?);
        }
        if let Some(account) = cancellation.refund_account {
            body["refundReceiveAccount"] = json!({
                "bank": account.bank_code,
                "accountNumber": account.account_number,
                "holderName": account.holder_name,
            });
        }
        match self
            .post(
                &format!("/v1/payments/{}/cancel", crate::path_segment(payment_key)),
                body,
                cancellation.idempotency_key,
            )
            .await
        {
            Err(PaymentError::Declined { code, .. }) if code == "ALREADY_CANCELED_PAYMENT" => {
                self.payment(payment_key).await
            }
            other => other,
        }
    }
}

/// Whether Toss's `method` is a bank transfer to a virtual account, whose
/// cancellation needs the account the money goes back to.
pub fn is_virtual_account(method: &str) -> bool {
    matches!(method, "가상계좌" | "VIRTUAL_ACCOUNT")
}

impl PaymentProvider for TossClient {
    fn lookup<'a>(&'a self, payment: &'a PaymentReference) -> ProviderFuture<'a, ProviderPayment> {
        Box::pin(self.payment(&payment.payment_id))
    }

    fn cancel<'a>(
        &'a self,
        payment: &'a PaymentReference,
        cancellation: Cancellation<'a>,
    ) -> ProviderFuture<'a, ProviderPayment> {
        Box::pin(self.cancel_payment(&payment.payment_id, cancellation))
    }
}

/// A Toss Payment object, or the error it answered.
fn payment_of(
    (status, body): (reqwest::StatusCode, Value),
) -> Result<ProviderPayment, PaymentError> {
    if !status.is_success() {
        let code = body
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or("UNKNOWN")
            .to_owned();
        let message = body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        return Err(match code.as_str() {
            "NOT_FOUND_PAYMENT" => PaymentError::NotFound { raw: body },
            "UNAUTHORIZED_KEY" | "INVALID_API_KEY" => {
                PaymentError::Config(format!("{code}: {message}"))
            }
            _ => PaymentError::Declined {
                code,
                message,
                raw: body,
            },
        });
    }
    let total = amount_field(&body, "totalAmount")?;
    let balance = amount_field(&body, "balanceAmount")?;
    let status = match text_field(&body, "status")?.as_str() {
        "READY" | "IN_PROGRESS" => ProviderStatus::Pending,
        "WAITING_FOR_DEPOSIT" => ProviderStatus::AwaitingDeposit,
        "DONE" => ProviderStatus::Approved,
        "PARTIAL_CANCELED" => ProviderStatus::PartiallyCancelled,
        "CANCELED" => ProviderStatus::Cancelled,
        "ABORTED" | "EXPIRED" => ProviderStatus::Failed,
        other => {
            return Err(PaymentError::Unavailable(format!(
                "unknown payment status {other}"
            )));
        }
    };
    Ok(ProviderPayment {
        payment_id: text_field(&body, "paymentKey")?,
        capture_id: None,
        order_reference: body
            .get("orderId")
            .and_then(Value::as_str)
            .map(str::to_owned),
        status,
        total,
        cancelled: total - balance,
        method: body
            .get("method")
            .and_then(Value::as_str)
            .map(str::to_owned),
        deposit_due: body
            .get("virtualAccount")
            .and_then(|account| time_field(account, "dueDate")),
        raw: body,
    })
}
