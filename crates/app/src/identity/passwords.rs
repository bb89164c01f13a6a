//! Forgotten and changed passwords.

use chrono::Utc;
use crypto::BlindIndexKind;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use persistence::StoreError;
use persistence::identity::passwords;
use persistence::identity::users::{self, status};
use persistence::kernel::passwords::{self as credentials, Holder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::identity::accounts::account_id;
use crate::kernel::FieldCode;
use crate::kernel::limits::{HOUR, guard};
use crate::{AppError, Context};

const LINK_PURPOSE: &str = "password-reset";

/// Emails a reset link if an active account has this email. The answer is
/// the same either way, so it reveals nothing about who is registered.
pub async fn request_reset(context: &Context, email: &str, ip: &str) -> Result<(), AppError> {
    let limits = context.identity.rate_limits;
    guard(
        context,
        "password-reset-ip",
        ip,
        limits.password_reset_per_hour,
        HOUR,
    )
    .await?;
    let email = crypto::normalize_email(email).map_err(|_| {
        AppError::invalid(
            "email",
            FieldCode::InvalidFormat,
            "not a valid email address",
        )
    })?;
    let vault = crypto::installed().map_err(AppError::internal)?;
    let index = vault.blind_index(BlindIndexKind::Email, &email);
    // A few links per account per hour, however many addresses ask.
    guard(
        context,
        "password-reset-account",
        &hex::encode(&index[..16]),
        3,
        HOUR,
    )
    .await?;
    let mut conn = context.db.get().await?;
    let Some(account) = users::find_credentials_by_email_index(&mut conn, &index).await? else {
        return Ok(());
    };
    if account.status != status::ACTIVE {
        return Ok(());
    }
    let expires_at = Utc::now() + context.identity.password_reset_ttl;
    conn.transaction(async |conn| {
        let reset_id = Uuid::new_v4();
        credentials::insert_reset(conn, Holder::Shopper, reset_id, account.id, expires_at).await?;
        jobs::enqueue(conn, &SendPasswordReset { reset_id }).await?;
        Ok::<_, StoreError>(())
    })
    .await?;
    Ok(())
}

/// Sets a new password from an emailed link (single use, within its
/// lifetime) and ends every session of the account.
pub async fn confirm_reset(
    context: &Context,
    token: &str,
    new_password: &str,
    ip: &str,
) -> Result<(), AppError> {
    let limits = context.identity.rate_limits;
    guard(
        context,
        "password-reset-confirm-ip",
        ip,
        limits.password_reset_per_hour,
        HOUR,
    )
    .await?;
    let invalid = || {
        AppError::invalid(
            "token",
            FieldCode::InvalidToken,
            "the link is invalid, used or expired",
        )
    };
    let id = Uuid::from_bytes(
        context
            .identity
            .links
            .verify(LINK_PURPOSE, token)
            .ok_or_else(invalid)?,
    );
    let mut conn = context.db.get().await?;
    let user_id = conn
        .transaction(async |conn| {
            let now = Utc::now();
            let Some(user_id) =
                credentials::find_usable_reset_for_update(conn, Holder::Shopper, id, now).await?
            else {
                return Ok::<_, StoreError>(None);
            };
            match replace_password(context, conn, user_id, new_password).await? {
                Ok(()) => {
                    credentials::mark_reset_used(conn, Holder::Shopper, id, now).await?;
                    crate::kernel::audit::record(
                        conn,
                        &shopper_event(&user_id.to_string(), ip, "password.reset"),
                    )
                    .await?;
                    Ok(Some(Ok(user_id)))
                }
                Err(rejection) => Ok(Some(Err(rejection))),
            }
        })
        .await
        .map_err(AppError::from)?
        .ok_or_else(invalid)??;
    end_every_session(context, &user_id.to_string(), ip, "password_reset").await
}

/// An audit event by the shopper `subject` about their own account.
fn shopper_event(
    subject: &str,
    ip: &str,
    action: &'static str,
) -> crate::kernel::audit::AuditEvent {
    crate::kernel::audit::AuditEvent {
        actor: crate::kernel::audit::Actor::of(auth::Audience::Service, Some(subject)).at(ip, None),
        action,
        subject: Some(("user", subject.to_owned())),
        details: serde_json::json!({}),
    }
}

/// Changes the password of a logged-in account; the current one is required.
/// Other sessions end; this one stays.
pub async fn change_password(
    context: &Context,
    subject: &str,
    session_id: &str,
    current_password: &str,
    new_password: &str,
    actor: &crate::kernel::audit::Actor,
) -> Result<(), AppError> {
    let user_id = account_id(subject)?;
    check_current(context, user_id, current_password, "current_password").await?;
    let mut conn = context.db.get().await?;
    let event = crate::kernel::audit::AuditEvent {
        actor: actor.clone(),
        action: "password.changed",
        subject: Some(("user", subject.to_owned())),
        details: serde_json::json!({}),
    };
    conn.transaction(async |conn| {
        let outcome = replace_password(context, conn, user_id, new_password).await?;
        if outcome.is_ok() {
            crate::kernel::audit::record(conn, &event).await?;
        }
        Ok::<_, StoreError>(outcome)
    })
    .await
    .map_err(AppError::from)??;
    crate::identity::sessions::end_sessions_except(
        context,
        subject,
        Some(session_id),
        actor,
        "password_changed",
    )
    .await
}

/// Refuses (422 on `field`) unless `password` is the account's current one.
/// Hashing runs on a blocking thread.
pub(crate) async fn check_current(
    context: &Context,
    user_id: Uuid,
    password: &str,
    field: &'static str,
) -> Result<(), AppError> {
    let hash = {
        let mut conn = context.db.get().await?;
        credentials::find_password_hash(&mut conn, Holder::Shopper, user_id)
            .await?
            .unwrap_or_default()
    };
    let identity = context.identity.clone();
    let candidate = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || identity.hasher.verify(&candidate, &hash))
        .await
        .map_err(AppError::internal)?;
    if matches {
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            FieldCode::InvalidPassword,
            "the password is wrong",
        ))
    }
}

