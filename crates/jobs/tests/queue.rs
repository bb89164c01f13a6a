#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]
//! The job queue against a real PostgreSQL: delivery across workers, crash
//! recovery, transactional enqueue, retries, and schedules.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use jobs::{
    EnqueueOptions, Job, JobError, Registry, Schedule, Scheduler, Worker, WorkerSettings, enqueue,
    enqueue_with,
};
use persistence::StoreError;
use persistence::schema::{jobs as jobs_table, schedule_ticks};
use serde::{Deserialize, Serialize};
use testkit::TestDb;
use tokio::sync::Notify;

#[derive(Debug, Serialize, Deserialize)]
struct Probe {
    n: u32,
}

impl Job for Probe {
    const KIND: &'static str = "test.probe";
    const MAX_ATTEMPTS: i32 = 2;
}

/// Records how many times each job id ran, and wakes waiters as it changes.
#[derive(Clone, Default)]
struct Runs {
    counts: Arc<Mutex<HashMap<i64, usize>>>,
    payloads: Arc<Mutex<Vec<u32>>>,
    changed: Arc<Notify>,
}

impl Runs {
    fn record(&self, job_id: i64, n: u32) {
        *self.counts.lock().unwrap().entry(job_id).or_default() += 1;
        self.payloads.lock().unwrap().push(n);
        self.changed.notify_waiters();
    }

    fn distinct(&self) -> usize {
        self.counts.lock().unwrap().len()
    }

    /// Waits (notification-driven, bounded) until `n` distinct jobs ran.
    async fn wait_for_distinct(&self, n: usize) {
        tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                let changed = self.changed.notified();
                if self.distinct() >= n {
                    return;
                }
                changed.await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("only {} of {n} jobs ran", self.distinct()));
    }
}

/// Bounds a race: if one racer fails, the others would wait at the barrier
/// forever; the test must fail instead.
async fn within<T>(what: &str, work: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), work)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish: a racer failed or deadlocked"))
}

fn settings(lease_secs: f64) -> WorkerSettings {
    WorkerSettings {
        queues: vec!["default".to_owned()],
        batch_size: 8,
        rounds_in_flight: 1,
        poll_interval_ms: 10,
        lease_secs,
    }
}

fn recording_registry(runs: &Runs) -> Registry {
    let runs = runs.clone();
    let mut registry = Registry::new();
    registry.register::<Probe, _, _>(move |context, probe| {
        let runs = runs.clone();
        async move {
            runs.record(context.job_id, probe.n);
            Ok(())
        }
    });
    registry
}

async fn enqueue_probes(test_db: &TestDb, count: u32) -> Vec<i64> {
    let mut conn = test_db.conn().await;
    let mut ids = Vec::new();
    for n in 0..count {
        ids.push(enqueue(&mut conn, &Probe { n }).await.unwrap());
    }
    ids
}

