//! Refunds of unused charged cash to the payments it was charged with.
//!
//! A refund is recorded, and its cash taken out of the wallet, in one
//! transaction before any provider is called. Each lot's payment is then
//! cancelled on its own, under an idempotency key of its own: a refund the
//! provider makes is recorded as refunded; a refusal puts the lot's cash
//! back; an unknown outcome (timeout, outage) leaves the lot pending and
//! still out of the wallet, and reconciliation asks again with the same key.
//! So cash is never refunded and still spendable, and never lost to a refusal.

use chrono::{DateTime, TimeDelta, Utc};
use crypto::Sealed;
use diesel_async::AsyncConnection;
pub use integrations::payments::RefundAccount;
use integrations::payments::toss::is_virtual_account;
use integrations::payments::{Cancellation, PaymentError, ProviderPayment};
use persistence::kernel::lots::{self, Ledger};
use persistence::payments::attempts::{self as payment_store, PaymentRow};
use persistence::wallet::cash;
use persistence::wallet::refunds::{self as store, PendingLot, RefundAccountField, RefundLotRow};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::cash::{member_of, refundable_lot, to_domain};
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::principals::Buyer;
use crate::kernel::provider_refunds::{checked_account, record_refund};
use crate::kernel::providers::{TOSS, reference_of};
use crate::{AppError, Context};

const REASON: &str = "unused cash refunded";

/// What the shopper asks: how much (all that is refundable when `None`),
/// and where a bank transfer's money goes back.
pub struct RefundInput {
    pub amount: Option<Decimal>,
    pub refund_account: Option<RefundAccount>,
}

/// Where a refund stands, judged from its lots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundState {
    /// Every lot went back.
    Refunded,
    /// Some lots went back; the provider refused the others (their cash is
    /// in the wallet again).
    PartiallyRefunded,
    /// The provider refused every lot; the cash is in the wallet again.
    Failed,
    /// A provider's answer is not known yet; the cash stays out of the
    /// wallet until it is.
    Pending,
}

impl RefundState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refunded => "refunded",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Failed => "failed",
            Self::Pending => "pending",
        }
    }
}

pub struct RefundView {
    pub id: Uuid,
    pub amount: Decimal,
    pub created_at: DateTime<Utc>,
    pub state: RefundState,
    pub refunded: Decimal,
    pub pending: Decimal,
    pub failed: Decimal,
    /// Per payment the cash goes back to, in the order they were asked.
    pub lots: Vec<RefundLotRow>,
}

impl RefundView {
    fn of(refund: store::RefundRow, lots: Vec<RefundLotRow>) -> Self {
        let sum = |status: &str| -> Decimal {
            lots.iter()
                .filter(|l| l.status == status)
                .map(|l| l.amount)
                .sum()
        };
        let (refunded, pending, failed) = (
            sum(store::status::REFUNDED),
            sum(store::status::PENDING),
            sum(store::status::FAILED),
        );
        let state = if pending > Decimal::ZERO {
            RefundState::Pending
        } else if failed == Decimal::ZERO {
            RefundState::Refunded
        } else if refunded == Decimal::ZERO {
            RefundState::Failed
        } else {
            RefundState::PartiallyRefunded
        };
        Self {
            id: refund.id,
            amount: refund.amount,
            created_at: refund.created_at,
            state,
            refunded,
            pending,
            failed,
            lots,
        }
    }
}

/// Refunds unused charged cash, newest charge first; bonus cash is never
/// refunded. Answers the refund as it stands once every provider was asked.
pub async fn refund(
    context: &Context,
    buyer: &Buyer,
    input: RefundInput,
) -> Result<RefundView, AppError> {
    let user_id = member_of(buyer)?;
    let account = input.refund_account.map(checked_account).transpose()?;
    let refund_id = Uuid::now_v7();
    let recorded = {
        let mut conn = context.db.get().await?;
        conn.transaction(async |conn| {
            record(conn, user_id, refund_id, input.amount, account.as_ref()).await
        })
        .await?
    };
    for lot in recorded {
        ask_provider(
            context,
            &PendingLot {
                lot,
                user_id,
                refund_account: None,
            },
            account.as_ref(),
        )
        .await?;
    }
    let mut conn = context.db.get().await?;
    store::erase_account_when_settled(&mut conn, refund_id).await?;
    let view = one_of_member(&mut conn, user_id, refund_id).await?;
    if view.state == RefundState::Failed {
        let why = view
            .lots
            .iter()
            .find_map(|l| l.failure_message.clone())
            .unwrap_or_default();
        return Err(AppError::Conflict {
            code: ProblemCode::RefundRefused,
            message: format!(
                "the payment provider refused the refund ({why}); the cash is back in the wallet"
            ),
        });
    }
    Ok(view)
}

