-- The flash-sale checkout transaction, for pgbench (-M prepared): create the
-- three tiers and the hold, then reserve one unit of the one SKU (the app's order). Variables:
-- :sku, :seller.
SELECT gen_random_uuid() AS po, gen_random_uuid() AS so, 'bench-' || gen_random_uuid() AS buyer \gset
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended('checkout:' || :buyer, 0));
SELECT s.id, s.list_price, s.on_hand, s.reserved, p.status, se.status FROM skus s JOIN products p ON p.id = s.product_id
    JOIN sellers se ON se.id = s.seller_id WHERE s.id = :sku::uuid;
INSERT INTO purchase_orders (id, buyer, list_amount, product_discount, seller_coupon_discount, platform_coupon_discount,
    platform_coupon_seller_funded, shipping_fee, points, cash, payable_amount, orderer_name, orderer_phone,
    orderer_phone_index, recipient_name, recipient_phone, shipping_address, postal_code, expires_at)
    VALUES (:po::uuid, :buyer, 1000, 0, 0, 0, 0, 3000, 0, 0, 4000, '\x00', '\x00', '\x00', '\x00', '\x00', '\x00',
    '06236', now() + interval '15 minutes') RETURNING order_no;
INSERT INTO seller_orders (id, purchase_order_id, seller_id, items_amount, shipping_fee, shipping_points, shipping_cash,
    shipping_payable, commission_rate) VALUES (:so::uuid, :po::uuid, :seller::uuid, 1000, 3000, 0, 0, 3000, 0.1);
INSERT INTO product_orders (id, seller_order_id, purchase_order_id, seller_id, product_id, sku_id, product_name, sku_code,
    option_values, quantity, unit_list_price, unit_price, list_amount, product_discount, seller_coupon_discount,
    platform_coupon_discount, platform_coupon_seller_funded, points, cash, payable_amount)
    SELECT gen_random_uuid(), :so::uuid, :po::uuid, s.seller_id, s.product_id, s.id, 'bench', s.code, s.option_values,
           1, 1000, 1000, 1000, 0, 0, 0, 0, 0, 0, 1000
    FROM skus s WHERE s.id = :sku::uuid;
INSERT INTO inventory_reservations (id, sku_id, purchase_order_id, holder, quantity, expires_at)
    VALUES (gen_random_uuid(), :sku::uuid, :po::uuid, :buyer, 1, now() + interval '15 minutes');
SELECT sku_id, available FROM reserve_stock(ARRAY[:sku::uuid], ARRAY[1]);
COMMIT;
