//! Identity (adult) verification: a shopper starts one, goes through the
//! provider's window, and the result callback reads the outcome from the
//! provider (never from the caller). The pending verification is kept in
//! Redis, sealed, for a few minutes and is good once; a verified birth date
//! is stored sealed with the adult status it gives, and tokens minted after
//! carry the `adult` scope.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{TimeDelta, Utc};
use crypto::{BlindIndexKind, DataClass, Sealed};
use diesel_async::AsyncConnection;
use integrations::identity::{IdentityError, VerificationOutcome};
use persistence::users::{self, IdentityRecord};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Actor, AuditEvent};
use crate::{AppError, Context};

/// The scope identity verification grants to adults.
pub const ADULT_SCOPE: &str = "adult";
/// Associated data of the sealed pending record (binds it to its purpose).
const PENDING_AAD: &str = "redis.identity_verification";

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

fn pending_key(context: &Context, id: &str) -> String {
    context.kv.key(&format!("identity-verification:{id}"))
}

pub async fn start(context: &Context, subject: &str) -> Result<Started, AppError> {
    let user_id = crate::accounts::account_id(subject)?;
    let vault = crypto::installed().map_err(|e| AppError::Internal(e.to_string()))?;
    let settings = &context.identity_verification;
    let id = format!("iv-{}", Uuid::new_v4().simple());
    let sealed = STANDARD.encode(vault.seal(DataClass::Contact, PENDING_AAD, user_id.as_bytes()));
    let _: () = redis::cmd("SET")
        .arg(pending_key(context, &id))
        .arg(sealed)
        .arg("EX")
        .arg(settings.pending_ttl_secs.max(1))
        .query_async(&mut context.kv.connection())
        .await
        .map_err(persistence::StoreError::from)?;
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
    crate::limits::guard(
        context,
        "identity-verification-ip",
        ip,
        30,
        crate::limits::HOUR,
    )
    .await?;
    let key = pending_key(context, id);
    let mut redis = context.kv.connection();
    let sealed: Option<String> = redis::cmd("GET")
        .arg(&key)
        .query_async(&mut redis)
        .await
        .map_err(persistence::StoreError::from)?;
    let sealed = sealed.ok_or_else(not_pending)?;
    let vault = crypto::installed().map_err(|e| AppError::Internal(e.to_string()))?;
    let user_id = STANDARD
        .decode(sealed)
        .ok()
        .and_then(|bytes| vault.open(DataClass::Contact, PENDING_AAD, &bytes).ok())
        .and_then(|bytes| Uuid::from_slice(&bytes).ok())
        .ok_or_else(|| AppError::Internal("a pending verification cannot be opened".into()))?;

    let outcome = context.identity_verifier.outcome(id).await;
    if let Err(IdentityError::Unavailable(reason)) = &outcome {
        return Err(AppError::Unavailable(format!(
            "identity provider: {reason}"
        )));
    }
    // A definite answer: the verification is used up, by this request only.
    let removed: usize = redis::cmd("DEL")
        .arg(&key)
        .query_async(&mut redis)
        .await
        .map_err(persistence::StoreError::from)?;
    if removed == 0 {
        return Err(not_pending());
    }
    let person = match outcome {
        Ok(VerificationOutcome::Verified(person)) => person,
        Ok(VerificationOutcome::NotVerified { .. }) | Err(IdentityError::NotFound) => {
            return Err(AppError::invalid(
                "identity_verification",
                "identity_not_verified",
                "the provider did not verify this person",
            ));
        }
        Err(other) => return Err(AppError::Internal(format!("identity provider: {other}"))),
    };
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
        actor: Actor {
            kind: "shopper",
            id: Some(subject.clone()),
            ip: Some(ip.to_owned()),
            user_agent: None,
        },
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
            persistence::refresh_tokens::grant_scope(
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
