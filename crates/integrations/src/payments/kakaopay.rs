//! KakaoPay single payment (online API v1 at `open-api.kakaopay.com`).
//!
//! `POST /online/v1/payment/ready` registers the payment and answers a `tid`
//! and the redirect URLs where the shopper approves it in KakaoPay; KakaoPay
//! then sends the shopper to our `approval_url` with a `pg_token`, and
//! nothing is charged until our server calls `POST
//! /online/v1/payment/approve {cid, tid, partner_order_id, partner_user_id,
//! pg_token}`. `POST /online/v1/payment/order {cid, tid}` reads a payment;
//! `POST /online/v1/payment/cancel {cid, tid, cancel_amount,
//! cancel_tax_free_amount}` cancels all or part of it. Requests carry
//! `Authorization: SECRET_KEY <secret key>` and JSON; errors are
//! `{"error_code": -780, "error_message", "extras": {"method_result_code",
//! "method_result_message"}}`. Statuses: `READY`, `SEND_TMS`,
//! `OPEN_PAYMENT`, `SELECT_METHOD`, `ARS_WAITING`, `AUTH_PASSWORD`,
//! `ISSUED_SID`, `SUCCESS_PAYMENT`, `PART_CANCEL_PAYMENT`, `CANCEL_PAYMENT`,
//! `FAIL_AUTH_PASSWORD`, `QUIT_PAYMENT`, `FAIL_PAYMENT`.

use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    Cancellation, PaymentError, PaymentProvider, PaymentReference, ProviderFuture, ProviderPayment,
    ProviderStatus, amount_field, answer_of, field, http_client, text_field, whole_units,
};

/// `[payments.kakaopay]`.
#[derive(Debug, Clone, Deserialize)]
pub struct KakaoPaySettings {
    /// `https://open-api.kakaopay.com` in production.
    pub base_url: String,
    pub secret_key: SecretString,
    /// The merchant code (`TC0ONETIME` on KakaoPay's test bed).
    pub cid: String,
    /// Where KakaoPay sends the shopper afterwards (our front end's pages).
    pub approval_url: String,
    pub cancel_url: String,
    pub fail_url: String,
    pub timeout_ms: u64,
}

/// What the shopper's browser needs to approve the payment in KakaoPay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadyPayment {
    pub tid: String,
    pub redirect_pc_url: String,
    pub redirect_mobile_url: String,
    pub redirect_app_url: String,
    pub raw: Value,
}

/// The merchant's side of a KakaoPay payment, the same at ready and approve.
#[derive(Debug, Clone)]
pub struct KakaoOrder<'a> {
    pub partner_order_id: &'a str,
    pub partner_user_id: &'a str,
}

#[derive(Clone)]
pub struct KakaoPayClient {
    http: reqwest::Client,
    settings: KakaoPaySettings,
}

impl KakaoPayClient {
    pub fn new(settings: KakaoPaySettings) -> Result<Self, PaymentError> {
        Ok(Self {
            http: http_client(settings.timeout_ms)?,
            settings,
        })
    }

