-- The commission in force for a vendor; each vendor order keeps a snapshot.
ALTER TABLE sellers
    ADD COLUMN commission_rate NUMERIC(5, 4) NOT NULL DEFAULT 0.1000
        CONSTRAINT sellers_commission_rate_range CHECK (commission_rate >= 0 AND commission_rate < 1);

-- One cart per shopper: a member (owner = user id) or a guest (owner = the
-- guest token's subject).
CREATE TABLE carts (
    id         UUID PRIMARY KEY,
    owner      TEXT NOT NULL CONSTRAINT carts_owner_key UNIQUE
               CONSTRAINT carts_owner_length CHECK (char_length(owner) BETWEEN 1 AND 80),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TRIGGER carts_set_updated_at
    BEFORE UPDATE ON carts
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE cart_items (
    id         UUID PRIMARY KEY,
    cart_id    UUID NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    sku_id     UUID NOT NULL REFERENCES skus (id) ON DELETE CASCADE,
    quantity   INTEGER NOT NULL CONSTRAINT cart_items_quantity_range CHECK (quantity BETWEEN 1 AND 999),
    -- The unit price the shopper saw when adding: checkout reports changes.
    price_seen NUMERIC(14, 2) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT cart_items_one_line_per_sku UNIQUE (cart_id, sku_id)
);

CREATE TRIGGER cart_items_set_updated_at
    BEFORE UPDATE ON cart_items
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Coupon definitions: a vendor's own (seller_id set, vendor-funded) or the
-- platform's (seller_id NULL, funding split by seller_share_percent).
CREATE TABLE coupons (
    id                         UUID PRIMARY KEY,
    seller_id                  UUID REFERENCES sellers (id),
    name                       TEXT NOT NULL CONSTRAINT coupons_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    issue_method               TEXT NOT NULL
                               CONSTRAINT coupons_issue_method_known CHECK (issue_method IN ('download', 'code', 'auto')),
    code                       TEXT CONSTRAINT coupons_code_format CHECK (code ~ '^[A-Z0-9-]{4,32}$'),
    -- For automatic issuance: the event that issues it.
    auto_trigger               TEXT CONSTRAINT coupons_auto_trigger_known CHECK (auto_trigger IN ('signup')),
    discount_kind              TEXT NOT NULL CONSTRAINT coupons_discount_kind_known CHECK (discount_kind IN ('fixed', 'percent')),
    discount_amount            NUMERIC(14, 2),
    discount_percent           NUMERIC(5, 2),
    max_discount               NUMERIC(14, 2),
    min_purchase               NUMERIC(14, 2) NOT NULL DEFAULT 0,
    scope                      TEXT NOT NULL DEFAULT 'all'
                               CONSTRAINT coupons_scope_known CHECK (scope IN ('all', 'categories', 'sellers', 'products')),
    scope_category_ids         BIGINT[] NOT NULL DEFAULT '{}',
    scope_ids                  UUID[] NOT NULL DEFAULT '{}',
    excluded_product_ids       UUID[] NOT NULL DEFAULT '{}',
    valid_from                 TIMESTAMPTZ NOT NULL,
    valid_until                TIMESTAMPTZ NOT NULL,
    -- A claimed coupon expires this many days after the claim (never after valid_until).
    usable_days                INTEGER CONSTRAINT coupons_usable_days_range CHECK (usable_days BETWEEN 1 AND 3650),
    seller_share_percent       NUMERIC(5, 2) NOT NULL DEFAULT 0
                               CONSTRAINT coupons_seller_share_range CHECK (seller_share_percent BETWEEN 0 AND 100),
    stacks_with_seller_coupons BOOLEAN NOT NULL DEFAULT TRUE,
    per_user_limit             INTEGER NOT NULL DEFAULT 1 CONSTRAINT coupons_per_user_limit_range CHECK (per_user_limit BETWEEN 1 AND 100),
    total_limit                INTEGER CONSTRAINT coupons_total_limit_range CHECK (total_limit >= 1),
    issued_count               INTEGER NOT NULL DEFAULT 0,
    is_active                  BOOLEAN NOT NULL DEFAULT TRUE,
    created_by                 UUID REFERENCES staff_accounts (id),
    version                    INTEGER NOT NULL DEFAULT 1,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT coupons_issued_within_limit CHECK (issued_count >= 0 AND (total_limit IS NULL OR issued_count <= total_limit)),
    CONSTRAINT coupons_benefit_shape CHECK (
        (discount_kind = 'fixed' AND discount_amount > 0 AND discount_percent IS NULL AND max_discount IS NULL)
        OR (discount_kind = 'percent' AND discount_amount IS NULL AND discount_percent > 0 AND discount_percent <= 100
            AND (max_discount IS NULL OR max_discount > 0))),
    CONSTRAINT coupons_window CHECK (valid_from < valid_until),
    CONSTRAINT coupons_code_matches_method CHECK ((issue_method = 'code') = (code IS NOT NULL)),
    CONSTRAINT coupons_trigger_matches_method CHECK ((issue_method = 'auto') = (auto_trigger IS NOT NULL)),
    CONSTRAINT coupons_vendor_funds_all CHECK (seller_id IS NULL OR seller_share_percent = 0)
);

CREATE UNIQUE INDEX coupons_code_key ON coupons (code) WHERE code IS NOT NULL;
CREATE INDEX coupons_seller_idx ON coupons (seller_id, created_at DESC);
CREATE INDEX coupons_auto_idx ON coupons (auto_trigger) WHERE issue_method = 'auto' AND is_active;

CREATE TRIGGER coupons_set_updated_at
    BEFORE UPDATE ON coupons
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- A coupon in a member's hands: available, held by an unpaid order, used.
CREATE TABLE coupon_issues (
    id                UUID PRIMARY KEY,
    coupon_id         UUID NOT NULL REFERENCES coupons (id),
    user_id           UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state             TEXT NOT NULL DEFAULT 'available'
                      CONSTRAINT coupon_issues_state_known CHECK (state IN ('available', 'held', 'used')),
    purchase_order_id UUID,
    expires_at        TIMESTAMPTZ NOT NULL,
    used_at           TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT coupon_issues_order_when_taken CHECK ((state = 'available') = (purchase_order_id IS NULL))
);

CREATE INDEX coupon_issues_user_idx ON coupon_issues (user_id, state, expires_at);
CREATE INDEX coupon_issues_coupon_user_idx ON coupon_issues (coupon_id, user_id);

CREATE TRIGGER coupon_issues_set_updated_at
    BEFORE UPDATE ON coupon_issues
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Points: grants (lots with an expiry) and entries drawn against a lot
-- (spend negative, restore positive). A lot's balance is its grant plus its
-- entries; nothing is ever updated.
CREATE TABLE point_ledger (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CONSTRAINT point_ledger_kind_known CHECK (kind IN ('grant', 'spend', 'restore')),
    amount            NUMERIC(14, 2) NOT NULL,
    lot_id            BIGINT REFERENCES point_ledger (id),
    expires_at        TIMESTAMPTZ,
    purchase_order_id UUID,
    reason            TEXT NOT NULL CONSTRAINT point_ledger_reason_length CHECK (char_length(reason) BETWEEN 1 AND 200),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT point_ledger_shape CHECK (
        (kind = 'grant' AND amount > 0 AND lot_id IS NULL AND expires_at IS NOT NULL)
        OR (kind = 'spend' AND amount < 0 AND lot_id IS NOT NULL AND expires_at IS NULL)
        OR (kind = 'restore' AND amount > 0 AND lot_id IS NOT NULL AND expires_at IS NULL))
);

CREATE INDEX point_ledger_user_idx ON point_ledger (user_id, id);
CREATE INDEX point_ledger_lot_idx ON point_ledger (lot_id) WHERE lot_id IS NOT NULL;
CREATE INDEX point_ledger_order_idx ON point_ledger (purchase_order_id) WHERE purchase_order_id IS NOT NULL;

CREATE TRIGGER point_ledger_append_only
    BEFORE UPDATE ON point_ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE SEQUENCE order_no_seq;

-- One customer payment.
CREATE TABLE purchase_orders (
    id                            UUID PRIMARY KEY,
    -- Shown to people: the day (Korea time) and a running number.
    order_no                      TEXT NOT NULL DEFAULT (to_char(now() AT TIME ZONE 'Asia/Seoul', 'YYYYMMDD') || lpad(nextval('order_no_seq')::text, 8, '0'))
                                  CONSTRAINT purchase_orders_order_no_key UNIQUE,
    buyer                         TEXT NOT NULL,
    user_id                       UUID REFERENCES users (id),
    status                        TEXT NOT NULL DEFAULT 'pending_payment'
                                  CONSTRAINT purchase_orders_status_known CHECK (status IN ('pending_payment', 'paid', 'cancelled', 'expired')),
    currency                      TEXT NOT NULL DEFAULT 'KRW',
    list_amount                   NUMERIC(14, 2) NOT NULL,
    product_discount              NUMERIC(14, 2) NOT NULL,
    seller_coupon_discount        NUMERIC(14, 2) NOT NULL,
    platform_coupon_discount      NUMERIC(14, 2) NOT NULL,
    platform_coupon_seller_funded NUMERIC(14, 2) NOT NULL,
    shipping_fee                  NUMERIC(14, 2) NOT NULL,
    points                        NUMERIC(14, 2) NOT NULL,
    cash                          NUMERIC(14, 2) NOT NULL,
    payable_amount                NUMERIC(14, 2) NOT NULL,
    platform_coupon_issue_id      UUID REFERENCES coupon_issues (id),
    orderer_name                  BYTEA NOT NULL,
    orderer_phone                 BYTEA NOT NULL,
    orderer_phone_index           BYTEA NOT NULL,
    recipient_name                BYTEA NOT NULL,
    recipient_phone               BYTEA NOT NULL,
    shipping_address              BYTEA NOT NULL,
    postal_code                   TEXT NOT NULL CONSTRAINT purchase_orders_postal_code_format CHECK (postal_code ~ '^[0-9]{5}$'),
    remote_area                   BOOLEAN NOT NULL,
    expires_at                    TIMESTAMPTZ NOT NULL,
    payment_method                TEXT,
    paid_at                       TIMESTAMPTZ,
    cancelled_at                  TIMESTAMPTZ,
    cancel_reason                 TEXT,
    version                       INTEGER NOT NULL DEFAULT 1,
    created_at                    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT purchase_orders_amounts_non_negative CHECK (
        list_amount >= 0 AND product_discount >= 0 AND seller_coupon_discount >= 0 AND platform_coupon_discount >= 0
        AND platform_coupon_seller_funded BETWEEN 0 AND platform_coupon_discount
        AND shipping_fee >= 0 AND points >= 0 AND cash >= 0 AND payable_amount >= 0),
    CONSTRAINT purchase_orders_amounts_add_up CHECK (
        payable_amount = list_amount - product_discount - seller_coupon_discount - platform_coupon_discount
                         + shipping_fee - points - cash),
    CONSTRAINT purchase_orders_paid_has_time CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);

CREATE INDEX purchase_orders_buyer_idx ON purchase_orders (buyer, created_at DESC);
CREATE INDEX purchase_orders_pending_idx ON purchase_orders (expires_at) WHERE status = 'pending_payment';
CREATE INDEX purchase_orders_created_idx ON purchase_orders (created_at DESC);

CREATE TRIGGER purchase_orders_set_updated_at
    BEFORE UPDATE ON purchase_orders
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One vendor's part of a purchase: the unit of shipment and settlement.
CREATE TABLE seller_orders (
    id                     UUID PRIMARY KEY,
    purchase_order_id      UUID NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
    seller_id              UUID NOT NULL REFERENCES sellers (id),
    status                 TEXT NOT NULL DEFAULT 'pending_payment'
                           CONSTRAINT seller_orders_status_known CHECK (status IN ('pending_payment', 'paid', 'cancelled', 'expired')),
    seller_coupon_issue_id UUID REFERENCES coupon_issues (id),
    items_amount           NUMERIC(14, 2) NOT NULL,
    shipping_fee           NUMERIC(14, 2) NOT NULL CONSTRAINT seller_orders_shipping_fee_range CHECK (shipping_fee >= 0),
    shipping_points        NUMERIC(14, 2) NOT NULL CONSTRAINT seller_orders_shipping_points_range CHECK (shipping_points >= 0),
    shipping_cash          NUMERIC(14, 2) NOT NULL CONSTRAINT seller_orders_shipping_cash_range CHECK (shipping_cash >= 0),
    shipping_payable       NUMERIC(14, 2) NOT NULL,
    commission_rate        NUMERIC(5, 4) NOT NULL,
    settlement_status      TEXT NOT NULL DEFAULT 'unsettled'
                           CONSTRAINT seller_orders_settlement_status_known CHECK (settlement_status IN ('unsettled', 'settled')),
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT seller_orders_one_per_vendor UNIQUE (purchase_order_id, seller_id),
    CONSTRAINT seller_orders_shipping_adds_up CHECK (shipping_payable = shipping_fee - shipping_points - shipping_cash AND shipping_payable >= 0)
);

CREATE INDEX seller_orders_seller_idx ON seller_orders (seller_id, created_at DESC);

CREATE TRIGGER seller_orders_set_updated_at
    BEFORE UPDATE ON seller_orders
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One SKU line, with its share of every discount and payment source.
CREATE TABLE product_orders (
    id                            UUID PRIMARY KEY,
    seller_order_id               UUID NOT NULL REFERENCES seller_orders (id) ON DELETE CASCADE,
    purchase_order_id             UUID NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
    seller_id                     UUID NOT NULL REFERENCES sellers (id),
    product_id                    UUID NOT NULL REFERENCES products (id),
    sku_id                        UUID NOT NULL REFERENCES skus (id),
    product_name                  TEXT NOT NULL,
    sku_code                      TEXT NOT NULL,
    option_values                 TEXT[] NOT NULL,
    status                        TEXT NOT NULL DEFAULT 'pending_payment'
                                  CONSTRAINT product_orders_status_known CHECK (status IN ('pending_payment', 'paid', 'cancelled', 'expired')),
    quantity                      INTEGER NOT NULL CONSTRAINT product_orders_quantity_range CHECK (quantity BETWEEN 1 AND 999),
    unit_list_price               NUMERIC(14, 2) NOT NULL,
    unit_price                    NUMERIC(14, 2) NOT NULL,
    list_amount                   NUMERIC(14, 2) NOT NULL,
    product_discount              NUMERIC(14, 2) NOT NULL,
    seller_coupon_discount        NUMERIC(14, 2) NOT NULL,
    platform_coupon_discount      NUMERIC(14, 2) NOT NULL,
    platform_coupon_seller_funded NUMERIC(14, 2) NOT NULL,
    points                        NUMERIC(14, 2) NOT NULL,
    cash                          NUMERIC(14, 2) NOT NULL,
    payable_amount                NUMERIC(14, 2) NOT NULL,
    created_at                    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT product_orders_amounts_non_negative CHECK (
        product_discount >= 0 AND seller_coupon_discount >= 0 AND platform_coupon_discount >= 0
        AND platform_coupon_seller_funded BETWEEN 0 AND platform_coupon_discount
        AND points >= 0 AND cash >= 0 AND payable_amount >= 0),
    CONSTRAINT product_orders_amounts_add_up CHECK (
        list_amount = unit_list_price * quantity
        AND payable_amount = list_amount - product_discount - seller_coupon_discount - platform_coupon_discount - points - cash)
);

CREATE INDEX product_orders_purchase_idx ON product_orders (purchase_order_id);
CREATE INDEX product_orders_seller_order_idx ON product_orders (seller_order_id);

CREATE TRIGGER product_orders_set_updated_at
    BEFORE UPDATE ON product_orders
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Stock held for an unpaid order: committed on payment, released on expiry
-- or cancellation.
CREATE TABLE inventory_reservations (
    id                UUID PRIMARY KEY,
    sku_id            UUID NOT NULL REFERENCES skus (id),
    purchase_order_id UUID NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
    holder            TEXT NOT NULL,
    quantity          INTEGER NOT NULL CONSTRAINT inventory_reservations_quantity_range CHECK (quantity BETWEEN 1 AND 999),
    state             TEXT NOT NULL DEFAULT 'held'
                      CONSTRAINT inventory_reservations_state_known CHECK (state IN ('held', 'committed', 'released')),
    expires_at        TIMESTAMPTZ NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT inventory_reservations_one_per_sku UNIQUE (purchase_order_id, sku_id)
);

CREATE INDEX inventory_reservations_held_holder_idx ON inventory_reservations (holder) WHERE state = 'held';

CREATE TRIGGER inventory_reservations_set_updated_at
    BEFORE UPDATE ON inventory_reservations
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Requests that move money or stock, by the caller's Idempotency-Key: the
-- first answer is kept and replayed; a key still running is refused.
CREATE TABLE idempotency_keys (
    scope           TEXT NOT NULL,
    key             TEXT NOT NULL CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 200),
    request_hash    BYTEA NOT NULL,
    response_status INTEGER,
    response_body   JSONB,
    locked_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key),
    CONSTRAINT idempotency_keys_response_complete CHECK ((response_status IS NULL) = (response_body IS NULL))
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
