//! Refunds of unused charged cash: the request, and per lot the
//! cancellation asked of the provider with its outcome. A lot's cash leaves
//! the wallet when the refund is recorded (a `refund` entry) and comes back
//! only if the provider refuses (a `restore` entry); both entries carry the
//! refund lot as their source, and a unique index lets each happen once.

use chrono::{DateTime, Utc};
use crypto::{DataClass, Field, Sealed};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::kernel::lots::kind as entry_kind;
use crate::schema::{cash_ledger, wallet_refund_lots, wallet_refunds};

/// Where a virtual-account payment's money goes back (JSON of bank code,
/// account number and holder).
pub struct RefundAccountField;
impl Field for RefundAccountField {
    const COLUMN: &'static str = "wallet_refunds.refund_account";
    const CLASS: DataClass = DataClass::Financial;
}

/// A refund lot's states as stored.
pub mod status {
    /// Debited; the provider not yet asked, or its answer unknown.
    pub const PENDING: &str = "pending";
    pub const REFUNDED: &str = "refunded";
    /// Refused by the provider; the cash went back to its lot.
    pub const FAILED: &str = "failed";
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = wallet_refunds, check_for_backend(diesel::pg::Pg))]
pub struct RefundRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub amount: Decimal,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = wallet_refund_lots, check_for_backend(diesel::pg::Pg))]
pub struct RefundLotRow {
    pub id: i64,
    pub refund_id: Uuid,
    pub lot_id: i64,
    pub payment_id: Uuid,
    pub amount: Decimal,
    pub status: String,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub unanswered: i32,
    pub updated_at: DateTime<Utc>,
}

/// A refund lot still waiting for its provider, with what asking needs.
#[derive(Debug, Clone)]
pub struct PendingLot {
    pub lot: RefundLotRow,
    pub user_id: Uuid,
    pub refund_account: Option<Sealed<RefundAccountField>>,
}

