-- One order as the app sends it, statement for statement, for pgbench
-- (-M prepared), with the statements the app sends together (ADR 0011),
-- BEGIN with each transaction's first group, between \startpipeline and
-- \endpipeline: two cart additions (each a
-- transaction: the cart's lock with the read of the cart and its SKUs,
-- then the line), the checkout (idempotency claim, then one transaction:
-- the buyer's lock if the claim is this order's, open orders and the cart;
-- the app sends the claim in the pipeline ahead of BEGIN, committed on its
-- own at its sync, which pgbench cannot, so here it waits alone; the
-- reserve-and-create ceiling leaves it out, and there the lock finds no
-- claim and is not taken (run.py's checkout transaction, for carts it
-- fills first, sends it after BEGIN instead); three tiers and holds in one
-- statement with the bought lines removed; the stored answer and last
-- `reserve_stock` for both SKUs) and the test payment (one transaction:
-- statuses, then outbox jobs with `finish_holds` committing the stock
-- last; then the order read back in one statement).
-- Orders and holds get time-ordered ids, as the app's (UUIDv7 layout).
-- Variables: :sku_a, :sku_b, :seller_a, :seller_b.
SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid AS po, (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid AS so_a, (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid AS so_b,
       gen_random_uuid() AS cart, 'bench-' || gen_random_uuid() AS buyer \gset
\startpipeline
BEGIN;
INSERT INTO carts (id, owner) VALUES (:cart::uuid, :buyer) ON CONFLICT (owner) DO UPDATE SET updated_at = now() RETURNING id;
WITH line AS (SELECT ci.id, ci.sku_id, ci.quantity, ci.price_seen, ci.created_at
                 FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.owner = :buyer),
     wanted AS (SELECT sku_id FROM line UNION SELECT :sku_a::uuid)
SELECT s.id, s.list_price, s.sale_price, s.on_hand, s.reserved, p.name, p.status, p.max_per_order, se.status,
       se.shipping_base_fee, line.id, line.quantity, line.price_seen, line.created_at
    FROM wanted JOIN skus s ON s.id = wanted.sku_id JOIN products p ON p.id = s.product_id
    JOIN sellers se ON se.id = s.seller_id LEFT JOIN line ON line.sku_id = s.id ORDER BY line.created_at, line.id;
\endpipeline
INSERT INTO cart_items (id, cart_id, sku_id, quantity, price_seen) VALUES (gen_random_uuid(), :cart::uuid, :sku_a::uuid, 1, 1000)
    ON CONFLICT (cart_id, sku_id) DO UPDATE SET quantity = excluded.quantity, price_seen = excluded.price_seen RETURNING id;
COMMIT;
\startpipeline
BEGIN;
INSERT INTO carts (id, owner) VALUES (:cart::uuid, :buyer) ON CONFLICT (owner) DO UPDATE SET updated_at = now() RETURNING id;
WITH line AS (SELECT ci.id, ci.sku_id, ci.quantity, ci.price_seen, ci.created_at
                 FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.owner = :buyer),
     wanted AS (SELECT sku_id FROM line UNION SELECT :sku_b::uuid)
SELECT s.id, s.list_price, s.sale_price, s.on_hand, s.reserved, p.name, p.status, p.max_per_order, se.status,
       se.shipping_base_fee, line.id, line.quantity, line.price_seen, line.created_at
    FROM wanted JOIN skus s ON s.id = wanted.sku_id JOIN products p ON p.id = s.product_id
    JOIN sellers se ON se.id = s.seller_id LEFT JOIN line ON line.sku_id = s.id ORDER BY line.created_at, line.id;
\endpipeline
INSERT INTO cart_items (id, cart_id, sku_id, quantity, price_seen) VALUES (gen_random_uuid(), :cart::uuid, :sku_b::uuid, 1, 1000)
    ON CONFLICT (cart_id, sku_id) DO UPDATE SET quantity = excluded.quantity, price_seen = excluded.price_seen RETURNING id;
COMMIT;
INSERT INTO idempotency_keys (scope, key, request_hash, claim) VALUES ('checkout:' || :buyer, :po, '\x00', :po::uuid) ON CONFLICT DO NOTHING;
-- checkout begins
\startpipeline
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended(scope, 0))
    FROM idempotency_keys WHERE scope = 'checkout:' || :buyer AND key = :po AND claim = :po::uuid;
SELECT count(DISTINCT purchase_order_id) FROM inventory_reservations WHERE holder = :buyer AND state = 'held' AND expires_at > now();
SELECT s.id, s.list_price, s.sale_price, s.on_hand, s.reserved, p.name, p.status, p.max_per_order, se.status,
       se.shipping_base_fee, line.id, line.quantity, line.price_seen, line.created_at
    FROM cart_items line JOIN carts c ON c.id = line.cart_id
    JOIN skus s JOIN products p ON p.id = s.product_id JOIN sellers se ON se.id = s.seller_id ON s.id = line.sku_id
    WHERE c.owner = :buyer ORDER BY line.created_at, line.id;
\endpipeline
\startpipeline
WITH sellers AS (
         INSERT INTO seller_orders (id, purchase_order_id, seller_id, items_amount, shipping_fee, shipping_points,
             shipping_cash, shipping_payable) VALUES
             (:so_a::uuid, :po::uuid, :seller_a::uuid, 1000, 3000, 0, 0, 3000),
             (:so_b::uuid, :po::uuid, :seller_b::uuid, 1000, 3000, 0, 0, 3000)),
     products AS (
         INSERT INTO product_orders (id, seller_order_id, purchase_order_id, seller_id, product_id, sku_id, product_name,
             sku_code, option_values, quantity, unit_list_price, unit_price, list_amount, product_discount,
             seller_coupon_discount, platform_coupon_discount, platform_coupon_seller_funded, points, cash, payable_amount)
         SELECT (lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid, CASE WHEN s.id = :sku_a::uuid THEN :so_a::uuid ELSE :so_b::uuid END, :po::uuid,
                s.seller_id, s.product_id, s.id, 'bench', s.code, s.option_values, 1, 1000, 1000, 1000, 0, 0, 0, 0, 0, 0, 1000
         FROM skus s WHERE s.id IN (:sku_a::uuid, :sku_b::uuid) RETURNING id, seller_id),
     commissions AS (
         INSERT INTO product_order_commissions (product_order_id, rule_id, rate, vat_rate)
         SELECT products.id, r.id, r.rate, r.vat_rate FROM products JOIN commission_rules r
             ON r.payee_id = products.seller_id AND r.category_id IS NULL AND r.effective_until IS NULL),
     holds AS (
         INSERT INTO inventory_reservations (id, sku_id, purchase_order_id, holder, quantity, expires_at) VALUES
             ((lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid, :sku_a::uuid, :po::uuid, :buyer, 1, now() + interval '15 minutes'),
             ((lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 13))::uuid, :sku_b::uuid, :po::uuid, :buyer, 1, now() + interval '15 minutes'))
INSERT INTO purchase_orders (id, buyer, list_amount, product_discount, seller_coupon_discount, platform_coupon_discount,
    platform_coupon_seller_funded, shipping_fee, points, cash, payable_amount, orderer_name, orderer_phone,
    orderer_phone_index, recipient_name, recipient_phone, shipping_address, postal_code, expires_at)
    VALUES (:po::uuid, :buyer, 2000, 0, 0, 0, 0, 6000, 0, 0, 8000, '\x00', '\x00', '\x00', '\x00', '\x00', '\x00',
    '06236', now() + interval '15 minutes') RETURNING order_no;
DELETE FROM cart_items WHERE cart_id IN (SELECT id FROM carts WHERE owner = :buyer) AND sku_id = ANY(ARRAY[:sku_a::uuid, :sku_b::uuid]);
\endpipeline
\startpipeline
UPDATE idempotency_keys SET response_status = 201, response_body = '{}' WHERE scope = 'checkout:' || :buyer AND key = :po;
SELECT sku_id, available FROM reserve_stock(ARRAY[:sku_a::uuid, :sku_b::uuid], ARRAY[1, 1]);
\endpipeline
COMMIT;
-- checkout ends
\startpipeline
BEGIN;
SELECT id, status, expires_at FROM purchase_orders WHERE id = :po::uuid AND buyer = :buyer FOR UPDATE;
\endpipeline
\startpipeline
UPDATE coupon_issues SET state = 'used', used_at = now() WHERE purchase_order_id = :po::uuid AND state = 'held';
WITH purchase AS (
         UPDATE purchase_orders SET status = 'paid', version = version + 1, payment_method = 'test', cancel_reason = NULL,
                paid_at = now(), cancelled_at = NULL WHERE id = :po::uuid),
     products AS (UPDATE product_orders SET status = 'paid' WHERE purchase_order_id = :po::uuid)
UPDATE seller_orders SET status = 'paid' WHERE purchase_order_id = :po::uuid RETURNING id;
\endpipeline
\startpipeline
INSERT INTO jobs (queue, kind, payload, max_attempts)
    SELECT * FROM unnest(ARRAY['default', 'default', 'default'],
                         ARRAY['orders.paid', 'orders.new_for_seller', 'orders.new_for_seller'],
                         ARRAY[json_build_object('purchase_order_id', :po::text)::jsonb,
                               json_build_object('seller_order_id', :so_a::text)::jsonb,
                               json_build_object('seller_order_id', :so_b::text)::jsonb],
                         ARRAY[10, 10, 10]);
SELECT sku_id, available, quantity FROM finish_holds(:po::uuid, true, :po);
\endpipeline
COMMIT;
SELECT po.*, so.*, pr.* FROM product_orders pr JOIN seller_orders so ON so.id = pr.seller_order_id
    JOIN purchase_orders po ON po.id = so.purchase_order_id
    WHERE po.id = :po::uuid AND po.buyer = :buyer ORDER BY pr.seller_order_id, pr.id;
