//! PayPal Orders v2.
//!
//! An OAuth 2.0 access token comes from `POST /v1/oauth2/token`
//! (client credentials, HTTP Basic) and is reused until shortly before it
//! expires. `POST /v2/checkout/orders` creates an order (intent `CAPTURE`)
//! whose `payer-action` (or `approve`) link is where the buyer approves it;
//! nothing is charged until our server calls `POST
//! /v2/checkout/orders/{id}/capture`. `GET /v2/checkout/orders/{id}` reads
//! the order; `POST /v2/payments/captures/{id}/refund` refunds all or part
//! of a capture. POSTs carry `PayPal-Request-Id` (PayPal's idempotency key).
//! Errors are `{"name", "message", "debug_id", "details": [{"issue",
//! "description"}]}`. Webhooks are verified by asking PayPal: `POST
//! /v1/notifications/verify-webhook-signature` with the transmission
//! headers, our webhook id and the event → `{"verification_status":
//! "SUCCESS" | "FAILURE"}`.

use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    Cancellation, PaymentError, PaymentProvider, PaymentReference, ProviderFuture, ProviderPayment,
    ProviderStatus, amount_field, answer_of, field, http_client, text_field,
};

/// `[payments.paypal]`.
#[derive(Debug, Clone, Deserialize)]
pub struct PayPalSettings {
    /// `https://api-m.paypal.com` in production, `https://api-m.sandbox.paypal.com` to try.
    pub base_url: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// The id PayPal gave our webhook subscription (signature verification).
    pub webhook_id: String,
    /// Where PayPal sends the buyer afterwards (our front end's pages).
    pub return_url: String,
    pub cancel_url: String,
    pub timeout_ms: u64,
}

/// An order the buyer is to approve at PayPal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedOrder {
    pub order_id: String,
    pub approve_url: String,
    pub raw: Value,
}

/// The transmission headers of a webhook delivery.
#[derive(Debug, Clone, Default)]
pub struct WebhookHeaders {
    pub auth_algo: String,
    pub cert_url: String,
    pub transmission_id: String,
    pub transmission_sig: String,
    pub transmission_time: String,
}

pub struct PayPalClient {
    http: reqwest::Client,
    settings: PayPalSettings,
    token: crate::token_cache::TokenCache,
}

