//! The life of one payment attempt, whatever the provider.

use chrono::Utc;
use diesel_async::AsyncConnection;
use integrations::payments::{Cancellation, PaymentError, ProviderPayment, ProviderStatus, mask};
use persistence::orders::purchase_orders::{self, PurchaseOrderRow, status as order_status};
use persistence::payments::attempts::{
    self as store, NewPayment, ONE_ACTIVE_PER_CHARGE, ONE_ACTIVE_PER_ORDER, PROVIDER_PAYMENT_KEY,
    PaymentRow, Transition, status,
};
use persistence::wallet::cash;
use persistence::{AsyncPgConnection, StoreError};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::reference_of;
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::principals::Buyer;
use crate::{AppError, Context};

/// The problem code of a provider payment key already held by an attempt.
pub(super) const PAYMENT_KEY_TAKEN: ProblemCode = ProblemCode::PaymentKeyTaken;

/// Which order an attempt is for, as the caller names it.
pub(super) enum OrderRef<'a> {
    Id(Uuid),
    /// The order number (Toss's `orderId`).
    Number(&'a str),
}

/// How an attempt starts.
pub(super) struct Start<'a> {
    pub buyer: &'a str,
    pub order: OrderRef<'a>,
    pub provider: &'a str,
    /// The amount the client claims it is paying: must be the order's.
    pub claimed_amount: Option<Decimal>,
    pub status: &'a str,
    pub provider_payment_id: Option<&'a str>,
}

/// A provider notification being applied: its id is stored with its effect.
#[derive(Debug, Clone, Copy)]
pub(super) struct Notice<'a> {
    pub provider: &'a str,
    pub event_id: &'a str,
    pub kind: &'a str,
}

/// Starts an attempt and commits it before any provider call: the order is
/// locked and checked payable for this amount, and `pending` attempts of
/// other tries are superseded (they never charged anything).
pub(super) async fn begin(
    context: &Context,
    start: Start<'_>,
) -> Result<(PaymentRow, PurchaseOrderRow), AppError> {
    let mut conn = context.db.get().await?;
    let id = Uuid::new_v4();
    let order = conn
        .transaction(async |conn| {
            let order = match start.order {
                OrderRef::Id(order_id) => {
                    purchase_orders::lock_purchase(conn, order_id, Some(start.buyer)).await?
                }
                OrderRef::Number(number) => {
                    purchase_orders::lock_purchase_by_number(conn, number, start.buyer).await?
                }
            }
            .ok_or(AppError::NotFound { resource: "order" })?;
            if let Some(claimed) = start.claimed_amount
                && claimed != order.payable_amount
            {
                return Err(AppError::invalid(
                    "amount",
                    FieldCode::AmountMismatch,
                    format!("the order's payable amount is {}", order.payable_amount),
                ));
            }
            // Under the order's lock, a concurrent confirmation of the same
            // provider payment is seen here, before the one-live-attempt rule.
            if let Some(key) = start.provider_payment_id
                && store::find_by_provider_key(conn, start.provider, key)
                    .await?
                    .is_some()
            {
                return Err(payment_key_taken());
            }
            payable(&order)?;
            store::supersede_pending(conn, order.id).await?;
            insert_attempt(
                conn,
                &NewPayment {
                    id,
                    purchase_order_id: Some(order.id),
                    wallet_charge_id: None,
                    buyer: start.buyer,
                    provider: start.provider,
                    status: start.status,
                    amount: order.payable_amount,
                    currency: &order.currency,
                    provider_payment_id: start.provider_payment_id,
                },
            )
            .await?;
            Ok::<_, AppError>(order)
        })
        .await?;
    let payment = store::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::internal("the new payment vanished"))?;
    Ok((payment, order))
}

/// Inserts an attempt, naming the rule a concurrent one broke.
async fn insert_attempt(
    conn: &mut AsyncPgConnection,
    new: &NewPayment<'_>,
) -> Result<(), AppError> {
    store::insert(conn, new).await.map_err(|e| match e {
        StoreError::Conflict(index)
            if index == ONE_ACTIVE_PER_ORDER || index == ONE_ACTIVE_PER_CHARGE =>
        {
            AppError::Conflict {
                code: ProblemCode::PaymentInProgress,
                message: "another payment of this order is under way".into(),
            }
        }
        StoreError::Conflict(index) if index == PROVIDER_PAYMENT_KEY => payment_key_taken(),
        other => other.into(),
    })
}

