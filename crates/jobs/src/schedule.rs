//! Cron schedules that enqueue a job at each tick, once across all workers.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use croner::Cron;
use diesel_async::AsyncConnection;
use persistence::infra::jobs::NewJob;
use persistence::{Db, StoreError};

use crate::enqueue::new_job;
use crate::{EnqueueOptions, Job};

/// A new schedule (no tick recorded yet) runs its latest tick only if that tick
/// is this recent; it does not replay history. An existing schedule whose
/// workers were all down catches up with one run of its latest missed tick.
const FIRST_TICK_FRESHNESS: TimeDelta = TimeDelta::minutes(1);

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("schedule {name}: invalid cron expression {expression:?}: {reason}")]
    InvalidCron {
        name: String,
        expression: String,
        reason: String,
    },
    #[error("schedule {name}: job payload does not serialise: {reason}")]
    Payload { name: String, reason: String },
    #[error("schedule {name} enqueues {kind}, which no handler runs")]
    Unhandled { name: String, kind: &'static str },
}

type JobFactory = Box<dyn Fn(DateTime<Utc>) -> Result<NewJob, String> + Send + Sync>;

/// A named cron expression (5 fields, or 6 with seconds; UTC) and the job it
/// enqueues for a tick.
pub struct Schedule {
    name: String,
    cron: Cron,
    job: JobFactory,
    /// The latest tick this process has settled (enqueued, or found run or
    /// not due): the worker's concurrent rounds evaluate schedules far more
    /// often than ticks come, and need not ask the database again.
    settled: Mutex<Option<DateTime<Utc>>>,
}

impl Schedule {
    pub fn new<J: Job>(
        name: &str,
        expression: &str,
        job_for_tick: impl Fn(DateTime<Utc>) -> J + Send + Sync + 'static,
    ) -> Result<Self, ScheduleError> {
        let cron: Cron = expression.parse().map_err(|e: croner::errors::CronError| {
            ScheduleError::InvalidCron {
                name: name.to_owned(),
                expression: expression.to_owned(),
                reason: e.to_string(),
            }
        })?;
        Ok(Self {
            name: name.to_owned(),
            cron,
            job: Box::new(move |tick| {
                let payload =
                    serde_json::to_value(job_for_tick(tick)).map_err(|e| e.to_string())?;
                Ok(new_job::<J>(payload, EnqueueOptions::default()))
            }),
            settled: Mutex::new(None),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The latest tick at or before `now`. Ticks are whole seconds: without
    /// truncation every instant inside a matching second would be a tick.
    pub fn latest_tick(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron
            .find_previous_occurrence(&now.trunc_subsecs(0), true)
            .ok()
    }

    fn settled(&self) -> Option<DateTime<Utc>> {
        *self.settled.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn settle(&self, tick: DateTime<Utc>) {
        *self.settled.lock().unwrap_or_else(PoisonError::into_inner) = Some(tick);
    }
}

/// Evaluates every schedule; any number of workers may call it concurrently.
#[derive(Default)]
pub struct Scheduler {
    schedules: Vec<Schedule>,
}

impl Scheduler {
    pub fn new(schedules: Vec<Schedule>) -> Self {
        Self { schedules }
    }

    pub fn is_empty(&self) -> bool {
        self.schedules.is_empty()
    }

    /// Enqueues the job of every schedule whose latest tick at `now` has not
    /// run yet. Returns the (schedule, tick, job id) triples this call enqueued.
    /// A tick this process already settled is not looked up again.
    pub async fn run_due(
        &self,
        db: &Db,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>, i64)>, StoreError> {
        let mut enqueued = Vec::new();
        for schedule in &self.schedules {
            let Some(tick) = schedule.latest_tick(now) else {
                continue;
            };
            if schedule.settled() == Some(tick) {
                continue;
            }
            let mut conn = db.get().await?;
            let job_id = conn
                .transaction(async |conn| run_tick(conn, schedule, tick, now).await)
                .await?;
            schedule.settle(tick);
            if let Some(job_id) = job_id {
                enqueued.push((schedule.name.clone(), tick, job_id));
            }
        }
        Ok(enqueued)
    }
}

/// In one transaction: the tick is claimed under the `(schedule, tick_at)`
/// primary key and its job inserted, so a tick never runs twice and never is
/// claimed without its job.
async fn run_tick(
    conn: &mut persistence::AsyncPgConnection,
    schedule: &Schedule,
    tick: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    use persistence::infra::jobs;
    let due = match jobs::last_tick(conn, &schedule.name).await? {
        Some(last) => tick > last,
        None => now - tick <= FIRST_TICK_FRESHNESS,
    };
    if !due || !jobs::claim_tick(conn, &schedule.name, tick).await? {
        return Ok(None);
    }
    let job = (schedule.job)(tick).map_err(|reason| {
        StoreError::Unavailable(
            ScheduleError::Payload {
                name: schedule.name.clone(),
                reason,
            }
            .to_string(),
        )
    })?;
    let job_id = jobs::insert(conn, &job).await?;
    jobs::link_tick_job(conn, &schedule.name, tick, job_id).await?;
    Ok(job_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Tick;
    impl Job for Tick {
        const KIND: &'static str = "test.tick";
    }

    #[test]
    fn finds_the_latest_tick_at_or_before_now() {
        let schedule = Schedule::new("every-5-min", "*/5 * * * *", |_| Tick).unwrap();
        let at = |h, m, s| Utc.with_ymd_and_hms(2026, 11, 21, h, m, s).unwrap();
        assert_eq!(schedule.latest_tick(at(10, 7, 30)), Some(at(10, 5, 0)));
        assert_eq!(schedule.latest_tick(at(10, 10, 0)), Some(at(10, 10, 0)));
        let within_a_tick_second = at(10, 10, 0) + TimeDelta::milliseconds(250);
        assert_eq!(
            schedule.latest_tick(within_a_tick_second),
            Some(at(10, 10, 0))
        );
    }

    #[test]
    fn accepts_a_seconds_field_and_rejects_nonsense() {
        assert!(Schedule::new("s", "*/10 * * * * *", |_| Tick).is_ok());
        let error = Schedule::new("bad", "every tuesday", |_| Tick)
            .err()
            .unwrap();
        assert!(error.to_string().contains("bad"));
    }
}
