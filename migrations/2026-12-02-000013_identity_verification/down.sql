ALTER TABLE users
    DROP CONSTRAINT users_adult_needs_verification,
    DROP COLUMN identity_ci_index,
    DROP COLUMN identity_verified_at,
    DROP COLUMN adult,
    DROP COLUMN birth_date;
