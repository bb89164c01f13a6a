//! Operations staff's product moderation queue and decisions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ModerationQuery {
    /// Part of the product name.
    pub q: Option<String>,
    pub seller_id: Option<Uuid>,
    /// `draft`, `on_sale`, `sold_out`, `hidden` or `banned`.
    #[param(value_type = Option<crate::catalog::vocabulary::ProductStatus>)]
    pub status: Option<String>,
    pub page: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModeratedProduct {
    pub id: Uuid,
    pub seller_id: Uuid,
    pub name: String,
    #[schema(value_type = crate::catalog::vocabulary::ProductStatus, example = "on_sale")]
    pub status: String,
    pub moderation_note: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl From<app::catalog::manage::ProductRow> for ModeratedProduct {
    fn from(row: app::catalog::manage::ProductRow) -> Self {
        Self {
            id: row.id,
            seller_id: row.seller_id,
            name: row.name,
            status: row.status,
            moderation_note: row.moderation_note,
            version: row.version,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModerationPage {
    pub items: Vec<ModeratedProduct>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerationReason {
    /// Shown to the vendor (required to hide or ban).
    #[schema(example = "Counterfeit listing reported by the brand owner.")]
    pub reason: Option<String>,
}
