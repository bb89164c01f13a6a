-- A product order moves on after payment: shipped, delivered, then confirmed
-- by the buyer (fulfilment drives these; reviews need the last two).
ALTER TABLE product_orders DROP CONSTRAINT product_orders_status_known;
ALTER TABLE product_orders ADD CONSTRAINT product_orders_status_known
    CHECK (status IN ('pending_payment', 'paid', 'cancelled', 'expired', 'shipped', 'delivered', 'confirmed'));

-- A buyer's review of one product order (so at most one per purchase line).
CREATE TABLE reviews (
    id               UUID PRIMARY KEY,
    product_order_id UUID NOT NULL REFERENCES product_orders (id)
                     CONSTRAINT reviews_one_per_product_order UNIQUE,
    product_id       UUID NOT NULL REFERENCES products (id),
    seller_id        UUID NOT NULL REFERENCES sellers (id),
    user_id          UUID NOT NULL REFERENCES users (id),
    option_values    TEXT[] NOT NULL,
    rating           SMALLINT NOT NULL CONSTRAINT reviews_rating_range CHECK (rating BETWEEN 1 AND 5),
    body             TEXT NOT NULL CONSTRAINT reviews_body_length CHECK (char_length(body) BETWEEN 1 AND 2000),
    seller_reply     TEXT CONSTRAINT reviews_reply_length CHECK (char_length(seller_reply) BETWEEN 1 AND 1000),
    replied_by       UUID REFERENCES staff_accounts (id),
    replied_at       TIMESTAMPTZ,
    hidden_at        TIMESTAMPTZ,
    hidden_by        UUID REFERENCES staff_accounts (id),
    hidden_reason    TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT reviews_reply_complete CHECK ((seller_reply IS NULL) = (replied_at IS NULL) AND (seller_reply IS NULL) = (replied_by IS NULL)),
    CONSTRAINT reviews_hidden_complete CHECK ((hidden_at IS NULL) = (hidden_by IS NULL) AND (hidden_at IS NULL) = (hidden_reason IS NULL))
);

-- Shoppers page a product's visible reviews newest first; vendors and
-- operations list theirs.
CREATE INDEX reviews_product_visible_idx ON reviews (product_id, created_at DESC, id DESC) WHERE hidden_at IS NULL;
CREATE INDEX reviews_seller_idx ON reviews (seller_id, created_at DESC, id DESC);
CREATE INDEX reviews_user_idx ON reviews (user_id);

CREATE TRIGGER reviews_set_updated_at
    BEFORE UPDATE ON reviews
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Photos are uploaded first, then attached to the review that names them.
CREATE TABLE review_photos (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id),
    review_id    UUID REFERENCES reviews (id) ON DELETE CASCADE,
    position     SMALLINT CONSTRAINT review_photos_position_range CHECK (position BETWEEN 0 AND 4),
    object_key   TEXT NOT NULL,
    content_type TEXT NOT NULL CONSTRAINT review_photos_type_known CHECK (content_type IN ('image/jpeg', 'image/png')),
    size_bytes   INTEGER NOT NULL CONSTRAINT review_photos_size_range CHECK (size_bytes BETWEEN 1 AND 5242880),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT review_photos_attached_has_position CHECK ((review_id IS NULL) = (position IS NULL)),
    CONSTRAINT review_photos_position_unique UNIQUE (review_id, position)
);

CREATE INDEX review_photos_unattached_idx ON review_photos (created_at) WHERE review_id IS NULL;
CREATE INDEX review_photos_user_idx ON review_photos (user_id) WHERE review_id IS NULL;
