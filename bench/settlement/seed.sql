-- Confirmed product orders for the settlement benchmark, written straight
-- to the tables (untimed): :vendors approved vendors, each a payee under a
-- 10 % base rate, and :orders purchase orders of one vendor order (turn by
-- turn over the vendors) of four product orders each, every one confirmed
-- with both coupon fundings and its commission frozen. Nothing is posted:
-- the benchmark's accrual does that.
BEGIN;
CREATE TEMP TABLE bench_vendors AS
SELECT g AS n, ('b0000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid AS id
FROM generate_series(1, :vendors) g;

INSERT INTO sellers (id, name, status, approved_at)
SELECT id, 'Bench vendor ' || n, 'approved', now() FROM bench_vendors;
INSERT INTO payees (payee_kind, payee_id) SELECT 'seller', id FROM bench_vendors;
INSERT INTO commission_rules (payee_kind, payee_id, rate, vat_rate, effective_from, reason)
SELECT 'seller', id, 0.10, 0.10, now() - interval '30 days', 'benchmark' FROM bench_vendors;

CREATE TEMP TABLE bench_orders AS
SELECT g AS n, gen_random_uuid() AS id, v.id AS seller_id,
       (SELECT r.id FROM commission_rules r WHERE r.payee_id = v.id) AS rule_id
FROM generate_series(1, :orders) g
JOIN bench_vendors v ON v.n = (g - 1) % :vendors + 1;

-- Each line: ₩50,000 listed, ₩45,000 sold; the vendor's coupon ₩1,000,
-- the platform's ₩2,000 of which the vendor funds ₩500; paid ₩42,000.
INSERT INTO purchase_orders (id, buyer, status, list_amount, product_discount, seller_coupon_discount,
    platform_coupon_discount, platform_coupon_seller_funded, shipping_fee, points, cash, payable_amount,
    orderer_name, orderer_phone, orderer_phone_index, recipient_name, recipient_phone, shipping_address,
    postal_code, expires_at, paid_at)
SELECT id, 'bench-' || n, 'paid', 200000, 20000, 4000, 8000, 2000, 3000, 0, 0, 171000,
       '', '', '', '', '', '', '06236', now(), now()
FROM bench_orders;
INSERT INTO seller_orders (id, purchase_order_id, seller_id, status, items_amount, shipping_fee,
    shipping_points, shipping_cash, shipping_payable)
SELECT id, id, seller_id, 'paid', 176000, 3000, 0, 0, 3000 FROM bench_orders;

CREATE TEMP TABLE bench_lines AS
SELECT gen_random_uuid() AS id, o.id AS order_id, o.seller_id, o.rule_id
FROM bench_orders o CROSS JOIN generate_series(1, 4);

INSERT INTO product_orders (id, seller_order_id, purchase_order_id, seller_id, product_id, sku_id,
    product_name, sku_code, option_values, status, quantity, unit_list_price, unit_price, list_amount,
    product_discount, seller_coupon_discount, platform_coupon_discount, platform_coupon_seller_funded,
    points, cash, payable_amount, confirmed_at)
SELECT l.id, l.order_id, l.order_id, l.seller_id, s.product_id, s.id, 'Bench item', 'BENCH',
       '{}', 'confirmed', 1, 50000, 45000, 50000, 5000, 1000, 2000, 500, 0, 0, 42000, now()
FROM bench_lines l CROSS JOIN (SELECT id, product_id FROM skus ORDER BY id LIMIT 1) s;
INSERT INTO product_order_commissions (product_order_id, rule_id, rate, vat_rate)
SELECT id, rule_id, 0.10, 0.10 FROM bench_lines;
INSERT INTO purchase_confirmations (product_order_id, purchase_order_id, seller_order_id, seller_id,
    confirmed_by, confirmed_at, quantity, list_amount, product_discount, seller_coupon_discount,
    platform_coupon_discount, platform_coupon_seller_funded, points, cash, payable_amount,
    points_earned, commission_rate, commission_vat_rate)
SELECT id, order_id, order_id, seller_id, 'schedule', now(), 1, 50000, 5000, 1000, 2000, 500, 0, 0,
       42000, 0, 0.10, 0.10
FROM bench_lines;
COMMIT;
ANALYZE;
