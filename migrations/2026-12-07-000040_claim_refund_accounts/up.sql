-- Where a virtual-account (bank transfer) payment's card part of a claim
-- goes back: the account the shopper names, sealed under the financial
-- keyring while a refund step needs it, erased once none does.
ALTER TABLE claims ADD COLUMN refund_account BYTEA;
