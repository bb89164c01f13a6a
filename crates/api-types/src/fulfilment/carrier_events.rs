//! What carriers and partners report about a parcel.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Events of one parcel, in any order; repeats are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarrierReport {
    #[schema(value_type = super::vocabulary::CarrierId, example = "kr.cjlogistics")]
    pub carrier: String,
    #[schema(example = "601234567890")]
    pub tracking_number: String,
    /// At most 100.
    pub events: Vec<ReportedEvent>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportedEvent {
    pub occurred_at: DateTime<Utc>,
    #[schema(value_type = super::vocabulary::CarrierStatus)]
    pub status: super::vocabulary::CarrierStatus,
    #[serde(default)]
    pub description: String,
    pub location: Option<String>,
}

/// What the report changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportAccepted {
    /// Events not seen before.
    pub new_events: usize,
    /// Live shipments of the parcel brought up to date.
    pub shipments: usize,
}

impl CarrierReport {
    /// The carrier, the number and the events as the app takes them.
    pub fn into_parts(
        self,
    ) -> (
        String,
        String,
        Vec<app::fulfilment::tracking::ReportedEvent>,
    ) {
        let events = self
            .events
            .into_iter()
            .map(|e| app::fulfilment::tracking::ReportedEvent {
                at: e.occurred_at,
                status: domain::fulfilment::tracking::TrackStatus::parse(e.status.as_str())
                    .unwrap_or(domain::fulfilment::tracking::TrackStatus::Unknown),
                description: e.description,
                location: e.location,
            })
            .collect();
        (self.carrier, self.tracking_number, events)
    }
}

/// Delivery Tracker's callback: only which parcel changed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrackerCallback {
    #[schema(example = "kr.cjlogistics")]
    pub carrier_id: String,
    #[schema(example = "601234567890")]
    pub tracking_number: String,
}