/// Starts an attempt to pay a wallet charge (committed before the provider
/// is called), the amount checked against the charge's.
pub(super) async fn begin_charge(
    context: &Context,
    buyer: &Buyer,
    charge_id: Uuid,
    provider: &str,
    claimed_amount: Decimal,
    provider_payment_id: &str,
) -> Result<PaymentRow, AppError> {
    let member = buyer.member_id().ok_or(AppError::Forbidden {
        code: ProblemCode::MembersOnly,
    })?;
    let key = buyer.key();
    let id = Uuid::new_v4();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let charge = cash::lock_charge(conn, charge_id, Some(member))
            .await?
            .ok_or(AppError::NotFound { resource: "charge" })?;
        if claimed_amount != charge.amount {
            return Err(AppError::invalid(
                "amount",
                FieldCode::AmountMismatch,
                format!("the charge is of {}", charge.amount),
            ));
        }
        if store::find_by_provider_key(conn, provider, provider_payment_id)
            .await?
            .is_some()
        {
            return Err(payment_key_taken());
        }
        if charge.status != "pending" {
            return Err(AppError::Conflict {
                code: ProblemCode::ChargeNotPayable,
                message: format!("the charge is {}", charge.status),
            });
        }
        insert_attempt(
            conn,
            &NewPayment {
                id,
                purchase_order_id: None,
                wallet_charge_id: Some(charge.id),
                buyer: &key,
                provider,
                status: status::CONFIRMING,
                amount: charge.amount,
                currency: &charge.currency,
                provider_payment_id: Some(provider_payment_id),
            },
        )
        .await
    })
    .await?;
    store::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::internal("the new payment vanished"))
}

fn payment_key_taken() -> AppError {
    AppError::Conflict {
        code: PAYMENT_KEY_TAKEN,
        message: "the provider's payment key is another attempt's".into(),
    }
}

/// Refuses an order that cannot take a payment now.
fn payable(order: &PurchaseOrderRow) -> Result<(), AppError> {
    if order.status == order_status::PAID {
        return Err(AppError::Conflict {
            code: ProblemCode::OrderAlreadyPaid,
            message: "the order is paid".into(),
        });
    }
    if order.status != order_status::PENDING_PAYMENT {
        return Err(AppError::Conflict {
            code: ProblemCode::OrderNotPayable,
            message: format!("the order is {}", order.status),
        });
    }
    if order.expires_at <= Utc::now() {
        return Err(AppError::Conflict {
            code: ProblemCode::OrderExpired,
            message: "the order's hold on its stock ended; check out again".into(),
        });
    }
    if order.payable_amount <= Decimal::ZERO {
        return Err(AppError::Conflict {
            code: ProblemCode::NothingToPay,
            message: "points and cash cover the whole order".into(),
        });
    }
    Ok(())
}

/// Moves a `pending` attempt of the buyer to `confirming` (committed) just
/// before the approval call.
pub(super) async fn start_confirming(
    context: &Context,
    payment_id: Uuid,
) -> Result<PaymentRow, AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let payment = store::lock(conn, payment_id)
            .await?
            .ok_or(AppError::NotFound {
                resource: "payment",
            })?;
        if payment.status != status::PENDING {
            return Err(AppError::Conflict {
                code: ProblemCode::PaymentNotPending,
                message: format!("the payment is {}", payment.status),
            });
        }
        if let Some(order_id) = payment.purchase_order_id {
            let order = purchase_orders::lock_purchase(conn, order_id, None)
                .await?
                .ok_or(AppError::NotFound { resource: "order" })?;
            payable(&order)?;
        }
        store::transition(conn, payment.id, status::CONFIRMING, &Transition::default()).await?;
        Ok::<_, AppError>(PaymentRow {
            status: status::CONFIRMING.into(),
            ..payment
        })
    })
    .await
}

/// Records that the provider registered a payment (KakaoPay ready, PayPal
/// order): the attempt keeps the provider's id and stays `pending`.
pub(super) async fn registered(
    context: &Context,
    payment: &PaymentRow,
    kind: &str,
    provider_payment_id: &str,
    raw: &serde_json::Value,
) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    store::record_event(&mut conn, payment.id, kind, "registered", Some(&mask(raw))).await?;
    store::transition(
        &mut conn,
        payment.id,
        status::PENDING,
        &Transition {
            provider_payment_id: Some(provider_payment_id),
            ..Transition::default()
        },
    )
    .await?;
    Ok(())
}

