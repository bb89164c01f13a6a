-- Vendors, as far as their staff need them: onboarding adds the rest.
CREATE TABLE sellers (
    id         UUID PRIMARY KEY,
    name       TEXT NOT NULL CONSTRAINT sellers_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    status     TEXT NOT NULL DEFAULT 'applying'
               CONSTRAINT sellers_status_known CHECK (status IN ('applying', 'approved', 'rejected', 'suspended', 'closed')),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TRIGGER sellers_set_updated_at
    BEFORE UPDATE ON sellers
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Vendor staff (kind 'seller', one seller and a fixed role each) and
-- operations staff (kind 'admin', roles below). Each logs in on its own API
-- only. Email and name are sealed; the TOTP secret is sealed too.
CREATE TABLE staff_accounts (
    id              UUID PRIMARY KEY,
    kind            TEXT NOT NULL CONSTRAINT staff_accounts_kind_known CHECK (kind IN ('seller', 'admin')),
    seller_id       UUID REFERENCES sellers (id),
    seller_role     TEXT CONSTRAINT staff_accounts_seller_role_known CHECK (seller_role IN ('owner', 'manager', 'staff')),
    email           BYTEA NOT NULL,
    email_index     BYTEA NOT NULL,
    name            BYTEA NOT NULL,
    password_hash   TEXT,
    status          TEXT NOT NULL
                    CONSTRAINT staff_accounts_status_known CHECK (status IN ('pending_verification', 'invited', 'active', 'disabled')),
    -- When the last emailed link (verification or invitation) was sent.
    link_sent_at    TIMESTAMPTZ,
    totp_secret     BYTEA,
    mfa_enabled_at  TIMESTAMPTZ,
    -- The last TOTP time step accepted: a code is good once.
    totp_last_step  BIGINT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT staff_accounts_seller_fields CHECK (
        (kind = 'seller' AND seller_id IS NOT NULL AND seller_role IS NOT NULL)
        OR (kind = 'admin' AND seller_id IS NULL AND seller_role IS NULL)),
    CONSTRAINT staff_accounts_mfa_needs_secret CHECK (mfa_enabled_at IS NULL OR totp_secret IS NOT NULL),
    CONSTRAINT staff_accounts_active_has_password CHECK (status <> 'active' OR password_hash IS NOT NULL)
);

CREATE UNIQUE INDEX staff_accounts_email_key ON staff_accounts (kind, email_index);
CREATE INDEX staff_accounts_seller_idx ON staff_accounts (seller_id) WHERE seller_id IS NOT NULL;

CREATE TRIGGER staff_accounts_set_updated_at
    BEFORE UPDATE ON staff_accounts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One-time MFA recovery codes, stored as digests.
CREATE TABLE staff_recovery_codes (
    staff_id   UUID NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    code_hash  BYTEA NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (staff_id, code_hash)
);

-- Operations roles and the permissions (named constants in code) they hold.
CREATE TABLE admin_roles (
    id          UUID PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CONSTRAINT admin_roles_name_length CHECK (char_length(name) BETWEEN 1 AND 60),
    description TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TRIGGER admin_roles_set_updated_at
    BEFORE UPDATE ON admin_roles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE admin_role_permissions (
    role_id    UUID NOT NULL REFERENCES admin_roles (id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

CREATE TABLE admin_staff_roles (
    staff_id UUID NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    role_id  UUID NOT NULL REFERENCES admin_roles (id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, role_id)
);

CREATE INDEX admin_staff_roles_role_idx ON admin_staff_roles (role_id);

-- Login attempts on the staff APIs are recorded like shoppers'.
ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_outcome_known;
ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_outcome_known
    CHECK (outcome IN ('succeeded', 'failed', 'throttled', 'not_verified', 'disabled', 'mfa_required'));
