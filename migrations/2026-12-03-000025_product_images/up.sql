-- A product's images, in display order, stored in the object store.
CREATE TABLE product_images (
    id           UUID PRIMARY KEY,
    product_id   UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position     SMALLINT NOT NULL CONSTRAINT product_images_position_range CHECK (position BETWEEN 0 AND 9),
    object_key   TEXT NOT NULL,
    content_type TEXT NOT NULL CONSTRAINT product_images_type_known CHECK (content_type IN ('image/jpeg', 'image/png')),
    size_bytes   INTEGER NOT NULL CONSTRAINT product_images_size_range CHECK (size_bytes BETWEEN 1 AND 5242880),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT product_images_position_unique UNIQUE (product_id, position)
);