async fn statuses(test_db: &TestDb) -> HashMap<i64, (String, i32)> {
    let mut conn = test_db.conn().await;
    jobs_table::table
        .select((jobs_table::id, jobs_table::status, jobs_table::attempts))
        .load::<(i64, String, i32)>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, status, attempts)| (id, (status, attempts)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_job_runs_exactly_once_across_two_workers() {
    let test_db = TestDb::new().await;
    let ids = enqueue_probes(&test_db, 200).await;
    let runs = Runs::default();
    let stop = Arc::new(Notify::new());

    let workers: Vec<_> = (0..2)
        .map(|_| {
            let worker = Worker::new(
                test_db.db(),
                recording_registry(&runs),
                Scheduler::default(),
                WorkerSettings {
                    rounds_in_flight: 3,
                    ..settings(30.0)
                },
            );
            let stop = Arc::clone(&stop);
            tokio::spawn(async move { worker.run(async move { stop.notified().await }).await })
        })
        .collect();
    runs.wait_for_distinct(ids.len()).await;
    stop.notify_waiters();
    for worker in workers {
        worker.await.unwrap();
    }

    let counts = runs.counts.lock().unwrap().clone();
    assert_eq!(counts.len(), ids.len());
    let repeated: Vec<_> = counts.iter().filter(|(_, runs)| **runs != 1).collect();
    assert!(repeated.is_empty(), "jobs run more than once: {repeated:?}");
    let statuses = statuses(&test_db).await;
    assert!(
        statuses
            .values()
            .all(|(status, attempts)| status == "succeeded" && *attempts == 1)
    );
}

/// A round waits for its slowest job; the other rounds in flight go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_job_does_not_hold_up_the_jobs_behind_it() {
    let test_db = TestDb::new().await;
    let ids = enqueue_probes(&test_db, 2).await;
    let runs = Runs::default();
    let recorded = runs.clone();
    let mut registry = Registry::new();
    registry.register::<Probe, _, _>(move |context, probe| {
        let runs = recorded.clone();
        async move {
            if probe.n == 0 {
                // Finishes only once the job queued behind it has run.
                runs.wait_for_distinct(1).await;
            }
            runs.record(context.job_id, probe.n);
            Ok(())
        }
    });
    let worker = Worker::new(
        test_db.db(),
        registry,
        Scheduler::default(),
        WorkerSettings {
            batch_size: 1,
            rounds_in_flight: 2,
            ..settings(30.0)
        },
    );
    let stop = Arc::new(Notify::new());
    let stopped = Arc::clone(&stop);
    let running =
        tokio::spawn(async move { worker.run(async move { stopped.notified().await }).await });
    within("two jobs in two rounds", runs.wait_for_distinct(2)).await;
    stop.notify_waiters();
    running.await.unwrap();
    assert_eq!(*runs.payloads.lock().unwrap(), vec![1, 0]);
    let statuses = statuses(&test_db).await;
    assert!(ids.iter().all(|id| statuses[id].0 == "succeeded"));
}

