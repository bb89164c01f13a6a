//! A shopper editing or deleting their own account.

use crypto::{BlindIndexKind, Sealed};
use diesel_async::AsyncConnection;
use persistence::StoreError;
use persistence::users::{self, ProfileChanges};
use uuid::Uuid;

use crate::accounts::Profile;
use crate::{AppError, Context};

/// What a shopper may change here (email changes are re-verified elsewhere).
#[derive(Debug, Default)]
pub struct ProfileEdit {
    pub name: Option<String>,
    /// Must have been verified for `phone_change` just before.
    pub phone: Option<String>,
}

fn account_id(subject: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(subject).map_err(|_| AppError::NotFound {
        resource: "account",
    })
}

/// Applies the edit if the account is still at `expected_version` (the ETag
/// the client read); a lost race is `PreconditionFailed`.
pub async fn edit(
    context: &Context,
    subject: &str,
    expected_version: i32,
    edit: ProfileEdit,
) -> Result<Profile, AppError> {
    let id = account_id(subject)?;
    let mut changes = ProfileChanges::default();
    if let Some(name) = edit.name {
        let name = name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 50 {
            return Err(AppError::invalid(
                "name",
                "invalid_length",
                "between 1 and 50 characters",
            ));
        }
        changes.name = Some(Sealed::new(name));
    }
    if let Some(phone) = edit.phone {
        let e164 = crypto::normalize_phone(&phone).map_err(|_| {
            AppError::invalid("phone", "invalid_format", "not a valid phone number")
        })?;
        let vault = crypto::installed().map_err(|e| AppError::Internal(e.to_string()))?;
        let index = vault.blind_index(BlindIndexKind::Phone, &e164);
        let key = hex::encode(&index[..16]);
        if !context
            .identity
            .phone_codes
            .take_verified(&key, "phone_change")
            .await?
        {
            return Err(AppError::invalid(
                "phone",
                "phone_not_verified",
                "verify the new number first (purpose phone_change)",
            ));
        }
        changes.phone = Some(Sealed::new(e164));
        changes.phone_index = Some(index);
    }
    let mut conn = context.db.get().await?;
    let updated = users::update_profile(&mut conn, id, expected_version, changes)
        .await
        .map_err(|error| match error {
            StoreError::Conflict(constraint) if constraint == "users_phone_index_key" => {
                AppError::Conflict {
                    code: "phone_already_registered",
                    message: "another account has this phone number".into(),
                }
            }
            other => other.into(),
        })?;
    if updated.is_none() {
        return Err(AppError::PreconditionFailed);
    }
    drop(conn);
    crate::accounts::profile(context, subject).await
}

/// Deletes the account: personal data is replaced by placeholders, sessions
/// and refresh tokens end; the account id (and its orders) remain.
pub async fn delete(context: &Context, subject: &str, password: &str) -> Result<(), AppError> {
    let id = account_id(subject)?;
    let mut conn = context.db.get().await?;
    let hash = users::find_password_hash(&mut conn, id)
        .await?
        .unwrap_or_default();
    let identity = context.identity.clone();
    let candidate = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || identity.hasher.verify(&candidate, &hash))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if !matches {
        return Err(AppError::invalid(
            "password",
            "invalid_password",
            "the password is wrong",
        ));
    }
    let mut index = [0u8; 32];
    crypto::fill_random(&mut index);
    conn.transaction(async |conn| {
        users::scrub(
            conn,
            id,
            Sealed::new(format!("deleted-{id}@invalid")),
            index.to_vec(),
            Sealed::new("Deleted account"),
        )
        .await?;
        persistence::refresh_tokens::revoke_subject(conn, subject).await?;
        Ok::<_, StoreError>(())
    })
    .await?;
    context.identity.sessions.revoke_all(subject).await?;
    Ok(())
}
