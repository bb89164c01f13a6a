//! The settlement schedule: sweeping payees into payout batches on their
//! cycle's sweep day (hourly: a sweep that ran finds its batches and does
//! nothing).

use jobs::JobError;

use crate::kernel::background::Jobs;
use crate::settlement::payouts::{self, SweepPayouts};

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, _: SweepPayouts| async move {
        let swept = payouts::sweep_due(&context, chrono::Utc::now())
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        if swept.batches > 0 || swept.carried > 0 {
            tracing::info!(
                batches = swept.batches,
                carried = swept.carried,
                "payees swept into payout batches"
            );
        }
        Ok(())
    })
    .every("sweep-payouts", "15 * * * *", || SweepPayouts);
}
