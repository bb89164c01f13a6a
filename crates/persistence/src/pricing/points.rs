//! The points ledger: grants are lots with an expiry; spends and restores
//! are entries drawn against a lot. Balances are derived, never stored.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Numeric, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;
use crate::schema::point_ledger;

/// A grant with what is left of it.
#[derive(Debug, Clone, QueryableByName)]
pub struct Lot {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    #[diesel(sql_type = Numeric)]
    pub remaining: Decimal,
    #[diesel(sql_type = Timestamptz)]
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = point_ledger, check_for_backend(diesel::pg::Pg))]
pub struct Entry {
    pub id: i64,
    pub kind: String,
    pub amount: Decimal,
    pub lot_id: Option<i64>,
    pub expires_at: Option<DateTime<Utc>>,
    pub purchase_order_id: Option<Uuid>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// Serialises one member's point movements until the transaction ends.
pub async fn lock_member(conn: &mut AsyncPgConnection, user_id: Uuid) -> Result<(), StoreError> {
    Reusable::fixed(
        diesel::sql_query(
            "SELECT pg_advisory_xact_lock(hashtextextended('points:' || $1::text, 0))",
        )
        .bind::<SqlUuid, _>(user_id),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The member's unexpired lots with something left.
pub async fn open_lots(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Lot>, StoreError> {
    Ok(Reusable::fixed(
        diesel::sql_query(
            "SELECT g.id, g.amount + COALESCE(sum(e.amount), 0) AS remaining, g.expires_at \
         FROM point_ledger g LEFT JOIN point_ledger e ON e.lot_id = g.id \
         WHERE g.user_id = $1 AND g.kind = 'grant' AND g.expires_at > $2 \
         GROUP BY g.id HAVING g.amount + COALESCE(sum(e.amount), 0) > 0 \
         ORDER BY g.expires_at, g.id",
        )
        .bind::<SqlUuid, _>(user_id)
        .bind::<Timestamptz, _>(now),
    )
    .load(conn)
    .await?)
}

pub async fn grant(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    amount: Decimal,
    expires_at: DateTime<Utc>,
    reason: &str,
) -> Result<i64, StoreError> {
    Ok(diesel::insert_into(point_ledger::table)
        .values((
            point_ledger::user_id.eq(user_id),
            point_ledger::kind.eq("grant"),
            point_ledger::amount.eq(amount),
            point_ledger::expires_at.eq(expires_at),
            point_ledger::reason.eq(reason),
        ))
        .returning(point_ledger::id)
        .get_result(conn)
        .await?)
}

/// Appends spends (negative) or restores (positive) against lots.
pub async fn draw(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    kind: &str,
    entries: &[(i64, Decimal)],
    purchase_order_id: Uuid,
    reason: &str,
) -> Result<(), StoreError> {
    let rows: Vec<_> = entries
        .iter()
        .map(|(lot_id, amount)| {
            (
                point_ledger::user_id.eq(user_id),
                point_ledger::kind.eq(kind),
                point_ledger::amount.eq(*amount),
                point_ledger::lot_id.eq(*lot_id),
                point_ledger::purchase_order_id.eq(purchase_order_id),
                point_ledger::reason.eq(reason),
            )
        })
        .collect();
    if !rows.is_empty() {
        diesel::insert_into(point_ledger::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Per lot, what an order has taken and not given back (positive), in
/// the order the lots were drawn.
pub async fn outstanding_for_order(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
) -> Result<Vec<(i64, Decimal)>, StoreError> {
    let rows: Vec<(Option<i64>, Option<Decimal>)> = point_ledger::table
        .filter(point_ledger::purchase_order_id.eq(purchase_order_id))
        .group_by(point_ledger::lot_id)
        .select((point_ledger::lot_id, diesel::dsl::sum(point_ledger::amount)))
        .order(diesel::dsl::min(point_ledger::id).asc())
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(lot, sum)| Some((lot?, -sum?)))
        .filter(|(_, owed)| *owed > Decimal::ZERO)
        .collect())
}

/// The member's latest entries, newest first.
pub async fn history(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<Entry>, StoreError> {
    Ok(point_ledger::table
        .filter(point_ledger::user_id.eq(user_id))
        .order(point_ledger::id.desc())
        .limit(limit)
        .select(Entry::as_select())
        .load(conn)
        .await?)
}
