-- Settlement: commission rules with effective periods, frozen on each
-- product order at placement, and a double-entry journal that balances by
-- construction (checked by the database at commit) and is never rewritten.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The commission a payee (a vendor today) pays: its base rate (no
-- category) and overrides for categories, each in force over a period.
-- Periods of one payee and category never overlap; a change closes the
-- period in force and opens the next, so the base rate has no gaps.
CREATE TABLE commission_rules (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payee_kind      TEXT NOT NULL
                    CONSTRAINT commission_rules_payee_kind_known CHECK (payee_kind IN ('seller')),
    payee_id        UUID NOT NULL,
    category_id     BIGINT REFERENCES categories (id),
    rate            NUMERIC(5, 4) NOT NULL
                    CONSTRAINT commission_rules_rate_range CHECK (rate >= 0 AND rate < 1),
    vat_rate        NUMERIC(5, 4) NOT NULL
                    CONSTRAINT commission_rules_vat_rate_range CHECK (vat_rate >= 0 AND vat_rate < 1),
    effective_from  TIMESTAMPTZ NOT NULL,
    effective_until TIMESTAMPTZ,
    -- The staff account that set it; none for a vendor's first rate.
    set_by          UUID REFERENCES staff_accounts (id),
    reason          TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT commission_rules_period_order CHECK (effective_until IS NULL OR effective_until > effective_from),
    CONSTRAINT commission_rules_no_overlap EXCLUDE USING gist (
        payee_kind WITH =, payee_id WITH =, (COALESCE(category_id, 0)) WITH =,
        tstzrange(effective_from, effective_until) WITH &&
    )
);
CREATE INDEX commission_rules_payee ON commission_rules (payee_id, effective_from);

-- Every vendor's rate so far becomes its base rule. A payee's first rule is
-- in force from the epoch: it covers whatever came before any change.
INSERT INTO commission_rules (payee_kind, payee_id, rate, vat_rate, effective_from, reason)
    SELECT 'seller', id, commission_rate, 0.1000, 'epoch', 'rate before commission rules'
    FROM sellers;

-- The rule that matched at placement, frozen for each product order.
CREATE TABLE product_order_commissions (
    product_order_id UUID PRIMARY KEY REFERENCES product_orders (id),
    rule_id          BIGINT NOT NULL REFERENCES commission_rules (id),
    rate             NUMERIC(5, 4) NOT NULL,
    vat_rate         NUMERIC(5, 4) NOT NULL
);
INSERT INTO product_order_commissions (product_order_id, rule_id, rate, vat_rate)
    SELECT p.id, r.id, so.commission_rate, r.vat_rate
    FROM product_orders p
    JOIN seller_orders so ON so.id = p.seller_order_id
    JOIN commission_rules r ON r.payee_id = p.seller_id AND r.category_id IS NULL;
ALTER TABLE purchase_confirmations ADD COLUMN commission_vat_rate NUMERIC(5, 4);
UPDATE purchase_confirmations c SET commission_vat_rate = t.vat_rate
    FROM product_order_commissions t WHERE t.product_order_id = c.product_order_id;
ALTER TABLE purchase_confirmations ALTER COLUMN commission_vat_rate SET NOT NULL;
ALTER TABLE seller_orders DROP COLUMN commission_rate;
ALTER TABLE sellers DROP COLUMN commission_rate;

