-- Partner platforms that call external-api with signed requests.
CREATE TABLE partners (
    id                    UUID PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE CONSTRAINT partners_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    status                TEXT NOT NULL DEFAULT 'active' CONSTRAINT partners_status_known CHECK (status IN ('active', 'disabled')),
    -- What the partner may call (route scopes, e.g. 'catalog.read').
    scopes                TEXT[] NOT NULL DEFAULT '{}',
    rate_limit_per_minute INTEGER NOT NULL CONSTRAINT partners_rate_limit_positive CHECK (rate_limit_per_minute > 0),
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TRIGGER partners_set_updated_at
    BEFORE UPDATE ON partners
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A partner's credentials: the API key identifies (shown once; stored as a
-- digest, found by its visible prefix), the signing secret signs every
-- request (shown once; HMAC needs it back, so it is sealed, financial class).
CREATE TABLE partner_keys (
    id             UUID PRIMARY KEY,
    partner_id     UUID NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    prefix         TEXT NOT NULL UNIQUE,
    key_hash       BYTEA NOT NULL,
    signing_secret BYTEA NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at     TIMESTAMPTZ
);

CREATE INDEX partner_keys_partner_idx ON partner_keys (partner_id);
