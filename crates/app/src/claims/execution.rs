//! Carrying out a claim's plan: in one transaction the lines that stay get
//! their new shares, the claimed lines leave the order, vendor orders get
//! their shipping and fees, points and cash go back to the lots the order
//! drew (expired points granted again), a cancelled unit goes back on sale,
//! and one card refund step per provider payment is recorded. The steps
//! are then asked of the provider, each under its own key; an unknown
//! outcome stays pending and is asked again by reconciliation (ADR 0018).

use chrono::{DateTime, TimeDelta, Utc};
use diesel_async::AsyncConnection;
use domain::claims::reasons::Kind;
use domain::claims::steps::Claim;
use integrations::payments::toss::is_virtual_account;
use integrations::payments::{Cancellation, PaymentError, ProviderPayment, RefundAccount};
use persistence::AsyncPgConnection;
use persistence::catalog::products::move_stock;
use persistence::claims::orders::{self as order_store, LineShares, VendorShares};
use persistence::claims::refunds::{self as refund_store, ClaimRefundRow, status as refund_status};
use persistence::claims::requests::{self as store, ClaimRow, Step};
use persistence::kernel::lots::{self, Ledger};
use persistence::payments::attempts::{self as payment_store, status as payment_status};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::notices::{self, Event};
use super::priced::Quoted;
use super::snapshot::currency_of;
use crate::kernel::provider_refunds::record_refund;
use crate::kernel::providers::reference_of;
use crate::kernel::settings::FulfilmentSettings;
use crate::orders::test_payment::METHOD as TEST_METHOD;
use crate::{AppError, Context};

const REASON: &str = "claim refunded";

/// A card refund step to ask the provider for.
pub(super) type CardStep = ClaimRefundRow;

/// Carries out a locked claim's plan; returns the card steps to ask for.
pub(super) async fn carry_out(
    conn: &mut AsyncPgConnection,
    settings: &FulfilmentSettings,
    quoted: &Quoted,
    claim: &ClaimRow,
    completed: Claim,
    now: DateTime<Utc>,
) -> Result<Vec<CardStep>, AppError> {
    let currency = currency_of(&quoted.found)?;
    let money = |units: i64| currency.from_minor(units);
    let plan = &quoted.plan;
    let claimed: Vec<Uuid> = quoted.request.lines.iter().copied().collect();
    for after in plan
        .lines
        .iter()
        .filter(|l| !quoted.request.lines.contains(&l.id))
    {
        order_store::set_line_shares(
            conn,
            &LineShares {
                id: after.id,
                seller_coupon_discount: money(after.seller_coupon),
                platform_coupon_discount: money(after.platform_coupon),
                platform_coupon_seller_funded: money(after.platform_seller_funded),
                points: money(after.sources.points),
                cash: money(after.sources.cash),
                payable_amount: money(after.sources.payable),
            },
        )
        .await?;
    }
    let closed_as = match quoted.request.kind {
        Kind::Cancel => "cancelled",
        Kind::Return | Kind::Exchange => "returned",
    };
    order_store::close_lines(conn, &claimed, claim.id, closed_as).await?;
    for after in &plan.vendors {
        order_store::set_vendor_shares(
            conn,
            &VendorShares {
                id: after.id,
                shipping_fee: money(after.shipping),
                shipping_points: money(after.shipping_sources.points),
                shipping_cash: money(after.shipping_sources.cash),
                shipping_payable: money(after.shipping_sources.payable),
                claim_fees: money(after.fees),
                claim_fees_points: money(after.fee_sources.points),
                claim_fees_cash: money(after.fee_sources.cash),
                claim_fees_payable: money(after.fee_sources.payable),
            },
        )
        .await?;
    }
    // A confirmed line taken back, or re-priced, changes what its vendor
    // earned; a vendor order's shipping and fees change with the claim.
    crate::settlement::accrual::settle(
        conn,
        quoted.found.order.id,
        crate::settlement::accrual::Event::Claim { claim_id: claim.id },
        now,
    )
    .await?;
    if quoted.request.kind == Kind::Cancel {
        let reference = format!("claim:{}", claim.id);
        for line in quoted
            .found
            .lines
            .iter()
            .filter(|l| quoted.request.lines.contains(&l.id))
        {
            move_stock(
                conn,
                line.sku_id,
                line.quantity,
                "returned",
                Some(&reference),
                None,
            )
            .await?;
        }
    }
    let order_id = quoted.found.order.id;
    if let Some(user_id) = quoted.found.order.user_id {
        give_back(
            conn,
            settings,
            Ledger::Points,
            user_id,
            order_id,
            money(plan.refund.points),
            now,
        )
        .await?;
        give_back(
            conn,
            settings,
            Ledger::Cash,
            user_id,
            order_id,
            money(plan.refund.cash),
            now,
        )
        .await?;
    }
    // The `test` method (demos and tests only) has no provider to ask.
    let by_provider = quoted.found.order.payment_method.as_deref() != Some(TEST_METHOD);
    let steps = if by_provider {
        record_card_steps(conn, claim.id, order_id, money(plan.refund.payable)).await?
    } else {
        vec![]
    };
    store::record_step(
        conn,
        claim.id,
        &Step {
            status: completed.status.as_str(),
            held_back: false,
            executed_at: Some(now),
            ..super::views::step_of(claim)
        },
    )
    .await?;
    notices::enqueue(conn, claim.id, Event::Refunded).await?;
    Ok(steps)
}