/// Records the refund and takes its cash out of the wallet (in the
/// caller's transaction, under the member's ledger lock).
async fn record(
    conn: &mut persistence::AsyncPgConnection,
    user_id: Uuid,
    refund_id: Uuid,
    amount: Option<Decimal>,
    account: Option<&RefundAccount>,
) -> Result<Vec<RefundLotRow>, AppError> {
    lots::lock_member(conn, Ledger::Cash, user_id).await?;
    let open: Vec<cash::Lot> = cash::open_lots(conn, user_id, Utc::now())
        .await?
        .into_iter()
        .filter(refundable_lot)
        .collect();
    let domain_lots: Vec<domain::wallet::Lot> = open.iter().map(to_domain).collect();
    let refundable = domain::lots::available(&domain_lots);
    let wanted = amount.unwrap_or(refundable);
    let not_refundable = || {
        AppError::invalid(
            "amount",
            FieldCode::NotRefundable,
            format!("{refundable} of charged cash can be refunded"),
        )
    };
    if wanted <= Decimal::ZERO {
        return Err(not_refundable());
    }
    let taken = domain::wallet::refund_from(&domain_lots, wanted).map_err(|_| not_refundable())?;
    let mut payments = Vec::with_capacity(taken.len());
    for (lot_id, take) in taken {
        let lot = open
            .iter()
            .find(|l| l.id == lot_id)
            .ok_or_else(|| AppError::internal("a drawn lot that is not open"))?;
        payments.push((lot_id, take, payment_of_lot(conn, lot).await?));
    }
    let needs_account = payments
        .iter()
        .any(|(_, _, payment)| payment.method.as_deref().is_some_and(is_virtual_account));
    if needs_account && account.is_none() {
        return Err(AppError::invalid(
            "refund_account",
            FieldCode::Required,
            "part of the cash was paid by bank transfer: give the account it goes back to",
        ));
    }
    let sealed = match account {
        Some(account) if needs_account => Some(Sealed::<RefundAccountField>::new(
            serde_json::to_string(account).map_err(AppError::internal)?,
        )),
        _ => None,
    };
    store::insert_refund(conn, refund_id, user_id, wanted, sealed.as_ref()).await?;
    let mut recorded = Vec::with_capacity(payments.len());
    for (lot_id, take, payment) in payments {
        recorded.push(
            store::insert_lot(conn, refund_id, user_id, lot_id, payment.id, take, REASON).await?,
        );
    }
    Ok(recorded)
}

async fn payment_of_lot(
    conn: &mut persistence::AsyncPgConnection,
    lot: &cash::Lot,
) -> Result<PaymentRow, AppError> {
    let key = lot
        .source
        .strip_prefix("toss:")
        .ok_or_else(|| AppError::internal("a refundable lot without a payment"))?;
    payment_store::find_by_provider_key(conn, TOSS, key)
        .await?
        .ok_or_else(|| AppError::internal("a charged lot without its payment"))
}

/// What asking the provider settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Settled,
    /// No definitive answer; asked again by reconciliation.
    Unanswered,
}

/// Asks the provider to cancel one lot's part of its payment and records
/// the answer. The key is the refund lot's, so asking again never cancels
/// twice.
async fn ask_provider(
    context: &Context,
    pending: &PendingLot,
    account: Option<&RefundAccount>,
) -> Result<Asked, AppError> {
    let lot = &pending.lot;
    let payment = {
        let mut conn = context.db.get().await?;
        payment_store::find(&mut conn, lot.payment_id)
            .await?
            .ok_or_else(|| AppError::internal("a refund lot without its payment"))?
    };
    let account = account.filter(|_| payment.method.as_deref().is_some_and(is_virtual_account));
    let provider = context.payments.of(&payment.provider)?;
    let reference = reference_of(&payment)
        .ok_or_else(|| AppError::internal("a charged payment without a provider id"))?;
    let key = format!("wallet-refund-{}", lot.id);
    let answer = provider
        .cancel(
            &reference,
            Cancellation {
                amount: Some(lot.amount),
                reason: REASON,
                idempotency_key: &key,
                refund_account: account,
            },
        )
        .await;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| apply_answer(conn, pending, &answer).await)
        .await
}

