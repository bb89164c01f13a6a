//! Shoppers' password history and what their reset email needs (the reset
//! links themselves: `kernel::passwords`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{password_history, password_resets, users};

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
