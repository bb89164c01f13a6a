-- The transactional job queue (docs/adr/0002-transactional-jobs.md): a job is
-- inserted in the same transaction as the business change it follows.
CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue        TEXT NOT NULL DEFAULT 'default',
    kind         TEXT NOT NULL,
    payload      JSONB NOT NULL DEFAULT '{}'::jsonb,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CONSTRAINT jobs_status_known CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 10 CONSTRAINT jobs_max_attempts_positive CHECK (max_attempts >= 1),
    run_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The lease: which worker holds the job and until when. A worker that dies
    -- stops renewing it, and another worker takes the job once it lapses.
    locked_by    TEXT,
    locked_until TIMESTAMPTZ,
    -- Optional de-duplication: one live job per key.
    unique_key   TEXT,
    last_error   TEXT,
    finished_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX jobs_ready_idx ON jobs (queue, run_at, id) WHERE status = 'pending';
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_failed_idx ON jobs (updated_at) WHERE status = 'failed';
CREATE UNIQUE INDEX jobs_live_unique_key_idx ON jobs (unique_key)
    WHERE unique_key IS NOT NULL AND status IN ('pending', 'running');

CREATE TRIGGER jobs_set_updated_at
    BEFORE UPDATE ON jobs
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One row per schedule and tick: the primary key is what makes a tick run
-- once however many workers evaluate the schedule.
CREATE TABLE schedule_ticks (
    schedule   TEXT NOT NULL,
    tick_at    TIMESTAMPTZ NOT NULL,
    job_id     BIGINT REFERENCES jobs (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule, tick_at)
);
