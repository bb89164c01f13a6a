//! Idempotency keys: the first request under a key runs; its answer is kept
//! and replayed to any retry with the same body.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;
use crate::schema::idempotency_keys;

/// What a key already holds.
#[derive(Debug, Queryable)]
pub struct KeyRow {
    pub request_hash: Vec<u8>,
    pub response_status: Option<i32>,
    pub response_body: Option<serde_json::Value>,
    pub running_since_secs: f64,
}

/// Claims `key` for a new request as `claim`, unless it is taken; says
/// whether it was free. Kept prepared, so that it can lead a pipeline: it
/// commits on its own, ahead of the `BEGIN` sent behind it.
pub async fn claim(
    mut conn: &AsyncPgConnection,
    scope: &str,
    key: &str,
    request_hash: &[u8],
    claim: Uuid,
) -> Result<bool, StoreError> {
    let inserted = Reusable::fixed(
        diesel::insert_into(idempotency_keys::table)
            .values((
                idempotency_keys::scope.eq(scope),
                idempotency_keys::key.eq(key),
                idempotency_keys::request_hash.eq(request_hash),
                idempotency_keys::claim.eq(claim),
            ))
            .on_conflict_do_nothing(),
    )
    .execute(&mut conn)
    .await?;
    Ok(inserted == 1)
}

/// Whether `key` is held by `claim` (a stale key it took over).
pub async fn held_by(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &str,
    claim: Uuid,
) -> Result<bool, StoreError> {
    let held: i64 = idempotency_keys::table
        .find((scope, key))
        .filter(idempotency_keys::claim.eq(claim))
        .count()
        .get_result(conn)
        .await?;
    Ok(held == 1)
}

/// Serialises the requests of `scope` until the transaction ends, taking
/// its lock only if `key` is held by `claim`; says whether it is. Sent right
/// behind the claim, it lets a retry of a request still running find it
/// running rather than wait for its lock.
pub async fn lock_scope_if_claimed(
    mut conn: &AsyncPgConnection,
    scope: &str,
    key: &str,
    claim: Uuid,
) -> Result<bool, StoreError> {
    let locked = Reusable::fixed(
        diesel::sql_query(
            "SELECT pg_advisory_xact_lock(hashtextextended(scope, 0)) \
             FROM idempotency_keys WHERE scope = $1 AND key = $2 AND claim = $3",
        )
        .bind::<diesel::sql_types::Text, _>(scope)
        .bind::<diesel::sql_types::Text, _>(key)
        .bind::<diesel::sql_types::Uuid, _>(claim),
    )
    .execute(&mut conn)
    .await?;
    Ok(locked == 1)
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &str,
) -> Result<Option<KeyRow>, StoreError> {
    Ok(idempotency_keys::table
        .find((scope, key))
        .select((
            idempotency_keys::request_hash,
            idempotency_keys::response_status,
            idempotency_keys::response_body,
            diesel::dsl::sql::<diesel::sql_types::Double>(
                "extract(epoch FROM now() - locked_at)::float8",
            ),
        ))
        .first(conn)
        .await
        .optional()?)
}

/// Takes over, as `claim`, a key whose request never finished (its process
/// died).
pub async fn reclaim_stale(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &str,
    stale_after_secs: f64,
    claim: Uuid,
) -> Result<bool, StoreError> {
    let taken = diesel::update(idempotency_keys::table.find((scope, key)))
        .filter(idempotency_keys::response_status.is_null())
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "locked_at < now() - make_interval(secs => {stale_after_secs})"
        )))
        .set((
            idempotency_keys::locked_at.eq(diesel::dsl::now),
            idempotency_keys::claim.eq(claim),
        ))
        .execute(conn)
        .await?;
    Ok(taken == 1)
}

/// Stores the answer (in the transaction that did the work).
pub async fn complete(
    mut conn: &AsyncPgConnection,
    scope: &str,
    key: &str,
    status: i32,
    body: &serde_json::Value,
) -> Result<(), StoreError> {
    Reusable::fixed(
        diesel::update(idempotency_keys::table.find((scope, key))).set((
            idempotency_keys::response_status.eq(status),
            idempotency_keys::response_body.eq(body),
        )),
    )
    .execute(&mut conn)
    .await?;
    Ok(())
}

/// Frees a key whose request, as `claim`, failed without effect, so it can
/// be retried.
pub async fn release(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &str,
    claim: Uuid,
) -> Result<(), StoreError> {
    diesel::delete(idempotency_keys::table.find((scope, key)))
        .filter(idempotency_keys::response_status.is_null())
        .filter(idempotency_keys::claim.eq(claim))
        .execute(conn)
        .await?;
    Ok(())
}
