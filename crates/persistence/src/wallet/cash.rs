//! The cash ledger's lots (charged and bonus cash; entries against them are
//! written through `kernel::lots`, `Ledger::Cash`) and the charges of cash
//! through payment providers.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Numeric, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;
use crate::schema::{cash_ledger, wallet_charges};

/// The kinds of cash lots (entries against them: `kernel::lots::kind`).
pub mod kind {
    pub const CHARGE: &str = "charge";
    pub const BONUS: &str = "bonus";
}

/// The unique index that lets a provider transaction credit cash once.
pub const SOURCE_ONCE: &str = "cash_ledger_source_once";

/// A lot with what is left of it.
#[derive(Debug, Clone, QueryableByName)]
pub struct Lot {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Numeric)]
    pub remaining: Decimal,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub expires_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Text)]
    pub source: String,
}

/// The member's unexpired lots with something left.
pub async fn open_lots(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Lot>, StoreError> {
    Ok(Reusable::fixed(diesel::sql_query(
        "SELECT g.id, g.kind, g.amount + COALESCE(sum(e.amount), 0) AS remaining, g.expires_at, g.source \
         FROM cash_ledger g LEFT JOIN cash_ledger e ON e.lot_id = g.id \
         WHERE g.user_id = $1 AND g.kind IN ('charge', 'bonus') \
           AND (g.expires_at IS NULL OR g.expires_at > $2) \
         GROUP BY g.id HAVING g.amount + COALESCE(sum(e.amount), 0) > 0 \
         ORDER BY g.id",
    )
    .bind::<SqlUuid, _>(user_id)
    .bind::<Timestamptz, _>(now))
    .load(conn)
    .await?)
}

/// Credits a lot; fails with `Conflict(SOURCE_ONCE)` if `source` credited before.
pub async fn credit(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    lot_kind: &str,
    amount: Decimal,
    expires_at: Option<DateTime<Utc>>,
    source: &str,
    reason: &str,
) -> Result<i64, StoreError> {
    Ok(diesel::insert_into(cash_ledger::table)
        .values((
            cash_ledger::user_id.eq(user_id),
            cash_ledger::kind.eq(lot_kind),
            cash_ledger::amount.eq(amount),
            cash_ledger::expires_at.eq(expires_at),
            cash_ledger::source.eq(source),
            cash_ledger::reason.eq(reason),
        ))
        .returning(cash_ledger::id)
        .get_result(conn)
        .await?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = wallet_charges, check_for_backend(diesel::pg::Pg))]
pub struct ChargeRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub amount: Decimal,
    pub currency: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub credited_at: Option<DateTime<Utc>>,
}

pub async fn insert_charge(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    user_id: Uuid,
    amount: Decimal,
) -> Result<(), StoreError> {
    diesel::insert_into(wallet_charges::table)
        .values((
            wallet_charges::id.eq(id),
            wallet_charges::user_id.eq(user_id),
            wallet_charges::amount.eq(amount),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The member's charge, locked.
pub async fn lock_charge(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    user_id: Option<Uuid>,
) -> Result<Option<ChargeRow>, StoreError> {
    let query = wallet_charges::table
        .filter(wallet_charges::id.eq(id))
        .for_update()
        .select(ChargeRow::as_select());
    Ok(match user_id {
        Some(user_id) => {
            query
                .filter(wallet_charges::user_id.eq(user_id))
                .first(conn)
                .await
        }
        None => query.first(conn).await,
    }
    .optional()?)
}

pub async fn set_charge_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: &str,
) -> Result<(), StoreError> {
    let credited_at = (status == "credited").then(Utc::now);
    diesel::update(wallet_charges::table.find(id))
        .set((
            wallet_charges::status.eq(status),
            wallet_charges::credited_at.eq(credited_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A lot credited from `source`: its id, member and what is left of it.
pub async fn lot_by_source(
    conn: &mut AsyncPgConnection,
    source: &str,
) -> Result<Option<(i64, Uuid, Decimal)>, StoreError> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = SqlUuid)]
        user_id: Uuid,
        #[diesel(sql_type = Numeric)]
        remaining: Decimal,
    }
    let row: Option<Row> = diesel::sql_query(
        "SELECT g.id, g.user_id, g.amount + COALESCE(sum(e.amount), 0) AS remaining \
         FROM cash_ledger g LEFT JOIN cash_ledger e ON e.lot_id = g.id \
         WHERE g.source = $1 AND g.kind IN ('charge', 'bonus') GROUP BY g.id",
    )
    .bind::<Text, _>(source)
    .get_result(conn)
    .await
    .optional()?;
    Ok(row.map(|r| (r.id, r.user_id, r.remaining)))
}
