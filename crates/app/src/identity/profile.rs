//! A shopper editing or deleting their own account.

use crypto::Sealed;
use diesel_async::AsyncConnection;
use persistence::StoreError;
use persistence::identity::users::{self, ProfileChanges};

use crate::identity::accounts::{Profile, account_id, display_name};
use crate::identity::phone::{Phone, PhonePurpose};
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::{AppError, Context};

/// What a shopper may change here (email changes are re-verified elsewhere).
#[derive(Debug, Default)]
pub struct ProfileEdit {
    pub name: Option<String>,
    /// Must have been verified for `phone_change` just before.
    pub phone: Option<String>,
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
        changes.name = Some(Sealed::new(display_name(&name)?));
    }
    if let Some(phone) = edit.phone {
        let phone = Phone::parse(&phone)?;
        if !phone
            .take_verified(context, PhonePurpose::PhoneChange)
            .await?
        {
            return Err(AppError::invalid(
                "phone",
                FieldCode::PhoneNotVerified,
                "verify the new number first (purpose phone_change)",
            ));
        }
        changes.phone = Some(Sealed::new(phone.e164));
        changes.phone_index = Some(phone.index);
    }
    let mut conn = context.db.get().await?;
    let updated = users::update_profile(&mut conn, id, expected_version, changes)
        .await
        .map_err(|error| match error {
            StoreError::Conflict(constraint) if constraint == "users_phone_index_key" => {
                AppError::Conflict {
                    code: ProblemCode::PhoneAlreadyRegistered,
                    message: "another account has this phone number".into(),
                }
            }
            other => other.into(),
        })?;
    if updated.is_none() {
        return Err(AppError::PreconditionFailed);
    }
    drop(conn);
    crate::identity::accounts::profile(context, subject).await
}

/// Deletes the account: personal data is replaced by placeholders, sessions
/// and refresh tokens end; the account id (and its orders) remain.
pub async fn delete(context: &Context, subject: &str, password: &str) -> Result<(), AppError> {
    let id = account_id(subject)?;
    crate::identity::passwords::check_current(context, id, password, "password").await?;
    let mut conn = context.db.get().await?;
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
        persistence::identity::refresh_tokens::revoke_subject(conn, subject).await?;
        crate::kernel::audit::record(
            conn,
            &crate::kernel::audit::AuditEvent {
                actor: crate::kernel::audit::Actor::of(auth::Audience::Service, Some(subject)),
                action: "account.deleted",
                subject: Some(("user", subject.to_owned())),
                details: serde_json::json!({ "sessions_revoked": "all" }),
            },
        )
        .await?;
        Ok::<_, StoreError>(())
    })
    .await?;
    context.identity.sessions.revoke_all(subject).await?;
    Ok(())
}