/// Takes `amount` from the lots an order drew, the last drawn first.
fn reverse_of_use(owed: &[(i64, Decimal)], amount: Decimal) -> Option<Vec<(i64, Decimal)>> {
    domain::lots::take_in_order(owed.iter().rev().copied(), amount)
}

/// Restores `amount` to the lots the order drew on `ledger`. Points whose
/// lot has expired since are granted again with a fresh expiry.
async fn give_back(
    conn: &mut AsyncPgConnection,
    settings: &FulfilmentSettings,
    ledger: Ledger,
    user_id: Uuid,
    order_id: Uuid,
    amount: Decimal,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if amount <= Decimal::ZERO {
        return Ok(());
    }
    lots::lock_member(conn, ledger, user_id).await?;
    let owed = lots::outstanding_for_order(conn, ledger, order_id).await?;
    let back = reverse_of_use(&owed, amount)
        .ok_or_else(|| AppError::internal("a claim gives back more than the order drew"))?;
    lots::draw(
        conn,
        ledger,
        user_id,
        lots::kind::RESTORE,
        &back,
        Some(order_id),
        REASON,
    )
    .await?;
    if ledger == Ledger::Points {
        let ids: Vec<i64> = back.iter().map(|(lot, _)| *lot).collect();
        let expired: Decimal = lots::expiries(conn, ledger, &ids)
            .await?
            .into_iter()
            .filter(|(_, expires_at)| expires_at.is_some_and(|at| at <= now))
            .filter_map(|(lot, _)| back.iter().find(|(id, _)| *id == lot).map(|(_, a)| *a))
            .sum();
        if expired > Decimal::ZERO {
            let expires_at = now + TimeDelta::days(settings.confirmation_points_valid_days.into());
            lots::grant(
                conn,
                ledger,
                user_id,
                expired,
                expires_at,
                "claim refunded: expired points granted again",
            )
            .await?;
        }
    }
    Ok(())
}

/// Records the card part as one step per provider payment, the latest
/// payment first, each within what is left of it.
async fn record_card_steps(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    order_id: Uuid,
    amount: Decimal,
) -> Result<Vec<CardStep>, AppError> {
    if amount <= Decimal::ZERO {
        return Ok(vec![]);
    }
    let mut left = amount;
    let mut steps = Vec::new();
    for payment in payment_store::of_order(conn, order_id).await? {
        if payment.status != payment_status::SUCCEEDED || left <= Decimal::ZERO {
            continue;
        }
        // Order payments are cancelled in part only by claims' steps.
        let asked: Decimal = refund_store::asked_of_payment(conn, payment.id).await?;
        let room = payment.amount - asked;
        let take = left.min(room);
        if take > Decimal::ZERO {
            steps.push(refund_store::insert(conn, claim_id, payment.id, take).await?);
            left -= take;
        }
    }
    if left > Decimal::ZERO {
        return Err(AppError::internal(
            "a claim refunds more than the provider took",
        ));
    }
    Ok(steps)
}

/// Asks the provider for each step, in turn.
pub(super) async fn ask_provider_all(
    context: &Context,
    steps: &[CardStep],
) -> Result<(), AppError> {
    for step in steps {
        ask_provider(context, step).await?;
    }
    Ok(())
}

