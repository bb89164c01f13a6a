-- Fulfilment running late: a vendor order not dispatched by its deadline,
-- a parcel not scanned by the carrier a day after its number was
-- registered, a parcel more than five days in transit. A flag is raised
-- once while the delay lasts (the shopper and vendor are emailed) and
-- cleared when it ends; operations read them all.
CREATE TABLE fulfilment_delays (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              TEXT NOT NULL CONSTRAINT fulfilment_delays_kind_known
                      CHECK (kind IN ('late_dispatch', 'no_carrier_scan', 'long_in_transit')),
    seller_order_id   UUID NOT NULL REFERENCES seller_orders (id),
    purchase_order_id UUID NOT NULL REFERENCES purchase_orders (id),
    seller_id         UUID NOT NULL REFERENCES sellers (id),
    -- The parcel, for the carrier's delays.
    shipment_id       UUID REFERENCES shipments (id),
    raised_at         TIMESTAMPTZ NOT NULL,
    cleared_at        TIMESTAMPTZ,
    CONSTRAINT fulfilment_delays_parcel_kinds CHECK ((kind = 'late_dispatch') = (shipment_id IS NULL))
);
-- One open flag of a kind per vendor order (late dispatch) or parcel.
CREATE UNIQUE INDEX fulfilment_delays_open_dispatch ON fulfilment_delays (seller_order_id)
    WHERE cleared_at IS NULL AND kind = 'late_dispatch';
CREATE UNIQUE INDEX fulfilment_delays_open_parcel ON fulfilment_delays (kind, shipment_id)
    WHERE cleared_at IS NULL AND shipment_id IS NOT NULL;
CREATE INDEX fulfilment_delays_raised_idx ON fulfilment_delays (raised_at DESC, id DESC);
