-- Identity (adult) verification: the verified birth date (sealed) and the
-- adult status it gave, when it happened, and a blind index of the
-- provider's connecting information (the same person across accounts).
ALTER TABLE users
    ADD COLUMN birth_date           BYTEA,
    ADD COLUMN adult                BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN identity_verified_at TIMESTAMPTZ,
    ADD COLUMN identity_ci_index    BYTEA,
    ADD CONSTRAINT users_adult_needs_verification CHECK (NOT adult OR identity_verified_at IS NOT NULL);