/// Ends an attempt the provider did not register. Nothing can be charged
/// without our approval call, so a failed registration is never in doubt.
pub(super) async fn registration_failed(
    context: &Context,
    payment: &PaymentRow,
    kind: &str,
    error: &PaymentError,
) -> AppError {
    let recorded = async {
        let mut conn = context.db.get().await?;
        store::record_event(
            &mut conn,
            payment.id,
            kind,
            "refused",
            error.raw().map(mask).as_ref(),
        )
        .await?;
        store::transition(
            &mut conn,
            payment.id,
            status::FAILED,
            &Transition {
                failure_code: Some("registration_failed"),
                failure_message: Some(&error.to_string()),
                ..Transition::default()
            },
        )
        .await?;
        Ok::<_, AppError>(())
    };
    match recorded.await {
        Ok(()) => AppError::Unavailable(format!("{}: {error}", payment.provider)),
        Err(other) => other,
    }
}

/// Applies the answer of an approval call (confirm, approve, capture) and
/// returns the attempt as it then stands.
pub(super) async fn conclude(
    context: &Context,
    payment: &PaymentRow,
    kind: &str,
    answer: Result<ProviderPayment, PaymentError>,
) -> Result<PaymentRow, AppError> {
    match answer {
        Ok(provider) => apply_provider_state(context, payment, kind, &provider, None).await?,
        Err(error) => {
            let (to, code) = match &error {
                PaymentError::Declined { code, .. } => (status::FAILED, code.clone()),
                PaymentError::NotFound { .. } => (status::FAILED, "not_found".to_owned()),
                PaymentError::Config(_) => (status::FAILED, "provider_configuration".to_owned()),
                PaymentError::Unavailable(_) => (status::IN_DOUBT, "in_doubt".to_owned()),
            };
            let message = match &error {
                PaymentError::Declined { message, .. } => message.clone(),
                other => other.to_string(),
            };
            tracing::info!(payment = %payment.id, %code, "payment not approved");
            let mut conn = context.db.get().await?;
            conn.transaction(async |conn| {
                let current = store::lock(conn, payment.id)
                    .await?
                    .ok_or(AppError::NotFound {
                        resource: "payment",
                    })?;
                store::record_event(
                    conn,
                    payment.id,
                    kind,
                    &code,
                    error.raw().map(mask).as_ref(),
                )
                .await?;
                if unsettled(&current.status) {
                    store::transition(
                        conn,
                        payment.id,
                        to,
                        &Transition {
                            failure_code: Some(&code),
                            failure_message: Some(&message),
                            ..Transition::default()
                        },
                    )
                    .await?;
                }
                Ok::<_, AppError>(())
            })
            .await?;
            if let PaymentError::Config(reason) = error {
                return Err(AppError::Unavailable(reason));
            }
        }
    }
    let mut conn = context.db.get().await?;
    store::find(&mut conn, payment.id)
        .await?
        .ok_or(AppError::NotFound {
            resource: "payment",
        })
}

/// Whether an attempt still waits for its outcome.
fn unsettled(status: &str) -> bool {
    matches!(
        status,
        status::PENDING | status::CONFIRMING | status::IN_DOUBT | status::AWAITING_DEPOSIT
    )
}

