//! Password resets and password history.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{password_history, password_resets, users};

pub async fn insert_reset(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    user_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::id.eq(id),
            password_resets::user_id.eq(user_id),
            password_resets::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The user of a reset if it is unused and unexpired, locking it so two
/// confirmations cannot both use it.
pub async fn find_usable_reset_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    Ok(password_resets::table
        .filter(password_resets::id.eq(id))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(now))
        .select(password_resets::user_id)
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

pub async fn mark_reset_used(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(password_resets::table.find(id))
        .set(password_resets::used_at.eq(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// A reset as its email job needs it: (user, expires, used).
pub async fn find_reset(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<(Uuid, DateTime<Utc>, bool)>, StoreError> {
    Ok(password_resets::table
        .find(id)
        .select((
            password_resets::user_id,
            password_resets::expires_at,
            password_resets::used_at.is_not_null(),
        ))
        .first(conn)
        .await
        .optional()?)
}

/// The newest `limit` password hashes of the user (the current one included).
pub async fn recent_hashes(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(password_history::table
        .filter(password_history::user_id.eq(user_id))
        .order(password_history::id.desc())
        .limit(limit)
        .select(password_history::password_hash)
        .load(conn)
        .await?)
}

/// Sets the account's password and appends it to the history.
pub async fn set_password(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    hash: &str,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(hash),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)
        .await?;
    record_history(conn, user_id, hash).await
}

pub async fn record_history(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    hash: &str,
) -> Result<(), StoreError> {
    diesel::insert_into(password_history::table)
        .values((
            password_history::user_id.eq(user_id),
            password_history::password_hash.eq(hash),
        ))
        .execute(conn)
        .await?;
    Ok(())
}
