//! Fulfilment's jobs: telling the shopper a parcel shipped or a dispatch
//! was delayed.

use crate::fulfilment::{dispatch, shipments};
use crate::kernel::background::Jobs;

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, job: shipments::ShipmentShipped| async move {
        shipments::send_shipped(&context, job).await
    })
    .handle(|context, job: dispatch::DispatchDelayed| async move {
        dispatch::send_dispatch_delayed(&context, job).await
    });
}
