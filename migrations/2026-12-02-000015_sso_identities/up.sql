-- Accounts linked to an outside identity provider. The provider's subject
-- is kept only as a blind index; its tokens are never stored.
CREATE TABLE sso_identities (
    id            UUID PRIMARY KEY,
    provider      TEXT NOT NULL,
    subject_index BYTEA NOT NULL,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT sso_identities_subject_key UNIQUE (provider, subject_index),
    CONSTRAINT sso_identities_user_key UNIQUE (provider, user_id)
);
