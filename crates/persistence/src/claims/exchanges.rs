//! An exchange's stock and its product order: the other option's units
//! held while the exchange is open, sold when it completes, and the product
//! order moved to the other option.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::catalog::products::move_stock;
use crate::schema::{product_orders, skus};

/// The option asked for, as an exchange reads it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = skus, check_for_backend(diesel::pg::Pg))]
pub struct OptionRow {
    pub id: Uuid,
    pub product_id: Uuid,
    pub code: String,
    pub option_values: Vec<Option<String>>,
    pub list_price: Decimal,
    pub sale_price: Option<Decimal>,
    pub sale_starts_at: Option<DateTime<Utc>>,
    pub sale_ends_at: Option<DateTime<Utc>>,
}

pub async fn option(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<OptionRow>, StoreError> {
    Ok(skus::table
        .find(id)
        .select(OptionRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Holds `quantity` units of `sku_id` if that many are free; `false` if not.
pub async fn reserve(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
    quantity: i32,
) -> Result<bool, StoreError> {
    let held = diesel::update(skus::table.find(sku_id))
        .filter((skus::on_hand - skus::reserved).ge(quantity))
        .set((
            skus::reserved.eq(skus::reserved + quantity),
            skus::version.eq(skus::version + 1),
        ))
        .execute(conn)
        .await?;
    Ok(held == 1)
}

/// Lets go of units held for an exchange that will not happen.
pub async fn release(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
    quantity: i32,
) -> Result<(), StoreError> {
    diesel::update(skus::table.find(sku_id))
        .set((
            skus::reserved.eq(skus::reserved - quantity),
            skus::version.eq(skus::version + 1),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The held units leave stock, with a `sold` movement.
pub async fn sell_held(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
    quantity: i32,
    reference: &str,
) -> Result<(), StoreError> {
    release(conn, sku_id, quantity).await?;
    move_stock(conn, sku_id, -quantity, "sold", Some(reference), None)
        .await?
        .ok_or_else(|| StoreError::Conflict("skus_on_hand_covers_reserved".to_owned()))?;
    Ok(())
}

/// The product order now holds the other option and is prepared again.
pub async fn swap_option(
    conn: &mut AsyncPgConnection,
    product_order_id: Uuid,
    option: &OptionRow,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(product_orders::table.find(product_order_id))
        .set((
            product_orders::sku_id.eq(option.id),
            product_orders::sku_code.eq(&option.code),
            product_orders::option_values.eq(&option.option_values),
            product_orders::status.eq("preparing"),
            product_orders::shipment_id.eq(None::<Uuid>),
            product_orders::shipped_at.eq(None::<DateTime<Utc>>),
            product_orders::delivered_at.eq(None::<DateTime<Utc>>),
            product_orders::accepted_at.eq(Some(at)),
            product_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
