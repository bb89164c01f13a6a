-- What a payee owes back after claims moves from its payable to claims
-- receivable when a sweep finds it owing, and back as later earnings net it:
-- an entry of its own kind, changing nothing of what the payee is owed.
ALTER TABLE journal_entries DROP CONSTRAINT journal_entries_kind_known;
ALTER TABLE journal_entries ADD CONSTRAINT journal_entries_kind_known
    CHECK (kind IN ('earning', 'adjustment', 'clawback', 'shipping', 'payout', 'receivable'));
