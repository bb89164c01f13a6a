//! The catalog's jobs: restock alerts, sale windows, view counts and
//! popularity, and review photos no review took.

use jobs::JobError;

use crate::catalog::{browse, popularity, restock_alerts, reviews};
use crate::kernel::background::Jobs;

pub fn register(jobs: &mut Jobs) {
    jobs.handle(
        |context, job: restock_alerts::SendRestockAlerts| async move {
            restock_alerts::send_restock_alerts(&context, job).await
        },
    )
    .handle(|context, _: browse::RefreshSaleWindows| async move {
        let changed = browse::refresh_sale_windows(&context)
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        tracing::debug!(changed, "sale windows refreshed");
        Ok(())
    })
    .every("refresh-sale-windows", "* * * * *", || {
        browse::RefreshSaleWindows
    })
    .handle(|context, _: popularity::FlushProductViews| async move {
        let products = popularity::flush(&context).await?;
        tracing::debug!(products, "product views flushed");
        Ok(())
    })
    .every("flush-product-views", "* * * * *", || {
        popularity::FlushProductViews
    })
    .handle(|context, _: popularity::RecomputePopularity| async move {
        let products = popularity::recompute_popularity(&context).await?;
        tracing::info!(products, "popularity recomputed");
        Ok(())
    })
    .every("recompute-popularity", "*/10 * * * *", || {
        popularity::RecomputePopularity
    })
    .handle(|context, _: reviews::PurgeUnattachedPhotos| async move {
        let purged = reviews::purge_unattached_photos(&context).await?;
        if purged > 0 {
            tracing::info!(purged, "unattached review photos deleted");
        }
        Ok(())
    })
    .every("purge-unattached-review-photos", "23 * * * *", || {
        reviews::PurgeUnattachedPhotos
    });
}
