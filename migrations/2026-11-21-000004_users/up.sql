-- Shoppers. Personal data is sealed by the application (crypto::Sealed):
-- these BYTEA columns hold ciphertext only; lookups and uniqueness go
-- through HMAC blind indexes.
CREATE TABLE users (
    id                UUID PRIMARY KEY,
    email             BYTEA NOT NULL,
    email_index       BYTEA NOT NULL,
    name              BYTEA NOT NULL,
    phone             BYTEA,
    phone_index       BYTEA,
    password_hash     TEXT,
    status            TEXT NOT NULL DEFAULT 'pending_verification'
                      CONSTRAINT users_status_known CHECK (status IN ('pending_verification', 'active', 'deleted')),
    email_verified_at TIMESTAMPTZ,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT users_phone_pairs_index CHECK ((phone IS NULL) = (phone_index IS NULL))
);

-- A deleted account frees its email and phone for a new sign-up.
CREATE UNIQUE INDEX users_email_index_key ON users (email_index) WHERE status <> 'deleted';
CREATE UNIQUE INDEX users_phone_index_key ON users (phone_index) WHERE phone_index IS NOT NULL AND status <> 'deleted';

CREATE TRIGGER users_set_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Emailed links (sign-up verification, email change): the row holds expiry
-- and single use; the link carries the id signed with a server key.
CREATE TABLE email_verifications (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CONSTRAINT email_verifications_purpose_known CHECK (purpose IN ('signup', 'email_change')),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX email_verifications_user_idx ON email_verifications (user_id);
