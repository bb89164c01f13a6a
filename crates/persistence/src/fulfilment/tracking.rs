//! The carriers' tracking events: append-only, each (carrier, number, time,
//! status) stored once however often it arrives.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::StoreError;
use crate::schema::tracking_events;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tracking_events)]
pub struct NewTrackingEvent {
    pub carrier: String,
    pub tracking_number: String,
    pub occurred_at: DateTime<Utc>,
    pub status: String,
    pub description: String,
    pub location: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tracking_events, check_for_backend(diesel::pg::Pg))]
pub struct TrackingEventRow {
    pub carrier: String,
    pub tracking_number: String,
    pub occurred_at: DateTime<Utc>,
    pub status: String,
    pub description: String,
    pub location: Option<String>,
}

/// Stores the events not seen before; returns how many were new.
pub async fn append(
    conn: &mut AsyncPgConnection,
    events: &[NewTrackingEvent],
) -> Result<usize, StoreError> {
    if events.is_empty() {
        return Ok(0);
    }
    Ok(diesel::insert_into(tracking_events::table)
        .values(events)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?)
}

/// Every event of one parcel, in the order they happened.
pub async fn of_parcel(
    conn: &mut AsyncPgConnection,
    carrier: &str,
    tracking_number: &str,
) -> Result<Vec<TrackingEventRow>, StoreError> {
    Ok(tracking_events::table
        .filter(tracking_events::carrier.eq(carrier))
        .filter(tracking_events::tracking_number.eq(tracking_number))
        .order((tracking_events::occurred_at, tracking_events::id))
        .select(TrackingEventRow::as_select())
        .load(conn)
        .await?)
}

/// Every event of the parcels numbered `tracking_numbers` (any carrier;
/// callers match the carrier), in the order they happened.
pub async fn of_parcels(
    conn: &mut AsyncPgConnection,
    tracking_numbers: &[&str],
) -> Result<Vec<TrackingEventRow>, StoreError> {
    Ok(tracking_events::table
        .filter(tracking_events::tracking_number.eq_any(tracking_numbers))
        .order((tracking_events::occurred_at, tracking_events::id))
        .select(TrackingEventRow::as_select())
        .load(conn)
        .await?)
}