/// Asks the provider to cancel one step's part of its payment, under the
/// step's own key, and records the answer; `true` when the outcome is still
/// unknown.
async fn ask_provider(context: &Context, step: &CardStep) -> Result<bool, AppError> {
    let payment = {
        let mut conn = context.db.get().await?;
        payment_store::find(&mut conn, step.payment_id)
            .await?
            .ok_or_else(|| AppError::internal("a claim refund without its payment"))?
    };
    let provider = context.payments.of(&payment.provider)?;
    let reference = reference_of(&payment)
        .ok_or_else(|| AppError::internal("a paid payment without a provider id"))?;
    // The claim's id makes the key unique beyond this database (a restored
    // or re-seeded copy asking the same merchant account).
    let key = format!("claim-refund-{}-{}", step.claim_id, step.id);
    let by_transfer = payment.method.as_deref().is_some_and(is_virtual_account);
    let account = if by_transfer {
        account_of(context, step.claim_id).await?
    } else {
        None
    };
    let cancellation = Cancellation {
        amount: Some(step.amount),
        reason: REASON,
        idempotency_key: &key,
        refund_account: account.as_ref(),
    };
    let answer = provider.cancel(&reference, cancellation).await;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let unanswered = apply_answer(conn, step, &answer).await?;
        refund_store::erase_account_when_settled(conn, step.claim_id).await?;
        Ok::<_, AppError>(unanswered)
    })
    .await
}

/// The account a bank transfer's refund goes back to, as the shopper named it.
async fn account_of(context: &Context, claim_id: Uuid) -> Result<Option<RefundAccount>, AppError> {
    let mut conn = context.db.get().await?;
    refund_store::account_of(&mut conn, claim_id)
        .await?
        .map(|sealed| {
            sealed
                .value()
                .ok_or_else(|| AppError::internal("an unreadable refund account"))
                .and_then(|json| serde_json::from_str(json).map_err(AppError::internal))
        })
        .transpose()
}

async fn apply_answer(
    conn: &mut AsyncPgConnection,
    step: &CardStep,
    answer: &Result<ProviderPayment, PaymentError>,
) -> Result<bool, AppError> {
    match answer {
        Ok(answer) => {
            if refund_store::settle(conn, step.id, refund_status::REFUNDED, None)
                .await?
                .is_some()
            {
                record_refund(conn, step.payment_id, answer).await?;
            }
        }
        Err(PaymentError::Declined { code, message, .. }) => {
            tracing::error!(
                claim_refund = step.id,
                code,
                "the provider refused a claim refund"
            );
            refund_store::settle(conn, step.id, refund_status::FAILED, Some((code, message)))
                .await?;
        }
        Err(PaymentError::NotFound { .. }) => {
            tracing::error!(claim_refund = step.id, "the provider knows no such payment");
            refund_store::settle(
                conn,
                step.id,
                refund_status::FAILED,
                Some(("NOT_FOUND_PAYMENT", "the provider knows no such payment")),
            )
            .await?;
        }
        Err(error @ (PaymentError::Unavailable(_) | PaymentError::Config(_))) => {
            tracing::warn!(claim_refund = step.id, %error, "claim refund outcome unknown");
            refund_store::note_unanswered(conn, step.id).await?;
            return Ok(true);
        }
    }
    Ok(false)
}

/// Schedule: asks providers again about claim refunds whose outcome is unknown.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReconcileClaimRefunds;

impl jobs::Job for ReconcileClaimRefunds {
    const KIND: &'static str = "claims.reconcile_refunds";
}

/// What one reconciliation round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub asked: usize,
    /// Still pending after this round.
    pub unanswered: usize,
}

/// Asks again about every pending step a call left unanswered, and about
/// those whose request stopped before asking.
pub async fn reconcile(context: &Context) -> Result<Reconciled, AppError> {
    let stalled_before =
        Utc::now() - TimeDelta::seconds(context.payments.settings.stalled_after_secs);
    let pending = {
        let mut conn = context.db.get().await?;
        refund_store::pending(&mut conn, stalled_before, 100).await?
    };
    let mut round = Reconciled::default();
    for step in &pending {
        round.asked += 1;
        if ask_provider(context, step).await? {
            round.unanswered += 1;
        }
    }
    Ok(round)
}

/// Claims whose card steps do not add up to their plan's card refund, and
/// payments cancelled by less than their refunded steps.
pub async fn mismatches(context: &Context) -> Result<Vec<Uuid>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(refund_store::mismatches(&mut conn).await?)
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
