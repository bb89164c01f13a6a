//! A vendor order's dispatch deadline and the product orders waiting to
//! leave the vendor.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{product_orders, seller_orders};

/// What fulfilment reads of a vendor order.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = seller_orders, check_for_backend(diesel::pg::Pg))]
pub struct DispatchRow {
    pub id: Uuid,
    pub purchase_order_id: Uuid,
    pub seller_id: Uuid,
    pub status: String,
    pub dispatch_due: Option<NaiveDate>,
    pub dispatch_declared: Option<NaiveDate>,
    pub dispatch_delayed_to: Option<NaiveDate>,
    pub dispatch_delay_reason: Option<String>,
    pub dispatch_delay_note: Option<String>,
}

/// What fulfilment reads of a product order.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_orders, check_for_backend(diesel::pg::Pg))]
pub struct LineRow {
    pub id: Uuid,
    pub seller_order_id: Uuid,
    pub purchase_order_id: Uuid,
    pub product_name: String,
    pub quantity: i32,
    pub status: String,
    pub shipment_id: Option<Uuid>,
}

/// The vendor order `id` as `seller_id` sees it: its own only; operations
/// (no seller) every one.
#[diesel::dsl::auto_type(no_type_alias)]
fn visible(seller_id: Option<Uuid>, id: Uuid) -> _ {
    let anyone: bool = seller_id.is_none();
    seller_orders::table
        .filter(seller_orders::id.eq(id))
        .filter(
            seller_orders::seller_id
                .nullable()
                .eq(seller_id)
                .or(anyone.into_sql::<diesel::sql_types::Bool>()),
        )
}

/// Locks a vendor order; `seller_id`, when given, must own it.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    seller_id: Option<Uuid>,
    id: Uuid,
) -> Result<Option<DispatchRow>, StoreError> {
    Ok(visible(seller_id, id)
        .select(DispatchRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// A vendor order; `seller_id`, when given, must own it.
pub async fn find(
    conn: &mut AsyncPgConnection,
    seller_id: Option<Uuid>,
    id: Uuid,
) -> Result<Option<DispatchRow>, StoreError> {
    Ok(visible(seller_id, id)
        .select(DispatchRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// A vendor order's product orders, locked, in id order.
pub async fn lock_lines(
    conn: &mut AsyncPgConnection,
    seller_order_id: Uuid,
) -> Result<Vec<LineRow>, StoreError> {
    Ok(product_orders::table
        .filter(product_orders::seller_order_id.eq(seller_order_id))
        .order(product_orders::id)
        .select(LineRow::as_select())
        .for_update()
        .load(conn)
        .await?)
}

/// One product order.
pub async fn line(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<LineRow>, StoreError> {
    Ok(product_orders::table
        .find(id)
        .select(LineRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

pub async fn set_declared(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    date: NaiveDate,
) -> Result<(), StoreError> {
    diesel::update(seller_orders::table.find(id))
        .set((
            seller_orders::dispatch_declared.eq(date),
            seller_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_delay(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    to: NaiveDate,
    reason: &str,
    note: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(seller_orders::table.find(id))
        .set((
            seller_orders::dispatch_delayed_to.eq(to),
            seller_orders::dispatch_delay_reason.eq(reason),
            seller_orders::dispatch_delay_note.eq(note),
            seller_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The vendor accepted these product orders and is preparing them.
pub async fn accept_lines(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<(), StoreError> {
    diesel::update(product_orders::table.filter(product_orders::id.eq_any(ids)))
        .set((
            product_orders::status.eq("preparing"),
            product_orders::accepted_at.eq(diesel::dsl::now),
            product_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
