DROP TABLE purchase_confirmations;
DROP INDEX product_orders_awaiting_confirmation;
ALTER TABLE product_orders
    DROP COLUMN confirmed_at,
    DROP COLUMN confirmation_noticed_at;
