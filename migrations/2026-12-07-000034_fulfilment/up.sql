-- Fulfilment: vendors accept and ship product orders in shipments with a
-- carrier's tracking number; the carrier's story of each parcel is an
-- append-only stream of events, kept apart from what the vendor did.

ALTER TABLE product_orders DROP CONSTRAINT product_orders_status_known;
ALTER TABLE product_orders ADD CONSTRAINT product_orders_status_known
    CHECK (status IN ('pending_payment', 'paid', 'cancelled', 'expired', 'preparing', 'shipped', 'delivered', 'confirmed'));

-- The dispatch deadline: the Korean date by which the vendor must hand the
-- order to a carrier (3 business days after payment), the earlier date it
-- may declare once, and the later date it may delay to once, with a reason.
ALTER TABLE seller_orders
    ADD COLUMN dispatch_due         DATE,
    ADD COLUMN dispatch_declared    DATE,
    ADD COLUMN dispatch_delayed_to  DATE,
    ADD COLUMN dispatch_delay_reason TEXT
        CONSTRAINT seller_orders_dispatch_delay_reason_known CHECK (dispatch_delay_reason IN (
            'product_preparing', 'customer_request', 'custom_build', 'reserved_dispatch', 'other')),
    ADD COLUMN dispatch_delay_note  TEXT,
    ADD CONSTRAINT seller_orders_delay_has_reason
        CHECK ((dispatch_delayed_to IS NULL) = (dispatch_delay_reason IS NULL));

CREATE TABLE shipments (
    id                   UUID PRIMARY KEY,
    seller_order_id      UUID NOT NULL REFERENCES seller_orders (id),
    purchase_order_id    UUID NOT NULL REFERENCES purchase_orders (id),
    seller_id            UUID NOT NULL REFERENCES sellers (id),
    carrier              TEXT NOT NULL,
    tracking_number      TEXT NOT NULL,
    -- What the vendor did.
    status               TEXT NOT NULL DEFAULT 'shipped'
                         CONSTRAINT shipments_status_known CHECK (status IN ('shipped', 'delivered', 'cancelled')),
    shipped_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at         TIMESTAMPTZ,
    cancelled_at         TIMESTAMPTZ,
    -- The carrier's story, folded from tracking_events.
    carrier_status       TEXT,
    carrier_status_at    TIMESTAMPTZ,
    carrier_first_scan_at TIMESTAMPTZ,
    carrier_delivered_at TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX shipments_seller_order_idx ON shipments (seller_order_id);
CREATE INDEX shipments_purchase_order_idx ON shipments (purchase_order_id);
-- A parcel is in one live shipment.
CREATE UNIQUE INDEX shipments_live_tracking_number ON shipments (carrier, tracking_number)
    WHERE status <> 'cancelled';
-- Parcels still on their way (the tracking poll's work list).
CREATE INDEX shipments_in_transit ON shipments (shipped_at) WHERE status = 'shipped';

ALTER TABLE product_orders
    ADD COLUMN shipment_id  UUID REFERENCES shipments (id),
    ADD COLUMN accepted_at  TIMESTAMPTZ,
    ADD COLUMN shipped_at   TIMESTAMPTZ,
    ADD COLUMN delivered_at TIMESTAMPTZ;
CREATE INDEX product_orders_shipment_idx ON product_orders (shipment_id) WHERE shipment_id IS NOT NULL;

-- Everything carriers, partners and the tracking service told us, once per
-- (carrier, number, time, status) however often it arrives.
CREATE TABLE tracking_events (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    carrier         TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    status          TEXT NOT NULL CONSTRAINT tracking_events_status_known CHECK (status IN (
                        'unknown', 'information_received', 'at_pickup', 'in_transit', 'out_for_delivery',
                        'attempt_fail', 'exception', 'available_for_pickup', 'delivered')),
    description     TEXT NOT NULL DEFAULT '',
    location        TEXT,
    -- Who told us: 'tracker' (the tracking service), or 'partner:<id>'.
    source          TEXT NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT tracking_events_once UNIQUE (carrier, tracking_number, occurred_at, status)
);

-- Orders paid before deadlines were kept: three calendar days after payment.
UPDATE seller_orders s
SET dispatch_due = (p.paid_at AT TIME ZONE 'Asia/Seoul')::date + 3
FROM purchase_orders p
WHERE p.id = s.purchase_order_id AND p.paid_at IS NOT NULL;
