-- A shopper's open orders are now counted from their held holds, through
-- the index of held holds by holder, the only index that names the holder.
-- This index lost its one reader. Orders enter it unpaid and leave it when
-- paid or released, so after a busy spell it had many pages and few
-- entries; priced by those pages, it lost to the index of unpaid orders by
-- expiry, and each checkout read every unpaid order through that one.
DROP INDEX purchase_orders_open_by_buyer_idx;
