//! The settlement schedule: sweeping payees into payout batches on their
//! cycle's sweep day, or early for an earning near its due date (hourly: a
//! sweep that ran finds its batches and does nothing), and flagging
//! earnings near their due date that are not paid yet.

use jobs::JobError;

use crate::kernel::background::Jobs;
use crate::settlement::payouts::{self, SweepPayouts};

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, _: SweepPayouts| async move {
        let swept = payouts::sweep_due(&context, chrono::Utc::now())
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        if swept.batches > 0 || swept.carried > 0 || swept.held > 0 {
            tracing::info!(
                batches = swept.batches,
                carried = swept.carried,
                held = swept.held,
                "payees swept into payout batches"
            );
        }
        // Earnings near their due date that no batch has paid yet are
        // operations' to approve and pay now.
        let late = payouts::deadlines(&context, chrono::Utc::now(), 100)
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
        if let Some((oldest, due)) = late.first() {
            tracing::warn!(
                earnings = late.len(),
                oldest_entry = oldest.entry_id,
                due = %due,
                "payouts near or past their due date"
            );
        }
        Ok(())
    })
    .every("sweep-payouts", "15 * * * *", || SweepPayouts);
}
