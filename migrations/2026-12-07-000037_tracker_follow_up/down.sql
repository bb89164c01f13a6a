ALTER TABLE shipments
    DROP COLUMN tracker_webhook_until,
    DROP COLUMN tracker_read_at;
