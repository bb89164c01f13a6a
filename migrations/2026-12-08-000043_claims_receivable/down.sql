-- Fails while a receivable entry exists: entries are never deleted.
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_known;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_known
    CHECK (kind IN ('earning', 'adjustment', 'clawback', 'shipping', 'payout'));
