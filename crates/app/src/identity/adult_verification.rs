//! Identity (adult) verification: a shopper starts one, goes through the
//! provider's window, and the result callback reads the outcome from the
//! provider (never from the caller). The pending verification is kept in
//! Redis, sealed, for a few minutes and is good once; a verified birth date
//! is stored sealed with the adult status it gives, and tokens minted after
//! carry the `adult` scope.

use chrono::{TimeDelta, Utc};
use crypto::{BlindIndexKind, Sealed};
use diesel_async::AsyncConnection;
use integrations::identity::{IdentityError, VerificationOutcome};
use persistence::identity::users::{self, IdentityRecord};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::audit::{self, Actor, AuditEvent};
use crate::kernel::principals::ADULT_SCOPE;
use crate::kernel::sealed_kv;
use crate::{AppError, Context};

/// The sealed-record purpose of a pending verification.
const PENDING: &str = "identity-verification";

/// What the shopper's client needs to open the provider's window.
#[derive(Debug, Clone)]
pub struct Started {
    pub id: String,
    pub store_id: String,
    pub channel_key: String,
    /// The page that runs the window for this verification.
    pub verification_url: String,
    pub expires_in: u64,
}

pub async fn start(context: &Context, subject: &str) -> Result<Started, AppError> {
    let user_id = crate::identity::accounts::account_id(subject)?;
    let settings = &context.identity_verification;
    let id = format!("iv-{}", Uuid::new_v4().simple());
    let ttl = std::time::Duration::from_secs(settings.pending_ttl_secs);
    sealed_kv::put(context, PENDING, &id, &user_id, ttl).await?;
    Ok(Started {
        verification_url: format!(
            "{}?identityVerificationId={id}",
            settings.verification_page_url
        ),
        id,
        store_id: settings.store_id.clone(),
        channel_key: settings.channel_key.clone(),
        expires_in: settings.pending_ttl_secs,
    })
}

/// What a completed verification established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completed {
    pub user_id: Uuid,
    pub adult: bool,
}

fn not_pending() -> AppError {
    AppError::NotFound {
        resource: "identity verification",
    }
}

/// The provider's callback for verification `id`: asks the provider for the
/// outcome and applies it to the account that started it. A provider outage
/// leaves the verification pending (retry); any definite outcome uses it up.
pub async fn complete(context: &Context, id: &str, ip: &str) -> Result<Completed, AppError> {
    crate::kernel::limits::guard(
        context,
        "identity-verification-ip",
        ip,
        30,
        crate::kernel::limits::HOUR,
    )
    .await?;
    let user_id: Uuid = sealed_kv::get(context, PENDING, id)
        .await?
        .ok_or_else(not_pending)?;

    let outcome = context.identity_verifier.outcome(id).await;
    if let Err(IdentityError::Unavailable(reason)) = &outcome {
        return Err(AppError::Unavailable(format!(
            "identity provider: {reason}"
        )));
    }
    // A definite answer: the verification is used up, by this request only.
    if !sealed_kv::remove(context, PENDING, id).await? {
        return Err(not_pending());
    }
    let person = match outcome {
        Ok(VerificationOutcome::Verified(person)) => person,
        Ok(VerificationOutcome::NotVerified { .. }) | Err(IdentityError::NotFound) => {
            return Err(AppError::invalid(
                "identity_verification",
                FieldCode::IdentityNotVerified,
                "the provider did not verify this person",
            ));
        }
        Err(other) => return Err(AppError::internal(format!("identity provider: {other}"))),
    };
    let vault = crypto::installed().map_err(AppError::internal)?;
    // The rule counts in Korean time.
    let today = (Utc::now() + TimeDelta::hours(9)).date_naive();
    let adult = domain::identity::age::is_adult(person.birth_date, today);
    let record = IdentityRecord {
        birth_date: Sealed::new(person.birth_date.format("%Y-%m-%d").to_string()),
        adult,
        ci_index: person
            .ci
            .as_deref()
            .map(|ci| vault.blind_index(BlindIndexKind::IdentityCi, ci)),
        verified_at: Utc::now(),
    };
    let subject = user_id.to_string();
    let event = AuditEvent {
        actor: Actor::of(auth::Audience::Service, Some(&subject)).at(ip, None),
        action: "identity.verified",
        subject: Some(("user", subject.clone())),
        details: json!({ "adult": adult, "verification_id": id }),
    };
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        if !users::record_identity(conn, user_id, record).await? {
            return Err(AppError::NotFound {
                resource: "account",
            });
        }
        if adult {
            persistence::identity::refresh_tokens::grant_scope(
                conn,
                &subject,
                auth::Audience::Service.as_str(),
                ADULT_SCOPE,
            )
            .await?;
        }
        audit::record(conn, &event).await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(Completed { user_id, adult })
}
