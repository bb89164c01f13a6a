DROP TABLE journal_lines;
DROP TABLE journal_entries;
DROP FUNCTION journal_refuse_rewrite();
DROP FUNCTION journal_entry_stamp_only();
DROP FUNCTION journal_entry_balances();
DROP TABLE journal_accounts;
ALTER TABLE sellers ADD COLUMN commission_rate NUMERIC(5, 4) NOT NULL DEFAULT 0.1000
    CONSTRAINT sellers_commission_rate_range CHECK (commission_rate >= 0 AND commission_rate < 1);
UPDATE sellers s SET commission_rate = r.rate
    FROM commission_rules r
    WHERE r.payee_id = s.id AND r.category_id IS NULL AND r.effective_until IS NULL;
ALTER TABLE seller_orders ADD COLUMN commission_rate NUMERIC(5, 4);
UPDATE seller_orders so SET commission_rate = COALESCE(
    (SELECT max(t.rate) FROM product_order_commissions t JOIN product_orders p ON p.id = t.product_order_id
     WHERE p.seller_order_id = so.id), 0.1000);
ALTER TABLE seller_orders ALTER COLUMN commission_rate SET NOT NULL;
ALTER TABLE purchase_confirmations DROP COLUMN commission_vat_rate;
DROP TABLE product_order_commissions;
DROP TABLE commission_rules;
