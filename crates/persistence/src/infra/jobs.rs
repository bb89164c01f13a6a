//! The job queue's tables: enqueue, claim under a lease, settle, inspect, and
//! schedule ticks. The worker loop that drives these lives in the `jobs` crate.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Double, Integer, Jsonb, Nullable, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::StoreError;
use crate::infra::reusable_sql::Reusable;

/// A job to insert.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub queue: String,
    pub kind: String,
    pub payload: serde_json::Value,
    /// When to run first; `None` means now.
    pub run_at: Option<DateTime<Utc>>,
    pub max_attempts: i32,
    /// At most one pending or running job per key; a second insert is a no-op.
    pub unique_key: Option<String>,
}

/// A job handed to a worker, with the attempt it is on (1 for the first run).
#[derive(Debug, Clone, QueryableByName)]
pub struct ClaimedJob {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub queue: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
}

/// A job as operators inspect it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = crate::schema::jobs, check_for_backend(diesel::pg::Pg))]
pub struct JobRow {
    pub id: i64,
    pub queue: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub finished_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Inserts a job on `conn`, inside whatever transaction the caller holds.
/// Returns `None` when a live job with the same `unique_key` already exists.
pub async fn insert(conn: &mut AsyncPgConnection, job: &NewJob) -> Result<Option<i64>, StoreError> {
    let inserted: Option<Id> = Reusable::fixed(diesel::sql_query(
        "INSERT INTO jobs (queue, kind, payload, run_at, max_attempts, unique_key) \
         VALUES ($1, $2, $3, coalesce($4, now()), $5, $6) \
         ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND status IN ('pending', 'running') \
         DO NOTHING RETURNING id",
    )
    .bind::<Text, _>(&job.queue)
    .bind::<Text, _>(&job.kind)
    .bind::<Jsonb, _>(&job.payload)
    .bind::<Nullable<Timestamptz>, _>(job.run_at)
    .bind::<Integer, _>(job.max_attempts)
    .bind::<Nullable<Text>, _>(job.unique_key.as_deref()))
    .get_result(conn)
    .await
    .optional()?;
    Ok(inserted.map(|row| row.id))
}

/// Inserts jobs that run now and have no unique key, in one statement.
pub async fn insert_now(mut conn: &AsyncPgConnection, jobs: &[NewJob]) -> Result<(), StoreError> {
    debug_assert!(
        jobs.iter()
            .all(|j| j.run_at.is_none() && j.unique_key.is_none())
    );
    let queues: Vec<&str> = jobs.iter().map(|j| j.queue.as_str()).collect();
    let kinds: Vec<&str> = jobs.iter().map(|j| j.kind.as_str()).collect();
    let payloads: Vec<&serde_json::Value> = jobs.iter().map(|j| &j.payload).collect();
    let max_attempts: Vec<i32> = jobs.iter().map(|j| j.max_attempts).collect();
    Reusable::fixed(
        diesel::sql_query(
            "INSERT INTO jobs (queue, kind, payload, max_attempts) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::int4[])",
        )
        .bind::<Array<Text>, _>(&queues)
        .bind::<Array<Text>, _>(&kinds)
        .bind::<Array<Jsonb>, _>(&payloads)
        .bind::<Array<Integer>, _>(&max_attempts),
    )
    .execute(&mut conn)
    .await?;
    Ok(())
}

/// Claims up to `limit` runnable jobs for `worker`: pending ones that are due,
/// and running ones whose lease has lapsed (their worker died), from each of
/// `queues` in turn. `SKIP LOCKED` lets concurrent workers take disjoint
/// batches without waiting on each other.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    worker: &str,
    queues: &[String],
    limit: i64,
    lease_secs: f64,
) -> Result<Vec<ClaimedJob>, StoreError> {
    let mut claimed = Vec::new();
    for queue in queues {
        let wanted = limit - i64::try_from(claimed.len()).unwrap_or(i64::MAX);
        if wanted <= 0 {
            break;
        }
        claimed.extend(claim_from(conn, worker, queue, wanted, lease_secs).await?);
    }
    Ok(claimed)
}

/// One queue's claim. Each kind of runnable job is read in the order of its
/// partial index and stops at `limit`, so a long backlog costs nothing:
/// with one condition over both kinds, PostgreSQL sorted every pending job
/// on each claim.
async fn claim_from(
    conn: &mut AsyncPgConnection,
    worker: &str,
    queue: &str,
    limit: i64,
    lease_secs: f64,
) -> Result<Vec<ClaimedJob>, StoreError> {
    Ok(Reusable::fixed(
        diesel::sql_query(
            "WITH lapsed AS ( \
                 SELECT id FROM jobs \
                 WHERE status = 'running' AND locked_until < now() AND queue = $1 \
                 ORDER BY locked_until LIMIT $2 FOR UPDATE SKIP LOCKED), \
             due AS ( \
                 SELECT id FROM jobs \
                 WHERE status = 'pending' AND queue = $1 AND run_at <= now() \
                 ORDER BY run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED), \
             next AS ( \
                 SELECT id FROM (SELECT id, 0 AS kind FROM lapsed UNION ALL SELECT id, 1 FROM due) runnable \
                 ORDER BY kind, id LIMIT $2) \
             UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, locked_by = $3, \
                    locked_until = now() + make_interval(secs => $4) \
             FROM next WHERE jobs.id = next.id \
             RETURNING jobs.id, jobs.queue, jobs.kind, jobs.payload, jobs.attempts, jobs.max_attempts",
        )
        .bind::<Text, _>(queue)
        .bind::<BigInt, _>(limit)
        .bind::<Text, _>(worker)
        .bind::<Double, _>(lease_secs),
    )
    .load(conn)
    .await?)
}

