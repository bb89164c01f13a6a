//! The payments context's schedules: asking providers about payments whose
//! outcome we do not know, and ending attempts never approved.

use jobs::JobError;

use crate::kernel::background::Jobs;
use crate::payments::reconcile;

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, _: reconcile::ReconcilePayments| async move {
        let round = reconcile::reconcile(&context)
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
    })
    .every("reconcile-payments", "* * * * *", || {
        reconcile::ReconcilePayments
    })
    .handle(|context, _: reconcile::ExpirePendingPayments| async move {
        let expired = reconcile::expire_pending(&context)
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        if expired > 0 {
            tracing::info!(expired, "pending payments expired");
        }
        Ok(())
    })
    .every("expire-pending-payments", "* * * * *", || {
        reconcile::ExpirePendingPayments
    });
}
