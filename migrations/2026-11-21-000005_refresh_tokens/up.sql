-- Opaque refresh tokens, stored as SHA-256 of the token only. A family is
-- every token descended from one login; presenting a rotated token revokes
-- the family (domain::identity::refresh).
CREATE TABLE refresh_tokens (
    id                UUID PRIMARY KEY,
    family_id         UUID NOT NULL,
    -- The principal and the API it logged in to (shopper, seller staff, ...).
    subject           TEXT NOT NULL,
    audience          TEXT NOT NULL,
    session_id        TEXT NOT NULL,
    device_hash       TEXT NOT NULL,
    token_hash        BYTEA NOT NULL CONSTRAINT refresh_tokens_token_hash_key UNIQUE,
    state             TEXT NOT NULL DEFAULT 'current'
                      CONSTRAINT refresh_tokens_state_known CHECK (state IN ('current', 'rotated', 'revoked')),
    rotated_at        TIMESTAMPTZ,
    issued_at         TIMESTAMPTZ NOT NULL,
    family_started_at TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (subject, session_id);
