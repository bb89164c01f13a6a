//! A seller's view of its orders.

use crate::orders::purchase_orders::SellerOrder;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SellerOrderQuery {
    /// `pending_payment`, `paid`, `cancelled` or `expired`.
    #[param(value_type = Option<super::vocabulary::OrderStatus>)]
    pub status: Option<String>,
    pub page: Option<i64>,
    pub size: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SellerOrderPage {
    pub items: Vec<SellerOrder>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
}
