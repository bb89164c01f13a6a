-- Claims on product orders after payment: a cancel before shipping, a
-- return or an exchange after delivery. A claim's plan (what goes back to
-- each source, and every line's shares after it) is quoted before it is
-- made and carried out as quoted; one claim per order is open at a time, so
-- nothing moves under a plan while it waits.

-- Which coupons counted a line towards their minimum: a claim prices them
-- again on what remains. Orders placed before this knew only the shares.
ALTER TABLE product_orders
    ADD COLUMN seller_coupon_applies   BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN platform_coupon_applies BOOLEAN NOT NULL DEFAULT FALSE,
    -- The claim that took the line out of the order (cancelled or returned);
    -- its money shares stay as they were when it left.
    ADD COLUMN claim_id                UUID;
UPDATE product_orders
   SET seller_coupon_applies = seller_coupon_discount > 0,
       platform_coupon_applies = platform_coupon_discount > 0;
ALTER TABLE product_orders DROP CONSTRAINT product_orders_status_known;
ALTER TABLE product_orders ADD CONSTRAINT product_orders_status_known
    CHECK (status IN ('pending_payment', 'paid', 'cancelled', 'expired', 'preparing', 'shipped', 'delivered', 'confirmed', 'returned'));

-- What claims kept for the vendor (return fees), and the sources that paid it.
ALTER TABLE seller_orders
    ADD COLUMN claim_fees         NUMERIC(14, 2) NOT NULL DEFAULT 0,
    ADD COLUMN claim_fees_points  NUMERIC(14, 2) NOT NULL DEFAULT 0,
    ADD COLUMN claim_fees_cash    NUMERIC(14, 2) NOT NULL DEFAULT 0,
    ADD COLUMN claim_fees_payable NUMERIC(14, 2) NOT NULL DEFAULT 0,
    ADD CONSTRAINT seller_orders_claim_fees_add_up CHECK (
        claim_fees_points >= 0 AND claim_fees_cash >= 0 AND claim_fees_payable >= 0
        AND claim_fees = claim_fees_points + claim_fees_cash + claim_fees_payable);

CREATE TABLE claims (
    id                              UUID PRIMARY KEY,
    purchase_order_id               UUID NOT NULL REFERENCES purchase_orders (id),
    user_id                         UUID REFERENCES users (id),
    kind                            TEXT NOT NULL CONSTRAINT claims_kind_known CHECK (kind IN ('cancel', 'return', 'exchange')),
    reason                          TEXT NOT NULL CONSTRAINT claims_reason_known CHECK (reason IN (
                                        'change_of_mind', 'wrong_option_ordered', 'defective', 'not_as_described',
                                        'wrong_item_sent', 'damaged_in_transit', 'lost_in_transit', 'sold_out',
                                        'dispatch_delayed')),
    fault                           TEXT NOT NULL CONSTRAINT claims_fault_known CHECK (fault IN ('buyer', 'vendor', 'carrier')),
    note                            TEXT CONSTRAINT claims_note_length CHECK (char_length(note) <= 1000),
    requested_by                    TEXT NOT NULL CONSTRAINT claims_requested_by_known CHECK (requested_by IN ('shopper', 'vendor', 'staff')),
    status                          TEXT NOT NULL CONSTRAINT claims_status_known CHECK (status IN (
                                        'requested', 'approved', 'received', 'completed', 'rejected', 'withdrawn')),
    held_back                       BOOLEAN NOT NULL DEFAULT FALSE,
    holdback_reason                 TEXT CONSTRAINT claims_holdback_reason_length CHECK (char_length(holdback_reason) <= 500),
    decision_note                   TEXT CONSTRAINT claims_decision_note_length CHECK (char_length(decision_note) <= 500),
    -- The plan as quoted: refund per source, coupon discount released,
    -- shipping given back (negative when a spared fee is charged), and
    -- every line's and vendor order's amounts after it (JSON).
    refund_payable                  NUMERIC(14, 2) NOT NULL,
    refund_points                   NUMERIC(14, 2) NOT NULL,
    refund_cash                     NUMERIC(14, 2) NOT NULL,
    seller_coupon_released          NUMERIC(14, 2) NOT NULL,
    platform_coupon_released        NUMERIC(14, 2) NOT NULL,
    platform_seller_funded_released NUMERIC(14, 2) NOT NULL,
    shipping_released               NUMERIC(14, 2) NOT NULL,
    fees_kept                       NUMERIC(14, 2) NOT NULL,
    plan                            JSONB NOT NULL,
    received_at                     TIMESTAMPTZ,
    -- The Korean date the refund is due once the item is back.
    refund_due                      DATE,
    -- When the plan was carried out: lines closed, sources given back.
    executed_at                     TIMESTAMPTZ,
    created_at                      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT claims_refund_non_negative CHECK (refund_payable >= 0 AND refund_points >= 0 AND refund_cash >= 0),
    CONSTRAINT claims_completed_executed CHECK ((status = 'completed') = (executed_at IS NOT NULL))
);
CREATE UNIQUE INDEX claims_one_open_per_order ON claims (purchase_order_id)
    WHERE status IN ('requested', 'approved', 'received');
CREATE INDEX claims_user_idx ON claims (user_id, created_at DESC);
CREATE INDEX claims_created_idx ON claims (created_at DESC);

ALTER TABLE product_orders ADD CONSTRAINT product_orders_claim_fk FOREIGN KEY (claim_id) REFERENCES claims (id);

CREATE TABLE claim_lines (
    claim_id         UUID NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    product_order_id UUID NOT NULL REFERENCES product_orders (id),
    seller_order_id  UUID NOT NULL REFERENCES seller_orders (id),
    seller_id        UUID NOT NULL REFERENCES sellers (id),
    -- Whether the returned unit went back on sale.
    restocked        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (claim_id, product_order_id)
);
CREATE INDEX claim_lines_product_order_idx ON claim_lines (product_order_id);
CREATE INDEX claim_lines_seller_idx ON claim_lines (seller_id, claim_id);

-- The card part of a claim's refund, one step per provider payment, settled
-- on its own under its own idempotency key (`claim-refund-<claim>-<step>`): refunded,
-- refused (operations pay it another way), or pending while the provider's
-- answer is unknown (reconciliation asks again with the same key).
CREATE TABLE claim_refunds (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    claim_id        UUID NOT NULL REFERENCES claims (id),
    payment_id      UUID NOT NULL REFERENCES payments (id),
    amount          NUMERIC(14, 2) NOT NULL CONSTRAINT claim_refunds_amount_positive CHECK (amount > 0),
    status          TEXT NOT NULL DEFAULT 'pending'
                    CONSTRAINT claim_refunds_status_known CHECK (status IN ('pending', 'refunded', 'failed')),
    failure_code    TEXT,
    failure_message TEXT,
    unanswered      INTEGER NOT NULL DEFAULT 0,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT claim_refunds_failure_explained CHECK ((status = 'failed') = (failure_code IS NOT NULL))
);
CREATE UNIQUE INDEX claim_refunds_once_per_payment ON claim_refunds (claim_id, payment_id);
CREATE INDEX claim_refunds_pending ON claim_refunds (updated_at) WHERE status = 'pending';