/// Brings an attempt in line with the provider's view of it (after an
/// approval call, a reconciliation lookup or a notification). Monotone: an
/// attempt never moves back, so late or repeated news changes nothing.
pub(super) async fn apply_provider_state(
    context: &Context,
    payment: &PaymentRow,
    kind: &str,
    provider: &ProviderPayment,
    notice: Option<Notice<'_>>,
) -> Result<(), AppError> {
    match provider.status {
        ProviderStatus::Approved | ProviderStatus::PartiallyCancelled => {
            if payment.status == status::CANCELLING {
                return compensate(context, payment, "compensation retried", notice).await;
            }
            if payment.status == status::CANCELLED || payment.status == status::FAILED {
                tracing::warn!(payment = %payment.id, "charged at the provider but ended here");
                return compensate(context, payment, "charged after the attempt ended", notice)
                    .await;
            }
            match settle(context, payment, kind, provider, notice).await {
                Ok(()) => Ok(()),
                Err(error) => {
                    tracing::error!(payment = %payment.id, %error, "approved payment not applied; compensating");
                    compensate(context, payment, &error.to_string(), None).await
                }
            }
        }
        ProviderStatus::AwaitingDeposit => {
            let transition = Transition {
                method: provider.method.as_deref(),
                deposit_due_at: provider.deposit_due,
                ..Transition::default()
            };
            record(
                context,
                payment,
                kind,
                provider,
                notice,
                Some((status::AWAITING_DEPOSIT, transition)),
            )
            .await
        }
        ProviderStatus::Pending => record(context, payment, kind, provider, notice, None).await,
        ProviderStatus::Failed => {
            let transition = Transition {
                failure_code: Some("failed_at_provider"),
                failure_message: Some("the provider ended the payment unpaid"),
                ..Transition::default()
            };
            record(
                context,
                payment,
                kind,
                provider,
                notice,
                Some((status::FAILED, transition)),
            )
            .await
        }
        ProviderStatus::Cancelled => {
            ended_at_provider(context, payment, kind, provider, notice).await
        }
    }
}

/// Records a provider answer and moves the attempt by `change` if it is
/// still unsettled.
async fn record(
    context: &Context,
    payment: &PaymentRow,
    kind: &str,
    provider: &ProviderPayment,
    notice: Option<Notice<'_>>,
    change: Option<(&str, Transition<'_>)>,
) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let Some(current) = lock_for_effect(conn, payment.id, notice).await? else {
            return Ok(());
        };
        store::record_event(
            conn,
            payment.id,
            kind,
            "answered",
            Some(&mask(&provider.raw)),
        )
        .await?;
        if let Some((to, transition)) = &change
            && unsettled(&current.status)
        {
            store::transition(conn, payment.id, to, transition).await?;
        }
        Ok::<_, AppError>(())
    })
    .await
}

/// Opens an effect on an attempt in the caller's transaction: stores the
/// notification's id (none when it was applied before) and locks the attempt.
async fn lock_for_effect(
    conn: &mut AsyncPgConnection,
    payment_id: Uuid,
    notice: Option<Notice<'_>>,
) -> Result<Option<PaymentRow>, AppError> {
    if let Some(n) = notice
        && !store::remember_provider_event(conn, n.provider, n.event_id, n.kind).await?
    {
        return Ok(None);
    }
    Ok(Some(store::lock(conn, payment_id).await?.ok_or(
        AppError::NotFound {
            resource: "payment",
        },
    )?))
}

/// In one transaction: the attempt succeeds and the order is paid (stock
/// committed, coupons used, outbox written).
async fn settle(
    context: &Context,
    payment: &PaymentRow,
    kind: &str,
    provider: &ProviderPayment,
    notice: Option<Notice<'_>>,
) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let Some(current) = lock_for_effect(conn, payment.id, notice).await? else {
            return Ok(());
        };
        if current.status == status::SUCCEEDED {
            return Ok(());
        }
        if provider.total != current.amount {
            return Err(AppError::Conflict {
                code: ProblemCode::ProviderAmountMismatch,
                message: format!(
                    "the provider approved {} for a payment of {}",
                    provider.total, current.amount
                ),
            });
        }
        store::record_event(
            conn,
            payment.id,
            kind,
            "approved",
            Some(&mask(&provider.raw)),
        )
        .await?;
        store::transition(
            conn,
            payment.id,
            status::SUCCEEDED,
            &Transition {
                provider_payment_id: Some(&provider.payment_id),
                provider_capture_id: provider.capture_id.as_deref(),
                method: provider.method.as_deref(),
                approved_at: Some(Utc::now()),
                ..Transition::default()
            },
        )
        .await?;
        match (current.purchase_order_id, current.wallet_charge_id) {
            (Some(order_id), _) => {
                let order = purchase_orders::lock_purchase(conn, order_id, None)
                    .await?
                    .ok_or(AppError::NotFound { resource: "order" })?;
                crate::orders::purchase_orders::settle_paid(conn, &order, &current.provider).await
            }
            (None, Some(charge_id)) => {
                let source = format!("{}:{}", current.provider, provider.payment_id);
                crate::wallet::cash::credit_charge(conn, charge_id, &source).await
            }
            (None, None) => Err(AppError::internal("a payment of nothing")),
        }
    })
    .await
}

