//! A confirmed purchase.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The product order is confirmed: reviews are open, and the vendor is
/// paid for it at the next settlement.
#[derive(Debug, Serialize, ToSchema)]
pub struct Confirmation {
    pub product_order_id: Uuid,
    pub confirmed_at: DateTime<Utc>,
    /// Points earned (members only; guests earn none).
    #[schema(value_type = String, example = "899")]
    pub points_earned: Decimal,
}

impl From<app::fulfilment::confirmation::Confirmed> for Confirmation {
    fn from(confirmed: app::fulfilment::confirmation::Confirmed) -> Self {
        Self {
            product_order_id: confirmed.product_order_id,
            confirmed_at: confirmed.confirmed_at,
            points_earned: confirmed.points_earned.normalize(),
        }
    }
}
