//! Following parcels at the tracking service (Delivery Tracker): a parcel
//! is registered for webhooks when it ships (renewed while it travels) and
//! read at once; a callback, which names only the carrier and the number,
//! queues one read of the parcel however often it repeats; a parcel nothing
//! was heard of for a while is read again by schedule. Every read spends
//! from a per-minute and a per-day allowance of our credentials, and what
//! it finds is recorded like any carrier's report (stored once, folded,
//! delivery final).

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use diesel_async::AsyncConnection;
use domain::fulfilment::tracking::TrackStatus;
use integrations::delivery_tracker::TrackerError;
use jobs::{EnqueueOptions, JobError};
use persistence::AsyncPgConnection;
use persistence::fulfilment::shipments::{self as store, status};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::tracking::{self, ReportedEvent};
use crate::kernel::{ProblemCode, limits};
use crate::{AppError, Context};

/// Where events come from when the tracking service reports them.
const SOURCE: &str = "tracker";

/// Parcels one pass of a schedule takes.
const PASS: i64 = 500;

/// Outbox: a parcel shipped; register it and read it.
#[derive(Debug, Serialize, Deserialize)]
pub struct FollowParcel {
    pub shipment_id: Uuid,
}

impl jobs::Job for FollowParcel {
    const KIND: &'static str = "fulfilment.follow_parcel";
}

/// Read one parcel at the tracking service (one queued per parcel at a time).
#[derive(Debug, Serialize, Deserialize)]
pub struct ReadParcel {
    pub carrier: String,
    pub tracking_number: String,
}

impl jobs::Job for ReadParcel {
    const KIND: &'static str = "fulfilment.read_parcel";
}

/// Enqueued by the schedule: read the parcels nothing was heard of lately.
#[derive(Debug, Serialize, Deserialize)]
pub struct PollParcels;

impl jobs::Job for PollParcels {
    const KIND: &'static str = "fulfilment.poll_parcels";
}

/// Enqueued by the schedule: renew the webhooks of parcels still travelling.
#[derive(Debug, Serialize, Deserialize)]
pub struct RenewWebhooks;

impl jobs::Job for RenewWebhooks {
    const KIND: &'static str = "fulfilment.renew_webhooks";
}

/// Queues a read of the parcel unless one is queued already.
pub(crate) async fn queue_read(
    conn: &mut AsyncPgConnection,
    carrier: &str,
    tracking_number: &str,
) -> Result<(), AppError> {
    let job = ReadParcel {
        carrier: carrier.to_owned(),
        tracking_number: tracking_number.to_owned(),
    };
    jobs::enqueue_with(
        conn,
        &job,
        EnqueueOptions {
            run_at: None,
            unique_key: Some(format!("read-parcel:{carrier}:{tracking_number}")),
        },
    )
    .await?;
    Ok(())
}

fn retry(error: impl std::fmt::Display) -> JobError {
    JobError::retry(error.to_string())
}

/// Registers a shipped parcel's webhook and reads it.
pub(crate) async fn follow(context: &Context, job: FollowParcel) -> Result<(), JobError> {
    let mut conn = context.db.get().await.map_err(retry)?;
    let Some(shipment) = store::find(&mut conn, job.shipment_id)
        .await
        .map_err(retry)?
    else {
        return Ok(());
    };
    drop(conn);
    if shipment.status != status::SHIPPED {
        return Ok(());
    }
    register(
        context,
        shipment.id,
        &shipment.carrier,
        &shipment.tracking_number,
        Utc::now(),
    )
    .await
    .map_err(retry)?;
    read(
        context,
        &shipment.carrier,
        &shipment.tracking_number,
        Utc::now(),
    )
    .await
    .map_err(retry)?;
    Ok(())
}

async fn register(
    context: &Context,
    shipment_id: Uuid,
    carrier: &str,
    tracking_number: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let until = now + TimeDelta::hours(context.tracking.webhook_ttl_hours.into());
    context
        .tracker
        .register_webhook(
            carrier,
            tracking_number,
            &context.tracking.callback_url,
            until,
        )
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    let mut conn = context.db.get().await?;
    Ok(store::set_webhook_until(&mut conn, shipment_id, until).await?)
}

