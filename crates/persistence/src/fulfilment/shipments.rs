//! Shipments: a parcel a vendor handed to a carrier, the product orders in
//! it, and where the carrier says it is.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{product_orders, shipments};

/// A shipment's vendor-side states as stored.
pub mod status {
    pub const SHIPPED: &str = "shipped";
    pub const DELIVERED: &str = "delivered";
    pub const CANCELLED: &str = "cancelled";
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = shipments, check_for_backend(diesel::pg::Pg))]
pub struct ShipmentRow {
    pub id: Uuid,
    pub seller_order_id: Uuid,
    pub purchase_order_id: Uuid,
    pub seller_id: Uuid,
    pub carrier: String,
    pub tracking_number: String,
    pub status: String,
    pub shipped_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub carrier_status: Option<String>,
    pub carrier_status_at: Option<DateTime<Utc>>,
    pub carrier_first_scan_at: Option<DateTime<Utc>>,
    pub carrier_delivered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = shipments)]
pub struct NewShipment<'a> {
    pub id: Uuid,
    pub seller_order_id: Uuid,
    pub purchase_order_id: Uuid,
    pub seller_id: Uuid,
    pub carrier: &'a str,
    pub tracking_number: &'a str,
}

/// The carrier's story folded: its latest status, first scan and delivery.
#[derive(Debug, Clone, Copy)]
pub struct CarrierState<'a> {
    pub status: &'a str,
    pub since: DateTime<Utc>,
    pub first_scan_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Records a shipment and puts `product_order_ids` in it (shipped now).
