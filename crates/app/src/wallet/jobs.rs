//! The wallet context's schedule: asking providers again about refunds
//! whose outcome is unknown.

use jobs::JobError;

use crate::kernel::background::Jobs;
use crate::wallet::refunds;

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, _: refunds::ReconcileRefunds| async move {
        let round = refunds::reconcile(&context)
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        if round.asked > 0 {
            tracing::info!(
                asked = round.asked,
                unanswered = round.unanswered,
                "wallet refunds reconciled"
            );
        }
        Ok(())
    })
    .every("reconcile-wallet-refunds", "* * * * *", || {
        refunds::ReconcileRefunds
    });
}
