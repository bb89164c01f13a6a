//! Changing a shopper's email: the current password is required, and the
//! change waits (sealed) until the link sent to the new address is followed,
//! so an account can only move to an address its holder controls.

use chrono::Utc;
use crypto::{BlindIndexKind, Sealed};
use diesel_async::AsyncConnection;
use persistence::StoreError;
use persistence::identity::users::{self, NewEmailChange};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::identity::accounts::account_id;
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, Actor, AuditEvent};
use crate::kernel::mail_links::{self, Link, LinkMessage, Recipient};
use crate::{AppError, Context};
use auth::Audience;

const LINK_PURPOSE: &str = "email-change";
const VERIFICATION_PURPOSE: &str = "email_change";

fn taken() -> AppError {
    AppError::Conflict {
        code: ProblemCode::EmailAlreadyRegistered,
        message: "an account with this email already exists".into(),
    }
}

/// Asks for the change: the link goes to `new_email`; nothing changes yet.
pub async fn request(
    context: &Context,
    subject: &str,
    new_email: &str,
    password: &str,
    ip: &str,
) -> Result<(), AppError> {
    let per_hour = context.identity.rate_limits.email_verification_per_hour;
    crate::kernel::limits::guard(
        context,
        "email-change-ip",
        ip,
        per_hour,
        crate::kernel::limits::HOUR,
    )
    .await?;
    let user_id = account_id(subject)?;
    crate::identity::passwords::check_current(context, user_id, password, "password").await?;
    let email = crypto::normalize_email(new_email).map_err(|_| {
        AppError::invalid(
            "new_email",
            FieldCode::InvalidFormat,
            "not a valid email address",
        )
    })?;
    let vault = crypto::installed().map_err(AppError::internal)?;
    let index = vault.blind_index(BlindIndexKind::Email, &email);
    let mut conn = context.db.get().await?;
    let current = users::find(&mut conn, user_id).await?;
    if current.email.value() == Some(email.as_str()) {
        return Err(AppError::invalid(
            "new_email",
            FieldCode::Unchanged,
            "this is already the account's email",
        ));
    }
    if users::find_credentials_by_email_index(&mut conn, &index)
        .await?
        .is_some()
    {
        return Err(taken());
    }
    let id = Uuid::new_v4();
    let change = NewEmailChange {
        id,
        user_id,
        new_email: Sealed::new(email),
        new_email_index: index,
        expires_at: Utc::now() + context.identity.verification_ttl,
    };
    conn.transaction(async |conn| {
        users::insert_email_change(conn, change).await?;
        jobs::enqueue(conn, &SendEmailChange { change_id: id }).await?;
        Ok::<_, StoreError>(())
    })
    .await?;
    Ok(())
}

/// Follows the link sent to the new address: the account's email becomes
/// it. Single use, within its lifetime; every failure reads the same.
pub async fn confirm(context: &Context, token: &str, ip: &str) -> Result<Uuid, AppError> {
    let per_hour = context.identity.rate_limits.email_verification_per_hour;
    crate::kernel::limits::guard(
        context,
        "email-change-ip",
        ip,
        per_hour,
        crate::kernel::limits::HOUR,
    )
    .await?;
    let invalid = || {
        AppError::invalid(
            "token",
            FieldCode::InvalidToken,
            "the link is invalid, used or expired",
        )
    };
    let id = context
        .identity
        .links
        .verify(LINK_PURPOSE, token)
        .map(Uuid::from_bytes)
        .ok_or_else(invalid)?;
    let now = Utc::now();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let pending = users::find_email_change(conn, id)
            .await?
            .ok_or_else(invalid)?;
        let (Some(new_email), Some(new_index)) = (pending.new_email, pending.new_email_index)
        else {
            return Err(invalid());
        };
        let address = new_email.value().ok_or_else(invalid)?.to_owned();
        users::consume_email_verification(conn, id, VERIFICATION_PURPOSE, now)
            .await?
            .ok_or_else(invalid)?;
        let subject = pending.user_id.to_string();
        match users::update_email(conn, pending.user_id, Sealed::new(address), new_index, now).await
        {
            Ok(true) => {}
            Ok(false) => return Err(invalid()),
            Err(StoreError::Conflict(_)) => return Err(taken()),
            Err(other) => return Err(other.into()),
        }
        audit::record(
            conn,
            &AuditEvent {
                actor: Actor::of(Audience::Service, Some(&subject)).at(ip, None),
                action: "email.changed",
                subject: Some(("user", subject)),
                details: json!({}),
            },
        )
        .await?;
        Ok(pending.user_id)
    })
    .await
}

/// Emails the confirmation link of an email change to the new address.
#[derive(Debug, Serialize, Deserialize)]
pub struct SendEmailChange {
    pub change_id: Uuid,
}

impl jobs::Job for SendEmailChange {
    const KIND: &'static str = "accounts.send_email_change";
}

pub(crate) async fn send_email_change(
    context: &Context,
    job: SendEmailChange,
) -> Result<(), jobs::JobError> {
    let retry = |e: &dyn std::fmt::Display| jobs::JobError::retry(e.to_string());
    let (pending, user) = {
        let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
        let Some(pending) = users::find_email_change(&mut conn, job.change_id)
            .await
            .map_err(|e| retry(&e))?
        else {
            return Err(jobs::JobError::permanent(
                "the email change no longer exists",
            ));
        };
        let user = users::find(&mut conn, pending.user_id)
            .await
            .map_err(|e| retry(&e))?;
        (pending, user)
    };
    if pending.used || pending.expires_at <= Utc::now() {
        return Ok(()); // Nothing worth sending any more.
    }
    let address = pending.new_email.as_ref().and_then(|sealed| sealed.value());
    mail_links::send_link_to(
        context,
        Recipient {
            address,
            name: user.name.value(),
        },
        Link {
            base_url: &context.identity.email_link_base_url,
            path: "confirm-email-change",
            purpose: LINK_PURPOSE,
            id: job.change_id,
        },
        |name, link| LinkMessage {
            subject: "Confirm your new email address",
            text: format!(
                "Hello {name},\n\nConfirm this address as your account's new email:\n{link}\n\n\
                 The link works once, for 24 hours. If you did not ask for this, ignore this message.\n"
            ),
            html: format!(
                "<p>Hello {},</p><p><a href=\"{link}\">Confirm this address</a> as your account's new email.</p>\
                 <p>The link works once, for 24 hours. If you did not ask for this, ignore this message.</p>",
                mail_links::escape_html(name)
            ),
        },
    )
    .await
}
