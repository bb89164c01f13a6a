//! A refund a payment provider made, answered and recorded the same way
//! whether a claim on an order or the cash wallet asked for it.

use integrations::payments::{PaymentError, ProviderPayment, mask};
use persistence::payments::attempts::{self as store, PaymentRow};
use persistence::{AsyncPgConnection, StoreError};

use crate::AppError;
use crate::kernel::ProblemCode;

/// A refund the provider refused, or could not be asked for.
pub(crate) fn refund_failure(error: PaymentError) -> AppError {
    match error {
        PaymentError::Unavailable(reason) => AppError::Unavailable(reason),
        other => AppError::Conflict {
            code: ProblemCode::RefundRefused,
            message: other.to_string(),
        },
    }
}

/// Records a refund the provider made of `payment`: the step, and how much
/// of the payment is cancelled now.
pub(crate) async fn record_refund(
    conn: &mut AsyncPgConnection,
    payment: &PaymentRow,
    answer: &ProviderPayment,
) -> Result<(), StoreError> {
    store::record_event(
        conn,
        payment.id,
        "refund",
        "cancelled",
        Some(&mask(&answer.raw)),
    )
    .await?;
    let cancelled_amount = Some(answer.cancelled.min(payment.amount));
    let transition = store::Transition {
        cancelled_amount,
        ..store::Transition::default()
    };
    store::transition(conn, payment.id, &payment.status, &transition).await?;
    Ok(())
}