pub async fn insert_refund(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    user_id: Uuid,
    amount: Decimal,
    refund_account: Option<&Sealed<RefundAccountField>>,
) -> Result<(), StoreError> {
    diesel::insert_into(wallet_refunds::table)
        .values((
            wallet_refunds::id.eq(id),
            wallet_refunds::user_id.eq(user_id),
            wallet_refunds::amount.eq(amount),
            wallet_refunds::refund_account.eq(refund_account),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Records that `amount` of a lot is to go back to `payment_id` and takes
/// it out of the wallet in the same step.
pub async fn insert_lot(
    conn: &mut AsyncPgConnection,
    refund_id: Uuid,
    user_id: Uuid,
    lot_id: i64,
    payment_id: Uuid,
    amount: Decimal,
    reason: &str,
) -> Result<RefundLotRow, StoreError> {
    let row: RefundLotRow = diesel::insert_into(wallet_refund_lots::table)
        .values((
            wallet_refund_lots::refund_id.eq(refund_id),
            wallet_refund_lots::lot_id.eq(lot_id),
            wallet_refund_lots::payment_id.eq(payment_id),
            wallet_refund_lots::amount.eq(amount),
        ))
        .returning(RefundLotRow::as_returning())
        .get_result(conn)
        .await?;
    ledger_entry(conn, user_id, &row, entry_kind::REFUND, -amount, reason).await?;
    Ok(row)
}

async fn ledger_entry(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    lot: &RefundLotRow,
    kind: &str,
    amount: Decimal,
    reason: &str,
) -> Result<(), StoreError> {
    diesel::insert_into(cash_ledger::table)
        .values((
            cash_ledger::user_id.eq(user_id),
            cash_ledger::kind.eq(kind),
            cash_ledger::amount.eq(amount),
            cash_ledger::lot_id.eq(lot.lot_id),
            cash_ledger::source.eq(source_of(lot.id)),
            cash_ledger::reason.eq(reason),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The source of a refund lot's ledger entries.
fn source_of(refund_lot_id: i64) -> String {
    format!("wallet-refund:{refund_lot_id}")
}

/// The provider refunded the lot: `None` if it was settled before.
pub async fn mark_refunded(
    conn: &mut AsyncPgConnection,
    id: i64,
) -> Result<Option<RefundLotRow>, StoreError> {
    Ok(diesel::update(wallet_refund_lots::table.find(id))
        .filter(wallet_refund_lots::status.eq(status::PENDING))
        .set((
            wallet_refund_lots::status.eq(status::REFUNDED),
            wallet_refund_lots::updated_at.eq(diesel::dsl::now),
        ))
        .returning(RefundLotRow::as_returning())
        .get_result(conn)
        .await
        .optional()?)
}

/// The provider refused: the lot's cash goes back to the wallet, once.
/// `None` if it was settled before.
pub async fn mark_failed(
    conn: &mut AsyncPgConnection,
    id: i64,
    user_id: Uuid,
    code: &str,
    message: &str,
) -> Result<Option<RefundLotRow>, StoreError> {
    let settled: Option<RefundLotRow> = diesel::update(wallet_refund_lots::table.find(id))
        .filter(wallet_refund_lots::status.eq(status::PENDING))
        .set((
            wallet_refund_lots::status.eq(status::FAILED),
            wallet_refund_lots::failure_code.eq(code),
            wallet_refund_lots::failure_message.eq(message),
            wallet_refund_lots::updated_at.eq(diesel::dsl::now),
        ))
        .returning(RefundLotRow::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    if let Some(lot) = &settled {
        ledger_entry(
            conn,
            user_id,
            lot,
            entry_kind::RESTORE,
            lot.amount,
            "refund refused by the payment provider",
        )
        .await?;
    }
    Ok(settled)
}

/// A call got no definitive answer: the lot stays pending for reconciliation.
pub async fn note_unanswered(conn: &mut AsyncPgConnection, id: i64) -> Result<(), StoreError> {
    diesel::update(wallet_refund_lots::table.find(id))
        .filter(wallet_refund_lots::status.eq(status::PENDING))
        .set((
            wallet_refund_lots::unanswered.eq(wallet_refund_lots::unanswered + 1),
            wallet_refund_lots::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets the refund account once no lot of the refund needs it.
pub async fn erase_account_when_settled(
    conn: &mut AsyncPgConnection,
    refund_id: Uuid,
) -> Result<(), StoreError> {
    let pending = wallet_refund_lots::table
        .filter(wallet_refund_lots::refund_id.eq(refund_id))
        .filter(wallet_refund_lots::status.eq(status::PENDING));
    diesel::update(wallet_refunds::table.find(refund_id))
        .filter(wallet_refunds::refund_account.is_not_null())
        .filter(diesel::dsl::not(diesel::dsl::exists(pending)))
        .set(wallet_refunds::refund_account.eq(None::<Sealed<RefundAccountField>>))
        .execute(conn)
        .await?;
    Ok(())
}

/// Pending lots to ask about: those a call left unanswered, and those whose
/// request stopped before asking (untouched since `stalled_before`).
pub async fn pending(
    conn: &mut AsyncPgConnection,
    stalled_before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<PendingLot>, StoreError> {
    let rows: Vec<(RefundLotRow, Uuid, Option<Sealed<RefundAccountField>>)> =
        wallet_refund_lots::table
            .inner_join(wallet_refunds::table)
            .filter(wallet_refund_lots::status.eq(status::PENDING))
            .filter(
                wallet_refund_lots::unanswered
                    .gt(0)
                    .or(wallet_refund_lots::updated_at.lt(stalled_before)),
            )
            .order(wallet_refund_lots::updated_at)
            .limit(limit)
            .select((
                RefundLotRow::as_select(),
                wallet_refunds::user_id,
                wallet_refunds::refund_account,
            ))
            .load(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(lot, user_id, refund_account)| PendingLot {
            lot,
            user_id,
            refund_account,
        })
        .collect())
}

/// The member's refunds, newest first, at most `limit`; `only` one of them.
pub async fn of_member(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    only: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(RefundRow, Vec<RefundLotRow>)>, StoreError> {
    let mut query = wallet_refunds::table
        .filter(wallet_refunds::user_id.eq(user_id))
        .order((wallet_refunds::created_at.desc(), wallet_refunds::id))
        .limit(limit)
        .select(RefundRow::as_select())
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(wallet_refunds::id.eq(id));
    }
    let refunds: Vec<RefundRow> = query.load(conn).await?;
    let ids: Vec<Uuid> = refunds.iter().map(|r| r.id).collect();
    let lots: Vec<RefundLotRow> = wallet_refund_lots::table
        .filter(wallet_refund_lots::refund_id.eq_any(&ids))
        .order(wallet_refund_lots::id)
        .select(RefundLotRow::as_select())
        .load(conn)
        .await?;
    Ok(refunds
        .into_iter()
        .map(|refund| {
            let own = lots
                .iter()
                .filter(|l| l.refund_id == refund.id)
                .cloned()
                .collect();
            (refund, own)
        })
        .collect())
}

/// What the member's pending refunds hold (out of the wallet, not yet back).
pub async fn pending_total(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> Result<Decimal, StoreError> {
    let total: Option<Decimal> = wallet_refund_lots::table
        .inner_join(wallet_refunds::table)
        .filter(wallet_refunds::user_id.eq(user_id))
        .filter(wallet_refund_lots::status.eq(status::PENDING))
        .select(diesel::dsl::sum(wallet_refund_lots::amount))
        .first(conn)
        .await?;
    Ok(total.unwrap_or(Decimal::ZERO))
}

/// Refund lots whose ledger entries disagree with their state: a pending or
/// refunded lot has taken exactly its amount, a failed one has taken it
/// and given it back. Empty when the wallet's refunds are exact.
pub async fn mismatches(conn: &mut AsyncPgConnection) -> Result<Vec<i64>, StoreError> {
    #[derive(QueryableByName)]
    struct Mismatch {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    let rows: Vec<Mismatch> = diesel::sql_query(
        "SELECT r.id FROM wallet_refund_lots r \
         LEFT JOIN cash_ledger e ON e.source = 'wallet-refund:' || r.id AND e.kind IN ('refund', 'restore') \
         GROUP BY r.id \
         HAVING COALESCE(sum(e.amount) FILTER (WHERE e.kind = 'refund' AND e.lot_id = r.lot_id), 0) <> -r.amount \
             OR COALESCE(sum(e.amount) FILTER (WHERE e.kind = 'restore' AND e.lot_id = r.lot_id), 0) \
                <> CASE WHEN r.status = 'failed' THEN r.amount ELSE 0 END \
             OR count(e.id) FILTER (WHERE e.lot_id <> r.lot_id) > 0 \
         ORDER BY r.id",
    )
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|m| m.id).collect())
}

/// Wallet charges' payments whose cancelled amount differs from what their
/// refunded lots say went back (only wallet refunds cancel a charge).
pub async fn charge_payment_mismatches(
    conn: &mut AsyncPgConnection,
) -> Result<Vec<Uuid>, StoreError> {
    #[derive(QueryableByName)]
    struct Mismatch {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    let rows: Vec<Mismatch> = diesel::sql_query(
        "SELECT p.id FROM payments p \
         LEFT JOIN wallet_refund_lots r ON r.payment_id = p.id AND r.status = 'refunded' \
         WHERE p.wallet_charge_id IS NOT NULL \
         GROUP BY p.id HAVING p.cancelled_amount <> COALESCE(sum(r.amount), 0) \
         ORDER BY p.id",
    )
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|m| m.id).collect())
}
