//! The worker loop: claim, run, settle, renew leases, evaluate schedules.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures_util::FutureExt;
use futures_util::future::join_all;
use persistence::infra::jobs::{self, ClaimedJob};
use persistence::{Db, StoreError};
use serde::Deserialize;
use tracing::Instrument;

use crate::{JobContext, JobError, Registry, Scheduler, retry_delay};

/// Worker configuration (`[worker]`).
#[derive(Debug, Clone, Deserialize)]
pub struct WorkerSettings {
    pub queues: Vec<String>,
    /// Jobs claimed and run concurrently per round.
    pub batch_size: i64,
    /// Rounds under way at once: while one round waits for its slowest
    /// job (an email to a slow server), the others claim and run more.
    pub rounds_in_flight: usize,
    /// Idle wait between polls when the queue is empty.
    pub poll_interval_ms: u64,
    /// How long a claim holds without renewal; renewed every third of it while
    /// the job runs, so only a dead worker lets it lapse.
    pub lease_secs: f64,
}

pub struct Worker {
    id: String,
    db: Db,
    registry: Arc<Registry>,
    scheduler: Arc<Scheduler>,
    settings: WorkerSettings,
}

impl Worker {
    pub fn new(db: Db, registry: Registry, scheduler: Scheduler, settings: WorkerSettings) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".to_owned());
        let id = format!(
            "{host}-{}-{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Self {
            id,
            db,
            registry: Arc::new(registry),
            scheduler: Arc::new(scheduler),
            settings,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Runs until `shutdown` resolves, with `rounds_in_flight` rounds
    /// under way at once; the rounds in progress are finished first.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        let shutdown = shutdown.shared();
        tracing::info!(worker = %self.id, "worker started");
        join_all(
            (0..self.settings.rounds_in_flight.max(1)).map(|_| self.run_rounds(shutdown.clone())),
        )
        .await;
        tracing::info!(worker = %self.id, "worker stopped");
    }

    /// One line of rounds, one after another, idling when the queue is empty.
    async fn run_rounds(&self, shutdown: impl Future<Output = ()> + Clone) {
        loop {
            if shutdown.clone().now_or_never().is_some() {
                break;
            }
            let idle = match self.run_once().await {
                Ok(processed) => processed == 0,
                Err(error) => {
                    tracing::warn!(worker = %self.id, %error, "worker round failed");
                    true
                }
            };
            if idle {
                tokio::select! {
                    () = shutdown.clone() => break,
                    () = tokio::time::sleep(Duration::from_millis(self.settings.poll_interval_ms)) => {}
                }
            }
        }
    }

    /// One round: enqueue due schedule ticks, then claim and run one batch.
    /// Returns how many jobs it ran.
    pub async fn run_once(&self) -> Result<usize, StoreError> {
        if !self.scheduler.is_empty() {
            self.scheduler.run_due(&self.db, Utc::now()).await?;
        }
        let claimed = {
            let mut conn = self.db.get().await?;
            jobs::claim(
                &mut conn,
                &self.id,
                &self.settings.queues,
                self.settings.batch_size,
                self.settings.lease_secs,
            )
            .await?
        };
        if claimed.is_empty() {
            return Ok(0);
        }
        let ids: Vec<i64> = claimed.iter().map(|job| job.id).collect();
        let count = claimed.len();
        let work = join_all(claimed.iter().map(|job| self.run_job(job)));
        let outcomes = tokio::select! {
            outcomes = work => outcomes,
            never = self.renew_leases_forever(&ids) => match never {},
        };
        if let Err(error) = self.settle(&claimed, outcomes).await {
            // The leases lapse and another worker runs the jobs again.
            tracing::error!(worker = %self.id, %error, "could not record the jobs' outcomes");
        }
        Ok(count)
    }

    async fn renew_leases_forever(&self, ids: &[i64]) -> std::convert::Infallible {
        let period = Duration::from_secs_f64(self.settings.lease_secs / 3.0);
        loop {
            tokio::time::sleep(period).await;
            let renewed = async {
                let mut conn = self.db.get().await?;
                jobs::renew_leases(&mut conn, &self.id, ids, self.settings.lease_secs).await
            };
            if let Err(error) = renewed.await {
                tracing::warn!(worker = %self.id, %error, "lease renewal failed");
            }
        }
    }

    async fn run_job(&self, job: &ClaimedJob) -> Result<(), JobError> {
        let span =
            tracing::info_span!("job", job_id = job.id, kind = %job.kind, attempt = job.attempts);
        let outcome = self.execute(job).instrument(span.clone()).await;
        match &outcome {
            Ok(()) => span.in_scope(|| tracing::info!("job succeeded")),
            Err(error) if will_retry(job, error) => {
                span.in_scope(|| tracing::warn!(%error, "job failed; will retry"));
            }
            Err(error) => span.in_scope(|| tracing::error!(%error, "job failed for good")),
        }
        outcome
    }

    async fn execute(&self, job: &ClaimedJob) -> Result<(), JobError> {
        if job.attempts > job.max_attempts {
            return Err(JobError::permanent(
                "a worker died during the last allowed attempt",
            ));
        }
        let Some(handler) = self.registry.handler(&job.kind) else {
            // Possibly enqueued by a newer release than this worker: retry later.
            return Err(JobError::retry(format!(
                "no handler for job kind {}",
                job.kind
            )));
        };
        let context = JobContext {
            job_id: job.id,
            attempt: job.attempts,
            max_attempts: job.max_attempts,
        };
        // A task of its own, so a panicking handler fails its job, not the worker.
        match tokio::spawn(handler(context, job.payload.clone()).in_current_span()).await {
            Ok(outcome) => outcome,
            Err(join_error) => Err(JobError::retry(format!("handler panicked: {join_error}"))),
        }
    }

    /// Records a round's outcomes: the successes in one statement, each
    /// failure with its own retry time.
    async fn settle(
        &self,
        jobs: &[ClaimedJob],
        outcomes: Vec<Result<(), JobError>>,
    ) -> Result<(), StoreError> {
        let mut conn = self.db.get().await?;
        let mut succeeded = Vec::new();
        let mut lapsed = 0;
        for (job, outcome) in jobs.iter().zip(outcomes) {
            match outcome {
                Ok(()) => succeeded.push(job.id),
                Err(error) => {
                    let retry_at = will_retry(job, &error).then(|| {
                        Utc::now()
                            + chrono::Duration::from_std(retry_delay(job.attempts))
                                .unwrap_or(chrono::Duration::hours(1))
                    });
                    if !jobs::fail(&mut conn, job.id, &self.id, &error.message, retry_at).await? {
                        lapsed += 1;
                    }
                }
            }
        }
        if !succeeded.is_empty() {
            lapsed += succeeded.len()
                - jobs::complete_all(&mut conn, &succeeded, &self.id)
                    .await?
                    .len();
        }
        if lapsed > 0 {
            tracing::warn!(worker = %self.id, lapsed, "leases had lapsed; other workers own those jobs now");
        }
        Ok(())
    }
}

/// Whether a failed attempt is tried again (it may be, and attempts remain).
fn will_retry(job: &ClaimedJob, error: &JobError) -> bool {
    error.retryable && job.attempts < job.max_attempts
}
