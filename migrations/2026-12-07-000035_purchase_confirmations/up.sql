-- Purchase confirmation: the shopper's, or the schedule's once the carrier
-- delivered (or long after shipping, the shopper told first). A product
-- order confirms once; the row keeps what settlement consumes: the amounts
-- allocated to it, who funded each discount, and the commission in force.
ALTER TABLE product_orders
    ADD COLUMN confirmed_at             TIMESTAMPTZ,
    -- When the shopper was told it would confirm without a delivery event.
    ADD COLUMN confirmation_noticed_at  TIMESTAMPTZ;
-- The schedule's work list.
CREATE INDEX product_orders_awaiting_confirmation ON product_orders (shipped_at)
    WHERE status IN ('shipped', 'delivered');

CREATE TABLE purchase_confirmations (
    product_order_id              UUID PRIMARY KEY REFERENCES product_orders (id),
    purchase_order_id             UUID NOT NULL REFERENCES purchase_orders (id),
    seller_order_id               UUID NOT NULL REFERENCES seller_orders (id),
    seller_id                     UUID NOT NULL REFERENCES sellers (id),
    confirmed_by                  TEXT NOT NULL
                                  CONSTRAINT purchase_confirmations_by_known CHECK (confirmed_by IN ('shopper', 'schedule')),
    confirmed_at                  TIMESTAMPTZ NOT NULL,
    quantity                      INTEGER NOT NULL,
    list_amount                   NUMERIC(14, 2) NOT NULL,
    product_discount              NUMERIC(14, 2) NOT NULL,
    seller_coupon_discount        NUMERIC(14, 2) NOT NULL,
    platform_coupon_discount      NUMERIC(14, 2) NOT NULL,
    -- The part of the platform coupon the vendor funds.
    platform_coupon_seller_funded NUMERIC(14, 2) NOT NULL,
    points                        NUMERIC(14, 2) NOT NULL,
    cash                          NUMERIC(14, 2) NOT NULL,
    payable_amount                NUMERIC(14, 2) NOT NULL,
    commission_rate               NUMERIC(6, 4) NOT NULL,
    points_earned                 NUMERIC(14, 2) NOT NULL DEFAULT 0,
    points_lot_id                 BIGINT
);
CREATE INDEX purchase_confirmations_seller_idx ON purchase_confirmations (seller_id, confirmed_at);
