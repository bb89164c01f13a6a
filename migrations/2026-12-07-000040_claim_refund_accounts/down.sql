ALTER TABLE claims DROP COLUMN refund_account;
