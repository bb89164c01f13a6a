//! Fulfilment running late: an hourly pass flags vendor orders not
//! dispatched by their deadline, parcels the carrier has not scanned a day
//! after shipping, and parcels more than five days in transit; each flag
//! emails the shopper and the vendor once, and clears itself when the delay
//! ends. Operations read every flag (`GET /v1/shipment-delays`).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel_async::AsyncConnection;
use domain::calendar::korean_date;
use domain::fulfilment::delays::{DelayKind, Parcel, dispatch_is_late, parcel_delay};
use domain::fulfilment::dispatch::DispatchPlan;
use persistence::fulfilment::delays::{self as store, DelayRow, Flag};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::kernel::order_mail;
use crate::{AppError, Context};

pub use persistence::fulfilment::delays::DelayRow as Delay;

/// What one pass changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct FlagPass {
    pub raised: usize,
    pub cleared: usize,
}

/// Enqueued by the schedule: flag what runs late now.
#[derive(Debug, Serialize, Deserialize)]
pub struct FlagDelays;

impl jobs::Job for FlagDelays {
    const KIND: &'static str = "fulfilment.flag_delays";
}

/// Outbox: a delay was flagged (tell the shopper and the vendor).
#[derive(Debug, Serialize, Deserialize)]
pub struct DelayFlagged {
    pub delay_id: i64,
}

impl jobs::Job for DelayFlagged {
    const KIND: &'static str = "fulfilment.delay_flagged";
}

/// Flags what runs late at `now` and clears what no longer does. Replicas
/// may run it together: an open flag is unique, and only the pass that
/// raises it tells anyone.
pub async fn flag(context: &Context, now: DateTime<Utc>) -> Result<FlagPass, AppError> {
    let today = korean_date(now);
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        let mut late: Vec<Flag<'static>> = Vec::new();
        for order in store::undispatched(conn).await? {
            let Some(due) = order.dispatch_due else {
                continue;
            };
            let plan = DispatchPlan {
                due,
                declared: order.dispatch_declared,
                delayed_to: order.dispatch_delayed_to,
            };
            if dispatch_is_late(&plan, true, today) {
                late.push(Flag {
                    kind: DelayKind::LateDispatch.as_str(),
                    seller_order_id: order.seller_order_id,
                    purchase_order_id: order.purchase_order_id,
                    seller_id: order.seller_id,
                    shipment_id: None,
                });
            }
        }
        for parcel in store::live_parcels(conn).await? {
            let facts = Parcel {
                shipped_at: parcel.shipped_at,
                first_scan_at: parcel.first_scan_at,
                delivered_at: parcel.delivered_at,
            };
            if let Some(kind) = parcel_delay(facts, now) {
                late.push(Flag {
                    kind: kind.as_str(),
                    seller_order_id: parcel.seller_order_id,
                    purchase_order_id: parcel.purchase_order_id,
                    seller_id: parcel.seller_id,
                    shipment_id: Some(parcel.shipment_id),
                });
            }
        }
        let still: HashSet<(&str, Uuid, Option<Uuid>)> = late
            .iter()
            .map(|f| (f.kind, f.seller_order_id, f.shipment_id))
            .collect();
        let ended: Vec<i64> = store::open(conn)
            .await?
            .into_iter()
            .filter(|(_, kind, order, parcel)| !still.contains(&(kind.as_str(), *order, *parcel)))
            .map(|(id, ..)| id)
            .collect();
        store::clear(conn, &ended, now).await?;
        let mut pass = FlagPass {
            raised: 0,
            cleared: ended.len(),
        };
        for flag in late {
            if let Some(delay_id) = store::raise(conn, flag, now).await? {
                jobs::enqueue(conn, &DelayFlagged { delay_id }).await?;
                pass.raised += 1;
            }
        }
        Ok::<_, AppError>(pass)
    })
    .await
}

/// Flags newest first, only open ones when `open_only`, with the total.
pub async fn list(
    context: &Context,
    open_only: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<DelayRow>, i64), AppError> {
    let mut conn = context.db.get().await?;
    Ok(store::list(&mut conn, open_only, limit, offset).await?)
}

/// Emails the shopper and the vendor's contact about a flagged delay.
pub(crate) async fn send_flagged(
    context: &Context,
    job: DelayFlagged,
) -> Result<(), jobs::JobError> {
    let found =
        order_mail::load(context, async |conn| store::find(conn, job.delay_id).await).await?;
    let Some(delay) = found else {
        return Ok(());
    };
    let what = DelayKind::parse(&delay.kind).map_or("is delayed", DelayKind::describe);
    let no = delay.order_no.clone();
    let seller = delay.seller_name.clone();
    order_mail::tell_buyer(context, delay.purchase_order_id, |_| {
        (
            format!("Order {no}: a delay at {seller}"),
            format!("Your order {no} from {seller} {what}. We are following it up with the vendor.\n"),
            format!("<p>Your order <b>{no}</b> from {seller} {what}. We are following it up with the vendor.</p>"),
        )
    })
    .await?;
    order_mail::tell_vendor(context, delay.seller_order_id, |_| {
        (
            format!("Order {no} {what}"),
            format!("Order {no} {what}. Please act on it from your order list.\n"),
            format!("<p>Order <b>{no}</b> {what}. Please act on it from your order list.</p>"),
        )
    })
    .await
}
