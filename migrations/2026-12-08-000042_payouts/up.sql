-- Payouts: who settlement pays and how often, and the batches that pay
-- them. A batch claims its entries by stamping its id on them (once: the
-- journal refuses a second stamp); one batch per payee and cut-off.
CREATE TABLE payees (
    payee_kind TEXT NOT NULL,
    payee_id   UUID NOT NULL,
    cycle      TEXT NOT NULL DEFAULT 'weekly'
               CONSTRAINT payees_cycle_known CHECK (cycle IN ('weekly', 'monthly')),
    -- Payouts held (the payee owes more than the cap) until operations
    -- release them.
    held_at     TIMESTAMPTZ,
    held_reason TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (payee_kind, payee_id)
);
INSERT INTO payees (payee_kind, payee_id)
    SELECT DISTINCT payee_kind, payee_id FROM commission_rules;

CREATE TABLE payout_batches (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payee_kind    TEXT NOT NULL,
    payee_id      UUID NOT NULL,
    -- Entries that occurred before this moment were swept.
    cut_off       TIMESTAMPTZ NOT NULL,
    amount        NUMERIC(14, 2) NOT NULL CONSTRAINT payout_batches_amount_positive CHECK (amount > 0),
    status        TEXT NOT NULL DEFAULT 'draft'
                  CONSTRAINT payout_batches_status_known CHECK (status IN ('draft', 'approved', 'exported', 'paid')),
    approved_by   UUID REFERENCES staff_accounts (id),
    approved_at   TIMESTAMPTZ,
    exported_at   TIMESTAMPTZ,
    paid_at       TIMESTAMPTZ,
    -- Transfers the bank bounced, and why the last one did.
    failures      INTEGER NOT NULL DEFAULT 0,
    last_failure  TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT payout_batches_once_per_cut_off UNIQUE (payee_kind, payee_id, cut_off),
    FOREIGN KEY (payee_kind, payee_id) REFERENCES payees (payee_kind, payee_id)
);
CREATE INDEX payout_batches_status ON payout_batches (status, created_at);

ALTER TABLE journal_entries
    ADD CONSTRAINT journal_entries_payout_batch FOREIGN KEY (payout_batch_id) REFERENCES payout_batches (id);
CREATE INDEX journal_entries_unswept ON journal_entries (payee_id, occurred_at) WHERE payout_batch_id IS NULL;