/// Extends the leases `worker` still holds; returns how many it still holds.
pub async fn renew_leases(
    conn: &mut AsyncPgConnection,
    worker: &str,
    ids: &[i64],
    lease_secs: f64,
) -> Result<usize, StoreError> {
    Ok(Reusable::fixed(
        diesel::sql_query(
            "UPDATE jobs SET locked_until = now() + make_interval(secs => $3) \
         WHERE id = ANY($1) AND locked_by = $2 AND status = 'running'",
        )
        .bind::<Array<BigInt>, _>(ids)
        .bind::<Text, _>(worker)
        .bind::<Double, _>(lease_secs),
    )
    .execute(conn)
    .await?)
}

/// Marks jobs done in one statement; answers the ids `worker` still held
/// (the others' leases lapsed and another worker took them over).
pub async fn complete_all(
    conn: &mut AsyncPgConnection,
    ids: &[i64],
    worker: &str,
) -> Result<Vec<i64>, StoreError> {
    let completed: Vec<Id> = Reusable::fixed(
        diesel::sql_query(
            "UPDATE jobs SET status = 'succeeded', finished_at = now(), locked_by = NULL, locked_until = NULL \
             WHERE id = ANY($1) AND locked_by = $2 AND status = 'running' RETURNING id",
        )
        .bind::<Array<BigInt>, _>(ids)
        .bind::<Text, _>(worker),
    )
    .load(conn)
    .await?;
    Ok(completed.into_iter().map(|row| row.id).collect())
}

/// Records a failed attempt: back to pending at `retry_at`, or failed for good
/// when `retry_at` is `None`. Failed jobs stay in the table for inspection.
pub async fn fail(
    conn: &mut AsyncPgConnection,
    id: i64,
    worker: &str,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> Result<bool, StoreError> {
    let updated = Reusable::fixed(
        diesel::sql_query(
            "UPDATE jobs SET \
             status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END, \
             run_at = coalesce($4, run_at), \
             finished_at = CASE WHEN $4::timestamptz IS NULL THEN now() END, \
             last_error = $3, locked_by = NULL, locked_until = NULL \
         WHERE id = $1 AND locked_by = $2 AND status = 'running'",
        )
        .bind::<BigInt, _>(id)
        .bind::<Text, _>(worker)
        .bind::<Text, _>(error)
        .bind::<Nullable<Timestamptz>, _>(retry_at),
    )
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> Result<JobRow, StoreError> {
    use crate::schema::jobs::dsl;
    Ok(dsl::jobs
        .find(id)
        .select(JobRow::as_select())
        .first(conn)
        .await?)
}

/// Jobs that exhausted their attempts, newest first.
pub async fn list_failed(
    conn: &mut AsyncPgConnection,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    use crate::schema::jobs::dsl;
    Ok(dsl::jobs
        .filter(dsl::status.eq("failed"))
        .order(dsl::updated_at.desc())
        .limit(limit)
        .select(JobRow::as_select())
        .load(conn)
        .await?)
}

/// Puts a failed job back in the queue with a fresh attempt budget.
pub async fn retry_failed(conn: &mut AsyncPgConnection, id: i64) -> Result<bool, StoreError> {
    let updated = diesel::sql_query(
        "UPDATE jobs SET status = 'pending', attempts = 0, run_at = now(), finished_at = NULL \
         WHERE id = $1 AND status = 'failed'",
    )
    .bind::<BigInt, _>(id)
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// Deletes succeeded jobs finished before `before`.
pub async fn prune_succeeded(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
) -> Result<usize, StoreError> {
    use crate::schema::jobs::dsl;
    Ok(diesel::delete(
        dsl::jobs
            .filter(dsl::status.eq("succeeded"))
            .filter(dsl::finished_at.lt(before)),
    )
    .execute(conn)
    .await?)
}

/// Claims the tick `tick_at` of `schedule`. Exactly one caller gets `true` per
/// (schedule, tick), however many workers race for it.
pub async fn claim_tick(
    conn: &mut AsyncPgConnection,
    schedule: &str,
    tick_at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let inserted = diesel::sql_query(
        "INSERT INTO schedule_ticks (schedule, tick_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind::<Text, _>(schedule)
    .bind::<Timestamptz, _>(tick_at)
    .execute(conn)
    .await?;
    Ok(inserted == 1)
}

pub async fn link_tick_job(
    conn: &mut AsyncPgConnection,
    schedule: &str,
    tick_at: DateTime<Utc>,
    job_id: Option<i64>,
) -> Result<(), StoreError> {
    diesel::sql_query("UPDATE schedule_ticks SET job_id = $3 WHERE schedule = $1 AND tick_at = $2")
        .bind::<Text, _>(schedule)
        .bind::<Timestamptz, _>(tick_at)
        .bind::<Nullable<BigInt>, _>(job_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The latest tick recorded for `schedule`, if any.
pub async fn last_tick(
    conn: &mut AsyncPgConnection,
    schedule_name: &str,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    use crate::schema::schedule_ticks::dsl;
    Ok(dsl::schedule_ticks
        .filter(dsl::schedule.eq(schedule_name))
        .select(diesel::dsl::max(dsl::tick_at))
        .first(conn)
        .await?)
}
