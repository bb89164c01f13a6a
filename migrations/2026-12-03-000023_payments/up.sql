-- Payment attempts at outside providers, every exchange with them, and the
-- provider notifications already applied.

CREATE TABLE payments (
    -- The attempt id; the provider idempotency keys derive from it.
    id                  UUID PRIMARY KEY,
    purchase_order_id   UUID NOT NULL REFERENCES purchase_orders (id),
    buyer               TEXT NOT NULL,
    provider            TEXT NOT NULL CONSTRAINT payments_provider_known CHECK (provider IN ('toss', 'kakaopay', 'paypal')),
    -- pending: created at the provider, not yet approved (nothing charged);
    -- confirming: the approval call is under way; in_doubt: its outcome is
    -- unknown (asked again by reconciliation); awaiting_deposit: a virtual
    -- account waits for the transfer; cancelling: approved, to be cancelled
    -- at the provider (compensation not yet acknowledged).
    status              TEXT NOT NULL CONSTRAINT payments_status_known CHECK (status IN (
                            'pending', 'confirming', 'in_doubt', 'awaiting_deposit',
                            'succeeded', 'failed', 'cancelling', 'cancelled')),
    amount              NUMERIC(14, 2) NOT NULL CONSTRAINT payments_amount_positive CHECK (amount > 0),
    currency            TEXT NOT NULL,
    -- Toss paymentKey, KakaoPay tid, PayPal order id.
    provider_payment_id TEXT,
    -- PayPal capture id (refunds go to the capture).
    provider_capture_id TEXT,
    method              TEXT,
    cancelled_amount    NUMERIC(14, 2) NOT NULL DEFAULT 0,
    failure_code        TEXT,
    failure_message     TEXT,
    deposit_due_at      TIMESTAMPTZ,
    approved_at         TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT payments_cancelled_within_amount CHECK (cancelled_amount BETWEEN 0 AND amount),
    CONSTRAINT payments_succeeded_has_time CHECK (status <> 'succeeded' OR approved_at IS NOT NULL)
);

-- At most one live attempt per order: a second one waits for the first to fail.
CREATE UNIQUE INDEX payments_one_active_per_order ON payments (purchase_order_id)
    WHERE status IN ('pending', 'confirming', 'in_doubt', 'awaiting_deposit', 'succeeded');
-- Confirmation is idempotent on the provider's payment key.
CREATE UNIQUE INDEX payments_provider_payment_key ON payments (provider, provider_payment_id)
    WHERE provider_payment_id IS NOT NULL;
-- What reconciliation and expiry look at.
CREATE INDEX payments_unsettled ON payments (updated_at)
    WHERE status IN ('pending', 'confirming', 'in_doubt', 'awaiting_deposit', 'cancelling');

-- Every call to the provider and every notification, with the provider's
-- answer (secrets and personal data masked). Append-only.
CREATE TABLE payment_events (
    id          BIGSERIAL PRIMARY KEY,
    payment_id  UUID NOT NULL REFERENCES payments (id),
    kind        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    answer      JSONB,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payment_events_payment ON payment_events (payment_id, id);

-- Provider notifications already applied, stored with their effect.
CREATE TABLE provider_events (
    provider    TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id)
);