impl PayPalClient {
    pub fn new(settings: PayPalSettings) -> Result<Self, PaymentError> {
        Ok(Self {
            http: http_client(settings.timeout_ms)?,
            settings,
            token: crate::token_cache::TokenCache::default(),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_url.trim_end_matches('/'))
    }

    async fn access_token(&self) -> Result<String, PaymentError> {
        if let Some(token) = self.token.get() {
            return Ok(token);
        }
        let sent = self
            .http
            .post(self.url("/v1/oauth2/token"))
            .basic_auth(
                &self.settings.client_id,
                Some(self.settings.client_secret.expose_secret()),
            )
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials")
            .send()
            .await;
        let (status, body) = answer_of(sent).await?;
        if !status.is_success() {
            return Err(PaymentError::Config(format!(
                "token refused: HTTP {status} {}",
                body.get("error")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            )));
        }
        let value = text_field(&body, "access_token")?;
        let lifetime = body.get("expires_in").and_then(Value::as_u64).unwrap_or(0);
        self.token.put(&value, lifetime);
        Ok(value)
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        request_id: Option<&str>,
    ) -> Result<Value, PaymentError> {
        let token = self.access_token().await?;
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("prefer", "return=representation");
        if let Some(request_id) = request_id {
            request = request.header("paypal-request-id", request_id);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let (status, body) = answer_of(request.send().await).await?;
        if status.is_success() {
            return Ok(body);
        }
        if status.as_u16() == 401 {
            self.token.clear();
            return Err(PaymentError::Unavailable("access token refused".into()));
        }
        let issue = body
            .get("details")
            .and_then(|d| d.get(0))
            .and_then(|d| d.get("issue"))
            .or_else(|| body.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("UNKNOWN")
            .to_owned();
        let message = body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Err(match (status.as_u16(), issue.as_str()) {
            (404, _) | (_, "RESOURCE_NOT_FOUND") => PaymentError::NotFound { raw: body },
            _ => PaymentError::Declined {
                code: issue,
                message,
                raw: body,
            },
        })
    }

    /// Creates an order for `amount`; nothing is charged. `custom_id`
    /// (our attempt) comes back in captures and notifications.
    pub async fn create_order(
        &self,
        reference: &str,
        custom_id: &str,
        description: &str,
        amount: Decimal,
        currency: &str,
        request_id: &str,
    ) -> Result<CreatedOrder, PaymentError> {
        let body = self
            .call(
                reqwest::Method::POST,
                "/v2/checkout/orders",
                Some(json!({
                    "intent": "CAPTURE",
                    "purchase_units": [{
                        "reference_id": reference,
                        "custom_id": custom_id,
                        "description": description,
                        "amount": { "currency_code": currency, "value": wire_amount(amount, currency) },
                    }],
                    "payment_source": { "paypal": { "experience_context": {
                        "return_url": self.settings.return_url,
                        "cancel_url": self.settings.cancel_url,
                        "user_action": "PAY_NOW",
                    }}},
                })),
                Some(request_id),
            )
            .await?;
        let approve_url = body
            .get("links")
            .and_then(Value::as_array)
            .and_then(|links| {
                links.iter().find(|link| {
                    matches!(
                        link.get("rel").and_then(Value::as_str),
                        Some("payer-action" | "approve")
                    )
                })
            })
            .and_then(|link| link.get("href"))
            .and_then(Value::as_str)
            .ok_or_else(|| PaymentError::Unavailable("no approval link".into()))?
            .to_owned();
        Ok(CreatedOrder {
            order_id: text_field(&body, "id")?,
            approve_url,
            raw: body,
        })
    }

    /// Captures (charges) an order the buyer approved; an order captured
    /// already is read back instead.
    pub async fn capture(
        &self,
        order_id: &str,
        request_id: &str,
    ) -> Result<ProviderPayment, PaymentError> {
        let path = format!(
            "/v2/checkout/orders/{}/capture",
            crate::path_segment(order_id)
        );
        match self
            .call(
                reqwest::Method::POST,
                &path,
                Some(json!({})),
                Some(request_id),
            )
            .await
        {
            Ok(body) => payment_of(body),
            Err(PaymentError::Declined { code, .. }) if code == "ORDER_ALREADY_CAPTURED" => {
                self.order(order_id).await
            }
            Err(other) => Err(other),
        }
    }

    /// The order as PayPal has it now.
    pub async fn order(&self, order_id: &str) -> Result<ProviderPayment, PaymentError> {
        let path = format!("/v2/checkout/orders/{}", crate::path_segment(order_id));
        payment_of(self.call(reqwest::Method::GET, &path, None, None).await?)
    }

    /// Refunds `amount` of a capture (all of it when `None`), then reads
    /// the order back.
    pub async fn refund(
        &self,
        payment: &PaymentReference,
        amount: Option<Decimal>,
        request_id: &str,
    ) -> Result<ProviderPayment, PaymentError> {
        // The capture may be unknown to the caller (its answer was lost, or
        // the transaction that stored it failed): PayPal is asked.
        let capture_id = match payment.capture_id.clone() {
            Some(capture_id) => capture_id,
            None => {
                let current = self.order(&payment.payment_id).await?;
                match current.capture_id {
                    Some(capture_id) => capture_id,
                    // Never captured: nothing was charged, nothing to give back.
                    None => return Ok(current),
                }
            }
        };
        let body = match amount {
            Some(amount) => json!({ "amount": {
                "currency_code": payment.currency, "value": wire_amount(amount, &payment.currency),
            }}),
            None => json!({}),
        };
        let path = format!(
            "/v2/payments/captures/{}/refund",
            crate::path_segment(&capture_id)
        );
        match self
            .call(reqwest::Method::POST, &path, Some(body), Some(request_id))
            .await
        {
            Ok(_) => {}
            Err(PaymentError::Declined { code, .. }) if code == "CAPTURE_FULLY_REFUNDED" => {}
            Err(other) => return Err(other),
        }
        self.order(&payment.payment_id).await
    }

    /// Whether a webhook delivery is PayPal's (PayPal checks the signature
    /// against its certificate and our webhook id).
    pub async fn verify_webhook(
        &self,
        headers: &WebhookHeaders,
        event: &Value,
    ) -> Result<bool, PaymentError> {
        let body = self
            .call(
                reqwest::Method::POST,
                "/v1/notifications/verify-webhook-signature",
                Some(json!({
                    "auth_algo": headers.auth_algo,
                    "cert_url": headers.cert_url,
                    "transmission_id": headers.transmission_id,
                    "transmission_sig": headers.transmission_sig,
                    "transmission_time": headers.transmission_time,
                    "webhook_id": self.settings.webhook_id,
                    "webhook_event": event,
                })),
                None,
            )
            .await?;
        Ok(body.get("verification_status").and_then(Value::as_str) == Some("SUCCESS"))
    }
}

impl PaymentProvider for PayPalClient {
    fn lookup<'a>(&'a self, payment: &'a PaymentReference) -> ProviderFuture<'a, ProviderPayment> {
        Box::pin(self.order(&payment.payment_id))
    }

    fn cancel<'a>(
        &'a self,
        payment: &'a PaymentReference,
        cancellation: Cancellation<'a>,
    ) -> ProviderFuture<'a, ProviderPayment> {
        Box::pin(self.refund(payment, cancellation.amount, cancellation.idempotency_key))
    }
}

/// Currencies PayPal takes without decimals.
const ZERO_DECIMAL_CURRENCIES: &[&str] = &["HUF", "JPY", "KRW", "TWD"];

fn wire_amount(amount: Decimal, currency: &str) -> String {
    let mut amount = amount;
    amount.rescale(if ZERO_DECIMAL_CURRENCIES.contains(&currency) {
        0
    } else {
        2
    });
    amount.to_string()
}

/// An order (as capture and GET answer it) as a payment.
fn payment_of(body: Value) -> Result<ProviderPayment, PaymentError> {
    let unit = field(&body, "purchase_units")?
        .get(0)
        .ok_or_else(|| PaymentError::Unavailable("no purchase unit".into()))?;
    let payments = unit.get("payments");
    let capture = payments
        .and_then(|p| p.get("captures"))
        .and_then(|c| c.get(0));
    let refunded = payments
        .and_then(|p| p.get("refunds"))
        .and_then(Value::as_array)
        .map(|refunds| {
            refunds
                .iter()
                .filter(|r| r.get("status").and_then(Value::as_str) == Some("COMPLETED"))
                .map(|r| field(r, "amount").and_then(|a| amount_field(a, "value")))
                .sum::<Result<Decimal, PaymentError>>()
        })
        .transpose()?
        .unwrap_or(Decimal::ZERO);
    let order_status = text_field(&body, "status")?;
    let (status, total) = match capture {
        Some(capture) => {
            let total = amount_field(field(capture, "amount")?, "value")?;
            let status = match text_field(capture, "status")?.as_str() {
                "COMPLETED" => ProviderStatus::Approved,
                "PARTIALLY_REFUNDED" => ProviderStatus::PartiallyCancelled,
                "REFUNDED" => ProviderStatus::Cancelled,
                "PENDING" => ProviderStatus::AwaitingDeposit,
                _ => ProviderStatus::Failed,
            };
            (status, total)
        }
        None => {
            let total = amount_field(field(unit, "amount")?, "value")?;
            let status = match order_status.as_str() {
                "VOIDED" => ProviderStatus::Failed,
                _ => ProviderStatus::Pending,
            };
            (status, total)
        }
    };
    Ok(ProviderPayment {
        payment_id: text_field(&body, "id")?,
        capture_id: capture
            .and_then(|c| c.get("id"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        order_reference: None,
        status,
        total,
        cancelled: refunded,
        method: Some("PAYPAL".into()),
        deposit_due: None,
        raw: body,
    })
}
