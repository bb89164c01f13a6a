-- The cash wallet: charged cash (paid for, refundable) and bonus cash
-- (granted by events, expiring, not refundable) are separate lots; spends,
-- restores, refunds and expiries are entries drawn against a lot.
-- Balances are derived, never stored.
CREATE TABLE cash_ledger (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CONSTRAINT cash_ledger_kind_known CHECK (kind IN ('charge', 'bonus', 'spend', 'restore', 'refund')),
    amount            NUMERIC(14, 2) NOT NULL,
    lot_id            BIGINT REFERENCES cash_ledger (id),
    expires_at        TIMESTAMPTZ,
    purchase_order_id UUID,
    -- Where a lot's money came from: one credit per provider transaction
    -- ('toss:<paymentKey>', 'apple:<transactionId>', 'google:<orderId>',
    -- 'grant:<id>'); for a refund, the provider's refund.
    source            TEXT,
    reason            TEXT NOT NULL CONSTRAINT cash_ledger_reason_length CHECK (char_length(reason) BETWEEN 1 AND 200),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT cash_ledger_shape CHECK (
        (kind = 'charge' AND amount > 0 AND lot_id IS NULL AND source IS NOT NULL)
        OR (kind = 'bonus' AND amount > 0 AND lot_id IS NULL AND source IS NOT NULL AND expires_at IS NOT NULL)
        OR (kind IN ('spend', 'refund') AND amount < 0 AND lot_id IS NOT NULL AND expires_at IS NULL)
        OR (kind = 'restore' AND amount > 0 AND lot_id IS NOT NULL AND expires_at IS NULL))
);

CREATE UNIQUE INDEX cash_ledger_source_once ON cash_ledger (source) WHERE kind IN ('charge', 'bonus');
CREATE INDEX cash_ledger_user_idx ON cash_ledger (user_id, id);
CREATE INDEX cash_ledger_lot_idx ON cash_ledger (lot_id) WHERE lot_id IS NOT NULL;
CREATE INDEX cash_ledger_order_idx ON cash_ledger (purchase_order_id) WHERE purchase_order_id IS NOT NULL;

CREATE TRIGGER cash_ledger_append_only
    BEFORE UPDATE ON cash_ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- A shopper's charge of cash through a payment provider.
CREATE TABLE wallet_charges (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount      NUMERIC(14, 2) NOT NULL CONSTRAINT wallet_charges_amount_positive CHECK (amount > 0),
    currency    TEXT NOT NULL DEFAULT 'KRW',
    status      TEXT NOT NULL DEFAULT 'pending' CONSTRAINT wallet_charges_status_known CHECK (status IN ('pending', 'credited', 'failed')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    credited_at TIMESTAMPTZ
);

-- A payment pays an order or a wallet charge.
ALTER TABLE payments ALTER COLUMN purchase_order_id DROP NOT NULL;
ALTER TABLE payments ADD COLUMN wallet_charge_id UUID REFERENCES wallet_charges (id);
ALTER TABLE payments ADD CONSTRAINT payments_pays_one_thing
    CHECK ((purchase_order_id IS NULL) <> (wallet_charge_id IS NULL));
CREATE UNIQUE INDEX payments_one_active_per_charge ON payments (wallet_charge_id)
    WHERE status IN ('pending', 'confirming', 'in_doubt', 'awaiting_deposit', 'succeeded');