async fn apply_answer(
    conn: &mut persistence::AsyncPgConnection,
    pending: &PendingLot,
    answer: &Result<ProviderPayment, PaymentError>,
) -> Result<Asked, AppError> {
    let lot = &pending.lot;
    match answer {
        Ok(answer) => {
            if store::mark_refunded(conn, lot.id).await?.is_some() {
                record_refund(conn, lot.payment_id, answer).await?;
            }
            Ok(Asked::Settled)
        }
        Err(PaymentError::Declined { code, message, .. }) => {
            store::mark_failed(conn, lot.id, pending.user_id, code, message).await?;
            Ok(Asked::Settled)
        }
        Err(PaymentError::NotFound { .. }) => {
            store::mark_failed(
                conn,
                lot.id,
                pending.user_id,
                "NOT_FOUND_PAYMENT",
                "the provider knows no such payment",
            )
            .await?;
            Ok(Asked::Settled)
        }
        Err(error @ (PaymentError::Unavailable(_) | PaymentError::Config(_))) => {
            tracing::warn!(refund_lot = lot.id, %error, "wallet refund outcome unknown");
            store::note_unanswered(conn, lot.id).await?;
            Ok(Asked::Unanswered)
        }
    }
}

/// The member's refunds, newest first.
pub async fn list(context: &Context, buyer: &Buyer) -> Result<Vec<RefundView>, AppError> {
    let user_id = member_of(buyer)?;
    let mut conn = context.db.get().await?;
    Ok(store::of_member(&mut conn, user_id, None, 50)
        .await?
        .into_iter()
        .map(|(refund, lots)| RefundView::of(refund, lots))
        .collect())
}

async fn one_of_member(
    conn: &mut persistence::AsyncPgConnection,
    user_id: Uuid,
    id: Uuid,
) -> Result<RefundView, AppError> {
    store::of_member(conn, user_id, Some(id), 1)
        .await?
        .into_iter()
        .next()
        .map(|(refund, lots)| RefundView::of(refund, lots))
        .ok_or(AppError::NotFound { resource: "refund" })
}

/// Schedule: asks providers again about refund lots whose outcome is unknown.
#[derive(Debug, Serialize, Deserialize)]
pub struct ReconcileRefunds;

impl jobs::Job for ReconcileRefunds {
    const KIND: &'static str = "wallet.reconcile_refunds";
}

/// What one reconciliation round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reconciled {
    pub asked: usize,
    /// Still no definitive answer; asked again next round.
    pub unanswered: usize,
}

/// Asks again about every pending lot a call left unanswered, and about
/// those whose request stopped before asking.
pub async fn reconcile(context: &Context) -> Result<Reconciled, AppError> {
    let stalled_before =
        Utc::now() - TimeDelta::seconds(context.payments.settings.stalled_after_secs);
    let pending = {
        let mut conn = context.db.get().await?;
        store::pending(&mut conn, stalled_before, 100).await?
    };
    let mut round = Reconciled::default();
    for lot in pending {
        round.asked += 1;
        let account = lot
            .refund_account
            .as_ref()
            .map(|sealed| {
                sealed
                    .value()
                    .ok_or_else(|| AppError::internal("an unreadable refund account"))
                    .and_then(|json| serde_json::from_str(json).map_err(AppError::internal))
            })
            .transpose()?;
        if ask_provider(context, &lot, account.as_ref()).await? == Asked::Unanswered {
            round.unanswered += 1;
        }
        let mut conn = context.db.get().await?;
        store::erase_account_when_settled(&mut conn, lot.lot.refund_id).await?;
    }
    Ok(round)
}

/// Refund lots whose ledger entries disagree with their state, and wallet
/// charges whose cancelled amount disagrees with their refunded lots.
pub async fn mismatches(context: &Context) -> Result<(Vec<i64>, Vec<Uuid>), AppError> {
    let mut conn = context.db.get().await?;
    Ok((
        store::mismatches(&mut conn).await?,
        store::charge_payment_mismatches(&mut conn).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(status: &str, amount: i64) -> RefundLotRow {
        RefundLotRow {
            id: 1,
            refund_id: Uuid::nil(),
            lot_id: 1,
            payment_id: Uuid::nil(),
            amount: Decimal::from(amount),
            status: status.to_owned(),
            failure_code: None,
            failure_message: None,
            unanswered: 0,
            updated_at: Utc::now(),
        }
    }

    fn state_of(lots: &[(&str, i64)]) -> RefundState {
        let refund = store::RefundRow {
            id: Uuid::nil(),
            user_id: Uuid::nil(),
            amount: Decimal::ONE,
            created_at: Utc::now(),
        };
        RefundView::of(refund, lots.iter().map(|(s, a)| lot(s, *a)).collect()).state
    }

    #[test]
    fn a_refund_is_pending_while_any_lot_is() {
        assert_eq!(
            state_of(&[("refunded", 5), ("pending", 1)]),
            RefundState::Pending
        );
        assert_eq!(
            state_of(&[("failed", 5), ("pending", 1)]),
            RefundState::Pending
        );
        assert_eq!(state_of(&[("refunded", 5)]), RefundState::Refunded);
        assert_eq!(
            state_of(&[("refunded", 5), ("failed", 1)]),
            RefundState::PartiallyRefunded
        );
        assert_eq!(state_of(&[("failed", 5)]), RefundState::Failed);
    }
}
