//! The security audit log's rows. Appends are serialised by a transaction
//! advisory lock so the hash chain stays a single line.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::StoreError;
use crate::schema::security_audit_log;

/// The advisory lock key of audit appends ("audit" in ASCII).
const APPEND_LOCK: i64 = 0x0061_7564_6974;

/// An entry's content and its link in the chain, as written and as read.
#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = security_audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditEntry {
    pub occurred_at: DateTime<Utc>,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub details: serde_json::Value,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// A stored entry: its place in the log and what it holds.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = security_audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditRow {
    pub id: i64,
    #[diesel(embed)]
    pub entry: AuditEntry,
}

/// Takes the append lock (held until the transaction ends) and returns the
/// hash of the newest entry, if any. Call inside a transaction.
pub async fn lock_head(conn: &mut AsyncPgConnection) -> Result<Option<Vec<u8>>, StoreError> {
    diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(APPEND_LOCK)
        .execute(conn)
        .await?;
    Ok(security_audit_log::table
        .select(security_audit_log::hash)
        .order(security_audit_log::id.desc())
        .first(conn)
        .await
        .optional()?)
}

pub async fn insert(conn: &mut AsyncPgConnection, entry: &AuditEntry) -> Result<i64, StoreError> {
    Ok(diesel::insert_into(security_audit_log::table)
        .values(entry)
        .returning(security_audit_log::id)
        .get_result(conn)
        .await?)
}

/// Filters of the audit log page.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    /// Entries older than this id (the cursor of the previous page).
    pub before_id: Option<i64>,
}

/// Newest first.
pub async fn page(
    conn: &mut AsyncPgConnection,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    let mut query = security_audit_log::table
        .select(AuditRow::as_select())
        .order(security_audit_log::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(action) = &filter.action {
        query = query.filter(security_audit_log::action.eq(action));
    }
    if let Some(actor_id) = &filter.actor_id {
        query = query.filter(security_audit_log::actor_id.eq(actor_id));
    }
    if let Some(subject_id) = &filter.subject_id {
        query = query.filter(security_audit_log::subject_id.eq(subject_id));
    }
    if let Some(before) = filter.before_id {
        query = query.filter(security_audit_log::id.lt(before));
    }
    Ok(query.load(conn).await?)
}

/// Oldest first, from `after_id` (exclusive), for walking the chain.
pub async fn batch_after(
    conn: &mut AsyncPgConnection,
    after_id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    Ok(security_audit_log::table
        .select(AuditRow::as_select())
        .filter(security_audit_log::id.gt(after_id))
        .order(security_audit_log::id.asc())
        .limit(limit)
        .load(conn)
        .await?)
}
