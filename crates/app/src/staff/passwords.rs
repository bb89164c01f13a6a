//! Staff passwords: a change needs the current one; a forgotten one is
//! reset through an emailed link (single use, same answer whether or not the
//! account exists). Either way the account's other sessions end, and the
//! second factor still guards the next login.

use chrono::Utc;
use crypto::BlindIndexKind;
use diesel_async::AsyncConnection;
use persistence::kernel::passwords::{self as credentials, Holder};
use persistence::staff::members::{self, status};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::mail_links::{self, Link, LinkMessage};
use crate::kernel::passwords::{self as mechanism, History};
use crate::kernel::principals::{StaffPrincipal, staff_kind};
use crate::staff::members::{addressee, link_base, recipient};
use crate::{AppError, Context};

/// The staff kind `audience` serves, once the address is within its
/// hourly resets.
async fn guarded_kind(
    context: &Context,
    audience: auth::Audience,
    ip: &str,
) -> Result<&'static str, AppError> {
    mechanism::guard_resets(context, "staff-password-reset-ip", ip).await?;
    staff_kind(audience).ok_or(AppError::Forbidden {
        code: ProblemCode::StaffOnly,
    })
}

fn reset_purpose(staff_kind: &str) -> String {
    format!("staff-password-reset:{staff_kind}")
}

/// Changes the caller's password (the current one is required); the
/// caller's other sessions end.
pub async fn change_password(
    context: &Context,
    caller: &StaffPrincipal,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    mechanism::check_current(
        context,
        Holder::Staff,
        caller.id,
        current,
        "current_password",
    )
    .await?;
    let email = crate::staff::members::own(context, caller)
        .await?
        .email
        .unwrap_or_default();
    let hash =
        mechanism::checked_hash(context, "new_password", new, &email, History::none()).await?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        credentials::update_password_hash(conn, Holder::Staff, caller.id, &hash).await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "password.changed",
                subject: Some(("staff", caller.id.to_string())),
                details: json!({}),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    let subject = caller.id.to_string();
    let others: Vec<String> = context
        .identity
        .sessions
        .list(&subject)
        .await?
        .into_iter()
        .map(|session| session.id)
        .filter(|id| *id != caller.session_id)
        .collect();
    crate::identity::sessions::end_sessions(
        context,
        &subject,
        &others,
        &caller.actor,
        "password_changed",
    )
    .await
}

/// Emails a reset link if `email` names an active account of `audience`'s
/// staff; answers the same either way.
pub async fn request_reset(
    context: &Context,
    audience: auth::Audience,
    email: &str,
    ip: &str,
) -> Result<(), AppError> {
    let kind = guarded_kind(context, audience, ip).await?;
    let Ok(email) = crypto::normalize_email(email) else {
        return Ok(());
    };
    let vault = crypto::installed().map_err(AppError::internal)?;
    let index = vault.blind_index(BlindIndexKind::Email, &email);
    let mut conn = context.db.get().await?;
    let Some(account) = members::find_credentials_by_email_index(&mut conn, kind, &index)
        .await?
        .filter(|account| account.status == status::ACTIVE)
    else {
        return Ok(());
    };
    conn.transaction(async |conn| {
        let reset_id = mechanism::issue_reset(context, conn, Holder::Staff, account.id).await?;
        let job = SendStaffPasswordReset {
            reset_id,
            staff_id: account.id,
        };
        jobs::enqueue(conn, &job).await?;
        Ok::<_, AppError>(())
    })
    .await
}

/// Follows the emailed link: sets the new password, ends every session.
pub async fn confirm_reset(
    context: &Context,
    audience: auth::Audience,
    token: &str,
    new_password: &str,
    ip: &str,
) -> Result<(), AppError> {
    let kind = guarded_kind(context, audience, ip).await?;
    let reset_id = mechanism::reset_of_link(context, &reset_purpose(kind), token)?;
    let mut conn = context.db.get().await?;
    let staff_id = conn
        .transaction(async |conn| {
            let staff_id = mechanism::use_reset(conn, Holder::Staff, reset_id, Utc::now()).await?;
            let account = members::find_by_id(conn, staff_id)
                .await?
                .filter(|row| row.kind == kind && row.status == status::ACTIVE)
                .ok_or_else(mechanism::invalid_link)?;
            let email = account.email.value().unwrap_or_default().to_owned();
            let hash = mechanism::checked_hash(
                context,
                "new_password",
                new_password,
                &email,
                History::none(),
            )
            .await?;
            credentials::update_password_hash(conn, Holder::Staff, staff_id, &hash).await?;
            audit::record(
                conn,
                &AuditEvent {
                    actor: audit::Actor::of(audience, Some(&staff_id.to_string())).at(ip, None),
                    action: "password.reset",
                    subject: Some(("staff", staff_id.to_string())),
                    details: json!({}),
                },
            )
            .await?;
            Ok::<_, AppError>(staff_id)
        })
        .await?;
    let actor = audit::Actor::of(audience, Some(&staff_id.to_string())).at(ip, None);
    crate::identity::sessions::end_sessions_except(
        context,
        &staff_id.to_string(),
        None,
        &actor,
        "password_reset",
    )
    .await
}

/// Emails a staff password-reset link.
#[derive(Debug, Serialize, Deserialize)]
pub struct SendStaffPasswordReset {
    pub reset_id: Uuid,
    pub staff_id: Uuid,
}

impl jobs::Job for SendStaffPasswordReset {
    const KIND: &'static str = "staff.send_password_reset";
}

pub(crate) async fn send_password_reset(
    context: &Context,
    job: SendStaffPasswordReset,
) -> Result<(), jobs::JobError> {
    let Some(row) = addressee(context, job.staff_id).await? else {
        return Ok(());
    };
    let (base_url, _) = link_base(context, &row.kind);
    let minutes = context.identity.password_reset_ttl.num_minutes();
    mail_links::send_link_to(
        context,
        recipient(&row),
        Link {
            base_url,
            path: "reset-password",
            purpose: &reset_purpose(&row.kind),
            id: job.reset_id,
        },
        |name, link| LinkMessage {
            subject: "Reset your password",
            text: format!(
                "Hello {name},\n\nChoose a new password here:\n{link}\n\n\
                 The link works once, for {minutes} minutes. If you did not ask for this, ignore this message.\n"
            ),
            html: format!(
                "<p>Hello {},</p><p><a href=\"{link}\">Choose a new password</a>.</p>\
                 <p>The link works once, for {minutes} minutes. If you did not ask for this, ignore this message.</p>",
                mail_links::escape_html(name)
            ),
        },
    )
    .await
}
