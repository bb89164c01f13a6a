DROP INDEX product_stats_popularity_idx;
DROP INDEX product_stats_price_now_idx;
ALTER TABLE product_stats
    DROP COLUMN price_now,
    DROP COLUMN in_stock,
    DROP COLUMN on_sale_now;