-- The chart of accounts. An account kept per payee holds one balance per
-- payee; the payee's net (what the platform owes it) is the sum over those
-- accounts of credits less debits.
CREATE TABLE journal_accounts (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    normal_side TEXT NOT NULL CONSTRAINT journal_accounts_side_known CHECK (normal_side IN ('debit', 'credit')),
    per_payee   BOOLEAN NOT NULL
);
INSERT INTO journal_accounts (code, name, normal_side, per_payee) VALUES
    ('buyer_clearing', 'Buyer payments clearing', 'debit', false),
    ('payee_payable', 'Payable to the payee', 'credit', true),
    ('payee_funded_discounts', 'Discounts the payee funded', 'debit', true),
    ('shipping_collected', 'Shipping fees collected for the payee', 'credit', true),
    ('claims_receivable', 'Claims receivable from the payee', 'debit', true),
    ('commission_revenue', 'Platform commission revenue', 'credit', false),
    ('vat_payable', 'VAT payable on commission', 'credit', false),
    ('promotion_expense', 'Platform-funded promotions', 'debit', false),
    ('provider_fees', 'Payment provider fees', 'debit', false);

-- One business event for one payee. `source` names the event, so an event
-- posts once whoever repeats it.
CREATE TABLE journal_entries (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             TEXT NOT NULL
                     CONSTRAINT journal_entries_kind_known CHECK (kind IN ('earning', 'adjustment', 'clawback', 'shipping', 'payout')),
    source           TEXT NOT NULL CONSTRAINT journal_entries_source_once UNIQUE,
    payee_kind       TEXT NOT NULL,
    payee_id         UUID NOT NULL,
    purchase_order_id UUID REFERENCES purchase_orders (id),
    seller_order_id  UUID REFERENCES seller_orders (id),
    product_order_id UUID REFERENCES product_orders (id),
    occurred_at      TIMESTAMPTZ NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Stamped once by the payout batch that claims the entry.
    payout_batch_id  BIGINT
);
CREATE INDEX journal_entries_payee ON journal_entries (payee_id, occurred_at);
CREATE INDEX journal_entries_product_order ON journal_entries (product_order_id) WHERE product_order_id IS NOT NULL;
CREATE INDEX journal_entries_purchase_order ON journal_entries (purchase_order_id) WHERE purchase_order_id IS NOT NULL;

CREATE TABLE journal_lines (
    entry_id   BIGINT NOT NULL REFERENCES journal_entries (id),
    line_no    SMALLINT NOT NULL,
    account    TEXT NOT NULL REFERENCES journal_accounts (code),
    side       TEXT NOT NULL CONSTRAINT journal_lines_side_known CHECK (side IN ('debit', 'credit')),
    amount     NUMERIC(14, 2) NOT NULL CONSTRAINT journal_lines_amount_positive CHECK (amount > 0),
    PRIMARY KEY (entry_id, line_no)
);
CREATE INDEX journal_lines_account ON journal_lines (account);

-- Σ debit = Σ credit per entry, checked when the transaction commits (the
-- lines of an entry are written one statement at a time).
CREATE FUNCTION journal_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    difference NUMERIC;
BEGIN
    SELECT COALESCE(sum(CASE side WHEN 'debit' THEN amount ELSE -amount END), 0)
        INTO difference FROM journal_lines WHERE entry_id = NEW.entry_id;
    IF difference <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance (debits exceed credits by %)', NEW.entry_id, difference
            USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_entries_balance';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER journal_entries_balance AFTER INSERT ON journal_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_balances();

-- Append-only: lines never change; an entry changes only to be stamped
-- with its payout batch, once.
CREATE FUNCTION journal_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the journal is append-only (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_append_only';
END $$;
CREATE FUNCTION journal_entry_stamp_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.payout_batch_id IS NULL AND NEW.payout_batch_id IS NOT NULL
       AND (to_jsonb(OLD) - 'payout_batch_id') = (to_jsonb(NEW) - 'payout_batch_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the journal is append-only: an entry is only stamped with its payout batch, once'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'journal_append_only';
END $$;
CREATE TRIGGER journal_entries_stamp_only BEFORE UPDATE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_entry_stamp_only();
CREATE TRIGGER journal_entries_append_only BEFORE DELETE ON journal_entries
    FOR EACH ROW EXECUTE FUNCTION journal_refuse_rewrite();
CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON journal_lines
    FOR EACH ROW EXECUTE FUNCTION journal_refuse_rewrite();
