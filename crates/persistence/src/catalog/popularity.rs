//! Product views: counted in Redis on the hot path, added here in batches,
//! and read back by the popularity schedule.

use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;

/// Adds today's counted views (one statement for the whole batch) to the
/// daily table and the products' totals.
pub async fn add_views(
    conn: &mut AsyncPgConnection,
    counts: &[(Uuid, i64)],
) -> Result<(), StoreError> {
    if counts.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = counts.iter().map(|(id, _)| *id).collect();
    let views: Vec<i64> = counts.iter().map(|(_, n)| *n).collect();
    diesel::sql_query(
        "WITH batch AS (SELECT b.id, b.views FROM unnest($1::uuid[], $2::bigint[]) AS b(id, views) \
                        JOIN products p ON p.id = b.id), \
              days AS (INSERT INTO product_view_days (product_id, day, views) \
                       SELECT id, current_date, views FROM batch \
                       ON CONFLICT (product_id, day) DO UPDATE SET views = product_view_days.views + EXCLUDED.views) \
         UPDATE product_stats s SET view_count = s.view_count + batch.views, updated_at = now() \
         FROM batch WHERE s.product_id = batch.id",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .bind::<Array<BigInt>, _>(views)
    .execute(conn)
    .await?;
    Ok(())
}

/// Recomputes every product's popularity: views of the last seven days,
/// likes, and reviews weighted by their average rating. One statement.
pub async fn recompute_popularity(conn: &mut AsyncPgConnection) -> Result<usize, StoreError> {
    Ok(diesel::sql_query(
        "UPDATE product_stats s SET popularity = \
             coalesce(v.recent, 0) + 3 * s.like_count \
             + CASE WHEN s.review_count = 0 THEN 0 ELSE 2 * s.rating_sum::float8 / 5 END, \
             updated_at = now() \
         FROM (SELECT p.id, (SELECT sum(views) FROM product_view_days d \
                             WHERE d.product_id = p.id AND d.day > current_date - 7)::float8 AS recent \
               FROM products p) v \
         WHERE v.id = s.product_id",
    )
    .execute(conn)
    .await?)
}
