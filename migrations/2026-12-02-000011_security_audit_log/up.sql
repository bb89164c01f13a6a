-- The security audit log: logins, MFA, password and role changes, session
-- revocations and every staff read of a person's personal data. Append-only
-- (the trigger refuses UPDATE, DELETE and TRUNCATE), and each entry's `hash`
-- is a keyed MAC over the previous entry's hash and its own content, so an
-- edited, removed or inserted row breaks the chain from there on.
CREATE TABLE security_audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at  TIMESTAMPTZ NOT NULL,
    actor_kind   TEXT NOT NULL,
    actor_id     TEXT,
    action       TEXT NOT NULL,
    subject_kind TEXT,
    subject_id   TEXT,
    ip           TEXT,
    user_agent   TEXT,
    details      JSONB NOT NULL DEFAULT '{}',
    prev_hash    BYTEA NOT NULL,
    hash         BYTEA NOT NULL UNIQUE
);

CREATE INDEX security_audit_log_actor_idx ON security_audit_log (actor_kind, actor_id, id);
CREATE INDEX security_audit_log_subject_idx ON security_audit_log (subject_kind, subject_id, id);
CREATE INDEX security_audit_log_action_idx ON security_audit_log (action, id);

CREATE FUNCTION security_audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'security_audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER security_audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON security_audit_log
    FOR EACH ROW EXECUTE FUNCTION security_audit_log_append_only();

CREATE TRIGGER security_audit_log_no_truncate
    BEFORE TRUNCATE ON security_audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION security_audit_log_append_only();
