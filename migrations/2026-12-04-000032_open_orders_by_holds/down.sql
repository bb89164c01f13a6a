CREATE INDEX purchase_orders_open_by_buyer_idx ON purchase_orders (buyer, expires_at)
    WHERE status = 'pending_payment';
