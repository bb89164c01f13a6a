//! Upkeep: re-sealing personal data under the active keys, and the job
//! queue (pruning succeeded jobs, listing and retrying failed ones).

pub mod job_queue;
pub mod jobs;
pub mod rotation;