/// Checks the policy and the recent history, then stores the new password.
/// The outer `Result` is storage; the inner one the password's rejection.
async fn replace_password(
    context: &Context,
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    new_password: &str,
) -> Result<Result<(), AppError>, StoreError> {
    let user = users::find(conn, user_id).await?;
    let email = user.email.value().unwrap_or_default().to_owned();
    if let Err(rejection) = context.identity.policy.check(new_password, &email) {
        return Ok(Err(AppError::invalid(
            "new_password",
            FieldCode::from(&rejection),
            rejection.to_string(),
        )));
    }
    let recent = passwords::recent_hashes(conn, user_id, context.identity.password_history).await?;
    let identity = context.identity.clone();
    let candidate = new_password.to_owned();
    let outcome = tokio::task::spawn_blocking(move || {
        let reused = recent
            .iter()
            .any(|hash| identity.hasher.verify(&candidate, hash));
        (!reused).then(|| identity.hasher.hash(&candidate))
    })
    .await
    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
    let Some(hashed) = outcome else {
        return Ok(Err(AppError::invalid(
            "new_password",
            FieldCode::PasswordRecentlyUsed,
            format!(
                "choose a password not among your last {}",
                context.identity.password_history
            ),
        )));
    };
    let hash = hashed.map_err(|e| StoreError::Unavailable(e.to_string()))?;
    passwords::set_password(conn, user_id, &hash).await?;
    Ok(Ok(()))
}

async fn end_every_session(
    context: &Context,
    subject: &str,
    ip: &str,
    reason: &'static str,
) -> Result<(), AppError> {
    context.identity.sessions.revoke_all(subject).await?;
    let mut conn = context.db.get().await?;
    persistence::identity::refresh_tokens::revoke_subject(&mut conn, subject).await?;
    let mut event = shopper_event(subject, ip, "session.revoked");
    event.details = serde_json::json!({ "all": true, "reason": reason });
    crate::kernel::audit::record_now(context, &event).await
}

/// Emails a password-reset link.
#[derive(Debug, Serialize, Deserialize)]
pub struct SendPasswordReset {
    pub reset_id: Uuid,
}

impl jobs::Job for SendPasswordReset {
    const KIND: &'static str = "accounts.send_password_reset";
}

pub(crate) async fn send_password_reset(
    context: &Context,
    job: SendPasswordReset,
) -> Result<(), jobs::JobError> {
    let retry = |e: &dyn std::fmt::Display| jobs::JobError::retry(e.to_string());
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    let Some((user_id, expires_at, used)) = passwords::find_reset(&mut conn, job.reset_id)
        .await
        .map_err(|e| retry(&e))?
    else {
        return Err(jobs::JobError::permanent("reset no longer exists"));
    };
    if used || expires_at <= Utc::now() {
        return Ok(());
    }
    drop(conn);
    crate::kernel::mail_links::send_link(context, user_id, LINK_PURPOSE, job.reset_id, "reset-password", |_, link| {
        crate::kernel::mail_links::LinkMessage {
            subject: "Reset your password",
            text: format!(
                "Someone asked to reset the password of your account.

Choose a new password:
{link}

\
                 The link works once, for 30 minutes. If it was not you, ignore this message: nothing changes.
"
            ),
            html: format!(
                "<p>Someone asked to reset the password of your account.</p><p><a href=\"{link}\">Choose a new password</a></p>\
                 <p>The link works once, for 30 minutes. If it was not you, ignore this message: nothing changes.</p>"
            ),
        }
    })
    .await
}
