//! A shopper's and a guest's order lookups.

use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestConfirm {
    pub purchase_order_id: Uuid,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct GuestOrderQuery {
    #[param(example = "2026120200000042")]
    pub order_no: String,
    /// The orderer's phone given at checkout.
    #[param(example = "010-1234-5678")]
    pub phone: String,
}
