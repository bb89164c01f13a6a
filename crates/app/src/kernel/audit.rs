//! The security audit log: who did what to whom, when and from where,
//! append-only and hash-chained. Each entry's hash is a keyed MAC over the
//! previous entry's hash and the entry's own content, so editing, removing
//! or inserting a row breaks every link after it, and the chain cannot be
//! rebuilt without the key (which lives in configuration, not the database).

use chrono::{DateTime, SubsecRound, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use persistence::StoreError;
use persistence::kernel::audit::{self, AuditEntry};
pub use persistence::kernel::audit::{AuditFilter, AuditRow};
use serde_json::Value;

use crate::{AppError, Context};

const CHAIN_PURPOSE: &str = "audit-chain";
/// The `prev_hash` of the first entry.
const GENESIS: [u8; 32] = [0; 32];

/// Who acted.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `shopper`, `seller_staff`, `admin_staff`, `partner`, `system`, `anonymous`.
    pub kind: &'static str,
    pub id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl Actor {
    /// `account` (or an anonymous caller) on `audience`'s API.
    pub fn of(audience: auth::Audience, account: Option<&str>) -> Self {
        use auth::Audience;
        Self {
            kind: match (audience, account) {
                (_, None) => "anonymous",
                (Audience::Service, Some(_)) => "shopper",
                (Audience::Seller, Some(_)) => "seller_staff",
                (Audience::Admin, Some(_)) => "admin_staff",
                (Audience::External, Some(_)) => "partner",
            },
            id: account.map(str::to_owned),
            ip: None,
            user_agent: None,
        }
    }

    /// The same actor, seen from `ip` (with `user_agent` when known).
    pub fn at(mut self, ip: &str, user_agent: Option<&str>) -> Self {
        self.ip = Some(ip.to_owned());
        self.user_agent = user_agent.map(str::to_owned);
        self
    }

    /// `account` on `audience`'s API, from `ip` with `user_agent`.
    pub fn on(audience: auth::Audience, account: Option<&str>, ip: &str, user_agent: &str) -> Self {
        Self::of(audience, account).at(ip, Some(user_agent))
    }

    pub fn system() -> Self {
        Self {
            kind: "system",
            id: None,
            ip: None,
            user_agent: None,
        }
    }
}

/// One thing that happened.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub actor: Actor,
    /// Dotted, stable: `login.succeeded`, `mfa.enrolled`, `role.permissions_changed`,
    /// `personal_data.read`...
    pub action: &'static str,
    /// Whose record it concerns (`user`, `staff`, `role`...), and which.
    pub subject: Option<(&'static str, String)>,
    /// What else matters (never a secret or a personal value itself).
    pub details: Value,
}

/// Appends `event` inside the caller's transaction: it commits or rolls back
/// with the change it records.
pub async fn record(conn: &mut AsyncPgConnection, event: &AuditEvent) -> Result<i64, StoreError> {
    let vault = crypto::installed().map_err(|e| StoreError::Unavailable(e.to_string()))?;
    let prev_hash = audit::lock_head(conn)
        .await?
        .unwrap_or_else(|| GENESIS.to_vec());
    // Stored with microsecond precision: hash what will be read back.
    let occurred_at = Utc::now().trunc_subsecs(6);
    let mut entry = AuditEntry {
        occurred_at,
        actor_kind: event.actor.kind.to_owned(),
        actor_id: event.actor.id.clone(),
        action: event.action.to_owned(),
        subject_kind: event.subject.as_ref().map(|(kind, _)| (*kind).to_owned()),
        subject_id: event.subject.as_ref().map(|(_, id)| id.clone()),
        ip: event.actor.ip.clone(),
        user_agent: event.actor.user_agent.clone(),
        details: event.details.clone(),
        prev_hash,
        hash: Vec::new(),
    };
    entry.hash = chain_hash(vault, &Content::of(&entry));
    audit::insert(conn, &entry).await
}

/// Appends `event` in a transaction of its own.
pub async fn record_now(context: &Context, event: &AuditEvent) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| record(conn, event).await)
        .await?;
    Ok(())
}

/// The content a link covers.
struct Content<'a> {
    prev_hash: &'a [u8],
    occurred_at: DateTime<Utc>,
    actor_kind: &'a str,
    actor_id: Option<&'a str>,
    action: &'a str,
    subject_kind: Option<&'a str>,
    subject_id: Option<&'a str>,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    details: &'a Value,
}

impl<'a> Content<'a> {
    fn of(entry: &'a AuditEntry) -> Self {
        Self {
            prev_hash: &entry.prev_hash,
            occurred_at: entry.occurred_at,
            actor_kind: &entry.actor_kind,
            actor_id: entry.actor_id.as_deref(),
            action: &entry.action,
            subject_kind: entry.subject_kind.as_deref(),
            subject_id: entry.subject_id.as_deref(),
            ip: entry.ip.as_deref(),
            user_agent: entry.user_agent.as_deref(),
            details: &entry.details,
        }
    }
}

fn chain_hash(vault: &crypto::Vault, content: &Content<'_>) -> Vec<u8> {
    // An absent value and an empty one must differ: absent is one 0 byte,
    // present is 1 followed by the text.
    fn optional(value: Option<&str>) -> Vec<u8> {
        match value {
            None => vec![0],
            Some(text) => [&[1u8][..], text.as_bytes()].concat(),
        }
    }
    let micros = content.occurred_at.timestamp_micros().to_be_bytes();
    // serde_json sorts object keys, and jsonb keeps values: the same text
    // comes back on every read.
    let details = content.details.to_string();
    let (actor_id, subject_kind, subject_id, ip, user_agent) = (
        optional(content.actor_id),
        optional(content.subject_kind),
        optional(content.subject_id),
        optional(content.ip),
        optional(content.user_agent),
    );
    vault.keyed_digest(
        CHAIN_PURPOSE,
        &[
            content.prev_hash,
            &micros,
            content.actor_kind.as_bytes(),
            &actor_id,
            content.action.as_bytes(),
            &subject_kind,
            &subject_id,
            &ip,
            &user_agent,
            details.as_bytes(),
        ],
    )
}

/// The result of walking the chain from the first entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub entries_checked: u64,
    /// The first entry whose link does not hold, if any.
    pub first_broken_id: Option<i64>,
}

/// Walks the whole chain in batches, oldest first.
pub async fn verify_chain(context: &Context) -> Result<ChainCheck, AppError> {
    const BATCH: i64 = 1_000;
    let vault = crypto::installed().map_err(AppError::internal)?;
    let mut conn = context.db.get().await?;
    let mut expected_prev = GENESIS.to_vec();
    let (mut after, mut checked) = (0i64, 0u64);
    loop {
        let rows = audit::batch_after(&mut conn, after, BATCH).await?;
        let Some(last) = rows.last() else {
            return Ok(ChainCheck {
                entries_checked: checked,
                first_broken_id: None,
            });
        };
        after = last.id;
        for row in &rows {
            checked += 1;
            let linked = row.entry.prev_hash == expected_prev;
            let authentic = chain_hash(vault, &Content::of(&row.entry)) == row.entry.hash;
            if !(linked && authentic) {
                return Ok(ChainCheck {
                    entries_checked: checked,
                    first_broken_id: Some(row.id),
                });
            }
            expected_prev.clone_from(&row.entry.hash);
        }
    }
}

/// A page of the log, newest first.
pub async fn page(
    context: &Context,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRow>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(audit::page(&mut conn, filter, limit.clamp(1, 200)).await?)
}
