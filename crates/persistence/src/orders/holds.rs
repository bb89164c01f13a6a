//! Stock held for unpaid orders. Reserving is one conditional UPDATE per
//! SKU; the `skus_reserved_range` CHECK backs it, so available stock can
//! never go below zero at any concurrency.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Integer, Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;
use crate::schema::inventory_reservations;

/// Reserves each `(sku, quantity)` of `holds` where that many are
/// available; answers what each reserved SKU has available after. A SKU
/// missing from the answer had not enough. One round trip: the SKU rows
/// are what concurrent orders wait for, and their locks last until the
/// commit (`reserve_stock` locks them in id order, one conditional UPDATE
/// each).
pub async fn reserve(
    mut conn: &AsyncPgConnection,
    holds: &[(Uuid, i32)],
) -> Result<Vec<(Uuid, i32)>, StoreError> {
    let (sku_ids, quantities): (Vec<Uuid>, Vec<i32>) = holds.iter().copied().unzip();
    let rows: Vec<Available> = Reusable::fixed(
        diesel::sql_query("SELECT sku_id, available FROM reserve_stock($1, $2)")
            .bind::<Array<SqlUuid>, _>(&sku_ids)
            .bind::<Array<Integer>, _>(&quantities),
    )
    .load(&mut conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.sku_id, r.available)).collect())
}

#[derive(QueryableByName)]
struct Available {
    #[diesel(sql_type = SqlUuid)]
    sku_id: Uuid,
    #[diesel(sql_type = Integer)]
    available: i32,
}

/// How many unpaid orders of `holder` still hold stock: the orders behind
/// the holder's live holds. Read through the index of held holds by holder,
/// the only index that names the holder, so every plan reads this
/// holder's holds alone; counted from the orders, a plan could take their
/// index by expiry instead and read every order of the last quarter hour.
pub async fn open_orders(
    mut conn: &AsyncPgConnection,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(Reusable::fixed(
        inventory_reservations::table
            .filter(inventory_reservations::holder.eq(holder))
            .filter(is_held())
            .filter(inventory_reservations::expires_at.gt(now))
            .select(
                diesel::dsl::count(inventory_reservations::purchase_order_id).aggregate_distinct(),
            ),
    )
    .get_result(&mut conn)
    .await?)
}

/// `state = 'held'` written into the statement, not bound: a kept
/// (generic) plan can use the partial index of held holds only when it
/// sees the value.
fn is_held() -> diesel::expression::SqlLiteral<Bool> {
    diesel::dsl::sql("\"inventory_reservations\".\"state\" = 'held'")
}

/// A hold on a SKU's stock for an unpaid order (inserted with the order,
/// [`crate::orders::insert`]).
#[derive(Debug, Insertable)]
#[diesel(table_name = inventory_reservations)]
pub struct NewHold {
    pub id: Uuid,
    pub sku_id: Uuid,
    pub purchase_order_id: Uuid,
    pub holder: String,
    pub quantity: i32,
    pub expires_at: DateTime<Utc>,
}

/// A SKU whose availability changed: what was available before and after.
#[derive(Debug, Clone, Copy)]
pub struct StockChange {
    pub sku_id: Uuid,
    pub available_before: i32,
    pub available_after: i32,
}

/// Ends an order's holds: `committed` takes the units out of stock (sold,
/// with a ledger entry); otherwise they become available again. One round
/// trip, as for [`reserve`] (`finish_holds`).
pub async fn finish(
    mut conn: &AsyncPgConnection,
    purchase_order_id: Uuid,
    committed: bool,
    reference: &str,
) -> Result<Vec<StockChange>, StoreError> {
    let rows: Vec<Finished> = Reusable::fixed(
        diesel::sql_query("SELECT sku_id, available, quantity FROM finish_holds($1, $2, $3)")
            .bind::<SqlUuid, _>(purchase_order_id)
            .bind::<Bool, _>(committed)
            .bind::<Text, _>(reference),
    )
    .load(&mut conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| StockChange {
            sku_id: row.sku_id,
            available_before: if committed {
                row.available
            } else {
                row.available - row.quantity
            },
            available_after: row.available,
        })
        .collect())
}

#[derive(QueryableByName)]
struct Finished {
    #[diesel(sql_type = SqlUuid)]
    sku_id: Uuid,
    #[diesel(sql_type = Integer)]
    available: i32,
    #[diesel(sql_type = Integer)]
    quantity: i32,
}
