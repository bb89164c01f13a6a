//! A refund a payment provider made, answered and recorded the same way
//! whether a claim on an order or the cash wallet asked for it.

use integrations::payments::{ProviderPayment, mask};
use persistence::payments::attempts as store;
use persistence::{AsyncPgConnection, StoreError};
use uuid::Uuid;

/// Records a refund the provider made of a payment: the step, and how
/// much of the payment is cancelled now. The row is read under lock, and a
/// replayed (older) answer never lowers what a later cancellation recorded.
pub(crate) async fn record_refund(
    conn: &mut AsyncPgConnection,
    payment_id: Uuid,
    answer: &ProviderPayment,
) -> Result<(), StoreError> {
    let Some(current) = store::lock(conn, payment_id).await? else {
        return Ok(());
    };
    store::record_event(
        conn,
        current.id,
        "refund",
        "cancelled",
        Some(&mask(&answer.raw)),
    )
    .await?;
    let cancelled_amount = Some(
        answer
            .cancelled
            .max(current.cancelled_amount)
            .min(current.amount),
    );
    let transition = store::Transition {
        cancelled_amount,
        ..store::Transition::default()
    };
    store::transition(conn, current.id, &current.status, &transition).await?;
    Ok(())
}
