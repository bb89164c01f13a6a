//! Shopper accounts: sign-up and email verification.

use chrono::Utc;
use crypto::{BlindIndexKind, Sealed};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use persistence::StoreError;
use persistence::identity::users::{self, NewUser, status};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::identity::phone::Phone;
use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::{AppError, Context};

const SIGNUP_VERIFICATION: &str = "signup";
const LINK_PURPOSE: &str = "email-verification";

pub struct SignupInput {
    pub email: String,
    pub password: String,
    pub name: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// A new account waits for its email to be verified.
pub struct SignupOutcome {
    pub user_id: Uuid,
}

/// The account id a token's subject names (a shopper's subject is its id).
pub(crate) fn account_id(subject: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(subject).map_err(|_| AppError::NotFound {
        resource: "account",
    })
}

/// A person's display name: trimmed, 1 to 50 characters.
pub(crate) fn display_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(AppError::invalid(
            "name",
            FieldCode::InvalidLength,
            "between 1 and 50 characters",
        ));
    }
    Ok(name.to_owned())
}

/// Creates a pending account and, in the same transaction, the job that
/// emails its verification link.
pub async fn signup(
    context: &Context,
    input: SignupInput,
    ip: &str,
) -> Result<SignupOutcome, AppError> {
    let per_hour = context.identity.rate_limits.signup_per_hour;
    crate::kernel::limits::guard(
        context,
        "signup-ip",
        ip,
        per_hour,
        crate::kernel::limits::HOUR,
    )
    .await?;
    let email = crypto::normalize_email(&input.email).map_err(|_| {
        AppError::invalid(
            "email",
            FieldCode::InvalidFormat,
            "not a valid email address",
        )
    })?;
    let name = display_name(&input.name)?;
    let phone = input
        .phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(Phone::parse)
        .transpose()?;
    context
        .identity
        .policy
        .check(&input.password, &email)
        .map_err(|rejection| {
            AppError::invalid(
                "password",
                FieldCode::from(&rejection),
                rejection.to_string(),
            )
        })?;

    let identity = context.identity.clone();
    let password = input.password;
    let password_hash = tokio::task::spawn_blocking(move || identity.hasher.hash(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;

    let vault = crypto::installed().map_err(AppError::internal)?;
    let user_id = Uuid::new_v4();
    let user = NewUser {
        id: user_id,
        email_index: vault.blind_index(BlindIndexKind::Email, &email),
        email: Sealed::new(email),
        name: Sealed::new(name),
        phone_index: phone.as_ref().map(|p| p.index.clone()),
        phone: phone.map(|p| Sealed::new(p.e164)),
        password_hash: Some(password_hash.clone()),
        status: status::PENDING_VERIFICATION,
    };
    let expires_at = Utc::now() + context.identity.verification_ttl;
    let first_hash = password_hash;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        users::insert(conn, user).await?;
        persistence::identity::passwords::record_history(conn, user_id, &first_hash).await?;
        let verification_id = Uuid::new_v4();
        users::insert_email_verification(
            conn,
            verification_id,
            user_id,
            SIGNUP_VERIFICATION,
            expires_at,
        )
        .await?;
        jobs::enqueue(conn, &SendEmailVerification { verification_id }).await?;
        Ok::<_, StoreError>(())
    })
    .await
    .map_err(|error| match error {
        StoreError::Conflict(constraint) if constraint == "users_email_index_key" => {
            AppError::Conflict {
                code: ProblemCode::EmailAlreadyRegistered,
                message: "an account with this email already exists".into(),
            }
        }
        StoreError::Conflict(constraint) if constraint == "users_phone_index_key" => {
            AppError::Conflict {
                code: ProblemCode::PhoneAlreadyRegistered,
                message: "an account with this phone number already exists".into(),
            }
        }
        other => other.into(),
    })?;
    Ok(SignupOutcome { user_id })
}

/// Follows an emailed link: single use, within its lifetime. Every failure
/// reads the same (`invalid_token`), so the answer reveals nothing.
pub async fn verify_email(context: &Context, token: &str, ip: &str) -> Result<Uuid, AppError> {
    let per_hour = context.identity.rate_limits.email_verification_per_hour;
    crate::kernel::limits::guard(
        context,
        "email-verification-ip",
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
        .ok_or_else(invalid)?;
    let mut conn = context.db.get().await?;
    let user = conn
        .transaction(async |conn| consume(conn, Uuid::from_bytes(id)).await)
        .await?;
    user.ok_or_else(invalid)
}

async fn consume(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<Uuid>, StoreError> {
    let now = Utc::now();
    let Some(user_id) =
        users::consume_email_verification(conn, id, SIGNUP_VERIFICATION, now).await?
    else {
        return Ok(None);
    };
    users::activate(conn, user_id, now).await?;
    crate::pricing::coupons::issue_automatic(
        conn,
        crate::pricing::coupons::SIGNUP_TRIGGER,
        user_id,
    )
    .await?;
    Ok(Some(user_id))
}

/// Emails the verification link of a sign-up.
#[derive(Debug, Serialize, Deserialize)]
pub struct SendEmailVerification {
    pub verification_id: Uuid,
}

impl jobs::Job for SendEmailVerification {
    const KIND: &'static str = "accounts.send_email_verification";
}

pub(crate) async fn send_email_verification(
    context: &Context,
    job: SendEmailVerification,
) -> Result<(), jobs::JobError> {
    let retry = |e: &dyn std::fmt::Display| jobs::JobError::retry(e.to_string());
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    let Some(verification) = users::find_email_verification(&mut conn, job.verification_id)
        .await
        .map_err(|e| retry(&e))?
    else {
        return Err(jobs::JobError::permanent("verification no longer exists"));
    };
    if verification.used || verification.expires_at <= Utc::now() {
        return Ok(()); // Nothing worth sending any more.
    }
    drop(conn);
    crate::kernel::mail_links::send_link(context, verification.user_id, LINK_PURPOSE, job.verification_id, "verify-email", |name, link| {
        crate::kernel::mail_links::LinkMessage {
            subject: "Confirm your email address",
            text: format!(
                "Hello {name},

Confirm your email address to activate your account:
{link}

\
                 The link works once, for 24 hours. If you did not sign up, ignore this message.
"
            ),
            html: format!(
                "<p>Hello {},</p><p><a href=\"{link}\">Confirm your email address</a> to activate your account.</p>\
                 <p>The link works once, for 24 hours. If you did not sign up, ignore this message.</p>",
                crate::kernel::mail_links::escape_html(name)
            ),
        }
    })
    .await
}

/// A shopper's own profile; a value that cannot be decrypted reads as `None`.
#[derive(Debug, Clone)]
pub struct Profile {
    pub user_id: Uuid,
    pub email: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub status: String,
    /// Optimistic-locking version (the `ETag` of the profile).
    pub version: i32,
}

pub async fn profile(context: &Context, user_id: &str) -> Result<Profile, AppError> {
    let id = account_id(user_id)?;
    let mut conn = context.db.get().await?;
    let user = users::find(&mut conn, id)
        .await
        .map_err(|error| match error {
            StoreError::NotFound => AppError::NotFound {
                resource: "account",
            },
            other => other.into(),
        })?;
    Ok(Profile {
        user_id: user.id,
        email: user.email.value().map(str::to_owned),
        name: user.name.value().map(str::to_owned),
        phone: user
            .phone
            .as_ref()
            .and_then(|p| p.value().map(str::to_owned)),
        status: user.status,
        version: user.version,
    })
}
