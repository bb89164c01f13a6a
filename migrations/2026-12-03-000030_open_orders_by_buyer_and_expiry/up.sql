-- The count of a shopper's open orders filters on the buyer and on the
-- expiry. With the buyer alone in the index, a plan kept from when the
-- table's statistics were stale (demo buyers with many orders each) can
-- prefer the index of all unpaid orders by expiry, and then reads every
-- unpaid order at each checkout. With both columns here, this index is
-- the more selective under any statistics.
DROP INDEX purchase_orders_open_by_buyer_idx;
CREATE INDEX purchase_orders_open_by_buyer_idx ON purchase_orders (buyer, expires_at)
    WHERE status = 'pending_payment';