/// Cancels a charged payment at the provider, then ends the attempt and
/// (if still unpaid) the order, with the reason. If the provider cannot be
/// reached, the attempt stays `cancelling` and reconciliation tries again.
pub(super) async fn compensate(
    context: &Context,
    payment: &PaymentRow,
    reason: &str,
    notice: Option<Notice<'_>>,
) -> Result<(), AppError> {
    let provider = context.payments.of(&payment.provider)?;
    let reference = reference_of(payment)
        .ok_or_else(|| AppError::internal("a charged payment without a provider id"))?;
    let key = format!("{}-compensation", payment.id);
    let cancelled = provider
        .cancel(&reference, Cancellation::new(None, reason, &key))
        .await;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let Some(current) = lock_for_effect(conn, payment.id, notice).await? else {
            return Ok(());
        };
        match &cancelled {
            // Given back (or never charged) at the provider.
            Ok(answer)
                if matches!(
                    answer.status,
                    ProviderStatus::Cancelled | ProviderStatus::Failed
                ) =>
            {
                store::record_event(
                    conn,
                    payment.id,
                    "cancel",
                    "cancelled",
                    Some(&mask(&answer.raw)),
                )
                .await?;
                store::transition(
                    conn,
                    payment.id,
                    status::CANCELLED,
                    &Transition {
                        cancelled_amount: Some(answer.cancelled.min(current.amount)),
                        failure_code: Some("compensated"),
                        failure_message: Some(reason),
                        ..Transition::default()
                    },
                )
                .await?;
            }
            // Not (yet) given back: reconciliation tries again.
            unfinished => {
                let answer = match unfinished {
                    Ok(answer) => Some(mask(&answer.raw)),
                    Err(error) => error.raw().map(mask),
                };
                store::record_event(conn, payment.id, "cancel", "cancel_failed", answer.as_ref())
                    .await?;
                store::transition(
                    conn,
                    payment.id,
                    status::CANCELLING,
                    &Transition {
                        failure_code: Some("compensation_pending"),
                        failure_message: Some(reason),
                        ..Transition::default()
                    },
                )
                .await?;
            }
        }
        end_unpaid(conn, &current, reason).await
    })
    .await
}

/// The provider reports the payment cancelled: an attempt that had not
/// succeeded ends cancelled with its order.
async fn ended_at_provider(
    context: &Context,
    payment: &PaymentRow,
    kind: &str,
    provider: &ProviderPayment,
    notice: Option<Notice<'_>>,
) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let Some(current) = lock_for_effect(conn, payment.id, notice).await? else {
            return Ok(());
        };
        store::record_event(
            conn,
            payment.id,
            kind,
            "cancelled",
            Some(&mask(&provider.raw)),
        )
        .await?;
        if current.status == status::CANCELLED {
            return Ok(());
        }
        if current.status == status::SUCCEEDED {
            // A refund made outside our claims; operations must look at it.
            tracing::warn!(payment = %payment.id, "a paid payment was cancelled at the provider");
            return Ok(());
        }
        store::transition(
            conn,
            payment.id,
            status::CANCELLED,
            &Transition {
                cancelled_amount: Some(provider.cancelled.min(current.amount)),
                ..Transition::default()
            },
        )
        .await?;
        end_unpaid(conn, &current, "the payment was cancelled at the provider").await
    })
    .await
}

/// Ends what the payment was for, if still unpaid: an order is cancelled
/// (giving back what it held), a wallet charge fails.
async fn end_unpaid(
    conn: &mut AsyncPgConnection,
    payment: &PaymentRow,
    reason: &str,
) -> Result<(), AppError> {
    let Some(order_id) = payment.purchase_order_id else {
        if let Some(charge_id) = payment.wallet_charge_id
            && let Some(charge) = cash::lock_charge(conn, charge_id, None).await?
            && charge.status == "pending"
        {
            cash::set_charge_status(conn, charge_id, "failed").await?;
        }
        return Ok(());
    };
    let order = purchase_orders::lock_purchase(conn, order_id, None)
        .await?
        .ok_or(AppError::NotFound { resource: "order" })?;
    if order.status == order_status::PENDING_PAYMENT {
        crate::orders::holds::release(
            conn,
            order.id,
            &order.order_no,
            order.user_id,
            order_status::CANCELLED,
            &format!("payment could not be completed: {reason}"),
        )
        .await?;
    }
    Ok(())
}
