CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE brands (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       TEXT NOT NULL CONSTRAINT brands_slug_key UNIQUE
               CONSTRAINT brands_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 64),
    name       TEXT NOT NULL CONSTRAINT brands_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    is_active  BOOLEAN NOT NULL DEFAULT TRUE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TRIGGER brands_set_updated_at
    BEFORE UPDATE ON brands
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- What a vendor sells. Counters that change with every like, review or view
-- live in product_stats, so they never bump the editable row's version.
CREATE TABLE products (
    id              UUID PRIMARY KEY,
    seller_id       UUID NOT NULL REFERENCES sellers (id),
    category_id     BIGINT NOT NULL REFERENCES categories (id),
    brand_id        BIGINT REFERENCES brands (id),
    name            TEXT NOT NULL CONSTRAINT products_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
    description     TEXT NOT NULL DEFAULT '' CONSTRAINT products_description_length CHECK (char_length(description) <= 20000),
    status          TEXT NOT NULL DEFAULT 'draft'
                    CONSTRAINT products_status_known CHECK (status IN ('draft', 'on_sale', 'sold_out', 'hidden', 'banned')),
    adult_only      BOOLEAN NOT NULL DEFAULT FALSE,
    max_per_order   INTEGER CONSTRAINT products_max_per_order_range CHECK (max_per_order BETWEEN 1 AND 999),
    -- The lowest list price of its SKUs, for sorting and filtering lists.
    min_price       NUMERIC(14, 2) NOT NULL DEFAULT 0 CONSTRAINT products_min_price_range CHECK (min_price >= 0),
    moderation_note TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX products_seller_idx ON products (seller_id, created_at DESC);
CREATE INDEX products_category_idx ON products (category_id);
CREATE INDEX products_brand_idx ON products (brand_id) WHERE brand_id IS NOT NULL;
CREATE INDEX products_listing_idx ON products (created_at DESC, id DESC) WHERE status IN ('on_sale', 'sold_out');
-- Keyword search that works for Korean (no word stemming needed): trigrams.
CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops);
CREATE INDEX products_description_trgm_idx ON products USING gin (description gin_trgm_ops);

CREATE TRIGGER products_set_updated_at
    BEFORE UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE product_stats (
    product_id   UUID PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    review_count INTEGER NOT NULL DEFAULT 0 CONSTRAINT product_stats_review_count_range CHECK (review_count >= 0),
    rating_sum   INTEGER NOT NULL DEFAULT 0 CONSTRAINT product_stats_rating_sum_range CHECK (rating_sum >= 0),
    like_count   INTEGER NOT NULL DEFAULT 0 CONSTRAINT product_stats_like_count_range CHECK (like_count >= 0),
    view_count   BIGINT NOT NULL DEFAULT 0,
    popularity   DOUBLE PRECISION NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Options in display order (e.g. Colour: Black, Indigo; Size: S, M, L);
-- their combinations are the SKUs.
CREATE TABLE product_options (
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   SMALLINT NOT NULL CONSTRAINT product_options_position_range CHECK (position BETWEEN 0 AND 2),
    name       TEXT NOT NULL CONSTRAINT product_options_name_length CHECK (char_length(name) BETWEEN 1 AND 50),
    "values"   TEXT[] NOT NULL CONSTRAINT product_options_values_count CHECK (cardinality("values") BETWEEN 1 AND 50),
    PRIMARY KEY (product_id, position)
);

-- One sellable combination. Stock: on_hand minus reserved is available;
-- reserving is one conditional UPDATE, so it can never go below zero.
CREATE TABLE skus (
    id             UUID PRIMARY KEY,
    product_id     UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    seller_id      UUID NOT NULL REFERENCES sellers (id),
    code           TEXT NOT NULL CONSTRAINT skus_code_format CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    option_values  TEXT[] NOT NULL DEFAULT '{}',
    list_price     NUMERIC(14, 2) NOT NULL CONSTRAINT skus_list_price_range CHECK (list_price > 0),
    sale_price     NUMERIC(14, 2) CONSTRAINT skus_sale_price_range CHECK (sale_price > 0 AND sale_price <= list_price),
    sale_starts_at TIMESTAMPTZ,
    sale_ends_at   TIMESTAMPTZ,
    on_hand        INTEGER NOT NULL DEFAULT 0 CONSTRAINT skus_on_hand_range CHECK (on_hand >= 0),
    reserved       INTEGER NOT NULL DEFAULT 0 CONSTRAINT skus_reserved_range CHECK (reserved >= 0 AND reserved <= on_hand),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT skus_sale_window CHECK (sale_starts_at IS NULL OR sale_ends_at IS NULL OR sale_starts_at < sale_ends_at),
    CONSTRAINT skus_window_needs_sale_price CHECK (sale_price IS NOT NULL OR (sale_starts_at IS NULL AND sale_ends_at IS NULL))
);

CREATE UNIQUE INDEX skus_seller_code_key ON skus (seller_id, code);
CREATE UNIQUE INDEX skus_product_options_key ON skus (product_id, option_values);
CREATE INDEX skus_product_idx ON skus (product_id);

CREATE TRIGGER skus_set_updated_at
    BEFORE UPDATE ON skus
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Ledgers: appended, never changed.
CREATE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

-- Every price a SKU has had, and who set it.
CREATE TABLE price_history (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku_id         UUID NOT NULL REFERENCES skus (id) ON DELETE CASCADE,
    list_price     NUMERIC(14, 2) NOT NULL,
    sale_price     NUMERIC(14, 2),
    sale_starts_at TIMESTAMPTZ,
    sale_ends_at   TIMESTAMPTZ,
    changed_by     UUID REFERENCES staff_accounts (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX price_history_sku_idx ON price_history (sku_id, id);

CREATE TRIGGER price_history_append_only
    BEFORE UPDATE ON price_history
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- Every change of stock on hand: how much, why, and what caused it.
CREATE TABLE inventory_movements (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku_id        UUID NOT NULL REFERENCES skus (id) ON DELETE CASCADE,
    delta         INTEGER NOT NULL CONSTRAINT inventory_movements_delta_nonzero CHECK (delta <> 0),
    reason        TEXT NOT NULL
                  CONSTRAINT inventory_movements_reason_known CHECK (reason IN ('initial', 'restock', 'adjustment', 'damaged', 'returned', 'sold', 'cancelled')),
    reference     TEXT CONSTRAINT inventory_movements_reference_length CHECK (char_length(reference) <= 200),
    on_hand_after INTEGER NOT NULL CONSTRAINT inventory_movements_on_hand_after_range CHECK (on_hand_after >= 0),
    actor_id      UUID,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX inventory_movements_sku_idx ON inventory_movements (sku_id, id);

CREATE TRIGGER inventory_movements_append_only
    BEFORE UPDATE ON inventory_movements
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
