//! The orders context's jobs: the paid-order emails, and the sweep that
//! releases the holds of unpaid orders past their end.

use jobs::JobError;

use crate::kernel::background::Jobs;
use crate::orders::{holds, purchase_orders};

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, job: purchase_orders::OrderPaid| async move {
        purchase_orders::send_order_paid(&context, job).await
    })
    .handle(|context, job: purchase_orders::NewSellerOrder| async move {
        purchase_orders::send_new_seller_order(&context, job).await
    })
    .handle(|context, _: holds::ReleaseExpiredHolds| async move {
        let released = holds::release_expired(&context)
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        if released > 0 {
            tracing::info!(released, "unpaid orders released");
        }
        Ok(())
    })
    .every("release-expired-orders", "* * * * *", || {
        holds::ReleaseExpiredHolds
    });
}
