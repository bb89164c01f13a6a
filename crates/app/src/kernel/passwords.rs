//! The password mechanism shoppers and staff share: the policy and hashing
//! of a new password, the check of the current one, and the single-use
//! reset links. Each kind of account keeps its own tables
//! (`persistence::kernel::passwords::Holder`) and its own rules where they
//! differ: shoppers may not reuse a recent password; staff links name the
//! staff kind.

use auth::throttle::Attempt;
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use persistence::kernel::passwords::{self as credentials, Holder};
use uuid::Uuid;

use super::limits::{HOUR, guard};
use crate::kernel::{FieldCode, ProblemCode};
use crate::{AppError, Context};

/// The passwords an account may not choose again: the hashes of its last
/// `remembered` ones.
pub(crate) struct History {
    pub hashes: Vec<String>,
    pub remembered: i64,
}

impl History {
    /// Accounts that may reuse any password.
    pub(crate) fn none() -> Self {
        Self {
            hashes: Vec::new(),
            remembered: 0,
        }
    }
}

/// Checks `password` against the policy (refused on `field`) and against
/// the `history` it may not repeat, then hashes it. Hashing runs on a
/// blocking thread.
pub(crate) async fn checked_hash(
    context: &Context,
    field: &'static str,
    password: &str,
    email: &str,
    history: History,
) -> Result<String, AppError> {
    context
        .identity
        .policy
        .check(password, email)
        .map_err(|rejection| {
            AppError::invalid(field, FieldCode::from(&rejection), rejection.to_string())
        })?;
    let identity = context.identity.clone();
    let candidate = password.to_owned();
    let History { hashes, remembered } = history;
    let hashed = tokio::task::spawn_blocking(move || {
        let reused = hashes
            .iter()
            .any(|hash| identity.hasher.verify(&candidate, hash));
        (!reused).then(|| identity.hasher.hash(&candidate))
    })
    .await
    .map_err(AppError::internal)?;
    let Some(hashed) = hashed else {
        return Err(AppError::invalid(
            field,
            FieldCode::PasswordRecentlyUsed,
            format!("choose a password not among your last {remembered}"),
        ));
    };
    hashed.map_err(AppError::internal)
}

/// The throttle's name for checks of an account's current password.
const CURRENT_PASSWORD: &str = "current-password";

/// Refuses (422 on `field`) unless `password` is the account's current one.
pub(crate) async fn check_current(
    context: &Context,
    holder: Holder,
    account: Uuid,
    password: &str,
    field: &'static str,
) -> Result<(), AppError> {
    // Wrong guesses count per account under the login back-off: whoever
    // holds a stolen session cannot guess the password behind it.
    let subject = format!("{holder:?}:{account}");
    let throttle = &context.identity.throttle;
    let rule = context.identity.throttle_settings.per_account();
    if let Attempt::Wait(wait) = throttle.attempt(CURRENT_PASSWORD, &subject, rule).await? {
        return Err(AppError::TooManyRequests {
            code: ProblemCode::TooManyAttempts,
            retry_after_secs: wait.as_secs_f64().ceil() as u64,
        });
    }
    let stored = {
        let mut conn = context.db.get().await?;
        credentials::find_password_hash(&mut conn, holder, account)
            .await?
            .unwrap_or_default()
    };
    let identity = context.identity.clone();
    let candidate = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || identity.hasher.verify(&candidate, &stored))
        .await
        .map_err(AppError::internal)?;
    if matches {
        throttle.clear(CURRENT_PASSWORD, &subject).await?;
        Ok(())
    } else {
        Err(AppError::invalid(
            field,
            FieldCode::InvalidPassword,
            "the password is wrong",
        ))
    }
}

/// The requests for or uses of reset links one address may make per hour,
/// counted under `limit`.
pub(crate) async fn guard_resets(
    context: &Context,
    limit: &'static str,
    ip: &str,
) -> Result<(), AppError> {
    let per_hour = context.identity.rate_limits.password_reset_per_hour;
    guard(context, limit, ip, per_hour, HOUR).await
}

/// A new reset of `account`'s password, valid for the configured lifetime;
/// its id goes into the emailed link.
pub(crate) async fn issue_reset(
    context: &Context,
    conn: &mut AsyncPgConnection,
    holder: Holder,
    account: Uuid,
) -> Result<Uuid, AppError> {
    let reset_id = Uuid::new_v4();
    let expires_at = Utc::now() + context.identity.password_reset_ttl;
    credentials::insert_reset(conn, holder, reset_id, account, expires_at).await?;
    Ok(reset_id)
}

/// The reset an emailed link (of `purpose`) names, if the link is genuine.
pub(crate) fn reset_of_link(
    context: &Context,
    purpose: &str,
    token: &str,
) -> Result<Uuid, AppError> {
    context
        .identity
        .links
        .verify(purpose, token)
        .map(Uuid::from_bytes)
        .ok_or_else(invalid_link)
}

/// Uses a reset inside the caller's transaction: the account it is for, if
/// it is unused and alive; it is marked used at once, and locked until the
/// transaction ends, so two uses of one link cannot both pass.
pub(crate) async fn use_reset(
    conn: &mut AsyncPgConnection,
    holder: Holder,
    reset_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Uuid, AppError> {
    let account = credentials::find_usable_reset_for_update(conn, holder, reset_id, now)
        .await?
        .ok_or_else(invalid_link)?;
    credentials::mark_reset_used(conn, holder, reset_id, now).await?;
    Ok(account)
}

/// One answer for a link that is forged, used or expired.
pub(crate) fn invalid_link() -> AppError {
    AppError::invalid(
        "token",
        FieldCode::InvalidToken,
        "the link is invalid, used or expired",
    )
}
