//! Partial refunds of a paid order, for the claims flow: each source gets
//! back what is allocated to it — the card part through the provider
//! (a partial cancel), points and cash restored to the lots the order drew,
//! in reverse order of use.

use diesel_async::AsyncConnection;
use integrations::payments::Cancellation;
use persistence::kernel::lots::{self, Ledger};
use persistence::orders::purchase_orders::{self, status as order_status};
use persistence::payments::attempts::{self as store, status};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::reference_of;
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::provider_refunds::{record_refund, refund_failure};
use crate::{AppError, Context};

/// What goes back to each source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceRefund {
    /// Through the payment provider.
    pub payable: Decimal,
    pub points: Decimal,
    pub cash: Decimal,
}

/// Takes `amount` from the lots an order drew, the last drawn first.
fn reverse_of_use(owed: &[(i64, Decimal)], amount: Decimal) -> Option<Vec<(i64, Decimal)>> {
    domain::lots::take_in_order(owed.iter().rev().copied(), amount)
}

/// Refunds part of a paid order to its sources. `key` makes it idempotent:
/// the provider sees the same cancellation key, and a refund whose key was
/// applied before changes nothing.
pub async fn refund_order(
    context: &Context,
    order_id: Uuid,
    refund: SourceRefund,
    reason: &str,
    key: &str,
) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    let order = purchase_orders::find_purchase(&mut conn, order_id, None)
        .await?
        .ok_or(AppError::NotFound { resource: "order" })?;
    if order.status != order_status::PAID {
        return Err(AppError::Conflict {
            code: ProblemCode::OrderNotPaid,
            message: format!("the order is {}", order.status),
        });
    }
    let payment = store::of_order(&mut conn, order_id)
        .await?
        .into_iter()
        .find(|p| p.status == status::SUCCEEDED);
    let cancelled = if refund.payable > Decimal::ZERO {
        let payment = payment.as_ref().ok_or_else(|| AppError::Conflict {
            code: ProblemCode::NoProviderPayment,
            message: "the order was not paid through a provider".into(),
        })?;
        if refund.payable > payment.amount - payment.cancelled_amount {
            return Err(AppError::invalid(
                "payable",
                FieldCode::ExceedsPaid,
                format!(
                    "{} is left to refund",
                    payment.amount - payment.cancelled_amount
                ),
            ));
        }
        let provider = context.payments.of(&payment.provider)?;
        let reference = reference_of(payment)
            .ok_or_else(|| AppError::internal("a paid payment without a provider id"))?;
        let answer = provider
            .cancel(
                &reference,
                Cancellation::new(Some(refund.payable), reason, key),
            )
            .await
            .map_err(refund_failure)?;
        Some((payment.clone(), answer))
    } else {
        None
    };
    conn.transaction(async |conn| {
        if !store::remember_provider_event(conn, "refund", key, "partial_refund").await? {
            return Ok(());
        }
        if let Some((payment, answer)) = &cancelled {
            record_refund(conn, payment.id, answer).await?;
        }
        let Some(user_id) = order.user_id else {
            return Ok(());
        };
        for (ledger, amount, field) in [
            (Ledger::Points, refund.points, "points"),
            (Ledger::Cash, refund.cash, "cash"),
        ] {
            if amount <= Decimal::ZERO {
                continue;
            }
            let owed = lots::outstanding_for_order(conn, ledger, order_id).await?;
            let back = reverse_of_use(&owed, amount).ok_or_else(|| {
                AppError::invalid(
                    field,
                    FieldCode::ExceedsPaid,
                    format!("more {field} than the order used"),
                )
            })?;
            lots::draw(
                conn,
                ledger,
                user_id,
                lots::kind::RESTORE,
                &back,
                Some(order_id),
                reason,
            )
            .await?;
        }
        Ok::<_, AppError>(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_to_the_last_drawn_lot_first() {
        let owed = [
            (7, Decimal::from(500)),
            (3, Decimal::from(1_000)),
            (9, Decimal::from(200)),
        ];
        assert_eq!(
            reverse_of_use(&owed, Decimal::from(700)),
            Some(vec![(9, Decimal::from(200)), (3, Decimal::from(500))])
        );
        assert_eq!(reverse_of_use(&owed, Decimal::from(1_701)), None);
    }
}
