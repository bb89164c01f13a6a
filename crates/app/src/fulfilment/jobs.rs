//! Fulfilment's jobs: telling the shopper a parcel shipped, a dispatch was
//! delayed, a purchase will confirm or a delivery runs late; and the
//! schedules that confirm purchases and flag delays.

use jobs::JobError;

use crate::fulfilment::{confirmation, delays, dispatch, shipments, tracker};
use crate::kernel::background::Jobs;

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, job: shipments::ShipmentShipped| async move {
        shipments::send_shipped(&context, job).await
    })
    .handle(|context, job: dispatch::DispatchDelayed| async move {
        dispatch::send_dispatch_delayed(&context, job).await
    })
    .handle(
        |context, job: confirmation::ConfirmationNotice| async move {
            confirmation::send_notice(&context, job).await
        },
    )
    .handle(|context, _: confirmation::ConfirmDuePurchases| async move {
        let pass = confirmation::confirm_due(&context, chrono::Utc::now())
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        if pass != confirmation::Pass::default() {
            tracing::info!(
                confirmed = pass.confirmed,
                noticed = pass.noticed,
                "purchases confirmed"
            );
        }
        Ok(())
    })
    .every("confirm-purchases", "*/10 * * * *", || {
        confirmation::ConfirmDuePurchases
    })
    .handle(|context, job: delays::DelayFlagged| async move {
        delays::send_flagged(&context, job).await
    })
    .handle(|context, _: delays::FlagDelays| async move {
        let pass = delays::flag(&context, chrono::Utc::now())
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        if pass != delays::FlagPass::default() {
            tracing::info!(
                raised = pass.raised,
                cleared = pass.cleared,
                "fulfilment delays"
            );
        }
        Ok(())
    })
    .every("flag-fulfilment-delays", "5 * * * *", || delays::FlagDelays)
    .handle(
        |context, job: tracker::FollowParcel| async move { tracker::follow(&context, job).await },
    )
    .handle(|context, job: tracker::ReadParcel| async move {
        tracker::read(
            &context,
            &job.carrier,
            &job.tracking_number,
            chrono::Utc::now(),
        )
        .await
        .map(|_| ())
        .map_err(|e| JobError::retry(e.to_string()))
    })
    .handle(|context, _: tracker::PollParcels| async move {
        let queued = tracker::poll(&context, chrono::Utc::now())
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        if queued > 0 {
            tracing::info!(queued, "silent parcels queued for a read");
        }
        Ok(())
    })
    .every("poll-parcels", "*/15 * * * *", || tracker::PollParcels)
    .handle(|context, _: tracker::RenewWebhooks| async move {
        tracker::renew(&context, chrono::Utc::now())
            .await
            .map(|_| ())
            .map_err(|e| JobError::retry(e.to_string()))
    })
    .every("renew-tracking-webhooks", "20 * * * *", || {
        tracker::RenewWebhooks
    });
}
