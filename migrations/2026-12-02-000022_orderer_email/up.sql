-- Guests give an email at checkout for their order messages (sealed). Whether
-- the address was remote is already in each vendor order's shipping fee.
ALTER TABLE purchase_orders
    DROP COLUMN remote_area,
    ADD COLUMN orderer_email BYTEA;
