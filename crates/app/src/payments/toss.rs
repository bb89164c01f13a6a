//! TossPayments: the widget authorises, our server confirms.

use rust_decimal::Decimal;

use super::attempts::{self, OrderRef, PAYMENT_KEY_TAKEN, Start};
use super::{PaymentRow, TOSS};
use crate::kernel::FieldCode;
use crate::kernel::principals::Buyer;
use crate::{AppError, Context};
use persistence::payments::attempts::{self as store, status};

/// What the widget hands back on success.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub payment_key: String,
    /// Our order number, as given to the widget.
    pub order_id: String,
    pub amount: Decimal,
}

/// Confirms a payment the shopper authorised in the widget, for an order
/// (`orderId` = its number) or a wallet charge (`orderId` = `cash-…`). The
/// amount must be the order's or the charge's (checked before Toss is
/// called); confirming the same payment key again answers the same attempt
/// and charges nothing more.
pub async fn confirm(
    context: &Context,
    buyer: &Buyer,
    confirmation: &Confirmation,
) -> Result<PaymentRow, AppError> {
    validate(confirmation)?;
    let key = buyer.key();
    if let Some(existing) = already_confirmed(context, &key, &confirmation.payment_key).await? {
        return super::outcome(existing);
    }
    let started = match crate::wallet::cash::charge_of_order_id(&confirmation.order_id) {
        Some(charge_id) => {
            attempts::begin_charge(
                context,
                buyer,
                charge_id,
                TOSS,
                confirmation.amount,
                &confirmation.payment_key,
            )
            .await
        }
        None => attempts::begin(
            context,
            Start {
                buyer: &key,
                order: OrderRef::Number(&confirmation.order_id),
                provider: TOSS,
                claimed_amount: Some(confirmation.amount),
                status: status::CONFIRMING,
                provider_payment_id: Some(&confirmation.payment_key),
            },
        )
        .await
        .map(|(payment, _)| payment),
    };
    let payment = match started {
        Ok(payment) => payment,
        // The same key confirmed concurrently: answer what that attempt became.
        Err(AppError::Conflict {
            code: PAYMENT_KEY_TAKEN,
            ..
        }) => {
            let existing = already_confirmed(context, &key, &confirmation.payment_key)
                .await?
                .ok_or(AppError::NotFound {
                    resource: "payment",
                })?;
            return super::outcome(existing);
        }
        Err(other) => return Err(other),
    };
    let answer = context
        .payments
        .toss
        .confirm(
            &confirmation.payment_key,
            &confirmation.order_id,
            confirmation.amount,
            &payment.id.to_string(),
        )
        .await;
    super::outcome(attempts::conclude(context, &payment, "confirm", answer).await?)
}

async fn already_confirmed(
    context: &Context,
    buyer: &str,
    payment_key: &str,
) -> Result<Option<PaymentRow>, AppError> {
    let mut conn = context.db.get().await?;
    match store::find_by_provider_key(&mut conn, TOSS, payment_key).await? {
        Some(existing) if existing.buyer == buyer => Ok(Some(existing)),
        Some(_) => Err(AppError::NotFound {
            resource: "payment",
        }),
        None => Ok(None),
    }
}

fn validate(confirmation: &Confirmation) -> Result<(), AppError> {
    if confirmation.payment_key.is_empty() || confirmation.payment_key.len() > 200 {
        return Err(AppError::invalid(
            "paymentKey",
            FieldCode::InvalidLength,
            "1 to 200 characters",
        ));
    }
    let order_id = &confirmation.order_id;
    if !(6..=64).contains(&order_id.len())
        || !order_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(AppError::invalid(
            "orderId",
            FieldCode::InvalidFormat,
            "6 to 64 of A-Z, a-z, 0-9, - and _",
        ));
    }
    if confirmation.amount <= Decimal::ZERO || confirmation.amount.fract() != Decimal::ZERO {
        return Err(AppError::invalid(
            "amount",
            FieldCode::InvalidAmount,
            "a positive whole amount",
        ));
    }
    Ok(())
}

/// The attempt that waits on a virtual-account deposit for what Toss knows
/// under `order_id` (an order's number, or a wallet charge's), for deposit
/// notifications.
pub(super) async fn awaiting_deposit_key(
    context: &Context,
    order_no: &str,
) -> Result<Option<String>, AppError> {
    let mut conn = context.db.get().await?;
    let attempts = match crate::wallet::cash::charge_of_order_id(order_no) {
        Some(charge_id) => store::of_charge(&mut conn, charge_id).await?,
        None => {
            let Some(order_id) =
                persistence::orders::purchase_orders::id_by_number(&mut conn, order_no).await?
            else {
                return Ok(None);
            };
            store::of_order(&mut conn, order_id).await?
        }
    };
    Ok(attempts
        .into_iter()
        .find(|p| p.provider == TOSS && p.status == status::AWAITING_DEPOSIT)
        .and_then(|p| p.provider_payment_id))
}
