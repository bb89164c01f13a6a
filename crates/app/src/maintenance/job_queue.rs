//! The job queue's upkeep: succeeded jobs pruned after a retention, and
//! failed jobs listed and given a fresh attempt budget by operators.

use chrono::{TimeDelta, Utc};
use jobs::{Job, JobError};
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

pub(crate) async fn prune_succeeded(context: &Context) -> Result<(), JobError> {
    let mut conn = context
        .db
        .get()
        .await
        .map_err(|e| JobError::retry(e.to_string()))?;
    let pruned =
        persistence::infra::jobs::prune_succeeded(&mut conn, Utc::now() - SUCCEEDED_JOB_RETENTION)
            .await
            .map_err(|e| JobError::retry(e.to_string()))?;
    tracing::info!(pruned, "pruned succeeded jobs");
    Ok(())
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