    async fn call(&self, path: &str, body: Value) -> Result<Value, PaymentError> {
        let sent = self
            .http
            .post(format!(
                "{}{path}",
                self.settings.base_url.trim_end_matches('/')
            ))
            .header(
                "authorization",
                format!("SECRET_KEY {}", self.settings.secret_key.expose_secret()),
            )
            .json(&body)
            .send()
            .await;
        let (status, body) = answer_of(sent).await?;
        if status.is_success() {
            return Ok(body);
        }
        let code = body
            .get("error_code")
            .map(|c| c.to_string())
            .unwrap_or_else(|| status.as_u16().to_string());
        let message = body
            .get("extras")
            .and_then(|e| e.get("method_result_message"))
            .or_else(|| body.get("error_message"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Err(match status.as_u16() {
            401 => PaymentError::Config(format!("{code}: {message}")),
            404 => PaymentError::NotFound { raw: body },
            _ => PaymentError::Declined {
                code,
                message,
                raw: body,
            },
        })
    }

    /// Registers a payment; nothing is charged.
    pub async fn ready(
        &self,
        order: &KakaoOrder<'_>,
        item_name: &str,
        quantity: i64,
        total: Decimal,
    ) -> Result<ReadyPayment, PaymentError> {
        let body = self
            .call(
                "/online/v1/payment/ready",
                json!({
                    "cid": self.settings.cid,
                    "partner_order_id": order.partner_order_id,
                    "partner_user_id": order.partner_user_id,
                    "item_name": item_name,
                    "quantity": quantity,
                    "total_amount": whole_units(total)?,
                    "tax_free_amount": 0,
                    "approval_url": self.settings.approval_url,
                    "cancel_url": self.settings.cancel_url,
                    "fail_url": self.settings.fail_url,
                }),
            )
            .await?;
        Ok(ReadyPayment {
            tid: text_field(&body, "tid")?,
            redirect_pc_url: text_field(&body, "next_redirect_pc_url")?,
            redirect_mobile_url: text_field(&body, "next_redirect_mobile_url")?,
            redirect_app_url: text_field(&body, "next_redirect_app_url")?,
            raw: body,
        })
    }

    /// Charges a payment the shopper approved. A refusal is checked against
    /// the payment itself: one already approved is answered as approved.
    pub async fn approve(
        &self,
        tid: &str,
        order: &KakaoOrder<'_>,
        pg_token: &str,
    ) -> Result<ProviderPayment, PaymentError> {
        let approved = self
            .call(
                "/online/v1/payment/approve",
                json!({
                    "cid": self.settings.cid,
                    "tid": tid,
                    "partner_order_id": order.partner_order_id,
                    "partner_user_id": order.partner_user_id,
                    "pg_token": pg_token,
                }),
            )
            .await;
        match approved {
            Ok(body) => {
                let total = amount_field(field(&body, "amount")?, "total")?;
                Ok(ProviderPayment {
                    payment_id: text_field(&body, "tid")?,
                    capture_id: None,
                    order_reference: None,
                    status: ProviderStatus::Approved,
                    total,
                    cancelled: Decimal::ZERO,
                    method: body
                        .get("payment_method_type")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    deposit_due: None,
                    raw: body,
                })
            }
            Err(declined @ PaymentError::Declined { .. }) => match self.order(tid).await {
                Ok(payment) if payment.status == ProviderStatus::Approved => Ok(payment),
                _ => Err(declined),
            },
            Err(other) => Err(other),
        }
    }

    /// The payment as KakaoPay has it now.
    pub async fn order(&self, tid: &str) -> Result<ProviderPayment, PaymentError> {
        let body = self
            .call(
                "/online/v1/payment/order",
                json!({ "cid": self.settings.cid, "tid": tid }),
            )
            .await?;
        payment_of(body)
    }

    /// Cancels `amount`, or all that can still be cancelled when `None`
    /// (a payment already wholly cancelled is answered as it is).
    pub async fn cancel_payment(
        &self,
        tid: &str,
        amount: Option<Decimal>,
    ) -> Result<ProviderPayment, PaymentError> {
        let amount = match amount {
            Some(amount) => amount,
            None => {
                let current = self.order(tid).await?;
                if current.status != ProviderStatus::Approved
                    && current.status != ProviderStatus::PartiallyCancelled
                {
                    return Ok(current);
                }
                current.total - current.cancelled
            }
        };
        let body = self
            .call(
                "/online/v1/payment/cancel",
                json!({
                    "cid": self.settings.cid,
                    "tid": tid,
                    "cancel_amount": whole_units(amount)?,
                    "cancel_tax_free_amount": 0,
                }),
            )
            .await?;
        payment_of(body)
    }
}

impl PaymentProvider for KakaoPayClient {
    fn lookup<'a>(&'a self, payment: &'a PaymentReference) -> ProviderFuture<'a, ProviderPayment> {
        Box::pin(self.order(&payment.payment_id))
    }

    /// KakaoPay takes no idempotency key: a whole cancellation is made
    /// idempotent by reading what is left first.
    fn cancel<'a>(
        &'a self,
        payment: &'a PaymentReference,
        cancellation: Cancellation<'a>,
    ) -> ProviderFuture<'a, ProviderPayment> {
        Box::pin(self.cancel_payment(&payment.payment_id, cancellation.amount))
    }
}

/// A payment as `order` and `cancel` answer it.
fn payment_of(body: Value) -> Result<ProviderPayment, PaymentError> {
    let status = match text_field(&body, "status")?.as_str() {
        "READY" | "SEND_TMS" | "OPEN_PAYMENT" | "SELECT_METHOD" | "ARS_WAITING"
        | "AUTH_PASSWORD" | "ISSUED_SID" => ProviderStatus::Pending,
        "SUCCESS_PAYMENT" => ProviderStatus::Approved,
        "PART_CANCEL_PAYMENT" => ProviderStatus::PartiallyCancelled,
        "CANCEL_PAYMENT" => ProviderStatus::Cancelled,
        "FAIL_AUTH_PASSWORD" | "QUIT_PAYMENT" | "FAIL_PAYMENT" => ProviderStatus::Failed,
        other => {
            return Err(PaymentError::Unavailable(format!(
                "unknown payment status {other}"
            )));
        }
    };
    let total = amount_field(field(&body, "amount")?, "total")?;
    let cancelled = body
        .get("canceled_amount")
        .filter(|v| !v.is_null())
        .map(|c| amount_field(c, "total"))
        .transpose()?
        .unwrap_or(Decimal::ZERO);
    Ok(ProviderPayment {
        payment_id: text_field(&body, "tid")?,
        capture_id: None,
        order_reference: None,
        status,
        total,
        cancelled,
        method: body
            .get("payment_method_type")
            .and_then(Value::as_str)
            .map(str::to_owned),
        deposit_due: None,
        raw: body,
    })
}
