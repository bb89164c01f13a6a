DROP INDEX payments_one_active_per_charge;
ALTER TABLE payments DROP CONSTRAINT payments_pays_one_thing;
ALTER TABLE payments DROP COLUMN wallet_charge_id;
DELETE FROM payments WHERE purchase_order_id IS NULL;
ALTER TABLE payments ALTER COLUMN purchase_order_id SET NOT NULL;
DROP TABLE wallet_charges;
DROP TABLE cash_ledger;
