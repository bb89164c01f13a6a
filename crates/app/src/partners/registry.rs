//! Partner platforms: clients created by operations staff, each with an API
//! key and a signing secret (both shown once), scopes and a rate limit; and
//! the check every signed request to external-api passes.

use chrono::Utc;
use crypto::Sealed;
use diesel_async::AsyncConnection;
use domain::identity::permissions::partner;
use persistence::StoreError;
use persistence::partners::registry::{self, NewPartnerKey};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::{AppError, Context};

/// Credentials as handed over, once.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub key_id: Uuid,
    /// `mkp_<prefix>_<secret>`.
    pub api_key: String,
    pub signing_secret: String,
}

/// Twelve characters `[a-z2-7]` (60 bits), visible in listings and logs.
fn random_prefix() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut raw = [0u8; 12];
    crypto::fill_random(&mut raw);
    raw.iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

fn new_credentials(partner_id: Uuid) -> (NewPartnerKey, Credentials) {
    let prefix = random_prefix();
    let api_key = format!(
        "{}{prefix}_{}",
        auth::partner_signature::API_KEY_PREFIX,
        crypto::random_token(32)
    );
    let signing_secret = format!("mks_{}", crypto::random_token(32));
    let key_id = Uuid::new_v4();
    (
        NewPartnerKey {
            id: key_id,
            partner_id,
            key_hash: crypto::digest::sha256(api_key.as_bytes()),
            prefix,
            signing_secret: Sealed::new(signing_secret.clone()),
        },
        Credentials {
            key_id,
            api_key,
            signing_secret,
        },
    )
}

fn known_scopes(names: &[String]) -> Result<Vec<&'static str>, AppError> {
    let mut scopes = Vec::new();
    for name in names {
        let scope = partner::parse(name).ok_or_else(|| {
            AppError::invalid(
                "scopes",
                FieldCode::UnknownScope,
                format!(
                    "`{name}` is not a partner scope ({})",
                    partner::ALL.join(", ")
                ),
            )
        })?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    Ok(scopes)
}

pub struct NewPartner {
    pub name: String,
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: i32,
}

/// Creates a partner with its first credentials.
pub async fn create(
    context: &Context,
    caller: &StaffPrincipal,
    new: NewPartner,
) -> Result<(Uuid, Credentials), AppError> {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            FieldCode::InvalidLength,
            "between 1 and 100 characters",
        ));
    }
    if !(1..=100_000).contains(&new.rate_limit_per_minute) {
        return Err(AppError::invalid(
            "rate_limit_per_minute",
            FieldCode::OutOfRange,
            "between 1 and 100000",
        ));
    }
    let scopes = known_scopes(&new.scopes)?;
    let id = Uuid::new_v4();
    let (key, credentials) = new_credentials(id);
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        registry::insert(conn, id, &name, &scopes, new.rate_limit_per_minute)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: ProblemCode::PartnerNameTaken,
                    message: format!("a partner named {name} exists"),
                },
                other => other.into(),
            })?;
        registry::insert_key(conn, key).await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "partner.created",
                subject: Some(("partner", id.to_string())),
                details: json!({ "name": name, "scopes": scopes, "key_id": credentials.key_id }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok((id, credentials))
}

/// New credentials for a partner (rotation: revoke the old key once the
/// partner has switched).
pub async fn issue_key(
    context: &Context,
    caller: &StaffPrincipal,
    partner_id: Uuid,
) -> Result<Credentials, AppError> {
    let (key, credentials) = new_credentials(partner_id);
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        if !registry::exists(conn, partner_id).await? {
            return Err(AppError::NotFound {
                resource: "partner",
            });
        }
        registry::insert_key(conn, key).await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "partner.key_issued",
                subject: Some(("partner", partner_id.to_string())),
                details: json!({ "key_id": credentials.key_id }),
            },
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(credentials)
}

pub async fn revoke_key(
    context: &Context,
    caller: &StaffPrincipal,
    partner_id: Uuid,
    key_id: Uuid,
) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        if !registry::revoke_key(conn, partner_id, key_id, Utc::now()).await? {
            return Err(AppError::NotFound { resource: "key" });
        }
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "partner.key_revoked",
                subject: Some(("partner", partner_id.to_string())),
                details: json!({ "key_id": key_id }),
            },
        )
        .await?;
        Ok(())
    })
    .await
}

