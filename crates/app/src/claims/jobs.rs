//! The claims schedule: asking providers again about card refunds whose
//! outcome is unknown.

use jobs::JobError;

use crate::claims::notices::{self, ClaimNotice};
use crate::claims::{ReconcileClaimRefunds, reconcile};
use crate::kernel::background::Jobs;

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, job: ClaimNotice| async move { notices::send(&context, job).await })
        .handle(|context, _: ReconcileClaimRefunds| async move {
            let round = reconcile(&context)
                .await
                .map_err(|e| JobError::retry(e.to_string()))?;
            if round.asked > 0 {
                tracing::info!(
                    asked = round.asked,
                    unanswered = round.unanswered,
                    "claim refunds reconciled"
                );
            }
            Ok(())
        })
        .every("reconcile-claim-refunds", "* * * * *", || {
            ReconcileClaimRefunds
        });
}
