//! Operations staff's order search and goodwill grants.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
/// A grant of points or bonus cash to a shopper.
pub struct Grant {
    #[schema(value_type = String, example = "5000")]
    pub amount: rust_decimal::Decimal,
    /// The grant expires this many days from now.
    #[schema(example = 365)]
    pub valid_days: u32,
    #[schema(example = "Apology for a late delivery")]
    pub reason: String,
}

impl Grant {
    pub fn grant(&self) -> app::kernel::lots::Grant<'_> {
        app::kernel::lots::Grant {
            amount: self.amount,
            valid_days: self.valid_days,
            reason: &self.reason,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Granted {
    /// The lot the grant created.
    pub lot_id: i64,
}

impl Granted {
    /// The answer as the idempotency key keeps it.
    pub fn answer(lot_id: i64) -> serde_json::Value {
        serde_json::to_value(Self { lot_id }).unwrap_or_default()
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    pub order_no: Option<String>,
    /// `pending_payment`, `paid`, `cancelled` or `expired`.
    #[param(value_type = Option<super::vocabulary::OrderStatus>)]
    pub status: Option<String>,
    pub user_id: Option<Uuid>,
    /// Placed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Placed before.
    pub until: Option<DateTime<Utc>>,
    pub page: Option<i64>,
    pub size: Option<i64>,
}
