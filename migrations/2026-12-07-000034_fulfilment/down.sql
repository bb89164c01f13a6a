DROP TABLE tracking_events;
ALTER TABLE product_orders
    DROP COLUMN shipment_id,
    DROP COLUMN accepted_at,
    DROP COLUMN shipped_at,
    DROP COLUMN delivered_at;
DROP TABLE shipments;
ALTER TABLE seller_orders
    DROP CONSTRAINT seller_orders_delay_has_reason,
    DROP COLUMN dispatch_due,
    DROP COLUMN dispatch_declared,
    DROP COLUMN dispatch_delayed_to,
    DROP COLUMN dispatch_delay_reason,
    DROP COLUMN dispatch_delay_note;
ALTER TABLE product_orders DROP CONSTRAINT product_orders_status_known;
ALTER TABLE product_orders ADD CONSTRAINT product_orders_status_known
    CHECK (status IN ('pending_payment', 'paid', 'cancelled', 'expired', 'shipped', 'delivered', 'confirmed'));
