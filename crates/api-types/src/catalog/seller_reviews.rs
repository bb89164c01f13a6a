//! A seller's reviews of its products and its replies.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SellerReviewQuery {
    pub product_id: Option<Uuid>,
    /// Only reviews giving this many stars.
    pub rating: Option<i16>,
    /// Only reviews not yet answered.
    #[serde(default)]
    pub unanswered: bool,
    pub page: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// 1 to 1,000 characters; replaces an earlier reply.
    pub text: String,
}
