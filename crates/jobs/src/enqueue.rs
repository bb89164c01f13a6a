//! Putting jobs in the queue, on the caller's connection and transaction.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use persistence::StoreError;
use persistence::infra::jobs::NewJob;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A job payload. `KIND` is stored with every job and must never change once
/// jobs of that kind may be in the queue.
pub trait Job: Serialize + DeserializeOwned + Send + 'static {
    const KIND: &'static str;
    const QUEUE: &'static str = "default";
    const MAX_ATTEMPTS: i32 = 10;
}

#[derive(Debug, Clone, Default)]
pub struct EnqueueOptions {
    /// Run no earlier than this.
    pub run_at: Option<DateTime<Utc>>,
    /// At most one pending or running job per key.
    pub unique_key: Option<String>,
}

/// Enqueues `job` on `conn`. Call it inside the transaction of the change the
/// job follows from: the job then exists if and only if the change committed.
pub async fn enqueue<J: Job>(conn: &mut AsyncPgConnection, job: &J) -> Result<i64, StoreError> {
    enqueue_with(conn, job, EnqueueOptions::default())
        .await?
        .ok_or_else(|| StoreError::Conflict("jobs_live_unique_key_idx".to_owned()))
}

/// Enqueues with options; `None` when a live job already holds `unique_key`.
pub async fn enqueue_with<J: Job>(
    conn: &mut AsyncPgConnection,
    job: &J,
    options: EnqueueOptions,
) -> Result<Option<i64>, StoreError> {
    let mut new = due_now(job)?;
    new.run_at = options.run_at;
    new.unique_key = options.unique_key;
    persistence::infra::jobs::insert(conn, &new).await
}

/// Enqueues several jobs, to run now, in one statement; build each with
/// [`due_now`].
pub async fn enqueue_all(conn: &AsyncPgConnection, jobs: &[NewJob]) -> Result<(), StoreError> {
    persistence::infra::jobs::insert_now(conn, jobs).await
}

/// A job to run now, for [`enqueue_all`].
pub fn due_now<J: Job>(job: &J) -> Result<NewJob, StoreError> {
    let payload = serde_json::to_value(job)
        .map_err(|e| StoreError::Unavailable(format!("job payload does not serialise: {e}")))?;
    Ok(new_job::<J>(payload, EnqueueOptions::default()))
}

pub(crate) fn new_job<J: Job>(payload: serde_json::Value, options: EnqueueOptions) -> NewJob {
    NewJob {
        queue: J::QUEUE.to_owned(),
        kind: J::KIND.to_owned(),
        payload,
        run_at: options.run_at,
        max_attempts: J::MAX_ATTEMPTS,
        unique_key: options.unique_key,
    }
}
