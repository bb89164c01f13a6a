//! Refresh-token rows: hashes, families, rotation and revocation.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::refresh_tokens;

pub mod state {
    pub const CURRENT: &str = "current";
    pub const ROTATED: &str = "rotated";
    pub const REVOKED: &str = "revoked";
}

#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshToken<'a> {
    pub id: Uuid,
    pub family_id: Uuid,
    pub subject: &'a str,
    pub audience: &'a str,
    pub session_id: &'a str,
    pub device_hash: &'a str,
    pub token_hash: &'a [u8],
    /// Space-separated scopes of the login.
    pub scopes: &'a str,
    pub issued_at: DateTime<Utc>,
    pub family_started_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens, check_for_backend(diesel::pg::Pg))]
pub struct RefreshTokenRow {
    pub id: Uuid,
    pub family_id: Uuid,
    pub subject: String,
    pub audience: String,
    pub session_id: String,
    pub device_hash: String,
    pub state: String,
    pub rotated_at: Option<DateTime<Utc>>,
    pub issued_at: DateTime<Utc>,
    pub family_started_at: DateTime<Utc>,
    pub scopes: String,
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    token: &NewRefreshToken<'_>,
) -> Result<(), StoreError> {
    diesel::insert_into(refresh_tokens::table)
        .values(token)
        .execute(conn)
        .await?;
    Ok(())
}

/// The token with this hash, locked until the transaction ends so two
/// concurrent refreshes of it are decided one after the other.
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> Result<Option<RefreshTokenRow>, StoreError> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshTokenRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// Marks a current token rotated at `now` (a rotated one keeps its first time).
pub async fn mark_rotated(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::state.eq(state::CURRENT)),
    )
    .set((
        refresh_tokens::state.eq(state::ROTATED),
        refresh_tokens::rotated_at.eq(now),
    ))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn revoke_family(
    conn: &mut AsyncPgConnection,
    family_id: Uuid,
) -> Result<usize, StoreError> {
    Ok(
        diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(family_id)))
            .set(refresh_tokens::state.eq(state::REVOKED))
            .execute(conn)
            .await?,
    )
}

/// Revokes every token of the given sessions of `subject` (logout, eviction).
pub async fn revoke_sessions(
    conn: &mut AsyncPgConnection,
    subject: &str,
    session_ids: &[String],
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::subject.eq(subject))
            .filter(refresh_tokens::session_id.eq_any(session_ids)),
    )
    .set(refresh_tokens::state.eq(state::REVOKED))
    .execute(conn)
    .await?)
}

/// Revokes every refresh token of `subject` (password reset, deletion).
pub async fn revoke_subject(
    conn: &mut AsyncPgConnection,
    subject: &str,
) -> Result<usize, StoreError> {
    Ok(
        diesel::update(refresh_tokens::table.filter(refresh_tokens::subject.eq(subject)))
            .set(refresh_tokens::state.eq(state::REVOKED))
            .execute(conn)
            .await?,
    )
}

/// Adds `scope` to the live refresh tokens of `subject` on `audience`, so
/// the next refresh of each session carries it (a right gained mid-session).
pub async fn grant_scope(
    conn: &mut AsyncPgConnection,
    subject: &str,
    audience: &str,
    scope: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::sql_query(
        "UPDATE refresh_tokens SET scopes = btrim(scopes || ' ' || $3) \
         WHERE subject = $1 AND audience = $2 AND state = 'current' \
           AND NOT ($3 = ANY (string_to_array(scopes, ' ')))",
    )
    .bind::<diesel::sql_types::Text, _>(subject)
    .bind::<diesel::sql_types::Text, _>(audience)
    .bind::<diesel::sql_types::Text, _>(scope)
    .execute(conn)
    .await?)
}
