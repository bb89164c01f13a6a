//! Wishlists (likes) and the like counts they keep.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{product_stats, wishlist_items};

/// Adds a like; the product's count grows only when it is new. Returns
/// whether it was new. A product that does not exist is `MissingReference`.
pub async fn add(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    product_id: Uuid,
) -> Result<bool, StoreError> {
    let inserted = diesel::insert_into(wishlist_items::table)
        .values((
            wishlist_items::user_id.eq(user_id),
            wishlist_items::product_id.eq(product_id),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    if inserted == 1 {
        diesel::update(product_stats::table.find(product_id))
            .set(product_stats::like_count.eq(product_stats::like_count + 1))
            .execute(conn)
            .await?;
    }
    Ok(inserted == 1)
}

/// Removes a like; the count shrinks only when there was one.
pub async fn remove(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    product_id: Uuid,
) -> Result<bool, StoreError> {
    let deleted = diesel::delete(wishlist_items::table.find((user_id, product_id)))
        .execute(conn)
        .await?;
    if deleted == 1 {
        diesel::update(product_stats::table.find(product_id))
            .set(product_stats::like_count.eq(product_stats::like_count - 1))
            .execute(conn)
            .await?;
    }
    Ok(deleted == 1)
}

/// The products a shopper likes, most recent first.
pub async fn product_ids(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(wishlist_items::table
        .filter(wishlist_items::user_id.eq(user_id))
        .order(wishlist_items::created_at.desc())
        .limit(limit)
        .select(wishlist_items::product_id)
        .load(conn)
        .await?)
}
