//! Product views without a database write per request: each view is one
//! Redis increment; a schedule moves the counts into PostgreSQL in one
//! statement per batch, and another recomputes popularity from them.

use jobs::JobError;
use persistence::catalog::popularity;
use redis::AsyncCommands;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Context;

const PENDING: &str = "catalog:views";
/// A batch being moved; left in place if the move fails, and moved first next time.
const FLUSHING: &str = "catalog:views:flushing";

/// Counts one view. Best effort: a Redis hiccup never fails the page.
pub async fn record(context: &Context, product_id: Uuid) {
    let mut redis = context.kv.connection();
    let counted: Result<i64, _> = redis
        .hincr(context.kv.key(PENDING), product_id.to_string(), 1)
        .await;
    if let Err(error) = counted {
        tracing::warn!(%error, "product view not counted");
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FlushProductViews;

impl jobs::Job for FlushProductViews {
    const KIND: &'static str = "catalog.flush_product_views";
    const MAX_ATTEMPTS: i32 = 3;
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct RecomputePopularity;

impl jobs::Job for RecomputePopularity {
    const KIND: &'static str = "catalog.recompute_popularity";
    const MAX_ATTEMPTS: i32 = 3;
}

/// Moves the counted views into the database. Returns how many products
/// had views.
pub async fn flush(context: &Context) -> Result<usize, JobError> {
    let retry = |e: &dyn std::fmt::Display| JobError::retry(e.to_string());
    let mut redis = context.kv.connection();
    let flushing = context.kv.key(FLUSHING);
    // An earlier batch that did not make it goes first; otherwise take the
    // pending counts atomically (new views start a fresh hash).
    let leftover: bool = redis.exists(&flushing).await.map_err(|e| retry(&e))?;
    if !leftover {
        let taken: Result<bool, _> = redis.rename_nx(context.kv.key(PENDING), &flushing).await;
        match taken {
            Ok(true) => {}
            // Nothing counted since the last flush.
            Ok(false) | Err(_) => return Ok(0),
        }
    }
    let counts: Vec<(String, i64)> = redis.hgetall(&flushing).await.map_err(|e| retry(&e))?;
    let batch: Vec<(Uuid, i64)> = counts
        .into_iter()
        .filter_map(|(id, n)| Uuid::parse_str(&id).ok().map(|id| (id, n)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    popularity::add_views(&mut conn, &batch)
        .await
        .map_err(|e| retry(&e))?;
    let _: () = redis.del(&flushing).await.map_err(|e| retry(&e))?;
    Ok(batch.len())
}

pub async fn recompute_popularity(context: &Context) -> Result<usize, JobError> {
    let mut conn = context
        .db
        .get()
        .await
        .map_err(|e| JobError::retry(e.to_string()))?;
    popularity::recompute_popularity(&mut conn)
        .await
        .map_err(|e| JobError::retry(e.to_string()))
}
