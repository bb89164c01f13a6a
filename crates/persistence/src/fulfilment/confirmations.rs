//! Purchase confirmations: the product orders waiting for one, and the
//! confirmation itself (once per product order, keeping what settlement
//! consumes).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::claims::requests::OPEN_CLAIM_ON_P;
use crate::schema::product_orders;

/// A shipped or delivered product order with what confirming it needs.
#[derive(Debug, Clone, QueryableByName)]
pub struct AwaitingRow {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub purchase_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub seller_order_id: Uuid,
    #[diesel(sql_type = Text)]
    pub product_name: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub user_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub shipped_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub carrier_delivered_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub confirmation_noticed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Numeric)]
    pub payable_amount: Decimal,
    #[diesel(sql_type = Numeric)]
    pub cash: Decimal,
    /// An open claim (or a vendor's holdback of one) names it: it waits.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub in_open_claim: bool,
}

/// The rows' select list and joins.
fn awaiting() -> String {
    format!(
        "SELECT p.id, p.purchase_order_id, p.seller_order_id, p.product_name, o.user_id, \
         p.status, p.shipped_at, s.carrier_delivered_at, p.confirmation_noticed_at, p.payable_amount, \
         p.cash, {OPEN_CLAIM_ON_P} AS in_open_claim \
         FROM product_orders p \
         JOIN purchase_orders o ON o.id = p.purchase_order_id \
         LEFT JOIN shipments s ON s.id = p.shipment_id"
    )
}

/// Up to `limit` product orders after `after` (in id order) waiting for
/// confirmation whose delivery event, or shipping, is no later than
/// `cutoff`, locked (others' locked rows skipped, so replicas share the
/// work).
pub async fn lock_awaiting(
    conn: &mut AsyncPgConnection,
    cutoff: DateTime<Utc>,
    after: Uuid,
    limit: i64,
) -> Result<Vec<AwaitingRow>, StoreError> {
    Ok(diesel::sql_query(format!(
        "{} WHERE p.status IN ('shipped', 'delivered') \
         AND LEAST(s.carrier_delivered_at, p.shipped_at) <= $1 AND p.id > $2 \
         AND NOT {OPEN_CLAIM_ON_P} \
         ORDER BY p.id LIMIT $3 FOR UPDATE OF p SKIP LOCKED",
        awaiting()
    ))
    .bind::<Timestamptz, _>(cutoff)
    .bind::<SqlUuid, _>(after)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?)
}

/// One of the buyer's product orders, locked.
pub async fn lock_own(
    conn: &mut AsyncPgConnection,
    buyer: &str,
    id: Uuid,
) -> Result<Option<AwaitingRow>, StoreError> {
    Ok(diesel::sql_query(format!(
        "{} WHERE p.id = $1 AND o.buyer = $2 FOR UPDATE OF p",
        awaiting()
    ))
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(buyer)
    .get_result(conn)
    .await
    .optional()?)
}

/// Confirms a locked product order: records the confirmation with its
/// amounts and its commission, and moves it to `confirmed`. `false` when it
/// was confirmed before, or a claim names it (read afresh by this
/// statement: a claim made while the row lock was awaited is seen).
pub async fn confirm(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    by: &str,
    at: DateTime<Utc>,
    points_earned: Decimal,
) -> Result<bool, StoreError> {
    let inserted = diesel::sql_query(format!(
        "INSERT INTO purchase_confirmations (product_order_id, purchase_order_id, seller_order_id, seller_id, \
         confirmed_by, confirmed_at, quantity, list_amount, product_discount, seller_coupon_discount, \
         platform_coupon_discount, platform_coupon_seller_funded, points, cash, payable_amount, \
         commission_rate, commission_vat_rate, points_earned) \
         SELECT p.id, p.purchase_order_id, p.seller_order_id, p.seller_id, $2, $3, p.quantity, p.list_amount, \
         p.product_discount, p.seller_coupon_discount, p.platform_coupon_discount, \
         p.platform_coupon_seller_funded, p.points, p.cash, p.payable_amount, t.rate, t.vat_rate, $4 \
         FROM product_orders p JOIN product_order_commissions t ON t.product_order_id = p.id \
         WHERE p.id = $1 AND p.claim_id IS NULL AND NOT {OPEN_CLAIM_ON_P} \
         ON CONFLICT (product_order_id) DO NOTHING"
    ))
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(by)
    .bind::<Timestamptz, _>(at)
    .bind::<Numeric, _>(points_earned)
    .execute(conn)
    .await?;
    if inserted == 0 {
        return Ok(false);
    }
    diesel::update(product_orders::table.find(id))
        .set((
            product_orders::status.eq("confirmed"),
            product_orders::confirmed_at.eq(at),
            product_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(true)
}

/// Notes the points lot a confirmation earned.
pub async fn set_points_lot(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    lot: i64,
) -> Result<(), StoreError> {
    diesel::sql_query(
        "UPDATE purchase_confirmations SET points_lot_id = $2 WHERE product_order_id = $1",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<BigInt, _>(lot)
    .execute(conn)
    .await?;
    Ok(())
}

/// Notes that the shopper was told the product order will confirm.
pub async fn mark_noticed(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(product_orders::table.find(id))
        .set(product_orders::confirmation_noticed_at.eq(at))
        .execute(conn)
        .await?;
    Ok(())
}

/// Product orders whose confirmation does not add up (should be none): a
/// confirmed line without its record, a record of a line not confirmed,
/// amounts that differ from the line's, or earned points without their
/// grant of the same amount.
pub async fn mismatches(conn: &mut AsyncPgConnection) -> Result<Vec<Uuid>, StoreError> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let rows: Vec<Id> = diesel::sql_query(
        "SELECT p.id FROM product_orders p \
         FULL JOIN purchase_confirmations c ON c.product_order_id = p.id \
         LEFT JOIN point_ledger g ON g.id = c.points_lot_id \
         WHERE (p.status = 'confirmed' OR c.product_order_id IS NOT NULL) \
         AND (p.status IS DISTINCT FROM 'confirmed' OR c.product_order_id IS NULL \
              OR (c.list_amount, c.product_discount, c.seller_coupon_discount, c.platform_coupon_discount, \
                  c.platform_coupon_seller_funded, c.points, c.cash, c.payable_amount, c.quantity) \
                 IS DISTINCT FROM (p.list_amount, p.product_discount, p.seller_coupon_discount, \
                  p.platform_coupon_discount, p.platform_coupon_seller_funded, p.points, p.cash, \
                  p.payable_amount, p.quantity) \
              OR (c.points_earned > 0 AND g.amount IS DISTINCT FROM c.points_earned)) \
         ORDER BY 1",
    )
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}
