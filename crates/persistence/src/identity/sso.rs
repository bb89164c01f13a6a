//! Links between shoppers' accounts and outside identity providers.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{sso_identities, users};

/// The live account linked to the provider's subject, if any.
pub async fn find_user(
    conn: &mut AsyncPgConnection,
    provider: &str,
    subject_index: &[u8],
) -> Result<Option<Uuid>, StoreError> {
    Ok(sso_identities::table
        .inner_join(users::table)
        .filter(sso_identities::provider.eq(provider))
        .filter(sso_identities::subject_index.eq(subject_index))
        .filter(users::status.eq("active"))
        .select(users::id)
        .first(conn)
        .await
        .optional()?)
}

/// Links an account; an existing link of the subject or of the account to
/// this provider is `StoreError::Conflict`.
pub async fn link(
    conn: &mut AsyncPgConnection,
    provider: &str,
    subject_index: &[u8],
    user_id: Uuid,
) -> Result<(), StoreError> {
    diesel::insert_into(sso_identities::table)
        .values((
            sso_identities::id.eq(Uuid::new_v4()),
            sso_identities::provider.eq(provider),
            sso_identities::subject_index.eq(subject_index),
            sso_identities::user_id.eq(user_id),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets every link of an account (it is being deleted).
pub async fn unlink_all(conn: &mut AsyncPgConnection, user_id: Uuid) -> Result<(), StoreError> {
    diesel::delete(sso_identities::table.filter(sso_identities::user_id.eq(user_id)))
        .execute(conn)
        .await?;
    Ok(())
}
