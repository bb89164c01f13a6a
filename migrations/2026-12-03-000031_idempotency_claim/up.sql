-- Which request holds a key: a checkout sends its claim and its first
-- statements together, and takes the shopper's checkout lock only if the
-- key turned out to be its own. A retry of a request still running then
-- finds it running instead of waiting for its lock.
ALTER TABLE idempotency_keys ADD COLUMN claim uuid;