pub async fn insert(
    conn: &mut AsyncPgConnection,
    shipment: &NewShipment<'_>,
    product_order_ids: &[Uuid],
) -> Result<ShipmentRow, StoreError> {
    let row = diesel::insert_into(shipments::table)
        .values(shipment)
        .returning(ShipmentRow::as_returning())
        .get_result(conn)
        .await?;
    diesel::update(product_orders::table.filter(product_orders::id.eq_any(product_order_ids)))
        .set((
            product_orders::status.eq("shipped"),
            product_orders::shipment_id.eq(row.id),
            product_orders::shipped_at.eq(row.shipped_at),
            product_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(row)
}

/// Live shipments of a parcel, locked (normally one).
pub async fn lock_live_by_tracking(
    conn: &mut AsyncPgConnection,
    carrier: &str,
    tracking_number: &str,
) -> Result<Vec<ShipmentRow>, StoreError> {
    Ok(shipments::table
        .filter(shipments::carrier.eq(carrier))
        .filter(shipments::tracking_number.eq(tracking_number))
        .filter(shipments::status.ne(status::CANCELLED))
        .select(ShipmentRow::as_select())
        .for_update()
        .load(conn)
        .await?)
}

/// A vendor's shipment, locked; `seller_id`, when given, must own it.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    seller_id: Option<Uuid>,
    id: Uuid,
) -> Result<Option<ShipmentRow>, StoreError> {
    // Operations (no seller) see every row; a vendor only its own.
    let anyone = seller_id.is_none();
    Ok(shipments::table
        .filter(shipments::id.eq(id))
        .filter(
            shipments::seller_id
                .nullable()
                .eq(seller_id)
                .or(anyone.into_sql::<diesel::sql_types::Bool>()),
        )
        .select(ShipmentRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<ShipmentRow>, StoreError> {
    Ok(shipments::table
        .find(id)
        .select(ShipmentRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// A purchase's shipments, oldest first.
pub async fn of_purchase(
    conn: &mut AsyncPgConnection,
    purchase_order_id: Uuid,
) -> Result<Vec<ShipmentRow>, StoreError> {
    Ok(shipments::table
        .filter(shipments::purchase_order_id.eq(purchase_order_id))
        .order((shipments::shipped_at, shipments::id))
        .select(ShipmentRow::as_select())
        .load(conn)
        .await?)
}

/// A vendor order's shipments, oldest first.
pub async fn of_seller_order(
    conn: &mut AsyncPgConnection,
    seller_order_id: Uuid,
) -> Result<Vec<ShipmentRow>, StoreError> {
    Ok(shipments::table
        .filter(shipments::seller_order_id.eq(seller_order_id))
        .order((shipments::shipped_at, shipments::id))
        .select(ShipmentRow::as_select())
        .load(conn)
        .await?)
}

/// The product orders in each of `shipment_ids`: (shipment, product order).
pub async fn lines_of(
    conn: &mut AsyncPgConnection,
    shipment_ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    let rows: Vec<(Option<Uuid>, Uuid)> = product_orders::table
        .filter(product_orders::shipment_id.eq_any(shipment_ids))
        .order(product_orders::id)
        .select((product_orders::shipment_id, product_orders::id))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(shipment, line)| shipment.map(|s| (s, line)))
        .collect())
}

/// Stores the carrier's story as folded from its events.
pub async fn set_carrier_state(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    state: CarrierState<'_>,
) -> Result<(), StoreError> {
    diesel::update(shipments::table.find(id))
        .set((
            shipments::carrier_status.eq(state.status),
            shipments::carrier_status_at.eq(state.since),
            shipments::carrier_first_scan_at.eq(state.first_scan_at),
            shipments::carrier_delivered_at.eq(state.delivered_at),
            shipments::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The shipment reached the shopper at `at`: it and its shipped product
/// orders are delivered.
pub async fn mark_delivered(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(shipments::table.find(id))
        .set((
            shipments::status.eq(status::DELIVERED),
            shipments::delivered_at.eq(at),
            shipments::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    diesel::update(
        product_orders::table
            .filter(product_orders::shipment_id.eq(id))
            .filter(product_orders::status.eq("shipped")),
    )
    .set((
        product_orders::status.eq("delivered"),
        product_orders::delivered_at.eq(at),
        product_orders::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// The vendor withdrew the shipment: its product orders are being
/// prepared again, outside any shipment.
pub async fn cancel(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), StoreError> {
    diesel::update(shipments::table.find(id))
        .set((
            shipments::status.eq(status::CANCELLED),
            shipments::cancelled_at.eq(diesel::dsl::now),
            shipments::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    diesel::update(product_orders::table.filter(product_orders::shipment_id.eq(id)))
        .set((
            product_orders::status.eq("preparing"),
            product_orders::shipment_id.eq(None::<Uuid>),
            product_orders::shipped_at.eq(None::<DateTime<Utc>>),
            product_orders::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A live parcel to follow at the tracking service.
#[derive(Debug, Clone, Queryable)]
pub struct LiveParcel {
    pub id: Uuid,
    pub carrier: String,
    pub tracking_number: String,
}

/// Up to `limit` live parcels after `after` (in id order) whose webhook
/// ends before `before` (or was never registered).
pub async fn webhooks_ending(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
    after: Uuid,
    limit: i64,
) -> Result<Vec<LiveParcel>, StoreError> {
    Ok(shipments::table
        .filter(shipments::status.eq(status::SHIPPED))
        .filter(shipments::id.gt(after))
        .filter(
            shipments::tracker_webhook_until
                .is_null()
                .or(shipments::tracker_webhook_until.lt(before)),
        )
        .order(shipments::id)
        .limit(limit)
        .select((
            shipments::id,
            shipments::carrier,
            shipments::tracking_number,
        ))
        .load(conn)
        .await?)
}

/// Up to `limit` live parcels after `after` (in id order) not read at the
/// tracking service since `since` (nor shipped since).
pub async fn unread_since(
    conn: &mut AsyncPgConnection,
    since: DateTime<Utc>,
    after: Uuid,
    limit: i64,
) -> Result<Vec<LiveParcel>, StoreError> {
    Ok(shipments::table
        .filter(shipments::status.eq(status::SHIPPED))
        .filter(shipments::id.gt(after))
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Timestamptz>(
                "COALESCE(tracker_read_at, shipped_at)",
            )
            .lt(since),
        )
        .order(shipments::id)
        .limit(limit)
        .select((
            shipments::id,
            shipments::carrier,
            shipments::tracking_number,
        ))
        .load(conn)
        .await?)
}

pub async fn set_webhook_until(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    until: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(shipments::table.find(id))
        .set(shipments::tracker_webhook_until.eq(until))
        .execute(conn)
        .await?;
    Ok(())
}

/// The parcel's live shipments were read at the tracking service at `at`.
pub async fn set_read(
    conn: &mut AsyncPgConnection,
    carrier: &str,
    tracking_number: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(
        shipments::table
            .filter(shipments::carrier.eq(carrier))
            .filter(shipments::tracking_number.eq(tracking_number))
            .filter(shipments::status.ne(status::CANCELLED)),
    )
    .set(shipments::tracker_read_at.eq(at))
    .execute(conn)
    .await?;
    Ok(())
}
