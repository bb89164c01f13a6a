-- An exchange swaps a delivered product order's item for another option of
-- the same product: the other option's units are reserved when it is
-- asked for, sold when the vendor has the first item back, and the product
-- order is prepared again with the new option. No money moves; the price
-- difference and, for the shopper's own reasons, the round-trip shipping
-- are recorded.
ALTER TABLE claims
    ADD COLUMN exchange_sku_id           UUID REFERENCES skus (id),
    ADD COLUMN exchange_from_sku_id      UUID REFERENCES skus (id),
    ADD COLUMN exchange_price_difference NUMERIC(14, 2),
    ADD COLUMN exchange_fee              NUMERIC(14, 2),
    ADD CONSTRAINT claims_exchange_named CHECK (
        (kind = 'exchange') = (exchange_sku_id IS NOT NULL AND exchange_from_sku_id IS NOT NULL
                               AND exchange_price_difference IS NOT NULL AND exchange_fee IS NOT NULL));
