//! Operations staff's review search and hiding.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReviewSearch {
    pub product_id: Option<Uuid>,
    pub seller_id: Option<Uuid>,
    /// Only reviews giving this many stars.
    pub rating: Option<i16>,
    /// `true`: only hidden reviews; `false`: only visible ones.
    pub hidden: Option<bool>,
    pub page: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HideReason {
    /// Why (kept with the review and in the audit log).
    #[schema(example = "Contains the buyer's phone number.")]
    pub reason: String,
}
