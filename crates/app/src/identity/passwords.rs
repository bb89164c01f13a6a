//! Forgotten and changed passwords of shoppers, on the mechanism staff
//! share (`kernel::passwords`); a shopper may not reuse a recent password.

use chrono::Utc;
use crypto::BlindIndexKind;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use persistence::identity::passwords;
use persistence::identity::users::{self, status};
use persistence::kernel::passwords::Holder;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::identity::accounts::account_id;
use crate::kernel::FieldCode;
use crate::kernel::limits::{HOUR, guard};
use crate::kernel::passwords::{self as mechanism, History};
use crate::{AppError, Context};

const LINK_PURPOSE: &str = "password-reset";

/// Emails a reset link if an active account has this email. The answer is
/// the same either way, so it reveals nothing about who is registered.
pub async fn request_reset(context: &Context, email: &str, ip: &str) -> Result<(), AppError> {
    mechanism::guard_resets(context, "password-reset-ip", ip).await?;
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
    conn.transaction(async |conn| {
        let reset_id = mechanism::issue_reset(context, conn, Holder::Shopper, account.id).await?;
        jobs::enqueue(conn, &SendPasswordReset { reset_id }).await?;
        Ok::<_, AppError>(())
    })
    .await
}

/// Sets a new password from an emailed link (single use, within its
/// lifetime) and ends every session of the account.
pub async fn confirm_reset(
    context: &Context,
    token: &str,
    new_password: &str,
    ip: &str,
) -> Result<(), AppError> {
    mechanism::guard_resets(context, "password-reset-confirm-ip", ip).await?;
    let reset_id = mechanism::reset_of_link(context, LINK_PURPOSE, token)?;
    let mut conn = context.db.get().await?;
    let user_id = conn
        .transaction(async |conn| {
            let user_id = mechanism::use_reset(conn, Holder::Shopper, reset_id, Utc::now()).await?;
            replace_password(context, conn, user_id, new_password).await?;
            crate::kernel::audit::record(
                conn,
                &shopper_event(&user_id.to_string(), ip, "password.reset"),
            )
            .await?;
            Ok::<_, AppError>(user_id)
        })
        .await?;
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
        replace_password(context, conn, user_id, new_password).await?;
        crate::kernel::audit::record(conn, &event).await?;
        Ok::<_, AppError>(())
    })
    .await?;
    crate::identity::sessions::end_sessions_except(
        context,
        subject,
        Some(session_id),
        actor,
        "password_changed",
    )
    .await
}

/// Refuses (422 on `field`) unless `password` is the shopper's current one.
pub(crate) async fn check_current(
    context: &Context,
    user_id: Uuid,
    password: &str,
    field: &'static str,
) -> Result<(), AppError> {
    mechanism::check_current(context, Holder::Shopper, user_id, password, field).await
}

/// Checks the policy and the recent history, then stores the new password.
async fn replace_password(
    context: &Context,
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    new_password: &str,
) -> Result<(), AppError> {
    let user = users::find(conn, user_id).await?;
    let email = user.email.value().unwrap_or_default().to_owned();
    let remembered = context.identity.password_history;
    let history = History {
        hashes: passwords::recent_hashes(conn, user_id, remembered).await?,
        remembered,
    };
    let hash =
        mechanism::checked_hash(context, "new_password", new_password, &email, history).await?;
    passwords::set_password(conn, user_id, &hash).await?;
    Ok(())
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
