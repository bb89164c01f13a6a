-- The ceiling of one statement: the two reads `statements::statement`
-- makes (the balance carried into the month, then the month's lines) for a
-- seeded vendor drawn at random.
\set v random(1, :vendors)
SELECT COALESCE(sum(CASE WHEN l.account IN ('payee_payable', 'payee_funded_discounts', 'shipping_collected', 'claims_receivable') THEN CASE l.side WHEN 'credit' THEN l.amount ELSE -l.amount END ELSE 0 END), 0) AS net FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id WHERE e.payee_id = ('b0000000-0000-4000-8000-' || lpad(to_hex(:v::bigint), 12, '0'))::uuid AND e.occurred_at < :from::timestamptz;
SELECT e.kind, l.account, l.side, l.amount FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id WHERE e.payee_id = ('b0000000-0000-4000-8000-' || lpad(to_hex(:v::bigint), 12, '0'))::uuid AND e.occurred_at >= :from::timestamptz AND e.occurred_at < :until::timestamptz ORDER BY e.id, l.line_no;
