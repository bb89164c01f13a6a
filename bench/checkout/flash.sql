-- The flash-sale checkout transaction, for pgbench (-M prepared), as the app
-- sends it (statements sent together between \startpipeline and
-- \endpipeline, ADR 0011): BEGIN with the buyer's lock, open orders and the cart; the
-- three tiers and the hold in one statement with the bought line removed;
-- the stored answer and last the reservation of one unit of the one SKU.
-- Orders and holds get time-ordered ids, as the app's (UUIDv7 layout).
-- Variables: :sku, :seller.
SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid AS po, (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid AS so, 'bench-' || gen_random_uuid() AS buyer \gset
\startpipeline
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended('checkout:' || :buyer, 0));
SELECT count(DISTINCT purchase_order_id) FROM inventory_reservations WHERE holder = :buyer AND state = 'held' AND expires_at > now();
WITH line AS (SELECT ci.id, ci.sku_id, ci.quantity, ci.price_seen, ci.created_at
                 FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.owner = :buyer),
     wanted AS (SELECT sku_id FROM line UNION SELECT :sku::uuid)
SELECT s.id, s.list_price, s.sale_price, s.on_hand, s.reserved, p.name, p.status, p.max_per_order, se.status,
       se.shipping_base_fee, line.id, line.quantity, line.price_seen, line.created_at
    FROM wanted JOIN skus s ON s.id = wanted.sku_id JOIN products p ON p.id = s.product_id
    JOIN sellers se ON se.id = s.seller_id LEFT JOIN line ON line.sku_id = s.id ORDER BY line.created_at, line.id;
\endpipeline
\startpipeline
WITH sellers AS (
         INSERT INTO seller_orders (id, purchase_order_id, seller_id, items_amount, shipping_fee, shipping_points,
             shipping_cash, shipping_payable) VALUES
             (:so::uuid, :po::uuid, :seller::uuid, 1000, 3000, 0, 0, 3000)),
     products AS (
         INSERT INTO product_orders (id, seller_order_id, purchase_order_id, seller_id, product_id, sku_id, product_name,
             sku_code, option_values, quantity, unit_list_price, unit_price, list_amount, product_discount,
             seller_coupon_discount, platform_coupon_discount, platform_coupon_seller_funded, points, cash, payable_amount)
         SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid, :so::uuid, :po::uuid, s.seller_id, s.product_id, s.id, 'bench', s.code,
                s.option_values, 1, 1000, 1000, 1000, 0, 0, 0, 0, 0, 0, 1000
         FROM skus s WHERE s.id = :sku::uuid RETURNING id, seller_id),
     commissions AS (
         INSERT INTO product_order_commissions (product_order_id, rule_id, rate, vat_rate)
         SELECT products.id, r.id, r.rate, r.vat_rate FROM products JOIN commission_rules r
             ON r.payee_id = products.seller_id AND r.category_id IS NULL AND r.effective_until IS NULL),
     holds AS (
         INSERT INTO inventory_reservations (id, sku_id, purchase_order_id, holder, quantity, expires_at) VALUES
             ((lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid, :sku::uuid, :po::uuid, :buyer, 1, now() + interval '15 minutes'))
INSERT INTO purchase_orders (id, buyer, list_amount, product_discount, seller_coupon_discount, platform_coupon_discount,
    platform_coupon_seller_funded, shipping_fee, points, cash, payable_amount, orderer_name, orderer_phone,
    orderer_phone_index, recipient_name, recipient_phone, shipping_address, postal_code, expires_at)
    VALUES (:po::uuid, :buyer, 1000, 0, 0, 0, 0, 3000, 0, 0, 4000, '\x00', '\x00', '\x00', '\x00', '\x00', '\x00',
    '06236', now() + interval '15 minutes') RETURNING order_no;
DELETE FROM cart_items WHERE cart_id IN (SELECT id FROM carts WHERE owner = :buyer) AND sku_id = ANY(ARRAY[:sku::uuid]);
\endpipeline
\startpipeline
UPDATE idempotency_keys SET response_status = 201, response_body = '{}' WHERE scope = 'checkout:' || :buyer AND key = :po;
SELECT sku_id, available FROM reserve_stock(ARRAY[:sku::uuid], ARRAY[1]);
\endpipeline
COMMIT;
