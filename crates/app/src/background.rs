//! The jobs the worker runs and the schedules that enqueue them.

use chrono::{TimeDelta, Utc};
use jobs::{Job, JobContext, JobError, Registry, Schedule, ScheduleError};
use serde::{Deserialize, Serialize};

use crate::{AppError, Context};

/// Succeeded jobs are kept this long for inspection, then deleted.
const SUCCEEDED_JOB_RETENTION: TimeDelta = TimeDelta::days(7);

/// Deletes succeeded jobs past their retention.
#[derive(Debug, Serialize, Deserialize)]
pub struct PruneSucceededJobs;

impl Job for PruneSucceededJobs {
    const KIND: &'static str = "maintenance.prune_succeeded_jobs";
    const MAX_ATTEMPTS: i32 = 3;
}

/// Every job kind with its handler.
pub fn registry(context: &Context) -> Registry {
    let mut registry = Registry::new();
    let prune_context = context.clone();
    registry.register::<PruneSucceededJobs, _, _>(move |_job: JobContext, _payload| {
        let context = prune_context.clone();
        async move {
            let mut conn = context
                .db
                .get()
                .await
                .map_err(|e| JobError::retry(e.to_string()))?;
            let pruned = persistence::infra::jobs::prune_succeeded(
                &mut conn,
                Utc::now() - SUCCEEDED_JOB_RETENTION,
            )
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
            tracing::info!(pruned, "pruned succeeded jobs");
            Ok(())
        }
    });
    let email_context = context.clone();
    registry.register::<crate::identity::accounts::SendEmailVerification, _, _>(
        move |_job: JobContext, payload| {
            let context = email_context.clone();
            async move { crate::identity::accounts::send_email_verification(&context, payload).await }
        },
    );
    let reset_context = context.clone();
    registry.register::<crate::identity::passwords::SendPasswordReset, _, _>(
        move |_job: JobContext, payload| {
            let context = reset_context.clone();
            async move { crate::identity::passwords::send_password_reset(&context, payload).await }
        },
    );
    let email_change_context = context.clone();
    registry.register::<crate::identity::email_change::SendEmailChange, _, _>(
        move |_job: JobContext, payload| {
            let context = email_change_context.clone();
            async move { crate::identity::email_change::send_email_change(&context, payload).await }
        },
    );
    let staff_context = context.clone();
    registry.register::<crate::staff::members::SendStaffLink, _, _>(
        move |_job: JobContext, payload| {
            let context = staff_context.clone();
            async move { crate::staff::members::send_staff_link(&context, payload).await }
        },
    );
    let columns_context = context.clone();
    registry.register::<crate::maintenance::rotation::ResealColumns, _, _>(
        move |_job: JobContext, payload| {
            let context = columns_context.clone();
            async move { crate::maintenance::rotation::reseal_columns(&context, payload).await }
        },
    );
    let staff_reset_context = context.clone();
    registry.register::<crate::staff::passwords::SendStaffPasswordReset, _, _>(
        move |_job: JobContext, payload| {
            let context = staff_reset_context.clone();
            async move { crate::staff::passwords::send_password_reset(&context, payload).await }
        },
    );
    let restock_context = context.clone();
    registry.register::<crate::catalog::restock_alerts::SendRestockAlerts, _, _>(
        move |_job: JobContext, payload| {
            let context = restock_context.clone();
            async move { crate::catalog::restock_alerts::send_restock_alerts(&context, payload).await }
        },
    );
    let windows_context = context.clone();
    registry.register::<crate::catalog::browse::RefreshSaleWindows, _, _>(
        move |_job: JobContext, _payload| {
            let context = windows_context.clone();
            async move {
                let changed = crate::catalog::browse::refresh_sale_windows(&context)
                    .await
                    .map_err(|e| JobError::retry(e.to_string()))?;
                tracing::debug!(changed, "sale windows refreshed");
                Ok(())
            }
        },
    );
    let views_context = context.clone();
    registry.register::<crate::catalog::popularity::FlushProductViews, _, _>(
        move |_job: JobContext, _payload| {
            let context = views_context.clone();
            async move {
                let products = crate::catalog::popularity::flush(&context).await?;
                tracing::debug!(products, "product views flushed");
                Ok(())
            }
        },
    );
    let popularity_context = context.clone();
    registry.register::<crate::catalog::popularity::RecomputePopularity, _, _>(
        move |_job: JobContext, _payload| {
            let context = popularity_context.clone();
            async move {
                let products = crate::catalog::popularity::recompute_popularity(&context).await?;
                tracing::info!(products, "popularity recomputed");
                Ok(())
            }
        },
    );
    let paid_context = context.clone();
    registry.register::<crate::orders::purchase_orders::OrderPaid, _, _>(
        move |_job: JobContext, payload| {
            let context = paid_context.clone();
            async move { crate::orders::purchase_orders::send_order_paid(&context, payload).await }
        },
    );
    let seller_order_context = context.clone();
    registry.register::<crate::orders::purchase_orders::NewSellerOrder, _, _>(move |_job: JobContext, payload| {
        let context = seller_order_context.clone();
        async move { crate::orders::purchase_orders::send_new_seller_order(&context, payload).await }
    });
    let expiry_context = context.clone();
    registry.register::<crate::orders::purchase_orders::ReleaseExpiredOrders, _, _>(
        move |_job: JobContext, _payload| {
            let context = expiry_context.clone();
            async move {
                let released = crate::orders::purchase_orders::release_expired(&context)
                    .await
                    .map_err(|e| JobError::retry(e.to_string()))?;
                if released > 0 {
                    tracing::info!(released, "unpaid orders released");
                }
                Ok(())
            }
        },
    );
    let reconcile_context = context.clone();
    registry.register::<crate::payments::reconcile::ReconcilePayments, _, _>(
        move |_job: JobContext, _payload| {
            let context = reconcile_context.clone();
            async move {
                let round = crate::payments::reconcile::reconcile(&context)
                    .await
                    .map_err(|e| JobError::retry(e.to_string()))?;
                if round.asked > 0 {
                    tracing::info!(
                        asked = round.asked,
                        unreachable = round.unreachable,
                        "payments reconciled"
                    );
                }
                Ok(())
            }
        },
    );
    let pending_context = context.clone();
    registry.register::<crate::payments::reconcile::ExpirePendingPayments, _, _>(
        move |_job: JobContext, _payload| {
            let context = pending_context.clone();
            async move {
                let expired = crate::payments::reconcile::expire_pending(&context)
                    .await
                    .map_err(|e| JobError::retry(e.to_string()))?;
                if expired > 0 {
                    tracing::info!(expired, "pending payments expired");
                }
                Ok(())
            }
        },
    );
    let photos_context = context.clone();
    registry.register::<crate::catalog::reviews::PurgeUnattachedPhotos, _, _>(
        move |_job: JobContext, _payload| {
            let context = photos_context.clone();
            async move {
                let purged = crate::catalog::reviews::purge_unattached_photos(&context).await?;
                if purged > 0 {
                    tracing::info!(purged, "unattached review photos deleted");
                }
                Ok(())
            }
        },
    );
    let rotation_context = context.clone();
    registry.register::<crate::maintenance::rotation::ResealUsers, _, _>(
        move |_job: JobContext, payload| {
            let context = rotation_context.clone();
            async move { crate::maintenance::rotation::reseal_users(&context, payload).await }
        },
    );
    registry
}

