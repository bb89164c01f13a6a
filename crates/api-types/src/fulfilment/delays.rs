//! Fulfilment running late, as operations read it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DelayQuery {
    /// Only flags still open (default true).
    pub open: Option<bool>,
    pub page: Option<i64>,
    /// 1 to 100 (default 20).
    pub size: Option<i64>,
}

/// A delay flagged by the hourly pass.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentDelay {
    pub id: i64,
    #[schema(value_type = super::vocabulary::DelayKind)]
    pub kind: String,
    pub seller_order_id: Uuid,
    pub purchase_order_id: Uuid,
    pub order_no: String,
    pub seller_id: Uuid,
    pub seller_name: String,
    /// The parcel, for the carrier's delays.
    pub shipment_id: Option<Uuid>,
    pub raised_at: DateTime<Utc>,
    /// When the delay ended (dispatched, scanned, delivered).
    pub cleared_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentDelayPage {
    pub items: Vec<ShipmentDelay>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
}

impl From<app::fulfilment::delays::Delay> for ShipmentDelay {
    fn from(row: app::fulfilment::delays::Delay) -> Self {
        Self {
            id: row.id,
            kind: row.kind,
            seller_order_id: row.seller_order_id,
            purchase_order_id: row.purchase_order_id,
            order_no: row.order_no,
            seller_id: row.seller_id,
            seller_name: row.seller_name,
            shipment_id: row.shipment_id,
            raised_at: row.raised_at,
            cleared_at: row.cleared_at,
        }
    }
}
