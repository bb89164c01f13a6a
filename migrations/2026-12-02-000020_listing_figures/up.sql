-- What lists filter and sort by, derived from a product's SKUs and kept
-- beside its counters: refreshed in the transaction of every SKU price or
-- stock change, and each minute for SKUs with sale windows (a window opens
-- or closes without a write). Lists then read one row per product.
ALTER TABLE product_stats
    ADD COLUMN price_now   NUMERIC(14, 2),
    ADD COLUMN in_stock    BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN on_sale_now BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE product_stats st
SET price_now = k.price, in_stock = k.in_stock, on_sale_now = k.on_sale
FROM (
    SELECT product_id,
           min(CASE WHEN sale_price IS NOT NULL AND (sale_starts_at IS NULL OR sale_starts_at <= now())
                     AND (sale_ends_at IS NULL OR sale_ends_at > now()) THEN sale_price ELSE list_price END) AS price,
           bool_or(on_hand > reserved) AS in_stock,
           bool_or(sale_price IS NOT NULL AND (sale_starts_at IS NULL OR sale_starts_at <= now())
                   AND (sale_ends_at IS NULL OR sale_ends_at > now())) AS on_sale
    FROM skus GROUP BY product_id
) k
WHERE st.product_id = k.product_id;

CREATE INDEX product_stats_price_now_idx ON product_stats (price_now);
CREATE INDEX product_stats_popularity_idx ON product_stats (popularity DESC);