/// The recurring schedules (UTC).
pub fn schedules() -> Result<Vec<Schedule>, ScheduleError> {
    Ok(vec![
        Schedule::new("prune-succeeded-jobs", "17 3 * * *", |_| PruneSucceededJobs)?,
        Schedule::new("refresh-sale-windows", "* * * * *", |_| {
            crate::catalog::browse::RefreshSaleWindows
        })?,
        Schedule::new("flush-product-views", "* * * * *", |_| {
            crate::catalog::popularity::FlushProductViews
        })?,
        Schedule::new("recompute-popularity", "*/10 * * * *", |_| {
            crate::catalog::popularity::RecomputePopularity
        })?,
        Schedule::new("release-expired-orders", "* * * * *", |_| {
            crate::orders::purchase_orders::ReleaseExpiredOrders
        })?,
        Schedule::new("reconcile-payments", "* * * * *", |_| {
            crate::payments::reconcile::ReconcilePayments
        })?,
        Schedule::new("expire-pending-payments", "* * * * *", |_| {
            crate::payments::reconcile::ExpirePendingPayments
        })?,
        Schedule::new("purge-unattached-review-photos", "23 * * * *", |_| {
            crate::catalog::reviews::PurgeUnattachedPhotos
        })?,
        // Finds nothing to do unless a key was rotated; cheap otherwise.
        Schedule::new("reseal-retired-keys", "41 4 * * *", |_| {
            crate::maintenance::rotation::ResealUsers::default()
        })?,
    ])
}

/// A job as `worker jobs failed` lists it.
pub type FailedJob = persistence::infra::jobs::JobRow;

pub async fn failed_jobs(context: &Context, limit: i64) -> Result<Vec<FailedJob>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(persistence::infra::jobs::list_failed(&mut conn, limit).await?)
}

/// Gives a failed job a fresh attempt budget; `false` if it is not failed.
pub async fn retry_failed_job(context: &Context, job_id: i64) -> Result<bool, AppError> {
    let mut conn = context.db.get().await?;
    Ok(persistence::infra::jobs::retry_failed(&mut conn, job_id).await?)
}
