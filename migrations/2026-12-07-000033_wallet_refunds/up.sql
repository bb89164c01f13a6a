-- A shopper's refund of unused charged cash is recorded, and the cash
-- taken out of the wallet, before any provider is asked; each lot's
-- cancellation is then settled on its own: refunded, or refused (the cash
-- goes back to the lot), or left pending while its outcome is unknown
-- (reconciliation asks again with the same idempotency key).
CREATE TABLE wallet_refunds (
    id             UUID PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount         NUMERIC(14, 2) NOT NULL CONSTRAINT wallet_refunds_amount_positive CHECK (amount > 0),
    -- Where a virtual-account payment's money goes back (bank code, account
    -- number, holder), sealed; erased once no lot of the refund is pending.
    refund_account BYTEA,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX wallet_refunds_user_idx ON wallet_refunds (user_id, created_at DESC);

CREATE TABLE wallet_refund_lots (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    refund_id       UUID NOT NULL REFERENCES wallet_refunds (id) ON DELETE CASCADE,
    lot_id          BIGINT NOT NULL REFERENCES cash_ledger (id),
    payment_id      UUID NOT NULL REFERENCES payments (id),
    amount          NUMERIC(14, 2) NOT NULL CONSTRAINT wallet_refund_lots_amount_positive CHECK (amount > 0),
    status          TEXT NOT NULL DEFAULT 'pending'
                    CONSTRAINT wallet_refund_lots_status_known CHECK (status IN ('pending', 'refunded', 'failed')),
    failure_code    TEXT,
    failure_message TEXT,
    -- Calls to the provider that got no definitive answer.
    unanswered      INTEGER NOT NULL DEFAULT 0,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT wallet_refund_lots_failure_explained CHECK ((status = 'failed') = (failure_code IS NOT NULL))
);
CREATE INDEX wallet_refund_lots_refund_idx ON wallet_refund_lots (refund_id, id);
CREATE INDEX wallet_refund_lots_pending ON wallet_refund_lots (updated_at) WHERE status = 'pending';

-- A refund lot takes its cash once and, if refused, gives it back once:
-- its ledger entries carry its id as their source.
CREATE UNIQUE INDEX cash_ledger_wallet_refund_once ON cash_ledger (source, kind)
    WHERE kind IN ('refund', 'restore') AND source IS NOT NULL;
