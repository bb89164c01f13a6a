//! Shipments: a vendor hands product orders of one vendor order to a
//! carrier under a tracking number (partial shipments are normal), and may
//! withdraw a shipment the carrier has not scanned yet. Shoppers and
//! vendors read shipments with the carrier's events.

use diesel_async::AsyncConnection;
use domain::fulfilment::carriers::Carrier;
use domain::fulfilment::steps::Action;
use persistence::fulfilment::dispatch as dispatch_store;
use persistence::fulfilment::shipments::{self as store, NewShipment, ShipmentRow, status};
use persistence::fulfilment::tracking::{self as events_store, TrackingEventRow};
use persistence::orders::purchase_orders;
use persistence::{AsyncPgConnection, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{dispatch, lines, tracker, tracking};
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::{Buyer, StaffPrincipal};
use crate::kernel::{ProblemCode, order_mail};
use crate::{AppError, Context};

/// A shipment with the product orders in it and the carrier's events.
pub struct ShipmentView {
    pub shipment: ShipmentRow,
    pub carrier_name: &'static str,
    pub product_order_ids: Vec<Uuid>,
    /// What the carrier reported, in the order it happened.
    pub events: Vec<TrackingEventRow>,
}

/// What a vendor ships.
pub struct ShipInput {
    pub product_order_ids: Vec<Uuid>,
    pub carrier: String,
    pub tracking_number: String,
}

/// Outbox: a parcel left the vendor (tell the shopper how to follow it).
#[derive(Debug, Serialize, Deserialize)]
pub struct ShipmentShipped {
    pub shipment_id: Uuid,
}

impl jobs::Job for ShipmentShipped {
    const KIND: &'static str = "fulfilment.shipped";
}

/// At most this many parcels in one bulk request.
pub const BULK_LIMIT: usize = 100;

/// Ships many parcels, each in its own transaction, in the order given: a
/// refused parcel does not hold back the others.
pub async fn ship_many(
    context: &Context,
    caller: &StaffPrincipal,
    parcels: Vec<(Uuid, ShipInput)>,
) -> Result<Vec<Result<ShipmentView, AppError>>, AppError> {
    if parcels.is_empty() {
        return Err(AppError::invalid(
            "shipments",
            crate::kernel::FieldCode::Required,
            "at least one parcel",
        ));
    }
    if parcels.len() > BULK_LIMIT {
        return Err(AppError::invalid(
            "shipments",
            crate::kernel::FieldCode::TooMany,
            format!("at most {BULK_LIMIT} parcels"),
        ));
    }
    let mut outcomes = Vec::with_capacity(parcels.len());
    for (seller_order_id, input) in parcels {
        outcomes.push(ship(context, caller, seller_order_id, input).await);
    }
    Ok(outcomes)
}

/// Ships product orders of a vendor order (the caller's own) in one parcel.
pub async fn ship(
    context: &Context,
    caller: &StaffPrincipal,
    seller_order_id: Uuid,
    input: ShipInput,
) -> Result<ShipmentView, AppError> {
    let (carrier, number) = tracking::parcel(&input.carrier, &input.tracking_number)?;
    let mut conn = context.db.get().await?;
    let shipment = conn
        .transaction(async |conn| {
            let order = dispatch::lock_paid(conn, caller, seller_order_id).await?;
            let all = dispatch_store::lock_lines(conn, seller_order_id).await?;
            let chosen = lines::choose(&all, &input.product_order_ids, Action::Ship)?;
            let new = NewShipment {
                id: Uuid::now_v7(),
                seller_order_id,
                purchase_order_id: order.purchase_order_id,
                seller_id: order.seller_id,
                carrier: carrier.id,
                tracking_number: &number,
            };
            let shipment =
                store::insert(conn, &new, &chosen)
                    .await
                    .map_err(|error| match error {
                        StoreError::Conflict(_) => AppError::Conflict {
                            code: ProblemCode::TrackingNumberInUse,
                            message: "this parcel is already in another shipment".into(),
                        },
                        other => other.into(),
                    })?;
            // A carrier or partner may have reported the parcel already.
            tracking::refold(conn, &shipment).await?;
            jobs::enqueue(
                conn,
                &ShipmentShipped {
                    shipment_id: shipment.id,
                },
            )
            .await?;
            jobs::enqueue(
                conn,
                &tracker::FollowParcel {
                    shipment_id: shipment.id,
                },
            )
            .await?;
            Ok::<_, AppError>(shipment.id)
        })
        .await?;
    one(&mut conn, shipment).await
}

/// Withdraws a shipment the carrier has not scanned (a wrong number, a
/// parcel not handed over): its product orders are being prepared again.
pub async fn withdraw(
    context: &Context,
    caller: &StaffPrincipal,
    shipment_id: Uuid,
) -> Result<ShipmentView, AppError> {
    let step = Step::Withdraw {
        even_if_scanned: false,
    };
    change(context, caller, shipment_id, step, None).await
}

/// The vendor delivered the parcel itself (its own van, a pick-up at the
/// shop): the shipment and its product orders are delivered at `now`. No
/// carrier vouches for it, so confirmation waits as for a parcel without a
/// delivery event (the shopper is told first).
pub async fn deliver_own(
    context: &Context,
    caller: &StaffPrincipal,
    shipment_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ShipmentView, AppError> {
    change(context, caller, shipment_id, Step::Deliver(now), None).await
}

/// What operations do in place of the vendor or the carrier; each is audited
/// with its reason.
pub enum Override {
    /// The carrier returned the parcel to the vendor (or lost it): it is
    /// withdrawn even though the carrier scanned it.
    Withdraw { reason: String },
    /// The parcel arrived without a carrier's delivery event.
    Deliver { reason: String },
}

/// Operations move a parcel the vendor's own steps cannot: a forced
/// withdrawal or delivery, with the reason on the audit record.
pub async fn force(
    context: &Context,
    caller: &StaffPrincipal,
    shipment_id: Uuid,
    action: Override,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ShipmentView, AppError> {
    let (reason, step, audited_as) = match action {
        Override::Withdraw { reason } => (
            reason,
            Step::Withdraw {
                even_if_scanned: true,
            },
            "shipment.force_withdrawn",
        ),
        Override::Deliver { reason } => (reason, Step::Deliver(now), "shipment.force_delivered"),
    };
    let reason = crate::kernel::text_fields::required("reason", &reason, 500)?;
    let audit = AuditEvent {
        actor: caller.actor.clone(),
        action: audited_as,
        subject: Some(("shipment", shipment_id.to_string())),
        details: serde_json::json!({ "reason": reason }),
    };
    change(context, caller, shipment_id, step, Some(&audit)).await
}

/// A vendor's (or operations') step on a live parcel.
enum Step {
    Withdraw { even_if_scanned: bool },
    Deliver(chrono::DateTime<chrono::Utc>),
}

/// Locks the caller's shipment (any, for operations), takes `step` and,
/// when given, records `audit` in the same transaction.
async fn change(
    context: &Context,
    caller: &StaffPrincipal,
    shipment_id: Uuid,
    step: Step,
    audit: Option<&AuditEvent>,
) -> Result<ShipmentView, AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let shipment = store::lock(conn, caller.tenant().seller_id(), shipment_id)
            .await?
            .ok_or(AppError::NotFound {
                resource: "shipment",
            })?;
        match step {
            Step::Withdraw { even_if_scanned } => {
                let scanned = shipment.carrier_first_scan_at.is_some() && !even_if_scanned;
                if shipment.status != status::SHIPPED || scanned {
                    return Err(AppError::Conflict {
                        code: ProblemCode::ShipmentNotWithdrawable,
                        message: "the carrier already has the parcel (or it is no longer shipped)"
                            .into(),
                    });
                }
                store::cancel(conn, shipment_id).await?;
            }
            Step::Deliver(at) => {
                if shipment.status != status::SHIPPED {
                    return Err(AppError::Conflict {
                        code: ProblemCode::InvalidFulfilmentStep,
                        message: format!("the shipment is {}", shipment.status),
                    });
                }
                store::mark_delivered(conn, shipment_id, at).await?;
            }
        }
        if let Some(audit) = audit {
            audit::record(conn, audit).await?;
        }
        Ok::<_, AppError>(())
    })
    .await?;
    one(&mut conn, shipment_id).await
}

