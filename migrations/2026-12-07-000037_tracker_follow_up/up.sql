-- Following parcels at the tracking service: until when its webhook for the
-- parcel lives (renewed while the parcel travels), and when we last read
-- the parcel there (a silent parcel is read again).
ALTER TABLE shipments
    ADD COLUMN tracker_webhook_until TIMESTAMPTZ,
    ADD COLUMN tracker_read_at       TIMESTAMPTZ;