/// A partner and its keys (prefixes only).
#[derive(Debug, Clone)]
pub struct PartnerSummary {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    pub scopes: Vec<String>,
    pub rate_limit_per_minute: i32,
    pub keys: Vec<KeySummary>,
}

#[derive(Debug, Clone)]
pub struct KeySummary {
    pub id: Uuid,
    pub prefix: String,
    pub created_at: chrono::DateTime<Utc>,
    pub revoked_at: Option<chrono::DateTime<Utc>>,
}

pub async fn list(context: &Context) -> Result<Vec<PartnerSummary>, AppError> {
    let mut conn = context.db.get().await?;
    let (rows, keys) = registry::list(&mut conn).await?;
    Ok(rows
        .into_iter()
        .map(|row| PartnerSummary {
            keys: keys
                .iter()
                .filter(|key| key.partner_id == row.id)
                .map(|key| KeySummary {
                    id: key.id,
                    prefix: key.prefix.clone(),
                    created_at: key.created_at,
                    revoked_at: key.revoked_at,
                })
                .collect(),
            id: row.id,
            name: row.name,
            status: row.status,
            scopes: row.scopes.into_iter().flatten().collect(),
            rate_limit_per_minute: row.rate_limit_per_minute,
        })
        .collect())
}

/// A signed request as it arrived.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    pub api_key: &'a str,
    pub timestamp: &'a str,
    pub nonce: &'a str,
    pub signature: &'a str,
    pub method: &'a str,
    pub path_and_query: &'a str,
    pub body: &'a [u8],
}

/// A verified partner caller.
#[derive(Debug, Clone)]
pub struct PartnerPrincipal {
    pub partner_id: Uuid,
    pub key_prefix: String,
    pub scopes: Vec<String>,
}

fn refused(code: ProblemCode) -> AppError {
    AppError::Unauthorized { code }
}

/// Checks the key, the signature, the timestamp and the nonce, then the
/// route's scope and the partner's rate limit. Cheap checks come first; the
/// nonce is spent only once the signature is good (a forger cannot burn a
/// partner's nonces).
pub async fn verify(
    context: &Context,
    request: SignedRequest<'_>,
    scope: Option<&str>,
) -> Result<PartnerPrincipal, AppError> {
    use auth::partner_signature as signature;
    let prefix = signature::key_prefix(request.api_key)
        .ok_or_else(|| refused(ProblemCode::InvalidApiKey))?;
    if !signature::timestamp_fresh(request.timestamp, Utc::now().timestamp()) {
        return Err(refused(ProblemCode::StaleTimestamp));
    }
    if !signature::nonce_well_formed(request.nonce) {
        return Err(refused(ProblemCode::InvalidNonce));
    }
    let key = {
        let mut conn = context.db.get().await?;
        registry::find_live_key(&mut conn, prefix).await?
    }
    .ok_or_else(|| refused(ProblemCode::InvalidApiKey))?;
    let presented = crypto::digest::sha256(request.api_key.trim().as_bytes());
    if !crypto::digest::constant_time_eq(&presented, &key.key_hash) {
        return Err(refused(ProblemCode::InvalidApiKey));
    }
    let secret = key
        .signing_secret
        .value()
        .ok_or_else(|| AppError::internal("a partner signing secret cannot be decrypted"))?;
    let canonical = signature::canonical_request(
        request.method,
        request.path_and_query,
        request.timestamp.trim(),
        request.nonce,
        request.body,
    );
    if !signature::verify(secret.as_bytes(), &canonical, request.signature) {
        return Err(refused(ProblemCode::InvalidSignature));
    }
    if !context
        .partner_nonces
        .first_use(prefix, request.nonce)
        .await?
    {
        return Err(refused(ProblemCode::NonceReused));
    }
    let scopes: Vec<String> = key.scopes.into_iter().flatten().collect();
    if let Some(scope) = scope
        && !scopes.iter().any(|held| held == scope)
    {
        return Err(AppError::PermissionDenied {
            permission: scope.to_owned(),
        });
    }
    let limit = u32::try_from(key.rate_limit_per_minute).unwrap_or(1);
    crate::kernel::limits::guard(
        context,
        "partner",
        &key.partner_id.to_string(),
        limit,
        crate::kernel::limits::MINUTE,
    )
    .await?;
    Ok(PartnerPrincipal {
        partner_id: key.partner_id,
        key_prefix: prefix.to_owned(),
        scopes,
    })
}
