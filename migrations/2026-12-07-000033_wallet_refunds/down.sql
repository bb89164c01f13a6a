DROP INDEX cash_ledger_wallet_refund_once;
DROP TABLE wallet_refund_lots;
DROP TABLE wallet_refunds;