/// Spends one read of our allowance (per minute and per day).
async fn spend_read(context: &Context) -> Result<(), AppError> {
    let settings = &context.tracking;
    limits::guard(
        context,
        "tracker-reads-minute",
        "all",
        settings.reads_per_minute,
        limits::MINUTE,
    )
    .await?;
    limits::guard(
        context,
        "tracker-reads-day",
        "all",
        settings.reads_per_day,
        Duration::from_secs(24 * 3600),
    )
    .await
}

/// Reads the parcel at the tracking service and records what it says.
pub async fn read(
    context: &Context,
    carrier: &str,
    tracking_number: &str,
    now: DateTime<Utc>,
) -> Result<tracking::Recorded, AppError> {
    spend_read(context).await?;
    let events = match context.tracker.track(carrier, tracking_number).await {
        Ok(events) => events,
        // The carrier has not scanned it yet: nothing to record.
        Err(TrackerError::NotFound) => Vec::new(),
        Err(error) => return Err(AppError::Unavailable(error.to_string())),
    };
    let reported = events
        .into_iter()
        .filter(|event| event.at <= now + tracking::AHEAD_OF_NOW)
        .map(|event| ReportedEvent {
            at: event.at,
            status: TrackStatus::from_code(&event.status_code),
            description: event.description,
            location: None,
        })
        .collect();
    let recorded =
        tracking::record(context, SOURCE, carrier, tracking_number, reported, now).await?;
    let mut conn = context.db.get().await?;
    store::set_read(&mut conn, carrier, tracking_number, now).await?;
    Ok(recorded)
}

/// The tracking service says a parcel changed: queue a read of it. The
/// callback's URL must end with our token.
pub async fn callback(
    context: &Context,
    token: &str,
    carrier: &str,
    tracking_number: &str,
) -> Result<(), AppError> {
    let expected = context.tracking.callback_token();
    if expected.is_empty()
        || !crypto::digest::constant_time_eq(token.as_bytes(), expected.as_bytes())
    {
        return Err(AppError::Unauthorized {
            code: ProblemCode::InvalidSignature,
        });
    }
    let Ok((_, number)) = tracking::parcel(carrier, tracking_number) else {
        // Not a parcel we could have registered: nothing to read.
        return Ok(());
    };
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| queue_read(conn, carrier, &number).await)
        .await
}

/// Queues a read of every live parcel nothing was heard of since the poll
/// interval; returns how many.
pub async fn poll(context: &Context, now: DateTime<Utc>) -> Result<usize, AppError> {
    let since = now - TimeDelta::minutes(context.tracking.poll_after_minutes.into());
    let mut conn = context.db.get().await?;
    let (mut queued, mut after) = (0, Uuid::nil());
    loop {
        let parcels = store::unread_since(&mut conn, since, after, PASS).await?;
        for parcel in &parcels {
            queue_read(&mut conn, &parcel.carrier, &parcel.tracking_number).await?;
        }
        queued += parcels.len();
        match parcels.last() {
            Some(last) if parcels.len() == usize::try_from(PASS).unwrap_or(usize::MAX) => {
                after = last.id;
            }
            _ => return Ok(queued),
        }
    }
}

/// Renews the webhooks of live parcels whose webhook ends within half its
/// lifetime; returns how many were renewed.
pub async fn renew(context: &Context, now: DateTime<Utc>) -> Result<usize, AppError> {
    let half = TimeDelta::hours(context.tracking.webhook_ttl_hours.into()) / 2;
    let (mut renewed, mut after) = (0, Uuid::nil());
    loop {
        let parcels = {
            let mut conn = context.db.get().await?;
            store::webhooks_ending(&mut conn, now + half, after, PASS).await?
        };
        for parcel in &parcels {
            let registered = register(
                context,
                parcel.id,
                &parcel.carrier,
                &parcel.tracking_number,
                now,
            )
            .await;
            match registered {
                Ok(()) => renewed += 1,
                Err(error) => {
                    tracing::warn!(%error, shipment = %parcel.id, "a tracking webhook was not renewed");
                }
            }
        }
        match parcels.last() {
            Some(last) if parcels.len() == usize::try_from(PASS).unwrap_or(usize::MAX) => {
                after = last.id;
            }
            _ => return Ok(renewed),
        }
    }
}
