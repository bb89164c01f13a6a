//! The card part of a claim's refund: one step per provider payment, asked
//! under its own key and settled on its own (refunded, refused, or pending
//! while the provider's answer is unknown).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::claim_refunds;

pub mod status {
    pub const PENDING: &str = "pending";
    pub const REFUNDED: &str = "refunded";
    /// Refused by the provider: operations pay it back another way.
    pub const FAILED: &str = "failed";
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = claim_refunds, check_for_backend(diesel::pg::Pg))]
pub struct ClaimRefundRow {
    pub id: i64,
    pub claim_id: Uuid,
    pub payment_id: Uuid,
    pub amount: Decimal,
    pub status: String,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub unanswered: i32,
    pub updated_at: DateTime<Utc>,
}

/// Records the step that gives `amount` back through `payment_id`.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
    payment_id: Uuid,
    amount: Decimal,
) -> Result<ClaimRefundRow, StoreError> {
    Ok(diesel::insert_into(claim_refunds::table)
        .values((
            claim_refunds::claim_id.eq(claim_id),
            claim_refunds::payment_id.eq(payment_id),
            claim_refunds::amount.eq(amount),
        ))
        .returning(ClaimRefundRow::as_returning())
        .get_result(conn)
        .await?)
}

/// A claim's steps, in the order they were recorded.
pub async fn of_claims(
    conn: &mut AsyncPgConnection,
    claim_ids: &[Uuid],
) -> Result<Vec<ClaimRefundRow>, StoreError> {
    Ok(claim_refunds::table
        .filter(claim_refunds::claim_id.eq_any(claim_ids))
        .order(claim_refunds::id)
        .select(ClaimRefundRow::as_select())
        .load(conn)
        .await?)
}

/// Settles a pending step; `None` when it was settled before.
pub async fn settle(
    conn: &mut AsyncPgConnection,
    id: i64,
    outcome: &str,
    failure: Option<(&str, &str)>,
) -> Result<Option<ClaimRefundRow>, StoreError> {
    Ok(diesel::update(claim_refunds::table.find(id))
        .filter(claim_refunds::status.eq(status::PENDING))
        .set((
            claim_refunds::status.eq(outcome),
            claim_refunds::failure_code.eq(failure.map(|(code, _)| code)),
            claim_refunds::failure_message.eq(failure.map(|(_, message)| message)),
            claim_refunds::updated_at.eq(diesel::dsl::now),
        ))
        .returning(ClaimRefundRow::as_returning())
        .get_result(conn)
        .await
        .optional()?)
}

/// A call got no definitive answer: the step stays pending.
pub async fn note_unanswered(conn: &mut AsyncPgConnection, id: i64) -> Result<(), StoreError> {
    diesel::update(claim_refunds::table.find(id))
        .filter(claim_refunds::status.eq(status::PENDING))
        .set((
            claim_refunds::unanswered.eq(claim_refunds::unanswered + 1),
            claim_refunds::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Pending steps to ask about: unanswered ones, and those whose request
/// stopped before asking (untouched since `stalled_before`).
pub async fn pending(
    conn: &mut AsyncPgConnection,
    stalled_before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<ClaimRefundRow>, StoreError> {
    Ok(claim_refunds::table
        .filter(claim_refunds::status.eq(status::PENDING))
        .filter(
            claim_refunds::unanswered
                .gt(0)
                .or(claim_refunds::updated_at.lt(stalled_before)),
        )
        .order(claim_refunds::updated_at)
        .limit(limit)
        .select(ClaimRefundRow::as_select())
        .load(conn)
        .await?)
}

/// What does not add up after claims: claims whose card steps differ from
/// their plan's card refund (orders paid by the `test` method have no
/// provider to ask), payments cancelled by other than their
/// refunded claim steps, and orders whose claims gave back other points or
/// cash than the ledgers restored for them. Empty when every claim's
/// refund is exact.
pub async fn mismatches(conn: &mut AsyncPgConnection) -> Result<Vec<Uuid>, StoreError> {
    #[derive(QueryableByName)]
    struct Mismatch {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    let rows: Vec<Mismatch> = diesel::sql_query(MISMATCHES).load(conn).await?;
    Ok(rows.into_iter().map(|m| m.id).collect())
}

const MISMATCHES: &str = "\
SELECT c.id FROM claims c
JOIN purchase_orders o ON o.id = c.purchase_order_id
LEFT JOIN (SELECT claim_id, sum(amount) AS amount FROM claim_refunds GROUP BY claim_id) r ON r.claim_id = c.id
WHERE c.executed_at IS NOT NULL AND o.payment_method IS DISTINCT FROM 'test'
  AND c.refund_payable <> COALESCE(r.amount, 0)
UNION ALL
SELECT p.id FROM payments p
JOIN (SELECT payment_id, sum(amount) AS amount FROM claim_refunds WHERE status = 'refunded' GROUP BY payment_id) r
  ON r.payment_id = p.id
WHERE p.cancelled_amount <> r.amount
UNION ALL
SELECT c.purchase_order_id FROM (
    SELECT purchase_order_id, sum(refund_points) AS points, sum(refund_cash) AS cash
    FROM claims WHERE executed_at IS NOT NULL GROUP BY purchase_order_id) c
LEFT JOIN (SELECT purchase_order_id, sum(amount) AS amount FROM point_ledger
           WHERE kind = 'restore' AND reason = 'claim refunded' GROUP BY purchase_order_id) pl
  ON pl.purchase_order_id = c.purchase_order_id
LEFT JOIN (SELECT purchase_order_id, sum(amount) AS amount FROM cash_ledger
           WHERE kind = 'restore' AND reason = 'claim refunded' GROUP BY purchase_order_id) cl
  ON cl.purchase_order_id = c.purchase_order_id
WHERE c.points <> COALESCE(pl.amount, 0) OR c.cash <> COALESCE(cl.amount, 0)";

/// What claims have asked of a payment and not been refused: the steps
/// refunded or still pending. (The provider's own total may already count a
/// pending step whose answer was lost, so it is not used here.)
pub async fn asked_of_payment(
    conn: &mut AsyncPgConnection,
    payment_id: Uuid,
) -> Result<Decimal, StoreError> {
    let asked: Option<Decimal> = claim_refunds::table
        .filter(claim_refunds::payment_id.eq(payment_id))
        .filter(claim_refunds::status.ne(status::FAILED))
        .select(diesel::dsl::sum(claim_refunds::amount))
        .first(conn)
        .await?;
    Ok(asked.unwrap_or_default())
}

/// Forgets a claim's refund account once none of its steps is pending.
pub async fn erase_account_when_settled(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
) -> Result<(), StoreError> {
    use crate::schema::claims;
    let pending = claim_refunds::table
        .filter(claim_refunds::claim_id.eq(claim_id))
        .filter(claim_refunds::status.eq(status::PENDING));
    diesel::update(claims::table.find(claim_id))
        .filter(claims::refund_account.is_not_null())
        .filter(diesel::dsl::not(diesel::dsl::exists(pending)))
        .set(claims::refund_account.eq(None::<crypto::Sealed<super::requests::ClaimRefundAccount>>))
        .execute(conn)
        .await?;
    Ok(())
}

/// The sealed refund account of a claim, if it has one.
pub async fn account_of(
    conn: &mut AsyncPgConnection,
    claim_id: Uuid,
) -> Result<Option<crypto::Sealed<super::requests::ClaimRefundAccount>>, StoreError> {
    use crate::schema::claims;
    Ok(claims::table
        .find(claim_id)
        .select(claims::refund_account)
        .first(conn)
        .await
        .optional()?
        .flatten())
}