async fn one(conn: &mut AsyncPgConnection, id: Uuid) -> Result<ShipmentView, AppError> {
    let shipment = store::find(conn, id).await?.ok_or(AppError::NotFound {
        resource: "shipment",
    })?;
    Ok(views(conn, vec![shipment]).await?.remove(0))
}

async fn views(
    conn: &mut AsyncPgConnection,
    shipments: Vec<ShipmentRow>,
) -> Result<Vec<ShipmentView>, AppError> {
    let ids: Vec<Uuid> = shipments.iter().map(|s| s.id).collect();
    let numbers: Vec<&str> = shipments
        .iter()
        .map(|s| s.tracking_number.as_str())
        .collect();
    let lines = store::lines_of(conn, &ids).await?;
    let events = events_store::of_parcels(conn, &numbers).await?;
    Ok(shipments
        .into_iter()
        .map(|shipment| ShipmentView {
            carrier_name: Carrier::find(&shipment.carrier).map_or("", |c| c.name),
            product_order_ids: lines
                .iter()
                .filter(|(s, _)| *s == shipment.id)
                .map(|(_, line)| *line)
                .collect(),
            events: events
                .iter()
                .filter(|e| {
                    e.carrier == shipment.carrier && tracking::belongs_to(e.occurred_at, &shipment)
                })
                .cloned()
                .collect(),
            shipment,
        })
        .collect())
}

