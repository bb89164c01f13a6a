//! KakaoPay: ready (the shopper approves in KakaoPay), then approve.

use integrations::payments::kakaopay::KakaoOrder;
use persistence::payments::attempts::status;
use uuid::Uuid;

use super::attempts::{self, OrderRef, Start};
use super::{KAKAOPAY, PaymentRow};
use crate::kernel::FieldCode;
use crate::kernel::principals::Buyer;
use crate::{AppError, Context};

/// Where to send the shopper to approve the payment.
#[derive(Debug, Clone)]
pub struct Ready {
    pub payment: PaymentRow,
    pub redirect_pc_url: String,
    pub redirect_mobile_url: String,
    pub redirect_app_url: String,
}

/// Registers a KakaoPay payment for one of the buyer's unpaid orders.
pub async fn ready(context: &Context, buyer: &Buyer, order_id: Uuid) -> Result<Ready, AppError> {
    let key = buyer.key();
    let (payment, order) = attempts::begin(
        context,
        Start {
            buyer: &key,
            order: OrderRef::Id(order_id),
            provider: KAKAOPAY,
            claimed_amount: None,
            status: status::PENDING,
            provider_payment_id: None,
        },
    )
    .await?;
    let (name, quantity) = super::order_summary(context, order.id).await?;
    let partner_order_id = payment.id.to_string();
    let answer = context
        .payments
        .kakaopay
        .ready(
            &KakaoOrder {
                partner_order_id: &partner_order_id,
                partner_user_id: &key,
            },
            &name,
            quantity,
            payment.amount,
        )
        .await;
    let ready = match answer {
        Ok(ready) => ready,
        Err(error) => {
            return Err(attempts::registration_failed(context, &payment, "ready", &error).await);
        }
    };
    attempts::registered(context, &payment, "ready", &ready.tid, &ready.raw).await?;
    Ok(Ready {
        payment: PaymentRow {
            provider_payment_id: Some(ready.tid),
            ..payment
        },
        redirect_pc_url: ready.redirect_pc_url,
        redirect_mobile_url: ready.redirect_mobile_url,
        redirect_app_url: ready.redirect_app_url,
    })
}

/// Charges a payment the shopper approved in KakaoPay (`pg_token` from
/// the approval redirect). Approving again answers the attempt as it is.
pub async fn approve(
    context: &Context,
    buyer: &Buyer,
    payment_id: Uuid,
    pg_token: &str,
) -> Result<PaymentRow, AppError> {
    if pg_token.is_empty() || pg_token.len() > 100 {
        return Err(AppError::invalid(
            "pg_token",
            FieldCode::InvalidLength,
            "1 to 100 characters",
        ));
    }
    let payment = super::own(context, buyer, payment_id).await?;
    if payment.provider != KAKAOPAY {
        return Err(AppError::NotFound {
            resource: "payment",
        });
    }
    if payment.status != status::PENDING {
        return super::outcome(payment);
    }
    let tid = payment
        .provider_payment_id
        .clone()
        .ok_or(AppError::NotFound {
            resource: "payment",
        })?;
    let payment = attempts::start_confirming(context, payment.id).await?;
    let partner_order_id = payment.id.to_string();
    let answer = context
        .payments
        .kakaopay
        .approve(
            &tid,
            &KakaoOrder {
                partner_order_id: &partner_order_id,
                partner_user_id: &payment.buyer,
            },
            pg_token,
        )
        .await;
    super::outcome(attempts::conclude(context, &payment, "approve", answer).await?)
}
