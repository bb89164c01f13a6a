-- Products a shopper likes; product_stats.like_count follows in the same
-- transaction.
CREATE TABLE wishlist_items (
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);

CREATE INDEX wishlist_items_user_idx ON wishlist_items (user_id, created_at DESC);

-- "Tell me when this SKU is back": notified once, when its available stock
-- goes from zero to more.
CREATE TABLE restock_subscriptions (
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sku_id      UUID NOT NULL REFERENCES skus (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    notified_at TIMESTAMPTZ,
    PRIMARY KEY (user_id, sku_id)
);

CREATE INDEX restock_subscriptions_pending_idx ON restock_subscriptions (sku_id) WHERE notified_at IS NULL;

-- Views per product and day, flushed in batches from Redis counters; the
-- popularity schedule reads the recent days.
CREATE TABLE product_view_days (
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    day        DATE NOT NULL,
    views      BIGINT NOT NULL CONSTRAINT product_view_days_views_range CHECK (views >= 0),
    PRIMARY KEY (product_id, day)
);
