//! Upkeep's jobs: pruning succeeded jobs, and re-sealing personal data
//! still under retired keys.

use crate::kernel::background::Jobs;
use crate::maintenance::{job_queue, rotation};

pub fn register(jobs: &mut Jobs) {
    jobs.handle(|context, _: job_queue::PruneSucceededJobs| async move {
        job_queue::prune_succeeded(&context).await
    })
    .every("prune-succeeded-jobs", "17 3 * * *", || {
        job_queue::PruneSucceededJobs
    })
    .handle(|context, job: rotation::ResealColumns| async move {
        rotation::reseal_columns(&context, job).await
    })
    .handle(|context, job: rotation::ResealUsers| async move {
        rotation::reseal_users(&context, job).await
    })
    // Finds nothing to do unless a key was rotated; cheap otherwise.
    .every(
        "reseal-retired-keys",
        "41 4 * * *",
        rotation::ResealUsers::default,
    );
}
