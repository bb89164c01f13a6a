//! The carrier's story: events from the tracking service, carriers and
//! partners are stored once each, then folded into each live shipment of
//! the parcel; the first delivery event delivers the shipment and its
//! product orders. Nothing that arrives after delivery moves them back.

use chrono::{DateTime, TimeDelta, Utc};
use diesel_async::AsyncConnection;
use domain::fulfilment::carriers::{self, Carrier, TrackingNumberError};
use domain::fulfilment::tracking::{TrackEvent, TrackStatus, whereabouts};
use persistence::AsyncPgConnection;
use persistence::fulfilment::shipments::{self as store, CarrierState, ShipmentRow, status};
use persistence::fulfilment::tracking::{self as events_store, NewTrackingEvent};

use crate::kernel::{FieldCode, text_fields};
use crate::{AppError, Context};

/// Carriers reuse numbers after months: an event belongs to a shipment
/// when it happened at most this long before the vendor shipped it (labels
/// are often printed the day before).
const BEFORE_SHIPPING: TimeDelta = TimeDelta::days(7);

/// Events a request may carry.
pub const MAX_EVENTS: usize = 100;

/// Carriers' clocks drift, but not by days: later events are refused.
pub(super) const AHEAD_OF_NOW: TimeDelta = TimeDelta::hours(1);

/// One event as a carrier, partner or the tracking service reported it.
pub struct ReportedEvent {
    pub at: DateTime<Utc>,
    pub status: TrackStatus,
    pub description: String,
    pub location: Option<String>,
}

/// What a report changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// Events not seen before.
    pub new_events: usize,
    /// Live shipments of the parcel that were folded again.
    pub shipments: usize,
}

/// A known carrier and its normalised tracking number, or the field at
/// fault.
pub(super) fn parcel(carrier: &str, number: &str) -> Result<(Carrier, String), AppError> {
    carriers::parse(carrier.trim(), number).map_err(|error| match error {
        TrackingNumberError::UnknownCarrier => AppError::invalid(
            "carrier",
            FieldCode::InvalidValue,
            "not a carrier we track (GET /v1/carriers lists them)",
        ),
        TrackingNumberError::InvalidFormat => AppError::invalid(
            "tracking_number",
            FieldCode::InvalidFormat,
            "not a tracking number of this carrier",
        ),
    })
}

pub(super) fn belongs_to(at: DateTime<Utc>, shipment: &ShipmentRow) -> bool {
    at >= shipment.shipped_at - BEFORE_SHIPPING
}

/// Stores what `source` reported about a parcel at `now` and updates its
/// shipments.
pub async fn record(
    context: &Context,
    source: &str,
    carrier: &str,
    tracking_number: &str,
    events: Vec<ReportedEvent>,
    now: DateTime<Utc>,
) -> Result<Recorded, AppError> {
    let (carrier, number) = parcel(carrier, tracking_number)?;
    if events.len() > MAX_EVENTS {
        return Err(AppError::invalid(
            "events",
            FieldCode::TooMany,
            format!("at most {MAX_EVENTS} events"),
        ));
    }
    if events.iter().any(|event| event.at > now + AHEAD_OF_NOW) {
        return Err(AppError::invalid(
            "events.occurred_at",
            FieldCode::OutOfRange,
            "an event cannot have happened in the future",
        ));
    }
    let rows = events
        .into_iter()
        .map(|event| {
            Ok(NewTrackingEvent {
                carrier: carrier.id.to_owned(),
                tracking_number: number.clone(),
                occurred_at: event.at,
                status: event.status.as_str().to_owned(),
                description: text_fields::optional("events.description", &event.description, 500)?,
                location: event
                    .location
                    .map(|l| text_fields::optional("events.location", &l, 200))
                    .transpose()?,
                source: source.to_owned(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let new_events = events_store::append(conn, &rows).await?;
        let mut shipments = 0;
        if new_events > 0 {
            for shipment in store::lock_live_by_tracking(conn, carrier.id, &number).await? {
                refold(conn, &shipment).await?;
                shipments += 1;
            }
        }
        Ok::<_, AppError>(Recorded {
            new_events,
            shipments,
        })
    })
    .await
}

/// Folds the parcel's events into a locked live shipment: its carrier
/// status, and delivery on the first delivery event.
pub(crate) async fn refold(
    conn: &mut AsyncPgConnection,
    shipment: &ShipmentRow,
) -> Result<(), AppError> {
    let events: Vec<TrackEvent> =
        events_store::of_parcel(conn, &shipment.carrier, &shipment.tracking_number)
            .await?
            .into_iter()
            .filter(|e| belongs_to(e.occurred_at, shipment))
            .map(|e| TrackEvent {
                at: e.occurred_at,
                status: TrackStatus::parse(&e.status).unwrap_or(TrackStatus::Unknown),
            })
            .collect();
    let Some(now) = whereabouts(&events) else {
        return Ok(());
    };
    store::set_carrier_state(
        conn,
        shipment.id,
        CarrierState {
            status: now.status.as_str(),
            since: now.since,
            first_scan_at: now.first_scan_at,
            delivered_at: now.delivered_at,
        },
    )
    .await?;
    if let (Some(at), status::SHIPPED) = (now.delivered_at, shipment.status.as_str()) {
        store::mark_delivered(conn, shipment.id, at).await?;
    }
    Ok(())
}
