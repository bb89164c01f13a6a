DROP INDEX journal_entries_unswept;
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_payout_batch;
DROP TABLE payout_batches;
DROP TABLE payees;
