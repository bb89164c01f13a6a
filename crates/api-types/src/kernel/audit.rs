//! The audit trail and its chain verification.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// e.g. `login.failed`, `personal_data.read`, `role.permissions_changed`.
    pub action: Option<String>,
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<i64>,
    /// 1 to 200 (default 50).
    pub size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// Hex of this entry's link in the chain.
    pub hash: String,
}

impl From<app::kernel::audit::AuditRow> for AuditEntryView {
    fn from(row: app::kernel::audit::AuditRow) -> Self {
        let entry = row.entry;
        Self {
            id: row.id,
            occurred_at: entry.occurred_at,
            actor_kind: entry.actor_kind,
            actor_id: entry.actor_id,
            action: entry.action,
            subject_kind: entry.subject_kind,
            subject_id: entry.subject_id,
            ip: entry.ip,
            user_agent: entry.user_agent,
            details: entry.details,
            hash: hex::encode(&entry.hash),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryView>,
    /// Pass as `cursor` for older entries; absent on the last page.
    pub next_cursor: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChainVerification {
    /// Whether every link holds.
    pub valid: bool,
    pub entries_checked: u64,
    /// The first entry whose link is broken (edited, removed or inserted
    /// rows break the chain from there on).
    pub first_broken_id: Option<i64>,
}
