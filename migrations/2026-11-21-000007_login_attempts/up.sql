-- Every login attempt, whatever its outcome. The account is named by the
-- email's blind index (it may not exist); never by the email itself.
CREATE TABLE login_attempts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audience    TEXT NOT NULL,
    email_index BYTEA,
    ip          TEXT NOT NULL,
    user_agent  TEXT NOT NULL,
    outcome     TEXT NOT NULL
                CONSTRAINT login_attempts_outcome_known CHECK (outcome IN ('succeeded', 'failed', 'throttled', 'not_verified')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX login_attempts_email_idx ON login_attempts (email_index, created_at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, created_at);
