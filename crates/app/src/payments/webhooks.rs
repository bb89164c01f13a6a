//! Provider notifications. None is trusted as it arrives: Toss's carry no
//! signature, so the payment is read again from Toss; PayPal's are checked
//! by PayPal's signature verification and the order is then read again.
//! Acting on the provider's current state (never on the event's) makes
//! late and repeated notifications harmless; each event id is stored in
//! the transaction of its effect.

pub use integrations::payments::paypal::WebhookHeaders;
use integrations::payments::{PaymentError, ProviderPayment};
use persistence::payments::attempts as store;
use serde_json::Value;

use super::attempts::{self, Notice};
use super::{PAYPAL, TOSS};
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::{AppError, Context};

/// What became of a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    Applied,
    /// About a payment that is not ours, or an event we do not act on.
    Ignored,
}

/// A Toss webhook: `PAYMENT_STATUS_CHANGED` (`data` is a Payment) or a
/// virtual-account `DEPOSIT_CALLBACK` (`orderId`, `status`, `secret`).
pub async fn toss(context: &Context, body: &Value) -> Result<Handled, AppError> {
    let payment_key = match body.get("eventType").and_then(Value::as_str) {
        Some("PAYMENT_STATUS_CHANGED") => body
            .get("data")
            .and_then(|d| d.get("paymentKey"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        Some(_) => return Ok(Handled::Ignored),
        // Deposit callbacks have no eventType; they name the order.
        None => match body.get("orderId").and_then(Value::as_str) {
            Some(order_no) => super::toss::awaiting_deposit_key(context, order_no).await?,
            None => None,
        },
    };
    let Some(payment_key) = payment_key else {
        return Ok(Handled::Ignored);
    };
    let current = match context.payments.toss.payment(&payment_key).await {
        Ok(current) => current,
        Err(PaymentError::NotFound { .. }) => return Ok(Handled::Ignored),
        Err(error) => return Err(AppError::Unavailable(error.to_string())),
    };
    let last_transaction = current
        .raw
        .get("lastTransactionKey")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let event_id = format!(
        "{}:{}:{last_transaction}",
        current.payment_id,
        current
            .raw
            .get("status")
            .and_then(Value::as_str)
            .unwrap_or_default()
    );
    apply(context, TOSS, &current, &event_id, "PAYMENT_STATUS_CHANGED").await
}

/// A PayPal webhook, verified by PayPal before anything is read from it.
pub async fn paypal(
    context: &Context,
    headers: &WebhookHeaders,
    body: &Value,
) -> Result<Handled, AppError> {
    let verified = context
        .payments
        .paypal
        .verify_webhook(headers, body)
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    if !verified {
        return Err(AppError::Unauthorized {
            code: ProblemCode::InvalidSignature,
        });
    }
    let event_id = body
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| AppError::invalid("id", FieldCode::Required, "the event has no id"))?;
    let kind = body
        .get("event_type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let resource = body.get("resource");
    let order_id = if kind.starts_with("CHECKOUT.ORDER.") {
        resource.and_then(|r| r.get("id"))
    } else if kind.starts_with("PAYMENT.CAPTURE.") {
        resource
            .and_then(|r| r.get("supplementary_data"))
            .and_then(|s| s.get("related_ids"))
            .and_then(|r| r.get("order_id"))
    } else {
        None
    };
    let Some(order_id) = order_id.and_then(Value::as_str) else {
        return Ok(Handled::Ignored);
    };
    let current = match context.payments.paypal.order(order_id).await {
        Ok(current) => current,
        Err(PaymentError::NotFound { .. }) => return Ok(Handled::Ignored),
        Err(error) => return Err(AppError::Unavailable(error.to_string())),
    };
    apply(context, PAYPAL, &current, event_id, kind).await
}

async fn apply(
    context: &Context,
    provider: &str,
    current: &ProviderPayment,
    event_id: &str,
    kind: &str,
) -> Result<Handled, AppError> {
    let payment = {
        let mut conn = context.db.get().await?;
        store::find_by_provider_key(&mut conn, provider, &current.payment_id).await?
    };
    let Some(payment) = payment else {
        return Ok(Handled::Ignored);
    };
    attempts::apply_provider_state(
        context,
        &payment,
        "webhook",
        current,
        Some(Notice {
            provider,
            event_id,
            kind,
        }),
    )
    .await?;
    Ok(Handled::Applied)
}
