//! Carts: one per shopper (member or guest), one line per SKU.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;
use crate::schema::{cart_items, carts};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cart_items, check_for_backend(diesel::pg::Pg))]
pub struct CartItemRow {
    pub id: Uuid,
    pub sku_id: Uuid,
    pub quantity: i32,
    pub price_seen: Decimal,
    pub created_at: DateTime<Utc>,
}

/// The owner's cart, created when missing, locked until the transaction ends
/// (one shopper's concurrent edits take turns).
pub async fn lock_or_create(mut conn: &AsyncPgConnection, owner: &str) -> Result<Uuid, StoreError> {
    Ok(Reusable::fixed(
        diesel::insert_into(carts::table)
            .values((carts::id.eq(Uuid::new_v4()), carts::owner.eq(owner)))
            .on_conflict(carts::owner)
            .do_update()
            .set(carts::updated_at.eq(diesel::dsl::now))
            .returning(carts::id),
    )
    .get_result(&mut conn)
    .await?)
}

/// The owner's lines, oldest first.
pub async fn items(
    conn: &mut AsyncPgConnection,
    owner: &str,
) -> Result<Vec<CartItemRow>, StoreError> {
    Ok(cart_items::table
        .inner_join(carts::table)
        .filter(carts::owner.eq(owner))
        .order((cart_items::created_at.asc(), cart_items::id.asc()))
        .select(CartItemRow::as_select())
        .load(conn)
        .await?)
}

/// The line of `sku_id` in `cart_id`, if any.
pub async fn line_of_sku(
    conn: &mut AsyncPgConnection,
    cart_id: Uuid,
    sku_id: Uuid,
) -> Result<Option<CartItemRow>, StoreError> {
    Ok(cart_items::table
        .filter(cart_items::cart_id.eq(cart_id))
        .filter(cart_items::sku_id.eq(sku_id))
        .select(CartItemRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Sets the line of `sku_id` to `quantity` (adding it when missing).
pub async fn put_line(
    conn: &mut AsyncPgConnection,
    cart_id: Uuid,
    sku_id: Uuid,
    quantity: i32,
    price_seen: Decimal,
) -> Result<CartItemRow, StoreError> {
    Ok(Reusable::fixed(
        diesel::insert_into(cart_items::table)
            .values((
                cart_items::id.eq(Uuid::new_v4()),
                cart_items::cart_id.eq(cart_id),
                cart_items::sku_id.eq(sku_id),
                cart_items::quantity.eq(quantity),
                cart_items::price_seen.eq(price_seen),
            ))
            .on_conflict((cart_items::cart_id, cart_items::sku_id))
            .do_update()
            .set((
                cart_items::quantity.eq(quantity),
                cart_items::price_seen.eq(price_seen),
            ))
            .returning(CartItemRow::as_returning()),
    )
    .get_result(conn)
    .await?)
}

/// One of the owner's lines (ownership checked in the query).
pub async fn find_line(
    conn: &mut AsyncPgConnection,
    owner: &str,
    item_id: Uuid,
) -> Result<Option<CartItemRow>, StoreError> {
    Ok(cart_items::table
        .inner_join(carts::table)
        .filter(carts::owner.eq(owner))
        .filter(cart_items::id.eq(item_id))
        .select(CartItemRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Changes the quantity of one of the owner's lines; `false` if not theirs.
pub async fn set_quantity(
    conn: &mut AsyncPgConnection,
    owner: &str,
    item_id: Uuid,
    quantity: i32,
    price_seen: Decimal,
) -> Result<bool, StoreError> {
    let owned = carts::table
        .filter(carts::owner.eq(owner))
        .select(carts::id);
    let changed = diesel::update(cart_items::table)
        .filter(cart_items::id.eq(item_id))
        .filter(cart_items::cart_id.eq_any(owned))
        .set((
            cart_items::quantity.eq(quantity),
            cart_items::price_seen.eq(price_seen),
        ))
        .execute(conn)
        .await?;
    Ok(changed == 1)
}

/// Removes one of the owner's lines; `false` if not theirs.
pub async fn remove_line(
    conn: &mut AsyncPgConnection,
    owner: &str,
    item_id: Uuid,
) -> Result<bool, StoreError> {
    let owned = carts::table
        .filter(carts::owner.eq(owner))
        .select(carts::id);
    let removed = diesel::delete(cart_items::table)
        .filter(cart_items::id.eq(item_id))
        .filter(cart_items::cart_id.eq_any(owned))
        .execute(conn)
        .await?;
    Ok(removed == 1)
}

/// Removes the owner's lines of `sku_ids` (bought).
pub async fn remove_skus(
    mut conn: &AsyncPgConnection,
    owner: &str,
    sku_ids: &[Uuid],
) -> Result<(), StoreError> {
    let owned = carts::table
        .filter(carts::owner.eq(owner))
        .select(carts::id);
    diesel::delete(cart_items::table)
        .filter(cart_items::cart_id.eq_any(owned))
        .filter(cart_items::sku_id.eq_any(sku_ids))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// Deletes the owner's cart and returns its lines (a guest cart being merged).
pub async fn take(
    conn: &mut AsyncPgConnection,
    owner: &str,
) -> Result<Vec<CartItemRow>, StoreError> {
    let lines = items(conn, owner).await?;
    diesel::delete(carts::table.filter(carts::owner.eq(owner)))
        .execute(conn)
        .await?;
    Ok(lines)
}

/// Records that the shopper was shown a line's current price.
pub async fn set_price_seen(
    conn: &mut AsyncPgConnection,
    owner: &str,
    item_id: Uuid,
    price: Decimal,
) -> Result<(), StoreError> {
    let owned = carts::table
        .filter(carts::owner.eq(owner))
        .select(carts::id);
    diesel::update(cart_items::table)
        .filter(cart_items::id.eq(item_id))
        .filter(cart_items::cart_id.eq_any(owned))
        .set(cart_items::price_seen.eq(price))
        .execute(conn)
        .await?;
    Ok(())
}