/// Claims started at the same instant on separate connections never overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_claims_take_disjoint_jobs() {
    const CLAIMERS: usize = 4;
    let test_db = TestDb::new().await;
    let ids = enqueue_probes(&test_db, 200).await;
    let barrier = Arc::new(tokio::sync::Barrier::new(CLAIMERS));
    let claimers = (0..CLAIMERS)
        .map(|claimer| {
            let (db, barrier) = (test_db.db(), Arc::clone(&barrier));
            tokio::spawn(async move {
                let mut conn = db.get().await.unwrap();
                let mut claimed = Vec::new();
                for _round in 0..20 {
                    barrier.wait().await;
                    let queues = ["default".to_owned()];
                    let batch = persistence::infra::jobs::claim(
                        &mut conn,
                        &format!("claimer-{claimer}"),
                        &queues,
                        5,
                        30.0,
                    )
                    .await
                    .unwrap();
                    claimed.extend(batch.into_iter().map(|job| job.id));
                }
                claimed
            })
        })
        .collect::<Vec<_>>();
    let mut owners: HashMap<i64, usize> = HashMap::new();
    for claimer in claimers {
        for id in within("claiming", claimer).await.unwrap() {
            *owners.entry(id).or_default() += 1;
        }
    }
    let doubly_claimed: Vec<_> = owners.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        doubly_claimed.is_empty(),
        "claimed twice: {doubly_claimed:?}"
    );
    assert_eq!(
        owners.len(),
        ids.len(),
        "200 jobs, 4 claimers x 20 rounds x 5"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_killed_mid_batch_loses_nothing() {
    let test_db = TestDb::new().await;
    let ids = enqueue_probes(&test_db, 20).await;

    // Worker A claims a batch and hangs inside it, then is killed.
    let started = Runs::default();
    let mut hanging = Registry::new();
    {
        let started = started.clone();
        hanging.register::<Probe, _, _>(move |context, probe| {
            let started = started.clone();
            async move {
                started.record(context.job_id, probe.n);
                std::future::pending::<()>().await;
                Ok(())
            }
        });
    }
    let lease = 0.5;
    let doomed = Worker::new(test_db.db(), hanging, Scheduler::default(), settings(lease));
    let doomed = tokio::spawn(async move { doomed.run(std::future::pending()).await });
    started.wait_for_distinct(8).await;
    doomed.abort();
    let _ = doomed.await;
    let taken_by_doomed: Vec<i64> = started.counts.lock().unwrap().keys().copied().collect();

    // Worker B takes everything over once A's leases lapse.
    let runs = Runs::default();
    let survivor = Worker::new(
        test_db.db(),
        recording_registry(&runs),
        Scheduler::default(),
        settings(lease),
    );
    let stop = Arc::new(Notify::new());
    let survivor = {
        let stop = Arc::clone(&stop);
        tokio::spawn(async move { survivor.run(async move { stop.notified().await }).await })
    };
    runs.wait_for_distinct(ids.len()).await;
    stop.notify_waiters();
    survivor.await.unwrap();

    let statuses = statuses(&test_db).await;
    for id in &ids {
        let (status, attempts) = &statuses[id];
        assert_eq!(status, "succeeded", "job {id}");
        let expected_attempts = if taken_by_doomed.contains(id) { 2 } else { 1 };
        assert_eq!(*attempts, expected_attempts, "job {id}");
    }
    assert!(runs.counts.lock().unwrap().values().all(|runs| *runs == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolled_back_change_never_runs_its_job_and_a_committed_one_does() {
    let test_db = TestDb::new().await;
    let mut conn = test_db.conn().await;
    let category = |slug: &'static str| persistence::catalog::categories::NewCategory {
        parent_id: None,
        slug,
        name: "Probe",
        display_order: 0,
        is_active: true,
    };

    let rolled_back: Result<(), StoreError> = conn
        .transaction(async |conn| {
            persistence::catalog::categories::insert(conn, &category("rolled-back")).await?;
            enqueue(conn, &Probe { n: 1 }).await?;
            Err(StoreError::Unavailable("the business change failed".into()))
        })
        .await;
    assert!(rolled_back.is_err());
    conn.transaction(async |conn| {
        persistence::catalog::categories::insert(conn, &category("committed")).await?;
        enqueue(conn, &Probe { n: 2 }).await?;
        Ok::<_, StoreError>(())
    })
    .await
    .unwrap();

    let runs = Runs::default();
    let worker = Worker::new(
        test_db.db(),
        recording_registry(&runs),
        Scheduler::default(),
        settings(30.0),
    );
    while worker.run_once().await.unwrap() > 0 {}

    assert_eq!(*runs.payloads.lock().unwrap(), vec![2]);
    assert_eq!(statuses(&test_db).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_retry_with_backoff_then_stay_failed_for_inspection() {
    let test_db = TestDb::new().await;
    let id = enqueue_probes(&test_db, 1).await[0];
    let mut registry = Registry::new();
    registry.register::<Probe, _, _>(|_, _| async { Err(JobError::retry("carrier timed out")) });
    let worker = Worker::new(test_db.db(), registry, Scheduler::default(), settings(30.0));
    let mut conn = test_db.conn().await;

    let before = Utc::now();
    assert_eq!(worker.run_once().await.unwrap(), 1);
    let job = persistence::infra::jobs::find(&mut conn, id).await.unwrap();
    assert_eq!((job.status.as_str(), job.attempts), ("pending", 1));
    assert_eq!(job.last_error.as_deref(), Some("carrier timed out"));
    assert!(
        job.run_at >= before + TimeDelta::seconds(2),
        "backoff of at least 2 s"
    );
    assert_eq!(
        worker.run_once().await.unwrap(),
        0,
        "not due before its backoff"
    );

    // Let the backoff elapse, then the last allowed attempt fails for good.
    diesel::update(jobs_table::table.find(id))
        .set(jobs_table::run_at.eq(Utc::now()))
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(worker.run_once().await.unwrap(), 1);
    let job = persistence::infra::jobs::find(&mut conn, id).await.unwrap();
    assert_eq!((job.status.as_str(), job.attempts), ("failed", 2));
    assert!(job.finished_at.is_some());
    let failed = persistence::infra::jobs::list_failed(&mut conn, 10)
        .await
        .unwrap();
    assert_eq!(failed.iter().map(|j| j.id).collect::<Vec<_>>(), vec![id]);

    assert!(
        persistence::infra::jobs::retry_failed(&mut conn, id)
            .await
            .unwrap()
    );
    let job = persistence::infra::jobs::find(&mut conn, id).await.unwrap();
    assert_eq!((job.status.as_str(), job.attempts), ("pending", 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_fails_its_job_not_the_worker() {
    let test_db = TestDb::new().await;
    let ids = enqueue_probes(&test_db, 2).await;
    let mut registry = Registry::new();
    registry.register::<Probe, _, _>(|_, probe| async move {
        assert!(probe.n != 0, "handler bug");
        Ok(())
    });
    let worker = Worker::new(test_db.db(), registry, Scheduler::default(), settings(30.0));
    assert_eq!(worker.run_once().await.unwrap(), 2);
    let statuses = statuses(&test_db).await;
    assert_eq!(statuses[&ids[0]].0, "pending");
    assert_eq!(statuses[&ids[1]].0, "succeeded");
    let mut conn = test_db.conn().await;
    let job = persistence::infra::jobs::find(&mut conn, ids[0])
        .await
        .unwrap();
    assert!(job.last_error.unwrap().contains("panicked"));
}

#[tokio::test]
async fn a_round_settles_its_successes_together_but_not_a_job_another_worker_took_over() {
    let test_db = TestDb::new().await;
    let ids = enqueue_probes(&test_db, 3).await;
    let db = test_db.db();
    let mut registry = Registry::new();
    registry.register::<Probe, _, _>(move |context, probe| {
        let db = db.clone();
        async move {
            if probe.n == 0 {
                // As if this job's lease lapsed and another worker claimed it.
                let mut conn = db.get().await.unwrap();
                diesel::update(jobs_table::table.find(context.job_id))
                    .set(jobs_table::locked_by.eq("another-worker"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
            }
            Ok(())
        }
    });
    let worker = Worker::new(test_db.db(), registry, Scheduler::default(), settings(30.0));
    assert_eq!(worker.run_once().await.unwrap(), 3);
    let statuses = statuses(&test_db).await;
    assert_eq!(
        statuses[&ids[0]].0, "running",
        "left to the worker holding it"
    );
    assert_eq!(statuses[&ids[1]].0, "succeeded");
    assert_eq!(statuses[&ids[2]].0, "succeeded");
}

#[tokio::test]
async fn a_unique_key_admits_one_live_job() {
    let test_db = TestDb::new().await;
    let mut conn = test_db.conn().await;
    let options = || EnqueueOptions {
        unique_key: Some("restock:sku-1".to_owned()),
        ..EnqueueOptions::default()
    };
    let first = enqueue_with(&mut conn, &Probe { n: 1 }, options())
        .await
        .unwrap();
    let second = enqueue_with(&mut conn, &Probe { n: 2 }, options())
        .await
        .unwrap();
    assert!(first.is_some());
    assert_eq!(second, None);
}

#[derive(Debug, Serialize, Deserialize)]
struct Tick {
    at: DateTime<Utc>,
}

impl Job for Tick {
    const KIND: &'static str = "test.tick";
}

async fn tick_jobs(test_db: &TestDb) -> Vec<(DateTime<Utc>, Option<i64>)> {
    let mut conn = test_db.conn().await;
    schedule_ticks::table
        .select((schedule_ticks::tick_at, schedule_ticks::job_id))
        .order(schedule_ticks::tick_at)
        .load(&mut conn)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_one_schedule_run_each_tick_once() {
    let test_db = TestDb::new().await;
    let every_second = || {
        Scheduler::new(vec![
            Schedule::new("every-second", "* * * * * *", |at| Tick { at }).unwrap(),
        ])
    };
    let start = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
    // Three replicas evaluate the same 10 seconds, every 100 ms, in lockstep,
    // so every tick is raced for.
    const REPLICAS: usize = 3;
    let instants: Vec<_> = (0..100)
        .map(|i| start + TimeDelta::milliseconds(i * 100))
        .collect();
    let barrier = Arc::new(tokio::sync::Barrier::new(REPLICAS));
    let replicas = (0..REPLICAS)
        .map(|_| {
            let (scheduler, db, instants) = (every_second(), test_db.db(), instants.clone());
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                let mut enqueued = 0;
                for now in instants {
                    barrier.wait().await;
                    enqueued += scheduler.run_due(&db, now).await.unwrap().len();
                }
                enqueued
            })
        })
        .collect::<Vec<_>>();
    let mut total = 0;
    for replica in replicas {
        total += within("scheduling", replica).await.unwrap();
    }

    let ticks = tick_jobs(&test_db).await;
    let expected: Vec<_> = (0..10).map(|s| start + TimeDelta::seconds(s)).collect();
    assert_eq!(
        ticks.iter().map(|(at, _)| *at).collect::<Vec<_>>(),
        expected
    );
    assert!(ticks.iter().all(|(_, job)| job.is_some()));
    assert_eq!(total, 10);
    assert_eq!(statuses(&test_db).await.len(), 10, "one job per tick");
}

#[tokio::test]
async fn a_tick_this_process_settled_is_not_looked_up_again() {
    let test_db = TestDb::new().await;
    let hourly = Scheduler::new(vec![
        Schedule::new("hourly", "0 * * * *", |at| Tick { at }).unwrap(),
    ]);
    let at = |h, m| Utc.with_ymd_and_hms(2026, 11, 21, h, m, 0).unwrap();
    let db = test_db.db();
    assert_eq!(hourly.run_due(&db, at(10, 0)).await.unwrap().len(), 1);
    // Were the database asked again, the 10:00 tick would look new (fresh,
    // and no tick recorded).
    test_db.run_sql("DELETE FROM schedule_ticks").await.unwrap();
    let soon_after = at(10, 0) + TimeDelta::seconds(30);
    assert!(hourly.run_due(&db, soon_after).await.unwrap().is_empty());
    assert_eq!(hourly.run_due(&db, at(11, 0)).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_new_schedule_starts_now_and_an_idle_one_catches_up_once() {
    let test_db = TestDb::new().await;
    let hourly = Scheduler::new(vec![
        Schedule::new("hourly", "0 * * * *", |at| Tick { at }).unwrap(),
    ]);
    let at = |h, m| Utc.with_ymd_and_hms(2026, 11, 21, h, m, 0).unwrap();
    let db = test_db.db();

    assert!(
        hourly.run_due(&db, at(9, 30)).await.unwrap().is_empty(),
        "no replay of history"
    );
    assert_eq!(hourly.run_due(&db, at(10, 0)).await.unwrap().len(), 1);
    assert!(hourly.run_due(&db, at(10, 0)).await.unwrap().is_empty());
    // All workers down from 10:01 to 13:05: the 11:00, 12:00 and 13:00 ticks
    // collapse into one run of the latest.
    let caught_up = hourly.run_due(&db, at(13, 5)).await.unwrap();
    assert_eq!(
        caught_up
            .iter()
            .map(|(_, tick, _)| *tick)
            .collect::<Vec<_>>(),
        vec![at(13, 0)]
    );
    assert!(hourly.run_due(&db, at(13, 6)).await.unwrap().is_empty());
}
