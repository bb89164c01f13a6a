//! Shipments and the carrier's events.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Product orders of one vendor order handed to a carrier in one parcel.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipRequest {
    pub product_order_ids: Vec<Uuid>,
    #[schema(value_type = super::vocabulary::CarrierId, example = "kr.cjlogistics")]
    pub carrier: String,
    /// As printed on the label; spaces and dashes are dropped.
    #[schema(example = "6012-3456-7890")]
    pub tracking_number: String,
}

/// Parcels of many vendor orders at once (a day's labels), each shipped on
/// its own: one refused does not hold back the others.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkShipRequest {
    /// 1 to 100 parcels.
    pub shipments: Vec<BulkShipment>,
}

/// One parcel of a bulk request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkShipment {
    pub seller_order_id: Uuid,
    #[serde(flatten)]
    pub parcel: ShipRequest,
}

/// What became of each parcel, in the order asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkShipResult {
    pub shipped: usize,
    pub refused: usize,
    pub results: Vec<BulkShipOutcome>,
}

/// A parcel shipped, or the problem that refused it.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkShipOutcome {
    pub seller_order_id: Uuid,
    pub shipment: Option<Shipment>,
    pub problem: Option<crate::kernel::problem::ProblemDetails>,
}

/// Why operations move a parcel in place of the vendor or the carrier
/// (kept on the audit record).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideReason {
    /// 1 to 500 characters.
    pub reason: String,
}

/// A parcel: what the vendor did, and what the carrier says.
#[derive(Debug, Serialize, ToSchema)]
pub struct Shipment {
    pub id: Uuid,
    pub seller_order_id: Uuid,
    pub purchase_order_id: Uuid,
    #[schema(value_type = super::vocabulary::CarrierId)]
    pub carrier: String,
    pub carrier_name: String,
    pub tracking_number: String,
    #[schema(value_type = super::vocabulary::ShipmentStatus)]
    pub status: String,
    pub shipped_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Where the carrier last said the parcel is (delivery is final).
    #[schema(value_type = Option<super::vocabulary::CarrierStatus>)]
    pub carrier_status: Option<String>,
    pub carrier_status_at: Option<DateTime<Utc>>,
    /// When the carrier reported delivery.
    pub carrier_delivered_at: Option<DateTime<Utc>>,
    pub product_order_ids: Vec<Uuid>,
    /// The carrier's events, in the order they happened.
    pub events: Vec<TrackingEvent>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrackingEvent {
    pub occurred_at: DateTime<Utc>,
    #[schema(value_type = super::vocabulary::CarrierStatus)]
    pub status: String,
    pub description: String,
    pub location: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentList {
    pub items: Vec<Shipment>,
}

impl From<app::fulfilment::shipments::ShipmentView> for Shipment {
    fn from(view: app::fulfilment::shipments::ShipmentView) -> Self {
        let row = view.shipment;
        Self {
            id: row.id,
            seller_order_id: row.seller_order_id,
            purchase_order_id: row.purchase_order_id,
            carrier: row.carrier,
            carrier_name: view.carrier_name.to_owned(),
            tracking_number: row.tracking_number,
            status: row.status,
            shipped_at: row.shipped_at,
            delivered_at: row.delivered_at,
            cancelled_at: row.cancelled_at,
            carrier_status: row.carrier_status,
            carrier_status_at: row.carrier_status_at,
            carrier_delivered_at: row.carrier_delivered_at,
            product_order_ids: view.product_order_ids,
            events: view
                .events
                .into_iter()
                .map(|e| TrackingEvent {
                    occurred_at: e.occurred_at,
                    status: e.status,
                    description: e.description,
                    location: e.location,
                })
                .collect(),
        }
    }
}

impl ShipmentList {
    pub fn of(views: Vec<app::fulfilment::shipments::ShipmentView>) -> Self {
        Self {
            items: views.into_iter().map(Shipment::from).collect(),
        }
    }
}

/// A carrier a vendor can ship with.
#[derive(Debug, Serialize, ToSchema)]
pub struct Carrier {
    #[schema(value_type = super::vocabulary::CarrierId)]
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CarrierList {
    pub items: Vec<Carrier>,
}

impl CarrierList {
    pub fn all() -> Self {
        Self {
            items: domain::fulfilment::carriers::CARRIERS
                .iter()
                .map(|c| Carrier {
                    id: c.id.to_owned(),
                    name: c.name.to_owned(),
                })
                .collect(),
        }
    }
}
