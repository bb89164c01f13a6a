ALTER TABLE purchase_orders
    DROP COLUMN orderer_email,
    ADD COLUMN remote_area BOOLEAN NOT NULL DEFAULT FALSE;
