-- Settling one order reads its confirmations and what is posted for it and
-- its vendor orders: each by an index, not by scanning every confirmation.
CREATE INDEX purchase_confirmations_purchase_order ON purchase_confirmations (purchase_order_id);
CREATE INDEX purchase_confirmations_seller_order ON purchase_confirmations (seller_order_id);
CREATE INDEX journal_entries_seller_order ON journal_entries (seller_order_id) WHERE seller_order_id IS NOT NULL;