/// The shipments of one of the buyer's orders.
pub async fn of_own_order(
    context: &Context,
    buyer: &Buyer,
    purchase_order_id: Uuid,
) -> Result<Vec<ShipmentView>, AppError> {
    let mut conn = context.db.get().await?;
    purchase_orders::find_purchase(&mut conn, purchase_order_id, Some(&buyer.key()))
        .await?
        .ok_or(AppError::NotFound { resource: "order" })?;
    let shipments = store::of_purchase(&mut conn, purchase_order_id).await?;
    views(&mut conn, shipments).await
}

/// The shipments of a vendor order (the caller's own, any for operations).
pub async fn of_seller_order(
    context: &Context,
    caller: &StaffPrincipal,
    seller_order_id: Uuid,
) -> Result<Vec<ShipmentView>, AppError> {
    let mut conn = context.db.get().await?;
    dispatch_store::find(&mut conn, caller.tenant().seller_id(), seller_order_id)
        .await?
        .ok_or(AppError::NotFound { resource: "order" })?;
    let shipments = store::of_seller_order(&mut conn, seller_order_id).await?;
    views(&mut conn, shipments).await
}

/// Emails the shopper that a parcel is on its way.
pub(crate) async fn send_shipped(
    context: &Context,
    job: ShipmentShipped,
) -> Result<(), jobs::JobError> {
    let found = order_mail::load(context, async |conn| {
        store::find(conn, job.shipment_id).await
    })
    .await?;
    let Some(shipment) = found else {
        return Ok(());
    };
    if shipment.status == status::CANCELLED {
        return Ok(());
    }
    let carrier = Carrier::find(&shipment.carrier).map_or(shipment.carrier.as_str(), |c| c.name);
    let number = &shipment.tracking_number;
    order_mail::tell_buyer(context, shipment.purchase_order_id, |purchase| {
        let no = &purchase.order_no;
        (
            format!("Order {no} has shipped"),
            format!("Part of order {no} is on its way with {carrier}, tracking number {number}.\n"),
            format!("<p>Part of order <b>{no}</b> is on its way with {carrier}, tracking number <b>{number}</b>.</p>"),
        )
    })
    .await
}
