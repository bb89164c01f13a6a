ALTER TABLE claims
    DROP CONSTRAINT claims_exchange_named,
    DROP COLUMN exchange_sku_id,
    DROP COLUMN exchange_from_sku_id,
    DROP COLUMN exchange_price_difference,
    DROP COLUMN exchange_fee;
