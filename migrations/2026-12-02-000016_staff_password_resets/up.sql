-- Emailed password-reset links of staff: the row holds expiry and single
-- use; the link carries the id signed with a server key.
CREATE TABLE staff_password_resets (
    id         UUID PRIMARY KEY,
    staff_id   UUID NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX staff_password_resets_staff_idx ON staff_password_resets (staff_id);
