//! PayPal: create an order (the buyer approves it at PayPal), then capture.

use persistence::payments::attempts::{self as store, status};
use uuid::Uuid;

use super::attempts::{self, OrderRef, Start};
use super::{PAYPAL, PaymentRow};
use crate::kernel::principals::Buyer;
use crate::{AppError, Context};

/// The PayPal order the buyer is to approve.
#[derive(Debug, Clone)]
pub struct Created {
    pub payment: PaymentRow,
    pub paypal_order_id: String,
    pub approve_url: String,
}

/// Creates a PayPal order for one of the buyer's unpaid orders.
pub async fn create(context: &Context, buyer: &Buyer, order_id: Uuid) -> Result<Created, AppError> {
    let key = buyer.key();
    let (payment, order) = attempts::begin(
        context,
        Start {
            buyer: &key,
            order: OrderRef::Id(order_id),
            provider: PAYPAL,
            claimed_amount: None,
            status: status::PENDING,
            provider_payment_id: None,
        },
    )
    .await?;
    let (name, _) = super::order_summary(context, order.id).await?;
    let answer = context
        .payments
        .paypal
        .create_order(
            &order.order_no,
            &payment.id.to_string(),
            &name,
            payment.amount,
            &payment.currency,
            &format!("{}-create", payment.id),
        )
        .await;
    let created = match answer {
        Ok(created) => created,
        Err(error) => {
            return Err(attempts::registration_failed(context, &payment, "create", &error).await);
        }
    };
    attempts::registered(context, &payment, "create", &created.order_id, &created.raw).await?;
    Ok(Created {
        payment: PaymentRow {
            provider_payment_id: Some(created.order_id.clone()),
            ..payment
        },
        paypal_order_id: created.order_id,
        approve_url: created.approve_url,
    })
}

/// Captures a PayPal order the buyer approved. Capturing again answers
/// the attempt as it is.
pub async fn capture(
    context: &Context,
    buyer: &Buyer,
    paypal_order_id: &str,
) -> Result<PaymentRow, AppError> {
    let payment = {
        let mut conn = context.db.get().await?;
        store::find_by_provider_key(&mut conn, PAYPAL, paypal_order_id)
            .await?
            .filter(|p| p.buyer == buyer.key())
            .ok_or(AppError::NotFound {
                resource: "payment",
            })?
    };
    if payment.status != status::PENDING {
        return super::outcome(payment);
    }
    let payment = attempts::start_confirming(context, payment.id).await?;
    let answer = context
        .payments
        .paypal
        .capture(paypal_order_id, &format!("{}-capture", payment.id))
        .await;
    super::outcome(attempts::conclude(context, &payment, "capture", answer).await?)
}
