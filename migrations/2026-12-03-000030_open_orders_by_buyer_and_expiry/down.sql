DROP INDEX purchase_orders_open_by_buyer_idx;
CREATE INDEX purchase_orders_open_by_buyer_idx ON purchase_orders (buyer)
    WHERE status = 'pending_payment';
