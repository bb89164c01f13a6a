//! Flags of fulfilment running late: raised once while a delay lasts,
//! cleared when it ends.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;

/// A paid vendor order with product orders still to dispatch.
#[derive(Debug, Clone, QueryableByName)]
pub struct Undispatched {
    #[diesel(sql_type = SqlUuid)]
    pub seller_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub purchase_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub seller_id: Uuid,
    #[diesel(sql_type = Nullable<diesel::sql_types::Date>)]
    pub dispatch_due: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Date>)]
    pub dispatch_declared: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Date>)]
    pub dispatch_delayed_to: Option<NaiveDate>,
}

/// A parcel shipped and not delivered.
#[derive(Debug, Clone, QueryableByName)]
pub struct LiveParcel {
    #[diesel(sql_type = SqlUuid)]
    pub shipment_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub seller_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub purchase_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub seller_id: Uuid,
    #[diesel(sql_type = Timestamptz)]
    pub shipped_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub first_scan_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub delivered_at: Option<DateTime<Utc>>,
}

/// A flag as operations read it.
#[derive(Debug, Clone, QueryableByName)]
pub struct DelayRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = SqlUuid)]
    pub seller_order_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub purchase_order_id: Uuid,
    #[diesel(sql_type = Text)]
    pub order_no: String,
    #[diesel(sql_type = SqlUuid)]
    pub seller_id: Uuid,
    #[diesel(sql_type = Text)]
    pub seller_name: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub shipment_id: Option<Uuid>,
    #[diesel(sql_type = Timestamptz)]
    pub raised_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub cleared_at: Option<DateTime<Utc>>,
}

/// What a new flag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Flag<'a> {
    pub kind: &'a str,
    pub seller_order_id: Uuid,
    pub purchase_order_id: Uuid,
    pub seller_id: Uuid,
    pub shipment_id: Option<Uuid>,
}

pub async fn undispatched(conn: &mut AsyncPgConnection) -> Result<Vec<Undispatched>, StoreError> {
    Ok(diesel::sql_query(
        "SELECT so.id AS seller_order_id, so.purchase_order_id, so.seller_id, so.dispatch_due, \
         so.dispatch_declared, so.dispatch_delayed_to FROM seller_orders so \
         WHERE so.status = 'paid' AND EXISTS (SELECT 1 FROM product_orders p \
         WHERE p.seller_order_id = so.id AND p.status IN ('paid', 'preparing'))",
    )
    .load(conn)
    .await?)
}

pub async fn live_parcels(conn: &mut AsyncPgConnection) -> Result<Vec<LiveParcel>, StoreError> {
    Ok(diesel::sql_query(
        "SELECT id AS shipment_id, seller_order_id, purchase_order_id, seller_id, shipped_at, \
         carrier_first_scan_at AS first_scan_at, carrier_delivered_at AS delivered_at \
         FROM shipments WHERE status = 'shipped'",
    )
    .load(conn)
    .await?)
}

/// The open flags: (id, kind, vendor order, parcel).
pub async fn open(
    conn: &mut AsyncPgConnection,
) -> Result<Vec<(i64, String, Uuid, Option<Uuid>)>, StoreError> {
    #[derive(QueryableByName)]
    struct Open {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        kind: String,
        #[diesel(sql_type = SqlUuid)]
        seller_order_id: Uuid,
        #[diesel(sql_type = Nullable<SqlUuid>)]
        shipment_id: Option<Uuid>,
    }
    let rows: Vec<Open> = diesel::sql_query(
        "SELECT id, kind, seller_order_id, shipment_id FROM fulfilment_delays WHERE cleared_at IS NULL",
    )
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id, r.kind, r.seller_order_id, r.shipment_id))
        .collect())
}

/// Raises a flag unless the same one is open; its id when raised.
pub async fn raise(
    conn: &mut AsyncPgConnection,
    flag: Flag<'_>,
    at: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    #[derive(QueryableByName)]
    struct Raised {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let raised: Option<Raised> = diesel::sql_query(
        "INSERT INTO fulfilment_delays (kind, seller_order_id, purchase_order_id, seller_id, shipment_id, raised_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind::<Text, _>(flag.kind)
    .bind::<SqlUuid, _>(flag.seller_order_id)
    .bind::<SqlUuid, _>(flag.purchase_order_id)
    .bind::<SqlUuid, _>(flag.seller_id)
    .bind::<Nullable<SqlUuid>, _>(flag.shipment_id)
    .bind::<Timestamptz, _>(at)
    .get_result(conn)
    .await
    .optional()?;
    Ok(raised.map(|r| r.id))
}

pub async fn clear(
    conn: &mut AsyncPgConnection,
    ids: &[i64],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::sql_query(
        "UPDATE fulfilment_delays SET cleared_at = $2 WHERE id = ANY($1) AND cleared_at IS NULL",
    )
    .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
    .bind::<Timestamptz, _>(at)
    .execute(conn)
    .await?;
    Ok(())
}

const LISTED: &str = "SELECT d.id, d.kind, d.seller_order_id, d.purchase_order_id, o.order_no, d.seller_id, \
    s.name AS seller_name, d.shipment_id, d.raised_at, d.cleared_at \
    FROM fulfilment_delays d JOIN purchase_orders o ON o.id = d.purchase_order_id \
    JOIN sellers s ON s.id = d.seller_id";

pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> Result<Option<DelayRow>, StoreError> {
    Ok(diesel::sql_query(format!("{LISTED} WHERE d.id = $1"))
        .bind::<BigInt, _>(id)
        .get_result(conn)
        .await
        .optional()?)
}

/// Flags newest first (only open ones when `open_only`), with the total.
pub async fn list(
    conn: &mut AsyncPgConnection,
    open_only: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<DelayRow>, i64), StoreError> {
    let rows = diesel::sql_query(format!(
        "{LISTED} WHERE (NOT $1 OR d.cleared_at IS NULL) ORDER BY d.raised_at DESC, d.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind::<Bool, _>(open_only)
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .load(conn)
    .await?;
    #[derive(QueryableByName)]
    struct Total {
        #[diesel(sql_type = BigInt)]
        total: i64,
    }
    let total: Total = diesel::sql_query(
        "SELECT count(*) AS total FROM fulfilment_delays WHERE (NOT $1 OR cleared_at IS NULL)",
    )
    .bind::<Bool, _>(open_only)
    .get_result(conn)
    .await?;
    Ok((rows, total.total))
}
