//! Restock alert subscriptions.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::restock_subscriptions;

/// Subscribes (again: a notified subscription waits for the next restock).
pub async fn subscribe(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    sku_id: Uuid,
) -> Result<(), StoreError> {
    diesel::insert_into(restock_subscriptions::table)
        .values((
            restock_subscriptions::user_id.eq(user_id),
            restock_subscriptions::sku_id.eq(sku_id),
        ))
        .on_conflict((
            restock_subscriptions::user_id,
            restock_subscriptions::sku_id,
        ))
        .do_update()
        .set(restock_subscriptions::notified_at.eq(None::<chrono::DateTime<chrono::Utc>>))
        .execute(conn)
        .await?;
    Ok(())
}

/// Up to `limit` shoppers still waiting for `sku_id`.
pub async fn pending(
    conn: &mut AsyncPgConnection,
    sku_id: Uuid,
    limit: i64,
) -> Result<Vec<Uuid>, StoreError> {
    Ok(restock_subscriptions::table
        .filter(restock_subscriptions::sku_id.eq(sku_id))
        .filter(restock_subscriptions::notified_at.is_null())
        .order(restock_subscriptions::created_at.asc())
        .limit(limit)
        .select(restock_subscriptions::user_id)
        .load(conn)
        .await?)
}

pub async fn mark_notified(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    sku_id: Uuid,
) -> Result<(), StoreError> {
    diesel::update(restock_subscriptions::table.find((user_id, sku_id)))
        .set(restock_subscriptions::notified_at.eq(diesel::dsl::now))
        .execute(conn)
        .await?;
    Ok(())
}
