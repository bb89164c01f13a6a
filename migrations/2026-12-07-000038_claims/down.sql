DROP TABLE claim_refunds;
DROP TABLE claim_lines;
ALTER TABLE product_orders DROP CONSTRAINT product_orders_claim_fk;
DROP TABLE claims;
ALTER TABLE seller_orders
    DROP CONSTRAINT seller_orders_claim_fees_add_up,
    DROP COLUMN claim_fees,
    DROP COLUMN claim_fees_points,
    DROP COLUMN claim_fees_cash,
    DROP COLUMN claim_fees_payable;
UPDATE product_orders SET status = 'delivered' WHERE status = 'returned';
ALTER TABLE product_orders DROP CONSTRAINT product_orders_status_known;
ALTER TABLE product_orders ADD CONSTRAINT product_orders_status_known
    CHECK (status IN ('pending_payment', 'paid', 'cancelled', 'expired', 'preparing', 'shipped', 'delivered', 'confirmed'));
ALTER TABLE product_orders
    DROP COLUMN seller_coupon_applies,
    DROP COLUMN platform_coupon_applies,
    DROP COLUMN claim_id;
