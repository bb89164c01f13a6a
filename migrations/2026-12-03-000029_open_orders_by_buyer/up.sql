-- Every checkout counts the shopper's open orders against the cap on open
-- holds. The buyer's index reads the whole order history to find them;
-- this one holds the open orders alone.
CREATE INDEX purchase_orders_open_by_buyer_idx ON purchase_orders (buyer)
    WHERE status = 'pending_payment';
