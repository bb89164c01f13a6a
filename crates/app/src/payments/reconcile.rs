//! Schedules: payments left in doubt are settled by asking their provider;
//! attempts never approved expire.

use chrono::{TimeDelta, Utc};
use integrations::payments::{PaymentError, ProviderStatus};
use persistence::payments::attempts::{self as store, PaymentRow, Transition, status};
use serde::{Deserialize, Serialize};

use super::attempts::{self, compensate};
use super::reference_of;
use crate::{AppError, Context};

/// Schedule: asks providers about attempts whose outcome we do not know.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReconcilePayments;

impl jobs::Job for ReconcilePayments {
    const KIND: &'static str = "payments.reconcile";
}

/// Schedule: ends attempts the shopper never approved.
#[derive(Debug, Serialize, Deserialize)]
pub struct ExpirePendingPayments;

impl jobs::Job for ExpirePendingPayments {
    const KIND: &'static str = "payments.expire_pending";
}

/// What one reconciliation round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub asked: usize,
    /// The provider could not be reached; asked again next round.
    pub unreachable: usize,
}

/// Asks the provider about every unsettled attempt and applies its answer.
pub async fn reconcile(context: &Context) -> Result<Reconciled, AppError> {
    let stalled_before =
        Utc::now() - TimeDelta::seconds(context.payments.settings.stalled_after_secs);
    let unsettled = {
        let mut conn = context.db.get().await?;
        store::unsettled(&mut conn, stalled_before, 100).await?
    };
    let mut round = Reconciled::default();
    for payment in unsettled {
        round.asked += 1;
        if let Err(error) = reconcile_one(context, &payment).await {
            round.unreachable += 1;
            tracing::warn!(payment = %payment.id, %error, "payment not reconciled");
        }
    }
    Ok(round)
}

async fn reconcile_one(context: &Context, payment: &PaymentRow) -> Result<(), AppError> {
    let Some(reference) = reference_of(payment) else {
        // Never registered at the provider: nothing can have been charged.
        let mut conn = context.db.get().await?;
        store::transition(
            &mut conn,
            payment.id,
            status::FAILED,
            &Transition {
                failure_code: Some("not_registered"),
                failure_message: Some("the provider never took the payment"),
                ..Transition::default()
            },
        )
        .await?;
        return Ok(());
    };
    if payment.status == status::CANCELLING {
        return compensate(
            context,
            payment,
            payment
                .failure_message
                .as_deref()
                .unwrap_or("compensation retried"),
            None,
        )
        .await;
    }
    let provider = context.payments.of(&payment.provider)?;
    match provider.lookup(&reference).await {
        // Toss never received our confirmation (or lost it): it is sent
        // again under the attempt's idempotency key, so Toss performs it at
        // most once; this is not a new attempt.
        Ok(answer)
            if answer.status == ProviderStatus::Pending
                && payment.provider == super::TOSS
                && payment.status != status::PENDING =>
        {
            let order_id = answer.order_reference.clone().unwrap_or_default();
            let confirmed = context
                .payments
                .toss
                .confirm(
                    &answer.payment_id,
                    &order_id,
                    payment.amount,
                    &payment.id.to_string(),
                )
                .await;
            if let Err(PaymentError::Unavailable(reason)) = &confirmed {
                return Err(AppError::Unavailable(reason.clone()));
            }
            attempts::conclude(context, payment, "reconcile_confirm", confirmed)
                .await
                .map(|_| ())
        }
        Ok(answer) => {
            attempts::apply_provider_state(context, payment, "reconcile", &answer, None).await
        }
        // The approval call never reached the provider: nothing was charged.
        Err(PaymentError::NotFound { raw }) => attempts::conclude(
            context,
            payment,
            "reconcile",
            Err(PaymentError::NotFound { raw }),
        )
        .await
        .map(|_| ()),
        Err(error) => Err(AppError::Unavailable(error.to_string())),
    }
}

/// Ends `pending` attempts older than the approval window or whose order
/// can no longer be paid; returns how many.
pub async fn expire_pending(context: &Context) -> Result<usize, AppError> {
    let before = Utc::now() - TimeDelta::seconds(context.payments.settings.pending_ttl_secs);
    let mut conn = context.db.get().await?;
    Ok(store::expire_pending(&mut conn, before).await?)
}
