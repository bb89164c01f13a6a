DROP TABLE review_photos;
DROP TABLE reviews;
UPDATE product_orders SET status = 'paid' WHERE status IN ('shipped', 'delivered', 'confirmed');
ALTER TABLE product_orders DROP CONSTRAINT product_orders_status_known;
ALTER TABLE product_orders ADD CONSTRAINT product_orders_status_known
    CHECK (status IN ('pending_payment', 'paid', 'cancelled', 'expired'));
